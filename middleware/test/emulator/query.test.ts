import type { Connection } from '@jsforce/jsforce-node';
import { sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

interface Rec {
    Id: string;
    [k: string]: unknown;
}

describe('emulator: SOQL query and queryAll', () => {
    let t: TestEmulator;
    let admin: Connection;
    let acmeId: string;
    beforeAll(async () => {
        t = await startTestEmulator({ seed: 'empty' });
        admin = await t.login('admin@demo.backstory.local');
        const acme = await admin
            .sobject('Account')
            .create({ Name: 'Acme', Type: 'Customer', Website: 'https://acme.example.com', Industry: 'Banking' });
        acmeId = (acme as { id: string }).id;
        const globex = (await admin
            .sobject('Account')
            .create({ Name: 'Globex', Type: 'Partner', Industry: 'Energy' })) as { id: string };
        await admin.sobject('Account').create({ Name: 'Initech', Type: 'Prospect' });
        await admin.sobject('Contact').create([
            { LastName: 'Ames', FirstName: 'Ann', Email: 'ann@acme.example.com', AccountId: acmeId },
            { LastName: 'Baker', FirstName: 'Bo', Email: 'bo@acme.example.com', AccountId: acmeId },
            { LastName: 'Cole', Email: 'cole@globex.example.com', AccountId: globex.id }
        ]);
        const today = new Date().toISOString().slice(0, 10);
        await admin.sobject('Opportunity').create([
            { Name: 'Acme renewal', AccountId: acmeId, StageName: 'Prospecting', CloseDate: today, Amount: 5000 },
            { Name: 'Acme upsell', AccountId: acmeId, StageName: 'Closed Won', CloseDate: '2020-01-01', Amount: 100 },
            { Name: 'Globex partner deal', AccountId: globex.id, StageName: 'Qualification', CloseDate: '2099-12-31' }
        ]);
    });
    afterAll(() => t.close());

    const names = (r: { records: Rec[] }) => r.records.map((x) => x.Name);

    it('selects parent relationship fields as nested records', async () => {
        const r = await admin.query<Rec>(
            "SELECT Name, Account.Name, Account.Owner.Email FROM Contact WHERE Email = 'ann@acme.example.com'"
        );
        expect(r.records[0]).toMatchObject({
            Name: 'Ann Ames',
            Account: { Name: 'Acme', Owner: { Email: 'admin@demo.backstory.local' } }
        });
        expect(r.records[0]?.attributes).toMatchObject({ type: 'Contact' });
    });

    it('selects child relationships as sub-query results (null when empty)', async () => {
        const r = await admin.query<Rec>(
            "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name IN ('Acme', 'Initech') ORDER BY Name"
        );
        expect(r.records[0]?.Contacts).toMatchObject({
            totalSize: 2,
            done: true,
            records: [{ LastName: 'Ames' }, { LastName: 'Baker' }]
        });
        expect(r.records[1]?.Contacts).toBeNull();
    });

    it('evaluates AND, OR, NOT and parentheses with Salesforce precedence', async () => {
        const r = await admin.query<Rec>(
            "SELECT Name FROM Account WHERE (Type = 'Customer' OR Type = 'Partner') AND NOT Industry = 'Energy' ORDER BY Name"
        );
        expect(names(r)).toEqual(['Acme']);
        const r2 = await admin.query<Rec>(
            "SELECT Name FROM Account WHERE Type = 'Prospect' OR (Type = 'Partner' AND Industry = 'Energy') ORDER BY Name"
        );
        expect(names(r2)).toEqual(['Globex', 'Initech']);
    });

    it('supports comparison, LIKE (case-insensitive), IN, NOT IN and null', async () => {
        expect(names(await admin.query<Rec>('SELECT Name FROM Opportunity WHERE Amount >= 5000'))).toEqual([
            'Acme renewal'
        ]);
        expect(names(await admin.query<Rec>('SELECT Name FROM Opportunity WHERE Amount < 5000'))).toEqual([
            'Acme upsell'
        ]);
        expect(names(await admin.query<Rec>("SELECT Name FROM Account WHERE Name LIKE 'ac%'"))).toEqual(['Acme']);
        expect(names(await admin.query<Rec>("SELECT Name FROM Account WHERE Name NOT IN ('Acme', 'Globex')"))).toEqual([
            'Initech'
        ]);
        expect(names(await admin.query<Rec>('SELECT Name FROM Opportunity WHERE Amount = null'))).toEqual([
            'Globex partner deal'
        ]);
        expect(names(await admin.query<Rec>('SELECT Name FROM Account WHERE Website != null'))).toEqual(['Acme']);
    });

    it('compares date and datetime values and date literals (TODAY, LAST_N_DAYS:n, NEXT_N_DAYS:n)', async () => {
        expect(names(await admin.query<Rec>('SELECT Name FROM Opportunity WHERE CloseDate = TODAY'))).toEqual([
            'Acme renewal'
        ]);
        expect(names(await admin.query<Rec>('SELECT Name FROM Opportunity WHERE CloseDate < 2021-01-01'))).toEqual([
            'Acme upsell'
        ]);
        expect(names(await admin.query<Rec>('SELECT Name FROM Opportunity WHERE CloseDate > NEXT_N_DAYS:365'))).toEqual(
            ['Globex partner deal']
        );
        expect((await admin.query('SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:1')).totalSize).toBe(3);
        expect((await admin.query('SELECT Id FROM Account WHERE CreatedDate > 2000-01-01T00:00:00Z')).totalSize).toBe(
            3
        );
        expect(
            (await admin.query('SELECT Id FROM Account WHERE CreatedDate > 2999-01-01T00:00:00.000+0000')).totalSize
        ).toBe(0);
    });

    it('orders ASC/DESC with NULLS FIRST/LAST, and applies LIMIT and OFFSET', async () => {
        const nullsFirst = await admin.query<Rec>('SELECT Name FROM Opportunity ORDER BY Amount ASC NULLS FIRST');
        expect(names(nullsFirst)).toEqual(['Globex partner deal', 'Acme upsell', 'Acme renewal']);
        const desc = await admin.query<Rec>('SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS LAST LIMIT 2');
        expect(names(desc)).toEqual(['Acme renewal', 'Acme upsell']);
        const offset = await admin.query<Rec>('SELECT Name FROM Account ORDER BY Name LIMIT 1 OFFSET 1');
        expect(names(offset)).toEqual(['Globex']);
    });

    it('answers COUNT() with totalSize and no records', async () => {
        const r = await admin.query("SELECT COUNT() FROM Contact WHERE Account.Name = 'Acme'");
        expect(r.totalSize).toBe(2);
        expect(r.records).toEqual([]);
    });

    it('evaluates semi-joins (Id IN (SELECT …))', async () => {
        const r = await admin.query<Rec>(
            "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Qualification')"
        );
        expect(names(r)).toEqual(['Globex']);
        const anti = await admin.query<Rec>(
            'SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact) ORDER BY Name'
        );
        expect(names(anti)).toEqual(['Initech']);
    });

    it('pages 2,000 records at a time with a nextRecordsUrl locator jsforce follows', async () => {
        t.emu.admin.insertRecords(
            'Lead',
            Array.from({ length: 4500 }, (_, i) => ({
                LastName: `Lead ${i}`,
                Company: 'Bulk Co',
                Status: 'Open - Not Contacted'
            }))
        );
        const first = await admin.query<Rec>("SELECT Id FROM Lead WHERE Company = 'Bulk Co'");
        expect(first.totalSize).toBe(4500);
        expect(first.records).toHaveLength(2000);
        expect(first.done).toBe(false);
        expect(first.nextRecordsUrl).toMatch(/\/query\/[^/]+$/);
        const all = await admin.query<Rec>("SELECT Id FROM Lead WHERE Company = 'Bulk Co'", {
            autoFetch: true,
            maxFetch: 10000
        });
        expect(all.records).toHaveLength(4500);
        expect(new Set(all.records.map((r) => r.Id)).size).toBe(4500);
    });

    it('queryAll returns deleted rows with IsDeleted = true; query does not', async () => {
        const created = (await admin.sobject('Account').create({ Name: 'Doomed' })) as { id: string };
        await admin.sobject('Account').destroy(created.id);
        expect((await admin.query("SELECT Id FROM Account WHERE Name = 'Doomed'")).totalSize).toBe(0);
        const all = await admin.query<Rec>("SELECT Id, IsDeleted FROM Account WHERE Name = 'Doomed'", {
            scanAll: true
        });
        expect(all.records).toEqual([expect.objectContaining({ Id: created.id, IsDeleted: true })]);
    });

    it('maintains CreatedDate, LastModifiedDate and SystemModstamp on every write', async () => {
        const created = (await admin.sobject('Account').create({ Name: 'Stamped' })) as { id: string };
        const before = (
            await admin.query<Rec>(`SELECT CreatedDate, SystemModstamp FROM Account WHERE Id = '${created.id}'`)
        ).records[0]!;
        expect(before.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
        await admin.sobject('Account').update({ Id: created.id, Name: 'Stamped again' });
        const after = (
            await admin.query<Rec>(
                `SELECT CreatedDate, LastModifiedDate, SystemModstamp FROM Account WHERE Id = '${created.id}'`
            )
        ).records[0]!;
        expect(after.CreatedDate).toBe(before.CreatedDate);
        expect(Date.parse(String(after.SystemModstamp).replace('+0000', 'Z'))).toBeGreaterThan(
            Date.parse(String(before.SystemModstamp).replace('+0000', 'Z'))
        );
        const incremental = await admin.query<Rec>(
            `SELECT Name FROM Account WHERE SystemModstamp > ${String(before.SystemModstamp)}`
        );
        expect(names(incremental)).toContain('Stamped again');
    });

    it('answers an unknown field with INVALID_FIELD, an unknown object with INVALID_TYPE, bad syntax with MALFORMED_QUERY', async () => {
        expect((await sfError(admin.query('SELECT Nope__c FROM Account'))).errorCode).toBe('INVALID_FIELD');
        expect((await sfError(admin.query('SELECT Id FROM Nope__c'))).errorCode).toBe('INVALID_TYPE');
        expect((await sfError(admin.query('SELECT FROM WHERE'))).errorCode).toBe('MALFORMED_QUERY');
    });
});
