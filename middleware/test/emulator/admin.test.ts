import type { Connection } from '@jsforce/jsforce-node';
import { fetch } from 'undici';
import { API_VERSION, sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

interface Rec {
    Id: string;
    [k: string]: unknown;
}

async function adminCall(
    t: TestEmulator,
    method: string,
    path: string,
    body?: unknown
): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${t.emu.url}/__emulator${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
    });
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    return { status: res.status, body: await res.json() };
}

describe('emulator: Bulk API 2.0 details, fault targeting, multi-currency and the admin surface', () => {
    let t: TestEmulator;
    let conn: Connection;
    beforeAll(async () => {
        t = await startTestEmulator();
        conn = await t.login();
    });
    afterEach(() => t.emu.admin.reset());
    afterAll(() => t.close());

    it('a Bulk API 2.0 queryAll job includes deleted rows; a query job does not', async () => {
        const admin = await t.login('admin@demo.backstory.local');
        const created = (await admin.sobject('Lead').create({ LastName: 'Bulk Gone', Company: 'Gone Inc' })) as {
            id: string;
        };
        await admin.sobject('Lead').destroy(created.id);
        const live: Record<string, string>[] = [];
        for await (const row of await conn.bulk2.query("SELECT Id FROM Lead WHERE LastName = 'Bulk Gone'"))
            live.push(row as Record<string, string>);
        expect(live).toEqual([]);
        const all: Record<string, string>[] = [];
        for await (const row of await conn.bulk2.query("SELECT Id, IsDeleted FROM Lead WHERE LastName = 'Bulk Gone'", {
            scanAll: true
        }))
            all.push(row as Record<string, string>);
        expect(all).toEqual([{ Id: created.id, IsDeleted: 'true' }]);
    });

    it('Bulk API 2.0 refuses a bad query or a child sub-query at job creation (400 INVALIDJOB)', async () => {
        const create = (query: string) =>
            conn.request({
                method: 'POST',
                url: `/services/data/v${API_VERSION}/jobs/query`,
                body: JSON.stringify({ operation: 'query', query }),
                headers: { 'content-type': 'application/json' }
            });
        const bad = await sfError(create('SELECT Nope__c FROM Contact'));
        expect(bad.errorCode).toBe('INVALIDJOB');
        expect(bad.message).toContain('INVALID_FIELD');
        expect((await sfError(create('SELECT Id, (SELECT Id FROM Contacts) FROM Account'))).errorCode).toBe(
            'INVALIDJOB'
        );
    });

    it('Bulk API 2.0: an unknown job is NOT_FOUND, results before completion INVALIDJOBSTATE, a job can be aborted', async () => {
        expect(
            (await sfError(conn.request(`/services/data/v${API_VERSION}/jobs/query/750000000000000AAA`))).errorCode
        ).toBe('NOT_FOUND');
        const job = (await conn.request({
            method: 'POST',
            url: `/services/data/v${API_VERSION}/jobs/query`,
            body: JSON.stringify({ operation: 'query', query: 'SELECT Id FROM Account' }),
            headers: { 'content-type': 'application/json' }
        })) as { id: string; state: string };
        expect(job.state).toBe('UploadComplete');
        const early = await fetch(`${t.emu.url}/services/data/v${API_VERSION}/jobs/query/${job.id}/results`, {
            headers: { authorization: `Bearer ${conn.accessToken}` }
        });
        expect(early.status).toBe(400);
        expect(((await early.json()) as { errorCode: string }[])[0]!.errorCode).toBe('INVALIDJOBSTATE');
        const aborted = (await conn.request({
            method: 'PATCH',
            url: `/services/data/v${API_VERSION}/jobs/query/${job.id}`,
            body: JSON.stringify({ state: 'Aborted' }),
            headers: { 'content-type': 'application/json' }
        })) as { state: string };
        expect(aborted.state).toBe('Aborted');
    });

    it('Bulk API 2.0 results are CSV with an empty field for null and paged by Sforce-Locator until "null"', async () => {
        const job = (await conn.request({
            method: 'POST',
            url: `/services/data/v${API_VERSION}/jobs/query`,
            body: JSON.stringify({ operation: 'query', query: 'SELECT Id, Name, Website FROM Account ORDER BY Name' }),
            headers: { 'content-type': 'application/json' }
        })) as { id: string };
        const info = (await conn.request(`/services/data/v${API_VERSION}/jobs/query/${job.id}`)) as {
            state: string;
            numberRecordsProcessed: number;
        };
        expect(info.state).toBe('JobComplete');
        const res = await fetch(
            `${t.emu.url}/services/data/v${API_VERSION}/jobs/query/${job.id}/results?maxRecords=5`,
            { headers: { authorization: `Bearer ${conn.accessToken}` } }
        );
        expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
        expect(res.headers.get('sforce-numberofrecords')).toBe('5');
        const locator = res.headers.get('sforce-locator');
        expect(locator).not.toBe('null');
        const lines = (await res.text()).trim().split('\n');
        expect(lines[0]).toBe('"Id","Name","Website"'.replace(/"/g, ''));
        expect(lines).toHaveLength(6);
        let last = locator;
        let pages = 1;
        while (last && last !== 'null') {
            const next = await fetch(
                `${t.emu.url}/services/data/v${API_VERSION}/jobs/query/${job.id}/results?maxRecords=5&locator=${last}`,
                { headers: { authorization: `Bearer ${conn.accessToken}` } }
            );
            last = next.headers.get('sforce-locator');
            pages++;
        }
        expect(pages).toBe(Math.ceil(info.numberRecordsProcessed / 5));
    });

    it('faults target an object and an operation: other objects and operations are untouched', async () => {
        t.emu.admin.injectFault({ kind: 'UNABLE_TO_LOCK_ROW', object: 'Contact', operation: 'query', count: 5 });
        expect((await conn.query('SELECT Id FROM Account LIMIT 1')).totalSize).toBe(1);
        expect((await sfError(conn.query('SELECT Id FROM Contact LIMIT 1'))).errorCode).toBe('UNABLE_TO_LOCK_ROW');
        expect((await conn.sobject('Contact').describe()).name).toBe('Contact');
        t.emu.admin.clearFaults();
        t.emu.admin.injectFault({ kind: 'REQUEST_LIMIT_EXCEEDED', operation: 'any' });
        const limit = await fetch(`${t.emu.url}/services/data/v${API_VERSION}/sobjects/Account/describe`, {
            headers: { authorization: `Bearer ${conn.accessToken}` }
        });
        expect(limit.status).toBe(403);
        expect(await limit.json()).toEqual([
            { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED', fields: [] }
        ]);
        expect((await conn.query('SELECT Id FROM Account LIMIT 1')).totalSize).toBe(1);
    });

    it('a fault inside an sObject Collection fails that record with statusCode, the others succeed (allOrNone false)', async () => {
        t.emu.admin.injectFault({ kind: 'UNABLE_TO_LOCK_ROW', object: 'Account', operation: 'update', count: 1 });
        const admin = await t.login('admin@demo.backstory.local');
        const accounts = (await admin.query<Rec>('SELECT Id FROM Account ORDER BY Name LIMIT 3')).records;
        const results = (await admin
            .sobject('Account')
            .update(accounts.map((a) => ({ Id: a.Id, Description: 'touched' })))) as {
            success: boolean;
            errors: { statusCode: string }[];
        }[];
        expect(results.map((r) => (r.success ? 'ok' : r.errors[0]!.statusCode))).toEqual([
            'UNABLE_TO_LOCK_ROW',
            'ok',
            'ok'
        ]);
        expect(results[0]!.errors[0]!.statusCode).toBe('UNABLE_TO_LOCK_ROW');
    });

    it('a Bulk API 2.0 fault fails the job creation', async () => {
        t.emu.admin.injectFault({ kind: 'SERVER_ERROR', operation: 'bulk', status: 503 });
        const res = await fetch(`${t.emu.url}/services/data/v${API_VERSION}/jobs/query`, {
            method: 'POST',
            headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ operation: 'query', query: 'SELECT Id FROM Account' })
        });
        expect(res.status).toBe(503);
        expect(((await res.json()) as { errorCode: string }[])[0]!.errorCode).toBe('UNKNOWN_EXCEPTION');
    });

    it('the admin surface refuses a bad fault, org-wide default or limit with 400 naming the field, changing nothing', async () => {
        const badKind = await adminCall(t, 'POST', '/faults', { kind: 'EXPLODE' });
        expect(badKind.status).toBe(400);
        expect((badKind.body as { fields: string[] }[])[0]!.fields).toEqual(['kind']);
        const badOp = await adminCall(t, 'POST', '/faults', { kind: 'UNABLE_TO_LOCK_ROW', operation: 'merge' });
        expect((badOp.body as { fields: string[] }[])[0]!.fields).toEqual(['operation']);
        const badStatus = await adminCall(t, 'POST', '/faults', { kind: 'SERVER_ERROR', status: 404 });
        expect((badStatus.body as { fields: string[] }[])[0]!.fields).toEqual(['status']);
        expect((await adminCall(t, 'GET', '/faults')).body).toEqual([]);
        const owd = await adminCall(t, 'PUT', '/org-wide-defaults', { Account: 'Private', Case: 'Read' });
        expect(owd.status).toBe(400);
        expect((owd.body as { fields: string[] }[])[0]!.fields).toEqual(['Case']);
        const org = (await conn.query<Rec>('SELECT DefaultAccountAccess FROM Organization')).records[0]!;
        expect(org.DefaultAccountAccess).not.toBe('None');
        expect((await adminCall(t, 'PUT', '/api-limit', { max: -1 })).status).toBe(400);
        expect((await adminCall(t, 'PUT', '/multi-currency', { enabled: 'yes' })).status).toBe(400);
        const ok = await adminCall(t, 'PUT', '/org-wide-defaults', { Opportunity: 'Read' });
        expect(ok.body).toMatchObject({ Opportunity: 'Read' });
        t.emu.admin.setOrgWideDefault('Opportunity', 'Edit');
    });

    it('reset clears faults, the API-call count, the request log and notifications', async () => {
        t.emu.admin.injectFault({ kind: 'UNABLE_TO_LOCK_ROW', operation: 'update' });
        await conn.query('SELECT Id FROM Account LIMIT 1');
        expect(t.emu.admin.apiCalls()).toBeGreaterThan(0);
        const res = await adminCall(t, 'POST', '/reset');
        expect(res.status).toBe(200);
        expect(t.emu.admin.apiCalls()).toBe(0);
        expect(t.emu.admin.requestLog()).toEqual([]);
        expect((await adminCall(t, 'GET', '/faults')).body).toEqual([]);
        expect((await adminCall(t, 'GET', '/api-calls')).body).toMatchObject({ apiCalls: 0 });
    });

    it('the request log records method, path, status, user and whether the call counted against the limit', async () => {
        await conn.query('SELECT Id FROM Account LIMIT 1');
        await conn.limits();
        await sfError(conn.query('SELECT Nope FROM Account'));
        const log = (
            (await adminCall(t, 'GET', '/requests')).body as {
                path: string;
                status: number;
                counted: boolean;
                userId: string;
            }[]
        ).slice(-3);
        expect(log.map((l) => [l.status, l.counted])).toEqual([
            [200, true],
            [200, false],
            [400, true]
        ]);
        expect(log[0]!.userId).toBe(t.emu.demo.integrationUser.id);
        expect(log[1]!.path).toContain('/limits');
    });

    it('multi-currency can be turned on and off: CurrencyType, DatedConversionRate and CurrencyIsoCode appear and go', async () => {
        const admin = await t.login('admin@demo.backstory.local');
        expect((await conn.describeGlobal()).sobjects.map((s) => s.name)).not.toContain('CurrencyType');
        expect((await adminCall(t, 'PUT', '/multi-currency', { enabled: true })).body).toEqual({ multiCurrency: true });
        const global = (await conn.describeGlobal()).sobjects.map((s) => s.name);
        expect(global).toEqual(expect.arrayContaining(['CurrencyType', 'DatedConversionRate']));
        const fields = (await admin.sobject('Account').describe()).fields.map((f) => f.name);
        expect(fields).toContain('CurrencyIsoCode');
        const codes = await admin.query<Rec>('SELECT IsoCode, IsCorporate FROM CurrencyType ORDER BY IsoCode');
        expect(codes.records.map((r) => [r.IsoCode, r.IsCorporate])).toEqual([
            ['EUR', false],
            ['GBP', false],
            ['USD', true]
        ]);
        const existing = await admin.query<Rec>('SELECT CurrencyIsoCode FROM Account LIMIT 1');
        expect(existing.records[0]!.CurrencyIsoCode).toBe('USD');
        const eur = (await admin.sobject('Opportunity').create({
            Name: 'Euro deal',
            StageName: 'Prospecting',
            CloseDate: '2030-01-01',
            CurrencyIsoCode: 'EUR'
        })) as { id: string };
        expect(((await admin.sobject('Opportunity').retrieve(eur.id)) as Rec).CurrencyIsoCode).toBe('EUR');
        t.emu.admin.setMultiCurrency(false);
        expect((await conn.describeGlobal()).sobjects.map((s) => s.name)).not.toContain('CurrencyType');
        expect((await sfError(admin.query('SELECT CurrencyIsoCode FROM Account'))).errorCode).toBe('INVALID_FIELD');
        expect((await admin.query("SELECT Id FROM Opportunity WHERE Name = 'Euro deal'")).totalSize).toBe(1);
    });

    it('records can be loaded directly over HTTP (POST /__emulator/records/<object>)', async () => {
        const res = await adminCall(t, 'POST', '/records/Lead', {
            records: [{ LastName: 'Direct', Company: 'Loaded Co', Status: 'Open - Not Contacted' }]
        });
        expect(res.status).toBe(201);
        const ids = (res.body as { ids: string[] }).ids;
        const row = (await conn.query<Rec>(`SELECT Company, CreatedDate FROM Lead WHERE Id = '${ids[0]!}'`)).records[0];
        expect(row).toMatchObject({ Company: 'Loaded Co' });
        expect((await adminCall(t, 'POST', '/records/Nope__c', { records: [] })).status).toBe(400);
    });

    it('the demo connected app key is readable over HTTP for out-of-process JWT tests', async () => {
        const app = (await adminCall(t, 'GET', '/connected-app')).body as { clientId: string; privateKey: string };
        expect(app.clientId).toBe('backstory-local');
        expect(app.privateKey).toBe(t.emu.admin.jwtPrivateKey());
    });

    it('unknown REST paths and malformed JSON bodies answer in Salesforce’s error shape and content type', async () => {
        const nope = await fetch(`${t.emu.url}/services/data/v${API_VERSION}/nope`, {
            headers: { authorization: `Bearer ${conn.accessToken}` }
        });
        expect(nope.status).toBe(404);
        expect(nope.headers.get('content-type')).toBe('application/json;charset=UTF-8');
        expect(((await nope.json()) as { errorCode: string }[])[0]!.errorCode).toBe('NOT_FOUND');
        const bad = await fetch(`${t.emu.url}/services/data/v${API_VERSION}/sobjects/Account`, {
            method: 'POST',
            headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
            body: '{"Name": '
        });
        expect(bad.status).toBe(400);
        expect(bad.headers.get('content-type')).toBe('application/json;charset=UTF-8');
        expect(((await bad.json()) as { errorCode: string }[])[0]!.errorCode).toBe('JSON_PARSER_ERROR');
    });
});
