import { fetch } from 'undici';
import { Connection, OAuth2 } from '@jsforce/jsforce-node';
import jwt from 'jsonwebtoken';
import { generateKeyPairSync } from 'node:crypto';
import { openConnection } from '../../src/salesforce/connection';
import { API_VERSION, authorizeInBrowser, sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

async function token(
    url: string,
    params: Record<string, string>
): Promise<{ status: number; body: Record<string, string> }> {
    const res = await fetch(`${url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params)
    });
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('emulator: authentication', () => {
    let t: TestEmulator;
    beforeAll(async () => {
        t = await startTestEmulator({ seed: 'empty' });
    });
    afterAll(() => t.close());

    /** Tokens from the authorization-code flow (the one that issues a refresh token). */
    const codeGrant = async () => {
        const oauth2 = new OAuth2({
            loginUrl: t.emu.url,
            clientId: 'backstory-local',
            clientSecret: 'backstory-local-secret',
            redirectUri: 'http://localhost:1717/OauthRedirect'
        });
        const { code } = await authorizeInBrowser(oauth2.getAuthorizationUrl({ state: 's' }));
        return (await oauth2.requestToken(code)) as {
            access_token: string;
            refresh_token: string;
            instance_url: string;
        };
    };

    it('OAuth username-password flow returns a token, instance URL and identity URL jsforce accepts', async () => {
        const conn = await t.login();
        expect(conn.accessToken).toBeTruthy();
        expect(conn.instanceUrl).toBe(t.emu.url);
        expect(conn.userInfo?.id).toBe(t.emu.demo.integrationUser.id);
        expect(conn.userInfo?.organizationId).toBe(t.emu.orgId);
        const identity = await conn.identity();
        expect(identity.username).toBe('integration@demo.backstory.local');
    });

    it('SOAP login() works when no OAuth client is configured (jsforce falls back to it)', async () => {
        const conn = new Connection({ version: API_VERSION, loginUrl: t.emu.url });
        const info = await conn.login('admin@demo.backstory.local', 'demo-password');
        expect(info.id).toBe(t.emu.demo.adminUser.id);
        expect(conn.instanceUrl).toBe(t.emu.url);
        const result = await conn.query("SELECT Id FROM User WHERE Username = 'admin@demo.backstory.local'");
        expect(result.totalSize).toBe(1);
    });

    it('a wrong password is refused (invalid_grant / INVALID_LOGIN)', async () => {
        const oauth = new Connection({
            version: API_VERSION,
            loginUrl: t.emu.url,
            oauth2: { loginUrl: t.emu.url, clientId: 'backstory-local', clientSecret: 'backstory-local-secret' }
        });
        const e1 = await sfError(oauth.login('integration@demo.backstory.local', 'nope'));
        expect(String(e1.message)).toMatch(/authentication failure/);
        const soap = new Connection({ version: API_VERSION, loginUrl: t.emu.url });
        const e2 = await sfError(soap.login('integration@demo.backstory.local', 'nope'));
        expect(String(e2.message)).toMatch(/INVALID_LOGIN/);
    });

    it("client-credentials flow runs as the connected app's run-as user", async () => {
        const res = await fetch(`${t.emu.url}/services/oauth2/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
                grant_type: 'client_credentials',
                client_id: 'backstory-local',
                client_secret: 'backstory-local-secret'
            })
        });
        const body = (await res.json()) as { access_token: string; id: string };
        expect(res.status).toBe(200);
        expect(body.id).toBe(`${t.emu.url}/id/${t.emu.orgId}/${t.emu.demo.integrationUser.id}`);
    });

    it("JWT bearer flow accepts an assertion signed with the connected app's certificate key and refuses a bad one", async () => {
        const assertion = jwt.sign({ sub: 'integration@demo.backstory.local' }, t.emu.admin.jwtPrivateKey(), {
            algorithm: 'RS256',
            issuer: 'backstory-local',
            audience: t.emu.url,
            expiresIn: 180
        });
        const ok = await fetch(`${t.emu.url}/services/oauth2/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion })
        });
        expect(ok.status).toBe(200);
        const token = ((await ok.json()) as { access_token: string }).access_token;
        const conn = new Connection({ version: API_VERSION, instanceUrl: t.emu.url, accessToken: token });
        expect((await conn.query('SELECT Id FROM Organization')).totalSize).toBe(1);
        const forged = jwt.sign({ sub: 'integration@demo.backstory.local' }, 'not-the-key', {
            algorithm: 'HS256',
            issuer: 'backstory-local',
            audience: t.emu.url
        });
        const bad = await fetch(`${t.emu.url}/services/oauth2/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: forged })
        });
        expect(bad.status).toBe(400);
        expect(((await bad.json()) as { error: string }).error).toBe('invalid_grant');
    });

    it('an expired session answers 401 INVALID_SESSION_ID, and jsforce refreshes and retries', async () => {
        const conn = await t.login();
        const before = conn.accessToken;
        t.emu.admin.expireSessions(t.emu.demo.integrationUser.id);
        const raw = await fetch(`${t.emu.url}/services/data/v${API_VERSION}/limits`, {
            headers: { authorization: `Bearer ${before}` }
        });
        expect(raw.status).toBe(401);
        expect(raw.headers.get('content-type')).toBe('application/json;charset=UTF-8');
        expect(await raw.json()).toEqual([
            { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID', fields: [] }
        ]);
        const result = await conn.query('SELECT Id FROM User LIMIT 1');
        expect(result.totalSize).toBe(1);
        expect(conn.accessToken).not.toBe(before);
    });

    it('refresh-token grant issues a new access token', async () => {
        const { refresh_token } = await codeGrant();
        const refreshed = await fetch(`${t.emu.url}/services/oauth2/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
                grant_type: 'refresh_token',
                client_id: 'backstory-local',
                client_secret: 'backstory-local-secret',
                refresh_token
            })
        });
        expect(refreshed.status).toBe(200);
        expect(((await refreshed.json()) as { access_token: string }).access_token).toBeTruthy();
    });

    it('an unknown token gets 401 INVALID_SESSION_ID', async () => {
        const res = await fetch(`${t.emu.url}/services/data/v${API_VERSION}/sobjects`, {
            headers: { authorization: 'Bearer nope' }
        });
        expect(res.status).toBe(401);
        expect(((await res.json()) as { errorCode: string }[])[0]?.errorCode).toBe('INVALID_SESSION_ID');
    });

    it('the token endpoint refuses an unknown client id (invalid_client_id) and a wrong secret (invalid_client)', async () => {
        const base = {
            grant_type: 'password',
            username: 'integration@demo.backstory.local',
            password: 'demo-password'
        };
        const unknown = await token(t.emu.url, { ...base, client_id: 'nope', client_secret: 'x' });
        expect(unknown).toEqual({
            status: 400,
            body: { error: 'invalid_client_id', error_description: 'client identifier invalid' }
        });
        const wrong = await token(t.emu.url, { ...base, client_id: 'backstory-local', client_secret: 'wrong' });
        expect(wrong.body.error).toBe('invalid_client');
        const cc = await token(t.emu.url, {
            grant_type: 'client_credentials',
            client_id: 'backstory-local',
            client_secret: 'wrong'
        });
        expect(cc.body.error).toBe('invalid_client');
        expect((await token(t.emu.url, { grant_type: 'magic' })).body.error).toBe('unsupported_grant_type');
        expect(
            (
                await token(t.emu.url, {
                    grant_type: 'refresh_token',
                    client_id: 'backstory-local',
                    refresh_token: 'nope'
                })
            ).body.error
        ).toBe('invalid_grant');
    });

    it('jsforce refreshes an expired session with its refresh token (refresh_token grant) and retries the call', async () => {
        const login = { body: await codeGrant() };
        const conn = new Connection({
            version: API_VERSION,
            oauth2: { loginUrl: t.emu.url, clientId: 'backstory-local', clientSecret: 'backstory-local-secret' },
            instanceUrl: login.body.instance_url,
            accessToken: login.body.access_token,
            refreshToken: login.body.refresh_token
        });
        const refreshed: string[] = [];
        conn.on('refresh', (accessToken: string) => refreshed.push(accessToken));
        t.emu.admin.expireSessions(t.emu.demo.integrationUser.id);
        const result = await conn.query('SELECT Id FROM Organization');
        expect(result.totalSize).toBe(1);
        expect(refreshed).toHaveLength(1);
        expect(conn.accessToken).toBe(refreshed[0]);
        expect(conn.accessToken).not.toBe(login.body.access_token);
    });

    describe('JWT bearer flow', () => {
        const sign = (claims: Record<string, unknown>, key: string, options: jwt.SignOptions = {}) =>
            jwt.sign({ sub: 'integration@demo.backstory.local', ...claims }, key, {
                algorithm: 'RS256',
                issuer: 'backstory-local',
                audience: t.emu.url,
                expiresIn: 180,
                ...options
            });

        it('the middleware signs in to the emulator with a JWT signed by the connected app key (openConnection kind jwt)', async () => {
            const conn = await openConnection(
                {
                    kind: 'jwt',
                    loginUrl: t.emu.url,
                    clientId: 'backstory-local',
                    username: 'integration@demo.backstory.local',
                    privateKey: t.emu.admin.jwtPrivateKey()
                },
                API_VERSION
            );
            expect((await conn.query('SELECT Id FROM Organization')).totalSize).toBe(1);
            expect(t.emu.admin.requestLog().at(-1)?.userId).toBe(t.emu.demo.integrationUser.id);
            // After expiry the middleware's refresh function signs a new assertion.
            t.emu.admin.expireSessions(t.emu.demo.integrationUser.id);
            expect((await conn.query('SELECT Id FROM Organization')).totalSize).toBe(1);
        });

        it('refuses an assertion signed with another key, expired, without exp, for another audience or an unknown user (invalid_grant)', async () => {
            const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
                .privateKey.export({ type: 'pkcs8', format: 'pem' })
                .toString();
            const key = t.emu.admin.jwtPrivateKey();
            const cases = [
                sign({}, other),
                jwt.sign({ sub: 'integration@demo.backstory.local', exp: Math.floor(Date.now() / 1000) - 60 }, key, {
                    algorithm: 'RS256',
                    issuer: 'backstory-local',
                    audience: t.emu.url
                }),
                jwt.sign({ sub: 'integration@demo.backstory.local' }, key, {
                    algorithm: 'RS256',
                    issuer: 'backstory-local',
                    audience: t.emu.url
                }),
                sign({}, key, { audience: 'https://elsewhere.example.com' }),
                sign({ sub: 'nobody@demo.backstory.local' }, key)
            ];
            for (const assertion of cases) {
                const res = await token(t.emu.url, { grant_type: JWT_GRANT, assertion });
                expect(res.status).toBe(400);
                expect(res.body.error).toBe('invalid_grant');
            }
            const unknownApp = await token(t.emu.url, {
                grant_type: JWT_GRANT,
                assertion: sign({}, key, { issuer: 'not-an-app' })
            });
            expect(unknownApp.body.error).toBe('invalid_client_id');
        });

        it('verifies against the certificate or public key registered for a connected app', async () => {
            const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
            t.emu.admin.registerConnectedApp({
                clientId: 'customer-app',
                certificate: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()
            });
            const privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
            const ok = await token(t.emu.url, {
                grant_type: JWT_GRANT,
                assertion: sign({}, privateKey, { issuer: 'customer-app' })
            });
            expect(ok.status).toBe(200);
            expect(ok.body.id).toBe(`${t.emu.url}/id/${t.emu.orgId}/${t.emu.demo.integrationUser.id}`);
            // The demo key does not verify for this app.
            const wrongKey = await token(t.emu.url, {
                grant_type: JWT_GRANT,
                assertion: sign({}, t.emu.admin.jwtPrivateKey(), { issuer: 'customer-app' })
            });
            expect(wrongKey.body.error).toBe('invalid_grant');
            expect(() => t.emu.admin.registerConnectedApp({ clientId: 'x', certificate: 'not a pem' })).toThrow(
                /certificate/
            );
        });
    });

    it("the identity URL answers only for the session's own user (403 for another)", async () => {
        const conn = await t.login();
        const res = await fetch(`${t.emu.url}/id/${t.emu.orgId}/${t.emu.demo.adminUser.id}`, {
            headers: { authorization: `Bearer ${conn.accessToken}` }
        });
        expect(res.status).toBe(403);
        const own = await fetch(`${t.emu.url}/id/${t.emu.orgId}/${t.emu.demo.integrationUser.id}`, {
            headers: { authorization: `Bearer ${conn.accessToken}` }
        });
        expect(await own.json()).toMatchObject({
            user_id: t.emu.demo.integrationUser.id,
            organization_id: t.emu.orgId,
            username: 'integration@demo.backstory.local'
        });
    });
});
