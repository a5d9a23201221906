import type { Connection } from '@jsforce/jsforce-node';
import { startTestEmulator, sfError, type TestEmulator } from '../helpers/emulator';

const EXT = 'peopleai__Activity_Id__c';

describe('emulator: Bulk API 2.0 ingest (through jsforce bulk2)', () => {
    let t: TestEmulator;
    let admin: Connection;
    let integration: Connection;
    beforeAll(async () => {
        t = await startTestEmulator({ seed: 'empty' });
        admin = await t.login('admin@demo.backstory.local');
        integration = await t.login();
    });
    afterAll(() => t.close());
    afterEach(() => t.emu.admin.clearFaults());

    it('insert: loadAndWaitForResults answers sf__Id / sf__Created per row and the rows are in the org', async () => {
        const results = await admin.bulk2.loadAndWaitForResults({
            object: 'Account',
            operation: 'insert',
            input: [{ Name: 'Bulk One', Website: 'one.example.com' }, { Name: 'Bulk Two' }],
            pollInterval: 50,
            pollTimeout: 60_000
        });
        expect(results.failedResults).toEqual([]);
        expect(results.unprocessedRecords).toEqual([]);
        expect(results.successfulResults).toHaveLength(2);
        expect(results.successfulResults[0]).toMatchObject({ sf__Created: 'true', Name: 'Bulk One' });
        const ids = results.successfulResults.map((r) => r.sf__Id);
        const found = await admin.query<{ Id: string; Name: string; Website: string | null }>(
            `SELECT Id, Name, Website FROM Account WHERE Id IN ('${ids.join("','")}') ORDER BY Name`
        );
        expect(found.records.map((r) => [r.Name, r.Website])).toEqual([
            ['Bulk One', 'one.example.com'],
            ['Bulk Two', null]
        ]);
    });

    it('upsert on an external id creates then updates; a bad row fails alone with sf__Error; #N/A clears a field', async () => {
        const owner = t.emu.demo.integrationUser.id;
        const first = await integration.bulk2.loadAndWaitForResults({
            object: 'Task',
            operation: 'upsert',
            externalIdFieldName: EXT,
            input: [
                { [EXT]: 'act-1', Subject: 'Call 1', OwnerId: owner, Description: 'first' },
                { [EXT]: 'act-2', Subject: 'Call 2', OwnerId: owner }
            ],
            pollInterval: 50,
            pollTimeout: 60_000
        });
        expect(first.successfulResults.map((r) => r.sf__Created)).toEqual(['true', 'true']);
        const second = await integration.bulk2.loadAndWaitForResults({
            object: 'Task',
            operation: 'upsert',
            externalIdFieldName: EXT,
            input: [
                // jsforce takes the CSV header from the first record: every row has the same keys.
                { [EXT]: 'act-1', Subject: 'Call 1 (edited)', Description: null, ActivityDate: '2026-01-02' },
                { [EXT]: 'act-3', Subject: 'Bad', Description: 'x', ActivityDate: 'not a date' }
            ],
            pollInterval: 50,
            pollTimeout: 60_000
        });
        expect(second.successfulResults).toHaveLength(1);
        expect(second.successfulResults[0]).toMatchObject({
            sf__Created: 'false',
            sf__Id: first.successfulResults[0]!.sf__Id
        });
        expect(second.failedResults).toHaveLength(1);
        expect(second.failedResults[0]!.sf__Error).toMatch(/^[A-Z_]+:.+ --$/);
        expect((second.failedResults[0] as Record<string, unknown>)[EXT]).toBe('act-3');
        const rows = await integration.query<{ Subject: string; Description: string | null }>(
            `SELECT Subject, Description FROM Task WHERE ${EXT} IN ('act-1','act-3')`
        );
        expect(rows.records).toEqual([expect.objectContaining({ Subject: 'Call 1 (edited)', Description: null })]);
    });

    it('update, delete and hardDelete (which needs Modify All Data)', async () => {
        const inserted = await admin.bulk2.loadAndWaitForResults({
            object: 'Account',
            operation: 'insert',
            input: [{ Name: 'U1' }, { Name: 'U2' }, { Name: 'U3' }],
            pollInterval: 50,
            pollTimeout: 60_000
        });
        const [a, b, c] = inserted.successfulResults.map((r) => r.sf__Id);
        const updated = await admin.bulk2.loadAndWaitForResults({
            object: 'Account',
            operation: 'update',
            input: [{ Id: a, Name: 'U1 renamed' }],
            pollInterval: 50,
            pollTimeout: 60_000
        });
        expect(updated.successfulResults[0]).toMatchObject({ sf__Id: a, sf__Created: 'false' });
        await admin.bulk2.loadAndWaitForResults({
            object: 'Account',
            operation: 'delete',
            input: [{ Id: b }],
            pollInterval: 50,
            pollTimeout: 60_000
        });
        await admin.bulk2.loadAndWaitForResults({
            object: 'Account',
            operation: 'hardDelete',
            input: [{ Id: c }],
            pollInterval: 50,
            pollTimeout: 60_000
        });
        const all = await admin.query<{ Id: string; Name: string; IsDeleted: boolean }>(
            `SELECT Id, Name, IsDeleted FROM Account WHERE Id IN ('${a}','${b}','${c}') ORDER BY Name`,
            { scanAll: true }
        );
        // The soft-deleted one stays in the recycle bin (queryAll); the hard-deleted one is gone.
        expect(all.records.map((r) => [r.Name, r.IsDeleted])).toEqual([
            ['U1 renamed', false],
            ['U2', true]
        ]);
        const refused = await sfError(
            integration.bulk2.loadAndWaitForResults({
                object: 'Task',
                operation: 'hardDelete',
                input: [{ Id: a }],
                pollInterval: 50,
                pollTimeout: 60_000
            })
        );
        expect(refused.errorCode).toBe('FEATURENOTENABLED');
    });

    it('job by hand: open, upload, abort → unprocessedrecords; a second upload is refused; jobs list, info and delete', async () => {
        const job = admin.bulk2.createJob({ object: 'Account', operation: 'insert' });
        const info = await job.open();
        expect(info).toMatchObject({ state: 'Open', object: 'Account', operation: 'insert', contentType: 'CSV' });
        await job.uploadData('Name\nAborted 1\nAborted 2\n');
        // jsforce itself refuses a second upload; the emulator does too.
        const again = await sfError(
            admin.request({
                method: 'PUT',
                url: `/services/data/v62.0/jobs/ingest/${job.id}/batches`,
                body: 'Name\nx\n',
                headers: { 'content-type': 'text/csv' }
            })
        );
        expect(again.errorCode).toBe('BULK_API_ERROR');
        await job.abort();
        expect((await job.check()).state).toBe('Aborted');
        const unprocessed = (await job.getUnprocessedRecords()) as Record<string, unknown>[];
        expect(unprocessed.map((r) => r.Name)).toEqual(['Aborted 1', 'Aborted 2']);
        expect((await admin.query("SELECT Id FROM Account WHERE Name LIKE 'Aborted%'")).totalSize).toBe(0);
        const list = await admin.request<{ records: { id: string }[] }>(`/services/data/v62.0/jobs/ingest`);
        expect(list.records.map((r) => r.id)).toContain(job.id);
        await job.delete();
        expect((await sfError(job.check())).errorCode).toBe('NOT_FOUND');
    });

    it('refuses bad jobs with INVALIDJOB naming the field, and a job over unknown columns fails with the column', async () => {
        const cases: [Record<string, unknown>, string][] = [
            [{ object: 'Nope__c', operation: 'insert' }, 'object'],
            [{ object: 'Account', operation: 'merge' }, 'operation'],
            [{ object: 'Task', operation: 'upsert' }, 'externalIdFieldName'],
            [{ object: 'Task', operation: 'upsert', externalIdFieldName: 'Subject' }, 'externalIdFieldName'],
            [{ object: 'Account', operation: 'insert', columnDelimiter: 'SPACE' }, 'columnDelimiter']
        ];
        for (const [body, field] of cases) {
            const e = await sfError(
                admin.request({
                    method: 'POST',
                    url: '/services/data/v62.0/jobs/ingest',
                    body: JSON.stringify(body),
                    headers: { 'content-type': 'application/json' }
                })
            );
            expect([e.errorCode, (e as { data?: { fields?: string[] } }).data?.fields]).toEqual([
                'INVALIDJOB',
                [field]
            ]);
        }
        const failed = await sfError(
            admin.bulk2.loadAndWaitForResults({
                object: 'Account',
                operation: 'insert',
                input: 'Name,NoSuchField__c\nA,b\n',
                pollInterval: 50,
                pollTimeout: 60_000
            })
        );
        expect(failed.message).toMatch(/Field name not found : NoSuchField__c/);
    });

    it('faults aimed at upsert fail rows (UNABLE_TO_LOCK_ROW, FIELD_CUSTOM_VALIDATION_EXCEPTION); a bulk fault fails the call', async () => {
        t.emu.admin.injectFault({ kind: 'UNABLE_TO_LOCK_ROW', operation: 'upsert', object: 'Task', count: 1 });
        t.emu.admin.injectFault({
            kind: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            operation: 'upsert',
            object: 'Task',
            message: 'Subject is too dull',
            field: 'Subject',
            count: 1
        });
        const res = await integration.bulk2.loadAndWaitForResults({
            object: 'Task',
            operation: 'upsert',
            externalIdFieldName: EXT,
            input: [
                { [EXT]: 'f-1', Subject: 'a', OwnerId: t.emu.demo.integrationUser.id },
                { [EXT]: 'f-2', Subject: 'b', OwnerId: t.emu.demo.integrationUser.id },
                { [EXT]: 'f-3', Subject: 'c', OwnerId: t.emu.demo.integrationUser.id }
            ],
            pollInterval: 50,
            pollTimeout: 60_000
        });
        expect(res.failedResults.map((r) => String(r.sf__Error).split(':')[0]).sort()).toEqual([
            'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            'UNABLE_TO_LOCK_ROW'
        ]);
        expect(res.successfulResults).toHaveLength(1);
        t.emu.admin.injectFault({ kind: 'SERVER_ERROR', operation: 'bulk', object: 'Task' });
        const e = await sfError(
            integration.bulk2.loadAndWaitForResults({
                object: 'Task',
                operation: 'upsert',
                externalIdFieldName: EXT,
                input: [{ [EXT]: 'f-4', Subject: 'd' }],
                pollInterval: 50,
                pollTimeout: 60_000
            })
        );
        expect(e.errorCode).toBe('UNKNOWN_EXCEPTION');
    });
});
