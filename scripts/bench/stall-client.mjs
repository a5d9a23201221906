// The client side of `npm run bench:stall`, in a worker thread of its own: it builds the payloads,
// sends them and polls /healthz, so that the main thread's event loop (the middleware's) carries
// only the server's work. Messages: {prepare: case}, then {run: case} → {status, slowestHealthzMs}.
import { request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, apiKey, owner } = workerData;
const MB = 1024 * 1024;

const event = (i, pad) =>
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
const calendar = (events) =>
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Bench//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
const eml = (extra) =>
    [
        'Message-ID: <stall@stall.test>',
        'Date: Tue, 03 Nov 2026 10:15:00 +0000',
        `From: ${owner}`,
        'To: ann@acme.test',
        'Subject: Stall',
        'MIME-Version: 1.0',
        extra
    ].join('\r\n');

/** Each case: the request it sends (path, content type, body) or a custom run. */
const cases = {
    idle: () => ({ wait: 2000 }),
    csvHuge: () => ({
        path: '/v1/users/import',
        type: 'text/csv',
        body: 'First Name,Last Name,Email\n' + '\n'.repeat(25 * MB)
    }),
    csvBlank: () => ({
        path: '/v1/users/import',
        type: 'text/csv',
        body: 'First Name,Last Name,Email\nA,B,a@b.test\n' + '\n'.repeat(Math.floor(4.9 * MB))
    }),
    csvRows: ({ rows }) => ({
        path: '/v1/users/import',
        type: 'text/csv',
        body: [
            'First Name,Last Name,Email,Role',
            ...Array.from({ length: rows - 1 }, (_, i) => `First${i},Last${i},bench${i}@stall.test,Member`)
        ].join('\n')
    }),
    icsBig: () => ({
        path: '/v1/activities/import',
        type: 'text/calendar',
        body: calendar(Array.from({ length: 1_000 }, (_, i) => event(i, 24_500)))
    }),
    icsMany: () => ({
        path: '/v1/activities/import',
        type: 'text/calendar',
        body: calendar(Array.from({ length: 120_000 }, (_, i) => event(i, 1)))
    }),
    mimeDeep: () => {
        let nested = 'innermost\r\n';
        for (let i = 2000; i > 0; i--)
            nested = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${nested}\r\n--b${i}--\r\n`;
        return { path: '/v1/activities/import', type: 'message/rfc822', body: eml(nested) };
    },
    emlBig: () => {
        const attachment = Buffer.alloc(17 * MB, 7)
            .toString('base64')
            .replace(/.{76}/g, '$&\r\n');
        const parts = [
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
        ];
        return { path: '/v1/activities/import', type: 'message/rfc822', body: eml(parts.join('\r\n')) };
    },
    batchBig: () => ({
        path: '/v1/activities/batch',
        type: 'application/json',
        body: JSON.stringify({
            items: Array.from({ length: 1_000 }, (_, i) => ({
                externalId: `batch-big-${i}`,
                type: 'meeting',
                ownerEmail: owner,
                subject: `Big batch ${i}`,
                body: 'b'.repeat(24_500),
                startsAt: '2026-11-05T14:00:00Z',
                participants: [
                    { email: owner, role: 'organizer' },
                    { email: `guest${i}@acme.test`, role: 'attendee' }
                ]
            }))
        })
    }),
    unauthenticated: () => ({ upload: Buffer.alloc(4 * MB, 120) })
};

async function send(prepared) {
    if (prepared.wait) {
        await new Promise((r) => setTimeout(r, prepared.wait));
        return '-';
    }
    if (prepared.upload) {
        const target = new URL(`${url}/v1/activities/import`);
        const statuses = await Promise.all(
            Array.from(
                { length: 20 },
                () =>
                    new Promise((resolve) => {
                        const req = request(
                            {
                                host: target.hostname,
                                port: target.port,
                                path: target.pathname,
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
                        req.write(prepared.upload);
                    })
            )
        );
        return [...new Set(statuses)].join('/');
    }
    // node:http, not fetch: a refusal answered before the body is read (413) resets the upload,
    // and fetch then loses the answer; here the answer counts, a write error does not.
    const target = new URL(url + prepared.path);
    const { status, text } = await new Promise((resolve, reject) => {
        const req = request(
            {
                host: target.hostname,
                port: target.port,
                path: target.pathname,
                method: 'POST',
                headers: {
                    'content-type': prepared.type,
                    authorization: `Bearer ${apiKey}`,
                    'content-length': String(Buffer.byteLength(prepared.body))
                }
            },
            (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
                res.on('error', reject);
            }
        );
        req.on('error', (error) => {
            if (!req.res) reject(error);
        });
        req.end(prepared.body);
    });
    let detail = '';
    try {
        const path = JSON.parse(text).error?.details?.[0]?.path;
        detail = path ? ` ${path}` : '';
    } catch {
        detail = '';
    }
    return `${status}${detail}`;
}

/**
 * One GET /healthz on a connection of its own: a keep-alive connection that the stalled server
 * closes as the next poll goes out would reset (ECONNRESET) and end the run.
 */
const healthz = () =>
    new Promise((resolve, reject) => {
        const req = request(`${url}/healthz`, { agent: false }, (res) => {
            res.resume();
            res.on('end', resolve);
            res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
    });

let prepared = null;
parentPort.on('message', async (message) => {
    if (message.prepare) {
        prepared = cases[message.prepare](message.options ?? {});
        parentPort.postMessage({ prepared: true });
        return;
    }
    let slowest = 0;
    let done = false;
    const poll = (async () => {
        while (!done) {
            const t = performance.now();
            await healthz();
            slowest = Math.max(slowest, performance.now() - t);
            await new Promise((r) => setTimeout(r, 20));
        }
    })();
    const status = await send(prepared);
    done = true;
    await poll;
    prepared = null;
    parentPort.postMessage({ status, slowestHealthzMs: slowest });
});
