import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
import { readiness } from './services/system';
import { openStore, type Store } from './store/db';
import { ensureLocalOrg, type Org } from './store/orgs';

export type Role = 'web' | 'worker' | 'all';

export interface RunningMiddleware {
    /** SCALE-1: what this process does (BACKSTORY_ROLE). */
    role: Role;
    /**
     * Where HTTP listens: the API (web, all), or the health port of a worker (HEALTH_PORT);
     * empty and 0 for a worker without one.
     */
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
    /**
     * Run the job queue and its schedules (default: yes); `false` serves HTTP only and sends no
     * jobs (tests). The `web` role sends jobs but takes none whatever this says.
     */
    jobs?: JobOptions | false;
    /** SCALE-1: defaults to BACKSTORY_ROLE. */
    role?: Role;
}

/**
 * Check every start-up option (a bad one throws StartOptionError naming it, with nothing opened),
 * then open the store, make sure the local org and its key exist, and listen.
 */
export async function startMiddleware(options: StartOptions): Promise<RunningMiddleware> {
    const { env } = options;
    const { auth, secrets } = resolveStartup(options);
    const role: Role = options.role ?? env.BACKSTORY_ROLE ?? 'all';
    if (role !== 'all' && !env.DATABASE_URL)
        throw new Error(`BACKSTORY_ROLE: ${role} needs DATABASE_URL (the embedded PGlite belongs to one process)`);
    const logger = options.logger ?? createLogger(env.LOG_LEVEL);
    const store = await openStore({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.DATA_DIR,
        matchCacheMb: env.MATCH_CACHE_MB,
        poolMax: env.DATABASE_POOL_MAX
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
    const host = env.HOST ?? '127.0.0.1';
    // A worker serves no API: at most /healthz and /readyz on HEALTH_PORT.
    const listenPort = role === 'worker' ? env.HEALTH_PORT : env.PORT;
    let server: Server | null = null;
    if (listenPort !== undefined) {
        const handler = role === 'worker' ? healthHandler(store) : createApp(deps);
        try {
            server = await new Promise<Server>((resolve, reject) => {
                const s = createServer(handler);
                s.once('error', reject);
                s.listen(listenPort, host, () => resolve(s));
            });
        } catch (error) {
            await store.close();
            throw error;
        }
    }
    const port = server ? (server.address() as AddressInfo).port : 0;
    const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    const url = server ? `http://${urlHost}:${port}` : '';
    const client =
        options.oauthClient === undefined
            ? env.SF_OAUTH_CLIENT_ID
                ? { clientId: env.SF_OAUTH_CLIENT_ID, clientSecret: env.SF_OAUTH_CLIENT_SECRET }
                : null
            : options.oauthClient;
    const publicUrl = (env.BACKSTORY_PUBLIC_URL ?? url).replace(/\/$/, '');
    deps.oauth = client ? { ...client, callbackUrl: `${publicUrl}/oauth/callback` } : null;
    if (auth && auth.kind !== 'oauth' && role !== 'worker') {
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
            jobs = await startJobs(
                { store, salesforce, logger },
                {
                    expireSeconds: env.JOB_EXPIRE_SECONDS,
                    ...options.jobs,
                    writeback: { leaseSeconds: env.WRITEBACK_LEASE_SECONDS, ...options.jobs?.writeback },
                    work: role !== 'web'
                }
            );
            // Intake asks the queue for a write-back run seconds later (MATCH-6).
            deps.writebackScheduler = jobs;
        } catch (error) {
            if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
            await store.close();
            throw error;
        }
    }
    let closing: Promise<void> | undefined;
    return {
        role,
        url,
        port,
        org,
        store,
        logger,
        jobs,
        close: () => {
            closing ??= (async () => {
                if (server)
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

/** A worker's health port (SCALE-1): /healthz (the process is up) and /readyz (the database answers). */
function healthHandler(store: Store) {
    return (req: IncomingMessage, res: ServerResponse): void => {
        const path = (req.url ?? '/').split('?')[0];
        const send = (status: number, body: unknown) => {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(body));
        };
        if (req.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) {
            send(404, { error: { code: 'not_found', message: `No route for ${req.method} ${path}`, details: [] } });
            return;
        }
        if (path === '/healthz') {
            send(200, { status: 'ok' });
            return;
        }
        readiness({ store }).then(
            (ready) => send(200, ready),
            (error: unknown) => {
                const e = error as { status?: number; toBody?: () => unknown };
                send(e.status ?? 503, e.toBody?.() ?? { error: { code: 'internal', message: String(error) } });
            }
        );
    };
}
