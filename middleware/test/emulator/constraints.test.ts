import type { Connection } from '@jsforce/jsforce-node';
import { fetch } from 'undici';
import { API_VERSION, sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

interface Rec {
    Id: string;
    [k: string]: unknown;
}
type Result = {
    id?: string | null;
    success: boolean;
    errors: { statusCode: string; message: string; fields: string[] }[];
};

describe('emulator: write constraints, collections and composite edge cases', () => {
    let t: TestEmulator;
    let admin: Connection;
    const rest = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${t.emu.url}/services/data/v${API_VERSION}${path}`, {
            method,
            headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body)
        });
        expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
        const text = await res.text();
        return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    };
    beforeAll(async () => {
        t = await startTestEmulator({ seed: 'empty' });
        admin = await t.login('admin@demo.backstory.local');
    });
    afterAll(() => t.close());

    it('a reference to a record that does not exist is INVALID_CROSS_REFERENCE_KEY; to the wrong object FIELD_INTEGRITY_EXCEPTION; malformed MALFORMED_ID', async () => {
        const account = (await admin.sobject('Account').create({ Name: 'Ref Co' })) as Result;
        const ghost = `${account.id!.slice(0, 9)}zzzzzz`;
        const missing = await sfError(admin.sobject('Contact').create({ LastName: 'x', AccountId: ghost }));
        expect(missing.errorCode).toBe('INVALID_CROSS_REFERENCE_KEY');
        const contact = (await admin.sobject('Contact').create({ LastName: 'Ok', AccountId: account.id })) as Result;
        const wrongType = await sfError(admin.sobject('Contact').create({ LastName: 'x', AccountId: contact.id }));
        expect(wrongType.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
        expect((await sfError(admin.sobject('Contact').create({ LastName: 'x', AccountId: 'abc' }))).errorCode).toBe(
            'MALFORMED_ID'
        );
    });

    it('updating or deleting a deleted record is ENTITY_IS_DELETED; a reference to one too', async () => {
        const account = (await admin.sobject('Account').create({ Name: 'Deleted Co' })) as Result;
        await admin.sobject('Account').destroy(account.id!);
        expect((await sfError(admin.sobject('Account').update({ Id: account.id!, Name: 'x' }))).errorCode).toBe(
            'ENTITY_IS_DELETED'
        );
        expect((await sfError(admin.sobject('Account').destroy(account.id!))).errorCode).toBe('ENTITY_IS_DELETED');
        expect(
            (await sfError(admin.sobject('Contact').create({ LastName: 'x', AccountId: account.id }))).errorCode
        ).toBe('ENTITY_IS_DELETED');
    });

    it('an Id in an insert is refused (INVALID_FIELD); a system field is not writable (INVALID_FIELD_FOR_INSERT_UPDATE)', async () => {
        const account = (await admin.sobject('Account').create({ Name: 'Id Co' })) as Result;
        const res = await rest('POST', '/sobjects/Account', { Id: account.id, Name: 'Copy' });
        expect(res.status).toBe(400);
        expect(res.body).toEqual([
            { message: 'Id: cannot specify Id in an insert call', errorCode: 'INVALID_FIELD', fields: ['Id'] }
        ]);
        const stamp = await sfError(
            admin.sobject('Account').update({ Id: account.id!, CreatedDate: '2020-01-01T00:00:00Z' })
        );
        expect(stamp.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    });

    it('an email field refuses a malformed address (INVALID_EMAIL_ADDRESS); numbers refuse text (JSON_PARSER_ERROR)', async () => {
        expect(
            (await sfError(admin.sobject('Contact').create({ LastName: 'x', Email: 'not-an-email' }))).errorCode
        ).toBe('INVALID_EMAIL_ADDRESS');
        expect(
            (
                await sfError(
                    admin
                        .sobject('Opportunity')
                        .create({ Name: 'o', StageName: 'Prospecting', CloseDate: '2030-01-01', Amount: 'lots' })
                )
            ).errorCode
        ).toBe('JSON_PARSER_ERROR');
    });

    it('a required field cannot be cleared on update (REQUIRED_FIELD_MISSING)', async () => {
        const account = (await admin.sobject('Account').create({ Name: 'Named' })) as Result;
        const e = await sfError(admin.sobject('Account').update({ Id: account.id!, Name: null }));
        expect(e.errorCode).toBe('REQUIRED_FIELD_MISSING');
    });

    it('an Event whose WhoId becomes a Lead while it has a WhatId is refused on update too (FIELD_INTEGRITY_EXCEPTION)', async () => {
        const account = (await admin.sobject('Account').create({ Name: 'What Co' })) as Result;
        const lead = (await admin.sobject('Lead').create({ LastName: 'Who', Company: 'Who Co' })) as Result;
        const event = (await admin.sobject('Event').create({
            Subject: 'Call',
            WhatId: account.id,
            DurationInMinutes: 30,
            ActivityDateTime: '2030-01-01T10:00:00Z'
        })) as Result;
        const e = await sfError(admin.sobject('Event').update({ Id: event.id!, WhoId: lead.id }));
        expect(e.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
        expect(e.message).toMatch(/lead/i);
    });

    it('upsert on a field that is not an external id answers 404 NOT_FOUND; a body value differing from the URL is INVALID_FIELD', async () => {
        const notExternal = await rest('PATCH', '/sobjects/Account/Name/Acme', { Website: 'x.example.com' });
        expect(notExternal.status).toBe(404);
        expect((notExternal.body as { errorCode: string }[])[0]!.errorCode).toBe('NOT_FOUND');
        const mismatch = await rest('PATCH', '/sobjects/Task/peopleai__Activity_Id__c/a-1', {
            Subject: 'x',
            peopleai__Activity_Id__c: 'a-2'
        });
        expect(mismatch.status).toBe(400);
        expect((mismatch.body as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_FIELD');
    });

    it('allOrNone=true reports each invalid record’s own error and ALL_OR_NONE_OPERATION_ROLLED_BACK on the valid ones', async () => {
        const res = await rest('POST', '/composite/sobjects', {
            allOrNone: true,
            records: [
                { attributes: { type: 'Account' }, Name: 'Valid' },
                { attributes: { type: 'Account' } },
                { attributes: { type: 'Contact' }, LastName: 'Bad mail', Email: 'nope' }
            ]
        });
        expect(res.status).toBe(200);
        const body = res.body as Result[];
        expect(body.map((r) => r.errors[0]!.statusCode)).toEqual([
            'ALL_OR_NONE_OPERATION_ROLLED_BACK',
            'REQUIRED_FIELD_MISSING',
            'INVALID_EMAIL_ADDRESS'
        ]);
        expect(body.every((r) => r.success === false)).toBe(true);
        expect(body[1]!.errors[0]!.fields).toEqual(['Name']);
        expect((await admin.query("SELECT Id FROM Account WHERE Name = 'Valid'")).totalSize).toBe(0);
    });

    it('a collection delete with allOrNone=true and one bad id deletes nothing', async () => {
        const created = (await admin.sobject('Account').create([{ Name: 'Keep 1' }, { Name: 'Keep 2' }])) as Result[];
        const ids = created.map((c) => c.id!);
        const res = await rest('DELETE', `/composite/sobjects?allOrNone=true&ids=${ids.join(',')},001000000000000AAA`);
        const body = res.body as Result[];
        expect(body.map((r) => r.success)).toEqual([false, false, false]);
        expect(body[0]).toMatchObject({ id: ids[0], errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }] });
        expect((await admin.query("SELECT Id FROM Account WHERE Name LIKE 'Keep %'")).totalSize).toBe(2);
        const partial = await rest('DELETE', `/composite/sobjects?ids=${ids.join(',')},001000000000000AAA`);
        expect((partial.body as Result[]).map((r) => r.success)).toEqual([true, true, false]);
    });

    it('a collection retrieve answers null for an id that does not exist and refuses more than 200 ids', async () => {
        const created = (await admin.sobject('Account').create({ Name: 'Fetch me' })) as Result;
        const res = await rest('POST', '/composite/sobjects/Account', {
            ids: [created.id, '001000000000000AAA'],
            fields: ['Name']
        });
        expect(res.body).toEqual([expect.objectContaining({ Name: 'Fetch me' }), null]);
        const tooMany = await rest('POST', '/composite/sobjects/Account', {
            ids: Array.from({ length: 201 }, () => created.id),
            fields: ['Name']
        });
        expect(tooMany.status).toBe(400);
    });

    it('/composite with allOrNone=false keeps earlier results when a later sub-request fails', async () => {
        const res = await rest('POST', '/composite', {
            allOrNone: false,
            compositeRequest: [
                {
                    method: 'POST',
                    url: `/services/data/v${API_VERSION}/sobjects/Account`,
                    referenceId: 'ok',
                    body: { Name: 'Composite Kept' }
                },
                {
                    method: 'POST',
                    url: `/services/data/v${API_VERSION}/sobjects/Account`,
                    referenceId: 'bad',
                    body: {}
                },
                {
                    method: 'GET',
                    url: `/services/data/v${API_VERSION}/query?q=SELECT+Id+FROM+Account+WHERE+Id+=+'@{ok.id}'`,
                    referenceId: 'read'
                }
            ]
        });
        const responses = (res.body as { compositeResponse: { httpStatusCode: number; body: unknown }[] })
            .compositeResponse;
        expect(responses.map((r) => r.httpStatusCode)).toEqual([201, 400, 200]);
        expect((responses[2]!.body as { totalSize: number }).totalSize).toBe(1);
        expect((await admin.query("SELECT Id FROM Account WHERE Name = 'Composite Kept'")).totalSize).toBe(1);
    });

    it('/composite refuses more than 25 sub-requests; a reference to an unknown result is INVALID_REFERENCE', async () => {
        const many = await rest('POST', '/composite', {
            compositeRequest: Array.from({ length: 26 }, (_, i) => ({
                method: 'GET',
                url: `/services/data/v${API_VERSION}/limits`,
                referenceId: `r${i}`
            }))
        });
        expect(many.status).toBe(400);
        const unknown = await rest('POST', '/composite', {
            compositeRequest: [
                { method: 'GET', url: `/services/data/v${API_VERSION}/sobjects/Account/@{nope.id}`, referenceId: 'x' }
            ]
        });
        const r = (unknown.body as { compositeResponse: { body: { errorCode: string }[] }[] }).compositeResponse[0]!;
        expect(r.body[0]!.errorCode).toBe('INVALID_REFERENCE');
    });

    it('/composite/tree refuses more than 200 records in one request and creates nothing', async () => {
        const res = await rest('POST', '/composite/tree/Account', {
            records: Array.from({ length: 201 }, (_, i) => ({
                attributes: { type: 'Account', referenceId: `t${i}` },
                Name: `Tree ${i}`
            }))
        });
        expect(res.status).toBe(400);
        expect((await admin.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Tree %'")).totalSize).toBe(0);
    });

    it('deleting an opportunity deletes its contact roles with it (cascade), both visible to queryAll', async () => {
        const contact = (await admin.sobject('Contact').create({ LastName: 'Role' })) as Result;
        const opp = (await admin
            .sobject('Opportunity')
            .create({ Name: 'Cascade', StageName: 'Prospecting', CloseDate: '2030-01-01' })) as Result;
        await admin.sobject('OpportunityContactRole').create({ OpportunityId: opp.id, ContactId: contact.id });
        await admin.sobject('Opportunity').destroy(opp.id!);
        const q = `SELECT Id, IsDeleted FROM OpportunityContactRole WHERE OpportunityId = '${opp.id!}'`;
        expect((await admin.query(q)).totalSize).toBe(0);
        const all = await admin.query<Rec>(q, { scanAll: true });
        expect(all.records.map((r) => r.IsDeleted)).toEqual([true]);
    });

    it('LastModifiedById and CreatedById name the user who wrote the record', async () => {
        const integration = await t.login();
        const created = (await admin.sobject('Lead').create({ LastName: 'Stamp', Company: 'Stamp Co' })) as Result;
        await integration.sobject('Lead').update({ Id: created.id!, Company: 'Stamp Inc' });
        const row = (
            await admin.query<Rec>(`SELECT CreatedById, LastModifiedById FROM Lead WHERE Id = '${created.id!}'`)
        ).records[0]!;
        expect(row).toMatchObject({
            CreatedById: t.emu.demo.adminUser.id,
            LastModifiedById: t.emu.demo.integrationUser.id
        });
    });
});
