import type { Connection } from '@jsforce/jsforce-node';
import { fetch } from 'undici';
import { API_VERSION, sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

describe('emulator: Bulk API 2.0, limits, notifications and injected faults', () => {
    let t: TestEmulator;
    let conn: Connection;
    beforeAll(async () => {
        t = await startTestEmulator();
        conn = await t.login();
    });
    afterEach(() => t.emu.admin.clearFaults());
    afterAll(() => t.close());

    it('Bulk API 2.0 query jobs: create, poll, CSV results paged with Sforce-Locator until "null"', async () => {
        const rows: Record<string, string>[] = [];
        const records = await conn.bulk2.query('SELECT Id, Email, Account.Name FROM Contact ORDER BY Email');
        for await (const row of records) rows.push(row as Record<string, string>);
        const viaRest = await conn.query('SELECT COUNT() FROM Contact');
        expect(rows).toHaveLength(viaRest.totalSize);
        expect(Object.keys(rows[0]!)).toEqual(['Id', 'Email', 'Account.Name']);
        // Paging by hand: maxRecords=10 → several pages, the last with Sforce-Locator: null.
        const job = (await conn.request({
            method: 'POST',
            url: `/services/data/v${API_VERSION}/jobs/query`,
            body: JSON.stringify({ operation: 'query', query: 'SELECT Id FROM Contact' }),
            headers: { 'content-type': 'application/json' }
        })) as { id: string };
        await conn.request(`/services/data/v${API_VERSION}/jobs/query/${job.id}`);
        const info = (await conn.request(`/services/data/v${API_VERSION}/jobs/query/${job.id}`)) as { state: string };
        expect(info.state).toBe('JobComplete');
        const locators: string[] = [];
        let locator = '';
        do {
            const res = await fetch(
                `${t.emu.url}/services/data/v${API_VERSION}/jobs/query/${job.id}/results?maxRecords=25${locator ? `&locator=${locator}` : ''}`,
                { headers: { authorization: `Bearer ${conn.accessToken}` } }
            );
            locator = res.headers.get('sforce-locator') ?? 'null';
            locators.push(locator);
        } while (locator !== 'null');
        expect(locators.length).toBe(Math.ceil(viaRest.totalSize / 25));
    });

    it('/limits reports DailyApiRequests counted per call, and every response carries Sforce-Limit-Info', async () => {
        t.emu.admin.resetApiCalls();
        await conn.query('SELECT Id FROM Account LIMIT 1');
        await conn.query('SELECT Id FROM Account LIMIT 1');
        const limits = (await conn.limits()) as { DailyApiRequests: { Max: number; Remaining: number } };
        expect(limits.DailyApiRequests.Max - limits.DailyApiRequests.Remaining).toBe(2);
        expect(t.emu.admin.apiCalls()).toBe(2);
        const res = await fetch(`${t.emu.url}/services/data/v${API_VERSION}/sobjects`, {
            headers: { authorization: `Bearer ${conn.accessToken}` }
        });
        expect(res.headers.get('sforce-limit-info')).toBe('api-usage=3/100000');
    });

    it('answers REQUEST_LIMIT_EXCEEDED once the daily allowance is spent', async () => {
        t.emu.admin.resetApiCalls();
        t.emu.admin.setApiLimit(1);
        await conn.query('SELECT Id FROM Account LIMIT 1');
        const e = await sfError(conn.query('SELECT Id FROM Account LIMIT 1'));
        expect(e.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
        t.emu.admin.setApiLimit(100000);
    });

    it('records custom notifications sent through customNotificationAction', async () => {
        const type = await conn.query<{ Id: string }>('SELECT Id FROM CustomNotificationType LIMIT 1');
        expect(type.totalSize).toBe(1);
        const result = (await conn.requestPost(
            `/services/data/v${API_VERSION}/actions/standard/customNotificationAction`,
            {
                inputs: [
                    {
                        customNotifTypeId: type.records[0]!.Id,
                        recipientIds: [t.emu.demo.adminUser.id],
                        title: 'Meeting follow-up',
                        body: 'Answer 2 questions',
                        targetPageRef: '{"type":"standard__navItemPage","attributes":{"apiName":"Backstory_Follow_Up"}}'
                    }
                ]
            }
        )) as { isSuccess: boolean }[];
        expect(result[0]!.isSuccess).toBe(true);
        expect(t.emu.admin.notifications()).toEqual([
            expect.objectContaining({ title: 'Meeting follow-up', recipientIds: [t.emu.demo.adminUser.id] })
        ]);
        const bad = (await conn.requestPost(
            `/services/data/v${API_VERSION}/actions/standard/customNotificationAction`,
            { inputs: [{ customNotifTypeId: 'nope', recipientIds: [], title: 't', body: 'b' }] }
        )) as { isSuccess: boolean }[];
        expect(bad[0]!.isSuccess).toBe(false);
    });

    it('injected UNABLE_TO_LOCK_ROW fails the given number of matching calls, then stops', async () => {
        const account = (await conn.query<{ Id: string }>('SELECT Id FROM Account LIMIT 1')).records[0]!;
        t.emu.admin.injectFault({ kind: 'UNABLE_TO_LOCK_ROW', object: 'Account', operation: 'update', count: 2 });
        for (let i = 0; i < 2; i++)
            expect((await sfError(conn.sobject('Account').update({ Id: account.Id, Name: 'Locked' }))).errorCode).toBe(
                'UNABLE_TO_LOCK_ROW'
            );
        await conn.sobject('Account').update({ Id: account.Id, Name: 'Unlocked' });
    });

    it('injected 5xx, latency and validation-rule failures', async () => {
        t.emu.admin.injectFault({ kind: 'SERVER_ERROR', status: 503, operation: 'query' });
        const res = await fetch(`${t.emu.url}/services/data/v${API_VERSION}/query?q=SELECT+Id+FROM+Account`, {
            headers: { authorization: `Bearer ${conn.accessToken}` }
        });
        expect(res.status).toBe(503);
        t.emu.admin.injectFault({ kind: 'LATENCY', latencyMs: 150, operation: 'query' });
        const started = Date.now();
        await conn.query('SELECT Id FROM Account LIMIT 1');
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
        t.emu.admin.injectFault({
            kind: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            object: 'Task',
            operation: 'create',
            message: 'Subject must mention the customer',
            field: 'Subject'
        });
        const e = await sfError(conn.sobject('Task').create({ Subject: 'x' }));
        expect(e.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
        expect(e.message).toBe('Subject must mention the customer');
    });

    it('injected session expiry makes jsforce re-authenticate and succeed', async () => {
        t.emu.admin.injectFault({ kind: 'SESSION_EXPIRED', operation: 'query' });
        const before = conn.accessToken;
        const r = await conn.query('SELECT Id FROM Account LIMIT 1');
        expect(r.totalSize).toBe(1);
        expect(conn.accessToken).not.toBe(before);
    });

    it('keeps a request log and exposes the admin surface over HTTP', async () => {
        await conn.query('SELECT Id FROM Lead LIMIT 1');
        const log = t.emu.admin.requestLog();
        expect(log.at(-1)).toMatchObject({ method: 'GET', status: 200, counted: true });
        expect(log.at(-1)!.path).toContain('/query');
        const state = (await (await fetch(`${t.emu.url}/__emulator/state`)).json()) as {
            apiCalls: number;
            records: Record<string, number>;
        };
        expect(state.records.Account).toBeGreaterThan(0);
        const fault = await fetch(`${t.emu.url}/__emulator/faults`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ kind: 'UNABLE_TO_LOCK_ROW', operation: 'query' })
        });
        expect(fault.status).toBe(201);
        expect((await sfError(conn.query('SELECT Id FROM Lead LIMIT 1'))).errorCode).toBe('UNABLE_TO_LOCK_ROW');
    });
});
