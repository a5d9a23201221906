import { EventEmitter } from 'node:events';
import { CompiledQuery, sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { Store } from '../store/db';
import { describeError } from '../salesforce/connection';
import { pullCrm, type PullResult } from '../salesforce/crm-pull';
import { runUserSync, type UserSyncDeps } from '../services/user-sync';
import type { SyncCounts } from '../store/user-sync';
import type { FlushOptions } from '../services/writeback-flush';
import { startWritebackJobs, type WritebackJobEvents } from './writeback';

/**
 * The job queue (SPEC §1: several middleware processes may share one PostgreSQL; work is handed
 * out through a real Postgres-backed queue, never a home-made lock table): pg-boss v10.
 *
 * - On PostgreSQL pg-boss runs on the store's own pool, in its own schema.
 * - On PGlite it runs on the same embedded database through pg-boss's `db` option: each
 *   statement waits for the store's single connection (so it never lands inside someone else's
 *   transaction); statements without parameters (pg-boss's migrations, `BEGIN; …; COMMIT`)
 *   go through PGlite's multi-statement `exec`.
 *
 * Scheduling (UT-2): a pg-boss cron schedule ticks every minute; the tick enqueues one
 * `user-sync` job for each automatic-mode org whose last sync is older than its
 * `syncIntervalMinutes` (default 30, at most 30). The `user-sync` queue is `stately` and keyed
 * by org, so an org never has more than one sync queued and one running, whichever process
 * picked it up.
 *
 * The CRM replica is kept fresh the same way (MATCH-2): a second cron schedule ticks every minute
 * and enqueues one `crm-pull` job (stately, keyed by org) for each org with a connected
 * Salesforce org whose last pull is older than `crmPullIntervalMinutes` (default 10) or that was
 * never pulled. A pull is incremental, so an unchanged org costs three API calls a pull.
 */

export const TICK_QUEUE = 'user-sync-tick';
export const SYNC_QUEUE = 'user-sync';
export const TICK_CRON = '* * * * *';
export const CRM_TICK_QUEUE = 'crm-pull-tick';
export const CRM_QUEUE = 'crm-pull';
export const DEFAULT_CRM_PULL_INTERVAL_MINUTES = 10;

export interface JobEvents extends WritebackJobEvents {
    synced: [{ orgId: string; counts: SyncCounts }];
    failed: [{ orgId: string; error: string }];
    crmPulled: [{ orgId: string; result: PullResult }];
    crmPullFailed: [{ orgId: string; error: string }];
}

export interface Jobs {
    /** What the cron tick runs: enqueue a sync for every automatic org that is due. Returns their ids. */
    enqueueDueSyncs(): Promise<string[]>;
    /** What the CRM tick runs: enqueue a pull for every connected org that is due. Returns their ids. */
    enqueueDueCrmPulls(): Promise<string[]>;
    /** What the write-back tick runs: queue a run for every org with due items. Returns their ids. */
    enqueueDueWritebacks(): Promise<string[]>;
    /** Queue an org's write-back run in about `delaySeconds` (default 2). */
    schedule(orgId: string, delaySeconds?: number): Promise<void>;
    /** `synced` / `failed` after each queued sync, `crmPulled` / `crmPullFailed` after each queued pull. */
    events: EventEmitter<JobEvents>;
    boss: PgBoss;
    stop(): Promise<void>;
}

export interface JobOptions {
    /** How often idle workers look for jobs (default 2 s). */
    pollingIntervalSeconds?: number;
    /** How old an org's last CRM pull may get before the next one is queued (default 10 minutes). */
    crmPullIntervalMinutes?: number;
    /** Options of each queued write-back run (lease, poll interval). */
    writeback?: FlushOptions;
}

interface SqlResult {
    rows: unknown[];
    rowCount: number;
}

function bossDb(store: Store): { executeSql(text: string, values?: unknown[]): Promise<SqlResult> } {
    return {
        executeSql: (text, values) =>
            store.db.connection().execute(async (conn) => {
                if ((!values || values.length === 0) && store.pglite) {
                    const results = await store.pglite.exec(text);
                    const last = results.at(-1);
                    return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
                }
                const result = await conn.executeQuery(CompiledQuery.raw(text, values ?? []));
                return { rows: result.rows, rowCount: Number(result.numAffectedRows ?? result.rows.length) };
            })
    };
}

export async function startJobs(deps: UserSyncDeps, options: JobOptions = {}): Promise<Jobs> {
    const { store, logger, salesforce } = deps;
    const crmInterval = options.crmPullIntervalMinutes ?? DEFAULT_CRM_PULL_INTERVAL_MINUTES;
    if (!Number.isFinite(crmInterval) || crmInterval <= 0)
        throw new RangeError(`crmPullIntervalMinutes must be a positive number of minutes, got ${crmInterval}`);
    const events = new EventEmitter<JobEvents>();
    const boss = new PgBoss({
        db: bossDb(store),
        schema: store.schema === 'public' ? 'pgboss' : `${store.schema}_pgboss`,
        ...(options.pollingIntervalSeconds ? { pollingIntervalSeconds: options.pollingIntervalSeconds } : {})
    } as PgBoss.ConstructorOptions);
    boss.on('error', (error) => logger.error({ err: describeError(error) }, 'job queue error'));
    await boss.start();
    await boss.createQueue(TICK_QUEUE, { name: TICK_QUEUE, policy: 'singleton' });
    await boss.createQueue(SYNC_QUEUE, { name: SYNC_QUEUE, policy: 'stately', retryLimit: 2, retryDelay: 60 });
    await boss.createQueue(CRM_TICK_QUEUE, { name: CRM_TICK_QUEUE, policy: 'singleton' });
    await boss.createQueue(CRM_QUEUE, { name: CRM_QUEUE, policy: 'stately', retryLimit: 2, retryDelay: 60 });

    const enqueueDueSyncs = async (): Promise<string[]> => {
        const due = await store.db
            .selectFrom('orgs')
            .select('id')
            .where('mode', '=', 'automatic')
            .where((eb) =>
                eb.or([
                    eb('last_sync_at', 'is', null),
                    eb('last_sync_at', '<=', sql<Date>`now() - make_interval(mins => orgs.sync_interval_minutes)`)
                ])
            )
            .execute();
        for (const { id } of due) await boss.send(SYNC_QUEUE, { orgId: id }, { singletonKey: id });
        return due.map((o) => o.id);
    };

    await boss.work(TICK_QUEUE, async () => {
        await enqueueDueSyncs();
    });
    await boss.work<{ orgId: string }>(SYNC_QUEUE, async ([job]) => {
        if (!job) return;
        const { orgId } = job.data;
        const org = await store.db.selectFrom('orgs').select('mode').where('id', '=', orgId).executeTakeFirst();
        if (org?.mode !== 'automatic') return; // UT-14: back in manual mode, nothing syncs
        try {
            const counts = await runUserSync(deps, orgId, { trigger: 'schedule', actor: 'system:user-sync' });
            events.emit('synced', { orgId, counts });
        } catch (error) {
            events.emit('failed', { orgId, error: describeError(error) });
            throw error;
        }
    });
    await boss.schedule(TICK_QUEUE, TICK_CRON);

    const enqueueDueCrmPulls = async (): Promise<string[]> => {
        // Due by the database's clock, as the user sync: never pulled, or last pulled too long ago.
        const lastPull = sql<Date | null>`max(crm_pull_state.last_pull_at)`;
        const due = await store.db
            .selectFrom('orgs')
            .leftJoin('crm_pull_state', 'crm_pull_state.org_id', 'orgs.id')
            .select('orgs.id as id')
            .groupBy('orgs.id')
            .having((eb) =>
                eb.or([
                    eb(lastPull, 'is', null),
                    eb(lastPull, '<=', sql<Date>`now() - ${crmInterval} * interval '1 minute'`)
                ])
            )
            .execute();
        const queued: string[] = [];
        for (const { id } of due) {
            if (!(await salesforce.isConnected(id))) continue;
            await boss.send(CRM_QUEUE, { orgId: id }, { singletonKey: id });
            queued.push(id);
        }
        return queued;
    };
    await boss.work(CRM_TICK_QUEUE, async () => {
        await enqueueDueCrmPulls();
    });
    await boss.work<{ orgId: string }>(CRM_QUEUE, async ([job]) => {
        if (!job) return;
        const { orgId } = job.data;
        if (!(await salesforce.isConnected(orgId))) return; // disconnected since it was queued
        try {
            const result = await pullCrm(await salesforce.connection(orgId), store.db, orgId);
            events.emit('crmPulled', { orgId, result });
        } catch (error) {
            logger.warn({ orgId, err: describeError(error) }, 'scheduled CRM pull failed');
            events.emit('crmPullFailed', { orgId, error: describeError(error) });
            throw error;
        }
    });
    await boss.schedule(CRM_TICK_QUEUE, TICK_CRON);

    const writeback = await startWritebackJobs(
        boss,
        { store, salesforce, logger },
        events as unknown as EventEmitter<WritebackJobEvents>,
        { flush: options.writeback ?? {} }
    );

    return {
        enqueueDueSyncs,
        enqueueDueCrmPulls,
        enqueueDueWritebacks: writeback.enqueueDueWritebacks,
        schedule: writeback.schedule,
        events,
        boss,
        stop: async () => {
            await boss.stop({ graceful: true, close: false, wait: true, timeout: 10_000 });
        }
    };
}
