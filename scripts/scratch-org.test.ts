import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

// scripts/scratch-org.sh needs a Dev Hub to run for real; what can be checked here, offline, is that
// every `sf` command and flag it uses exists in the project's pinned sf CLI (`sf <command> --help`),
// that it parses, and that it runs on the pinned Node 22 however it is started.

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'scratch-org.sh');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const env = {
    ...process.env,
    PATH: `${BIN}:${process.env.PATH ?? ''}`,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_DISABLE_AUTOUPDATE: 'true'
};

/** Every `sf <command words> --flags` in the script (continued lines joined, comments included). */
export function sfUses(script: string): Map<string, Set<string>> {
    const joined = script.replace(/\\\n\s*/g, ' ');
    const uses = new Map<string, Set<string>>();
    for (const m of joined.matchAll(/(?:^|[\s('|;])sf((?:\s+[a-z][a-z-]*)+)([^\n|;)']*)/g)) {
        const command = m[1]!.trim().replace(/\s+/g, ' ');
        const flags = uses.get(command) ?? new Set<string>();
        for (const f of (m[2] ?? '').matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)) flags.add(f[1]!);
        uses.set(command, flags);
    }
    return uses;
}

describe('scripts/scratch-org.sh', () => {
    const script = readFileSync(SCRIPT, 'utf8');

    it('parses as bash and runs on the pinned Node 22 (npm run scratch-org, or directly)', async () => {
        await run('bash', ['-n', SCRIPT]);
        const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
            scripts: Record<string, string>;
        };
        expect(pkg.scripts['scratch-org']).toBe('bash scripts/scratch-org.sh');
        expect(script).toContain('export PATH="$PWD/node_modules/.bin:$PATH"');
        const { stdout } = await run('node', ['--version'], { env });
        expect(stdout.trim()).toMatch(/^v22\./);
    });

    it('finds the sf commands it uses (a sanity check of the parser)', () => {
        const uses = sfUses(script);
        expect([...uses.keys()]).toEqual(
            expect.arrayContaining(['org create scratch', 'project deploy start', 'org generate password'])
        );
        expect([...uses.get('org create scratch')!]).toEqual(
            expect.arrayContaining(['--definition-file', '--alias', '--set-default', '--duration-days', '--wait'])
        );
    });

    it('uses only sf commands and flags that exist (sf <command> --help, offline)', async () => {
        const uses = [...sfUses(script)];
        const missing: string[] = [];
        // Two at a time: each help starts the CLI (a second or two on a busy machine).
        for (let i = 0; i < uses.length; i += 2) {
            await Promise.all(
                uses.slice(i, i + 2).map(async ([command, flags]) => {
                    let help: string;
                    try {
                        help = (await run(path.join(BIN, 'sf'), [...command.split(' '), '--help'], { env })).stdout;
                    } catch (error) {
                        missing.push(`sf ${command}: ${(error as Error).message.split('\n')[0]}`);
                        return;
                    }
                    for (const flag of flags) {
                        if (!new RegExp(`(^|[\\s,])${flag}(?![a-z-])`, 'm').test(help))
                            missing.push(`sf ${command} ${flag}`);
                    }
                })
            );
        }
        expect(missing).toEqual([]);
    }, 300000);
});
