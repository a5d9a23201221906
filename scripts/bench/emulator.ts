// `npm run bench:emulator`: load a generated ~500,000-row org into the emulator, then time
// 2,000-row query pages, indexed lookups, child sub-queries and a Bulk API 2.0 export through
// jsforce, and a Bulk API 2.0 ingest (BENCH_INGEST_ROWS, default 100,000 accounts). Prints figures
// and baselines measured in the same run (not a timed test).
// BENCH_ACCOUNTS (default 60000) scales the org: 5 contacts and 1.5 opportunities per account.
import { Connection } from '@jsforce/jsforce-node';
import { startEmulator } from '../../middleware/emulator';
import { generateOrg, PLAN_OBJECTS } from '../seed/generate-org';

const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timed<T>(fn: () => PromiseLike<T>): Promise<[T, number]> {
    const s = performance.now();
    const out = await fn();
    return [out, performance.now() - s];
}

async function main(): Promise<void> {
    const accounts = Number(process.env.BENCH_ACCOUNTS ?? 60000);
    const t0 = performance.now();
    const org = generateOrg({ accounts, contactsPerAccount: 5, leads: 50000, opportunitiesPerAccount: 1.5, seed: 1 });
    const generated = performance.now() - t0;
    const rows = PLAN_OBJECTS.reduce((n, object) => n + org[object].length, 0);

    const emu = await startEmulator({ port: 0, seed: 'empty' });
    const heapBefore = process.memoryUsage().heapUsed;
    const t1 = performance.now();
    const ids = new Map<string, string>();
    for (const object of PLAN_OBJECTS) {
        const records = org[object].map((r) => {
            const refs = Object.fromEntries(Object.entries(r.refs).map(([k, ref]) => [k, ids.get(ref) ?? null]));
            return { ...r.fields, ...refs };
        });
        const inserted = emu.admin.insertRecords(object, records);
        org[object].forEach((r, i) => {
            const id = inserted[i]?.Id;
            if (id) ids.set(r.referenceId, id);
        });
    }
    const loadMs = performance.now() - t1;
    global.gc?.();
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

    const conn = new Connection({
        version: '62.0',
        loginUrl: emu.url,
        oauth2: { loginUrl: emu.url, clientId: emu.demo.clientId, clientSecret: emu.demo.clientSecret }
    });
    await conn.login(emu.demo.integrationUser.username, emu.demo.integrationUser.password);

    // 1. Paging through every contact with a parent field: first page, then queryMore pages.
    const soql =
        'SELECT Id, Name, Email, Title, AccountId, Account.Name FROM Contact WHERE Email != null ORDER BY Email';
    const [firstResult, firstPage] = await timed(() => conn.query(soql));
    // The same ordering, one 2,000-row page asked for with LIMIT (a bounded top-k, no full sort).
    const [, limitedPage] = await timed(() => conn.query(`${soql} LIMIT 2000`));
    let result = firstResult;
    const pages: number[] = [];
    for (let i = 0; i < 10 && result.nextRecordsUrl; i++) {
        const next = result.nextRecordsUrl;
        const [page, took] = await timed(() => conn.queryMore(next));
        result = page;
        pages.push(took);
    }
    // Baseline: the same records serialised and parsed as JSON in process (what any server must do at least).
    const sample = result.records.slice(0, 2000);
    const b0 = performance.now();
    for (let i = 0; i < 10; i++) JSON.parse(JSON.stringify({ records: sample }));
    const baseline = (performance.now() - b0) / 10;

    // 2. Indexed equality (a reference field and an Id list) over the whole table.
    const accountIds = org.Account.slice(0, 10).map((a) => ids.get(a.referenceId) ?? '');
    const lookups: number[] = [];
    for (const id of accountIds) {
        const [, took] = await timed(() => conn.query(`SELECT Id, Name FROM Contact WHERE AccountId = '${id}'`));
        lookups.push(took);
    }
    // 3. A child sub-query page: 2,000 accounts with their contacts.
    const [, subquery] = await timed(() =>
        conn.query('SELECT Id, Name, (SELECT Id, Email FROM Contacts) FROM Account LIMIT 2000')
    );
    // 4. Bulk API 2.0: every contact as CSV.
    let exported = 0;
    const [, bulkMs] = await timed(async () => {
        for await (const row of await conn.bulk2.query('SELECT Id, Email, AccountId FROM Contact')) {
            if (row) exported++;
        }
    });
    // 5. Bulk API 2.0 ingest: insert N accounts as CSV (create job, upload, close, poll, results).
    //    Baseline: the same rows inserted in process (no HTTP, no CSV, no checks).
    const ingestRows = Number(process.env.BENCH_INGEST_ROWS ?? 100000);
    const csv = ['Name,Website,Industry']
        .concat(Array.from({ length: ingestRows }, (_, i) => `Ingest ${i},ingest${i}.example.com,Retail`))
        .join('\n');
    const admin = new Connection({
        version: '62.0',
        loginUrl: emu.url,
        oauth2: { loginUrl: emu.url, clientId: emu.demo.clientId, clientSecret: emu.demo.clientSecret }
    });
    await admin.login(emu.demo.adminUser.username, emu.demo.adminUser.password);
    const [ingest, ingestMs] = await timed(() =>
        admin.bulk2.loadAndWaitForResults({
            object: 'Account',
            operation: 'insert',
            input: csv,
            pollInterval: 100,
            pollTimeout: 600_000
        })
    );
    const [, directMs] = await timed(async () =>
        emu.admin.insertRecords(
            'Account',
            Array.from({ length: ingestRows }, (_, i) => ({
                Name: `Direct ${i}`,
                Website: `direct${i}.example.com`,
                Industry: 'Retail'
            }))
        )
    );
    await emu.close();

    const lines = [
        `rows loaded:                     ${rows.toLocaleString('en-US')} (${PLAN_OBJECTS.map((o) => `${org[o].length.toLocaleString('en-US')} ${o}`).join(', ')}; generated in ${(generated / 1000).toFixed(1)} s)`,
        `load time:                       ${(loadMs / 1000).toFixed(1)} s (${Math.round(rows / (loadMs / 1000)).toLocaleString('en-US')} rows/s), heap +${heapMb.toFixed(0)} MB`,
        `first page (filter + sort):      ${ms(firstPage)} over ${org.Contact.length.toLocaleString('en-US')} contacts`,
        `same, ORDER BY … LIMIT 2000:     ${ms(limitedPage)}`,
        `2,000-row page (queryMore):      ${ms(median(pages))} median of ${pages.length} (JSON round-trip baseline ${ms(baseline)})`,
        `AccountId = '…' over contacts:   ${ms(median(lookups))} median of ${lookups.length} (equality index)`,
        `2,000 accounts with contacts:    ${ms(subquery)} (child sub-query through the index)`,
        `Bulk 2.0 export of contacts:     ${(bulkMs / 1000).toFixed(1)} s for ${exported.toLocaleString('en-US')} rows`,
        `Bulk 2.0 ingest (insert):        ${(ingestMs / 1000).toFixed(1)} s for ${ingestRows.toLocaleString('en-US')} rows (${Math.round(ingestRows / (ingestMs / 1000)).toLocaleString('en-US')} rows/s; ${ingest.successfulResults.length.toLocaleString('en-US')} succeeded, ${ingest.failedResults.length} failed; ${(ingestMs / directMs).toFixed(1)}× an in-process insert of the same rows, ${ms(directMs)})`
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
