import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fetch } from 'undici';

const root = path.resolve(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function run(
    script: string,
    env: Record<string, string>
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
    let out = '';
    const child = spawn(process.execPath, [tsx, script], {
        cwd: root,
        env: { ...process.env, LOG_LEVEL: 'silent', ...env },
        stdio: ['ignore', 'pipe', 'pipe']
    });
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, output: () => out, exited };
}

async function waitFor(output: () => string, text: string, exited: Promise<unknown>): Promise<void> {
    let done = false;
    void exited.then(() => (done = true));
    while (!output().includes(text)) {
        if (done) throw new Error(`process exited before printing "${text}":\n${output()}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

describe('npm start (scripts/start.ts)', () => {
    let dataDir: string;
    beforeEach(() => {
        dataDir = mkdtempSync(path.join(tmpdir(), 'backstory-start-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('starts the emulator and the middleware, prints the URLs and the dev key, serves /healthz and /openapi.json, and stops on SIGINT', async () => {
        const p = run('scripts/start.ts', {
            DATA_DIR: dataDir,
            PORT: '0',
            SF_EMULATOR_PORT: '0',
            PREVIEW_PORT: '0',
            BACKSTORY_API_KEY: ''
        });
        await waitFor(p.output, 'Press Ctrl-C to stop.', p.exited);
        const url = /middleware\s+(http:\/\/[\d.:]+)/.exec(p.output())?.[1];
        const key = /API key\s+(\S+)/.exec(p.output())?.[1];
        expect(url).toBeDefined();
        expect(key).toMatch(/^bsk_/);
        expect(p.output()).toMatch(/Salesforce\s+http:\/\/[\d.:]+\s+\(local emulator/);
        expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
        expect(((await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string }).openapi).toBe('3.1.0');
        const org = await fetch(`${url}/v1/org`, { headers: { authorization: `Bearer ${key}` } });
        expect(org.status).toBe(200);
        p.child.kill('SIGINT');
        expect(await p.exited).toBe(0);
        expect(p.output()).toContain('Stopped.');
    }, 240_000);

    it('stops at start-up with a message naming a bad environment variable', async () => {
        const p = run('scripts/start.ts', { DATA_DIR: dataDir, PORT: 'not-a-port' });
        expect(await p.exited).toBe(78);
        expect(p.output()).toMatch(/PORT: /);
    }, 120_000);
});
