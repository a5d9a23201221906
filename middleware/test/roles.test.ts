import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { fetch } from 'undici';
import { parseEnv } from '../src/config/env';
import { startMiddleware } from '../src/main';
import { startTestApp } from './helpers/app';

/** SCALE-1: roles, the worker entry point, HOST and GET /readyz. */

const root = path.resolve(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const KEY = `roles-test-key-${randomBytes(8).toString('hex')}`;

function withoutDatabase(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const { DATABASE_URL: _ignored, ...rest } = env;
    return rest;
}

/** Run an entry point to its exit; answers its code and what it printed. */
function runToExit(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
        let output = '';
        const child = spawn(process.execPath, [tsx, script], {
            cwd: root,
            // Only the database the test names: CI's DATABASE_URL must not turn a refusal into a running worker.
            env: { ...withoutDatabase(process.env), LOG_LEVEL: 'silent', ...env },
            stdio: ['ignore', 'pipe', 'pipe']
        });
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('exit', (code) => resolve({ code, output }));
    });
}

describe('SCALE-1 process roles', () => {
    let dataDir: string;
    beforeAll(() => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'roles-19a-'));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('a bad BACKSTORY_ROLE stops start-up naming the variable, before the store is opened', async () => {
        const { code, output } = await runToExit('middleware/src/server.ts', {
            BACKSTORY_ROLE: 'scheduler',
            BACKSTORY_API_KEY: KEY,
            DATA_DIR: dataDir
        });
        expect(code).toBe(78);
        expect(output).toMatch(/BACKSTORY_ROLE: must be web, worker or all/);
        expect(existsSync(path.join(dataDir, 'pglite'))).toBe(false);
    }, 120_000);

    it('npm run worker refuses another role, and a worker without PostgreSQL, naming BACKSTORY_ROLE', async () => {
        const other = await runToExit('middleware/src/worker.ts', {
            BACKSTORY_ROLE: 'web',
            DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
            BACKSTORY_API_KEY: KEY,
            DATA_DIR: dataDir
        });
        expect(other.code).toBe(78);
        expect(other.output).toMatch(/BACKSTORY_ROLE: is web, but this command starts the worker role/);
        const alone = await runToExit('middleware/src/worker.ts', { BACKSTORY_API_KEY: KEY, DATA_DIR: dataDir });
        expect(alone.code).toBe(78);
        expect(alone.output).toMatch(/BACKSTORY_ROLE: worker needs DATABASE_URL/);
        expect(existsSync(path.join(dataDir, 'pglite'))).toBe(false);
    }, 300_000);

    it('GET /readyz answers 200 while the database answers and 503 naming database when it does not', async () => {
        const app = await startTestApp();
        const ok = await fetch(`${app.url}/readyz`);
        expect(ok.status).toBe(200);
        expect(await ok.json()).toEqual({ status: 'ready' });
        await app.store.close(); // the database goes away under a running process
        const down = await fetch(`${app.url}/readyz`);
        expect(down.status).toBe(503);
        expect(((await down.json()) as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe(
            'database'
        );
        await app.close().catch(() => undefined);
    }, 120_000);

    const url = process.env.DATABASE_URL;
    (url ? describe : describe.skip)('on PostgreSQL', () => {
        const name = `t19a_roles_${randomBytes(4).toString('hex')}`;
        let dbUrl: string;
        beforeAll(async () => {
            const admin = new pg.Client({ connectionString: url });
            await admin.connect();
            await admin.query(`create database ${name}`);
            await admin.end();
            const u = new URL(url!);
            u.pathname = `/${name}`;
            dbUrl = u.toString();
        });
        afterAll(async () => {
            const admin = new pg.Client({ connectionString: url });
            await admin.connect();
            await admin.query(`drop database if exists ${name} with (force)`);
            await admin.end();
        });
        const env = (over: Record<string, string>) =>
            parseEnv({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: dbUrl, ...over });

        it('web serves the API on HOST and takes no jobs; worker serves only /healthz and /readyz on HEALTH_PORT', async () => {
            const web = await startMiddleware({
                env: env({ BACKSTORY_ROLE: 'web', HOST: '127.0.0.1' }),
                apiKey: KEY,
                salesforceAuth: null
            });
            const worker = await startMiddleware({
                env: env({ BACKSTORY_ROLE: 'worker', HEALTH_PORT: '0' }),
                apiKey: KEY,
                salesforceAuth: null
            });
            try {
                expect(web.role).toBe('web');
                expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
                expect((await fetch(`${web.url}/readyz`)).status).toBe(200);
                const org = await fetch(`${web.url}/v1/org`, { headers: { authorization: `Bearer ${KEY}` } });
                expect(org.status).toBe(200);
                // The web process sends jobs; only the worker takes them.
                const job = await web.jobs!.boss.send('writeback', { orgId: 'org_none' }, { singletonKey: 'x' });
                expect(job).toBeTruthy();
                expect(worker.role).toBe('worker');
                expect(worker.url).not.toBe('');
                expect(await (await fetch(`${worker.url}/readyz`)).json()).toEqual({ status: 'ready' });
                expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
                expect((await fetch(`${worker.url}/v1/org`)).status).toBe(404);
                // The worker took the job (it finds no such org and ends it).
                for (;;) {
                    const state = await worker.jobs!.boss.getJobById('writeback', job!);
                    if (state?.state === 'completed') break;
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
            } finally {
                await web.close();
                await worker.close();
            }
        }, 180_000);

        it('a worker without HEALTH_PORT listens on nothing', async () => {
            const worker = await startMiddleware({
                env: env({ BACKSTORY_ROLE: 'worker' }),
                apiKey: KEY,
                salesforceAuth: null
            });
            try {
                expect(worker.url).toBe('');
                expect(worker.port).toBe(0);
            } finally {
                await worker.close();
            }
        }, 180_000);
    });
});
