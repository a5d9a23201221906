import { fetch } from 'undici';
import { recordAudit } from '../src/store/audit';
import { startTestApp, type TestApp } from './helpers/app';
import { storeEngines } from './helpers/store';

describe.each(storeEngines)('foundation over HTTP on %s', (engine) => {
    let app: TestApp;
    beforeAll(async () => {
        app = await startTestApp({ engine });
    });
    afterAll(async () => {
        await app.close();
    });

    it('GET /healthz answers ok without a key', async () => {
        const res = await fetch(`${app.url}/healthz`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('SEC-1 refuses a call without a key with 401 in the error envelope', async () => {
        const res = await fetch(`${app.url}/v1/org`);
        expect(res.status).toBe(401);
        const body = (await res.json()) as { error: { code: string; message: string; details: unknown[] } };
        expect(body.error.code).toBe('unauthorized');
        expect(body.error.details).toEqual([]);
    });

    it('SEC-1 refuses an unknown key with 401', async () => {
        const res = await app.call('bsk_not-a-key', 'GET', '/v1/org');
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
    });

    it('gives each org only its own rows: a key never reaches another org', async () => {
        const a = await app.newOrg('Org A');
        const b = await app.newOrg('Org B');
        await recordAudit(app.store.db, {
            orgId: a.org.id,
            actor: 'test',
            entity: 'org',
            entityId: a.org.id,
            action: 'update',
            before: { n: 1 },
            after: { n: 2 }
        });
        await recordAudit(app.store.db, {
            orgId: b.org.id,
            actor: 'test',
            entity: 'org',
            entityId: b.org.id,
            action: 'update',
            before: { n: 3 },
            after: { n: 4 }
        });
        const orgA = await app.call(a.apiKey, 'GET', '/v1/org');
        expect(orgA.body.id).toBe(a.org.id);
        const auditA = await app.call(a.apiKey, 'GET', '/v1/audit');
        expect(auditA.status).toBe(200);
        expect(auditA.body.items.map((e: { entityId: string }) => e.entityId)).toEqual([a.org.id]);
        const auditBFromA = await app.call(a.apiKey, 'GET', `/v1/audit?entity=org&id=${b.org.id}`);
        expect(auditBFromA.body.items).toEqual([]);
        const auditB = await app.call(b.apiKey, 'GET', '/v1/audit');
        expect(auditB.body.items.map((e: { after: unknown }) => e.after)).toEqual([{ n: 4 }]);
    });

    it('answers bad query input with validation_failed naming the field', async () => {
        const a = await app.newOrg();
        const res = await app.call(a.apiKey, 'GET', '/v1/audit?limit=9999&entity=nope');
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
        expect(paths).toEqual(['query.entity', 'query.limit']);
    });

    it('refuses malformed JSON with 400 naming the body', async () => {
        const a = await app.newOrg();
        const res = await fetch(`${app.url}/v1/profiles`, {
            method: 'POST',
            headers: { authorization: `Bearer ${a.apiKey}`, 'content-type': 'application/json' },
            body: '{nope'
        });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe('body');
    });

    it('answers an unknown path with 404 not_found', async () => {
        const a = await app.newOrg();
        const res = await app.call(a.apiKey, 'GET', '/v1/nothing-here');
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('not_found');
    });

    it('SEC-1 refuses an acting user that is not a Backstory user, and a malformed id', async () => {
        const a = await app.newOrg();
        const unknown = await app.call(a.apiKey, 'GET', '/v1/org', undefined, {
            'x-acting-user': '005000000000001AAA'
        });
        expect(unknown.status).toBe(403);
        expect(unknown.body.error.message).toBe(
            'Salesforce user 005000000000001AAA is not a Backstory user of this org'
        );
        // A Salesforce user the user sync has seen is named (the setup wizard shows the name, not the id).
        await app.store.db
            .insertInto('sf_users')
            .values({
                org_id: a.org.id,
                id: '005000000000002AAA',
                username: 'dana@acme.example',
                first_name: 'Dana',
                last_name: 'Admin',
                email: 'dana@acme.example',
                title: null,
                is_active: true,
                user_type: 'Standard',
                user_role_id: null,
                manager_id: null,
                license_name: 'Salesforce',
                system_modstamp: '2026-11-01T00:00:00.000Z'
            })
            .execute();
        const named = await app.call(a.apiKey, 'GET', '/v1/org', undefined, { 'x-acting-user': '005000000000002' });
        expect(named.status).toBe(403);
        expect(named.body.error.message).toBe(
            'Dana Admin (Salesforce user 005000000000002) is not a Backstory user of this org'
        );
        const bad = await app.call(a.apiKey, 'GET', '/v1/org', undefined, { 'x-acting-user': 'not-an-id' });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details[0].path).toBe('headers.x-acting-user');
    });

    it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
        const res = await fetch(`${app.url}/openapi.json`);
        const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
        expect(doc.openapi).toBe('3.1.0');
        expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/v1/org', '/v1/audit']));
    });
});
