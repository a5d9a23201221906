import type { Connection } from '@jsforce/jsforce-node';
import { revokeFieldAccess, sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

interface Rec {
    Id: string;
    [k: string]: unknown;
}

describe('emulator: permissions, field-level security and sharing', () => {
    let t: TestEmulator;
    let admin: Connection;
    let integration: Connection;
    let permSetId: string;
    beforeAll(async () => {
        t = await startTestEmulator();
        admin = await t.login('admin@demo.backstory.local');
        integration = await t.login();
        const ps = await admin.query<Rec>("SELECT Id FROM PermissionSet WHERE Name = 'Backstory_Standard_Permissions'");
        permSetId = ps.records[0]!.Id;
    });
    afterAll(() => t.close());

    it('the integration user gets its access from the Backstory Standard Permissions permission set', async () => {
        const assignments = await admin.query<Rec>(
            `SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${t.emu.demo.integrationUser.id}'`
        );
        expect(assignments.records.map((a) => (a.PermissionSet as { Name: string }).Name)).toEqual([
            'Backstory_Standard_Permissions'
        ]);
        const upa = await integration.query<Rec>(
            'SELECT PermissionsViewAllData, PermissionsApiEnabled, PermissionsViewAllUsers, PermissionsModifyAllData FROM UserPermissionAccess'
        );
        expect(upa.records[0]).toMatchObject({
            PermissionsViewAllData: true,
            PermissionsApiEnabled: true,
            PermissionsViewAllUsers: true,
            PermissionsModifyAllData: false
        });
        const objects = await admin.query<Rec>(
            `SELECT SobjectType, PermissionsRead, PermissionsViewAllRecords FROM ObjectPermissions WHERE ParentId = '${permSetId}' AND SobjectType = 'Opportunity'`
        );
        expect(objects.records[0]).toMatchObject({ PermissionsRead: true, PermissionsViewAllRecords: true });
        const entity = await integration.query<Rec>(
            "SELECT IsReadable, IsEditable, IsDeletable FROM UserEntityAccess WHERE EntityDefinitionId = 'Contact'"
        );
        expect(entity.records[0]).toMatchObject({ IsReadable: true, IsEditable: true, IsDeletable: true });
    });

    const revokeField = (field: string) => revokeFieldAccess(admin, t.emu.demo.integrationUser.id, field);

    it('an unreadable field gives the same INVALID_FIELD as a missing one, on query, describe and write', async () => {
        const restore = await revokeField('Account.Industry');
        try {
            const unreadable = await sfError(integration.query('SELECT Industry FROM Account'));
            const missing = await sfError(integration.query('SELECT Industri FROM Account'));
            expect(unreadable.errorCode).toBe('INVALID_FIELD');
            expect(unreadable.message).toBe(missing.message.replace('Industri', 'Industry'));
            const describe = await integration.sobject('Account').describe();
            expect(describe.fields.map((f) => f.name)).not.toContain('Industry');
            expect((await admin.sobject('Account').describe()).fields.map((f) => f.name)).toContain('Industry');
            const account = (await integration.query<Rec>('SELECT Id FROM Account LIMIT 1')).records[0]!;
            const hidden = await sfError(
                integration.sobject('Account').update({ Id: account.Id, Industry: 'Banking' })
            );
            expect(hidden.errorCode).toBe('INVALID_FIELD');
            // Filtering or ordering on it is the same error.
            expect((await sfError(integration.query("SELECT Id FROM Account WHERE Industry = 'x'"))).errorCode).toBe(
                'INVALID_FIELD'
            );
        } finally {
            await restore();
        }
        expect((await integration.query('SELECT Industry FROM Account LIMIT 1')).totalSize).toBe(1);
    });

    it('a required field (Opportunity.StageName) has no field permission in Salesforce; an explicit PermissionsRead = false row revokes it in the emulator', async () => {
        expect((await integration.query('SELECT StageName FROM Opportunity LIMIT 1')).totalSize).toBe(1);
        const restore = await revokeField('Opportunity.StageName');
        const deny = (await admin.sobject('FieldPermissions').create({
            ParentId: permSetId,
            SobjectType: 'Opportunity',
            Field: 'Opportunity.StageName',
            PermissionsRead: false,
            PermissionsEdit: false
        })) as { id: string };
        try {
            expect((await sfError(integration.query('SELECT StageName FROM Opportunity'))).errorCode).toBe(
                'INVALID_FIELD'
            );
            const fields = (await integration.sobject('Opportunity').describe()).fields.map((f) => f.name);
            expect(fields).not.toContain('StageName');
        } finally {
            await admin.sobject('FieldPermissions').destroy(deny.id);
            await restore();
        }
        expect((await integration.query('SELECT StageName FROM Opportunity LIMIT 1')).totalSize).toBe(1);
    });

    it('assigning a permission set (PermissionSetAssignment DML) grants its permissions; deleting the assignment takes them away', async () => {
        const userId = t.emu.demo.integrationUser.id;
        const ps = (await admin.sobject('PermissionSet').create({
            Name: 'Test_Modify_All',
            Label: 'Test Modify All',
            PermissionsModifyAllData: true
        })) as { id: string };
        const mad = async () =>
            (await integration.query<Rec>('SELECT PermissionsModifyAllData FROM UserPermissionAccess')).records[0]
                ?.PermissionsModifyAllData;
        expect(await mad()).toBe(false);
        const psa = (await admin
            .sobject('PermissionSetAssignment')
            .create({ AssigneeId: userId, PermissionSetId: ps.id })) as { id: string };
        expect(await mad()).toBe(true);
        await admin.sobject('PermissionSetAssignment').destroy(psa.id);
        expect(await mad()).toBe(false);
    });

    it('under a Private org-wide default a user without View All sees only records of their role subtree', async () => {
        const before = (await integration.query('SELECT COUNT() FROM Account')).totalSize;
        t.emu.admin.setOrgWideDefault('Account', 'Private');
        // View All Data still sees everything.
        expect((await integration.query('SELECT COUNT() FROM Account')).totalSize).toBe(before);
        const vad = await admin.query<Rec>(
            `SELECT Id, PermissionsViewAllData FROM PermissionSet WHERE Id = '${permSetId}'`
        );
        await admin.sobject('PermissionSet').update({ Id: vad.records[0]!.Id, PermissionsViewAllData: false });
        const op = await admin.query<Rec>(
            `SELECT Id FROM ObjectPermissions WHERE ParentId = '${permSetId}' AND SobjectType = 'Account'`
        );
        await admin.sobject('ObjectPermissions').update({ Id: op.records[0]!.Id, PermissionsViewAllRecords: false });
        const own = (await integration.query('SELECT COUNT() FROM Account')).totalSize;
        // The integration user sits at the top of the role hierarchy (CEO) but owns nothing; the admin (same role) owns the demo accounts.
        expect(own).toBeLessThan(before);
        await admin.sobject('ObjectPermissions').update({ Id: op.records[0]!.Id, PermissionsViewAllRecords: true });
        expect((await integration.query('SELECT COUNT() FROM Account')).totalSize).toBe(before);
        await admin.sobject('PermissionSet').update({ Id: vad.records[0]!.Id, PermissionsViewAllData: true });
        t.emu.admin.setOrgWideDefault('Account', 'Edit');
    });

    it('org-wide defaults are readable on Organization', async () => {
        t.emu.admin.setOrgWideDefault('Opportunity', 'Private');
        const org = await integration.query<Rec>(
            'SELECT DefaultAccountAccess, DefaultOpportunityAccess FROM Organization'
        );
        expect(org.records[0]).toMatchObject({ DefaultAccountAccess: 'Edit', DefaultOpportunityAccess: 'None' });
        t.emu.admin.setOrgWideDefault('Opportunity', 'Edit');
    });

    it('a user without Manage Users cannot change permission records', async () => {
        const e = await sfError(
            integration
                .sobject('PermissionSetAssignment')
                .create({ AssigneeId: t.emu.demo.integrationUser.id, PermissionSetId: permSetId })
        );
        expect(e.errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
    });
});
