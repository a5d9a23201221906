import { sql } from 'kysely';
import { startJobs, SYNC_QUEUE, TICK_CRON, TICK_QUEUE, type Jobs } from '../src/jobs';
import { startTestApp, type TestApp } from './helpers/app';
import { startTestEmulator, type TestEmulator } from './helpers/emulator';
import { storeEngines } from './helpers/store';

describe.each(storeEngines)('the scheduled user sync through pg-boss on %s', (engine) => {
    let app: TestApp;
    let sf: TestEmulator;
    let jobs: Jobs;
    beforeAll(async () => {
        [app, sf] = await Promise.all([startTestApp({ engine }), startTestEmulator({ seed: 'empty' })]);
        jobs = await startJobs(app.deps, { pollingIntervalSeconds: 0.5 });
    });
    afterAll(async () => {
        await jobs.stop();
        await Promise.all([app.close(), sf.close()]);
    });

    it('UT-2 schedules a tick every minute on the job queue', async () => {
        const schedules = await jobs.boss.getSchedules();
        expect(schedules).toEqual(
            expect.arrayContaining([expect.objectContaining({ name: TICK_QUEUE, cron: TICK_CRON })])
        );
        expect((await jobs.boss.getQueue(SYNC_QUEUE))?.policy).toBe('stately');
    });

    it('UT-2 syncs automatic orgs whose last sync is older than their interval (default 30 minutes), and only those', async () => {
        const o = await app.newOrg('Scheduled', sf.integrationAuth);
        const manual = await app.newOrg('Manual', sf.integrationAuth);
        await app.call(o.apiKey, 'POST', '/v1/profiles', { name: 'Sales' });
        expect((await app.call(o.apiKey, 'PUT', '/v1/org/mode', { mode: 'automatic' })).status).toBe(200);
        // Just synced: not due.
        expect(await jobs.enqueueDueSyncs()).not.toContain(o.org.id);

        const admin = await sf.login('admin@demo.backstory.local');
        const sam = sf.emu.admin.userId('sam.patel@demo.backstory.local');
        await admin.sobject('User').update({ Id: sam, Title: 'Scheduled Title' });
        await sql`update orgs set last_sync_at = now() - interval '31 minutes' where id = ${o.org.id}`.execute(
            app.store.db
        );
        const done = new Promise<{ orgId: string; counts: unknown }>((resolve) =>
            jobs.events.on('synced', (e) => {
                if (e.orgId === o.org.id) resolve(e);
            })
        );
        const due = await jobs.enqueueDueSyncs();
        expect(due).toContain(o.org.id);
        expect(due).not.toContain(manual.org.id);
        expect((await done).counts).toEqual({ created: 0, updated: 1, suspended: 0, movedToTopLevel: 0 });
        const users = (await app.call(o.apiKey, 'GET', '/v1/users?q=sam')).body.items;
        expect(users[0].jobTitle).toBe('Scheduled Title');

        // A shorter interval (at most 30) makes the org due sooner.
        const bad = await app.call(o.apiKey, 'PATCH', '/v1/org', { syncIntervalMinutes: 45 });
        expect(bad.status).toBe(400);
        expect(
            (await app.call(o.apiKey, 'PATCH', '/v1/org', { syncIntervalMinutes: 5 })).body.syncIntervalMinutes
        ).toBe(5);
        await sql`update orgs set last_sync_at = now() - interval '6 minutes' where id = ${o.org.id}`.execute(
            app.store.db
        );
        expect(await jobs.enqueueDueSyncs()).toContain(o.org.id);
    });
});
