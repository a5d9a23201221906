import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { fetch } from 'undici';
import { parseEnv } from '../src/config/env';
import { startMiddleware, type RunningMiddleware } from '../src/main';
import { countByState } from '../src/store/outbox';
import { countWritten } from '../../scripts/bench/writeback-setup';
import { startTestEmulator, type TestEmulator } from './helpers/emulator';
import { insertUser } from './helpers/users';
import { ACTIVITY_SYNC_ON } from './helpers/profiles';

/**
 * SCALE-1 (not timed): a web process and two `npm run worker` processes on one PostgreSQL; the
 * worker running the write-back is killed with SIGKILL mid-run; the other finishes it. Every
 * activity is written to Salesforce exactly once (counted in the emulator by its activity id).
 */

const root = path.resolve(__dirname, '..', '..');
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = 1_200;

// On PostgreSQL only (DATABASE_URL): the roles other than `all` need a shared database.
(process.env.DATABASE_URL ? describe : describe.skip)('two workers, one killed mid-run (SCALE-1)', () => {
    const name = `t19a_kill_${randomBytes(4).toString('hex')}`;
    const key = `kill-test-key-${randomBytes(8).toString('hex')}`;
    const secret = randomBytes(32).toString('base64');
    let dbUrl: string;
    let dataDir: string;
    let sf: TestEmulator;
    let web: RunningMiddleware;
    const workers: { child: ChildProcess; output: () => string; exited: Promise<unknown> }[] = [];

    beforeAll(async () => {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`create database ${name}`);
        await admin.end();
        const u = new URL(url!);
        u.pathname = `/${name}`;
        dbUrl = u.toString();
        dataDir = mkdtempSync(path.join(tmpdir(), 'kill-19a-'));
        sf = await startTestEmulator();
        web = await startMiddleware({
            env: parseEnv({
                PORT: '0',
                DATA_DIR: dataDir,
                LOG_LEVEL: 'silent',
                DATABASE_URL: dbUrl,
                BACKSTORY_ROLE: 'web',
                BACKSTORY_SECRET_KEY: secret,
                // The first process to create a queue sets its expiry: the same for every process.
                JOB_EXPIRE_SECONDS: '5',
                WRITEBACK_LEASE_SECONDS: '10'
            }),
            apiKey: key,
            salesforceAuth: sf.integrationAuth
        });
    }, 240_000);
    afterAll(async () => {
        for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
        await Promise.all(workers.map((w) => w.exited));
        await web?.close();
        await sf?.close();
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
        rmSync(dataDir, { recursive: true, force: true });
    }, 120_000);

    const call = async (method: string, pathname: string, body?: unknown) => {
        const res = await fetch(`${web.url}${pathname}`, {
            method,
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body)
        });
        return { status: res.status, body: (await res.json()) as any };
    };

    const startWorker = async () => {
        let out = '';
        // node itself with tsx as a loader, so that SIGKILL kills the worker and not a wrapper.
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'middleware/src/worker.ts')], {
            cwd: root,
            env: {
                ...process.env,
                DATABASE_URL: dbUrl,
                BACKSTORY_ROLE: 'worker',
                BACKSTORY_API_KEY: key,
                BACKSTORY_SECRET_KEY: secret,
                DATA_DIR: dataDir,
                JOB_EXPIRE_SECONDS: '5',
                WRITEBACK_LEASE_SECONDS: '10',
                LOG_LEVEL: 'info'
            },
            stdio: ['ignore', 'pipe', 'pipe']
        });
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        const exited = new Promise((resolve) => child.once('exit', resolve));
        const w = { child, output: () => out, exited };
        workers.push(w);
        while (!out.includes('worker running')) {
            if (child.exitCode !== null) throw new Error(`the worker exited:\n${out}`);
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return w;
    };

    it('every activity is written exactly once', async () => {
        expect((await call('POST', '/v1/crm/pull')).status).toBe(200);
        const profile = await call('POST', '/v1/profiles', {
            name: 'Full sync',
            activity: ACTIVITY_SYNC_ON
        });
        expect(profile.status).toBe(201);
        const OWNER = 'casey.chen@demo.backstory.local';
        await insertUser(web.store.db, web.org.id, {
            email: OWNER,
            profileId: profile.body.id,
            salesforceUserId: sf.emu.admin.userId(OWNER)
        });
        await startWorker();
        await startWorker();
        const ids: string[] = [];
        for (let i = 0; i < N; i += 600) {
            const res = await call('POST', '/v1/activities/batch', {
                activities: Array.from({ length: 600 }, (_, j) => ({
                    externalId: `kill-${i + j}`,
                    type: (i + j) % 2 ? 'email' : 'meeting',
                    ownerEmail: OWNER,
                    subject: `Kill test ${i + j}`,
                    startsAt: '2026-11-03T15:00:00Z',
                    participants: [{ email: OWNER }, { email: `someone${i + j}@example.com` }]
                }))
            });
            expect(res.body.failed).toBe(0);
            ids.push(...res.body.results.map((r: { result: { id: string } }) => r.result.id));
        }
        // Mid-run: Salesforce has answered a first collection upsert and items are under a lease.
        const upserts = () =>
            sf.emu.admin
                .requestLog()
                .filter((r) => /\/composite\/sobjects\/(Event|Task)\/peopleai__Activity_Id__c/.test(r.path)).length;
        let owner: string | null = null;
        while (owner === null) {
            const leased = await web.store.db
                .selectFrom('writeback_items')
                .select('lease_owner')
                .where('org_id', '=', web.org.id)
                .where('lease_owner', 'is not', null)
                .where('state', '=', 'pending')
                .executeTakeFirst();
            if (leased?.lease_owner && upserts() > 0) owner = leased.lease_owner;
            else await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const pid = Number(owner.split(':')[1]);
        const victim = workers.find((w) => w.child.pid === pid);
        expect(victim).toBeDefined();
        victim!.child.kill('SIGKILL');
        await victim!.exited;
        // The other worker takes the job over once it expires and the leases run out.
        for (;;) {
            const counts = await countByState(web.store.db, web.org.id);
            if (counts.pending === 0 && counts.written >= N) break;
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
        const counted = await countWritten(await sf.login('admin@demo.backstory.local'), ids);
        expect(counted).toMatchObject({ lost: 0, duplicated: 0, distinct: N });
    }, 900_000);
});
