import type { Server } from 'node:http';
import { fetch } from 'undici';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app';
import type { AppDeps } from '../../src/api/deps';
import { createLogger } from '../../src/logger';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/crypto/secret-box';
import { SalesforceGateway, type SalesforceAuth } from '../../src/salesforce/connection';
import {
    connectWithJwt,
    connectWithPassword,
    storedConnections,
    type OAuthClient
} from '../../src/services/salesforce-connections';
import type { Store } from '../../src/store/db';
import { addApiKey, createOrg, generateApiKey, type Org } from '../../src/store/orgs';
import { openTestStore } from './store';

export interface TestOrg {
    org: Org;
    apiKey: string;
}

export interface TestApp {
    url: string;
    store: Store;
    deps: AppDeps;
    /** Create another org (tenant) with its own admin key. */
    newOrg(name?: string, auth?: SalesforceAuth | null): Promise<TestOrg>;
    /** fetch against the app with `Authorization: Bearer <key>` (and X-Acting-User when given). */
    call(
        key: string,
        method: string,
        path: string,
        body?: unknown,
        headers?: Record<string, string>
    ): Promise<{ status: number; body: any; text: string; headers: { get(name: string): string | null } }>;
    close(): Promise<void>;
}

export interface TestAppOptions {
    engine?: 'pglite' | 'postgres';
    store?: Store;
    /** TEN-1 operator key. */
    operatorKey?: string;
    /** The OAuth connect flow's connected app; its callback is this app's /oauth/callback. */
    oauthClient?: { clientId: string; clientSecret?: string };
    /** Where the logs go (a capture, in the tests that look for secrets in them). */
    logger?: ReturnType<typeof createLogger>;
    secrets?: SecretBox;
}

/**
 * The real app on a free port over a fresh store. `newOrg(name, auth)` stores the org's
 * Salesforce connection (the emulator's demo org in integration tests) as the connect flows do.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
    const store = options.store ?? (await openTestStore(options.engine ?? 'pglite'));
    const logger = options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
    const secrets = options.secrets ?? new SecretBox(randomBytes(32));
    const salesforce = new SalesforceGateway({ apiVersion: '62.0', logger, ...storedConnections(store, secrets) });
    const deps: AppDeps = { store, logger, salesforce, secrets, operatorKey: options.operatorKey, oauth: null };
    const app = createApp(deps);
    const server: Server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (options.oauthClient)
        deps.oauth = { ...options.oauthClient, callbackUrl: `${url}/oauth/callback` } as OAuthClient;
    return {
        url,
        store,
        deps,
        newOrg: async (name = 'Test org', auth = null) => {
            const org = await createOrg(store.db, { name });
            const apiKey = generateApiKey();
            await addApiKey(store.db, org.id, apiKey, 'test');
            const caller = { orgId: org.id, actor: 'test' };
            const connectionDeps = { store, secrets, salesforce, logger };
            if (auth?.kind === 'password') await connectWithPassword(connectionDeps, caller, auth);
            else if (auth?.kind === 'jwt') await connectWithJwt(connectionDeps, caller, auth);
            return { org, apiKey };
        },
        call: async (key, method, path, body, headers = {}) => {
            const isText = typeof body === 'string';
            const res = await fetch(url + path, {
                method,
                headers: {
                    authorization: `Bearer ${key}`,
                    ...(body === undefined ? {} : { 'content-type': isText ? 'text/plain' : 'application/json' }),
                    ...headers
                },
                body: body === undefined ? undefined : isText ? body : JSON.stringify(body)
            });
            const text = await res.text();
            let parsed: unknown = undefined;
            try {
                parsed = text ? JSON.parse(text) : undefined;
            } catch {
                parsed = undefined;
            }
            return { status: res.status, body: parsed, text, headers: res.headers };
        },
        close: async () => {
            await new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
            await store.close();
        }
    };
}
