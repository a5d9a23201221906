import { fetch } from 'undici';
import type { Connection } from '@jsforce/jsforce-node';
import { startTestApp, type TestApp } from '../../middleware/test/helpers/app';
import { startTestEmulator, type TestEmulator } from '../../middleware/test/helpers/emulator';
import { previewComponents } from './components';
import { request } from 'node:http';
import { normaliseApiPath, startPreview, type RunningPreview } from './server';

// The preview's stand-in for BackstoryApiProxy.send: the Apex class's rules, the API key and the
// acting user added server-side, and failures in the shape an LWC receives from Apex. Against the
// real middleware; the LWC build is not needed for the bridge (build: false).

interface ApexError {
    body: { message: string };
}

describe('the preview bridge for BackstoryApiProxy.send', () => {
    let app: TestApp;
    let apiKey: string;
    let preview: RunningPreview;

    beforeAll(async () => {
        app = await startTestApp();
        ({ apiKey } = await app.newOrg('Bridge org'));
        preview = await startPreview({ port: 0, middlewareUrl: app.url, apiKey, build: false });
    });
    afterAll(async () => {
        await preview?.close();
        await app?.close();
    });

    async function send(params: unknown, target: RunningPreview = preview) {
        const response = await fetch(`${target.url}/apex/BackstoryApiProxy.send`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(params)
        });
        return { status: response.status, body: (await response.json()) as { result?: string } & Partial<ApexError> };
    }
    /** The error JSON inside the Apex error, as c/backstoryApi parses it. */
    const apexError = (body: Partial<ApexError>) =>
        JSON.parse(body.body?.message ?? 'null') as {
            status: number;
            code: string;
            message: string;
            details: { path: string; message: string }[];
        };

    it('SEC-1 forwards a GET with the API key and answers the body as a string, like Apex', async () => {
        const { status, body } = await send({ method: 'GET', path: '/v1/org', body: null });
        expect(status).toBe(200);
        expect(typeof body.result).toBe('string');
        expect(JSON.parse(body.result ?? '')).toMatchObject({ mode: 'manual' });
    });

    it('forwards a JSON body, and the change is there afterwards', async () => {
        const created = await send({
            method: 'POST',
            path: '/v1/teams',
            body: JSON.stringify({ name: 'Bridge team', kind: 'custom' })
        });
        expect(created.status).toBe(200);
        const team = JSON.parse(created.body.result ?? '') as { id: string; name: string };
        expect(team.name).toBe('Bridge team');
        const listed = await app.call(apiKey, 'GET', '/v1/teams');
        expect((listed.body as { items: { id: string }[] }).items.map((t) => t.id)).toContain(team.id);
    });

    it('maps a middleware error to the Apex error shape, with status, code, message and details', async () => {
        const { status, body } = await send({ method: 'POST', path: '/v1/teams', body: JSON.stringify({}) });
        expect(status).toBe(500);
        const error = apexError(body);
        expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
        expect(error.details.map((d) => d.path)).toContain('name');

        const missing = apexError((await send({ method: 'GET', path: '/v1/profiles/nope', body: null })).body);
        expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    });

    it.each([
        ['a path outside /v1/', { method: 'GET', path: '/healthz' }, 'path'],
        ['a path climbing out of /v1/', { method: 'GET', path: '/v1/../healthz' }, 'path'],
        ['a path with an empty segment', { method: 'GET', path: '/v1//org' }, 'path'],
        ['no path', { method: 'GET' }, 'path'],
        ['a method Apex refuses', { method: 'OPTIONS', path: '/v1/org' }, 'method'],
        ['a body that is not a string', { method: 'POST', path: '/v1/teams', body: { name: 'x' } }, 'body']
    ])('refuses %s as BackstoryApiProxy does, naming the field', async (_what, params, field) => {
        const { status, body } = await send(params);
        expect(status).toBe(400);
        const error = apexError(body);
        expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
        expect(error.details).toEqual([{ path: field, message: expect.any(String) }]);
    });

    it('SEC-1 sends X-Acting-User when one is configured', async () => {
        const acting = await startPreview({
            port: 0,
            middlewareUrl: app.url,
            apiKey,
            actingUser: '005000000000001AAA',
            build: false
        });
        try {
            const error = apexError((await send({ method: 'GET', path: '/v1/org', body: null }, acting)).body);
            expect(error).toMatchObject({ status: 403, code: 'forbidden' });
            expect(error.message).toContain('005000000000001AAA');
        } finally {
            await acting.close();
        }
    });

    /** A raw request, so that Host and Origin can be anything a rebinding page would send. */
    const rawSend = (headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
            const url = new URL(`${preview.url}/apex/BackstoryApiProxy.send`);
            const req = request(
                {
                    host: url.hostname,
                    port: url.port,
                    path: url.pathname,
                    method: 'POST',
                    headers: { 'content-type': 'application/json', ...headers }
                },
                (res) => {
                    res.resume();
                    resolve(res.statusCode ?? 0);
                }
            );
            req.on('error', reject);
            req.end(JSON.stringify({ method: 'GET', path: '/v1/org', body: null }));
        });

    it('SEC-8 answers only Host 127.0.0.1:<port> or localhost:<port> and same-origin requests', async () => {
        const port = new URL(preview.url).port;
        expect(await rawSend({ host: `127.0.0.1:${port}` })).toBe(200);
        expect(await rawSend({ host: `localhost:${port}`, origin: `http://localhost:${port}` })).toBe(200);
        expect(await rawSend({ host: `attacker.example:${port}` })).toBe(403);
        expect(await rawSend({ host: '127.0.0.1' })).toBe(403);
        expect(await rawSend({ host: `127.0.0.1:${port}`, origin: 'http://attacker.example' })).toBe(403);
        expect(await rawSend({ host: `127.0.0.1:${port}`, 'sec-fetch-site': 'cross-site' })).toBe(403);
    });

    it('SEC-8 lets a link from another site open a page (the OAuth callback coming back), never the bridge', async () => {
        const port = new URL(preview.url).port;
        const navigation = {
            'sec-fetch-site': 'cross-site',
            'sec-fetch-mode': 'navigate',
            'sec-fetch-dest': 'document'
        };
        let location: string | undefined;
        const get = (path: string, headers: Record<string, string>) =>
            new Promise<number>((resolve, reject) => {
                const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
                    res.resume();
                    location = res.headers.location;
                    resolve(res.statusCode ?? 0);
                });
                req.on('error', reject);
                req.end();
            });
        expect(await get('/?connection=connected', { host: `127.0.0.1:${port}`, ...navigation })).toBe(200);
        // Finish in the setup wizard opens the Configuration Profiles tab (a Lightning page tab).
        expect(
            await get('/lightning/n/peopleai__Backstory_Configuration_Profiles', {
                host: `127.0.0.1:${port}`,
                ...navigation
            })
        ).toBe(302);
        expect(location).toBe('/#configurationProfiles');
        // A script's fetch from another site, or another Host, is still refused.
        expect(
            await get('/', { host: `127.0.0.1:${port}`, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' })
        ).toBe(403);
        expect(await get('/', { host: `attacker.example:${port}`, ...navigation })).toBe(403);
        // The bridge never counts as a page, whatever the request claims.
        expect(await rawSend({ host: `127.0.0.1:${port}`, ...navigation })).toBe(403);
    });

    it('SEC-8 normalises the path before checking it: encoded dot segments never leave /v1/', async () => {
        for (const path of [
            '/v1/%2e%2e/healthz',
            '/v1/%2E%2E/openapi.json',
            '/v1/.%2e/x',
            '/v1/users/..%2f..%2fhealthz',
            '/v1/\\..\\x',
            '/v1/%ZZ'
        ])
            expect(normaliseApiPath(path)).toBeNull();
        expect(normaliseApiPath('/v1/users?search=a%20b')).toBe('/v1/users?search=a%20b');
        const { status, body } = await send({ method: 'GET', path: '/v1/%2e%2e/openapi.json', body: null });
        expect(status).toBe(400);
        expect(apexError(body).details).toEqual([{ path: 'path', message: 'is not allowed' }]);
    });

    it('answers 502 unreachable when the middleware is down', async () => {
        const down = await startPreview({ port: 0, middlewareUrl: 'http://127.0.0.1:9', apiKey, build: false });
        try {
            const { status, body } = await send({ method: 'GET', path: '/v1/org', body: null }, down);
            expect(status).toBe(500);
            expect(apexError(body)).toMatchObject({ status: 502, code: 'unreachable' });
        } finally {
            await down.close();
        }
    });

    it('lists every LWC exposed on a Lightning page or tab, and no service module', () => {
        const components = previewComponents();
        expect(components).toContainEqual({
            name: 'permissionChecker',
            tag: 'c-permission-checker',
            label: 'Setup Wizard'
        });
        expect(components.map((c) => c.name)).not.toContain('backstoryApi');
    });

    it('serves the Lightning-like shell with SLDS and a navigation entry per LWC', async () => {
        const html = await (await fetch(preview.url)).text();
        expect(html).toContain('<span class="slds-text-heading_medium">Backstory Admin</span>');
        expect(html).toContain('href="#permissionChecker" data-component="permissionChecker"');
        const css = await fetch(`${preview.url}/assets/styles/salesforce-lightning-design-system.min.css`);
        expect(css.status).toBe(200);
    });
});

// The preview's stand-in for BackstoryPermissionSetup.cls: the same answers and refusals, run in the
// emulator's org as the user Apex would run as.
describe('the preview bridge for BackstoryPermissionSetup (PERM-8)', () => {
    let sf: TestEmulator;
    let app: TestApp;
    let apiKey: string;
    let admin: Connection;

    beforeAll(async () => {
        [sf, app] = await Promise.all([startTestEmulator(), startTestApp()]);
        ({ apiKey } = await app.newOrg('Apex org'));
        admin = await sf.login('admin@demo.backstory.local');
        // The emulator and the middleware start together: on busy shared cores that outlasts jest's 30 s.
    }, 180_000);
    afterAll(async () => {
        await app?.close();
        await sf?.close();
    });

    async function apex(target: RunningPreview, method: string, params: unknown) {
        const response = await fetch(`${target.url}/apex/BackstoryPermissionSetup.${method}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(params)
        });
        const body = (await response.json()) as { result?: unknown; body?: { message: string } };
        return {
            status: response.status,
            result: body.result,
            error: body.body
                ? (JSON.parse(body.body.message) as {
                      status: number;
                      code: string;
                      message: string;
                      details: { path: string }[];
                  })
                : undefined
        };
    }
    const assignments = async (userId: string) =>
        (
            await admin.query<{ Id: string }>(
                `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${userId}' AND PermissionSet.Name = 'Backstory_Standard_Permissions'`
            )
        ).records;

    /** The preview with Apex running in the org as the admin (the one-click assignment, field labels). */
    const adminPreview = () =>
        startPreview({ port: 0, middlewareUrl: app.url, apiKey, build: false, salesforce: admin });

    it('assigns the permission set once as the admin; a second click changes nothing', async () => {
        const preview = await adminPreview();
        try {
            const userId = sf.emu.demo.integrationUser.id;
            for (const a of await assignments(userId)) await admin.sobject('PermissionSetAssignment').destroy(a.Id);
            expect(await apex(preview, 'canAssignPermissionSet', {})).toMatchObject({ status: 200, result: true });

            const first = await apex(preview, 'assignPermissionSet', { userId });
            expect(first).toMatchObject({
                status: 200,
                result: {
                    assigned: true,
                    created: true,
                    permissionSet: 'Backstory Standard Permissions',
                    userName: 'Backstory Integration User'
                }
            });
            const second = await apex(preview, 'assignPermissionSet', { userId });
            expect(second.result).toMatchObject({ assigned: true, created: false });
            expect(await assignments(userId)).toHaveLength(1);

            const labels = await apex(preview, 'fieldLabels', {
                fields: ['Opportunity.StageName', 'Account.Industry', 'Account.Nope__c', 'Nope', 'NoSuchObject.Name']
            });
            expect(labels.result).toEqual({ 'Opportunity.StageName': 'Stage', 'Account.Industry': 'Industry' });
        } finally {
            await preview.close();
        }
    });

    it('refuses an id that is not a user, naming the field, and changes nothing', async () => {
        const preview = await adminPreview();
        try {
            for (const userId of [undefined, 'not-an-id', '001000000000001AAA']) {
                const answer = await apex(preview, 'assignPermissionSet', { userId });
                expect(answer.status).toBe(500);
                expect(answer.error).toMatchObject({ status: 400, code: 'validation_failed' });
                expect(answer.error?.details.map((d) => d.path)).toEqual(['userId']);
            }
            const tooMany = await apex(preview, 'fieldLabels', { fields: Array(501).fill('Account.Name') });
            expect(tooMany.error).toMatchObject({ status: 400, code: 'validation_failed' });
        } finally {
            await preview.close();
        }
    });

    it('refuses a user without Assign Permission Sets (the integration user itself, or no Salesforce session)', async () => {
        const withoutTheRight = await sf.login(); // Minimum Access + Backstory Standard Permissions: no Assign Permission Sets
        const targets = [
            await startPreview({ port: 0, middlewareUrl: app.url, apiKey, build: false }),
            await startPreview({ port: 0, middlewareUrl: app.url, apiKey, build: false, salesforce: withoutTheRight })
        ];
        try {
            const userId = sf.emu.demo.integrationUser.id;
            const before = await assignments(userId);
            for (const preview of targets) {
                expect(await apex(preview, 'canAssignPermissionSet', {})).toMatchObject({ status: 200, result: false });
                const refused = await apex(preview, 'assignPermissionSet', { userId });
                expect(refused.error).toMatchObject({ status: 403, code: 'forbidden' });
            }
            expect(await assignments(userId)).toEqual(before);
        } finally {
            await Promise.all(targets.map((t) => t.close()));
        }
    });

    it('answers 404 for an Apex method the class does not have', async () => {
        const preview = await startPreview({ port: 0, middlewareUrl: app.url, apiKey, build: false });
        try {
            expect((await apex(preview, 'constructor', {})).error).toMatchObject({ status: 404, code: 'not_found' });
        } finally {
            await preview.close();
        }
    });
});
