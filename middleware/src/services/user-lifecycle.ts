import { sql, type Kysely, type Transaction } from 'kysely';
import { usersWithActivity } from '../store/activities';
import { lifecycleCause, needsActivityFact, nextStatus, type LifecycleEvent } from '../domain/user-lifecycle';
import type { Database } from '../store/schema';
import type { ServiceDeps } from './deps';
import { recordAuditMany, type AuditRow } from '../store/users';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Apply one UT-13 lifecycle event to users, inside the caller's transaction: lock the rows, move
 * the ones whose status the rules change, and audit each move with its cause. Idempotent: users
 * already where the event takes them are left alone (no write, no audit). Returns how many moved.
 */
export async function applyLifecycleEvent(
    trx: Db,
    orgId: string,
    actor: string,
    userIds: readonly string[],
    event: LifecycleEvent
): Promise<number> {
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return 0;
    const rows = await trx
        .selectFrom('users')
        .select(['id', 'status'])
        .where('org_id', '=', orgId)
        .where('id', 'in', ids)
        .orderBy('id')
        .forUpdate()
        .execute();
    const askActivity = rows.filter((r) => needsActivityFact(r.status, event)).map((r) => r.id);
    const withActivity = await usersWithActivity(trx, orgId, askActivity);
    const cause = lifecycleCause(event);
    const audit: AuditRow[] = [];
    const byStatus = new Map<string, string[]>();
    for (const row of rows) {
        const next = nextStatus(row.status, event, { hasActivity: withActivity.has(row.id) });
        if (next === row.status) continue;
        byStatus.set(next, [...(byStatus.get(next) ?? []), row.id]);
        audit.push({
            entity: 'user',
            entityId: row.id,
            action: 'update',
            before: { status: row.status },
            after: { status: next, cause }
        });
    }
    for (const [status, moved] of byStatus)
        await trx
            .updateTable('users')
            .set({ status: status as (typeof rows)[number]['status'], updated_at: sql`now()` })
            .where('org_id', '=', orgId)
            .where('id', 'in', moved)
            .execute();
    await recordAuditMany(trx, orgId, actor, audit);
    return audit.length;
}

/** Whether Backstory has seen this Salesforce user, and active (the sync's mirror), or null. */
export async function salesforceUserActive(trx: Db, orgId: string, salesforceUserId: string): Promise<boolean | null> {
    const row = await trx
        .selectFrom('sf_users')
        .select('is_active')
        .where('org_id', '=', orgId)
        .where('id', '=', salesforceUserId)
        .executeTakeFirst();
    return row ? row.is_active : null;
}

/**
 * UT-13: whether the Salesforce user an admin links is active. Backstory's copy from the last user
 * sync answers first; a user it has never seen (a manual-mode org that never synced) is asked of
 * Salesforce as the integration user, one query. Null when Salesforce cannot say: the org is not
 * connected, the query fails, or no such user exists; the link then leaves the status alone.
 */
export async function linkedUserActive(
    deps: ServiceDeps,
    orgId: string,
    salesforceUserId: string
): Promise<boolean | null> {
    const known = await salesforceUserActive(deps.store.db, orgId, salesforceUserId);
    if (known !== null) return known;
    if (!(await deps.salesforce.isConnected(orgId))) return null;
    try {
        const conn = await deps.salesforce.connection(orgId);
        const found = await conn.query<{ IsActive: boolean }>(
            `SELECT IsActive FROM User WHERE Id = '${salesforceUserId.replace(/[^A-Za-z0-9]/g, '')}'`
        );
        return found.records[0]?.IsActive ?? null;
    } catch (error) {
        deps.logger.warn({ orgId, err: error }, 'UT-13: could not read the linked Salesforce user');
        return null;
    }
}
