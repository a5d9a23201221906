// `npm run bench:intake` (SCALE-3): activities end to end over HTTP (authentication, validation,
// the owner look-up, matching against the pulled replica, the activity upsert and the write-back
// outbox rows) into a running middleware, one POST /v1/activities per activity vs
// POST /v1/activities/batch of 1,000, on PGlite and on PostgreSQL (DATABASE_URL, default the
// local one; a scratch database is created and dropped). Each engine's batch figure is printed
// as a ratio against the single-call baseline measured in the same run.
//   -- --single 1000   activities sent one call each (default 1,000)
//   -- --batch 20000   activities sent in batches of 1,000 (default 20,000)
//   -- --accounts 2000 accounts (with a contact each) in the org's CRM (default 2,000)
//   -- --engines pglite,postgres
// On PostgreSQL the middleware runs as a web process (BACKSTORY_ROLE=web): each call also asks
// the job queue for a write-back run, as in production; on PGlite without the job queue. The
// write-back itself (Salesforce calls) is not part of the figure: bench:writeback measures it.
// Targets (SCALE-3): batch ≥ 5,000 activities/s on PostgreSQL, ≥ 10× the single call.
import { randomBytes } from 'node:crypto';
import { rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Agent, fetch } from 'undici';
import { startEmulator } from '../../middleware/emulator';
import { parseEnv } from '../../middleware/src/config/env';
import { startMiddleware, type RunningMiddleware } from '../../middleware/src/main';
import { defaultProfileSections } from '../../middleware/src/domain/profile-defaults';
import { newId } from '../../middleware/src/store/ids';
import { insertProfile } from '../../middleware/src/store/profiles';
import { json } from '../../middleware/src/store/schema';
import { integrationAuth } from './writeback-setup';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? (args[i + 1] ?? '') : undefined;
};
const SINGLE = Number(flag('--single') ?? 1_000);
const BATCHED = Number(flag('--batch') ?? 20_000);
const ACCOUNTS = Number(flag('--accounts') ?? 2_000);
const ENGINES = (flag('--engines') ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
const BATCH_SIZE = 1_000;
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const OWNER = 'bench.owner@demo.backstory.local';
const API_KEY = `bench-intake-${randomBytes(12).toString('hex')}`;

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 8 });

interface Figure {
    engine: string;
    mode: 'single' | 'batch';
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

async function runEngine(engine: 'pglite' | 'postgres', emulatorUrl: string): Promise<Figure[]> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-intake-'));
    const db = engine === 'postgres' ? await scratchDatabase() : null;
    const env = parseEnv({
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        ...(db ? { DATABASE_URL: db.url, BACKSTORY_ROLE: 'web' } : {})
    });
    const m = await startMiddleware({
        env,
        apiKey: API_KEY,
        salesforceAuth: integrationAuth(emulatorUrl),
        ...(db ? {} : { jobs: false as const })
    });
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
        // Warm-up (the org's match index is built on the first match), not counted.
        await call(m, '/v1/activities/batch', {
            activities: Array.from({ length: 50 }, (_, i) => activity('warm', i))
        });
        const figures: Figure[] = [];
        let t0 = performance.now();
        for (let i = 0; i < SINGLE; i++) await call(m, '/v1/activities', activity('single', i));
        figures.push({ engine, mode: 'single', activities: SINGLE, seconds: (performance.now() - t0) / 1000 });
        t0 = performance.now();
        for (let i = 0; i < BATCHED; i += BATCH_SIZE) {
            const items = Array.from({ length: Math.min(BATCH_SIZE, BATCHED - i) }, (_, j) => activity('batch', i + j));
            const answer = (await call(m, '/v1/activities/batch', { activities: items })) as { failed: number };
            if (answer.failed !== 0) throw new Error(`a batch had ${answer.failed} failed items`);
        }
        figures.push({ engine, mode: 'batch', activities: BATCHED, seconds: (performance.now() - t0) / 1000 });
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
        const expected = 50 + SINGLE + BATCHED;
        if (Number(stored.n) !== expected || Number(outbox.n) !== expected)
            throw new Error(
                `expected ${expected} activities in the store and the outbox, found ${stored.n} and ${outbox.n}`
            );
        return figures;
    } finally {
        await m.close();
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
            `intake over HTTP: ${fmt(SINGLE)} single calls, ${fmt(BATCHED)} in batches of ${fmt(BATCH_SIZE)}; ${fmt(ACCOUNTS)} accounts and contacts; ${os.cpus().length} cores\n`
        );
        const figures: Figure[] = [];
        for (const engine of ENGINES) {
            process.stdout.write(`  ${engine}…\n`);
            figures.push(...(await runEngine(engine, emu.url)));
        }
        process.stdout.write('\nengine    mode    activities  seconds  activities/s  × single (same engine)\n');
        for (const f of figures) {
            const single = figures.find((x) => x.engine === f.engine && x.mode === 'single')!;
            const rate = f.activities / f.seconds;
            const ratio = rate / (single.activities / single.seconds);
            process.stdout.write(
                `${f.engine.padEnd(9)} ${f.mode.padEnd(7)} ${fmt(f.activities).padStart(10)}  ${fmt(f.seconds).padStart(7)}  ${fmt(rate).padStart(12)}  ${fmt(ratio).padStart(6)}\n`
            );
        }
        const pgBatch = figures.find((f) => f.engine === 'postgres' && f.mode === 'batch');
        const pgSingle = figures.find((f) => f.engine === 'postgres' && f.mode === 'single');
        if (pgBatch && pgSingle) {
            const rate = pgBatch.activities / pgBatch.seconds;
            const ratio = rate / (pgSingle.activities / pgSingle.seconds);
            process.stdout.write(
                `\nPostgreSQL batch: ${fmt(rate)} activities/s (target ≥ 5,000: ${rate >= 5000 ? 'met' : 'NOT met'}), ${fmt(ratio)}× single (target ≥ 10: ${ratio >= 10 ? 'met' : 'NOT met'})\n`
            );
        }
    } finally {
        await emu.close();
        await agent.close();
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
