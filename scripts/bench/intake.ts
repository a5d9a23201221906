// `npm run bench:intake` (SCALE-3): activities end to end over HTTP (authentication, validation,
// the owner look-up, matching against the pulled replica, the activity upsert and the write-back
// outbox rows) into a running middleware, one POST /v1/activities per activity vs
// POST /v1/activities/batch of 1,000 (one client, then `--clients` clients at once), on PGlite
// and on PostgreSQL (DATABASE_URL, default the local one; a scratch database is created and
// dropped per run). Each figure is printed as a ratio against the single-call baseline measured
// in the same run, with the same processes.
//   -- --single 1000   activities sent one call each (default 1,000)
//   -- --batch 20000   activities sent in batches of 1,000 (default 20,000), per batch mode
//   -- --clients 4     clients sending batches at once in the concurrent mode (default 4)
//   -- --accounts 2000 accounts (with a contact each) in the org's CRM (default 2,000)
//   -- --runs pglite,postgres-all,postgres-web+worker,postgres-web
// Runs: `pglite` one process without the job queue; `postgres-all` one process
// (BACKSTORY_ROLE=all: the API and the job queue, the write-back included, in this process);
// `postgres-web+worker` a web process here (BACKSTORY_ROLE=web) and `npm run worker` in a child
// process taking the jobs; `postgres-web` the web process alone (intake queues the write-back, no
// worker takes it while the clock runs: intake's own capacity on the two cores). In the first two PostgreSQL runs the write-back really runs against the
// emulator while activities come in; its throughput is bench:writeback's subject, not this one's.
// The org's match index is warmed (cached, SCALE-2) before the clock starts.
// Targets (SCALE-3): batch ≥ 5,000 activities/s on PostgreSQL, ≥ 10× the single call.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { Agent, fetch } from 'undici';
import { startEmulator } from '../../middleware/emulator';
import { parseEnv } from '../../middleware/src/config/env';
import { startMiddleware, type RunningMiddleware } from '../../middleware/src/main';
import { defaultProfileSections } from '../../middleware/src/domain/profile-defaults';
import { newId } from '../../middleware/src/store/ids';
import { insertProfile } from '../../middleware/src/store/profiles';
import { json } from '../../middleware/src/store/schema';
import { ADMIT_AFTER } from '../../middleware/src/store/replica-cache';
import { integrationAuth } from './writeback-setup';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? (args[i + 1] ?? '') : undefined;
};
const SINGLE = Number(flag('--single') ?? 1_000);
const BATCHED = Number(flag('--batch') ?? 20_000);
const ACCOUNTS = Number(flag('--accounts') ?? 2_000);
const CLIENTS = Number(flag('--clients') ?? 4);
const RUNS = (flag('--runs') ?? 'pglite,postgres-all,postgres-web+worker,postgres-web').split(',') as Run[];
type Run = 'pglite' | 'postgres-all' | 'postgres-web+worker' | 'postgres-web';
for (const r of RUNS)
    if (!['pglite', 'postgres-all', 'postgres-web+worker', 'postgres-web'].includes(r))
        throw new Error(`--runs: ${r} is not one of pglite, postgres-all, postgres-web+worker, postgres-web`);
const BATCH_SIZE = 1_000;
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const OWNER = 'bench.owner@demo.backstory.local';
const API_KEY = `bench-intake-${randomBytes(12).toString('hex')}`;
const SECRET_KEY = randomBytes(32).toString('base64');
const ROOT = path.resolve(__dirname, '..', '..');

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 16 });

/**
 * CPU seconds used so far by every PostgreSQL server process on this machine (Linux /proc:
 * utime + stime of each process named postgres, live backends included), or null elsewhere.
 */
function postgresCpuSeconds(): number | null {
    try {
        let ticks = 0;
        for (const pid of readdirSync('/proc')) {
            if (!/^\d+$/.test(pid)) continue;
            try {
                const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
                const close = stat.lastIndexOf(')');
                if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
                const fields = stat.slice(close + 2).split(' ');
                ticks += Number(fields[11]) + Number(fields[12]);
            } catch {
                // The process ended between the listing and the read.
            }
        }
        return ticks / 100;
    } catch {
        return null;
    }
}

/** Resident memory of a process, now and at its peak (Linux /proc), in MB. */
function residentMb(pid: number | 'self'): { now: number; peak: number } | null {
    try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
        return { now: kb('VmRSS'), peak: kb('VmHWM') };
    } catch {
        return null;
    }
}

interface Footprint {
    run: Run;
    /** This process: the web (or all) role, the emulator and the bench client together. */
    here: { now: number; peak: number } | null;
    worker: { now: number; peak: number } | null;
    /** Server connections to the run's database right after the concurrent clients. */
    connections: number;
    /** On-disk bytes (tables and indexes) of activities and write-back outbox, per stored activity. */
    bytesPerActivity: number;
    /** CPU per activity while the concurrent clients ran: this process's and PostgreSQL's (µs). */
    cpu: { here: number; postgres: number | null; cores: number };
}
const footprints: Footprint[] = [];

interface Figure {
    run: Run;
    mode: 'single' | 'batch' | 'batch, clients';
    activities: number;
    seconds: number;
}

function activity(run: string, i: number) {
    const k = i % ACCOUNTS;
    return {
        externalId: `${run}-${i}`,
        type: i % 2 === 0 ? 'meeting' : 'email',
        ownerEmail: OWNER,
        subject: `Bench ${i}: review with Contact ${k}`,
        startsAt: new Date(Date.parse('2026-09-01T09:00:00Z') + i * 60_000).toISOString(),
        participants: [
            { email: OWNER, role: 'from' },
            { email: `c${k}@bench-${k}.example.com`, role: 'to' },
            { email: `someone.${i}@bench-${(k + 1) % ACCOUNTS}.example.com`, role: 'cc' }
        ]
    };
}

async function call(m: RunningMiddleware, pathname: string, body: unknown): Promise<unknown> {
    const res = await fetch(`${m.url}${pathname}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: agent
    });
    const answer = (await res.json()) as unknown;
    if (res.status >= 300) throw new Error(`${pathname} answered ${res.status}: ${JSON.stringify(answer)}`);
    return answer;
}

async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
    const name = `bench_intake_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(DATABASE_URL);
    url.pathname = `/${name}`;
    return {
        url: url.toString(),
        drop: async () => {
            const c = new pg.Client({ connectionString: DATABASE_URL });
            await c.connect();
            await c.query(`drop database if exists ${name} with (force)`);
            await c.end();
        }
    };
}

/** `npm run worker` in a child process (node with tsx as a loader), ready once it says so. */
async function startWorker(env: Record<string, string>): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
    let out = '';
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'middleware/src/worker.ts')], {
        cwd: ROOT,
        env: { ...process.env, ...env, BACKSTORY_ROLE: 'worker', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe']
    });
    child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    while (!out.includes('worker running')) {
        if (child.exitCode !== null) throw new Error(`the worker exited:\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
        child,
        stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
        }
    };
}

// BACKSTORY_ROLE=all: the store closes after waiting 10 s for running jobs; a write-back run still
// going then fails, and pg-boss reports that failure (to the closed store) as an unhandled
// rejection. Nothing is lost (the items' leases run out); the bench only must not die of it.
let closing = false;
process.on('unhandledRejection', (error) => {
    if (closing && error instanceof Error && /destroyed/.test(error.message)) return;
    throw error;
});

async function runOne(run: Run, emulatorUrl: string): Promise<Figure[]> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-intake-'));
    const db = run === 'pglite' ? null : await scratchDatabase();
    const env = parseEnv({
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: process.env.BENCH_LOG ?? 'silent',
        BACKSTORY_SECRET_KEY: SECRET_KEY,
        ...(db ? { DATABASE_URL: db.url, BACKSTORY_ROLE: run === 'postgres-all' ? 'all' : 'web' } : {})
    });
    const m = await startMiddleware({
        env,
        apiKey: API_KEY,
        salesforceAuth: integrationAuth(emulatorUrl),
        ...(db ? {} : { jobs: false as const })
    });
    const worker =
        run === 'postgres-web+worker' && db
            ? await startWorker({
                  DATABASE_URL: db.url,
                  BACKSTORY_API_KEY: API_KEY,
                  BACKSTORY_SECRET_KEY: SECRET_KEY,
                  DATA_DIR: dataDir
              })
            : null;
    try {
        await call(m, '/v1/crm/pull', undefined);
        const sections = defaultProfileSections();
        sections.activity = {
            ...sections.activity,
            intakeData: true,
            displayData: true,
            pushData: true,
            emailSync: true,
            meetingSync: true,
            contactCreation: true
        };
        const profileId = await insertProfile(m.store.db, m.org.id, 'Full sync', sections);
        await m.store.db
            .insertInto('users')
            .values({
                id: newId('usr'),
                org_id: m.org.id,
                first_name: 'Bench',
                last_name: 'Owner',
                email: OWNER,
                email_key: OWNER,
                job_title: null,
                salesforce_user_id: null,
                role: 'member',
                licenses: json(['foundation']),
                visibility: 'full',
                profile_id: profileId,
                team_id: null,
                status: 'active',
                source: 'manual'
            })
            .execute();
        // Warm-up, not counted: past ADMIT_AFTER matches the org's index is built and cached (SCALE-2).
        const WARM = ADMIT_AFTER + 2;
        for (let w = 0; w < WARM; w++)
            await call(m, '/v1/activities/batch', {
                items: Array.from({ length: 50 }, (_, i) => activity(`warm${w}`, i))
            });
        const figures: Figure[] = [];
        const t0 = performance.now();
        for (let i = 0; i < SINGLE; i++) await call(m, '/v1/activities', activity('single', i));
        figures.push({ run, mode: 'single', activities: SINGLE, seconds: (performance.now() - t0) / 1000 });
        const sendBatches = async (prefix: string, clients: number) => {
            let next = 0;
            const client = async () => {
                for (;;) {
                    const i = next;
                    next += BATCH_SIZE;
                    if (i >= BATCHED) return;
                    const items = Array.from({ length: Math.min(BATCH_SIZE, BATCHED - i) }, (_, j) =>
                        activity(prefix, i + j)
                    );
                    const answer = (await call(m, '/v1/activities/batch', { items })) as { failed: number };
                    if (answer.failed !== 0) throw new Error(`a batch had ${answer.failed} failed items`);
                }
            };
            const t = performance.now();
            await Promise.all(Array.from({ length: clients }, client));
            return (performance.now() - t) / 1000;
        };
        figures.push({ run, mode: 'batch', activities: BATCHED, seconds: await sendBatches('batch', 1) });
        const cpuHere = process.cpuUsage();
        const cpuPostgres = db ? postgresCpuSeconds() : null;
        const concurrent = await sendBatches('clients', CLIENTS);
        figures.push({ run, mode: 'batch, clients', activities: BATCHED, seconds: concurrent });
        const hereSeconds = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(cpuHere));
        const postgresNow = db ? postgresCpuSeconds() : null;
        const postgresSeconds = cpuPostgres !== null && postgresNow !== null ? postgresNow - cpuPostgres : null;
        const cpu = {
            here: (hereSeconds / BATCHED) * 1e6,
            postgres: postgresSeconds === null ? null : (postgresSeconds / BATCHED) * 1e6,
            cores: (hereSeconds + (postgresSeconds ?? 0)) / concurrent
        };
        const expected = WARM * 50 + SINGLE + 2 * BATCHED;
        const connections = db
            ? Number(
                  (
                      await sql<{
                          n: number;
                      }>`select count(*)::int as n from pg_stat_activity where datname = current_database()`.execute(
                          m.store.db
                      )
                  ).rows[0]?.n ?? 0
              )
            : 0;
        const size = await sql<{
            bytes: string;
        }>`select (pg_total_relation_size('activities') + pg_total_relation_size('writeback_items'))::text as bytes`.execute(
            m.store.db
        );
        footprints.push({
            run,
            bytesPerActivity: Number(size.rows[0]?.bytes ?? 0) / expected,
            here: residentMb('self'),
            worker: worker?.child.pid ? residentMb(worker.child.pid) : null,
            connections,
            cpu
        });
        // Everything is there: the activities and their outbox rows.
        const stored = await m.store.db
            .selectFrom('activities')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('org_id', '=', m.org.id)
            .executeTakeFirstOrThrow();
        const outbox = await m.store.db
            .selectFrom('writeback_items')
            .select((eb) => eb.fn.count<number>('activity_id').distinct().as('n'))
            .where('org_id', '=', m.org.id)
            .executeTakeFirstOrThrow();
        if (Number(stored.n) !== expected || Number(outbox.n) !== expected)
            throw new Error(
                `expected ${expected} activities in the store and the outbox, found ${stored.n} and ${outbox.n}`
            );
        return figures;
    } finally {
        await worker?.stop();
        closing = true;
        await m.close();
        closing = false;
        await db?.drop();
        rmSync(dataDir, { recursive: true, force: true });
    }
}

async function main(): Promise<void> {
    const emu = await startEmulator({ port: 0, seed: 'empty', apiRequestLimit: 50_000_000 });
    try {
        const accounts = emu.admin.insertRecords(
            'Account',
            Array.from({ length: ACCOUNTS }, (_, i) => ({ Name: `Bench ${i}`, Website: `bench-${i}.example.com` }))
        );
        emu.admin.insertRecords(
            'Contact',
            accounts.map((a, i) => ({
                LastName: `Contact ${i}`,
                Email: `c${i}@bench-${i}.example.com`,
                AccountId: a.Id
            }))
        );
        process.stdout.write(
            `intake over HTTP: ${fmt(SINGLE)} single calls, ${fmt(BATCHED)} in batches of ${fmt(BATCH_SIZE)} from one client and from ${CLIENTS} at once; ${fmt(ACCOUNTS)} accounts and contacts; ${os.cpus().length} cores; load ${os
                .loadavg()
                .map((l) => l.toFixed(1))
                .join(' ')}\n`
        );
        const figures: Figure[] = [];
        for (const run of RUNS) {
            process.stdout.write(`  ${run}…\n`);
            figures.push(...(await runOne(run, emu.url)));
        }
        process.stdout.write(
            `\nrun                  mode                activities  seconds  activities/s  × single (same run)\n`
        );
        for (const f of figures) {
            const single = figures.find((x) => x.run === f.run && x.mode === 'single')!;
            const rate = f.activities / f.seconds;
            const ratio = rate / (single.activities / single.seconds);
            const mode = f.mode === 'batch, clients' ? `batch, ${CLIENTS} clients` : f.mode;
            process.stdout.write(
                `${f.run.padEnd(20)} ${mode.padEnd(18)} ${fmt(f.activities).padStart(10)}  ${fmt(f.seconds).padStart(7)}  ${fmt(rate).padStart(12)}  ${fmt(ratio).padStart(6)}\n`
            );
        }
        const rate = (run: Run, mode: Figure['mode']) => {
            const f = figures.find((x) => x.run === run && x.mode === mode);
            return f ? f.activities / f.seconds : null;
        };
        const all = rate('postgres-all', 'batch, clients');
        const split = rate('postgres-web+worker', 'batch, clients');
        if (all !== null && split !== null)
            process.stdout.write(
                `\nPostgreSQL, ${CLIENTS} clients: web + worker ${fmt(split)} activities/s = ${fmt(split / all)}× one process (${fmt(all)})\n`
            );
        for (const run of ['postgres-all', 'postgres-web+worker', 'postgres-web'] as const) {
            const single = rate(run, 'single');
            const best = Math.max(rate(run, 'batch') ?? 0, rate(run, 'batch, clients') ?? 0);
            if (single === null || best === 0) continue;
            process.stdout.write(
                `${run}: batch ${fmt(best)} activities/s (target ≥ 5,000: ${best >= 5000 ? 'met' : 'NOT met'}), ${fmt(best / single)}× single (target ≥ 10: ${best / single >= 10 ? 'met' : 'NOT met'})\n`
            );
        }
        const fmtMb = (r: { now: number; peak: number } | null) =>
            r ? `${fmt(r.now)} MB (peak ${fmt(r.peak)} MB)` : 'n/a';
        for (const f of footprints)
            process.stdout.write(
                `${f.run}: this process (the ${f.run.startsWith('postgres-web') ? 'web role' : 'middleware'}, the emulator and the client) ${fmtMb(f.here)}${f.worker ? `; worker ${fmtMb(f.worker)}` : ''}${f.connections ? `; ${f.connections} connections to the database after ${CLIENTS} clients` : ''}; ${fmt(f.bytesPerActivity / 1024)} KB on disk per activity with its outbox rows\n`
            );
        for (const f of footprints)
            process.stdout.write(
                `${f.run}: CPU per activity with ${CLIENTS} clients: this process ${fmt(f.cpu.here)} µs${f.cpu.postgres === null ? '' : `, PostgreSQL ${fmt(f.cpu.postgres)} µs`}${f.run === 'postgres-web+worker' ? ' (the worker not counted)' : ''}; ${fmt(f.cpu.cores)} of ${os.cpus().length} cores busy\n`
            );
        process.stdout.write(
            `load at the end: ${os
                .loadavg()
                .map((l) => l.toFixed(1))
                .join(' ')}\n`
        );
    } finally {
        await emu.close();
        await agent.close();
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
