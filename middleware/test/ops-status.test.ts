import type { Connection } from '@jsforce/jsforce-node';
import { sql } from 'kysely';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { revokeFieldAccess, startTestEmulator, type TestEmulator } from './helpers/emulator';
import { insertUser } from './helpers/users';
import { ACTIVITY_SYNC_ON } from './helpers/profiles';

// OPS-1: GET /v1/ops/status against the real middleware (PGlite) and the emulator's demo org:
// each area's health, produced by the jobs themselves (a pull with an unreadable field, a write
// the org's validation rule refuses, a user sync), and the Retry that takes a parked item out.

const OWNER = 'casey.chen@demo.backstory.local';

interface OpsStatus {
    connection: { health: string; status: string; username: string | null; lastError: string | null };
    crmPull: {
        health: string;
        lastPullAt: string | null;
        objects: {
            object: string;
            state: string;
            records: number;
            missingFields: { field: string; required: boolean; remedy: string }[];
        }[];
    };
    userSync: { health: string; mode: string; lastRun: null | Record<string, unknown> };
    writeback: {
        health: string;
        pending: number;
        written: number;
        parked: number;
        parkedItems: { id: string; code: string | null; reason: string | null; remedy: string | null }[];
    };
    apiBudget: {
        health: string;
        dailyLimit: number | null;
        remaining: number | null;
        usedByOrg: number | null;
        allowance: number | null;
        usedByBackstoryToday: number;
        percentUsed: number | null;
    };
    notifications: { health: string; sent: number; failed: number; lastError: string | null; windowHours: number };
}

describe('the operations status (OPS-1)', () => {
    let app: TestApp;
    let sf: TestEmulator;
    let org: TestOrg;
    let admin: Connection;
    let n = 0;

    const status = async (o: TestOrg = org, headers: Record<string, string> = {}) => {
        const res = await app.call(o.apiKey, 'GET', '/v1/ops/status', undefined, headers);
        expect(res.status).toBe(200);
        return res.body as OpsStatus;
    };
    const ok = async (method: string, path: string, body?: unknown) => {
        const res = await app.call(org.apiKey, method, path, body);
        expect(res.status).toBeLessThan(300);
        return res.body;
    };

    const meeting = async () =>
        (await ok('POST', '/v1/activities', {
            externalId: `ops-${++n}`,
            type: 'meeting',
            ownerEmail: OWNER,
            subject: `Ops review ${n}`,
            startsAt: '2026-11-03T15:00:00Z',
            endsAt: '2026-11-03T16:00:00Z',
            participants: [{ email: OWNER, role: 'organizer' }]
        })) as { id: string };

    const revokeField = (field: string) => revokeFieldAccess(admin, sf.emu.demo.integrationUser.id, field);

    beforeAll(async () => {
        app = await startTestApp();
        sf = await startTestEmulator();
        org = await app.newOrg('Operations org', sf.integrationAuth);
        admin = await sf.login('admin@demo.backstory.local');
        const profile = await ok('POST', '/v1/profiles', { name: 'Ops sync', activity: ACTIVITY_SYNC_ON });
        await insertUser(app.store.db, org.org.id, {
            email: OWNER,
            profileId: profile.id,
            salesforceUserId: sf.emu.admin.userId(OWNER)
        });
    }, 120_000);
    afterAll(async () => {
        await sf.close();
        await app.close();
    });
    afterEach(() => sf.emu.admin.clearFaults());

    it('OPS-1 an org where nothing has run yet: not connected, objects pending, sync idle, queue empty, budget unknown', async () => {
        const fresh = await app.newOrg('Unconnected org');
        const s = await status(fresh);
        expect(s.connection).toMatchObject({ health: 'warning', status: 'not_connected', username: null });
        expect(s.crmPull.health).toBe('warning');
        expect(s.crmPull.objects.map((o) => o.state)).toEqual(s.crmPull.objects.map(() => 'pending'));
        expect(s.userSync).toMatchObject({ health: 'idle', mode: 'manual', lastRun: null });
        expect(s.writeback).toMatchObject({ health: 'ok', pending: 0, parked: 0, parkedItems: [] });
        expect(s.apiBudget).toMatchObject({ health: 'idle', dailyLimit: null, allowance: null, percentUsed: null });
        expect(s.notifications).toMatchObject({ health: 'idle', sent: 0, failed: 0, windowHours: 24 });
    });

    it('OPS-1 only admins see it: a member acting user gets 403; without a key 401', async () => {
        const member = await insertUser(app.store.db, org.org.id, { role: 'member' });
        const res = await app.call(org.apiKey, 'GET', '/v1/ops/status', undefined, {
            'x-acting-user': member.salesforceUserId
        });
        expect(res.status).toBe(403);
        expect((await app.call('nope', 'GET', '/v1/ops/status')).status).toBe(401);
    });

    it('OPS-1 PERM-5 the connection names the integration user; a blocked object lists the unreadable field with its remedy', async () => {
        const restore = await revokeField('Opportunity.StageName');
        try {
            await ok('POST', '/v1/crm/pull');
        } finally {
            await restore();
        }
        const s = await status();
        expect(s.connection).toMatchObject({ health: 'ok', status: 'connected', lastError: null });
        expect(s.connection.username).toBe(sf.emu.demo.integrationUser.username);
        const opp = s.crmPull.objects.find((o) => o.object === 'Opportunity')!;
        expect(opp.state).toBe('blocked');
        expect(opp.missingFields).toEqual([expect.objectContaining({ field: 'StageName', required: true })]);
        expect(opp.missingFields[0]!.remedy).toContain('Object Settings > Opportunity');
        expect(opp.missingFields[0]!.remedy).toContain('Read Access for StageName');
        expect(s.crmPull.health).toBe('error');
        expect(s.crmPull.objects.find((o) => o.object === 'Account')).toMatchObject({ state: 'ok' });
        expect(s.crmPull.lastPullAt).not.toBeNull();

        // Readable again: the next pull resumes and the area is healthy.
        await ok('POST', '/v1/crm/pull');
        const after = await status();
        expect(after.crmPull.objects.find((o) => o.object === 'Opportunity')).toMatchObject({
            state: 'ok',
            missingFields: []
        });
        expect(after.crmPull.health).toBe('ok');
    });

    it('OPS-1 PERM-7 a write the org refuses is parked with reason and remedy; Retry takes it out; the budget reads as numbers', async () => {
        sf.emu.admin.injectFault({
            kind: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            object: 'Event',
            count: 50,
            message: 'Meetings need a next step',
            field: 'Description'
        });
        const activity = await meeting();
        const flushed = await ok('POST', '/v1/writeback/flush');
        expect(flushed.parked).toBe(1);

        const s = await status();
        expect(s.writeback).toMatchObject({ health: 'error', parked: 1 });
        const [item] = s.writeback.parkedItems;
        expect(item).toMatchObject({ code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' });
        expect(item!.reason).toContain('Meetings need a next step');
        expect(item!.remedy).toContain("$Profile.Name != 'Backstory Integration User'");
        const items = await ok('GET', `/v1/writeback/items?activityId=${activity.id}&state=parked`);
        expect(items.items.map((i: { id: string }) => i.id)).toEqual([item!.id]);

        // The flush read the org's limits: the gauge has numbers, consistent with each other.
        const b = s.apiBudget;
        expect(b.dailyLimit).toBeGreaterThan(0);
        expect(b.usedByOrg).toBe(b.dailyLimit! - b.remaining!);
        expect(b.usedByBackstoryToday).toBeGreaterThan(0);
        expect(b.allowance).toBe(Math.floor(0.5 * (b.remaining! + b.usedByBackstoryToday)));
        expect(b.percentUsed).toBeCloseTo((100 * b.usedByBackstoryToday) / b.allowance!, 1);
        expect(b.health).toBe('ok');

        sf.emu.admin.clearFaults();
        expect((await app.call(org.apiKey, 'POST', `/v1/writeback/items/${item!.id}/retry`)).status).toBe(202);
        const retried = await status();
        expect(retried.writeback.parkedItems).toEqual([]);
        expect(retried.writeback).toMatchObject({ parked: 0, pending: 1, health: 'ok' });
        await ok('POST', '/v1/writeback/flush');
        expect((await status()).writeback).toMatchObject({ pending: 0, parked: 0 });
    });

    it('OPS-1 UT-2 the user sync shows its last run and what it changed', async () => {
        // Automatic mode needs a profile besides the default (made above).
        await ok('PUT', '/v1/org/mode', { mode: 'automatic' });
        const s = await status();
        expect(s.userSync).toMatchObject({ health: 'ok', mode: 'automatic' });
        expect(s.userSync.lastRun).toMatchObject({ trigger: 'enable', status: 'ok', error: null });
        expect(s.userSync.lastRun!.usersFetched).toBeGreaterThan(0);
        const synced = await ok('POST', '/v1/org/sync');
        expect((await status()).userSync.lastRun).toMatchObject({ trigger: 'on_demand', ...synced });
    });

    it('OPS-1 notifications count the last 24 hours by state, with the latest failure', async () => {
        const at = (hoursAgo: number) => sql<Date>`now() - ${hoursAgo} * interval '1 hour'`;
        const row = (activity: string, state: string, hoursAgo: number, error: string | null = null) =>
            sql`insert into meeting_notifications (org_id, activity_id, kind, state, last_error, claimed_at, sent_at)
                values (${org.org.id}, ${activity}, 'created', ${state}, ${error}, ${at(hoursAgo)},
                        ${state === 'sent' ? at(hoursAgo) : null})
                on conflict (org_id, activity_id, kind) do update set state = excluded.state,
                    last_error = excluded.last_error, claimed_at = excluded.claimed_at, sent_at = excluded.sent_at`.execute(
                app.store.db
            );
        // Meetings first (intake may notify for them itself), then the counts before and after
        // rows as the notification job leaves them (CP-7), at chosen times.
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) ids.push((await meeting()).id);
        const before = (await status()).notifications;
        await row(ids[0]!, 'sent', 1);
        await row(ids[1]!, 'sent', 2);
        await row(ids[2]!, 'failed', 3, 'custom notification type not found');
        await row(ids[3]!, 'sent', 30); // outside the window
        const s = await status();
        expect(s.notifications).toMatchObject({
            health: 'warning',
            sent: before.sent + 2,
            failed: before.failed + 1,
            lastError: 'custom notification type not found'
        });
    });
});
