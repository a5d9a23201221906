import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from '../src/config/env';
import { StartOptionError } from '../src/config/start-options';
import { startJobs } from '../src/jobs';
import { startMiddleware, type StartOptions } from '../src/main';
import { openStore } from '../src/store/db';
import { createLogger } from '../src/logger';
import { SalesforceGateway } from '../src/salesforce/connection';

const key = 'bsk_start-options-test-key-0123456789';

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

/** Whether something listens on the port: we can (not) bind it ourselves. */
async function listening(port: number): Promise<boolean> {
    const server = createServer();
    return new Promise((resolve) => {
        server.once('error', () => resolve(true));
        server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
    });
}

describe('start-up options are checked before the store opens or the server listens (issue #10)', () => {
    let root: string;
    let dataDir: string;
    let port: number;
    beforeEach(async () => {
        root = mkdtempSync(path.join(tmpdir(), 'backstory-start-options-'));
        // The store would create this folder when it opens (PGlite files, the dev secret key).
        dataDir = path.join(root, 'data');
        port = await freePort();
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    const env = (extra: Record<string, string> = {}) =>
        parseEnv({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...extra });

    /** Start with these options: it must refuse naming `option`, having opened and bound nothing. */
    async function refused(options: Partial<StartOptions>, option: string, message: RegExp) {
        const error = await startMiddleware({ env: env(), apiKey: key, salesforceAuth: null, ...options }).then(
            async (running) => {
                await running.close();
                return null;
            },
            (e: unknown) => e
        );
        expect(error).toBeInstanceOf(StartOptionError);
        expect((error as StartOptionError).option).toBe(option);
        expect((error as StartOptionError).message).toMatch(message);
        expect(existsSync(dataDir)).toBe(false);
        expect(await listening(port)).toBe(false);
    }

    it('refuses a CRM pull interval of zero, naming jobs.crmPullIntervalMinutes', async () => {
        await refused(
            { jobs: { crmPullIntervalMinutes: 0 } },
            'jobs.crmPullIntervalMinutes',
            /positive number of minutes/
        );
    });

    it('refuses every other bad job option by name', async () => {
        await refused({ jobs: { orgConcurrency: 1.5 } }, 'jobs.orgConcurrency', /positive integer/);
        await refused({ jobs: { pollingIntervalSeconds: 0.1 } }, 'jobs.pollingIntervalSeconds', /at least 0\.5/);
        await refused({ jobs: { writeback: { leaseSeconds: -1 } } }, 'jobs.writeback.leaseSeconds', /positive/);
        await refused(
            { jobs: { crmPullIntervalMinute: 5 } as never },
            'jobs',
            /unknown option\(s\) crmPullIntervalMinute/
        );
    });

    it('refuses a short API key and an empty OAuth client id', async () => {
        await refused({ apiKey: 'short' }, 'apiKey', /at least 16 characters/);
        await refused({ oauthClient: { clientId: '' } }, 'oauthClient.clientId', /must not be empty/);
    });

    it('refuses an SF_PRIVATE_KEY_FILE that does not exist or is not a PEM key', async () => {
        const jwt = {
            SF_LOGIN_URL: 'https://login.salesforce.com',
            SF_CLIENT_ID: 'client',
            SF_USERNAME: 'integration@example.com'
        };
        await refused(
            { env: env({ ...jwt, SF_PRIVATE_KEY_FILE: path.join(root, 'missing.pem') }), salesforceAuth: undefined },
            'SF_PRIVATE_KEY_FILE',
            /cannot be read/
        );
        const notPem = path.join(root, 'not-a-key.txt');
        writeFileSync(notPem, 'hello\n');
        await refused(
            { env: env({ ...jwt, SF_PRIVATE_KEY_FILE: notPem }), salesforceAuth: undefined },
            'SF_PRIVATE_KEY_FILE',
            /not a PEM private key/
        );
    });

    it('refuses production without BACKSTORY_SECRET_KEY before opening anything', async () => {
        await refused({ env: env({ NODE_ENV: 'production' }) }, 'BACKSTORY_SECRET_KEY', /required in production/);
    });

    it('starts with good options (the checks above can tell the difference)', async () => {
        const running = await startMiddleware({ env: env(), apiKey: key, salesforceAuth: null, jobs: false });
        try {
            expect(existsSync(dataDir)).toBe(true);
            expect(await listening(port)).toBe(true);
        } finally {
            await running.close();
        }
    }, 120_000);

    it('startJobs checks its options too, before the queue starts', async () => {
        const store = await openStore({ dataDir: 'memory://' });
        try {
            const logger = createLogger('silent');
            const deps = {
                store,
                logger,
                salesforce: new SalesforceGateway({ apiVersion: '62.0', logger, authFor: () => null })
            };
            await expect(startJobs(deps, { crmPullIntervalMinutes: -5 })).rejects.toThrow(
                /^jobs\.crmPullIntervalMinutes: must be a positive number of minutes$/
            );
            // Nothing of pg-boss was created.
            const schemas = await store.db
                .selectFrom('information_schema.schemata' as never)
                .select('schema_name' as never)
                .execute();
            expect((schemas as { schema_name: string }[]).map((s) => s.schema_name)).not.toContain('pgboss');
        } finally {
            await store.close();
        }
    }, 120_000);
});
