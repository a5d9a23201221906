import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { fetch } from 'undici';
import { SecretBox } from '../src/crypto/secret-box';
import { startJobs, type Jobs } from '../src/jobs';
import { createLogger } from '../src/logger';
import { startTestApp, type TestApp } from './helpers/app';
import { authorizeInBrowser, startTestEmulator, type TestEmulator } from './helpers/emulator';
import { storeEngines } from './helpers/store';
import { insertUser } from './helpers/users';
import { randomBytes } from 'node:crypto';
import { ACTIVITY_SYNC_ON } from './helpers/profiles';

const OPERATOR_KEY = 'operator-key-for-the-tenancy-tests';
const OWNER = 'casey.chen@demo.backstory.local';
/** Every refresh token the tests saw: none may appear in a log. */
const refreshTokens: string[] = [];

/** Everything the middleware logs, as text. */
function logCapture() {
    const lines: string[] = [];
    const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
            lines.push(chunk.toString('utf8'));
            done();
        }
    });
    return { logger: createLogger('trace', stream), text: () => lines.join('') };
}

describe.each(storeEngines)(
    'connected orgs: tenants, keys and per-org Salesforce connections (TEN-1..4) on %s',
    (engine) => {
        let app: TestApp;
        let sfA: TestEmulator;
        let sfB: TestEmulator;
        let logs: ReturnType<typeof logCapture>;
        let secrets: SecretBox;
        const tenants: Record<'a' | 'b', { id: string; apiKey: string }> = {} as never;
        const returnUrl = 'http://127.0.0.1:9/setup';

        const connectByOAuth = async (key: string, sf: TestEmulator) => {
            const started = await app.call(key, 'POST', '/v1/org/connection/oauth', {
                loginUrl: sf.emu.url,
                returnUrl
            });
            expect(started.status).toBe(200);
            const authorizeUrl = new URL(started.body.authorizeUrl as string);
            expect(authorizeUrl.origin).toBe(sf.emu.url);
            expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
            expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(`${app.url}/oauth/callback`);
            const { location } = await authorizeInBrowser(authorizeUrl.toString());
            const callback = await fetch(location, { redirect: 'manual' });
            return { callback, location };
        };

        beforeAll(async () => {
            logs = logCapture();
            secrets = new SecretBox(randomBytes(32));
            [sfA, sfB] = await Promise.all([startTestEmulator(), startTestEmulator()]);
            app = await startTestApp({
                engine,
                operatorKey: OPERATOR_KEY,
                oauthClient: { clientId: 'backstory-local' },
                logger: logs.logger,
                secrets
            });
        }, 120000);
        afterAll(async () => {
            await app?.close();
            await Promise.all([sfA?.close(), sfB?.close()]);
        });

        it('TEN-1 the operator key creates and lists tenants (the first admin key shown once) and reads no tenant data', async () => {
            for (const [slot, name] of [
                ['a', 'Tenant A'],
                ['b', 'Tenant B']
            ] as const) {
                const res = await app.call(OPERATOR_KEY, 'POST', '/v1/orgs', { name });
                expect(res.status).toBe(201);
                expect(res.body).toEqual({
                    org: { id: expect.any(String), name },
                    apiKey: expect.stringMatching(/^bsk_/)
                });
                tenants[slot] = { id: res.body.org.id, apiKey: res.body.apiKey };
            }
            const list = await app.call(OPERATOR_KEY, 'GET', '/v1/orgs');
            expect(list.status).toBe(200);
            expect(list.body.items).toEqual(
                expect.arrayContaining([
                    expect.objectContaining({ id: tenants.a.id, name: 'Tenant A', connectionStatus: 'not_connected' }),
                    expect.objectContaining({ id: tenants.b.id, name: 'Tenant B', connectionStatus: 'not_connected' })
                ])
            );
            expect(JSON.stringify(list.body)).not.toContain(tenants.a.apiKey);
            // The operator reads no tenant data; a tenant key cannot act as the operator.
            for (const path of ['/v1/org', '/v1/profiles', '/v1/org/keys', '/v1/org/connection']) {
                expect((await app.call(OPERATOR_KEY, 'GET', path)).status).toBe(403);
            }
            expect((await app.call(tenants.a.apiKey, 'GET', '/v1/orgs')).status).toBe(403);
            expect((await app.call(tenants.a.apiKey, 'POST', '/v1/orgs', { name: 'x' })).status).toBe(403);
            const bad = await app.call(OPERATOR_KEY, 'POST', '/v1/orgs', { name: '' });
            expect(bad.status).toBe(400);
            expect(bad.body.error.details[0].path).toBe('name');
            // The tenant's own key works at once.
            expect((await app.call(tenants.a.apiKey, 'GET', '/v1/org')).body.id).toBe(tenants.a.id);
        });

        it('TEN-3 keys: issue (shown once), list (prefix, label, created, last used), revoke → 401 on the very next call; the last active key stays', async () => {
            const key = tenants.a.apiKey;
            const issued = await app.call(key, 'POST', '/v1/org/keys', { label: 'Apex proxy' });
            expect(issued.status).toBe(201);
            expect(issued.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^bsk_/) });
            expect((await app.call(issued.body.key, 'GET', '/v1/org')).status).toBe(200);
            const list = await app.call(key, 'GET', '/v1/org/keys');
            expect(list.status).toBe(200);
            const row = list.body.items.find((k: { id: string }) => k.id === issued.body.id);
            expect(row).toEqual({
                id: issued.body.id,
                label: 'Apex proxy',
                prefix: issued.body.key.slice(0, 8),
                createdAt: expect.any(String),
                lastUsedAt: expect.any(String),
                revokedAt: null
            });
            expect(JSON.stringify(list.body)).not.toContain(issued.body.key);
            const rows = await sql`select * from api_keys`.execute(app.store.db);
            expect(JSON.stringify(rows.rows)).not.toContain(issued.body.key);

            expect((await app.call(key, 'POST', '/v1/org/keys', { label: '' })).body.error.details[0].path).toBe(
                'label'
            );
            // Another org's key id is not found here.
            const other = (await app.call(tenants.b.apiKey, 'GET', '/v1/org/keys')).body.items[0].id as string;
            expect((await app.call(key, 'DELETE', `/v1/org/keys/${other}`)).status).toBe(404);

            expect((await app.call(key, 'DELETE', `/v1/org/keys/${issued.body.id}`)).status).toBe(204);
            const refused = await app.call(issued.body.key, 'GET', '/v1/org');
            expect(refused.status).toBe(401);
            expect(refused.body.error.code).toBe('unauthorized');
            // Now the first key is the last active one: it stays.
            const firstId = (await app.call(key, 'GET', '/v1/org/keys')).body.items.find(
                (k: { revokedAt: string | null }) => k.revokedAt === null
            ).id as string;
            const last = await app.call(key, 'DELETE', `/v1/org/keys/${firstId}`);
            expect(last.status).toBe(409);
            expect((await app.call(key, 'GET', '/v1/org')).status).toBe(200);
        });

        it('TEN-2 each tenant connects its own org by OAuth (PKCE): state single use and bound to the org; nothing in clear at rest', async () => {
            expect((await app.call(tenants.a.apiKey, 'GET', '/v1/org/connection')).body).toMatchObject({
                status: 'not_connected',
                method: null
            });
            const a = await connectByOAuth(tenants.a.apiKey, sfA);
            expect(a.callback.status).toBe(302);
            expect(a.callback.headers.get('location')).toBe(`${returnUrl}?connection=connected`);
            // The state was used: the same callback again is refused and changes nothing.
            const replay = await fetch(a.location, { redirect: 'manual' });
            expect(replay.status).toBe(401);

            const b = await connectByOAuth(tenants.b.apiKey, sfB);
            expect(b.callback.status).toBe(302);

            for (const [t, sf] of [
                [tenants.a, sfA],
                [tenants.b, sfB]
            ] as const) {
                const got = await app.call(t.apiKey, 'GET', '/v1/org/connection');
                expect(got.body).toEqual({
                    status: 'connected',
                    method: 'oauth',
                    instanceUrl: sf.emu.url,
                    salesforceOrgId: sf.emu.orgId,
                    username: 'integration@demo.backstory.local',
                    connectedAt: expect.any(String),
                    lastError: null,
                    loginUrl: sf.emu.url
                });
            }
            // A state that never existed is refused; a bad login URL names the field.
            expect((await fetch(`${app.url}/oauth/callback?code=x&state=nope`, { redirect: 'manual' })).status).toBe(
                401
            );
            const bad = await app.call(tenants.a.apiKey, 'POST', '/v1/org/connection/oauth', {
                loginUrl: 'http://example.com'
            });
            expect(bad.status).toBe(400);
            expect(bad.body.error.details[0].path).toBe('loginUrl');
            // Not a URL at all (found by the fuzz suite: it answered 500): 400 naming each field.
            for (const field of ['loginUrl', 'returnUrl']) {
                const notUrl = await app.call(tenants.a.apiKey, 'POST', '/v1/org/connection/oauth', {
                    loginUrl: sfA.emu.url,
                    [field]: 'oU9AeyzD'
                });
                expect(notUrl.status).toBe(400);
                expect(notUrl.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
            }

            // The raw rows hold no token or key in clear.
            const raw = JSON.stringify(
                (await sql`select * from salesforce_connections`.execute(app.store.db)).rows.concat(
                    (await sql`select * from oauth_states`.execute(app.store.db)).rows
                )
            );
            for (const t of [tenants.a, tenants.b]) {
                const row = await app.store.db
                    .selectFrom('salesforce_connections')
                    .selectAll()
                    .where('org_id', '=', t.id)
                    .executeTakeFirstOrThrow();
                const { refreshToken } = JSON.parse(
                    secrets.open(row.secret_ciphertext, `org:${t.id}:salesforce-connection`)
                ) as {
                    refreshToken: string;
                };
                expect(refreshToken.length).toBeGreaterThan(20);
                refreshTokens.push(refreshToken);
                expect(raw).not.toContain(refreshToken);
                expect(raw).not.toContain(t.apiKey);
                // A sealed value is bound to its org: moved to another row, it does not open.
                const otherOrg = t === tenants.a ? tenants.b.id : tenants.a.id;
                expect(() => secrets.open(row.secret_ciphertext, `org:${otherOrg}:salesforce-connection`)).toThrow();
            }
            expect(raw).not.toMatch(/00D[a-zA-Z0-9]{12}!/); // no access token
            expect(raw).not.toContain('demo-password');
        });

        it('TEN-4 two tenants on two Salesforce orgs pull, match and read activities without seeing each other’s rows', async () => {
            // A contact that exists only in tenant B's Salesforce org.
            const only = { LastName: 'OnlyInB', FirstName: 'Bea', Email: 'bea@only-in-b.example.com' };
            sfB.emu.admin.insertRecords('Contact', [only]);
            for (const [t, sf] of [
                [tenants.a, sfA],
                [tenants.b, sfB]
            ] as const) {
                expect((await app.call(t.apiKey, 'POST', '/v1/crm/pull')).status).toBe(200);
                await insertUser(app.store.db, t.id, { email: OWNER, salesforceUserId: sf.emu.admin.userId(OWNER) });
                const profile = await app.call(t.apiKey, 'POST', '/v1/profiles', {
                    name: 'Capture',
                    activity: ACTIVITY_SYNC_ON
                });
                expect(profile.status).toBe(201);
                await app.store.db
                    .updateTable('users')
                    .set({ profile_id: profile.body.id })
                    .where('org_id', '=', t.id)
                    .execute();
            }
            const replicaB = await app.store.db
                .selectFrom('crm_records')
                .select('id')
                .where('org_id', '=', tenants.b.id)
                .where('object', '=', 'Contact')
                .where(sql`data->>'Email'`, '=', only.Email)
                .execute();
            expect(replicaB).toHaveLength(1);
            const replicaA = await app.store.db
                .selectFrom('crm_records')
                .select('id')
                .where('org_id', '=', tenants.a.id)
                .where(sql`data->>'Email'`, '=', only.Email)
                .execute();
            expect(replicaA).toHaveLength(0);

            const meeting = {
                externalId: 'same-external-id',
                type: 'meeting',
                ownerEmail: OWNER,
                subject: 'Intro',
                startsAt: '2026-11-03T15:00:00Z',
                endsAt: '2026-11-03T16:00:00Z',
                participants: [
                    { email: OWNER, role: 'organizer' },
                    { email: only.Email, name: 'Bea', role: 'attendee' }
                ]
            };
            const inA = await app.call(tenants.a.apiKey, 'POST', '/v1/activities', meeting);
            const inB = await app.call(tenants.b.apiKey, 'POST', '/v1/activities', meeting);
            expect(inA.status).toBe(202);
            expect(inB.status).toBe(202);
            expect(inA.body.id).not.toBe(inB.body.id);
            const gotB = await app.call(tenants.b.apiKey, 'GET', `/v1/activities/${inB.body.id}`);
            expect(gotB.body.match.who).toMatchObject({ recordId: replicaB[0]!.id, type: 'Contact' });
            const gotA = await app.call(tenants.a.apiKey, 'GET', `/v1/activities/${inA.body.id}`);
            expect(gotA.body.match?.who ?? null).toBeNull();
            // Neither reads the other's activity.
            expect((await app.call(tenants.a.apiKey, 'GET', `/v1/activities/${inB.body.id}`)).status).toBe(404);
            expect((await app.call(tenants.b.apiKey, 'GET', `/v1/activities/${inA.body.id}`)).status).toBe(404);
        });

        describe('jobs per org (TEN-4)', () => {
            let jobs: Jobs;
            beforeAll(async () => {
                jobs = await startJobs(
                    { store: app.store, salesforce: app.deps.salesforce, logger: logs.logger },
                    { pollingIntervalSeconds: 0.5 }
                );
            }, 60000);
            afterAll(() => jobs?.stop());

            const makeDue = () =>
                sql`update crm_pull_state set last_pull_at = now() - interval '1 day'`.execute(app.store.db);
            /** Wait for the queued pull of each org to end, and say how. */
            const outcomes = (orgIds: string[]) =>
                new Promise<Record<string, string>>((resolve) => {
                    const seen: Record<string, string> = {};
                    const done = (orgId: string, how: string) => {
                        if (!orgIds.includes(orgId) || seen[orgId]) return;
                        seen[orgId] = how;
                        if (Object.keys(seen).length === orgIds.length) resolve(seen);
                    };
                    jobs.events.on('crmPulled', (e) => done(e.orgId, 'pulled'));
                    jobs.events.on('crmPullFailed', (e) => done(e.orgId, `failed: ${e.error}`));
                });

            it('TEN-4 one org’s exhausted API allowance and slowness do not hold up the other org’s pull', async () => {
                await makeDue();
                sfA.emu.admin.setApiLimit(0);
                let ended = outcomes([tenants.a.id, tenants.b.id]);
                expect((await jobs.enqueueDueCrmPulls()).sort()).toEqual(
                    [tenants.a.id, tenants.b.id].filter((id) => id !== undefined).sort()
                );
                const first = await ended;
                expect(first[tenants.b.id]).toBe('pulled');
                expect(first[tenants.a.id]).toMatch(/failed: .*REQUEST_LIMIT_EXCEEDED/);
                // An exhausted allowance is not a broken connection.
                expect((await app.call(tenants.a.apiKey, 'GET', '/v1/org/connection')).body.status).toBe('connected');
                sfA.emu.admin.setApiLimit(100000);

                // Tenant A's org answers slowly: B's pull ends while A's is still waiting.
                sfA.emu.admin.injectFault({ kind: 'LATENCY', latencyMs: 30_000, operation: 'query', count: 1 });
                await makeDue();
                let aEnded = false;
                const aDone = new Promise<void>((resolve) => {
                    const end = (e: { orgId: string }) => {
                        if (e.orgId !== tenants.a.id) return;
                        aEnded = true;
                        resolve();
                    };
                    jobs.events.on('crmPulled', end);
                    jobs.events.on('crmPullFailed', end);
                });
                ended = outcomes([tenants.b.id]);
                expect((await jobs.enqueueDueCrmPulls()).sort()).toEqual([tenants.a.id, tenants.b.id].sort());
                expect((await ended)[tenants.b.id]).toBe('pulled');
                expect(aEnded).toBe(false);
                await aDone; // A's pull ends in its own time
            }, 120000);

            it('TEN-2 a refresh token revoked in Salesforce turns the connection to error with the reason; that org’s jobs pause, the other’s still run', async () => {
                // Revoke tenant A's refresh token at Salesforce (what an admin's "Revoke" does).
                const row = await app.store.db
                    .selectFrom('salesforce_connections')
                    .selectAll()
                    .where('org_id', '=', tenants.a.id)
                    .executeTakeFirstOrThrow();
                const { refreshToken } = JSON.parse(
                    secrets.open(row.secret_ciphertext, `org:${tenants.a.id}:salesforce-connection`)
                ) as { refreshToken: string };
                const revoked = await fetch(`${sfA.emu.url}/services/oauth2/revoke`, {
                    method: 'POST',
                    headers: { 'content-type': 'application/x-www-form-urlencoded' },
                    body: new URLSearchParams({ token: refreshToken })
                });
                expect(revoked.status).toBe(200);

                await makeDue();
                const ended = outcomes([tenants.a.id, tenants.b.id]);
                expect((await jobs.enqueueDueCrmPulls()).sort()).toEqual([tenants.a.id, tenants.b.id].sort());
                const result = await ended;
                expect(result[tenants.b.id]).toBe('pulled');
                expect(result[tenants.a.id]).toMatch(/failed: .*expired access\/refresh token/);

                const conn = await app.call(tenants.a.apiKey, 'GET', '/v1/org/connection');
                expect(conn.body.status).toBe('error');
                expect(conn.body.lastError).toMatch(/invalid_grant: expired access\/refresh token/);
                expect((await app.call(OPERATOR_KEY, 'GET', '/v1/orgs')).body.items).toEqual(
                    expect.arrayContaining([expect.objectContaining({ id: tenants.a.id, connectionStatus: 'error' })])
                );
                // Paused: nothing is queued for A; B still comes due and runs.
                await makeDue();
                const next = outcomes([tenants.b.id]);
                const again = await jobs.enqueueDueCrmPulls();
                expect(again).not.toContain(tenants.a.id);
                expect(again).toContain(tenants.b.id);
                expect((await next)[tenants.b.id]).toBe('pulled');
                // A's API calls that need Salesforce say how to reconnect.
                const pull = await app.call(tenants.a.apiKey, 'POST', '/v1/crm/pull');
                expect(pull.status).toBe(409);
                expect(pull.body.error.message).toMatch(/Reconnect/);

                // Reconnecting clears the error.
                const back = await connectByOAuth(tenants.a.apiKey, sfA);
                expect(back.callback.status).toBe(302);
                expect((await app.call(tenants.a.apiKey, 'GET', '/v1/org/connection')).body).toMatchObject({
                    status: 'connected',
                    lastError: null
                });
            }, 120000);
        });

        it('TEN-2 JWT bearer with the org’s own connected app is tried before it is stored; a refused key changes nothing', async () => {
            const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
            const privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
            const certificate = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
            sfB.emu.admin.registerConnectedApp({ clientId: 'tenant-b-own-app', certificate });
            const wrong = generateKeyPairSync('rsa', { modulusLength: 2048 })
                .privateKey.export({ type: 'pkcs8', format: 'pem' })
                .toString();
            const body = {
                loginUrl: sfB.emu.url,
                clientId: 'tenant-b-own-app',
                username: 'integration@demo.backstory.local',
                privateKey: wrong
            };
            const refused = await app.call(tenants.b.apiKey, 'PUT', '/v1/org/connection/jwt', body);
            expect(refused.status).toBe(400);
            expect(refused.body.error.details[0].path).toBe('privateKey');
            expect((await app.call(tenants.b.apiKey, 'GET', '/v1/org/connection')).body.method).toBe('oauth');

            const ok = await app.call(tenants.b.apiKey, 'PUT', '/v1/org/connection/jwt', { ...body, privateKey });
            expect(ok.status).toBe(200);
            expect(ok.body).toMatchObject({ status: 'connected', method: 'jwt', username: body.username });
            expect((await app.call(tenants.b.apiKey, 'POST', '/v1/crm/pull')).status).toBe(200);
            const row = await sql`select * from salesforce_connections`.execute(app.store.db);
            expect(JSON.stringify(row.rows)).not.toContain(privateKey.split('\n')[1]!);

            // Disconnect forgets it.
            expect((await app.call(tenants.b.apiKey, 'DELETE', '/v1/org/connection')).status).toBe(204);
            expect((await app.call(tenants.b.apiKey, 'GET', '/v1/org/connection')).body.status).toBe('not_connected');
            expect((await app.call(tenants.b.apiKey, 'POST', '/v1/crm/pull')).status).toBe(409);
        }, 60000);

        it('SEC-4 the logs of connect, refresh and failure carry no token, key or password', () => {
            const text = logs.text();
            expect(text.length).toBeGreaterThan(1000);
            expect(text).toMatch(/salesforce connected/);
            expect(text).toMatch(/salesforce refused the connection/);
            expect(text).not.toMatch(/00D[a-zA-Z0-9]{12}![\w.-]{10}/); // access tokens
            expect(text).not.toMatch(/refresh_token=|code_verifier|BEGIN (RSA )?PRIVATE KEY/);
            expect(text).not.toContain('demo-password');
            expect(text).toMatch(/oauth\/callback/);
            expect(text).not.toMatch(/[?&](code|state)=[^&[\s"]/);
            expect(refreshTokens.length).toBeGreaterThan(0);
            for (const token of refreshTokens) expect(text).not.toContain(token);
            for (const t of [tenants.a, tenants.b]) expect(text).not.toContain(t.apiKey);
            expect(text).not.toContain(OPERATOR_KEY);
        });
    }
);
