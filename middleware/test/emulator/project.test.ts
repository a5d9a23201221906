import path from 'node:path';
import type { Connection } from '@jsforce/jsforce-node';
import { sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

/** startEmulator({ project }) over an SFDX project that is not this repository (fixtures/sfdx-app). */
describe('emulator: any SFDX project (startEmulator({ project }))', () => {
    let t: TestEmulator;
    let admin: Connection;
    beforeAll(async () => {
        t = await startTestEmulator({ project: path.join(__dirname, 'fixtures', 'sfdx-app') });
        admin = await t.login('admin@demo.backstory.local');
    });
    afterAll(() => t.close());

    it("loads the project's custom objects and fields; the demo users are there, the demo data is not", async () => {
        const invoice = await admin.sobject('Invoice__c').describe();
        expect(invoice.custom).toBe(true);
        expect(invoice.fields.map((f) => f.name)).toEqual(
            expect.arrayContaining(['Id', 'Name', 'OwnerId', 'Amount__c', 'Account__c', 'External_Key__c'])
        );
        const contact = await admin.sobject('Contact').describe();
        const tier = contact.fields.find((f) => f.name === 'Loyalty_Tier__c');
        expect(tier?.picklistValues?.map((p) => p.value)).toEqual(['Gold', 'Silver']);
        expect((await admin.query('SELECT COUNT() FROM Account')).totalSize).toBe(0);
    });

    it('writes and queries them like any object: lookups, parent paths, child sub-queries, upsert by external id', async () => {
        const acct = await admin.sobject('Account').create({ Name: 'Invoiced Co' });
        await admin.sobject('Invoice__c').create({ Name: 'INV-1', Amount__c: 120.5, Account__c: acct.id });
        const up = await admin
            .sobject('Invoice__c')
            .upsert({ External_Key__c: 'K-2', Name: 'INV-2', Amount__c: 99, Account__c: acct.id }, 'External_Key__c');
        expect(up).toMatchObject({ success: true, created: true });
        const rows = await admin.query<{ Name: string; Amount__c: number; Account__r: { Name: string } }>(
            'SELECT Name, Amount__c, Account__r.Name FROM Invoice__c ORDER BY Name'
        );
        expect(rows.records.map((r) => [r.Name, r.Amount__c, r.Account__r.Name])).toEqual([
            ['INV-1', 120.5, 'Invoiced Co'],
            ['INV-2', 99, 'Invoiced Co']
        ]);
        const parent = await admin.query<{ Invoices__r: { totalSize: number } }>(
            `SELECT Id, (SELECT Name FROM Invoices__r) FROM Account WHERE Id = '${acct.id}'`
        );
        expect(parent.records[0]!.Invoices__r.totalSize).toBe(2);
        const missing = await sfError(admin.sobject('Invoice__c').create({ Name: 'INV-3' }));
        expect(missing.errorCode).toBe('REQUIRED_FIELD_MISSING');
        const bad = await sfError(admin.sobject('Contact').create({ LastName: 'X', Loyalty_Tier__c: 'Platinum' }));
        expect(bad.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    });

    it('refuses a directory that is not an SFDX project', async () => {
        await expect(startTestEmulator({ project: __dirname })).rejects.toThrow(/sfdx-project\.json/);
    });
});
