import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { OAuth2 } from '@jsforce/jsforce-node';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

/**
 * The Salesforce CLI against the emulator, as a user would point it at an org with an access
 * token: `sf org login access-token`, `sf data query`, `sf data import tree`. Each sf command takes
 * 10–40 s to start on a busy machine, hence the long timeout.
 */
describe('emulator: the sf CLI with an access token', () => {
    let t: TestEmulator;
    let home: string;
    beforeAll(async () => {
        t = await startTestEmulator();
        home = mkdtempSync(path.join(tmpdir(), 'emu-sf-'));
    });
    afterAll(async () => {
        await t.close();
        rmSync(home, { recursive: true, force: true });
    });

    const sf = async (args: string[], accessToken?: string): Promise<{ status: number; result: any }> => {
        const { stdout } = await run(path.join(BIN, 'sf'), [...args, '--json'], {
            cwd: home,
            env: {
                ...process.env,
                // Node 22 from node_modules first; the CLI's state in a throw-away home.
                PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}`,
                HOME: home,
                SF_DISABLE_TELEMETRY: 'true',
                SF_AUTOUPDATE_DISABLE: 'true',
                SF_SKIP_NEW_VERSION_CHECK: 'true',
                ...(accessToken ? { SF_ACCESS_TOKEN: accessToken } : {})
            },
            maxBuffer: 16 * 1024 * 1024
        });
        return JSON.parse(stdout) as { status: number; result: any };
    };

    it('logs in with an access token, queries and imports a record tree', async () => {
        const tokens = (await new OAuth2({
            loginUrl: t.emu.url,
            clientId: t.emu.demo.clientId,
            clientSecret: t.emu.demo.clientSecret
        }).authenticate('admin@demo.backstory.local', 'demo-password')) as { access_token: string };
        const login = await sf(
            ['org', 'login', 'access-token', '--instance-url', t.emu.url, '--alias', 'emu', '--no-prompt'],
            tokens.access_token
        );
        expect(login.result).toMatchObject({ username: 'admin@demo.backstory.local', orgId: t.emu.orgId });

        const query = await sf([
            'data',
            'query',
            '-o',
            'emu',
            '-q',
            'SELECT Id, Name, Owner.Name FROM Account ORDER BY Name LIMIT 2'
        ]);
        expect(query.status).toBe(0);
        expect(query.result.records).toHaveLength(2);
        expect(query.result.records[0].Owner.Name).toEqual(expect.any(String));

        const file = path.join(home, 'Account.json');
        writeFileSync(
            file,
            JSON.stringify({
                records: [
                    {
                        attributes: { type: 'Account', referenceId: 'AccRef1' },
                        Name: 'Tree Co',
                        Contacts: {
                            records: [
                                {
                                    attributes: { type: 'Contact', referenceId: 'ConRef1' },
                                    LastName: 'Treeson',
                                    Email: 'treeson@tree.example.com'
                                }
                            ]
                        }
                    }
                ]
            })
        );
        const imported = await sf(['data', 'import', 'tree', '-o', 'emu', '--files', file]);
        expect(imported.result.map((r: { refId: string; type: string }) => [r.refId, r.type])).toEqual([
            ['AccRef1', 'Account'],
            ['ConRef1', 'Contact']
        ]);
        const conn = await t.login('admin@demo.backstory.local');
        const tree = await conn.query<{ Account: { Name: string } }>(
            "SELECT Account.Name FROM Contact WHERE Email = 'treeson@tree.example.com'"
        );
        expect(tree.records[0]!.Account.Name).toBe('Tree Co');
    }, 600_000);
});
