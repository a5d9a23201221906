import type { Server } from 'node:http';
import { fetch } from 'undici';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app';
import type { AppDeps } from '../../src/api/deps';
import { createLogger } from '../../src/logger';
import { SalesforceGateway, type SalesforceAuth } from '../../src/salesforce/connection';
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

/**
 * The real app on a free port over a fresh store. `auth` maps org id → Salesforce auth (the
 * emulator's demo org in integration tests).
 */
export async function startTestApp(options: { engine?: 'pglite' | 'postgres'; store?: Store } = {}): Promise<TestApp> {
    const store = options.store ?? (await openTestStore(options.engine ?? 'pglite'));
    const auths = new Map<string, SalesforceAuth | null>();
    const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
    const salesforce = new SalesforceGateway({
        apiVersion: '62.0',
        logger,
        authFor: (orgId) => auths.get(orgId) ?? null
    });
    const deps: AppDeps = { store, logger, salesforce };
    const app = createApp(deps);
    const server: Server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        url,
        store,
        deps,
        newOrg: async (name = 'Test org', auth = null) => {
            const org = await createOrg(store.db, { name });
            const apiKey = generateApiKey();
            await addApiKey(store.db, org.id, apiKey, 'test');
            auths.set(org.id, auth);
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
