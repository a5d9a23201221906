import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './api/app';
import type { AppDeps } from './api/deps';
import type { Env } from './config/env';
import type { SecretBox } from './crypto/secret-box';
import { startJobs, type JobOptions, type Jobs } from './jobs';
import { createLogger, type Logger } from './logger';
import { describeError, SalesforceGateway, type SalesforceAuth } from './salesforce/connection';
import {
    connectWithJwt,
    connectWithPassword,
    storedConnections,
    type ConnectionDeps,
    type OAuthClient
} from './services/salesforce-connections';
import { resolveStartup } from './startup';
import { openStore, type Store } from './store/db';
import { ensureLocalOrg, type Org } from './store/orgs';

export interface RunningMiddleware {
    url: string;
    port: number;
    org: Org;
    store: Store;
    logger: Logger;
    /** The job queue (the scheduled user sync, UT-2); null when started with `jobs: false`. */
    jobs: Jobs | null;
    close(): Promise<void>;
}

export interface StartOptions {
    env: Env;
    /** The API key that acts as the local org's admin (BACKSTORY_API_KEY or a dev key). */
    apiKey: string;
    /**
     * Salesforce auth the local org is connected with at start-up (the emulator's demo org by
     * password, or a real org by JWT); defaults to the JWT settings of the environment. `null`
     * leaves the stored connection as it is (an admin connects from the setup wizard).
     */
    salesforceAuth?: SalesforceAuth | null;
    /** Seals secrets at rest; defaults to BACKSTORY_SECRET_KEY (or the dev key in DATA_DIR). */
    secrets?: SecretBox;
    /**
     * The connected app of the OAuth connect flow; defaults to SF_OAUTH_CLIENT_ID/SECRET with the
     * callback at BACKSTORY_PUBLIC_URL (or this server's URL) + /oauth/callback.
     */
    oauthClient?: { clientId: string; clientSecret?: string | undefined } | null;
    logger?: Logger;
    /** Run the job queue and its schedules (default: yes); `false` serves HTTP only. */
    jobs?: JobOptions | false;
}

/**
 * Check every start-up option (a bad one throws StartOptionError naming it, with nothing opened),
 * then open the store, make sure the local org and its key exist, and listen.
 */
export async function startMiddleware(options: StartOptions): Promise<RunningMiddleware> {
    const { env } = options;
    const { auth, secrets } = resolveStartup(options);
    const logger = options.logger ?? createLogger(env.LOG_LEVEL);
    const store = await openStore({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.DATA_DIR,
        matchCacheMb: env.MATCH_CACHE_MB
    });
    const org = await ensureLocalOrg(store.db, options.apiKey);
    // TEN-4: every org signs in with its own stored connection.
    const salesforce = new SalesforceGateway({
        apiVersion: env.SF_API_VERSION,
        logger,
        ...storedConnections(store, secrets)
    });
    const deps: AppDeps = {
        store,
        logger,
        salesforce,
        secrets,
        bodyLimit: env.BODY_LIMIT,
        operatorKey: env.BACKSTORY_OPERATOR_KEY,
        oauth: null as OAuthClient | null
    };
    const app = createApp(deps);
    const server: Server = await new Promise((resolve, reject) => {
        const s = app.listen(env.PORT, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    const client =
        options.oauthClient === undefined
            ? env.SF_OAUTH_CLIENT_ID
                ? { clientId: env.SF_OAUTH_CLIENT_ID, clientSecret: env.SF_OAUTH_CLIENT_SECRET }
                : null
            : options.oauthClient;
    const publicUrl = (env.BACKSTORY_PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/$/, '');
    deps.oauth = client ? { ...client, callbackUrl: `${publicUrl}/oauth/callback` } : null;
    if (auth && auth.kind !== 'oauth') {
        // The local org is connected as configured (zero set-up against the emulator, TEN-2).
        const connectionDeps: ConnectionDeps = { store, secrets, salesforce, logger };
        const caller = { orgId: org.id, actor: 'system:start-up' };
        try {
            if (auth.kind === 'password') await connectWithPassword(connectionDeps, caller, auth);
            else await connectWithJwt(connectionDeps, caller, auth);
        } catch (error) {
            logger.warn({ orgId: org.id, err: describeError(error) }, 'connecting the local org at start-up failed');
        }
    }
    let jobs: Jobs | null = null;
    if (options.jobs !== false) {
        try {
            jobs = await startJobs({ store, salesforce, logger }, options.jobs ?? {});
            // Intake asks the queue for a write-back run seconds later (MATCH-6).
            deps.writebackScheduler = jobs;
        } catch (error) {
            await new Promise<void>((resolve) => server.close(() => resolve()));
            await store.close();
            throw error;
        }
    }
    let closing: Promise<void> | undefined;
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        org,
        store,
        logger,
        jobs,
        close: () => {
            closing ??= (async () => {
                await new Promise<void>((resolve) => {
                    server.close(() => resolve());
                    server.closeIdleConnections();
                    setTimeout(() => server.closeAllConnections(), 5000).unref();
                });
                // Running jobs finish (or give up after 10 s) before the store goes away.
                await jobs?.stop();
                await store.close();
            })();
            return closing;
        }
    };
}
