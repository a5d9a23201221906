import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection, OAuth2 } from '@jsforce/jsforce-node';
import { fetch } from 'undici';
import { openConnection } from '../../src/salesforce/connection';
import { API_VERSION, authorizeInBrowser, sfError, startTestEmulator, type TestEmulator } from '../helpers/emulator';

const REDIRECT = 'http://localhost:1717/OauthRedirect';

/** What jsforce's OAuth2 calls reject with: `name` is the OAuth error code. */
async function oauthError(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
    try {
        await promise;
    } catch (error) {
        return error as { name: string; message: string };
    }
    throw new Error('expected the OAuth call to fail, it succeeded');
}

interface Tokens {
    access_token: string;
    refresh_token?: string;
    instance_url: string;
    id: string;
    scope?: string;
}

describe('emulator: OAuth 2.0 as Salesforce', () => {
    let t: TestEmulator;
    beforeAll(async () => {
        t = await startTestEmulator({ seed: 'empty' });
    });
    afterAll(() => t.close());

    const client = (options: { secret?: boolean; redirectUri?: string; clientId?: string } = {}) =>
        new OAuth2({
            loginUrl: t.emu.url,
            clientId: options.clientId ?? 'backstory-local',
            ...(options.secret === false ? {} : { clientSecret: 'backstory-local-secret' }),
            redirectUri: options.redirectUri ?? REDIRECT,
            useVerifier: true
        });

    it('authorization code with PKCE: login form, redirect with code and state, tokens with a refresh token and the identity URL', async () => {
        const oauth2 = client({ secret: false });
        const url = oauth2.getAuthorizationUrl({ state: 'xyz 1' });
        expect(url).toContain('code_challenge=');
        const page = await fetch(url);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
        const html = await page.text();
        expect(html).toMatch(/name="username"/);
        expect(html).toMatch(/name="pw"/);

        const { code, state, location } = await authorizeInBrowser(url);
        expect(location.startsWith(`${REDIRECT}?`)).toBe(true);
        expect(state).toBe('xyz 1');
        const tokens = (await oauth2.requestToken(code)) as Tokens;
        expect(tokens.refresh_token).toBeTruthy();
        expect(tokens.instance_url).toBe(t.emu.url);
        expect(tokens.id).toBe(`${t.emu.url}/id/${t.emu.orgId}/${t.emu.demo.integrationUser.id}`);

        const conn = new Connection({
            version: API_VERSION,
            instanceUrl: tokens.instance_url,
            accessToken: tokens.access_token
        });
        expect((await conn.query('SELECT Id FROM Organization')).totalSize).toBe(1);
        // No userInfo on this connection: identity() finds the identity URL through the version resource.
        const identity = await conn.identity();
        expect(identity.user_id).toBe(t.emu.demo.integrationUser.id);
        expect(identity.organization_id).toBe(t.emu.orgId);

        // The code is good once.
        expect((await oauthError(oauth2.requestToken(code))).name).toBe('invalid_grant');
    });

    it('the token endpoint checks the PKCE verifier, the redirect URI and the client', async () => {
        const oauth2 = client();
        const { code } = await authorizeInBrowser(oauth2.getAuthorizationUrl({ state: 's' }));
        const other = client();
        // Another verifier than the one the challenge was made from.
        expect((await oauthError(other.requestToken(code))).name).toBe('invalid_grant');

        const second = await authorizeInBrowser(oauth2.getAuthorizationUrl({}));
        const elsewhere = client({ redirectUri: 'http://localhost:9999/elsewhere' });
        elsewhere.codeVerifier = oauth2.codeVerifier;
        expect((await oauthError(elsewhere.requestToken(second.code))).name).toBe('redirect_uri_mismatch');

        const third = await authorizeInBrowser(oauth2.getAuthorizationUrl({}));
        const wrongSecret = new OAuth2({
            loginUrl: t.emu.url,
            clientId: 'backstory-local',
            clientSecret: 'wrong',
            redirectUri: REDIRECT
        });
        wrongSecret.codeVerifier = oauth2.codeVerifier;
        expect((await oauthError(wrongSecret.requestToken(third.code))).name).toBe('invalid_client');
    });

    it('the login form refuses a wrong password (the form again, no redirect); an unknown client or a redirect URI outside the callback URLs gets an error page', async () => {
        const url = client().getAuthorizationUrl({ state: 's' });
        const form = new URLSearchParams(new URL(url).search);
        form.set('username', 'integration@demo.backstory.local');
        form.set('pw', 'wrong');
        const res = await fetch(`${t.emu.url}/services/oauth2/authorize`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form,
            redirect: 'manual'
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('location')).toBeNull();
        expect(await res.text()).toMatch(/check your username and password/);

        const unknown = await fetch(client({ clientId: 'nope' }).getAuthorizationUrl({}), { redirect: 'manual' });
        expect(unknown.status).toBe(400);
        expect(await unknown.text()).toMatch(/invalid_client_id/);

        await fetch(`${t.emu.url}/__emulator/connected-apps/callback-app`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
                clientSecret: 'cb-secret',
                callbackUrls: ['https://app.example.com/oauth/callback']
            })
        });
        const mismatch = await fetch(client({ clientId: 'callback-app' }).getAuthorizationUrl({}), {
            redirect: 'manual'
        });
        expect(mismatch.status).toBe(400);
        expect(await mismatch.text()).toMatch(/redirect_uri_mismatch/);
        const registered = client({ clientId: 'callback-app', redirectUri: 'https://app.example.com/oauth/callback' });
        const { location } = await authorizeInBrowser(registered.getAuthorizationUrl({ state: 'ok' }));
        expect(location.startsWith('https://app.example.com/oauth/callback?code=')).toBe(true);

        const badUrls = await fetch(`${t.emu.url}/__emulator/connected-apps/callback-app`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ callbackUrls: ['not a url'] })
        });
        expect(badUrls.status).toBe(400);
        expect(((await badUrls.json()) as { fields: string[] }[])[0]?.fields).toEqual(['callbackUrls']);
    });

    it('refresh_token grant; revoking the refresh token makes it and its access tokens unusable (invalid_grant, 401)', async () => {
        const oauth2 = client();
        const { code } = await authorizeInBrowser(oauth2.getAuthorizationUrl({}));
        const tokens = (await oauth2.requestToken(code)) as Tokens;
        const refreshed = (await oauth2.refreshToken(tokens.refresh_token!)) as Tokens;
        expect(refreshed.access_token).toBeTruthy();
        expect(refreshed.access_token).not.toBe(tokens.access_token);
        expect(refreshed.refresh_token).toBeUndefined();

        await oauth2.revokeToken(tokens.refresh_token!);
        expect((await oauthError(oauth2.refreshToken(tokens.refresh_token!))).name).toBe('invalid_grant');
        const conn = new Connection({
            version: API_VERSION,
            instanceUrl: t.emu.url,
            accessToken: refreshed.access_token
        });
        expect((await sfError(conn.query('SELECT Id FROM Organization'))).errorCode).toBe('INVALID_SESSION_ID');
        // Revoking an unknown token is refused.
        await expect(oauth2.revokeToken('nope')).rejects.toThrow();
    });

    it('revoking an access token revokes its refresh token too', async () => {
        const oauth2 = client();
        const { code } = await authorizeInBrowser(oauth2.getAuthorizationUrl({}));
        const tokens = (await oauth2.requestToken(code)) as Tokens;
        await oauth2.revokeToken(tokens.access_token);
        expect((await oauthError(oauth2.refreshToken(tokens.refresh_token!))).name).toBe('invalid_grant');
    });

    it('conn.logout() ends an OAuth session (revoke) and a SOAP session (logout())', async () => {
        const oauthConn = await t.login();
        const token = oauthConn.accessToken!;
        await oauthConn.logout();
        const after = new Connection({ version: API_VERSION, instanceUrl: t.emu.url, accessToken: token });
        expect((await sfError(after.query('SELECT Id FROM Organization'))).errorCode).toBe('INVALID_SESSION_ID');

        const soap = new Connection({ version: API_VERSION, loginUrl: t.emu.url });
        await soap.login('admin@demo.backstory.local', 'demo-password');
        const soapToken = soap.accessToken!;
        await soap.logout();
        const afterSoap = new Connection({ version: API_VERSION, instanceUrl: t.emu.url, accessToken: soapToken });
        expect((await sfError(afterSoap.query('SELECT Id FROM Organization'))).errorCode).toBe('INVALID_SESSION_ID');
    });

    it('the password grant issues no refresh token', async () => {
        const tokens = (await client().authenticate('integration@demo.backstory.local', 'demo-password')) as Tokens;
        expect(tokens.access_token).toBeTruthy();
        expect(tokens.refresh_token).toBeUndefined();
        expect(Object.keys(tokens).sort()).toEqual(
            ['access_token', 'id', 'instance_url', 'issued_at', 'signature', 'token_type'].sort()
        );
    });

    it('userinfo answers the OpenID Connect claims of the session user; a bad token gets 403', async () => {
        const conn = await t.login();
        const info = await conn.request<Record<string, unknown>>('/services/oauth2/userinfo');
        expect(info).toMatchObject({
            sub: `${t.emu.url}/id/${t.emu.orgId}/${t.emu.demo.integrationUser.id}`,
            user_id: t.emu.demo.integrationUser.id,
            organization_id: t.emu.orgId,
            preferred_username: 'integration@demo.backstory.local',
            email_verified: true,
            active: true,
            user_type: 'STANDARD'
        });
        for (const k of ['name', 'given_name', 'family_name', 'email', 'zoneinfo', 'locale', 'language', 'urls'])
            expect(info).toHaveProperty(k);
        const bad = await fetch(`${t.emu.url}/services/oauth2/userinfo`, { headers: { authorization: 'Bearer nope' } });
        expect(bad.status).toBe(403);
    });

    describe('JWT bearer against an X.509 certificate registered through the admin surface', () => {
        let dir: string;
        let privateKey: string;
        let certificate: string;
        beforeAll(async () => {
            dir = mkdtempSync(path.join(tmpdir(), 'emu-jwt-'));
            // A self-signed certificate, as `openssl req -x509` makes one for a connected app (async:
            // the in-process emulator keeps answering meanwhile).
            await promisify(execFile)('openssl', [
                'req',
                '-x509',
                '-newkey',
                'rsa:2048',
                '-nodes',
                '-keyout',
                path.join(dir, 'server.key'),
                '-out',
                path.join(dir, 'server.crt'),
                '-days',
                '2',
                '-subj',
                '/CN=emulator-test'
            ]);
            privateKey = readFileSync(path.join(dir, 'server.key'), 'utf8');
            certificate = readFileSync(path.join(dir, 'server.crt'), 'utf8');
        });
        afterAll(() => rmSync(dir, { recursive: true, force: true }));

        it("the middleware's JWT connection signs in with the key of the registered certificate, and not with another key", async () => {
            const put = await fetch(`${t.emu.url}/__emulator/connected-apps/cert-app`, {
                method: 'PUT',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ certificate })
            });
            expect(put.status).toBe(200);
            const conn = await openConnection(
                {
                    kind: 'jwt',
                    loginUrl: t.emu.url,
                    clientId: 'cert-app',
                    username: 'integration@demo.backstory.local',
                    privateKey
                },
                API_VERSION
            );
            expect((await conn.query('SELECT Id FROM Organization')).totalSize).toBe(1);
            expect(t.emu.admin.requestLog().at(-1)?.userId).toBe(t.emu.demo.integrationUser.id);
            await expect(
                openConnection(
                    {
                        kind: 'jwt',
                        loginUrl: t.emu.url,
                        clientId: 'cert-app',
                        username: 'integration@demo.backstory.local',
                        privateKey: t.emu.admin.jwtPrivateKey()
                    },
                    API_VERSION
                )
            ).rejects.toThrow(/invalid_grant|invalid assertion/);
            const bad = await fetch(`${t.emu.url}/__emulator/connected-apps/cert-app`, {
                method: 'PUT',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ certificate: 'not a certificate' })
            });
            expect(bad.status).toBe(400);
            // The bad certificate changed nothing: the registered one still verifies.
            await openConnection(
                {
                    kind: 'jwt',
                    loginUrl: t.emu.url,
                    clientId: 'cert-app',
                    username: 'integration@demo.backstory.local',
                    privateKey
                },
                API_VERSION
            );
        });
    });
});
