import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type { Logger } from '../logger';
import { matchActivity } from '../domain/matching/pipeline';
import type { MatchResult, Participant } from '../domain/matching/types';
import type { ActivitySettings, MatchingSettings } from '../domain/profile';
import { budgetAllowance, proposeContacts, skipReason, sobjectOf, type BudgetView } from '../domain/writeback';
import type { SalesforceGateway } from '../salesforce/connection';
import type { ReplicaLookup } from '../domain/matching/replica-index';
import { withReplica } from '../store/crm';
import type { Db } from '../store/db';
import type { Store } from '../store/db';
import {
    activityItems,
    countByState,
    enqueueItems,
    getItem,
    getSettings,
    listItems,
    requeueItem,
    setShare,
    usedToday,
    type ItemFilter,
    type ItemRow,
    type NewItem,
    type SettingsRow,
    type WritebackOperation,
    nextDueAt,
    orgsWithDueItems
} from '../store/outbox';
import type { Database } from '../store/schema';
import { setActivityMatch } from '../store/activities';

export type { ItemRow } from '../store/outbox';

/**
 * Write-back use cases (SPEC MATCH-6, 7, 12, 13): put matched activities in the durable outbox,
 * report its state, retry parked items, change the budget share. The flush itself (Salesforce
 * calls) is `services/writeback-flush.ts`.
 */

/** An outbox item as stored (the API shapes it). */
export type WritebackItem = ItemRow;

/** A plain caller: the org and who acts (for logs). */
export interface Caller {
    orgId: string;
    actor: string;
}

/** How the service asks for a flush soon (the job queue); absent: only on demand. */
export interface WritebackScheduler {
    /** Run the org's write-back in about `delaySeconds` (default: a couple of seconds). */
    schedule(orgId: string, delaySeconds?: number): Promise<void>;
}

export interface WritebackDeps {
    store: Store;
    salesforce: SalesforceGateway;
    logger: Logger;
    writebackScheduler?: WritebackScheduler | undefined;
}

export interface WrittenEvent {
    orgId: string;
    activityId: string | null;
    operation: WritebackOperation;
    sobject: string;
    recordId: string | null;
}

/**
 * `written` after each item a process wrote (in that process). Durable too: the item keeps
 * `record_id` and `written_at`, and `writtenRecord()` reads them (for any process).
 */
export const writebackEvents = new EventEmitter<{ written: [WrittenEvent] }>();

interface OwnerSettings {
    activity: ActivitySettings;
    matching: MatchingSettings;
    profileName: string;
    salesforceUserId: string | null;
}

export async function ownerSettings(
    db: Kysely<Database>,
    orgId: string,
    userId: string
): Promise<OwnerSettings | null> {
    const row = await db
        .selectFrom('users')
        .innerJoin('profiles', 'profiles.id', 'users.profile_id')
        .select(['profiles.activity', 'profiles.matching', 'profiles.name', 'users.salesforce_user_id'])
        .where('users.org_id', '=', orgId)
        .where('users.id', '=', userId)
        .executeTakeFirst();
    if (!row) return null;
    return {
        activity: row.activity as ActivitySettings,
        matching: row.matching as MatchingSettings,
        profileName: row.name,
        salesforceUserId: row.salesforce_user_id
    };
}

/**
 * Put an activity's current revision in the outbox (MATCH-6): its Event/Task upsert (or a
 * `skipped` row naming the CP-4 toggle), and, when the profile says so, contact creation and
 * contact roles. A re-sent activity rewrites the same rows. Then asks for a flush soon.
 */
export async function enqueueActivityWrite(deps: WritebackDeps, caller: Caller, activityId: string): Promise<void> {
    const db = deps.store.db;
    const a = await db
        .selectFrom('activities')
        .select(['id', 'type', 'owner_user_id', 'owner_email', 'participants'])
        .where('org_id', '=', caller.orgId)
        .where('id', '=', activityId)
        .executeTakeFirst();
    if (!a) return;
    const owner = await ownerSettings(db, caller.orgId, a.owner_user_id);
    if (!owner) return;
    const { items, pending } = await activityWriteItems(a, owner, (run) => withReplica(db, caller.orgId, run));
    await enqueueItems(db, caller.orgId, items);
    if (pending) await scheduleSoon(deps, caller.orgId);
}

/** An activity as the outbox needs it (its stored type, owner and participants). */
export interface OutboxActivity {
    id: string;
    type: 'email' | 'meeting';
    owner_email: string;
    participants: Participant[];
}

/**
 * The outbox rows of one activity revision (MATCH-6), from the owner's profile: its Event/Task
 * (or `skipped` naming the CP-4 toggle), contact creation when some participant is not in the
 * CRM, contact roles. `pending`: something is to be written.
 */
export async function activityWriteItems(
    a: OutboxActivity,
    owner: Pick<OwnerSettings, 'activity' | 'profileName'>,
    replica: <T>(run: (r: ReplicaLookup) => T) => Promise<T>
): Promise<{ items: NewItem[]; pending: boolean }> {
    const newContacts = wantsContacts(a, owner) && (await replica((r) => proposesContacts(a, r)));
    return writeItemsOf(a, owner, newContacts);
}

/** Whether the profile asks for contact creation for this activity (it is written, and Contact Creation is on). */
function wantsContacts(a: OutboxActivity, owner: Pick<OwnerSettings, 'activity' | 'profileName'>): boolean {
    return !skipReason(a.type, owner.activity, owner.profileName) && owner.activity.contactCreation;
}

/** Whether some participant of the activity is a contact to create (MATCH-12). */
export function proposesContacts(a: Pick<OutboxActivity, 'participants' | 'owner_email'>, r: ReplicaLookup): boolean {
    return proposeContacts(a.participants, a.owner_email, r).length > 0;
}

function writeItemsOf(
    a: OutboxActivity,
    owner: Pick<OwnerSettings, 'activity' | 'profileName'>,
    newContacts: boolean
): { items: NewItem[]; pending: boolean } {
    const reason = skipReason(a.type, owner.activity, owner.profileName);
    const items: NewItem[] = [
        {
            operation: a.type === 'meeting' ? 'upsert_event' : 'upsert_task',
            key: a.id,
            activityId: a.id,
            sobject: sobjectOf(a.type),
            state: reason ? 'skipped' : 'pending',
            reason
        }
    ];
    if (!reason && owner.activity.contactCreation && newContacts)
        items.push({
            operation: 'create_contact',
            key: a.id,
            activityId: a.id,
            sobject: 'Contact',
            state: 'pending'
        });
    if (!reason && owner.activity.contactRoleCreation)
        items.push({
            operation: 'create_contact_role',
            key: a.id,
            activityId: a.id,
            sobject: 'OpportunityContactRole',
            state: 'pending'
        });
    return { items, pending: !reason };
}

/**
 * SCALE-3: the outbox rows of many activities of one org in one go (batched inserts, inside the
 * caller's transaction); `scheduleWriteback` afterwards when it answers true. `newContacts`, when
 * the caller already knows it (intake computes it in its matching pass), saves the replica
 * look-up; the others are found in one pass over the replica for the whole list.
 */
export async function enqueueActivityWrites(
    db: Db,
    orgId: string,
    list: {
        activity: OutboxActivity;
        owner: Pick<OwnerSettings, 'activity' | 'profileName'>;
        newContacts?: boolean;
    }[]
): Promise<boolean> {
    const unknown = list.filter((w) => w.newContacts === undefined && wantsContacts(w.activity, w.owner));
    const found =
        unknown.length === 0
            ? new Set<string>()
            : await withReplica(
                  db,
                  orgId,
                  (r) => new Set(unknown.filter((w) => proposesContacts(w.activity, r)).map((w) => w.activity.id))
              );
    let pending = false;
    const items: NewItem[] = [];
    for (const { activity, owner, newContacts } of list) {
        const built = writeItemsOf(activity, owner, newContacts ?? found.has(activity.id));
        items.push(...built.items);
        pending ||= built.pending;
    }
    if (items.length > 0) await enqueueItems(db, orgId, items);
    return pending;
}

/** Ask the queue for a write-back run of the org soon (after a batch was stored). */
export async function scheduleWriteback(deps: WritebackDeps, orgId: string): Promise<void> {
    await scheduleSoon(deps, orgId);
}

/**
 * The hook for other features' writes to an existing record through the outbox, e.g. the
 * follow-up answers (`write_answers`: fields written to the meeting's Event once it exists).
 * `fields` are merged into the item's payload; the item waits until the activity's Event/Task
 * is written, then updates that record (one call per 200 items).
 */
export async function enqueueFieldWrite(
    deps: WritebackDeps,
    caller: Caller,
    input: {
        activityId: string;
        operation: 'write_answers';
        sobject: 'Event' | 'Task';
        fields: Record<string, unknown>;
    }
): Promise<void> {
    await enqueueItems(deps.store.db, caller.orgId, [
        {
            operation: input.operation,
            key: input.activityId,
            activityId: input.activityId,
            sobject: input.sobject,
            state: 'pending',
            payload: { fields: input.fields }
        }
    ]);
    await scheduleSoon(deps, caller.orgId);
}

/** The Salesforce Event/Task an activity was written to, and when (null: not written yet). */
export async function writtenRecord(
    deps: Pick<WritebackDeps, 'store'>,
    caller: Caller,
    activityId: string
): Promise<{ sobject: string; recordId: string; writtenAt: Date } | null> {
    const [item] = await activityItems(deps.store.db, caller.orgId, [activityId]);
    if (!item?.record_id || !item.written_at) return null;
    return { sobject: item.sobject, recordId: item.record_id, writtenAt: new Date(item.written_at) };
}

async function scheduleSoon(deps: WritebackDeps, orgId: string): Promise<void> {
    if (!deps.writebackScheduler) return;
    try {
        await deps.writebackScheduler.schedule(orgId);
    } catch (error) {
        // The minute tick picks the items up anyway: the outbox is durable.
        deps.logger.warn({ orgId, err: String(error) }, 'could not schedule the write-back');
    }
}

/** Rematch an activity with the owner's matching settings (after a contact was created or a record deleted). */
export async function rematchActivity(deps: WritebackDeps, orgId: string, activityId: string): Promise<boolean> {
    const db = deps.store.db;
    const a = await db
        .selectFrom('activities')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', activityId)
        .executeTakeFirst();
    if (!a) return false;
    const current = a.match as (MatchResult & { override?: boolean }) | null;
    if (current?.override || a.match_override) return false; // MATCH-10: a manual correction stays
    const owner = await ownerSettings(db, orgId, a.owner_user_id);
    if (!owner) return false;
    const match = await withReplica(db, orgId, (replica) =>
        matchActivity(
            {
                type: a.type,
                subject: a.subject,
                startsAt: new Date(a.starts_at).toISOString(),
                ownerEmail: a.owner_email,
                ownerSalesforceUserId: owner.salesforceUserId,
                participants: a.participants
            },
            replica,
            owner.matching
        )
    );
    await setActivityMatch(db, orgId, activityId, match);
    await enqueueActivityWrite(
        { ...deps, writebackScheduler: undefined },
        { orgId, actor: 'system:writeback' },
        activityId
    );
    return true;
}

// ------------------------------------------------------------------ reads (API.md)

export interface SyncView {
    state: 'not_synced' | 'pending' | 'written' | 'parked' | 'skipped';
    salesforceId: string | null;
    reason: string | null;
}

export function syncOf(item: ItemRow | undefined): SyncView {
    if (!item) return { state: 'not_synced', salesforceId: null, reason: null };
    const error = item.last_error;
    if (item.state === 'skipped') return { state: 'skipped', salesforceId: item.record_id, reason: item.reason };
    if (item.state === 'parked')
        return {
            state: 'parked',
            salesforceId: item.record_id,
            reason: error ? `${error.code}: ${error.message}${error.remedy ? ` — ${error.remedy}` : ''}` : null
        };
    return {
        state: item.state,
        salesforceId: item.record_id,
        reason: item.state === 'pending' && error ? `${error.code}: ${error.message} (retrying)` : null
    };
}

/** `sync` of each activity (API.md): the state of its Event/Task write. */
export async function activitySync(
    deps: Pick<WritebackDeps, 'store'>,
    caller: Caller,
    activityIds: string[]
): Promise<Map<string, SyncView>> {
    const items = await activityItems(deps.store.db, caller.orgId, activityIds);
    const byActivity = new Map(items.map((i) => [i.activity_id, i]));
    return new Map(activityIds.map((id) => [id, syncOf(byActivity.get(id))]));
}

export function budgetOf(s: SettingsRow, waiting: boolean): BudgetView {
    return {
        dailyLimit: s.daily_limit,
        remaining: s.remaining,
        share: s.max_daily_api_share,
        usedByBackstoryToday: usedToday(s),
        waiting
    };
}

/** Past the budget (MATCH-13): Backstory's calls today reached its share of the allowance. */
export function isWaiting(s: SettingsRow): boolean {
    if (s.remaining === null) return false;
    return usedToday(s) + 1 > budgetAllowance(s.max_daily_api_share, s.remaining, usedToday(s));
}

export interface WritebackStatus {
    pending: number;
    written: number;
    parked: number;
    skipped: number;
    /** Meeting notifications waiting for the budget (MATCH-13, MATCH-8). */
    deferredNotifications: number;
    lastFlushAt: string | null;
    budget: BudgetView;
}

export async function writebackStatus(deps: Pick<WritebackDeps, 'store'>, caller: Caller): Promise<WritebackStatus> {
    const db = deps.store.db;
    const [counts, settings, deferred] = await Promise.all([
        countByState(db, caller.orgId),
        getSettings(db, caller.orgId),
        db
            .selectFrom('meeting_notifications')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('org_id', '=', caller.orgId)
            .where('state', '=', 'deferred')
            .executeTakeFirstOrThrow()
    ]);
    const deferredNotifications = Number(deferred.n);
    return {
        pending: counts.pending,
        written: counts.written,
        parked: counts.parked,
        skipped: counts.skipped,
        deferredNotifications,
        lastFlushAt: settings.last_flush_at ? new Date(settings.last_flush_at).toISOString() : null,
        budget: budgetOf(settings, (counts.pending > 0 || deferredNotifications > 0) && isWaiting(settings))
    };
}

export async function listWritebackItems(
    deps: Pick<WritebackDeps, 'store'>,
    caller: Caller,
    filter: ItemFilter
): Promise<{ items: ItemRow[]; next: { updatedAt: string; id: string } | null }> {
    const rows = await listItems(deps.store.db, caller.orgId, filter);
    const items = rows.slice(0, filter.limit);
    const last = items.at(-1);
    return {
        items,
        next:
            rows.length > filter.limit && last
                ? { updatedAt: new Date(last.updated_at).toISOString(), id: last.id }
                : null
    };
}

/** Retry a parked item: back to pending, due now. 'not_found' / 'not_parked' otherwise. */
export async function retryItem(
    deps: WritebackDeps,
    caller: Caller,
    id: string
): Promise<'queued' | 'not_found' | 'not_parked'> {
    const item = await getItem(deps.store.db, caller.orgId, id);
    if (!item) return 'not_found';
    if (!(await requeueItem(deps.store.db, caller.orgId, id))) return 'not_parked';
    deps.logger.info({ orgId: caller.orgId, item: id, actor: caller.actor }, 'write-back item retried');
    await scheduleSoon(deps, caller.orgId);
    return 'queued';
}

export async function writebackSettings(deps: Pick<WritebackDeps, 'store'>, caller: Caller) {
    const s = await getSettings(deps.store.db, caller.orgId);
    return { maxDailyApiShare: s.max_daily_api_share };
}

export async function updateWritebackSettings(
    deps: WritebackDeps,
    caller: Caller,
    input: { maxDailyApiShare: number }
): Promise<{ maxDailyApiShare: number }> {
    const s = await setShare(deps.store.db, caller.orgId, input.maxDailyApiShare);
    deps.logger.info(
        { orgId: caller.orgId, actor: caller.actor, share: input.maxDailyApiShare },
        'write-back share set'
    );
    await scheduleSoon(deps, caller.orgId);
    return { maxDailyApiShare: s.max_daily_api_share };
}

/** The connected orgs with write-back items due now (the minute tick, MATCH-6; TEN-2 paused orgs left out). */
export async function orgsDueForWriteback(deps: WritebackDeps): Promise<string[]> {
    const due: string[] = [];
    for (const id of await orgsWithDueItems(deps.store.db)) if (await deps.salesforce.isConnected(id)) due.push(id);
    return due;
}

/** When the org's next pending write-back item comes due (null: nothing pending). */
export async function nextWritebackDueAt(deps: Pick<WritebackDeps, 'store'>, orgId: string): Promise<Date | null> {
    return nextDueAt(deps.store.db, orgId);
}
