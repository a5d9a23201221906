import type { Connection } from '@jsforce/jsforce-node';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';

const V = '62.0';

describe('emulator: Bulk API 1.0 (through jsforce bulk)', () => {
    let t: TestEmulator;
    let admin: Connection;
    beforeAll(async () => {
        t = await startTestEmulator({ seed: 'empty' });
        admin = await t.login('admin@demo.backstory.local');
        admin.bulk.pollInterval = 50;
        admin.bulk.pollTimeout = 60_000;
    });
    afterAll(() => t.close());

    it('conn.bulk.load inserts CSV batches and answers Id/Success/Created/Error per record', async () => {
        const results = await admin.bulk.load('Account', 'insert', [
            { Name: 'V1 One' },
            { Name: 'V1 Two' },
            { Name: 'x'.repeat(300) }
        ]);
        expect(results).toHaveLength(3);
        expect(results.slice(0, 2).map((r) => [r.success, r.created])).toEqual([
            [true, true],
            [true, true]
        ]);
        expect(results[2]!.success).toBe(false);
        expect(String(results[2]!.errors[0])).toMatch(/^STRING_TOO_LONG:/);
        const names = await admin.query<{ Name: string }>(
            `SELECT Name FROM Account WHERE Id IN ('${results[0]!.id}','${results[1]!.id}') ORDER BY Name`
        );
        expect(names.records.map((r) => r.Name)).toEqual(['V1 One', 'V1 Two']);
    });

    it('find(...).update() over 200 matches goes through Bulk 1.0 and updates every record', async () => {
        t.emu.admin.insertRecords(
            'Account',
            Array.from({ length: 250 }, (_, i) => ({ Name: `Mass ${String(i).padStart(3, '0')}`, Industry: 'Retail' }))
        );
        t.emu.admin.clearRequestLog();
        const results = await admin
            .sobject('Account')
            .find({ Name: { $like: 'Mass %' } }, ['Id'])
            .update({ Industry: 'Energy' });
        expect(results).toHaveLength(250);
        expect(results.every((r) => r.success)).toBe(true);
        expect(t.emu.admin.requestLog().some((r) => r.path.startsWith(`/services/async/${V}/job`))).toBe(true);
        const energy = await admin.query(
            "SELECT COUNT() FROM Account WHERE Name LIKE 'Mass %' AND Industry = 'Energy'"
        );
        expect(energy.totalSize).toBe(250);
        const removed = await admin
            .sobject('Account')
            .find({ Name: { $like: 'Mass %' } }, ['Id'])
            .destroy();
        expect(removed).toHaveLength(250);
        expect((await admin.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Mass %'")).totalSize).toBe(0);
    });

    it('upsert on an external id, and jobs in JSON and XML with batches in their content type', async () => {
        const ext = 'peopleai__Activity_Id__c';
        const owner = t.emu.demo.adminUser.id;
        const first = await admin.bulk.load('Task', 'upsert', { extIdField: ext }, [
            { [ext]: 'v1-a', Subject: 'A', OwnerId: owner }
        ]);
        const second = await admin.bulk.load('Task', 'upsert', { extIdField: ext }, [
            { [ext]: 'v1-a', Subject: 'A2', OwnerId: owner }
        ]);
        expect([first[0]!.created, second[0]!.created, second[0]!.id]).toEqual([true, false, first[0]!.id]);

        const post = (path: string, body: string, type: string) =>
            admin.request<Record<string, unknown>>({
                method: 'POST',
                url: `/services/async/${V}/${path}`,
                body,
                headers: { 'content-type': type, 'X-SFDC-Session': admin.accessToken! }
            });
        const get = (path: string) =>
            admin.request<unknown>({
                method: 'GET',
                url: `/services/async/${V}/${path}`,
                headers: { 'X-SFDC-Session': admin.accessToken! }
            });
        const jsonJob = await post(
            'job',
            JSON.stringify({ operation: 'insert', object: 'Account', contentType: 'JSON' }),
            'application/json'
        );
        expect(jsonJob).toMatchObject({ state: 'Open', contentType: 'JSON', operation: 'insert' });
        const jsonBatch = await post(
            `job/${String(jsonJob.id)}/batch`,
            JSON.stringify([{ Name: 'Json A' }, { Name: null }]),
            'application/json'
        );
        const jsonResults = (await get(`job/${String(jsonJob.id)}/batch/${String(jsonBatch.id)}/result`)) as {
            success: boolean;
            created: boolean;
            errors: { statusCode: string }[];
        }[];
        expect(jsonResults.map((r) => [r.success, r.created, r.errors[0]?.statusCode])).toEqual([
            [true, true, undefined],
            [false, false, 'REQUIRED_FIELD_MISSING']
        ]);

        const xmlJob = (await post(
            'job',
            '<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><operation>insert</operation><object>Account</object><contentType>XML</contentType></jobInfo>',
            'application/xml'
        )) as { jobInfo: { id: string; contentType: string } };
        expect(xmlJob.jobInfo.contentType).toBe('XML');
        const xmlBatch = (await post(
            `job/${xmlJob.jobInfo.id}/batch`,
            '<sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload"><sObject><Name>Xml A</Name></sObject></sObjects>',
            'application/xml'
        )) as { batchInfo: { id: string } };
        const xmlResults = (await get(`job/${xmlJob.jobInfo.id}/batch/${xmlBatch.batchInfo.id}/result`)) as {
            results: { result: { id: string; success: string; created: string } };
        };
        expect(xmlResults.results.result).toMatchObject({ success: 'true', created: 'true' });
        const closed = (await post(
            `job/${xmlJob.jobInfo.id}`,
            '<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><state>Closed</state></jobInfo>',
            'application/xml'
        )) as { jobInfo: { state: string; numberRecordsProcessed: string } };
        expect(closed.jobInfo).toMatchObject({ state: 'Closed', numberRecordsProcessed: '1' });
    });

    it('an invalid session answers InvalidSessionId; an unknown job InvalidJob', async () => {
        const res = await fetch(`${t.emu.url}/services/async/${V}/job/750000000000000`, {
            headers: { 'X-SFDC-Session': 'nope' }
        });
        expect(res.status).toBe(400);
        expect(await res.text()).toContain('<exceptionCode>InvalidSessionId</exceptionCode>');
        const unknown = await fetch(`${t.emu.url}/services/async/${V}/job/750000000000000`, {
            headers: { 'X-SFDC-Session': admin.accessToken! }
        });
        expect(unknown.status).toBe(400);
        expect(await unknown.text()).toContain('<exceptionCode>InvalidJob</exceptionCode>');
    });
});
