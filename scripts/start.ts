// `npm start`: the whole local stack in one process — the Salesforce emulator with the demo org
// (or a real org by JWT bearer flow), the middleware on embedded PGlite (or DATABASE_URL), and
// and the LWC preview with the Apex proxy bridged to the middleware. Ctrl-C stops everything cleanly.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type EmulatorHandle } from '../middleware/emulator';
import { EnvError, parseEnv, type Env } from '../middleware/src/config/env';
import { StartOptionError } from '../middleware/src/config/start-options';
import { createLogger } from '../middleware/src/logger';
import { startMiddleware } from '../middleware/src/main';
import { jwtAuthFromEnv, type SalesforceAuth } from '../middleware/src/salesforce/connection';
import { generateApiKey } from '../middleware/src/store/orgs';
import { Connection } from '@jsforce/jsforce-node';
import { seedRepDemo } from './preview/rep-demo';
import { startPreview, type ActingAsUser } from './preview/server';

/** BACKSTORY_API_KEY, or a dev key kept in DATA_DIR so it survives restarts. */
function devApiKey(env: Env): { key: string; source: string } {
    if (env.BACKSTORY_API_KEY) return { key: env.BACKSTORY_API_KEY, source: 'BACKSTORY_API_KEY' };
    const file = path.resolve(env.DATA_DIR, 'dev-api-key');
    if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), source: file };
    mkdirSync(path.dirname(file), { recursive: true });
    const key = generateApiKey();
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    return { key, source: `${file} (new)` };
}

async function main(): Promise<void> {
    let env: Env;
    try {
        env = parseEnv();
    } catch (error) {
        if (error instanceof EnvError) {
            process.stderr.write(`${error.message}\n`);
            process.exit(78);
        }
        throw error;
    }
    const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
    const { key, source } = devApiKey(env);
    const stops: (() => Promise<void>)[] = [];

    let emulator: EmulatorHandle | undefined;
    let auth: SalesforceAuth | null = jwtAuthFromEnv(env);
    if (!auth) {
        emulator = await startEmulator({ port: env.SF_EMULATOR_PORT, seed: 'demo' });
        stops.push(() => emulator!.close());
        auth = {
            kind: 'password',
            loginUrl: emulator.url,
            clientId: emulator.demo.clientId,
            clientSecret: emulator.demo.clientSecret,
            username: emulator.demo.integrationUser.username,
            password: emulator.demo.integrationUser.password
        };
    }
    const middleware = await startMiddleware({
        env,
        apiKey: key,
        salesforceAuth: auth,
        logger,
        // The wizard's Connect step signs in at the emulator with its demo connected app.
        ...(emulator && !env.SF_OAUTH_CLIENT_ID
            ? { oauthClient: { clientId: emulator.demo.clientId, clientSecret: emulator.demo.clientSecret } }
            : {})
    });
    stops.unshift(() => middleware.close());
    // Against the local emulator, the reps' demo (a profile asking follow-up questions, the demo rep
    // and admin as Backstory users, one meeting) and the preview's "Acting as" switch between them.
    let actingAs: { rep: ActingAsUser; admin: ActingAsUser } | undefined;
    let salesforce: Connection | undefined;
    if (emulator) {
        const admin = new Connection({
            version: env.SF_API_VERSION,
            loginUrl: emulator.url,
            oauth2: {
                loginUrl: emulator.url,
                clientId: emulator.demo.clientId,
                clientSecret: emulator.demo.clientSecret
            }
        });
        await admin.login(emulator.demo.adminUser.username, emulator.demo.adminUser.password);
        const demo = await seedRepDemo({ middlewareUrl: middleware.url, apiKey: key, salesforce: admin });
        actingAs = { rep: demo.rep, admin: demo.admin };
        // The wizard's one-click permission set assignment runs in the org as this admin.
        salesforce = admin;
    }
    const preview = await startPreview({
        port: env.PREVIEW_PORT,
        middlewareUrl: middleware.url,
        apiKey: key,
        ...(actingAs ? { actingAs } : {}),
        ...(salesforce ? { salesforce } : {})
    });
    stops.unshift(() => preview.close());

    const lines = [
        '',
        'Backstory Companion is running:',
        `  middleware   ${middleware.url}   (store: ${middleware.store.kind}${middleware.store.kind === 'pglite' ? `, ${path.resolve(env.DATA_DIR)}` : ''})`,
        `  OpenAPI      ${middleware.url}/openapi.json`,
        `  LWC preview  ${preview.url}`,
        emulator
            ? `  Salesforce   ${emulator.url}   (local emulator, demo org; admin ${emulator.demo.adminUser.username} / ${emulator.demo.adminUser.password})`
            : `  Salesforce   ${env.SF_LOGIN_URL} (JWT bearer flow as ${env.SF_USERNAME})`,
        `  API key      ${key}   (from ${source})`,
        '',
        `Try: curl -H "Authorization: Bearer ${key}" ${middleware.url}/v1/org`,
        'Press Ctrl-C to stop.',
        ''
    ];
    process.stdout.write(lines.join('\n'));

    let stopping = false;
    const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`\n${signal}: stopping…\n`);
        (async () => {
            for (const s of stops) await s();
        })().then(
            () => {
                process.stdout.write('Stopped.\n');
                process.exit(0);
            },
            (error: unknown) => {
                process.stderr.write(`Shutdown failed: ${String(error)}\n`);
                process.exit(1);
            }
        );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
    if (error instanceof StartOptionError) {
        process.stderr.write(`${error.message}\n`);
        process.exit(78);
    }
    process.stderr.write(
        `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
    );
    process.exit(1);
});
