import type { Connection } from '@jsforce/jsforce-node';
import { sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

interface Rec {
    Id: string;
    [k: string]: unknown;
}

const DAY = 86_400_000;
const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('emulator: SOQL details (date literals, literals, relationships, indexes, locators)', () => {
    let t: TestEmulator;
    let admin: Connection;
    let accountId: string;
    let oppIds: string[];
    beforeAll(async () => {
        t = await startTestEmulator({ seed: 'empty' });
        admin = await t.login('admin@demo.backstory.local');
        accountId = ((await admin.sobject('Account').create({ Name: "O'Brien & Sons" })) as { id: string }).id;
        const now = Date.now();
        const opps = (await admin.sobject('Opportunity').create([
            { Name: 'Yesterday', AccountId: accountId, StageName: 'Prospecting', CloseDate: isoDate(now - DAY) },
            { Name: 'Today', AccountId: accountId, StageName: 'Prospecting', CloseDate: isoDate(now) },
            { Name: 'In 5 days', AccountId: accountId, StageName: 'Prospecting', CloseDate: isoDate(now + 5 * DAY) },
            { Name: '40 days ago', AccountId: accountId, StageName: 'Closed Lost', CloseDate: isoDate(now - 40 * DAY) },
            { Name: 'Next year', StageName: 'Prospecting', CloseDate: `${new Date().getUTCFullYear() + 1}-06-15` }
        ])) as { id: string }[];
        oppIds = opps.map((o) => o.id);
    });
    afterAll(() => t.close());

    const names = async (soql: string) => (await admin.query<Rec>(soql)).records.map((r) => r.Name);

    it('date literals: YESTERDAY, TODAY, LAST_N_DAYS:n, NEXT_N_DAYS:n, THIS_YEAR, NEXT_YEAR and N_DAYS_AGO:n', async () => {
        const where = async (cond: string) =>
            (await names(`SELECT Name FROM Opportunity WHERE ${cond} ORDER BY CloseDate`)).join(',');
        expect(await where('CloseDate = YESTERDAY')).toBe('Yesterday');
        expect(await where('CloseDate = TODAY')).toBe('Today');
        expect(await where('CloseDate = LAST_N_DAYS:7')).toBe('Yesterday,Today');
        expect(await where('CloseDate = NEXT_N_DAYS:7')).toBe('In 5 days');
        expect(await where('CloseDate < LAST_N_DAYS:30')).toBe('40 days ago');
        expect(await where('CloseDate = N_DAYS_AGO:40')).toBe('40 days ago');
        expect(await where('CloseDate = NEXT_YEAR')).toBe('Next year');
        expect(await where('CloseDate > THIS_YEAR')).toBe('Next year');
        // THIS_MONTH agrees with a range computed here.
        const d = new Date();
        const first = isoDate(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
        const next = isoDate(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
        expect(await where('CloseDate = THIS_MONTH')).toBe(
            await where(`CloseDate >= ${first} AND CloseDate < ${next}`)
        );
    });

    it('a date field compared with a quoted value is MALFORMED_QUERY, as in Salesforce', async () => {
        expect(
            (await sfError(admin.query("SELECT Id FROM Opportunity WHERE CloseDate = '2024-01-01'"))).errorCode
        ).toBe('MALFORMED_QUERY');
    });

    it("string literals unescape \\' and match case-insensitively; booleans and numbers compare by type", async () => {
        expect(await names("SELECT Name FROM Account WHERE Name = 'o\\'brien & sons'")).toEqual(["O'Brien & Sons"]);
        expect((await admin.query('SELECT Id FROM Opportunity WHERE IsClosed = true')).totalSize).toBe(1);
        expect((await admin.query('SELECT Id FROM Opportunity WHERE IsClosed = false')).totalSize).toBe(4);
        expect(await names("SELECT Name FROM Opportunity WHERE Name LIKE '%DAYS%' ORDER BY Name")).toEqual([
            '40 days ago',
            'In 5 days'
        ]);
        expect(await names("SELECT Name FROM Opportunity WHERE Name LIKE 'To_ay'")).toEqual(['Today']);
    });

    it('a 15-character id matches the 18-character one (Id = and IN)', async () => {
        const id15 = accountId.slice(0, 15);
        expect((await admin.query(`SELECT Id FROM Account WHERE Id = '${id15}'`)).records[0]?.Id).toBe(accountId);
        expect((await admin.query(`SELECT Id FROM Opportunity WHERE AccountId IN ('${id15}')`)).totalSize).toBe(4);
    });

    it('filters, orders and selects through parent relationships, including the polymorphic Owner', async () => {
        const r = await admin.query<Rec>(
            "SELECT Name, Account.Name, Owner.Username FROM Opportunity WHERE Account.Name LIKE 'O%' ORDER BY Account.Name, Name DESC LIMIT 2"
        );
        expect(r.records.map((x) => x.Name)).toEqual(['Yesterday', 'Today']);
        expect(r.records[0]).toMatchObject({
            Account: { Name: "O'Brien & Sons", attributes: { type: 'Account' } },
            Owner: { Username: 'admin@demo.backstory.local', attributes: { type: 'User' } }
        });
        const noParent = await admin.query<Rec>("SELECT Name, Account.Name FROM Opportunity WHERE Name = 'Next year'");
        expect(noParent.records[0]!.Account).toBeNull();
        const unknown = await sfError(admin.query('SELECT Accnt.Name FROM Opportunity'));
        expect(unknown.errorCode).toBe('INVALID_FIELD');
        expect(unknown.message).toMatch(/Didn't understand relationship 'Accnt'/);
    });

    it('child sub-queries apply their own WHERE, ORDER BY and LIMIT per parent', async () => {
        const r = await admin.query<Rec>(
            "SELECT Name, (SELECT Name FROM Opportunities WHERE StageName = 'Prospecting' ORDER BY CloseDate DESC LIMIT 2) FROM Account WHERE Id = '" +
                accountId +
                "'"
        );
        const child = r.records[0]!.Opportunities as { totalSize: number; records: Rec[] };
        expect(child.records.map((x) => x.Name)).toEqual(['In 5 days', 'Today']);
        expect(child.totalSize).toBe(2);
    });

    it('semi-joins and anti-joins on reference fields, as the permission queries use them', async () => {
        const integration = t.emu.demo.integrationUser.id;
        const r = await admin.query<Rec>(
            `SELECT SobjectType FROM ObjectPermissions WHERE SobjectType = 'Opportunity' AND ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${integration}')`
        );
        expect(r.records.map((x) => x.SobjectType)).toEqual(['Opportunity']);
        const viaProfile = await admin.query<Rec>(
            `SELECT Id FROM PermissionSet WHERE IsOwnedByProfile = true AND ProfileId IN (SELECT ProfileId FROM User WHERE Id = '${integration}')`
        );
        expect(viaProfile.totalSize).toBe(1);
        const withoutOpps = await names(
            'SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity WHERE AccountId != null)'
        );
        expect(withoutOpps).toEqual([]);
    });

    it('equality on indexed fields (Id, references, external ids) answers the same rows as a full scan', async () => {
        const byIndex = await admin.query<Rec>(
            `SELECT Id FROM Opportunity WHERE AccountId = '${accountId}' AND StageName = 'Prospecting' ORDER BY Name`
        );
        const byScan = await admin.query<Rec>(
            `SELECT Id FROM Opportunity WHERE (AccountId = '${accountId}' OR Name = 'never') AND StageName = 'Prospecting' ORDER BY Name`
        );
        expect(byIndex.records.map((r) => r.Id)).toEqual(byScan.records.map((r) => r.Id));
        expect(byIndex.totalSize).toBe(3);
        // The index follows later writes (re-parenting and deletion).
        await admin.sobject('Opportunity').update({ Id: oppIds[0]!, AccountId: null });
        expect((await admin.query(`SELECT Id FROM Opportunity WHERE AccountId = '${accountId}'`)).totalSize).toBe(3);
        await admin.sobject('Opportunity').update({ Id: oppIds[0]!, AccountId: accountId });
        await admin.sobject('Opportunity').destroy(oppIds[3]!);
        expect((await admin.query(`SELECT Id FROM Opportunity WHERE AccountId = '${accountId}'`)).totalSize).toBe(3);
        const all = await admin.query(`SELECT Id FROM Opportunity WHERE AccountId = '${accountId}'`, { scanAll: true });
        expect(all.totalSize).toBe(4);
        expect(
            (await admin.query(`SELECT Id FROM Opportunity WHERE Id IN ('${oppIds[1]!}', '${oppIds[2]!}')`)).totalSize
        ).toBe(2);
    });

    it('ORDER BY … LIMIT/OFFSET answers the same rows as a slice of the whole ordering (ASC, DESC, NULLS FIRST/LAST, ties)', async () => {
        // 120 contacts with repeated, mixed-case and missing titles and departments.
        const titles = ['Buyer', 'buyer', 'CFO', null, 'Analyst', 'VP Sales'];
        t.emu.admin.insertRecords(
            'Contact',
            Array.from({ length: 120 }, (_, i) => ({
                LastName: `Order ${String(i).padStart(3, '0')}`,
                Title: titles[(i * 7) % titles.length],
                Department: i % 5 === 0 ? null : `Dept ${i % 4}`
            }))
        );
        const ids = async (soql: string) => (await admin.query<Rec>(soql)).records.map((r) => r.Id);
        for (const order of [
            'Title',
            'Title DESC',
            'Title NULLS LAST',
            'Title DESC NULLS FIRST',
            'Department, Title DESC, LastName',
            'Department DESC NULLS LAST, LastName DESC'
        ]) {
            const base = `SELECT Id FROM Contact WHERE LastName LIKE 'Order %' ORDER BY ${order}`;
            const whole = await ids(base);
            expect(whole).toHaveLength(120);
            expect(await ids(`${base} LIMIT 5`)).toEqual(whole.slice(0, 5));
            expect(await ids(`${base} LIMIT 7 OFFSET 3`)).toEqual(whole.slice(3, 10));
            expect(await ids(`${base} LIMIT 100`)).toEqual(whole.slice(0, 100));
        }
        // Without ORDER BY a LIMIT stops early, but still honours OFFSET and the filter.
        const unordered = await admin.query<Rec>(
            "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Order %' LIMIT 4 OFFSET 2"
        );
        expect(unordered.totalSize).toBe(4);
        expect(unordered.records.every((r) => String(r.LastName).startsWith('Order '))).toBe(true);
    });

    it('COUNT() honours WHERE and LIMIT; OFFSET beyond 2,000 is NUMBER_OUTSIDE_VALID_RANGE', async () => {
        expect((await admin.query("SELECT COUNT() FROM Opportunity WHERE StageName = 'Prospecting'")).totalSize).toBe(
            4
        );
        expect((await admin.query('SELECT COUNT() FROM Opportunity LIMIT 2')).totalSize).toBe(2);
        expect((await sfError(admin.query('SELECT Id FROM Account OFFSET 2001'))).errorCode).toBe(
            'NUMBER_OUTSIDE_VALID_RANGE'
        );
    });

    it('queryAll pages through deleted rows with locators that carry no "/" and answers INVALID_QUERY_LOCATOR for a bad one', async () => {
        const rows = t.emu.admin.insertRecords(
            'Lead',
            Array.from({ length: 2500 }, (_, i) => ({
                LastName: `Gone ${i}`,
                Company: 'Gone Co',
                IsDeleted: i % 2 === 0
            }))
        );
        expect(rows).toHaveLength(2500);
        expect((await admin.query("SELECT COUNT() FROM Lead WHERE Company = 'Gone Co'")).totalSize).toBe(1250);
        const first = await admin.query<Rec>("SELECT Id, IsDeleted FROM Lead WHERE Company = 'Gone Co'", {
            scanAll: true
        });
        expect(first.totalSize).toBe(2500);
        expect(first.records).toHaveLength(2000);
        const locator = String(first.nextRecordsUrl).split('/').pop()!;
        expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query(All)?\/[^/]+$/);
        expect(locator).toMatch(/^[\w-]+$/);
        const rest = await admin.queryMore<Rec>(first.nextRecordsUrl!);
        expect(rest.records).toHaveLength(500);
        expect(rest.done).toBe(true);
        expect([...first.records, ...rest.records].filter((r) => r.IsDeleted === true)).toHaveLength(1250);
        expect((await sfError(admin.queryMore('01gnotalocator-2000'))).errorCode).toBe('INVALID_QUERY_LOCATOR');
    });

    it('aggregate functions other than COUNT() are refused with MALFORMED_QUERY naming them', async () => {
        const e = await sfError(admin.query('SELECT MAX(Amount) FROM Opportunity'));
        expect(e.errorCode).toBe('MALFORMED_QUERY');
    });
});
