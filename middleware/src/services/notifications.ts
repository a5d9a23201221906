import { sql } from 'kysely';
import { asksFollowUp, followUpPageRef, notificationRecipients, type NotifiableUser } from '../domain/follow-ups';
import type { NotificationSettings } from '../domain/profile';
import type { Participant } from '../domain/matching/types';
import { describeError } from '../salesforce/connection';
import { newId } from '../store/ids';
import { listOrgIds } from '../store/orgs';
import { noteLimitInfo, refreshLimits, spendCalls } from './api-budget';
import { json } from '../store/schema';
import type { RepServiceDeps } from './rep-context';

/**
 * Meeting notifications (CP-7, MATCH-8) through Salesforce custom notifications
 * (`actions/standard/customNotificationAction` with the package's `Backstory_Meeting_Follow_Up`
 * type), as the integration user.
 *
 * Once per meeting and kind: a row of `meeting_notifications` is claimed (inserted) before the
 * call; whoever inserts it sends, everyone else (a retry, another process) finds it taken. A
 * failed send leaves the row `failed`, and only a later run re-claims it; a claim left behind by a
 * process that died mid-send is taken over after five minutes.
 *
 * Within the API budget (MATCH-13): each send reserves its calls in the budget the write-back
 * uses. Past it the notification is `deferred` (the reason in `last_error`) and sent by a later
 * run once the budget allows; a run stops at the first deferral.
 */

export const NOTIFICATION_TYPE = 'Backstory_Meeting_Follow_Up';
/** The Follow-ups tab (force-app/main/default/tabs), as a page reference names it. */
export const FOLLOW_UPS_TAB = 'peopleai__Backstory_Follow_Ups';
/** Meetings that ended longer ago than this are not followed up (an import of old calendars stays quiet). */
export const COMPLETED_WINDOW_DAYS = 7;
const STALE_CLAIM_MINUTES = 5;

export type NotifyResult = 'sent' | 'skipped' | 'already' | 'failed' | 'deferred';

/** Why a notification waits (`meeting_notifications.last_error`, and the write-back status counts it). */
export const BUDGET_REASON =
    "Waiting for the API budget (MATCH-13): Backstory used its share of the org's remaining daily API allowance (maxDailyApiShare, PUT /v1/writeback/settings); sent once the budget allows (a new day, a raised share or limit).";

interface MeetingContext {
    activity: { id: string; subject: string; startsAt: Date; endsAt: Date | null; participants: Participant[] };
    owner: NotifiableUser;
    notifications: NotificationSettings;
    participants: NotifiableUser[];
}

async function meetingContext(deps: RepServiceDeps, orgId: string, activityId: string): Promise<MeetingContext | null> {
    const db = deps.store.db;
    const row = await db
        .selectFrom('activities')
        .innerJoin('users', 'users.id', 'activities.owner_user_id')
        .innerJoin('profiles', 'profiles.id', 'users.profile_id')
        .select([
            'activities.id',
            'activities.type',
            'activities.subject',
            'activities.starts_at',
            'activities.ends_at',
            'activities.participants',
            'users.id as owner_id',
            'users.email as owner_email',
            'users.salesforce_user_id as owner_sf',
            'users.status as owner_status',
            'profiles.notifications'
        ])
        .where('activities.org_id', '=', orgId)
        .where('activities.id', '=', activityId)
        .executeTakeFirst();
    if (row?.type !== 'meeting') return null;
    const emails = row.participants.map((p) => p.email.toLowerCase());
    const users =
        emails.length === 0
            ? []
            : await db
                  .selectFrom('users')
                  .select(['id', 'email', 'salesforce_user_id', 'status'])
                  .where('org_id', '=', orgId)
                  .where('email_key', 'in', emails)
                  .execute();
    return {
        activity: {
            id: row.id,
            subject: row.subject,
            startsAt: new Date(row.starts_at),
            endsAt: row.ends_at ? new Date(row.ends_at) : null,
            participants: row.participants
        },
        owner: {
            userId: row.owner_id,
            email: row.owner_email,
            salesforceUserId: row.owner_sf,
            status: row.owner_status
        },
        notifications: row.notifications as NotificationSettings,
        participants: users.map((u) => ({
            userId: u.id,
            email: u.email,
            salesforceUserId: u.salesforce_user_id,
            status: u.status
        }))
    };
}

/** Who gets the notification of this kind (CP-7). */
export function recipientsFor(ctx: MeetingContext, kind: 'created' | 'completed'): NotifiableUser[] {
    const who = kind === 'created' ? ctx.notifications.onMeetingCreated : ctx.notifications.onMeetingCompleted;
    return notificationRecipients(who, ctx.owner, ctx.participants);
}

/** Take the right to send this notification; false when it is sent, being sent, or skipped. */
async function claim(deps: RepServiceDeps, orgId: string, activityId: string, kind: 'created' | 'completed') {
    const row = await deps.store.db
        .insertInto('meeting_notifications')
        .values({ org_id: orgId, activity_id: activityId, kind, state: 'claimed' })
        .onConflict((oc) =>
            oc
                .columns(['org_id', 'activity_id', 'kind'])
                .doUpdateSet({
                    state: 'claimed',
                    attempts: sql`meeting_notifications.attempts + 1`,
                    claimed_at: sql`now()`,
                    last_error: null
                })
                .where((eb) =>
                    eb.or([
                        eb('meeting_notifications.state', 'in', ['failed', 'deferred']),
                        eb.and([
                            eb('meeting_notifications.state', '=', 'claimed'),
                            eb(
                                'meeting_notifications.claimed_at',
                                '<',
                                sql<Date>`now() - ${STALE_CLAIM_MINUTES} * interval '1 minute'`
                            )
                        ])
                    ])
                )
        )
        .returning('kind')
        .executeTakeFirst();
    return row !== undefined;
}

async function finish(
    deps: RepServiceDeps,
    orgId: string,
    activityId: string,
    kind: 'created' | 'completed',
    state: 'sent' | 'failed' | 'skipped' | 'deferred',
    recipients: string[],
    error: string | null
): Promise<void> {
    await deps.store.db
        .updateTable('meeting_notifications')
        .set({
            state,
            recipients: json(recipients),
            last_error: error,
            sent_at: state === 'sent' ? sql`now()` : null
        })
        .where('org_id', '=', orgId)
        .where('activity_id', '=', activityId)
        .where('kind', '=', kind)
        .execute();
}

/** The org's notification type id, looked up once per org and process (SEC-7: keyed by org). */
const typeIds = new WeakMap<object, Map<string, string>>();

function knownTypeId(deps: RepServiceDeps, orgId: string): boolean {
    return typeIds.get(deps.salesforce)?.has(orgId) ?? false;
}

async function notificationTypeId(deps: RepServiceDeps, orgId: string): Promise<string> {
    let byOrg = typeIds.get(deps.salesforce);
    if (!byOrg) typeIds.set(deps.salesforce, (byOrg = new Map()));
    const known = byOrg.get(orgId);
    if (known) return known;
    const conn = await deps.salesforce.connection(orgId);
    const found = await conn.query<{ Id: string }>(
        `SELECT Id FROM CustomNotificationType WHERE DeveloperName = '${NOTIFICATION_TYPE}' LIMIT 1`
    );
    const id = found.records[0]?.Id;
    if (!id) throw new Error(`the custom notification type ${NOTIFICATION_TYPE} is not in the org (deploy force-app)`);
    byOrg.set(orgId, id);
    return id;
}

function when(d: Date): string {
    return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Send the `created` (target: the Event) or `completed` (target: the meeting's follow-up page)
 * notification of a meeting, once.
 */
export async function notifyMeeting(
    deps: RepServiceDeps,
    orgId: string,
    activityId: string,
    kind: 'created' | 'completed',
    eventId: string | null
): Promise<NotifyResult> {
    const ctx = await meetingContext(deps, orgId, activityId);
    if (!ctx) return 'skipped';
    if (!(await claim(deps, orgId, activityId, kind))) return 'already';
    const recipients = recipientsFor(ctx, kind);
    const ids = recipients.map((r) => r.salesforceUserId as string);
    // A meeting that ended long ago (a backfill, an old calendar imported today) is not announced.
    const ended = ctx.activity.endsAt ?? ctx.activity.startsAt;
    const old = ended.getTime() < (deps.clock?.() ?? new Date()).getTime() - COMPLETED_WINDOW_DAYS * 86_400_000;
    if (ids.length === 0 || (kind === 'created' && (!eventId || old))) {
        await finish(deps, orgId, activityId, kind, 'skipped', [], null);
        return 'skipped';
    }
    try {
        const conn = await deps.salesforce.connection(orgId);
        // MATCH-13: the type lookup (once per org and process) and the action count as calls.
        await refreshLimits(deps.store, orgId, conn, { whileWaiting: false });
        if (!(await spendCalls(deps.store, orgId, knownTypeId(deps, orgId) ? 1 : 2))) {
            await finish(deps, orgId, activityId, kind, 'deferred', ids, BUDGET_REASON);
            return 'deferred';
        }
        const input: Record<string, unknown> = {
            customNotifTypeId: await notificationTypeId(deps, orgId),
            recipientIds: ids,
            title:
                kind === 'created'
                    ? `Backstory captured your meeting: ${ctx.activity.subject}`.slice(0, 250)
                    : `How did it go? ${ctx.activity.subject}`.slice(0, 250),
            body:
                kind === 'created'
                    ? `${ctx.activity.subject} (${when(ctx.activity.startsAt)}) is now in Salesforce.`
                    : `Answer the follow-up questions of ${ctx.activity.subject} (${when(ctx.activity.startsAt)}).`,
            ...(kind === 'created'
                ? { targetId: eventId }
                : { targetPageRef: followUpPageRef(FOLLOW_UPS_TAB, activityId) })
        };
        const answer = await conn.requestPost<{ isSuccess: boolean; errors: { message: string }[] | null }[]>(
            `/services/data/v${conn.version}/actions/standard/customNotificationAction`,
            { inputs: [input] }
        );
        await noteLimitInfo(deps.store, orgId, conn);
        const first = answer[0];
        if (!first?.isSuccess) throw new Error(first?.errors?.map((e) => e.message).join('; ') ?? 'not sent');
        await finish(deps, orgId, activityId, kind, 'sent', ids, null);
        return 'sent';
    } catch (error) {
        const reason = describeError(error);
        deps.logger.warn({ orgId, activityId, kind, err: reason }, 'meeting notification failed');
        await finish(deps, orgId, activityId, kind, 'failed', ids, reason);
        return 'failed';
    }
}

/**
 * After meetings end (MATCH-8): open a follow-up for each user the `completed` notification goes
 * to, then send it. Meetings of owners whose profile asks nothing (no category field, no
 * question) are marked skipped. Runs per org from the job queue; safe to run anywhere, any number
 * of times.
 */
export async function runCompletedMeetings(
    deps: RepServiceDeps,
    orgId: string,
    now: Date = deps.clock?.() ?? new Date()
): Promise<{ followUps: number; sent: number; skipped: number; failed: number; deferred: number }> {
    const db = deps.store.db;
    const since = new Date(now.getTime() - COMPLETED_WINDOW_DAYS * 86_400_000);
    const due = await db
        .selectFrom('activities')
        .select('activities.id')
        .where('activities.org_id', '=', orgId)
        .where('activities.type', '=', 'meeting')
        .where(sql<boolean>`coalesce(activities.ends_at, activities.starts_at) <= ${now.toISOString()}::timestamptz`)
        .where(sql<boolean>`coalesce(activities.ends_at, activities.starts_at) >= ${since.toISOString()}::timestamptz`)
        .where(({ not, exists, selectFrom }) =>
            not(
                exists(
                    selectFrom('meeting_notifications as n')
                        .select('n.kind')
                        .whereRef('n.org_id', '=', 'activities.org_id')
                        .whereRef('n.activity_id', '=', 'activities.id')
                        .where('n.kind', '=', 'completed')
                        .where('n.state', 'in', ['sent', 'skipped'])
                )
            )
        )
        .orderBy('activities.starts_at')
        .limit(500)
        .execute();
    const counts = { followUps: 0, sent: 0, skipped: 0, failed: 0, deferred: 0 };
    // `created` notifications of Events written lately whose process did not send them (it died).
    const written = await db
        .selectFrom('writeback_items as w')
        .select(['w.activity_id', 'w.record_id'])
        .where('w.org_id', '=', orgId)
        .where('w.operation', '=', 'upsert_event')
        .where('w.record_id', 'is not', null)
        .where('w.written_at', '>=', since)
        .where(({ not, exists, selectFrom }) =>
            not(
                exists(
                    selectFrom('meeting_notifications as n')
                        .select('n.kind')
                        .whereRef('n.org_id', '=', 'w.org_id')
                        .whereRef('n.activity_id', '=', 'w.activity_id')
                        .where('n.kind', '=', 'created')
                        .where('n.state', '!=', 'deferred')
                )
            )
        )
        .limit(500)
        .execute();
    // Once per run (a minute) while past the budget: has the allowance recovered?
    if (written.length > 0 || due.length > 0) {
        const conn = await deps.salesforce.connection(orgId);
        await refreshLimits(deps.store, orgId, conn, { whileWaiting: true });
    }
    for (const w of written) {
        if (!w.activity_id || !w.record_id) continue;
        // Past the budget: the rest waits for a later run (MATCH-13).
        if ((await notifyMeeting(deps, orgId, w.activity_id, 'created', w.record_id)) === 'deferred') {
            counts.deferred++;
            return counts;
        }
    }
    for (const { id } of due) {
        const ctx = await meetingContext(deps, orgId, id);
        if (!ctx) continue;
        if (!asksFollowUp(ctx.notifications)) {
            if (await claim(deps, orgId, id, 'completed'))
                await finish(deps, orgId, id, 'completed', 'skipped', [], null);
            counts.skipped++;
            continue;
        }
        const users = recipientsFor(ctx, 'completed');
        if (users.length > 0) {
            const inserted = await db
                .insertInto('follow_ups')
                .values(users.map((u) => ({ id: newId('fu'), org_id: orgId, activity_id: id, user_id: u.userId })))
                .onConflict((oc) => oc.columns(['org_id', 'activity_id', 'user_id']).doNothing())
                .returning('id')
                .execute();
            counts.followUps += inserted.length;
        }
        const result = await notifyMeeting(deps, orgId, id, 'completed', null);
        if (result === 'sent') counts.sent++;
        else if (result === 'failed') counts.failed++;
        else if (result === 'skipped') counts.skipped++;
        else if (result === 'deferred') {
            counts.deferred++;
            break;
        }
    }
    return counts;
}

/** The orgs whose meetings the follow-up tick looks at: every connected org (TEN-2). */
export async function orgsForFollowUps(deps: Pick<RepServiceDeps, 'store' | 'salesforce'>): Promise<string[]> {
    const out: string[] = [];
    for (const id of await listOrgIds(deps.store.db)) if (await deps.salesforce.isConnected(id)) out.push(id);
    return out;
}
