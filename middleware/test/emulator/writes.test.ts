import type { Connection } from '@jsforce/jsforce-node';
import { API_VERSION, sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

type Result = {
    id: string | null;
    success: boolean;
    errors: { statusCode?: string; errorCode?: string; message: string }[];
    created?: boolean;
};

describe('emulator: writes, collections and composite', () => {
    let t: TestEmulator;
    let admin: Connection;
    beforeAll(async () => {
        t = await startTestEmulator({ seed: 'empty' });
        admin = await t.login('admin@demo.backstory.local');
    });
    afterAll(() => t.close());

    it('creates, retrieves, updates and deletes a record', async () => {
        const created = (await admin
            .sobject('Account')
            .create({ Name: 'Crud Co', Website: 'crud.example.com' })) as Result;
        expect(created).toMatchObject({ success: true, errors: [] });
        const got = (await admin.sobject('Account').retrieve(created.id!)) as Record<string, unknown>;
        expect(got).toMatchObject({ Id: created.id, Name: 'Crud Co', Website: 'crud.example.com', IsDeleted: false });
        await admin.sobject('Account').update({ Id: created.id!, Name: 'Crud Inc' });
        expect(((await admin.sobject('Account').retrieve(created.id!)) as { Name: string }).Name).toBe('Crud Inc');
        await admin.sobject('Account').destroy(created.id!);
        expect((await sfError(admin.sobject('Account').retrieve(created.id!))).errorCode).toBe('NOT_FOUND');
    });

    it('refuses a missing required field with REQUIRED_FIELD_MISSING naming it', async () => {
        const e = await sfError(admin.sobject('Opportunity').create({ Name: 'No stage', CloseDate: '2026-01-01' }));
        expect(e.errorCode).toBe('REQUIRED_FIELD_MISSING');
        expect(e.message).toContain('StageName');
    });

    it('refuses a value longer than the field (STRING_TOO_LONG), a bad restricted picklist value and a bad type', async () => {
        expect((await sfError(admin.sobject('Account').create({ Name: 'x'.repeat(256) }))).errorCode).toBe(
            'STRING_TOO_LONG'
        );
        expect(
            (
                await sfError(
                    admin.sobject('Opportunity').create({ Name: 'o', CloseDate: '2026-01-01', StageName: 'Dreaming' })
                )
            ).errorCode
        ).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
        expect(
            (
                await sfError(
                    admin.sobject('Opportunity').create({ Name: 'o', CloseDate: 'soon', StageName: 'Prospecting' })
                )
            ).errorCode
        ).toBe('JSON_PARSER_ERROR');
        expect((await sfError(admin.sobject('Account').create({ Name: 'o', Nope__c: 1 }))).errorCode).toBe(
            'INVALID_FIELD'
        );
    });

    it('keeps external ids unique (DUPLICATE_VALUE)', async () => {
        await admin.sobject('Task').create({ Subject: 'a', peopleai__Activity_Id__c: 'dup-1' });
        const e = await sfError(admin.sobject('Task').create({ Subject: 'b', peopleai__Activity_Id__c: 'dup-1' }));
        expect(e.errorCode).toBe('DUPLICATE_VALUE');
    });

    it('upserts by external id: 201 created, 200 created:false for an existing one', async () => {
        const url = `/services/data/v${API_VERSION}/sobjects/Event/peopleai__Activity_Id__c/act-1`;
        const first = await fetchRaw(admin, 'PATCH', url, {
            Subject: 'Demo',
            DurationInMinutes: 30,
            ActivityDateTime: '2026-11-02T10:00:00Z'
        });
        expect(first.status).toBe(201);
        expect(first.body).toMatchObject({ success: true, created: true });
        const second = await fetchRaw(admin, 'PATCH', url, { Subject: 'Demo (moved)' });
        expect(second.status).toBe(200);
        expect(second.body).toMatchObject({ id: (first.body as Result).id, created: false });
        const viaJsforce = (await admin
            .sobject('Event')
            .upsert(
                { peopleai__Activity_Id__c: 'act-1', Subject: 'Again' } as never,
                'peopleai__Activity_Id__c'
            )) as unknown as Result;
        expect(viaJsforce).toMatchObject({ success: true, created: false });
    });

    it('upsert answers 300 when several records match the external id', async () => {
        await admin.sobject('Contact').create([
            { LastName: 'One', Email: 'twin@example.com' },
            { LastName: 'Two', Email: 'twin@example.com' }
        ]);
        const res = await fetchRaw(
            admin,
            'PATCH',
            `/services/data/v${API_VERSION}/sobjects/Contact/Email/twin@example.com`,
            { Title: 'x' }
        );
        expect(res.status).toBe(300);
        expect(res.body).toHaveLength(2);
    });

    it('refuses a WhatId on a Task whose WhoId is a Lead (FIELD_INTEGRITY_EXCEPTION)', async () => {
        const lead = (await admin.sobject('Lead').create({ LastName: 'L', Company: 'C' })) as Result;
        const account = (await admin.sobject('Account').create({ Name: 'A' })) as Result;
        const e = await sfError(admin.sobject('Task').create({ Subject: 's', WhoId: lead.id, WhatId: account.id }));
        expect(e.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
        expect(await admin.sobject('Task').create({ Subject: 's', WhoId: lead.id })).toMatchObject({ success: true });
    });

    it('sObject Collections with allOrNone=false keep the good records and report the bad one', async () => {
        const results = (await admin
            .sobject('Account')
            .create([{ Name: 'Good 1' }, { Website: 'no-name.example.com' }, { Name: 'Good 2' }], {
                allOrNone: false
            })) as Result[];
        expect(results.map((r) => r.success)).toEqual([true, false, true]);
        expect(
            (results[1]!.errors[0] as { errorCode?: string; statusCode?: string }).errorCode ??
                (results[1]!.errors[0] as { statusCode: string }).statusCode
        ).toBe('REQUIRED_FIELD_MISSING');
        expect((await admin.query("SELECT Id FROM Account WHERE Name LIKE 'Good %'")).totalSize).toBe(2);
    });

    it('sObject Collections with allOrNone=true roll everything back (ALL_OR_NONE_OPERATION_ROLLED_BACK)', async () => {
        const res = await fetchRaw(admin, 'POST', `/services/data/v${API_VERSION}/composite/sobjects`, {
            allOrNone: true,
            records: [{ attributes: { type: 'Account' }, Name: 'Atomic 1' }, { attributes: { type: 'Account' } }]
        });
        expect(res.status).toBe(200);
        const body = res.body as { success: boolean; errors: { statusCode: string }[] }[];
        expect(body[0]!.errors[0]!.statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
        expect(body[1]!.errors[0]!.statusCode).toBe('REQUIRED_FIELD_MISSING');
        expect((await admin.query("SELECT Id FROM Account WHERE Name = 'Atomic 1'")).totalSize).toBe(0);
    });

    it('sObject Collections update, upsert, retrieve and delete; more than 200 records is refused', async () => {
        const created = (await admin.sobject('Account').create([{ Name: 'C1' }, { Name: 'C2' }])) as Result[];
        const ids = created.map((c) => c.id!);
        const updated = (await admin
            .sobject('Account')
            .update(ids.map((Id) => ({ Id, Industry: 'Banking' })))) as Result[];
        expect(updated.every((u) => u.success)).toBe(true);
        const upserted = await fetchRaw(
            admin,
            'PATCH',
            `/services/data/v${API_VERSION}/composite/sobjects/Task/peopleai__Activity_Id__c`,
            {
                allOrNone: false,
                records: [
                    { attributes: { type: 'Task' }, peopleai__Activity_Id__c: 'u-1', Subject: 'one' },
                    { attributes: { type: 'Task' }, peopleai__Activity_Id__c: 'u-1', Subject: 'again' }
                ]
            }
        );
        expect((upserted.body as Result[]).map((r) => r.created)).toEqual([true, false]);
        const retrieved = (await admin.sobject('Account').retrieve(ids, { fields: ['Name', 'Industry'] } as never)) as {
            Industry: string;
        }[];
        expect(retrieved.map((r) => r.Industry)).toEqual(['Banking', 'Banking']);
        const deleted = (await admin.sobject('Account').destroy(ids)) as Result[];
        expect(deleted.every((d) => d.success)).toBe(true);
        const tooMany = await fetchRaw(admin, 'POST', `/services/data/v${API_VERSION}/composite/sobjects`, {
            records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Account' }, Name: 'x' }))
        });
        expect(tooMany.status).toBe(400);
        expect((tooMany.body as { errorCode: string }[])[0]!.errorCode).toBe('EXCEEDED_ID_LIMIT');
    });

    it('/composite runs sub-requests in order with @{ref.id} references, rolled back as one with allOrNone', async () => {
        const ok = await fetchRaw(admin, 'POST', `/services/data/v${API_VERSION}/composite`, {
            allOrNone: true,
            compositeRequest: [
                {
                    method: 'POST',
                    url: `/services/data/v${API_VERSION}/sobjects/Account`,
                    referenceId: 'acct',
                    body: { Name: 'Composite Co' }
                },
                {
                    method: 'POST',
                    url: `/services/data/v${API_VERSION}/sobjects/Contact`,
                    referenceId: 'ct',
                    body: { LastName: 'Ref', AccountId: '@{acct.id}' }
                },
                { method: 'GET', url: `/services/data/v${API_VERSION}/sobjects/Contact/@{ct.id}`, referenceId: 'read' }
            ]
        });
        const responses = (
            ok.body as { compositeResponse: { httpStatusCode: number; body: Record<string, unknown> }[] }
        ).compositeResponse;
        expect(responses.map((r) => r.httpStatusCode)).toEqual([201, 201, 200]);
        expect(responses[2]!.body.AccountId).toBe(responses[0]!.body.id);
        const failed = await fetchRaw(admin, 'POST', `/services/data/v${API_VERSION}/composite`, {
            allOrNone: true,
            compositeRequest: [
                {
                    method: 'POST',
                    url: `/services/data/v${API_VERSION}/sobjects/Account`,
                    referenceId: 'a',
                    body: { Name: 'Never Co' }
                },
                {
                    method: 'POST',
                    url: `/services/data/v${API_VERSION}/sobjects/Contact`,
                    referenceId: 'b',
                    body: { FirstName: 'No last name' }
                }
            ]
        });
        const codes = (failed.body as { compositeResponse: { httpStatusCode: number }[] }).compositeResponse.map(
            (r) => r.httpStatusCode
        );
        expect(codes).toEqual([400, 400]);
        expect((await admin.query("SELECT Id FROM Account WHERE Name = 'Never Co'")).totalSize).toBe(0);
    });

    it('/composite/tree inserts a record tree (as `sf data import tree` does) and rolls back on any error', async () => {
        const ok = await fetchRaw(admin, 'POST', `/services/data/v${API_VERSION}/composite/tree/Account`, {
            records: [
                {
                    attributes: { type: 'Account', referenceId: 'ref1' },
                    Name: 'Tree Co',
                    Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'ref2' }, LastName: 'Leaf' }] }
                }
            ]
        });
        expect(ok.status).toBe(201);
        expect((ok.body as { results: { referenceId: string }[] }).results.map((r) => r.referenceId)).toEqual([
            'ref1',
            'ref2'
        ]);
        expect((await admin.query("SELECT Id FROM Contact WHERE Account.Name = 'Tree Co'")).totalSize).toBe(1);
        const bad = await fetchRaw(admin, 'POST', `/services/data/v${API_VERSION}/composite/tree/Account`, {
            records: [
                { attributes: { type: 'Account', referenceId: 'r1' }, Name: 'Half Tree' },
                { attributes: { type: 'Account', referenceId: 'r2' } }
            ]
        });
        expect(bad.status).toBe(400);
        expect(bad.body).toMatchObject({ hasErrors: true, results: [{ referenceId: 'r2' }] });
        expect((await admin.query("SELECT Id FROM Account WHERE Name = 'Half Tree'")).totalSize).toBe(0);
    });
});

/** A raw REST call through the jsforce session, keeping the HTTP status. */
async function fetchRaw(
    conn: Connection,
    method: string,
    path: string,
    body?: unknown
): Promise<{ status: number; body: unknown }> {
    const { fetch } = await import('undici');
    const res = await fetch(`${conn.instanceUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
    });
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
