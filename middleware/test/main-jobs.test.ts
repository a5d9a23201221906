import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { fetch } from 'undici';
import { parseEnv } from '../src/config/env';
import { CRM_TICK_QUEUE, TICK_CRON, TICK_QUEUE } from '../src/jobs';
import { FOLLOW_UP_TICK_QUEUE } from '../src/jobs/meeting-notifications';
import { WRITEBACK_TICK_QUEUE } from '../src/jobs/writeback';
import { startMiddleware, type RunningMiddleware } from '../src/main';
import { startTestEmulator, type TestEmulator } from './helpers/emulator';

const key = 'bsk_main-jobs-test-key-0123456789';

async function call(m: RunningMiddleware, method: string, route: string, body?: unknown) {
    const res = await fetch(`${m.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the running middleware (startMiddleware) runs the scheduled user sync (UT-2)', () => {
    let sf: TestEmulator;
    let dataDir: string;
    beforeAll(async () => {
        sf = await startTestEmulator();
    });
    afterAll(() => sf.close());
    beforeEach(() => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'backstory-main-jobs-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    const env = () => parseEnv({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });

    it('UT-2 starts the job queue with the minute tick, syncs a due automatic org through it, and stops before the store closes', async () => {
        const m = await startMiddleware({
            env: env(),
            apiKey: key,
            salesforceAuth: sf.integrationAuth,
            jobs: { pollingIntervalSeconds: 0.5 }
        });
        let closed = false;
        try {
            expect(m.jobs).not.toBeNull();
            const jobs = m.jobs!;
            expect(
                (await jobs.boss.getSchedules()).map((x) => [x.name, x.cron]).sort((a, b) => a[0]!.localeCompare(b[0]!))
            ).toEqual([
                [CRM_TICK_QUEUE, TICK_CRON],
                [FOLLOW_UP_TICK_QUEUE, TICK_CRON],
                [TICK_QUEUE, TICK_CRON],
                [WRITEBACK_TICK_QUEUE, TICK_CRON]
            ]);
            await call(m, 'POST', '/v1/profiles', { name: 'Sales' });
            expect((await call(m, 'PUT', '/v1/org/mode', { mode: 'automatic' })).status).toBe(200);

            // A change in Salesforce, and the last sync 31 minutes ago: the tick's work picks it up.
            const admin = await sf.login('admin@demo.backstory.local');
            const sam = sf.emu.admin.userId('sam.patel@demo.backstory.local');
            await admin.sobject('User').update({ Id: sam, Title: 'Synced by the schedule' });
            await sql`update orgs set last_sync_at = now() - interval '31 minutes' where id = ${m.org.id}`.execute(
                m.store.db
            );
            const synced = new Promise<unknown>((resolve) =>
                jobs.events.on('synced', (e) => {
                    if (e.orgId === m.org.id) resolve(e.counts);
                })
            );
            expect(await jobs.enqueueDueSyncs()).toEqual([m.org.id]);
            expect(await synced).toMatchObject({ updated: 1 });
            const users = (await call(m, 'GET', '/v1/users?q=sam')).body.items as { jobTitle: string }[];
            expect(users[0]!.jobTitle).toBe('Synced by the schedule');

            // The queue stops with the middleware (before its store closes): nothing polls a closed store.
            let stopped = false;
            jobs.boss.on('stopped', () => (stopped = true));
            await m.close();
            closed = true;
            expect(stopped).toBe(true);
        } finally {
            if (!closed) await m.close();
        }
    }, 120_000);

    it('MATCH-2 keeps the CRM replica fresh: a connected org never pulled (or pulled too long ago) gets a queued pull', async () => {
        // An org of its own: the API calls and sessions of the other tests here do not reach it.
        const own = await startTestEmulator();
        const m = await startMiddleware({
            env: env(),
            apiKey: key,
            salesforceAuth: own.integrationAuth,
            jobs: { pollingIntervalSeconds: 0.5, crmPullIntervalMinutes: 10 }
        });
        try {
            const jobs = m.jobs!;
            type Pulled = { objects: { object: string; state: string; pulled: number }[] };
            // The next pull whose result passes `test`: on busy cores the minute tick may run a pull
            // of its own around the test's, and that one's event must not stand in for it.
            const pulled = (test: (r: Pulled) => boolean = () => true) =>
                new Promise<Pulled>((resolve) => {
                    const listener = (e: { result: Pulled }) => {
                        if (!test(e.result)) return;
                        jobs.events.off('crmPulled', listener);
                        resolve(e.result);
                    };
                    jobs.events.on('crmPulled', listener);
                });
            // Never pulled: due. On a busy machine the minute tick, scheduled as the queue starts, may
            // have queued and finished this first pull already; then the org is no longer due, and pulled.
            const done = pulled();
            const queued = await jobs.enqueueDueCrmPulls();
            if (queued.length > 0) {
                expect(queued).toEqual([m.org.id]);
                const first = await done;
                expect(first.objects.every((o) => o.state === 'ok')).toBe(true);
            } else {
                const state = await m.store.db
                    .selectFrom('crm_pull_state')
                    .select('last_pull_at')
                    .where('org_id', '=', m.org.id)
                    .where('last_pull_at', 'is not', null)
                    .executeTakeFirst();
                expect(state).toBeDefined();
            }
            const status = (await call(m, 'GET', '/v1/crm/status')).body.objects as {
                object: string;
                records: number;
                lastPullAt: string | null;
            }[];
            expect(status.find((o) => o.object === 'Contact')!.records).toBeGreaterThan(0);
            expect(status.every((o) => o.lastPullAt !== null)).toBe(true);
            // Just pulled: not due.
            expect(await jobs.enqueueDueCrmPulls()).toEqual([]);

            // Eleven minutes later, with a new contact in Salesforce: due again, and the pull is incremental.
            const admin = await own.login('admin@demo.backstory.local');
            await admin.sobject('Contact').create({ LastName: 'Scheduled', Email: 'scheduled@pull.example.com' });
            await sql`update crm_pull_state set last_pull_at = now() - interval '11 minutes' where org_id = ${m.org.id}`.execute(
                m.store.db
            );
            const again = pulled((r) => r.objects.some((o) => o.object === 'Contact' && o.pulled > 0));
            expect(await jobs.enqueueDueCrmPulls()).toEqual([m.org.id]);
            const next = await again;
            expect(next.objects.find((o) => o.object === 'Contact')).toMatchObject({ state: 'ok', pulled: 1 });
        } finally {
            await m.close();
            await own.close();
        }
    }, 180_000);

    it('refuses a CRM pull interval that is not a positive number of minutes, naming it', async () => {
        await expect(
            startMiddleware({
                env: env(),
                apiKey: key,
                salesforceAuth: sf.integrationAuth,
                jobs: { crmPullIntervalMinutes: 0 }
            })
        ).rejects.toThrow(/crmPullIntervalMinutes/);
    }, 120_000);

    it('serves HTTP only when started with jobs: false', async () => {
        const m = await startMiddleware({ env: env(), apiKey: key, salesforceAuth: sf.integrationAuth, jobs: false });
        try {
            expect(m.jobs).toBeNull();
            expect((await call(m, 'GET', '/v1/org')).status).toBe(200);
        } finally {
            await m.close();
        }
    }, 120_000);
});
