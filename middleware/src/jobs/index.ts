import { EventEmitter } from 'node:events';
import PgBoss from 'pg-boss';
import { checkJobOptions } from '../config/start-options';
import type { Logger } from '../logger';
import { describeError, type SalesforceGateway } from '../salesforce/connection';
import type { PullResult } from '../salesforce/crm-pull';
import { systemCaller } from '../services/caller';
import { orgsDueForCrmPullNow, pullCrmNow } from '../services/crm';
import { orgsDueForScheduledSync, runScheduledUserSync, type SyncCounts } from '../services/user-sync';
import type { FlushOptions } from '../services/writeback-flush';
import type { Store } from '../store/db';
import { queueDb, queueSchema } from '../store/queue-db';
import { startFollowUpJobs } from './meeting-notifications';
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
}

/** Register `count` workers on a queue: pg-boss v10 runs one job at a time per worker. */
async function workers<T>(boss: PgBoss, queue: string, count: number, handler: PgBoss.WorkHandler<T>): Promise<void> {
    for (let i = 0; i < count; i++) await boss.work<T>(queue, handler);
}

/** Start the queue, its workers and its minute schedules. Bad options throw StartOptionError before anything starts. */
export async function startJobs(deps: JobDeps, options: JobOptions = {}): Promise<Jobs> {
    checkJobOptions(options);
    const { store, logger } = deps;
    const crmInterval = options.crmPullIntervalMinutes ?? DEFAULT_CRM_PULL_INTERVAL_MINUTES;
    const concurrency = options.orgConcurrency ?? 4;
    const events = new EventEmitter<JobEvents>();
    const boss = new PgBoss({
        db: queueDb(store),
        schema: queueSchema(store),
        ...(options.pollingIntervalSeconds ? { pollingIntervalSeconds: options.pollingIntervalSeconds } : {})
    } as PgBoss.ConstructorOptions);
    boss.on('error', (error) => logger.error({ err: describeError(error) }, 'job queue error'));
    await boss.start();
    await boss.createQueue(TICK_QUEUE, { name: TICK_QUEUE, policy: 'singleton' });
    await boss.createQueue(SYNC_QUEUE, { name: SYNC_QUEUE, policy: 'stately', retryLimit: 2, retryDelay: 60 });
    await boss.createQueue(CRM_TICK_QUEUE, { name: CRM_TICK_QUEUE, policy: 'singleton' });
    await boss.createQueue(CRM_QUEUE, { name: CRM_QUEUE, policy: 'stately', retryLimit: 2, retryDelay: 60 });

    const enqueueDueSyncs = async (): Promise<string[]> => {
        const due = await orgsDueForScheduledSync(deps);
        for (const id of due) await boss.send(SYNC_QUEUE, { orgId: id }, { singletonKey: id });
        return due;
    };

    await boss.work(TICK_QUEUE, async () => {
        await enqueueDueSyncs();
    });
    await workers<{ orgId: string }>(boss, SYNC_QUEUE, concurrency, async ([job]) => {
        if (!job) return;
        const { orgId } = job.data;
        try {
            // UT-14 / TEN-2: skipped when back in manual mode or disconnected since it was queued.
            const counts = await runScheduledUserSync(deps, orgId);
            if (counts) events.emit('synced', { orgId, counts });
        } catch (error) {
            events.emit('failed', { orgId, error: describeError(error) });
            throw error;
        }
    });
    await boss.schedule(TICK_QUEUE, TICK_CRON);

    const enqueueDueCrmPulls = async (): Promise<string[]> => {
        // Due by the database's clock, as the user sync: never pulled, or last pulled too long ago.
        const due = await orgsDueForCrmPullNow(deps, crmInterval);
        for (const id of due) await boss.send(CRM_QUEUE, { orgId: id }, { singletonKey: id });
        return due;
    };
    await boss.work(CRM_TICK_QUEUE, async () => {
        await enqueueDueCrmPulls();
    });
    await workers<{ orgId: string }>(boss, CRM_QUEUE, concurrency, async ([job]) => {
        if (!job) return;
        const { orgId } = job.data;
        if (!(await deps.salesforce.isConnected(orgId))) return; // disconnected since it was queued
        try {
            // The same service as the on-demand pull (POST /v1/crm/pull).
            const result = await pullCrmNow(deps, systemCaller(orgId, 'crm-pull'));
            events.emit('crmPulled', { orgId, result });
        } catch (error) {
            logger.warn({ orgId, err: describeError(error) }, 'scheduled CRM pull failed');
            events.emit('crmPullFailed', { orgId, error: describeError(error) });
            throw error;
        }
    });
    await boss.schedule(CRM_TICK_QUEUE, TICK_CRON);
    await startFollowUpJobs(boss, deps, TICK_CRON);

    const writeback = await startWritebackJobs(boss, deps, events as unknown as EventEmitter<WritebackJobEvents>, {
        flush: options.writeback ?? {}
    });

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
