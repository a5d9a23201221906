// `npm run bench:stall` (SEC-6): sends the worst imports the API accepts or must refuse (25 MB
// CSV, 25 MB .ics, 2,000-deep MIME, a 24 MB .eml, unauthenticated 24 MB uploads) to the real
// middleware while /healthz is polled, and prints for each: the answer, the event loop's maximum
// delay (perf_hooks.monitorEventLoopDelay), the most CPU the main thread spent between two 5 ms
// timer ticks (process.threadCpuUsage: the longest block without the time other processes took
// the core, so comparable on a loaded machine), the slowest /healthz, peak memory, and memory
// afterwards; each delay also as a ratio to an idle baseline measured in the same run.
// The client runs in a worker thread (stall-client.mjs). Target: max delay ≤ 100 ms, memory back to baseline. Not a timed test.
// Runs over PostgreSQL when DATABASE_URL is set (each run in a schema of its own, dropped after),
// else over in-process PGlite, whose queries run on the event loop (BENCH_ENGINE to choose), in a
// temporary data directory as the server keeps one (BENCH_PGLITE=memory for memory://, as the tests).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { openStore } from '../../middleware/src/store/db';
import { startTestApp } from '../../middleware/test/helpers/app';
import { insertUser } from '../../middleware/test/helpers/users';
import { ACTIVITY_SYNC_ON } from '../../middleware/test/helpers/profiles';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;
const rssMb = () => process.memoryUsage().rss / MB;
const settledRss = async () => {
    for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 100));
    }
    return rssMb();
};

/** CPU time of this thread (the event loop's), in ms. Node 22.19+: process.threadCpuUsage. */
const threadCpuMs = () => {
    const u = (process as unknown as { threadCpuUsage(): { user: number; system: number } }).threadCpuUsage();
    return (u.user + u.system) / 1000;
};

const ENGINE = (process.env.BENCH_ENGINE ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite')) as
    'postgres' | 'pglite';
const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 20_000);
/** BENCH_CASES=csvRows,icsBig runs only those cases (after the idle baseline), e.g. under --cpu-prof. */
const ONLY = process.env.BENCH_CASES ? new Set(process.env.BENCH_CASES.split(',')) : null;

interface Figures {
    name: string;
    status: string;
    maxDelayMs: number;
    maxBlockCpuMs: number;
    slowestHealthzMs: number;
    peakRssMb: number;
    afterRssMb: number;
    seconds: number;
}

async function main(): Promise<void> {
    const onDisk = ENGINE === 'pglite' && process.env.BENCH_PGLITE !== 'memory';
    const dataDir = onDisk ? mkdtempSync(path.join(tmpdir(), 'bench-stall-')) : null;
    const app = await startTestApp({
        engine: ENGINE,
        store: dataDir ? await openStore({ dataDir }) : undefined
    });
    const org = await app.newOrg('Stall bench');
    const profile = await app.call(org.apiKey, 'POST', '/v1/profiles', {
        name: 'Full',
        activity: ACTIVITY_SYNC_ON
    });
    if (profile.status !== 201) throw new Error(`profile: ${profile.status} ${profile.text}`);
    const owner = 'owner@stall.test';
    await insertUser(app.store.db, org.org.id, { email: owner, profileId: profile.body.id });

    // The client (payloads, uploads, /healthz polling) runs in a worker thread: this thread's
    // event loop, the one measured, carries only the middleware.
    const client = new Worker(path.join(__dirname, 'stall-client.mjs'), {
        workerData: { url: app.url, apiKey: org.apiKey, owner }
    });
    const ask = (message: object) =>
        new Promise<{ status: string; slowestHealthzMs: number }>((resolve, reject) => {
            const fail = (error: Error) => reject(error);
            client.once('error', fail);
            client.once('message', (answer: { status: string; slowestHealthzMs: number }) => {
                client.off('error', fail);
                resolve(answer);
            });
            client.postMessage(message);
        });

    const measure = async (name: string, kind: string, options: object = {}): Promise<Figures | null> => {
        if (ONLY && kind !== 'idle' && !ONLY.has(kind)) return null;
        await ask({ prepare: kind, options });
        const baseRss = await settledRss();
        const histogram = monitorEventLoopDelay({ resolution: 10 });
        let peak = baseRss;
        const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 25);
        let maxBlockCpuMs = 0;
        let lastCpu = threadCpuMs();
        const ticker = setInterval(() => {
            const cpu = threadCpuMs();
            maxBlockCpuMs = Math.max(maxBlockCpuMs, cpu - lastCpu);
            lastCpu = cpu;
        }, 5);
        histogram.enable();
        const started = performance.now();
        const answer = await ask({ run: kind });
        const seconds = (performance.now() - started) / 1000;
        histogram.disable();
        clearInterval(sampler);
        clearInterval(ticker);
        const after = await settledRss();
        return {
            name,
            status: answer.status,
            maxDelayMs: histogram.max / 1e6,
            maxBlockCpuMs,
            slowestHealthzMs: answer.slowestHealthzMs,
            peakRssMb: peak - baseRss,
            afterRssMb: after - baseRss,
            seconds
        };
    };

    const all: (Figures | null)[] = [];
    all.push(await measure('idle (baseline)', 'idle'));
    all.push(await measure('users CSV, 25 MB of blank lines', 'csvHuge'));
    all.push(await measure('users CSV, 4.9 MB of blank lines (under the body limit)', 'csvBlank'));
    all.push(
        await measure(`users CSV, ${CSV_ROWS.toLocaleString('en')} rows (the line cap), imported`, 'csvRows', {
            rows: CSV_ROWS
        })
    );
    all.push(await measure('.ics, 25 MB, 1,000 events of 25 KB, imported', 'icsBig'));
    all.push(await measure('.ics, 24 MB, 120,000 events (over the cap)', 'icsMany'));
    all.push(await measure('.eml, multipart nested 2,000 levels', 'mimeDeep'));
    all.push(await measure('.eml, 24 MB with a base64 attachment, imported', 'emlBig'));
    all.push(await measure('JSON batch, 25 MB, 1,000 activities of 25 KB, stored', 'batchBig'));
    all.push(await measure('20 unauthenticated 24 MB uploads', 'unauthenticated'));
    const results = all.filter((r): r is Figures => r !== null);
    await client.terminate();
    await app.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });

    const base = Math.max(results[0]?.maxDelayMs ?? 1, 1);
    const cell = (s: string, n: number) => s.padEnd(n);
    console.log(
        `\nbench:stall on ${ENGINE}${ENGINE === 'pglite' ? (onDisk ? ' (data directory on disk)' : ' (memory://)') : ''}; healthz polled every 20 ms; load average ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')} on ${availableParallelism()} cores\n`
    );
    console.log(
        `${cell('case', 58)}${cell('answer', 16)}${cell('max delay', 12)}${cell('× idle', 8)}${cell('max block CPU', 15)}${cell('slowest /healthz', 18)}${cell('peak +RSS', 11)}${cell('after +RSS', 11)}time`
    );
    for (const r of results)
        console.log(
            `${cell(r.name, 58)}${cell(r.status, 16)}${cell(`${r.maxDelayMs.toFixed(0)} ms`, 12)}${cell((r.maxDelayMs / base).toFixed(1), 8)}${cell(`${r.maxBlockCpuMs.toFixed(0)} ms`, 15)}${cell(`${r.slowestHealthzMs.toFixed(0)} ms`, 18)}${cell(`${r.peakRssMb.toFixed(0)} MB`, 11)}${cell(`${r.afterRssMb.toFixed(0)} MB`, 11)}${r.seconds.toFixed(1)} s`
        );
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
