import type { Connection } from '@jsforce/jsforce-node';
import { API_VERSION, sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

describe('emulator conformance: replication, search, 404s, version resource, limits, result shapes (through jsforce)', () => {
    let t: TestEmulator;
    let admin: Connection;
    beforeAll(async () => {
        t = await startTestEmulator({ seed: 'empty' });
        admin = await t.login('admin@demo.backstory.local');
    });
    afterAll(() => t.close());

    it('sobjects/X/updated and /deleted list ids in the window, with latestDateCovered on a whole minute', async () => {
        const start = new Date(Date.now() - 5 * 60_000);
        const a = await admin.sobject('Account').create({ Name: 'Replicated' });
        const b = await admin.sobject('Account').create({ Name: 'Gone' });
        await admin.sobject('Account').destroy(b.id!);
        const end = new Date(Date.now() + 60 * 60_000);
        const updated = await admin.sobject('Account').updated(start.toISOString(), end.toISOString());
        expect(updated.ids).toContain(a.id);
        expect(updated.ids).not.toContain(b.id);
        // An end in the future covers up to now; a past end is taken to the minute (seconds ignored).
        expect(Date.parse(updated.latestDateCovered.replace('+0000', 'Z'))).toBeLessThan(end.getTime());
        const past = await admin
            .sobject('Account')
            .updated(start.toISOString(), new Date(Date.now() - 61_000).toISOString());
        expect(past.latestDateCovered).toMatch(/:00\.000\+0000$/);
        expect(past.ids).not.toContain(a.id);
        const deleted = await admin.sobject('Account').deleted(start.toISOString(), end.toISOString());
        expect(deleted.deletedRecords.map((r) => r.id)).toEqual([b.id]);
        expect(deleted.earliestDateAvailable).toBeTruthy();

        const old = new Date(Date.now() - 31 * 24 * 60 * 60_000);
        expect((await sfError(admin.sobject('Account').updated(old.toISOString(), end.toISOString()))).errorCode).toBe(
            'INVALID_REPLICATION_DATE'
        );
        expect(
            (await sfError(admin.sobject('Account').updated(end.toISOString(), start.toISOString()))).errorCode
        ).toBe('INVALID_REPLICATION_DATE');
        const deletedTooOld = new Date(Date.now() - 16 * 24 * 60 * 60_000);
        expect(
            (await sfError(admin.sobject('Account').deleted(deletedTooOld.toISOString(), end.toISOString()))).errorCode
        ).toBe('INVALID_REPLICATION_DATE');
    });

    it('SOSL FIND … IN EMAIL FIELDS RETURNING Contact(Id, Email), Lead(…) and parameterizedSearch', async () => {
        const acct = await admin.sobject('Account').create({ Name: 'Search Co' });
        await admin
            .sobject('Contact')
            .create({ LastName: 'Finder', Email: 'jane.finder@search.example.com', AccountId: acct.id });
        await admin.sobject('Contact').create({ LastName: 'Other', Email: 'someone@elsewhere.example.com' });
        await admin
            .sobject('Lead')
            .create({ LastName: 'Lead', Company: 'Search Co', Email: 'lead.finder@search.example.com' });
        const res = await admin.search(
            'FIND {search.example.com} IN EMAIL FIELDS RETURNING Contact(Id, Email ORDER BY Email), Lead(Id, Email, Company)'
        );
        const rows = res.searchRecords as unknown as {
            attributes: { type: string };
            Email: string;
            Company?: string;
        }[];
        expect(rows.map((r) => [r.attributes.type, r.Email])).toEqual([
            ['Contact', 'jane.finder@search.example.com'],
            ['Lead', 'lead.finder@search.example.com']
        ]);
        expect(rows[1]!.Company).toBe('Search Co');
        // NAME fields: the account name matches, the emails do not count.
        const byName = await admin.search('FIND {Search Co} IN NAME FIELDS RETURNING Account(Name), Contact(Email)');
        expect((byName.searchRecords as { Name?: string }[]).map((r) => r.Name)).toEqual(['Search Co']);
        // A WHERE and a LIMIT inside RETURNING.
        const limited = await admin.search("FIND {finder*} RETURNING Contact(Id WHERE LastName = 'Finder' LIMIT 1)");
        expect(limited.searchRecords).toHaveLength(1);

        const get = await admin.request<{ searchRecords: { Email: string }[] }>(
            `/services/data/v${API_VERSION}/parameterizedSearch?q=search.example.com&in=EMAIL&sobject=Contact&Contact.fields=Id,Email`
        );
        expect(get.searchRecords.map((r) => r.Email)).toEqual(['jane.finder@search.example.com']);
        const post = await admin.request<{ searchRecords: { attributes: { type: string } }[] }>({
            method: 'POST',
            url: `/services/data/v${API_VERSION}/parameterizedSearch`,
            body: JSON.stringify({ q: 'finder', in: 'EMAIL', sobjects: [{ name: 'Lead', fields: ['Id', 'Email'] }] }),
            headers: { 'content-type': 'application/json' }
        });
        expect(post.searchRecords.map((r) => r.attributes.type)).toEqual(['Lead']);
        expect((await sfError(admin.search('FIND nothing'))).errorCode).toBe('MALFORMED_SEARCH');
        const badIn = await sfError(
            admin.request(`/services/data/v${API_VERSION}/parameterizedSearch?q=abc&in=EVERYTHING`)
        );
        expect(badIn.errorCode).toBe('INVALID_FIELD');
    });

    it('answers 404 NOT_FOUND for what it does not emulate, the real shape for recent and query?explain=', async () => {
        const v = `/services/data/v${API_VERSION}`;
        const acct = await admin.sobject('Account').create({ Name: 'Shapes' });
        for (const path of [
            `${v}/sobjects/Account/describe/layouts`,
            `${v}/sobjects/Account/listviews`,
            `${v}/sobjects/Account/${acct.id}/Contacts`,
            `${v}/sobjects/Account/Name/Shapes`,
            `${v}/tabs`,
            `${v}/theme`,
            `${v}/tooling/query?q=SELECT+Id+FROM+ApexClass`,
            `${v}/ui-api/object-info/Account`,
            '/services/data/v20.0/sobjects',
            '/services/apexrest/anything'
        ]) {
            const e = await sfError(admin.request(path));
            expect([path, e.errorCode]).toEqual([path, 'NOT_FOUND']);
        }
        expect(await admin.request(`${v}/recent`)).toEqual([]);
        const plan = await admin.request<{
            plans: { sobjectType: string; leadingOperationType: string }[];
            sourceQuery: string;
        }>(`${v}/query?explain=${encodeURIComponent('SELECT Id FROM Account')}`);
        expect(plan.plans[0]).toMatchObject({ sobjectType: 'Account', leadingOperationType: 'TableScan' });
        expect(plan.sourceQuery).toBe('SELECT Id FROM Account');
    });

    it('the version resource names identity and the other resources; /services/data lists every version served', async () => {
        const versionResource = await admin.request<Record<string, string>>(`/services/data/v${API_VERSION}`);
        expect(versionResource.identity).toBe(`${t.emu.url}/id/${t.emu.orgId}/${t.emu.demo.adminUser.id}`);
        for (const k of [
            'sobjects',
            'query',
            'queryAll',
            'search',
            'parameterizedSearch',
            'composite',
            'jobs',
            'limits',
            'recent'
        ])
            expect(versionResource[k]).toBe(`/services/data/v${API_VERSION}/${k}`);
        const versions = await admin.request<{ version: string; url: string; label: string }[]>('/services/data');
        const served = versions.map((x) => x.version);
        expect(served).toContain(API_VERSION);
        expect(served).toContain('31.0');
        // Every listed version is served, and one that is not listed is not.
        for (const version of served) await admin.request(`/services/data/v${version}/limits`);
        expect((await sfError(admin.request('/services/data/v30.0/limits'))).errorCode).toBe('NOT_FOUND');
    });

    it('/limits has the key set of a real org, each with Max and Remaining', async () => {
        const limits = (await admin.limits()) as unknown as Record<string, { Max: number; Remaining: number }>;
        for (const key of [
            'DailyApiRequests',
            'DailyBulkV2QueryJobs',
            'DailyBulkApiBatches',
            'FileStorageMB',
            'DataStorageMB',
            'DailyAsyncApexExecutions',
            'HourlyPublishedPlatformEvents',
            'SingleEmail',
            'MassEmail',
            'StreamingApiConcurrentClients'
        ])
            expect(limits[key]).toEqual({ Max: expect.any(Number), Remaining: expect.any(Number) });
        expect(Object.keys(limits).length).toBeGreaterThanOrEqual(50);
        const before = limits.DataStorageMB!.Remaining;
        t.emu.admin.insertRecords(
            'Account',
            Array.from({ length: 2000 }, (_, i) => ({ Name: `Storage ${i}` }))
        );
        const after = (await admin.limits()) as unknown as Record<string, { Remaining: number }>;
        expect(after.DataStorageMB!.Remaining).toBeLessThan(before);
    });

    it('collection upsert results carry created, also when failed or rolled back under allOrNone', async () => {
        const ext = 'peopleai__Activity_Id__c';
        const owner = t.emu.demo.adminUser.id;
        const ok = await admin
            .sobject('Task')
            .upsert([{ [ext]: 'shape-1', Subject: 'One', OwnerId: owner }], ext, { allOrNone: false });
        expect(ok).toEqual([{ id: expect.any(String), success: true, errors: [], created: true }]);
        const rolled = await admin.sobject('Task').upsert(
            [
                { [ext]: 'shape-1', Subject: 'One again', OwnerId: owner },
                { [ext]: 'shape-2', Subject: 'Two', ActivityDate: 'not a date', OwnerId: owner }
            ],
            ext,
            { allOrNone: true }
        );
        expect(rolled).toEqual([
            {
                success: false,
                errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })],
                created: false
            },
            { success: false, errors: [expect.objectContaining({ statusCode: 'JSON_PARSER_ERROR' })], created: false }
        ]);
        const subject = await admin.query<{ Subject: string }>(`SELECT Subject FROM Task WHERE ${ext} = 'shape-1'`);
        expect(subject.records[0]!.Subject).toBe('One');
    });

    it('polymorphic Who/What/Owner: Name-entity paths (Owner.Name, What.Type), a queue as owner, TYPEOF', async () => {
        const acct = await admin.sobject('Account').create({ Name: 'Poly Co', Phone: '555-0100' });
        const contact = await admin.sobject('Contact').create({ LastName: 'Poly', Email: 'poly@example.com' });
        const queue = t.emu.admin.insertRecords('Group', [
            { Name: 'Support Queue', DeveloperName: 'Support_Queue', Type: 'Queue' }
        ])[0]!;
        await admin.sobject('Task').create({ Subject: 'Mine', WhoId: contact.id, WhatId: acct.id });
        await admin.sobject('Task').create({ Subject: 'Queued', OwnerId: queue.Id });
        const rows = await admin.query<Record<string, any>>(
            "SELECT Subject, Owner.Name, Owner.Type, Owner.Username, Who.Name, Who.Email, What.Name, What.Type FROM Task WHERE Subject IN ('Mine','Queued') ORDER BY Subject"
        );
        const [mine, queued] = rows.records;
        expect(mine!.Owner).toMatchObject({
            Name: expect.any(String),
            Type: 'User',
            Username: 'admin@demo.backstory.local'
        });
        expect(mine!.Owner.attributes.type).toBe('User');
        expect(mine!.Who).toMatchObject({ Name: 'Poly', Email: 'poly@example.com', attributes: { type: 'Contact' } });
        expect(mine!.What).toMatchObject({ Name: 'Poly Co', Type: 'Account', attributes: { type: 'Account' } });
        expect(queued!.Owner).toMatchObject({ Name: 'Support Queue', Type: 'Queue', Username: null });
        expect(queued!.Owner.attributes.type).toBe('Group');
        expect(queued!.Who).toBeNull();
        // Filters on the Name entity.
        const byType = await admin.query("SELECT Id FROM Task WHERE What.Type = 'Account' AND Owner.Type = 'User'");
        expect(byType.totalSize).toBe(1);
        // TYPEOF picks the field list by the record's type.
        const typed = await admin.query<Record<string, any>>(
            "SELECT Subject, TYPEOF What WHEN Account THEN Name, Phone WHEN Opportunity THEN Amount ELSE Name END FROM Task WHERE Subject = 'Mine'"
        );
        expect(typed.records[0]!.What).toEqual({
            attributes: expect.objectContaining({ type: 'Account' }),
            Name: 'Poly Co',
            Phone: '555-0100'
        });
        // Beyond the Name entity: INVALID_FIELD, as on Salesforce (TYPEOF is the way).
        expect((await sfError(admin.query('SELECT What.Owner.Name FROM Task'))).errorCode).toBe('INVALID_FIELD');
        expect((await sfError(admin.query('SELECT What.AnnualRevenue FROM Task'))).errorCode).toBe('INVALID_FIELD');
    });
});
