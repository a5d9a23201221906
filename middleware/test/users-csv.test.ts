import { fetch } from 'undici';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';

type Json = Record<string, unknown> & { id: string };

describe('users CSV import and export (UT-6)', () => {
    let app: TestApp;
    beforeAll(async () => {
        app = await startTestApp();
    });
    afterAll(async () => {
        await app.close();
    });

    const importCsv = async (o: TestOrg, csv: string, mode?: string) => {
        const res = await fetch(`${app.url}/v1/users/import${mode ? `?mode=${mode}` : ''}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${o.apiKey}`, 'content-type': 'text/csv' },
            body: csv
        });
        return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const exportCsv = async (o: TestOrg) => {
        const res = await fetch(`${app.url}/v1/users/export`, { headers: { authorization: `Bearer ${o.apiKey}` } });
        expect(res.headers.get('content-type')).toContain('text/csv');
        return res.text();
    };
    const allUsers = async (o: TestOrg) => {
        const out: Json[] = [];
        let cursor: string | null = null;
        do {
            const page: { body: { items: Json[]; nextCursor: string | null } } = await app.call(
                o.apiKey,
                'GET',
                `/v1/users?limit=500${cursor ? `&cursor=${cursor}` : ''}`
            );
            out.push(...page.body.items);
            cursor = page.body.nextCursor;
        } while (cursor);
        return out;
    };

    it('UT-6 imports columns in any order with quoted fields, a BOM, CRLF and ;-separated licences', async () => {
        const o = await app.newOrg();
        await app.call(o.apiKey, 'POST', '/v1/profiles', { name: 'Sales Team – Full Sync' });
        const csv =
            '\uFEFFEmail,Last Name,First Name,Licenses,Role,Object Visibility,Team,Configuration Profile,Job Title\r\n' +
            'ada@x.test,Lovelace,Ada,"Foundation; PeopleGlass Enterprise",Admin,Full,Sales,sales team – full sync,"Engineer, Analytical"\r\n' +
            'bob@x.test,"O""Brien",Bob,Unified Backstory Application Enterprise;Forecasting,manager,Team Ownership,Sales,,\r\n' +
            '\r\n' +
            'cy@x.test,Young,Cy,,,,,,\r\n';
        const res = await importCsv(o, csv);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ created: 3, updated: 0, errors: [], teamsCreated: ['Sales'] });
        const users = await allUsers(o);
        const byEmail = new Map(users.map((u) => [u.email, u]));
        const profiles = (await app.call(o.apiKey, 'GET', '/v1/profiles')).body.items as Json[];
        const sales = profiles.find((p) => p.name === 'Sales Team – Full Sync');
        const def = profiles.find((p) => p.isDefault);
        const team = ((await app.call(o.apiKey, 'GET', '/v1/teams')).body.items as Json[])[0];
        expect(byEmail.get('ada@x.test')).toMatchObject({
            firstName: 'Ada',
            role: 'admin',
            licenses: ['foundation', 'unified_enterprise'],
            visibility: 'full',
            teamId: team?.id,
            profileId: sales?.id,
            jobTitle: 'Engineer, Analytical',
            source: 'csv',
            status: 'pending'
        });
        expect(byEmail.get('bob@x.test')).toMatchObject({
            lastName: 'O"Brien',
            role: 'manager',
            licenses: ['forecasting', 'unified_enterprise'],
            visibility: 'team',
            profileId: def?.id,
            jobTitle: null
        });
        expect(byEmail.get('cy@x.test')).toMatchObject({
            role: 'member',
            licenses: ['foundation'],
            visibility: 'team',
            teamId: null
        });
    });

    it('UT-6 reports every bad row with its line and column, and all-or-nothing changes nothing', async () => {
        const o = await app.newOrg();
        const csv = [
            'First Name,Last Name,Email,Role,Licenses,Object Visibility,Configuration Profile',
            'Ann,A,ann@x.test,Member,Foundation,Full,',
            ',B,not-an-email,Boss,Gold;Foundation,Everything,Nope',
            '"Multi',
            'line",C,c@x.test,Member,Foundation,Team,',
            'Dup,D,ANN@x.test,Member,Foundation,Team,',
            'Eve,E,eve@x.test,Member,;,Team,'
        ].join('\n');
        const res = await importCsv(o, csv);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect(res.body.created).toBe(0);
        expect(res.body.errors).toEqual([
            { line: 3, column: 'First Name', message: 'is required' },
            { line: 3, column: 'Email', message: '"not-an-email" is not an email address' },
            { line: 3, column: 'Role', message: expect.stringContaining('"Boss" is not a role') },
            {
                line: 3,
                column: 'Object Visibility',
                message: expect.stringContaining('"Everything" is not a visibility')
            },
            { line: 3, column: 'Licenses', message: expect.stringContaining('"Gold" is not a licence') },
            { line: 3, column: 'Configuration Profile', message: 'no configuration profile named "Nope"' },
            { line: 6, column: 'Email', message: 'ANN@x.test is already on line 2: each user appears once' },
            { line: 7, column: 'Licenses', message: 'names no licence' }
        ]);
        expect(await allUsers(o)).toEqual([]);

        const partial = await importCsv(o, csv, 'apply_valid');
        expect(partial.status).toBe(200);
        expect(partial.body).toMatchObject({ created: 2, updated: 0 });
        expect(partial.body.errors).toHaveLength(8);
        expect((await allUsers(o)).map((u) => u.firstName).sort()).toEqual(['Ann', 'Multi\nline']);
    });

    it('UT-6 validate reports every bad row and the rows that would apply, changing nothing; JSON {csv} is accepted', async () => {
        const o = await app.newOrg();
        const csv = [
            'First Name,Last Name,Email,Role,Team',
            'Ann,A,ann@x.test,Member,Sales',
            'Bob,B,bob@x.test,Boss,Sales',
            'Cy,C,cy@x.test,Member,'
        ].join('\n');
        const checked = await importCsv(o, csv, 'validate');
        expect(checked.status).toBe(200);
        expect(checked.body).toEqual({
            created: 0,
            updated: 0,
            validRows: 2,
            teamsCreated: ['Sales'],
            errors: [{ line: 3, column: 'Role', message: expect.stringContaining('"Boss" is not a role') }]
        });
        expect(await allUsers(o)).toEqual([]);
        expect((await app.call(o.apiKey, 'GET', '/v1/teams')).body.items).toEqual([]);

        // The Apex proxy sends JSON only: the same file as {csv}.
        const applied = await app.call(o.apiKey, 'POST', '/v1/users/import?mode=apply_valid', { csv });
        expect(applied.status).toBe(200);
        expect(applied.body).toMatchObject({ created: 2, updated: 0, teamsCreated: ['Sales'] });
        expect((await allUsers(o)).map((u) => u.email).sort()).toEqual(['ann@x.test', 'cy@x.test']);

        const wrong = await app.call(o.apiKey, 'POST', '/v1/users/import', { text: csv });
        expect(wrong.status).toBe(400);
        expect(wrong.body.error.details[0].path).toContain('body');
    });

    it('UT-6 refuses a file whose header is wrong or which is not CSV, in either mode', async () => {
        const o = await app.newOrg();
        const missing = await importCsv(o, 'First Name,Last Name,Emial\nA,B,a@x.test\n', 'apply_valid');
        expect(missing.body.errors).toEqual([
            { line: 1, column: 'Emial', message: expect.stringContaining('unknown column "Emial"') },
            { line: 1, column: 'Email', message: 'the required column Email is missing' }
        ]);
        const broken = await importCsv(o, 'First Name,Last Name,Email\n"A,B,a@x.test\n');
        expect(broken.status).toBe(400);
        expect(broken.body.errors[0].message).toContain('not readable as CSV');
        const empty = await importCsv(o, '\uFEFF\r\n');
        expect(empty.body.errors).toEqual([
            { line: 1, column: '', message: 'the file is empty: it needs a header row' }
        ]);
        const json = await app.call(o.apiKey, 'POST', '/v1/users/import', { a: 1 });
        expect(json.status).toBe(400);
        expect(await allUsers(o)).toEqual([]);
    });

    it('UT-6 an export re-imports to the same state, here and into a fresh org, and neutralises formulas', async () => {
        const o = await app.newOrg();
        const sales = (await app.call(o.apiKey, 'POST', '/v1/teams', { name: 'Sales', kind: 'hierarchy' })).body;
        const east1 = (
            await app.call(o.apiKey, 'POST', '/v1/teams', { name: 'East', kind: 'hierarchy', parentId: sales.id })
        ).body;
        const ops = (await app.call(o.apiKey, 'POST', '/v1/teams', { name: 'Ops', kind: 'hierarchy' })).body;
        const east2 = (
            await app.call(o.apiKey, 'POST', '/v1/teams', { name: 'East', kind: 'hierarchy', parentId: ops.id })
        ).body;
        const profile = (await app.call(o.apiKey, 'POST', '/v1/profiles', { name: 'P; "quoted"' })).body;
        const add = (body: Record<string, unknown>) => app.call(o.apiKey, 'POST', '/v1/users', body);
        await add({
            firstName: '=HYPERLINK("http://evil")',
            lastName: '+SUM(1)',
            email: 'evil@x.test',
            jobTitle: '@cmd',
            teamId: east1.id
        });
        await add({
            firstName: 'Zoe',
            lastName: '-Minus',
            email: 'zoe@x.test',
            teamId: east2.id,
            profileId: profile.id,
            licenses: ['forecasting', 'engagement_dashboard'],
            role: 'data',
            visibility: 'individual'
        });
        await add({ firstName: 'Tab', lastName: '\tT', email: 'tab@x.test' });
        const csv = await exportCsv(o);
        expect(csv.split('\r\n')[0]).toBe(
            'First Name,Last Name,Email,Role,Licenses,Object Visibility,Team,Configuration Profile,Job Title'
        );
        expect(csv).toContain(
            `"'=HYPERLINK(""http://evil"")",'+SUM(1),evil@x.test,Member,Foundation,Team,Sales > East,Default - Intake Off,'@cmd\r\n`
        );
        expect(csv).toContain(
            'Zoe,\'-Minus,zoe@x.test,Data,Engagement Dashboard;Forecasting,Individual,Ops > East,"P; ""quoted""",\r\n'
        );
        for (const line of csv.split('\r\n').slice(1))
            for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+\-@\t\r]/);

        const before = await allUsers(o);
        const again = await importCsv(o, csv);
        expect(again.body).toEqual({ created: 0, updated: 0, errors: [], teamsCreated: [] });
        expect(await allUsers(o)).toEqual(before);

        // A fresh org with the same teams and profile gets the same users.
        const fresh = await app.newOrg();
        const fs = (await app.call(fresh.apiKey, 'POST', '/v1/teams', { name: 'Sales', kind: 'hierarchy' })).body;
        await app.call(fresh.apiKey, 'POST', '/v1/teams', { name: 'East', kind: 'hierarchy', parentId: fs.id });
        const fo = (await app.call(fresh.apiKey, 'POST', '/v1/teams', { name: 'Ops', kind: 'hierarchy' })).body;
        await app.call(fresh.apiKey, 'POST', '/v1/teams', { name: 'East', kind: 'hierarchy', parentId: fo.id });
        await app.call(fresh.apiKey, 'POST', '/v1/profiles', { name: 'P; "quoted"' });
        const imported = await importCsv(fresh, csv);
        expect(imported.body).toMatchObject({ created: 3, errors: [] });
        expect(await exportCsv(fresh)).toBe(csv);
        const evil = (await allUsers(fresh)).find((u) => u.email === 'evil@x.test');
        expect(evil).toMatchObject({ firstName: '=HYPERLINK("http://evil")', lastName: '+SUM(1)', jobTitle: '@cmd' });
    });

    it('UT-6 updates known emails and counts only users that changed', async () => {
        const o = await app.newOrg();
        await importCsv(o, 'First Name,Last Name,Email,Role\nAnn,A,ann@x.test,Member\nBen,B,ben@x.test,Member\n');
        const res = await importCsv(
            o,
            'Email,Role,First Name,Last Name\nANN@x.test,Admin,Ann,A\nben@x.test,Member,Ben,B\nnew@x.test,,New,N\n'
        );
        expect(res.body).toEqual({ created: 1, updated: 1, errors: [], teamsCreated: [] });
        const ann = (await allUsers(o)).find((u) => u.firstName === 'Ann');
        expect(ann).toMatchObject({ role: 'admin', email: 'ANN@x.test' });
    });

    const bigCsv = (n: number, bad?: number) => {
        const lines = ['First Name,Last Name,Email,Role,Licenses,Object Visibility,Team,Job Title'];
        for (let i = 0; i < n; i++)
            lines.push(
                `First${i},Last${i},user${i}@big.test,${i % 7 === 0 ? 'Manager' : 'Member'},Foundation;Forecasting,Team,Team ${i % 20},AE`
            );
        if (bad !== undefined) lines[bad] = `Bad,Row,not-an-email-${bad},Member,Foundation,Team,Team 1,AE`;
        return lines.join('\r\n');
    };

    it('UT-6 a 10,000-row CSV with one bad row changes nothing and reports that row', async () => {
        const o = await app.newOrg();
        const res = await importCsv(o, bigCsv(10_000, 7_321));
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([
            { line: 7_322, column: 'Email', message: '"not-an-email-7321" is not an email address' }
        ]);
        const stats = await app.call(o.apiKey, 'GET', '/v1/users/stats');
        expect(stats.body.total).toBe(0);
        expect((await app.call(o.apiKey, 'GET', '/v1/teams')).body.items).toEqual([]);
    }, 180_000); // heavy: not a timed test, the limit only guards a loaded machine

    it('UT-6 a 10,000-row CSV imports in one transaction (seconds, not minutes)', async () => {
        const o = await app.newOrg();
        const started = Date.now();
        const res = await importCsv(o, bigCsv(10_000));
        const ms = Date.now() - started;
        expect(res.body).toMatchObject({ created: 10_000, updated: 0, errors: [] });
        expect(res.body.teamsCreated).toHaveLength(20);
        process.stdout.write(`UT-6: imported 10,000 CSV rows in ${ms} ms\n`);
        const stats = await app.call(o.apiKey, 'GET', '/v1/users/stats');
        expect(stats.body).toMatchObject({ total: 10_000, pending: 10_000 });
        const started2 = Date.now();
        const again = await importCsv(o, await exportCsv(o));
        process.stdout.write(`UT-6: re-imported the 10,000-user export (no change) in ${Date.now() - started2} ms\n`);
        expect(again.body).toMatchObject({ created: 0, updated: 0, errors: [] });
    }, 180_000); // heavy: not a timed test, the limit only guards a loaded machine
});
