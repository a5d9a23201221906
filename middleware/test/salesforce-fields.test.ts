import { startTestApp, type TestApp } from './helpers/app';
import { startTestEmulator, type TestEmulator } from './helpers/emulator';
import { insertUser } from './helpers/users';

interface PickerField {
    path: string;
    label: string;
    type: string;
    filterable: boolean;
    sortable: boolean;
    updateable: boolean;
    picklistValues: { value: string; label: string }[];
}

// The profile editor's field pickers (CP-5..CP-7): the org's describe as the integration user,
// with the parent fields one relationship away, through the real middleware and the emulator.
describe('GET /v1/salesforce/fields (CP-5..CP-7 field pickers)', () => {
    let app: TestApp;
    let sf: TestEmulator;
    beforeAll(async () => {
        [app, sf] = await Promise.all([startTestApp(), startTestEmulator()]);
    });
    afterAll(async () => {
        await Promise.all([app.close(), sf.close()]);
    });

    it("CP-5 lists Opportunity's own fields with picklist values, and Account.Type from the parent", async () => {
        const org = await app.newOrg('Fields org', sf.integrationAuth);
        const res = await app.call(org.apiKey, 'GET', '/v1/salesforce/fields?object=Opportunity');
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ object: 'Opportunity', label: 'Opportunity' });
        const fields = res.body.fields as PickerField[];
        const byPath = new Map(fields.map((f) => [f.path, f]));
        const type = byPath.get('Type');
        expect(type).toMatchObject({ label: 'Opportunity Type', type: 'picklist', filterable: true });
        expect(type!.picklistValues.map((p) => p.value)).toContain('New Business');
        const accountType = byPath.get('Account.Type');
        expect(accountType).toMatchObject({ type: 'picklist', updateable: false });
        expect(accountType!.label).toMatch(/Account › Account Type/);
        expect(accountType!.picklistValues.map((p) => p.value)).toEqual(
            expect.arrayContaining(['Customer', 'Partner'])
        );
        expect(byPath.get('CloseDate')).toMatchObject({ type: 'date', sortable: true });
        expect(byPath.has('Owner.Name')).toBe(true);
        // Own fields first, then the parents'; no parent lookup ids (they would be a second hop).
        const firstParent = fields.findIndex((f) => f.path.includes('.'));
        expect(fields.slice(firstParent).every((f) => f.path.includes('.'))).toBe(true);
        // The account's fields come first among the parents: the ones admins filter on most.
        expect(fields[firstParent]!.path).toMatch(/^Account\./);
        expect(fields.some((f) => f.path.includes('.') && f.type === 'reference')).toBe(false);
    });

    it('CP-7 marks Event fields the integration user can write (answer fields) and never a parent one', async () => {
        const org = await app.newOrg('Fields org', sf.integrationAuth);
        const res = await app.call(org.apiKey, 'GET', '/v1/salesforce/fields?object=Event');
        expect(res.status).toBe(200);
        const fields = res.body.fields as PickerField[];
        expect(fields.find((f) => f.path === 'Type')).toMatchObject({ updateable: true, type: 'picklist' });
        expect(fields.find((f) => f.path === 'Id')).toMatchObject({ updateable: false });
        expect(fields.filter((f) => f.path.includes('.')).every((f) => !f.updateable)).toBe(true);
    });

    it('answers 404 for an object the org does not have, 400 for a bad name, 409 without a connected org', async () => {
        const org = await app.newOrg('Fields org', sf.integrationAuth);
        const missing = await app.call(org.apiKey, 'GET', '/v1/salesforce/fields?object=Nope__c');
        expect(missing.status).toBe(404);
        expect(missing.body.error.message).toMatch(/Nope__c/);
        const bad = await app.call(org.apiKey, 'GET', '/v1/salesforce/fields?object=Account;DROP');
        expect(bad.status).toBe(400);
        expect(bad.body.error.details[0].path).toBe('query.object');
        const none = await app.call(org.apiKey, 'GET', '/v1/salesforce/fields');
        expect(none.status).toBe(400);
        const unconnected = await app.newOrg('No Salesforce');
        const res = await app.call(unconnected.apiKey, 'GET', '/v1/salesforce/fields?object=Account');
        expect(res.status).toBe(409);
    });

    it('CP-2 refuses a user who is not a Backstory admin', async () => {
        const org = await app.newOrg('Fields org', sf.integrationAuth);
        const member = await insertUser(app.store.db, org.org.id, { role: 'member' });
        const res = await app.call(org.apiKey, 'GET', '/v1/salesforce/fields?object=Account', undefined, {
            'x-acting-user': member.salesforceUserId
        });
        expect(res.status).toBe(403);
    });
});
