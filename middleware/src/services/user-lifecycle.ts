import { sql, type Kysely, type Transaction } from 'kysely';
import { usersWithActivity } from '../store/activities';
import { lifecycleCause, needsActivityFact, nextStatus, type LifecycleEvent } from '../domain/user-lifecycle';
import type { Database } from '../store/schema';
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
