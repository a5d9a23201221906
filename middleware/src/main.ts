import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './api/app';
import type { AppDeps } from './api/deps';
import type { Env } from './config/env';
import { startJobs, type JobOptions, type Jobs } from './jobs';
import { createLogger, type Logger } from './logger';
import { jwtAuthFromEnv, SalesforceGateway, type SalesforceAuth } from './salesforce/connection';
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
    /** Salesforce auth of the local org; defaults to the JWT settings of the environment. */
    salesforceAuth?: SalesforceAuth | null;
    logger?: Logger;
    /** Run the job queue and its schedules (default: yes); `false` serves HTTP only. */
    jobs?: JobOptions | false;
}

/** Open the store, make sure the local org and its key exist, and listen. */
export async function startMiddleware(options: StartOptions): Promise<RunningMiddleware> {
    const { env } = options;
    const logger = options.logger ?? createLogger(env.LOG_LEVEL);
    const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
    const org = await ensureLocalOrg(store.db, options.apiKey);
    const auth = options.salesforceAuth === undefined ? jwtAuthFromEnv(env) : options.salesforceAuth;
    const salesforce = new SalesforceGateway({
        apiVersion: env.SF_API_VERSION,
        logger,
        authFor: (orgId) => (orgId === org.id ? auth : null)
    });
    const deps: AppDeps = { store, logger, salesforce, bodyLimit: env.BODY_LIMIT };
    const app = createApp(deps);
    const server: Server = await new Promise((resolve, reject) => {
        const s = app.listen(env.PORT, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
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
