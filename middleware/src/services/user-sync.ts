import type { Transaction } from 'kysely';
import type { Logger } from '../logger';
import { describeError, salesforceError, type SalesforceGateway } from '../salesforce/connection';
import { fetchUserChanges } from '../salesforce/users';
import type { Store } from '../store/db';
import { listRules } from '../store/rules';
import type { Database } from '../store/schema';
import { applyUserSync, finishSyncRun, startSyncRun, type SyncCounts } from '../store/user-sync';
import { withOrgLock } from '../store/locks';

export interface UserSyncDeps {
    store: Store;
    salesforce: SalesforceGateway;
    logger: Logger;
}

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
export async function runUserSync(deps: UserSyncDeps, orgId: string, options: UserSyncOptions): Promise<SyncCounts> {
    return withOrgLock(deps.store, 'user-sync', orgId, () => syncOnce(deps, orgId, options));
}

async function syncOnce(deps: UserSyncDeps, orgId: string, options: UserSyncOptions): Promise<SyncCounts> {
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
