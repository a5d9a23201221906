import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from '@jsforce/jsforce-node';
import { API_VERSION, startTestEmulator, type TestEmulator } from '../helpers/emulator';

/** docs/emulator.md's "Endpoints: emulated or 404" table, requested row by row through jsforce. */
const DOC = readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'emulator.md'), 'utf8');
const ROWS = [...DOC.matchAll(/^\|\s*`(GET|POST|PUT|PATCH|DELETE) ([^`]+)`\s*\|\s*(emulated|404)\s*\|\s*$/gm)].map(
    (m) => ({ method: m[1]!, path: m[2]!, answer: m[3]! })
);

describe('docs/emulator.md tells the truth about what is emulated and what answers 404', () => {
    let t: TestEmulator;
    let conn: Connection;
    let accountId: string;
    beforeAll(async () => {
        t = await startTestEmulator({ seed: 'empty' });
        conn = await t.login('admin@demo.backstory.local');
        accountId = (await conn.sobject('Account').create({ Name: 'Acme' })).id!;
    });
    afterAll(() => t.close());

    it('the table has rows of both kinds', () => {
        expect(ROWS.filter((r) => r.answer === 'emulated').length).toBeGreaterThan(15);
        expect(ROWS.filter((r) => r.answer === '404').length).toBeGreaterThan(10);
    });

    it.each(ROWS.map((r) => [`${r.method} ${r.path}`, r]))('%s', async (_name, row) => {
        const url = row.path.replace(/\{v\}/g, API_VERSION).replace(/\{id\}/g, accountId);
        let errorCode: string | null = null;
        try {
            await conn.request({
                method: row.method as 'GET',
                url,
                ...(row.method === 'GET' ? {} : { body: '{}' }),
                headers: {
                    'content-type': 'application/json',
                    ...(url.startsWith('/services/async') ? { 'X-SFDC-Session': conn.accessToken! } : {})
                }
            });
        } catch (error) {
            errorCode = (error as { errorCode?: string }).errorCode ?? (error as Error).name;
        }
        if (row.answer === '404') expect(errorCode).toBe('NOT_FOUND');
        else expect(errorCode).not.toBe('NOT_FOUND');
    });
});
