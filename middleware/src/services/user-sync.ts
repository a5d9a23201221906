import type { Transaction } from 'kysely';
import { describeError, salesforceError } from '../salesforce/connection';
import { fetchUserChanges } from '../salesforce/users';
import { findOrg } from '../store/orgs';
import { listRules } from '../store/rules';
import type { Database } from '../store/schema';
import { applyUserSync, finishSyncRun, orgsDueForUserSync, startSyncRun, type SyncCounts } from '../store/user-sync';
import { withOrgLock } from '../store/locks';
import type { ServiceDeps } from './deps';

export type { SyncCounts } from '../store/user-sync';

export interface UserSyncOptions {
    trigger: 'schedule' | 'on_demand' | 'enable';
    actor: string;
    /** Enabling automatic mode: replace the hand-made hierarchy (UT-3). */
    replace?: boolean;
    /** Runs first inside the apply transaction (the mode switch commits with the sync or not at all). */
    before?: (trx: Transaction<Database>) => Promise<void>;
}

/**
 * One run of the automatic user sync (UT-2): read what changed in Salesforce as the integration
 * user (three queries, 2,000-row pages), then apply it in one transaction. A Salesforce failure
 * changes nothing and surfaces as 502 `salesforce_error`.
 */
/**
 * SCALE-1: one user sync per org at a time across processes (the scheduled job and the on-demand
 * run alike); a second one while it runs throws LockBusyError.
 */
export async function runUserSync(deps: ServiceDeps, orgId: string, options: UserSyncOptions): Promise<SyncCounts> {
    return withOrgLock(deps.store, 'user-sync', orgId, () => syncOnce(deps, orgId, options));
}

async function syncOnce(deps: ServiceDeps, orgId: string, options: UserSyncOptions): Promise<SyncCounts> {
    const db = deps.store.db;
    await listRules(db, orgId); // the catch-all exists before the first user is created (USR-7)
    const org = await db
        .selectFrom('orgs')
        .select(['user_sync_watermark', 'role_sync_watermark'])
        .where('id', '=', orgId)
        .executeTakeFirstOrThrow();
    const runId = await startSyncRun(db, orgId, options.trigger);
    let fetched;
    try {
        const conn = await deps.salesforce.connection(orgId);
        fetched = await fetchUserChanges(conn, { users: org.user_sync_watermark, roles: org.role_sync_watermark });
    } catch (error) {
        await finishSyncRun(db, runId, { error: describeError(error) });
        deps.logger.warn({ orgId, err: describeError(error) }, 'user sync: reading Salesforce failed');
        throw salesforceError(error, 'Reading users and roles from Salesforce failed');
    }
    try {
        const counts = await db.transaction().execute(async (trx) => {
            await options.before?.(trx);
            return applyUserSync(trx, orgId, fetched, { replace: options.replace ?? false, actor: options.actor });
        });
        await finishSyncRun(db, runId, {
            counts,
            usersFetched: fetched.users.length,
            rolesFetched: fetched.roles.length
        });
        deps.logger.info(
            { orgId, trigger: options.trigger, ...counts, usersFetched: fetched.users.length },
            'user sync done'
        );
        return counts;
    } catch (error) {
        await finishSyncRun(db, runId, { error: describeError(error) });
        throw error;
    }
}

/** The orgs the scheduled sync should run for now (UT-2): automatic, due, and connected (TEN-2). */
export async function orgsDueForScheduledSync(deps: ServiceDeps): Promise<string[]> {
    const due: string[] = [];
    for (const id of await orgsDueForUserSync(deps.store.db)) if (await deps.salesforce.isConnected(id)) due.push(id); // TEN-2: paused until reconnected
    return due;
}

/**
 * The scheduled sync of one org (UT-2), as a queued job runs it: nothing when the org went back to
 * manual mode (UT-14) or its connection went to error (TEN-2) since it was queued. Null: skipped.
 */
export async function runScheduledUserSync(deps: ServiceDeps, orgId: string): Promise<SyncCounts | null> {
    const org = await findOrg(deps.store.db, orgId);
    if (org?.mode !== 'automatic') return null;
    if (!(await deps.salesforce.isConnected(orgId))) return null;
    return runUserSync(deps, orgId, { trigger: 'schedule', actor: 'system:user-sync' });
}
