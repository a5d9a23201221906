// `npm run bench:stall` (SEC-6): sends the worst imports the API accepts or must refuse (25 MB
// CSV, 25 MB .ics, 2,000-deep MIME, a 24 MB .eml, unauthenticated 24 MB uploads) to the real
// middleware over PostgreSQL while /healthz is polled, and prints for each: the answer, the event
// loop's maximum delay (perf_hooks.monitorEventLoopDelay), the slowest /healthz, peak memory, and
// memory afterwards; each delay also as a ratio to an idle baseline measured in the same run.
// Target: max delay ≤ 100 ms, memory back to baseline. Not a timed test.
// Runs over PostgreSQL when DATABASE_URL is set (each run in a schema of its own, dropped after),
// else over in-process PGlite, whose queries run on the event loop (BENCH_ENGINE to choose).
import { request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fetch } from 'undici';
import { startTestApp } from '../../middleware/test/helpers/app';
import { insertUser } from '../../middleware/test/helpers/users';

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

const ENGINE = (process.env.BENCH_ENGINE ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite')) as
    'postgres' | 'pglite';
const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 20_000);

interface Figures {
    name: string;
    status: string;
    maxDelayMs: number;
    slowestHealthzMs: number;
    peakRssMb: number;
    afterRssMb: number;
    seconds: number;
}

async function main(): Promise<void> {
    const app = await startTestApp({ engine: ENGINE });
    const org = await app.newOrg('Stall bench');
    const profile = await app.call(org.apiKey, 'POST', '/v1/profiles', {
        name: 'Full',
        activity: { intakeData: true, displayData: true, emailSync: true, meetingSync: true }
    });
    const owner = 'owner@stall.test';
    await insertUser(app.store.db, org.org.id, { email: owner, profileId: profile.body.id });

    const post = async (path: string, type: string, body: string, key: string | null = org.apiKey) => {
        const res = await fetch(app.url + path, {
            method: 'POST',
            headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) },
            body
        });
        const text = await res.text();
        let detail = '';
        try {
            const e = (JSON.parse(text) as { error?: { details?: { path: string }[] }; errors?: unknown[] }).error;
            detail = e?.details?.[0]?.path ? ` ${e.details[0].path}` : '';
        } catch {
            detail = '';
        }
        return `${res.status}${detail}`;
    };

    const measure = async (name: string, run: () => Promise<string>): Promise<Figures> => {
        const baseRss = await settledRss();
        const histogram = monitorEventLoopDelay({ resolution: 10 });
        let slowest = 0;
        let peak = baseRss;
        let done = false;
        const poll = (async () => {
            while (!done) {
                const t = performance.now();
                await (await fetch(`${app.url}/healthz`)).text();
                slowest = Math.max(slowest, performance.now() - t);
                peak = Math.max(peak, rssMb());
                await new Promise((r) => setTimeout(r, 20));
            }
        })();
        histogram.enable();
        const started = performance.now();
        const status = await run();
        const seconds = (performance.now() - started) / 1000;
        histogram.disable();
        done = true;
        await poll;
        const after = await settledRss();
        return {
            name,
            status,
            maxDelayMs: histogram.max / 1e6,
            slowestHealthzMs: slowest,
            peakRssMb: peak - baseRss,
            afterRssMb: after - baseRss,
            seconds
        };
    };

    const event = (i: number, pad: number) =>
        [
            'BEGIN:VEVENT',
            `UID:stall-${i}`,
            'DTSTART:20261105T140000Z',
            'DTEND:20261105T150000Z',
            `SUMMARY:Meeting ${i}`,
            `DESCRIPTION:${'d'.repeat(pad)}`,
            `ORGANIZER:mailto:${owner}`,
            `ATTENDEE:mailto:guest${i}@acme.test`,
            'END:VEVENT'
        ].join('\r\n');
    const calendar = (events: string[]) =>
        ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Bench//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
    const emlWith = (extra: string) =>
        [
            'Message-ID: <stall@stall.test>',
            'Date: Tue, 03 Nov 2026 10:15:00 +0000',
            `From: ${owner}`,
            'To: ann@acme.test',
            'Subject: Stall',
            'MIME-Version: 1.0',
            extra
        ].join('\r\n');

    const results: Figures[] = [];
    results.push(await measure('idle (baseline)', async () => (await new Promise((r) => setTimeout(r, 2000)), '-')));
    results.push(
        await measure('users CSV, 25 MB of blank lines', () =>
            post('/v1/users/import', 'text/csv', 'First Name,Last Name,Email\n' + '\n'.repeat(25 * MB))
        )
    );
    results.push(
        await measure('users CSV, 4.9 MB of blank lines (under the body limit)', () =>
            post('/v1/users/import', 'text/csv', 'First Name,Last Name,Email\nA,B,a@b.test\n' + '\n'.repeat(4.9 * MB))
        )
    );
    const rows = Array.from({ length: CSV_ROWS - 1 }, (_, i) => `First${i},Last${i},bench${i}@stall.test,Member`);
    results.push(
        await measure(`users CSV, ${CSV_ROWS.toLocaleString('en')} rows (the line cap), imported`, () =>
            post('/v1/users/import', 'text/csv', ['First Name,Last Name,Email,Role', ...rows].join('\n'))
        )
    );
    results.push(
        await measure('.ics, 25 MB, 1,000 events of 25 KB, imported', () =>
            post(
                '/v1/activities/import',
                'text/calendar',
                calendar(Array.from({ length: 1_000 }, (_, i) => event(i, 24_500)))
            )
        )
    );
    results.push(
        await measure('.ics, 24 MB, 120,000 events (over the cap)', () =>
            post(
                '/v1/activities/import',
                'text/calendar',
                calendar(Array.from({ length: 120_000 }, (_, i) => event(i, 1)))
            )
        )
    );
    let nested = 'innermost\r\n';
    for (let i = 2000; i > 0; i--)
        nested = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${nested}\r\n--b${i}--\r\n`;
    results.push(
        await measure('.eml, multipart nested 2,000 levels', () =>
            post('/v1/activities/import', 'message/rfc822', emlWith(nested))
        )
    );
    const attachment = Buffer.alloc(17 * MB, 7)
        .toString('base64')
        .replace(/.{76}/g, '$&\r\n');
    results.push(
        await measure('.eml, 24 MB with a base64 attachment, imported', () =>
            post(
                '/v1/activities/import',
                'message/rfc822',
                emlWith(
                    [
                        'Content-Type: multipart/mixed; boundary="att"',
                        '',
                        '--att',
                        'Content-Type: text/plain',
                        '',
                        'See attached.',
                        '--att',
                        'Content-Type: application/octet-stream',
                        'Content-Transfer-Encoding: base64',
                        '',
                        attachment,
                        '--att--',
                        ''
                    ].join('\r\n')
                )
            )
        )
    );
    results.push(
        await measure('20 unauthenticated 24 MB uploads', async () => {
            const url = new URL(`${app.url}/v1/activities/import`);
            const statuses = await Promise.all(
                Array.from(
                    { length: 20 },
                    () =>
                        new Promise<number>((resolve) => {
                            const req = request(
                                {
                                    host: url.hostname,
                                    port: url.port,
                                    path: url.pathname,
                                    method: 'POST',
                                    headers: { 'content-type': 'text/calendar', 'content-length': String(24 * MB) }
                                },
                                (res) => {
                                    res.resume();
                                    resolve(res.statusCode ?? 0);
                                    req.destroy();
                                }
                            );
                            req.on('error', () => resolve(0));
                            req.write(Buffer.alloc(4 * MB, 120));
                        })
                )
            );
            return [...new Set(statuses)].join('/');
        })
    );
    await app.close();

    const base = Math.max(results[0]?.maxDelayMs ?? 1, 1);
    const cell = (s: string, n: number) => s.padEnd(n);
    console.log(`\nbench:stall on ${ENGINE} (event loop max delay; healthz polled every 20 ms)\n`);
    console.log(
        `${cell('case', 58)}${cell('answer', 16)}${cell('max delay', 12)}${cell('× idle', 8)}${cell('slowest /healthz', 18)}${cell('peak +RSS', 11)}${cell('after +RSS', 11)}time`
    );
    for (const r of results)
        console.log(
            `${cell(r.name, 58)}${cell(r.status, 16)}${cell(`${r.maxDelayMs.toFixed(0)} ms`, 12)}${cell((r.maxDelayMs / base).toFixed(1), 8)}${cell(`${r.slowestHealthzMs.toFixed(0)} ms`, 18)}${cell(`${r.peakRssMb.toFixed(0)} MB`, 11)}${cell(`${r.afterRssMb.toFixed(0)} MB`, 11)}${r.seconds.toFixed(1)} s`
        );
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
