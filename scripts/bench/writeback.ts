// `npm run bench:writeback`: write N matched activities (default 10,000, meetings and emails over
// at least 1,000 accounts) to the emulator through the write-back outbox and count the API calls:
// activity-write calls ÷ ceil(N/200) (target ≤ 1.05), aggregate calls separately, records/s.
// The default run keeps every write in sObject Collections (the REST path).
//   -- --backfill 100000   a first connection with that many activities waiting, through Bulk API 2.0
//                          ingest: total API calls (target ≤ 20) and records/s, beside the REST path
//                          measured in the same run over a sample (-- --baseline M, default 10,000).
//   -- --faults            UNABLE_TO_LOCK_ROW, SERVER_ERROR, REQUEST_LIMIT_EXCEEDED and SESSION_EXPIRED
//                          injected, and the worker process killed with SIGKILL mid-flush and
//                          restarted: prints lost and duplicated, counted in the emulator by
//                          peopleai__Activity_Id__c (PostgreSQL: DATABASE_URL, default the local one).
// Every counted call is printed by kind (method and path); BENCH_LOG=warn shows a Bulk job
// retried as a whole, stopped at the budget, or a result file read again.
// Figures are counts and ratios from one run; not a timed test.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { startEmulator, type EmulatorHandle } from '../../middleware/emulator';
import { openStore, type Store } from '../../middleware/src/store/db';
import { flushWriteback, type FlushOptions } from '../../middleware/src/services/writeback-flush';
import { countByState, nextDueAt } from '../../middleware/src/store/outbox';
import { adminConnection, countWritten, seedBacklog, writebackDeps } from './writeback-setup';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? (args[i + 1] ?? '') : undefined;
};
const FAULTS = args.includes('--faults');
const BACKFILL = flag('--backfill') !== undefined ? Number(flag('--backfill')) : null;
const N = BACKFILL ?? Number(flag('--n') ?? 10_000);
const ACCOUNTS = Math.max(1000, Number(flag('--accounts') ?? 1000));
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 2 });

async function openBenchStore(): Promise<{ store: Store; schema: string | null; drop(): Promise<void> }> {
    if (!FAULTS) {
        const store = await openStore({ dataDir: 'memory://' });
        return { store, schema: null, drop: () => store.close() };
    }
    const schema = `bench_wb_${randomBytes(4).toString('hex')}`;
    const store = await openStore({ databaseUrl: DATABASE_URL, schema });
    return {
        store,
        schema,
        drop: async () => {
            await store.close();
            const client = new pg.Client({ connectionString: DATABASE_URL });
            await client.connect();
            await client.query(`drop schema if exists "${schema}" cascade`);
            await client.end();
        }
    };
}

function startWorker(env: Record<string, string>): ChildProcess {
    // node itself (tsx as a loader), so that SIGKILL kills the worker and not a wrapper.
    return spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'writeback-worker.ts')], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit']
    });
}

interface Measure {
    n: number;
    seconds: number;
    totalCalls: number;
    activityCalls: number;
    bulkCalls: number;
    /** Ingest calls of Event/Task jobs (the rest are aggregate update jobs). */
    bulkActivityCalls: number;
    aggregateCalls: number;
    distinct: number;
    lost: number;
    duplicated: number;
    /** Counted calls by kind (method and path with ids left out), in the order first seen. */
    breakdown: Map<string, number>;
}

const COLLECTION_UPSERT = /\/composite\/sobjects\/(Event|Task)\/peopleai__Activity_Id__c/;

/** Flush an org's outbox until nothing is due (a transient failure is retried after its backoff). */
async function flushAll(store: Store, emulatorUrl: string, orgId: string, options: FlushOptions): Promise<void> {
    const deps = writebackDeps(store, emulatorUrl);
    let result = await flushWriteback(deps, { orgId, actor: 'bench' }, options);
    while (result.pending > 0 && !result.waiting) {
        const next = await nextDueAt(store.db, orgId);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, (next?.getTime() ?? 0) - Date.now())));
        result = await flushWriteback(deps, { orgId, actor: 'bench' }, options);
    }
    if (result.pending > 0 || result.parked > 0) {
        const sample = await store.db
            .selectFrom('writeback_items')
            .select(['operation', 'state', 'last_error'])
            .where('org_id', '=', orgId)
            .where('state', '!=', 'written')
            .limit(3)
            .execute();
        throw new Error(
            `flush left ${result.pending} pending and ${result.parked} parked, e.g. ${JSON.stringify(sample)}`
        );
    }
}

/**
 * One write-back of `n` activities on an emulator and a store of its own: the flush (in this
 * process, or a worker killed and restarted with --faults), then the counts from the emulator.
 */
async function measure(label: string, n: number, options: FlushOptions): Promise<Measure> {
    const emu = await startEmulator({ port: 0, seed: 'empty', apiRequestLimit: 50_000_000 });
    const { store, schema, drop } = await openBenchStore();
    try {
        process.stdout.write(`${label}: seeding ${fmt(n)} activities over ${fmt(ACCOUNTS)} accounts…\n`);
        const { orgId, activityIds } = await seedBacklog(emu, store, { activities: n, accounts: ACCOUNTS });
        const admin = await adminConnection(emu.url);
        emu.admin.reset();
        const t0 = performance.now();
        const hrStart = Number(process.hrtime.bigint());
        if (FAULTS) await faultyRun(emu, store, schema!, orgId, n);
        else await flushAll(store, emu.url, orgId, options);
        const seconds = (performance.now() - t0) / 1000;
        // The flush's window on the monotonic clock, to cut a --cpu-prof profile to it.
        if (process.env.BENCH_MARKS)
            process.stderr.write(`flush window µs ${Math.round(hrStart / 1000)} ${process.hrtime.bigint() / 1000n}\n`);
        const log = emu.admin.requestLog().filter((r) => r.counted);
        const result = {
            n,
            seconds,
            totalCalls: emu.admin.apiCalls(),
            activityCalls: log.filter((r) => COLLECTION_UPSERT.test(r.path)).length,
            bulkCalls: log.filter((r) => r.path.includes('/jobs/ingest')).length,
            aggregateCalls: log.filter((r) => r.method === 'PATCH' && /\/composite\/sobjects$/.test(r.path)).length
        };
        // Which ingest jobs wrote Events/Tasks (read after the count: this call is not the flush's).
        const jobs = await admin.request<{ records: { id: string; object: string }[] }>(
            `/services/data/v${admin.version}/jobs/ingest`
        );
        const activityJobs = new Set(
            jobs.records.filter((j) => j.object === 'Event' || j.object === 'Task').map((j) => j.id)
        );
        const bulkActivityCalls = log.filter((r) => {
            const job = /\/jobs\/ingest\/([A-Za-z0-9]+)/.exec(r.path)?.[1];
            // POST /jobs/ingest (no id yet): one per job, counted with the jobs below.
            return job !== undefined && activityJobs.has(job);
        }).length;
        const created = log.filter((r) => r.method === 'POST' && /\/jobs\/ingest$/.test(r.path)).length;
        const activityCreates = Math.min(created, activityJobs.size);
        const breakdown = new Map<string, number>();
        for (const r of log) breakdown.set(callKind(r), (breakdown.get(callKind(r)) ?? 0) + 1);
        const counted = await countWritten(admin, activityIds);
        return {
            ...result,
            bulkActivityCalls: bulkActivityCalls + activityCreates,
            distinct: counted.distinct,
            lost: counted.lost,
            duplicated: counted.duplicated,
            breakdown
        };
    } finally {
        await drop();
        await emu.close();
    }
}

/** A counted call's kind: method and path without the API version, record and job ids. */
function callKind(r: { method: string; path: string }): string {
    const p = r.path
        .replace(/\?.*$/, '')
        .replace(/^\/services\/data\/v[\d.]+/, '')
        .replace(/\/jobs\/ingest\/[A-Za-z0-9]{15,18}/, '/jobs/ingest/:job');
    return `${r.method} ${p}`;
}

function printBreakdown(m: Measure): void {
    for (const [kind, n] of m.breakdown) process.stdout.write(`    ${String(n).padStart(4)} × ${kind}\n`);
}

async function faultyRun(emu: EmulatorHandle, store: Store, schema: string, orgId: string, n: number): Promise<void> {
    for (const kind of ['UNABLE_TO_LOCK_ROW', 'SERVER_ERROR', 'REQUEST_LIMIT_EXCEEDED', 'SESSION_EXPIRED'] as const)
        emu.admin.injectFault({ kind, operation: 'upsert', count: 3 });
    // The REST path (sObject Collections), so that the worker dies between two collection calls.
    const env = {
        DATABASE_URL,
        BENCH_SCHEMA: schema,
        BENCH_ORG: orgId,
        BENCH_EMULATOR: emu.url,
        BENCH_BULK_THRESHOLD: 'Infinity'
    };
    const first = startWorker(env);
    const exited = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
    // Kill it with SIGKILL right after Salesforce answered about a third of the upserts: the
    // worker has records written in Salesforce that its outbox does not know are written yet.
    const upserts = () => emu.admin.requestLog().filter((r) => COLLECTION_UPSERT.test(r.path)).length;
    while (upserts() < Math.ceil(n / 200 / 3) && first.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 5));
    first.kill('SIGKILL');
    await exited;
    const leased = await store.db
        .selectFrom('writeback_items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', orgId)
        .where('lease_owner', 'is not', null)
        .executeTakeFirstOrThrow();
    process.stdout.write(
        `worker killed (SIGKILL) with ${fmt((await countByState(store.db, orgId)).written)} written and ${fmt(Number(leased.n))} items under its lease; restarting…\n`
    );
    const second = startWorker(env);
    const code = await new Promise<number | null>((resolve) => second.once('exit', (c) => resolve(c)));
    if (code !== 0) throw new Error(`the restarted worker exited with ${code}`);
}

function printLostDuplicated(m: Measure): void {
    process.stdout.write(`  lost = ${m.lost} duplicated = ${m.duplicated}\n`);
    if (m.lost !== 0 || m.duplicated !== 0 || m.distinct !== m.n) process.exitCode = 1;
}

async function main(): Promise<void> {
    // The REST path: every Event/Task in sObject Collections of 200.
    const rest: FlushOptions = { bulkThreshold: Infinity };
    if (BACKFILL === null) {
        const m = await measure('REST path', N, rest);
        const minimum = Math.ceil(N / 200);
        const ratio = m.activityCalls / minimum;
        process.stdout.write(`\nwrite-back of ${fmt(N)} activities (${fmt(ACCOUNTS)} accounts), sObject Collections\n`);
        process.stdout.write(
            `  records written: ${fmt(m.distinct)} in ${fmt(m.seconds)} s = ${fmt(m.distinct / m.seconds)} records/s\n`
        );
        process.stdout.write(
            `  activity-write calls: ${fmt(m.activityCalls)} ÷ ceil(N/200) = ${fmt(minimum)} → ${fmt(ratio)} ${
                FAULTS
                    ? "(faults injected: retried calls and the killed worker's lost batch count too)"
                    : `(target ≤ 1.05: ${ratio <= 1.05 ? 'met' : 'NOT met'})`
            }\n`
        );
        process.stdout.write(
            `  aggregate update calls: ${fmt(m.aggregateCalls)}; total API calls: ${fmt(m.totalCalls)}\n`
        );
        process.stdout.write('  calls by kind:\n');
        printBreakdown(m);
        printLostDuplicated(m);
        return;
    }
    // A backfill through Bulk API 2.0 ingest, and the REST path over a sample in the same run.
    const sample = Math.min(N, Number(flag('--baseline') ?? 10_000));
    const base = await measure('REST baseline', sample, rest);
    const bulk = await measure('backfill', N, {});
    const restRate = base.distinct / base.seconds;
    const bulkRate = bulk.distinct / bulk.seconds;
    // The REST path's Event/Task calls grow with N (one per 200); its aggregate calls follow the
    // records touched (here the same accounts and contacts), so they are not scaled.
    const restActivityForN = Math.round((base.activityCalls * N) / sample);
    const restForN = restActivityForN + base.aggregateCalls;
    const bulkActivity = bulk.bulkActivityCalls + bulk.activityCalls;
    const bulkAggregate = bulk.totalCalls - bulkActivity;
    process.stdout.write(`\nbackfill of ${fmt(N)} activities (${fmt(ACCOUNTS)} accounts), a first connection\n`);
    process.stdout.write(
        `  Bulk API 2.0: ${fmt(bulk.distinct)} records in ${fmt(bulk.seconds)} s = ${fmt(bulkRate)} records/s\n`
    );
    process.stdout.write(
        `  total API calls: ${fmt(bulk.totalCalls)} (target ≤ 20: ${bulk.totalCalls <= 20 ? 'met' : 'NOT met'})\n`
    );
    process.stdout.write(
        `    activity writes: ${fmt(bulkActivity)} (${fmt(bulk.bulkActivityCalls)} ingest calls of the Event/Task jobs, ${fmt(bulk.activityCalls)} collection upserts)\n`
    );
    process.stdout.write(
        `    aggregates (reported apart): ${fmt(bulkAggregate)} (${fmt(bulk.bulkCalls - bulk.bulkActivityCalls)} ingest calls of update jobs, ${fmt(bulk.aggregateCalls)} collection updates)\n`
    );
    process.stdout.write('  calls by kind:\n');
    printBreakdown(bulk);
    process.stdout.write(
        `  REST baseline (sObject Collections, ${fmt(sample)} of the same activities): ${fmt(restRate)} records/s, ${fmt(base.activityCalls)} upserts + ${fmt(base.aggregateCalls)} aggregate updates → for ${fmt(N)}: ${fmt(restActivityForN)} + ${fmt(base.aggregateCalls)} = ${fmt(restForN)} calls\n`
    );
    process.stdout.write(
        `  Bulk vs REST: ${fmt(restForN / Math.max(1, bulk.totalCalls))}× fewer calls, ${fmt(bulkRate / restRate)}× the records/s (same process; load-sensitive)\n`
    );
    printLostDuplicated(bulk);
    if (base.lost !== 0 || base.duplicated !== 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
