import path from 'node:path';
import type { Connection } from '@jsforce/jsforce-node';
import { sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

/**
 * Sharing, field-level security and custom fields against a small fixture project
 * (fixtures/project: namespace `acme`, a restricted multi-select picklist and an external id on
 * Account, users in two sibling roles with a least-privilege permission set, one without API access).
 */
interface Rec {
    Id: string;
    [k: string]: unknown;
}

describe('emulator: sharing, org-wide defaults and custom fields (fixture project)', () => {
    let t: TestEmulator;
    let admin: Connection;
    let east: Connection;
    let west: Connection;
    let eastAccount: string;
    let westAccount: string;
    beforeAll(async () => {
        t = await startTestEmulator({ seed: 'empty', projectDir: path.join(__dirname, 'fixtures', 'project') });
        admin = await t.login('admin@demo.backstory.local');
        east = await t.login('integration@demo.backstory.local');
        west = await t.login('west@demo.backstory.local');
        eastAccount = ((await east.sobject('Account').create({ Name: 'East Co' })) as { id: string }).id;
        westAccount = ((await west.sobject('Account').create({ Name: 'West Co' })) as { id: string }).id;
        await admin.sobject('Account').create({ Name: 'Admin Co' });
    });
    afterEach(() => {
        t.emu.admin.setOrgWideDefault('Account', 'Edit');
        t.emu.admin.setOrgWideDefault('Contact', 'ControlledByParent');
    });
    afterAll(() => t.close());

    const names = async (conn: Connection, soql: string) =>
        (await conn.query<Rec>(soql)).records.map((r) => r.Name).sort();

    it('custom fields from force-app carry the namespace prefix of sfdx-project.json', async () => {
        const d = await admin.sobject('Account').describe();
        const regions = d.fields.find((f) => f.name === 'acme__Regions__c');
        expect(regions).toMatchObject({ type: 'multipicklist', custom: true, restrictedPicklist: true });
        expect(regions?.picklistValues?.map((p) => p.value)).toEqual(['East', 'West', 'North']);
        expect(d.fields.find((f) => f.name === 'acme__Ledger_Key__c')).toMatchObject({
            externalId: true,
            unique: true
        });
    });

    it('INCLUDES and EXCLUDES match multi-select picklist values (a;b means both)', async () => {
        const ids = (await admin
            .sobject('Account')
            .create([
                { Name: 'Multi EW', acme__Regions__c: 'East;West' },
                { Name: 'Multi N', acme__Regions__c: 'North' },
                { Name: 'Multi none' }
            ])) as { id: string }[];
        expect(ids).toHaveLength(3);
        const q = (where: string) => names(admin, `SELECT Name FROM Account WHERE Name LIKE 'Multi%' AND ${where}`);
        expect(await q("acme__Regions__c INCLUDES ('West')")).toEqual(['Multi EW']);
        expect(await q("acme__Regions__c INCLUDES ('North', 'East')")).toEqual(['Multi EW', 'Multi N']);
        expect(await q("acme__Regions__c INCLUDES ('East;West')")).toEqual(['Multi EW']);
        expect(await q("acme__Regions__c INCLUDES ('East;North')")).toEqual([]);
        expect(await q("acme__Regions__c EXCLUDES ('East')")).toEqual(['Multi N', 'Multi none']);
    });

    it('a restricted multi-select picklist refuses a value outside its list (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST)', async () => {
        const e = await sfError(admin.sobject('Account').create({ Name: 'Bad multi', acme__Regions__c: 'East;South' }));
        expect(e.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
        expect(e.message).toContain('South');
    });

    it('a case-insensitive unique external id refuses a value differing only in case (DUPLICATE_VALUE) and upsert finds it', async () => {
        await admin.sobject('Account').create({ Name: 'Ledger A', acme__Ledger_Key__c: 'LK-1' });
        const dup = await sfError(admin.sobject('Account').create({ Name: 'Ledger B', acme__Ledger_Key__c: 'lk-1' }));
        expect(dup.errorCode).toBe('DUPLICATE_VALUE');
        const up = (await admin
            .sobject('Account')
            .upsert({ acme__Ledger_Key__c: 'lk-1', Name: 'Ledger A2' } as never, 'acme__Ledger_Key__c')) as unknown as {
            created: boolean;
        };
        expect(up.created).toBe(false);
        expect(await names(admin, "SELECT Name FROM Account WHERE acme__Ledger_Key__c = 'Lk-1'")).toEqual([
            'Ledger A2'
        ]);
    });

    it('a Public Read/Write default lets every user with object access read and edit every record', async () => {
        expect(await names(west, 'SELECT Name FROM Account')).toEqual(expect.arrayContaining(['East Co', 'West Co']));
        await west.sobject('Account').update({ Id: eastAccount, acme__Regions__c: 'West' });
    });

    it('a Private default shows a user only records owned in their role subtree; the role above sees below', async () => {
        t.emu.admin.setOrgWideDefault('Account', 'Private');
        expect(await names(east, 'SELECT Name FROM Account')).toEqual(['East Co']);
        expect(await names(west, 'SELECT Name FROM Account')).toEqual(['West Co']);
        // The admin (CEO role, View All Data) sees all; an unshared record is not there for retrieve.
        expect((await names(admin, 'SELECT Name FROM Account')).length).toBeGreaterThanOrEqual(3);
        expect((await sfError(west.sobject('Account').retrieve(eastAccount))).errorCode).toBe('NOT_FOUND');
        const e = await sfError(west.sobject('Account').update({ Id: eastAccount, acme__Regions__c: 'West' }));
        expect(e.errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
    });

    it('changing a user’s role through DML changes what they see under a Private default', async () => {
        t.emu.admin.setOrgWideDefault('Account', 'Private');
        const roles = await admin.query<Rec>("SELECT Id, Name FROM UserRole WHERE Name IN ('CEO', 'West')");
        const ceo = roles.records.find((r) => r.Name === 'CEO')!.Id;
        const westRole = roles.records.find((r) => r.Name === 'West')!.Id;
        const westUser = t.emu.admin.userId('west@demo.backstory.local');
        await admin.sobject('User').update({ Id: westUser, UserRoleId: ceo });
        try {
            // At the top of the hierarchy, west now sees the records of users below (east).
            expect(await names(west, 'SELECT Name FROM Account')).toEqual(['East Co', 'West Co']);
        } finally {
            await admin.sobject('User').update({ Id: westUser, UserRoleId: westRole });
        }
        expect(await names(west, 'SELECT Name FROM Account')).toEqual(['West Co']);
    });

    it('View All on the object (ObjectPermissions.PermissionsViewAllRecords) overrides a Private default', async () => {
        t.emu.admin.setOrgWideDefault('Account', 'Private');
        const op = await admin.query<Rec>(
            "SELECT Id FROM ObjectPermissions WHERE SobjectType = 'Account' AND Parent.Name = 'Fixture_Api'"
        );
        const id = op.records[0]!.Id;
        await admin.sobject('ObjectPermissions').update({ Id: id, PermissionsViewAllRecords: true });
        try {
            expect(await names(west, 'SELECT Name FROM Account')).toEqual(
                expect.arrayContaining(['East Co', 'Admin Co'])
            );
            // View All is not Modify All: editing another user's record is still refused.
            const e = await sfError(west.sobject('Account').update({ Id: eastAccount, acme__Regions__c: 'West' }));
            expect(e.errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
        } finally {
            await admin.sobject('ObjectPermissions').update({ Id: id, PermissionsViewAllRecords: false });
        }
    });

    it('a Public Read Only default lets users read every record but edit only their own', async () => {
        t.emu.admin.setOrgWideDefault('Account', 'Read');
        expect(await names(west, 'SELECT Name FROM Account')).toEqual(expect.arrayContaining(['East Co', 'West Co']));
        expect(
            (await sfError(west.sobject('Account').update({ Id: eastAccount, acme__Regions__c: 'West' }))).errorCode
        ).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
        await west.sobject('Account').update({ Id: westAccount, acme__Regions__c: 'West' });
    });

    it('Contacts under Controlled by Parent follow their account’s sharing', async () => {
        await admin.sobject('Contact').create([
            { LastName: 'EastContact', AccountId: eastAccount },
            { LastName: 'WestContact', AccountId: westAccount }
        ]);
        t.emu.admin.setOrgWideDefault('Account', 'Private');
        const contacts = await west.query<Rec>('SELECT LastName FROM Contact');
        expect(contacts.records.map((r) => r.LastName)).toEqual(['WestContact']);
    });

    it('Organization shows the org-wide defaults with Private stored as None, as Salesforce does', async () => {
        t.emu.admin.setOrgWideDefault('Account', 'Private');
        const org = await admin.query<Rec>('SELECT DefaultAccountAccess, DefaultContactAccess FROM Organization');
        expect(org.records[0]).toMatchObject({
            DefaultAccountAccess: 'None',
            DefaultContactAccess: 'ControlledByParent'
        });
    });

    it('a field readable but not editable is refused on write with INVALID_FIELD_FOR_INSERT_UPDATE; describe says so', async () => {
        const e = await sfError(east.sobject('Account').update({ Id: eastAccount, Website: 'x.example.com' }));
        expect(e.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
        const d = await east.sobject('Account').describe();
        expect(d.fields.find((f) => f.name === 'Website')).toMatchObject({ createable: false, updateable: false });
        expect(d.fields.find((f) => f.name === 'acme__Regions__c')).toMatchObject({ updateable: true });
        // No field permission at all: absent from describe, INVALID_FIELD on query like a missing field.
        expect(d.fields.map((f) => f.name)).not.toContain('Industry');
        expect((await sfError(east.query('SELECT Industry FROM Account'))).errorCode).toBe('INVALID_FIELD');
    });

    it('object permissions: read-only Contact refuses create; an object with no access is NOT_FOUND to REST and INVALID_TYPE to SOQL', async () => {
        const e = await sfError(east.sobject('Contact').create({ LastName: 'Nope' }));
        expect(e.errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
        expect((await sfError(east.sobject('Opportunity').describe())).errorCode).toBe('NOT_FOUND');
        expect((await sfError(east.query('SELECT Id FROM Opportunity'))).errorCode).toBe('INVALID_TYPE');
        const global = await east.describeGlobal();
        const listed = global.sobjects.map((s) => s.name);
        expect(listed).toContain('Account');
        expect(listed).not.toContain('Opportunity');
        expect(global.sobjects.find((s) => s.name === 'Contact')).toMatchObject({ createable: false });
    });

    it('UserEntityAccess and UserFieldAccess answer for the running user and for a user the query names', async () => {
        const mine = await east.query<Rec>(
            "SELECT IsReadable, IsCreatable, IsDeletable FROM UserEntityAccess WHERE EntityDefinitionId = 'Account'"
        );
        expect(mine.records).toEqual([
            expect.objectContaining({ IsReadable: true, IsCreatable: true, IsDeletable: false })
        ]);
        const noApi = t.emu.admin.userId('noapi@demo.backstory.local');
        const theirs = await admin.query<Rec>(
            `SELECT IsReadable FROM UserEntityAccess WHERE UserId = '${noApi}' AND EntityDefinitionId = 'Account'`
        );
        expect(theirs.records).toEqual([expect.objectContaining({ IsReadable: false })]);
        const fields = await east.query<Rec>(
            "SELECT FieldDefinitionId, IsAccessible, IsUpdatable FROM UserFieldAccess WHERE EntityDefinitionId = 'Account' AND FieldDefinitionId IN ('Account.Website', 'Account.Industry')"
        );
        expect(
            Object.fromEntries(fields.records.map((r) => [r.FieldDefinitionId, [r.IsAccessible, r.IsUpdatable]]))
        ).toEqual({
            'Account.Website': [true, false],
            'Account.Industry': [false, false]
        });
    });

    it('a user without API Enabled is refused on every REST call with API_CURRENTLY_DISABLED', async () => {
        const conn = await t.login('noapi@demo.backstory.local');
        const e = await sfError(conn.query('SELECT Id FROM User'));
        expect(e.errorCode).toBe('API_CURRENTLY_DISABLED');
    });

    it('deactivating a user through DML ends their sessions (INVALID_SESSION_ID) and refuses their login', async () => {
        const conn = await t.login('west@demo.backstory.local');
        const westUser = t.emu.admin.userId('west@demo.backstory.local');
        await admin.sobject('User').update({ Id: westUser, IsActive: false });
        try {
            const { fetch } = await import('undici');
            const res = await fetch(`${t.emu.url}/services/data/v62.0/sobjects`, {
                headers: { authorization: `Bearer ${conn.accessToken}` }
            });
            expect(res.status).toBe(401);
            expect(((await res.json()) as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_SESSION_ID');
            await expect(t.login('west@demo.backstory.local')).rejects.toThrow(/authentication failure/);
        } finally {
            await admin.sobject('User').update({ Id: westUser, IsActive: true });
        }
        await t.login('west@demo.backstory.local');
    });
});
