// `npm run bench:writeback`: write N matched activities (default 10,000, meetings and emails over
// at least 1,000 accounts) to the emulator through the write-back outbox and count the API calls:
// activity-write calls ÷ ceil(N/200) (target ≤ 1.05), aggregate calls separately, records/s.
//   -- --backfill 100000   a first connection with that many activities waiting: total API calls
//                          (target ≤ 20, Bulk API 2.0 ingest) and records/s.
//   -- --faults            UNABLE_TO_LOCK_ROW, SERVER_ERROR, REQUEST_LIMIT_EXCEEDED and SESSION_EXPIRED
//                          injected, and the worker process killed with SIGKILL mid-flush and
//                          restarted: prints lost and duplicated, counted in the emulator by
//                          peopleai__Activity_Id__c (PostgreSQL: DATABASE_URL, default the local one).
// Figures are counts and ratios from one run; not a timed test.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { startEmulator } from '../../middleware/emulator';
import { openStore, type Store } from '../../middleware/src/store/db';
import { flushWriteback } from '../../middleware/src/services/writeback-flush';
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

async function main(): Promise<void> {
    const emu = await startEmulator({ port: 0, seed: 'empty', apiRequestLimit: 50_000_000 });
    const { store, schema, drop } = await openBenchStore();
    try {
        process.stdout.write(`seeding ${fmt(N)} activities over ${fmt(ACCOUNTS)} accounts…\n`);
        const { orgId, activityIds } = await seedBacklog(emu, store, { activities: N, accounts: ACCOUNTS });
        const admin = await adminConnection(emu.url);
        emu.admin.reset();
        const t0 = performance.now();
        if (FAULTS) {
            for (const kind of [
                'UNABLE_TO_LOCK_ROW',
                'SERVER_ERROR',
                'REQUEST_LIMIT_EXCEEDED',
                'SESSION_EXPIRED'
            ] as const)
                emu.admin.injectFault({ kind, operation: 'upsert', count: 3 });
            const env = {
                DATABASE_URL,
                BENCH_SCHEMA: schema!,
                BENCH_ORG: orgId,
                BENCH_EMULATOR: emu.url
            };
            const first = startWorker(env);
            const exited = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
            // Kill it with SIGKILL right after Salesforce answered about a third of the upserts: the
            // worker has records written in Salesforce that its outbox does not know are written yet.
            const upserts = () =>
                emu.admin
                    .requestLog()
                    .filter((r) => /\/composite\/sobjects\/(Event|Task)\/peopleai__Activity_Id__c/.test(r.path)).length;
            while (upserts() < Math.ceil(N / 200 / 3) && first.exitCode === null)
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
        } else {
            const deps = writebackDeps(store, emu.url);
            let result = await flushWriteback(deps, { orgId, actor: 'bench' });
            // A transient failure (a socket closed under a call) is retried after its backoff.
            while (result.pending > 0 && !result.waiting) {
                const next = await nextDueAt(store.db, orgId);
                await new Promise((resolve) => setTimeout(resolve, Math.max(0, (next?.getTime() ?? 0) - Date.now())));
                result = await flushWriteback(deps, { orgId, actor: 'bench' });
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
        const seconds = (performance.now() - t0) / 1000;
        const log = emu.admin.requestLog().filter((r) => r.counted);
        const activityCalls = log.filter((r) =>
            /\/composite\/sobjects\/(Event|Task)\/peopleai__Activity_Id__c/.test(r.path)
        ).length;
        const bulkCalls = log.filter((r) => r.path.includes('/jobs/ingest')).length;
        const aggregateCalls = log.filter((r) => r.method === 'PATCH' && /\/composite\/sobjects$/.test(r.path)).length;
        const totalCalls = emu.admin.apiCalls();
        const counted = await countWritten(admin, activityIds);
        const minimum = Math.ceil(N / 200);
        process.stdout.write(`\nwrite-back of ${fmt(N)} activities (${fmt(ACCOUNTS)} accounts)\n`);
        process.stdout.write(
            `  records written: ${fmt(counted.distinct)} in ${fmt(seconds)} s = ${fmt(counted.distinct / seconds)} records/s\n`
        );
        if (BACKFILL !== null) {
            process.stdout.write(
                `  bulk ingest calls: ${fmt(bulkCalls)}, collection upsert calls: ${fmt(activityCalls)}\n`
            );
            process.stdout.write(
                `  total API calls: ${fmt(totalCalls)} (target ≤ 20: ${totalCalls <= 20 ? 'met' : 'NOT met'})\n`
            );
            if (bulkCalls === 0)
                process.stdout.write(
                    '  (no Bulk API 2.0 ingest in this emulator: the backlog went through sObject Collections)\n'
                );
        } else {
            const ratio = activityCalls / minimum;
            process.stdout.write(
                `  activity-write calls: ${fmt(activityCalls)} ÷ ceil(N/200) = ${fmt(minimum)} → ${fmt(ratio)} ${
                    FAULTS
                        ? "(faults injected: retried calls and the killed worker's lost batch count too)"
                        : `(target ≤ 1.05: ${ratio <= 1.05 ? 'met' : 'NOT met'})`
                }\n`
            );
            process.stdout.write(
                `  aggregate update calls: ${fmt(aggregateCalls)}; total API calls: ${fmt(totalCalls)}\n`
            );
        }
        process.stdout.write(`  lost = ${counted.lost} duplicated = ${counted.duplicated}\n`);
        if (counted.lost !== 0 || counted.duplicated !== 0) process.exitCode = 1;
    } finally {
        await drop();
        await emu.close();
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
