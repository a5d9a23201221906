import type { Connection } from '@jsforce/jsforce-node';
import { pullCrm } from '../src/salesforce/crm-pull';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { revokeFieldAccess, startTestEmulator, type TestEmulator } from './helpers/emulator';
import { insertUser } from './helpers/users';

interface ObjectResult {
    object: string;
    state: string;
    pulled: number;
    deleted: number;
    missingRequiredFields: string[];
    skippedRecommendedFields: string[];
    mode: string | null;
    records?: number;
    watermark?: string | null;
}

describe('CRM pull into the replica against the emulator (MATCH-2, PERM-5)', () => {
    let app: TestApp;
    let sf: TestEmulator;
    let org: TestOrg;
    let admin: Connection;
    beforeAll(async () => {
        app = await startTestApp();
    });
    beforeEach(async () => {
        sf = await startTestEmulator();
        org = await app.newOrg('Pull org', sf.integrationAuth);
        admin = await sf.login('admin@demo.backstory.local');
    });
    afterEach(() => sf.close());
    afterAll(() => app.close());

    const pull = async (): Promise<Map<string, ObjectResult>> => {
        const res = await app.call(org.apiKey, 'POST', '/v1/crm/pull');
        expect(res.status).toBe(200);
        return new Map((res.body.objects as ObjectResult[]).map((o) => [o.object, o]));
    };
    const status = async (): Promise<Map<string, ObjectResult>> => {
        const res = await app.call(org.apiKey, 'GET', '/v1/crm/status');
        expect(res.status).toBe(200);
        return new Map((res.body.objects as ObjectResult[]).map((o) => [o.object, o]));
    };
    const replicaRow = (object: string, id: string) =>
        app.store.db
            .selectFrom('crm_records')
            .select('data')
            .where('org_id', '=', org.org.id)
            .where('object', '=', object)
            .where('id', '=', id)
            .executeTakeFirst();
    const count = async (soql: string) => (await admin.query(soql)).totalSize;

    const revokeField = (field: string) => revokeFieldAccess(admin, sf.emu.demo.integrationUser.id, field);

    it('MATCH-2 the first pull replicates every object; the status shows records and watermarks', async () => {
        const before = await status();
        expect(before.get('Contact')).toMatchObject({ state: 'pending', records: 0, watermark: null });
        const first = await pull();
        for (const o of first.values())
            expect(o).toMatchObject({ state: 'ok', missingRequiredFields: [], mode: 'full' });
        expect(first.get('Contact')!.pulled).toBe(await count('SELECT COUNT() FROM Contact'));
        expect(first.get('Opportunity')!.pulled).toBe(await count('SELECT COUNT() FROM Opportunity'));
        const after = await status();
        expect(after.get('Lead')!.records).toBe(await count('SELECT COUNT() FROM Lead'));
        expect(after.get('OpportunityContactRole')!.records).toBeGreaterThan(0);
        expect(after.get('User')!.records).toBeGreaterThan(1);
        expect(after.get('Account')!.watermark).toMatch(/^\d{4}-\d\d-\d\dT/);
        // The manifest's fields, and compound addresses through their components.
        const account = (await admin.query<{ Id: string }>('SELECT Id FROM Account LIMIT 1')).records[0]!;
        const row = await replicaRow('Account', account.Id);
        expect(row?.data).toEqual(
            expect.objectContaining({
                Name: expect.any(String),
                Website: expect.any(String),
                OwnerId: expect.any(String)
            })
        );
        expect(Object.keys(row!.data)).toEqual(
            expect.arrayContaining(['Website', 'Industry', 'SystemModstamp', 'IsDeleted'])
        );
        expect(Object.keys(row!.data)).not.toContain('BillingAddress');
        expect(Object.keys(row!.data)).not.toContain('attributes');
    });

    it('MATCH-2 a pull of an unchanged org costs three API calls, whatever its size', async () => {
        await pull();
        sf.emu.admin.resetApiCalls();
        const unchanged = await pull();
        for (const o of unchanged.values()) expect(o).toMatchObject({ state: 'ok', pulled: 0, deleted: 0 });
        const small = sf.emu.admin.apiCalls();
        expect(small).toBe(3);
        // Ten times the contacts: the change costs its pages, the next unchanged pull costs the same.
        const accountId = (await admin.query<{ Id: string }>('SELECT Id FROM Account LIMIT 1')).records[0]!.Id;
        sf.emu.admin.insertRecords(
            'Contact',
            Array.from({ length: 4500 }, (_, i) => ({
                LastName: `Bulk ${i}`,
                Email: `bulk${i}@bulk.example.com`,
                AccountId: accountId
            }))
        );
        expect((await pull()).get('Contact')!.pulled).toBe(4500);
        sf.emu.admin.resetApiCalls();
        await pull();
        expect(sf.emu.admin.apiCalls()).toBe(small);
    });

    it('MATCH-2 incremental: updates and inserts are pulled, deletions (queryAll) leave the replica', async () => {
        await pull();
        const [c1, c2] = (await admin.query<{ Id: string }>('SELECT Id FROM Contact ORDER BY Email LIMIT 2')).records;
        await admin.sobject('Contact').update({ Id: c1!.Id, Email: 'moved@newdomain.example.com' });
        const created = (await admin
            .sobject('Contact')
            .create({ LastName: 'Newman', Email: 'new@acme.example.com' })) as {
            id: string;
        };
        const roles = await count(`SELECT COUNT() FROM OpportunityContactRole WHERE ContactId = '${c2!.Id}'`);
        await admin.sobject('Contact').destroy(c2!.Id);
        const next = await pull();
        expect(next.get('Contact')).toMatchObject({ state: 'ok', mode: 'incremental', pulled: 2, deleted: 1 });
        expect(next.get('OpportunityContactRole')!.deleted).toBe(roles);
        expect(next.get('Account')).toMatchObject({ pulled: 0, deleted: 0 });
        expect((await replicaRow('Contact', c1!.Id))?.data.Email).toBe('moved@newdomain.example.com');
        expect(await replicaRow('Contact', created.id)).toBeDefined();
        expect(await replicaRow('Contact', c2!.Id)).toBeUndefined();
        // Replaying (an unchanged pull) changes nothing.
        expect((await pull()).get('Contact')).toMatchObject({ pulled: 0, deleted: 0 });
    });

    it('PERM-5 an unreadable required field blocks that object, naming it, and the pull resumes once it is readable', async () => {
        await pull();
        const restore = await revokeField('Opportunity.StageName');
        const opp = (await admin.query<{ Id: string }>('SELECT Id FROM Opportunity LIMIT 1')).records[0]!;
        await admin.sobject('Opportunity').update({ Id: opp.Id, Amount: 123456 });

        const blocked = await pull();
        expect(blocked.get('Opportunity')).toMatchObject({
            state: 'blocked',
            missingRequiredFields: ['StageName'],
            pulled: 0
        });
        expect(blocked.get('Account')!.state).toBe('ok');
        expect((await status()).get('Opportunity')).toMatchObject({
            state: 'blocked',
            missingRequiredFields: ['StageName']
        });
        expect((await replicaRow('Opportunity', opp.Id))?.data.Amount).not.toBe(123456);
        // Still blocked on the next pull.
        expect((await pull()).get('Opportunity')!.state).toBe('blocked');

        await restore();
        const resumed = await pull();
        expect(resumed.get('Opportunity')).toMatchObject({
            state: 'ok',
            missingRequiredFields: [],
            mode: 'incremental'
        });
        expect(resumed.get('Opportunity')!.pulled).toBeGreaterThanOrEqual(1);
        expect((await replicaRow('Opportunity', opp.Id))?.data.Amount).toBe(123456);
        expect((await status()).get('Opportunity')!.state).toBe('ok');
    });

    it('PERM-5 an unreadable recommended field is skipped with a warning, and pulled again once readable', async () => {
        await pull();
        const restore = await revokeField('Account.Industry');
        const degraded = await pull();
        expect(degraded.get('Account')).toMatchObject({
            state: 'ok',
            skippedRecommendedFields: expect.arrayContaining(['Industry'])
        });
        const account = (await admin.query<{ Id: string }>('SELECT Id FROM Account LIMIT 1')).records[0]!;
        expect((await replicaRow('Account', account.Id))?.data).not.toHaveProperty('Industry');
        await restore();
        const restored = await pull();
        expect(restored.get('Account')).toMatchObject({ state: 'ok', mode: 'full' });
        expect(restored.get('Account')!.skippedRecommendedFields).not.toContain('Industry');
        expect((await replicaRow('Account', account.Id))?.data).toHaveProperty('Industry');
    });

    it('MATCH-2 a large first pull goes through Bulk API 2.0 with typed values', async () => {
        const conn = await sf.login();
        sf.emu.admin.resetApiCalls();
        const result = await pullCrm(conn, app.store.db, org.org.id, { bulkThreshold: 10, bulkPollIntervalMs: 10 });
        const contacts = result.objects.find((o) => o.object === 'Contact')!;
        expect(contacts).toMatchObject({
            state: 'ok',
            mode: 'bulk',
            pulled: await count('SELECT COUNT() FROM Contact')
        });
        expect(sf.emu.admin.requestLog().some((r) => r.path.includes('/jobs/query'))).toBe(true);
        const lead = (await admin.query<{ Id: string }>('SELECT Id FROM Lead LIMIT 1')).records[0]!;
        const row = await replicaRow('Lead', lead.Id);
        expect(row?.data.IsConverted).toBe(false);
        const opp = (await admin.query<{ Id: string }>('SELECT Id FROM Opportunity WHERE Amount != null LIMIT 1'))
            .records[0]!;
        expect(typeof (await replicaRow('Opportunity', opp.Id))?.data.Amount).toBe('number');
        // Then incremental through REST.
        const again = await pullCrm(conn, app.store.db, org.org.id, { bulkThreshold: 10 });
        expect(again.objects.find((o) => o.object === 'Contact')).toMatchObject({ mode: 'incremental', pulled: 0 });
    });

    it('CP-2 the pull and its status are for admins only; without a connected org the pull is a 409', async () => {
        const member = await insertUser(app.store.db, org.org.id, { role: 'member' });
        const asMember = { 'x-acting-user': member.salesforceUserId };
        expect((await app.call(org.apiKey, 'POST', '/v1/crm/pull', undefined, asMember)).status).toBe(403);
        expect((await app.call(org.apiKey, 'GET', '/v1/crm/status', undefined, asMember)).status).toBe(403);
        const bare = await app.newOrg('No Salesforce');
        const res = await app.call(bare.apiKey, 'POST', '/v1/crm/pull');
        expect(res.status).toBe(409);
        expect(res.body.error.code).toBe('conflict');
    });
});
