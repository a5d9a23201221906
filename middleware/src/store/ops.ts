import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

/** Reads for the operations page (OPS-1) that no other store module answers. */

export interface SyncRun {
    trigger: 'schedule' | 'on_demand' | 'enable';
    status: 'running' | 'ok' | 'error';
    startedAt: Date;
    finishedAt: Date | null;
    usersFetched: number;
    rolesFetched: number;
    created: number;
    updated: number;
    suspended: number;
    movedToTopLevel: number;
    error: string | null;
}

/** The org's latest automatic user sync run (UT-2), or null before the first. */
export async function latestSyncRun(db: Kysely<Database>, orgId: string): Promise<SyncRun | null> {
    const r = await db
        .selectFrom('user_sync_runs')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
    if (!r) return null;
    return {
        trigger: r.trigger,
        status: r.status,
        startedAt: new Date(r.started_at),
        finishedAt: r.finished_at ? new Date(r.finished_at) : null,
        usersFetched: r.users_fetched,
        rolesFetched: r.roles_fetched,
        created: r.created,
        updated: r.updated,
        suspended: r.suspended,
        movedToTopLevel: r.moved_to_top_level,
        error: r.error
    };
}

export interface NotificationCounts {
    sent: number;
    failed: number;
    skipped: number;
    sending: number;
    lastSentAt: Date | null;
    lastError: string | null;
}

/** Meeting notifications (CP-7) claimed since `since`, by state, with the latest send and failure. */
export async function notificationCounts(
    db: Kysely<Database>,
    orgId: string,
    since: Date
): Promise<NotificationCounts> {
    const row = await db
        .selectFrom('meeting_notifications')
        .select([
            sql<number>`count(*) filter (where state = 'sent')`.as('sent'),
            sql<number>`count(*) filter (where state = 'failed')`.as('failed'),
            sql<number>`count(*) filter (where state = 'skipped')`.as('skipped'),
            sql<number>`count(*) filter (where state = 'claimed')`.as('sending'),
            sql<Date | null>`max(sent_at)`.as('last_sent_at')
        ])
        .where('org_id', '=', orgId)
        .where('claimed_at', '>=', since)
        .executeTakeFirstOrThrow();
    const failure = await db
        .selectFrom('meeting_notifications')
        .select('last_error')
        .where('org_id', '=', orgId)
        .where('state', '=', 'failed')
        .where('claimed_at', '>=', since)
        .orderBy('claimed_at', 'desc')
        .limit(1)
        .executeTakeFirst();
    return {
        sent: Number(row.sent),
        failed: Number(row.failed),
        skipped: Number(row.skipped),
        sending: Number(row.sending),
        lastSentAt: row.last_sent_at ? new Date(row.last_sent_at) : null,
        lastError: failure?.last_error ?? null
    };
}
