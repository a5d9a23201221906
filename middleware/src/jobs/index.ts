import { EventEmitter } from 'node:events';
import { CompiledQuery, sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { Store } from '../store/db';
import { describeError } from '../salesforce/connection';
import type { PullResult } from '../salesforce/crm-pull';
import { pullCrmLocked } from '../services/crm';
import { LockBusyError } from '../store/locks';
import { startFollowUpJobs } from './meeting-notifications';
import { runUserSync, type UserSyncDeps } from '../services/user-sync';
import type { SyncCounts } from '../store/user-sync';
import type { FlushOptions } from '../services/writeback-flush';
import { startWritebackJobs, type WritebackJobEvents } from './writeback';
import { takerOf, type Taker } from './taker';

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
 *
 * Tenancy (TEN-4): every job names one org and runs with that org's own stored connection. An
 * org whose connection is missing or in `error` (a revoked token, a failed refresh) is paused:
 * nothing is queued for it and a queued job ends without calling Salesforce. Each queue has
 * several workers (`orgConcurrency`), and `stately` keeps one job per org running, so one org's
 * failing, slow or rate-limited pull never holds up another org's.
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
    /** Jobs of different orgs run at once, per queue and process (default 4). */
    orgConcurrency?: number;
    /**
     * SCALE-1: take jobs and run the schedules (default true: the `worker` and `all` roles).
     * `false` (the `web` role) only sends jobs: intake asks for write-back runs that a worker does.
     */
    work?: boolean;
    /**
     * SCALE-1: seconds after which a job still active is taken for dead (its process was killed)
     * and retried by another process (default 900, JOB_EXPIRE_SECONDS). Runs are safe to repeat
     * or overlap: the CRM pull and user sync hold a per-org lock, write-back items a lease.
     */
    expireSeconds?: number;
}

/** Register `count` workers on a queue: pg-boss v10 runs one job at a time per worker. */
async function workers<T>(taker: Taker, queue: string, count: number, handler: PgBoss.WorkHandler<T>): Promise<void> {
    for (let i = 0; i < count; i++) await taker.work<T>(queue, handler);
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
    const concurrency = options.orgConcurrency ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new RangeError(`orgConcurrency must be a positive integer, got ${concurrency}`);
    const events = new EventEmitter<JobEvents>();
    const work = options.work ?? true;
    const expireSeconds = options.expireSeconds ?? 900;
    if (!Number.isInteger(expireSeconds) || expireSeconds < 1)
        throw new RangeError(`expireSeconds must be a positive integer, got ${expireSeconds}`);
    const expiry = { expireInSeconds: expireSeconds };
    const boss = new PgBoss({
        db: bossDb(store),
        schema: store.schema === 'public' ? 'pgboss' : `${store.schema}_pgboss`,
        // A web process only sends: maintenance and cron are the workers' (SCALE-1).
        ...(work ? {} : { supervise: false, schedule: false }),
        // Expired jobs are found by the maintenance pass: run it often enough to honour the expiry.
        maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.ceil(expireSeconds / 2))),
        ...(options.pollingIntervalSeconds ? { pollingIntervalSeconds: options.pollingIntervalSeconds } : {})
    } as PgBoss.ConstructorOptions);
    boss.on('error', (error) => logger.error({ err: describeError(error) }, 'job queue error'));
    await boss.start();
    const taker = takerOf(boss, work);
    await boss.createQueue(TICK_QUEUE, { name: TICK_QUEUE, policy: 'singleton' });
    await boss.createQueue(SYNC_QUEUE, {
        name: SYNC_QUEUE,
        policy: 'stately',
        retryLimit: 2,
        retryDelay: 60,
        ...expiry
    });
    await boss.createQueue(CRM_TICK_QUEUE, { name: CRM_TICK_QUEUE, policy: 'singleton' });
    await boss.createQueue(CRM_QUEUE, { name: CRM_QUEUE, policy: 'stately', retryLimit: 2, retryDelay: 60, ...expiry });

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
        const queued: string[] = [];
        for (const { id } of due) {
            if (!(await salesforce.isConnected(id))) continue; // TEN-2: paused until reconnected
            await boss.send(SYNC_QUEUE, { orgId: id }, { singletonKey: id });
            queued.push(id);
        }
        return queued;
    };

    await taker.work(TICK_QUEUE, async () => {
        await enqueueDueSyncs();
    });
    await workers<{ orgId: string }>(taker, SYNC_QUEUE, concurrency, async ([job]) => {
        if (!job) return;
        const { orgId } = job.data;
        const org = await store.db.selectFrom('orgs').select('mode').where('id', '=', orgId).executeTakeFirst();
        if (org?.mode !== 'automatic') return; // UT-14: back in manual mode, nothing syncs
        if (!(await salesforce.isConnected(orgId))) return; // TEN-2: connection in error since it was queued
        try {
            const counts = await runUserSync(deps, orgId, { trigger: 'schedule', actor: 'system:user-sync' });
            events.emit('synced', { orgId, counts });
        } catch (error) {
            // SCALE-1: an on-demand sync of this org is running in some process: it does this one's work.
            if (error instanceof LockBusyError) return;
            events.emit('failed', { orgId, error: describeError(error) });
            throw error;
        }
    });
    await taker.schedule(TICK_QUEUE, TICK_CRON);

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
    await taker.work(CRM_TICK_QUEUE, async () => {
        await enqueueDueCrmPulls();
    });
    await workers<{ orgId: string }>(taker, CRM_QUEUE, concurrency, async ([job]) => {
        if (!job) return;
        const { orgId } = job.data;
        if (!(await salesforce.isConnected(orgId))) return; // disconnected since it was queued
        try {
            const result = await pullCrmLocked(deps, orgId);
            events.emit('crmPulled', { orgId, result });
        } catch (error) {
            // SCALE-1: an on-demand pull of this org is running in some process: it does this one's work.
            if (error instanceof LockBusyError) return;
            logger.warn({ orgId, err: describeError(error) }, 'scheduled CRM pull failed');
            events.emit('crmPullFailed', { orgId, error: describeError(error) });
            throw error;
        }
    });
    await taker.schedule(CRM_TICK_QUEUE, TICK_CRON);
    await startFollowUpJobs(boss, taker, { store, salesforce, logger }, TICK_CRON, expiry);

    const writeback = await startWritebackJobs(
        boss,
        taker,
        { store, salesforce, logger },
        events as unknown as EventEmitter<WritebackJobEvents>,
        { flush: options.writeback ?? {}, expiry }
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
