import { startEmulator } from './index';

// `npm run emulator -- --port N [--seed demo|empty] [--multi-currency] [--api-limit N] [--project DIR]`:
// the local Salesforce org alone, with the demo org (or the custom objects and fields of the SFDX project DIR).
function argValue(name: string): string | undefined {
    const i = process.argv.indexOf(name);
    if (i >= 0) return process.argv[i + 1];
    return process.argv.find((a) => a.startsWith(`${name}=`))?.split('=')[1];
}

async function main(): Promise<void> {
    const portArg = argValue('--port') ?? process.env.SF_EMULATOR_PORT ?? '4010';
    const port = Number(portArg);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`--port: must be a port number, got ${portArg}\n`);
        process.exit(64);
    }
    const seedArg = argValue('--seed') ?? 'demo';
    if (seedArg !== 'demo' && seedArg !== 'empty') {
        process.stderr.write(`--seed: must be demo or empty, got ${seedArg}\n`);
        process.exit(64);
    }
    const limitArg = argValue('--api-limit');
    const apiRequestLimit = limitArg === undefined ? undefined : Number(limitArg);
    if (apiRequestLimit !== undefined && (!Number.isInteger(apiRequestLimit) || apiRequestLimit < 0)) {
        process.stderr.write(`--api-limit: must be a non-negative integer, got ${String(limitArg)}\n`);
        process.exit(64);
    }
    const project = argValue('--project');
    const started = Date.now();
    const emu = await startEmulator({
        port,
        ...(project !== undefined ? { project } : {}),
        ...(argValue('--seed') !== undefined || project === undefined ? { seed: seedArg } : {}),
        multiCurrency: process.argv.includes('--multi-currency'),
        ...(apiRequestLimit !== undefined ? { apiRequestLimit } : {})
    });
    process.stdout.write(
        [
            `Salesforce emulator (demo org ${emu.orgId}) listening on ${emu.url} — ready in ${Date.now() - started} ms`,
            `  login URL / instance URL  ${emu.url}`,
            `  integration user          ${emu.demo.integrationUser.username} / ${emu.demo.integrationUser.password}`,
            `  System Administrator      ${emu.demo.adminUser.username} / ${emu.demo.adminUser.password}`,
            `  connected app             ${emu.demo.clientId} / ${emu.demo.clientSecret}`,
            `  admin surface             ${emu.url}/__emulator/state (faults, limits, org-wide defaults: docs/emulator.md)`,
            `  JWT signing key           GET ${emu.url}/__emulator/connected-app`,
            'Press Ctrl-C to stop.',
            ''
        ].join('\n')
    );
    const stop = () => {
        emu.close().then(
            () => process.exit(0),
            () => process.exit(1)
        );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
    process.stderr.write(`Emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});
