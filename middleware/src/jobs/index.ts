import { EventEmitter } from 'node:events';
import PgBoss from 'pg-boss';
import { checkJobOptions } from '../config/start-options';
import type { Logger } from '../logger';
import { describeError, type SalesforceGateway } from '../salesforce/connection';
import type { PullResult } from '../salesforce/crm-pull';
import { orgsDueForCrmPullNow, pullCrmLocked } from '../services/crm';
import { orgsDueForScheduledSync, runScheduledUserSync, type SyncCounts } from '../services/user-sync';
import { LockBusyError } from '../services/crm';
import type { FlushOptions } from '../services/writeback-flush';
import type { Store } from '../store/db';
import { queueDb, queueSchema } from '../store/queue-db';
import { startFollowUpJobs } from './meeting-notifications';
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

/** What every job needs: the store its queue runs on, the orgs' Salesforce connections, a logger. */
export interface JobDeps {
    store: Store;
    salesforce: SalesforceGateway;
    logger: Logger;
}

/** The job queue's options; checked by `jobOptionsSchema` (config/start-options.ts) before anything starts. */
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

/** Start the queue, its workers and its minute schedules. Bad options throw StartOptionError before anything starts. */
export async function startJobs(deps: JobDeps, options: JobOptions = {}): Promise<Jobs> {
    checkJobOptions(options);
    const { store, logger } = deps;
    const crmInterval = options.crmPullIntervalMinutes ?? DEFAULT_CRM_PULL_INTERVAL_MINUTES;
    const concurrency = options.orgConcurrency ?? 4;
    const events = new EventEmitter<JobEvents>();
    const work = options.work ?? true;
    const expireSeconds = options.expireSeconds ?? 900;
    const expiry = { expireInSeconds: expireSeconds };
    const boss = new PgBoss({
        db: queueDb(store),
        schema: queueSchema(store),
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
        const due = await orgsDueForScheduledSync(deps);
        for (const id of due) await boss.send(SYNC_QUEUE, { orgId: id }, { singletonKey: id });
        return due;
    };

    await taker.work(TICK_QUEUE, async () => {
        await enqueueDueSyncs();
    });
    await workers<{ orgId: string }>(taker, SYNC_QUEUE, concurrency, async ([job]) => {
        if (!job) return;
        const { orgId } = job.data;
        try {
            // UT-14 / TEN-2: skipped when back in manual mode or disconnected since it was queued.
            const counts = await runScheduledUserSync(deps, orgId);
            if (counts) events.emit('synced', { orgId, counts });
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
        const due = await orgsDueForCrmPullNow(deps, crmInterval);
        for (const id of due) await boss.send(CRM_QUEUE, { orgId: id }, { singletonKey: id });
        return due;
    };
    await taker.work(CRM_TICK_QUEUE, async () => {
        await enqueueDueCrmPulls();
    });
    await workers<{ orgId: string }>(taker, CRM_QUEUE, concurrency, async ([job]) => {
        if (!job) return;
        const { orgId } = job.data;
        if (!(await deps.salesforce.isConnected(orgId))) return; // disconnected since it was queued
        try {
            // The service the on-demand pull (POST /v1/crm/pull) uses, under the same per-org lock.
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
    await startFollowUpJobs(boss, taker, deps, TICK_CRON, expiry);

    // Stopping: a write-back run starts no new Salesforce call, so it ends while the store is open.
    const stopping = new AbortController();
    const writeback = await startWritebackJobs(
        boss,
        taker,
        deps,
        events as unknown as EventEmitter<WritebackJobEvents>,
        { flush: { ...options.writeback, signal: stopping.signal }, expiry }
    );

    return {
        enqueueDueSyncs,
        enqueueDueCrmPulls,
        enqueueDueWritebacks: writeback.enqueueDueWritebacks,
        schedule: writeback.schedule,
        events,
        boss,
        stop: async () => {
            stopping.abort();
            await boss.stop({ graceful: true, close: false, wait: true, timeout: 10_000 });
        }
    };
}
