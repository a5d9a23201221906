import type { Connection } from '@jsforce/jsforce-node';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { contactWithAccount, startTestEmulator, type TestEmulator } from './helpers/emulator';
import { ACTIVITY_SYNC_ON } from './helpers/profiles';

type Json = Record<string, any> & { id: string };

// UT-13 made real: users leave Pending where the events happen (the user sync, a link, activity
// intake, a write-back refused or accepted because of its owner), each move audited with its cause.
describe('UT-13 user lifecycle: pending → onboarding → active, and permission errors', () => {
    let app: TestApp;
    let sf: TestEmulator;
    let admin: Connection;
    let n = 0;
    beforeAll(async () => {
        [app, sf] = await Promise.all([startTestApp(), startTestEmulator()]);
        admin = await sf.login('admin@demo.backstory.local');
        // A real contact, so the captured activity matches and is written back.
        buyer = (await contactWithAccount(admin)).Email;
    }, 120_000);
    afterAll(async () => {
        await Promise.all([app.close(), sf.close()]);
    });

    const call = (o: TestOrg, method: string, path: string, body?: unknown) => app.call(o.apiKey, method, path, body);
    const stats = async (o: TestOrg) => (await call(o, 'GET', '/v1/users/stats')).body;
    const user = async (o: TestOrg, id: string) => (await call(o, 'GET', `/v1/users/${id}`)).body as Json;
    const statusAudit = async (o: TestOrg, id: string) =>
        ((await call(o, 'GET', `/v1/audit?entity=user&id=${id}&limit=100`)).body.items as Json[])
            .filter((e) => e.after && typeof e.after.cause === 'string')
            .map((e) => `${e.before.status}→${e.after.status}: ${e.after.cause}`)
            .reverse();
    const addUser = async (o: TestOrg, email: string, extra: Record<string, unknown> = {}) => {
        const profileId = (await call(o, 'POST', '/v1/profiles', { name: `P ${email}`, activity: ACTIVITY_SYNC_ON }))
            .body.id;
        const res = await call(o, 'POST', '/v1/users', {
            firstName: 'Test',
            lastName: email.split('@')[0],
            email,
            profileId,
            ...extra
        });
        expect(res.status).toBe(201);
        return res.body as Json;
    };
    let buyer = 'buyer@customer.example';
    const capture = async (o: TestOrg, ownerEmail: string) => {
        const res = await call(o, 'POST', '/v1/activities', {
            externalId: `life-${++n}`,
            type: 'email',
            ownerEmail,
            subject: `Follow-up ${n}`,
            startsAt: '2026-11-03T15:00:00Z',
            participants: [
                { email: ownerEmail, role: 'from' },
                { email: buyer, role: 'to' }
            ]
        });
        expect(res.status).toBe(202);
        return res.body.id as string;
    };
    const sfId = (username: string) => sf.emu.admin.userId(username);

    it('UT-13 a user added by hand is Pending; their first captured activity makes them Active, once', async () => {
        const o = await app.newOrg(`Lifecycle manual ${Date.now()}`, sf.integrationAuth);
        const u = await addUser(o, 'pat.pending@demo.example');
        expect(u.status).toBe('pending');
        expect(await stats(o)).toMatchObject({ total: 1, pending: 1, active: 0 });
        await capture(o, u.email);
        expect((await user(o, u.id)).status).toBe('active');
        await capture(o, u.email); // idempotent: no second move, no second audit record
        expect(await stats(o)).toMatchObject({ total: 1, pending: 0, onboarding: 0, active: 1 });
        expect(await statusAudit(o, u.id)).toEqual(['pending→active: an activity of theirs was captured']);
    });

    it('UT-13 the sync links users to active Salesforce users: Onboarding; the first activity: Active', async () => {
        const o = await app.newOrg(`Lifecycle automatic ${Date.now()}`, sf.integrationAuth);
        // A user added by hand in manual mode whom the sync will find by email.
        const casey = await addUser(o, 'casey.chen@demo.backstory.local');
        expect(casey.status).toBe('pending');
        expect((await call(o, 'PUT', '/v1/org/mode', { mode: 'automatic' })).status).toBe(200);
        const all = (await call(o, 'GET', '/v1/users?limit=500')).body.items as Json[];
        expect(all.length).toBeGreaterThan(3);
        expect(all.every((x) => x.status === 'onboarding')).toBe(true);
        expect(await stats(o)).toMatchObject({ total: all.length, pending: 0, onboarding: all.length, active: 0 });
        expect(await statusAudit(o, casey.id)).toEqual([]); // the sync's move is in its own update record
        expect((await user(o, casey.id)).salesforceUserId).toBe(sfId('casey.chen@demo.backstory.local'));
        await capture(o, casey.email);
        expect((await user(o, casey.id)).status).toBe('active');
        // A later sync leaves Active alone.
        expect((await call(o, 'POST', '/v1/org/sync')).status).toBe(200);
        expect((await user(o, casey.id)).status).toBe('active');
        expect(await stats(o)).toMatchObject({ onboarding: all.length - 1, active: 1 });
    });

    it('UT-13 linking by hand: an active Salesforce user gives Onboarding, an inactive one Permission Errors (asked of Salesforce when the sync never saw it), unlinking goes back', async () => {
        const o = await app.newOrg(`Lifecycle link ${Date.now()}`, sf.integrationAuth);
        // Automatic mode once (fills Backstory's view of the Salesforce users), then back to manual (UT-14).
        expect((await call(o, 'POST', '/v1/profiles', { name: 'Sales' })).status).toBe(201);
        expect((await call(o, 'PUT', '/v1/org/mode', { mode: 'automatic' })).status).toBe(200);
        expect((await call(o, 'PUT', '/v1/org/mode', { mode: 'manual' })).status).toBe(200);
        const spare = await admin.sobject('User').create({
            Username: `life${Date.now()}@demo.backstory.local`,
            Email: `life${Date.now()}@demo.backstory.local`,
            LastName: 'Inactive',
            Alias: 'inact',
            ProfileId: (await admin.query<{ Id: string }>("SELECT Id FROM Profile WHERE Name = 'Standard User'"))
                .records[0]?.Id,
            TimeZoneSidKey: 'America/Los_Angeles',
            LocaleSidKey: 'en_US',
            EmailEncodingKey: 'UTF-8',
            LanguageLocaleKey: 'en_US',
            IsActive: false
        });
        // The sync never saw this Salesforce user: Backstory asks Salesforce, which says inactive.
        const u = await addUser(o, 'lee.link@demo.example', { salesforceUserId: (spare as { id: string }).id });
        expect(u.status).toBe('permission_error');
        // Quinn is known active: Onboarding.
        const quinn = sfId('quinn.murphy@demo.backstory.local');
        const taken = (await call(o, 'GET', '/v1/users?limit=500')).body.items.find(
            (x: Json) => x.salesforceUserId === quinn
        );
        expect((await call(o, 'DELETE', `/v1/users/${taken.id}`)).status).toBe(204);
        const linked = await call(o, 'PATCH', `/v1/users/${u.id}`, { salesforceUserId: quinn });
        expect(linked.status).toBe(200);
        expect((await user(o, u.id)).status).toBe('onboarding');
        // Unlinking before any activity: back to Pending.
        expect((await call(o, 'PATCH', `/v1/users/${u.id}`, { salesforceUserId: null })).status).toBe(200);
        expect((await user(o, u.id)).status).toBe('pending');
        expect(await statusAudit(o, u.id)).toEqual([
            'permission_error→onboarding: linked to an active Salesforce user',
            'onboarding→pending: the Salesforce user link was removed'
        ]);
    });

    it('UT-13 a manual org that never synced: linking asks Salesforce (Onboarding); without a connection the link leaves Pending', async () => {
        const o = await app.newOrg(`Lifecycle never synced ${Date.now()}`, sf.integrationAuth);
        const u = await addUser(o, 'nell.never@demo.example', {
            salesforceUserId: sfId('quinn.murphy@demo.backstory.local')
        });
        expect(u.status).toBe('onboarding');
        const offline = await app.newOrg(`Lifecycle offline ${Date.now()}`);
        const v = await addUser(offline, 'otto.offline@demo.example', {
            salesforceUserId: sfId('quinn.murphy@demo.backstory.local')
        });
        expect(v.status).toBe('pending');
    });

    it('UT-13 a write-back refused because the owner is inactive in Salesforce: Permission Errors; fixed and retried: Active', async () => {
        const o = await app.newOrg(`Lifecycle write-back ${Date.now()}`, sf.integrationAuth);
        expect((await call(o, 'POST', '/v1/crm/pull')).status).toBe(200);
        const email = 'morgan.price@demo.backstory.local';
        const owner = sfId(email);
        const u = await addUser(o, email, { salesforceUserId: owner });
        expect(u.status).toBe('onboarding'); // never synced: Salesforce itself says Morgan is active
        await admin.sobject('User').update({ Id: owner, IsActive: false });
        try {
            const activityId = await capture(o, email);
            expect((await user(o, u.id)).status).toBe('active');
            const flushed = await call(o, 'POST', '/v1/writeback/flush');
            expect(flushed.status).toBe(200);
            expect(flushed.body.parked).toBeGreaterThanOrEqual(1);
            const parked = (await call(o, 'GET', '/v1/writeback/items?state=parked')).body.items as Json[];
            const item = parked.find((i) => i.activityId === activityId) ?? parked[0];
            expect(item?.lastError).toMatchObject({ code: 'INACTIVE_OWNER_OR_USER' });
            expect(item?.lastError.remedy).toContain('active Salesforce user');
            expect((await user(o, u.id)).status).toBe('permission_error');
            expect(await stats(o)).toMatchObject({ permissionErrors: 1, active: 0 });
            // Flushing again changes nothing (the item is parked; the status stays, no new audit).
            await call(o, 'POST', '/v1/writeback/flush');

            await admin.sobject('User').update({ Id: owner, IsActive: true });
            for (const i of parked)
                expect((await call(o, 'POST', `/v1/writeback/items/${i.id}/retry`)).status).toBeLessThan(300);
            const again = await call(o, 'POST', '/v1/writeback/flush');
            expect(again.body).toMatchObject({ parked: 0 });
            expect(again.body.written).toBeGreaterThanOrEqual(1);
            expect((await user(o, u.id)).status).toBe('active');
            expect(await stats(o)).toMatchObject({ permissionErrors: 0, active: 1 });
            expect(await statusAudit(o, u.id)).toEqual([
                'onboarding→active: an activity of theirs was captured',
                'active→permission_error: Salesforce refused them as the owner of a written activity',
                'permission_error→active: an activity was written to Salesforce with them as owner'
            ]);
        } finally {
            await admin.sobject('User').update({ Id: owner, IsActive: true });
        }
    });

    it('UT-13 a suspended user stays suspended whatever happens to their activity', async () => {
        const o = await app.newOrg(`Lifecycle suspended ${Date.now()}`, sf.integrationAuth);
        const u = await addUser(o, 'sue.spended@demo.example');
        expect((await call(o, 'POST', `/v1/users/${u.id}/suspend`)).status).toBe(200);
        const refused = await call(o, 'POST', '/v1/activities', {
            externalId: `life-${++n}`,
            type: 'email',
            ownerEmail: u.email,
            subject: 'x',
            startsAt: '2026-11-03T15:00:00Z',
            participants: [{ email: u.email, role: 'from' }]
        });
        expect(refused.status).toBe(409);
        expect((await user(o, u.id)).status).toBe('suspended');
        expect((await call(o, 'POST', `/v1/users/${u.id}/reactivate`)).body.status).toBe('pending');
    });
});
