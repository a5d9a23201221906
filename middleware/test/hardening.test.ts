import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { fetch } from 'undici';
import { OrgZoneRegistry } from '../src/domain/intake/zones';
import { IMPORT_LIMITS } from '../src/domain/limits';
import { neutralizeCell, stringifyUsersCsv } from '../src/domain/user-csv';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { insertUser } from './helpers/users';
import { insertUsers } from '../src/store/users';
import { ACTIVITY_SYNC_ON } from './helpers/profiles';

interface Member {
    id: string;
    email: string;
    headers: Record<string, string>;
}

const ics = (events: string[], extra: string[] = []) =>
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//EN', ...extra, ...events, 'END:VCALENDAR', ''].join('\r\n');

const vevent = (uid: string, owner: string, more: string[] = [], start = 'DTSTART:20261105T140000Z') =>
    [
        'BEGIN:VEVENT',
        `UID:${uid}`,
        'DTSTAMP:20261101T090000Z',
        start,
        'SUMMARY:Demo',
        `ORGANIZER:mailto:${owner}`,
        'ATTENDEE;CN=Them:mailto:ann@acme.test',
        ...more,
        'END:VEVENT'
    ].join('\r\n');

const eml = (messageId: string, from: string, over: Record<string, string> = {}, body = 'See attached.') =>
    [
        `Message-ID: ${over['Message-ID'] ?? messageId}`,
        `Date: ${over.Date ?? 'Tue, 03 Nov 2026 10:15:00 +0000'}`,
        `From: ${from}`,
        `To: ${over.To ?? 'ann@acme.test'}`,
        `Subject: ${over.Subject ?? 'Proposal'}`,
        ...(over.extra ? [over.extra] : []),
        '',
        body,
        ''
    ].join('\r\n');

describe('hardening: ownership, bounded parsing, tenant isolation, no 500s (SEC-5..SEC-8)', () => {
    let app: TestApp;
    let org: TestOrg;
    let profileId: string;
    let alice: Member;
    let bob: Member;
    let boss: Member;

    beforeAll(async () => {
        app = await startTestApp();
        org = await app.newOrg('Hardening org');
        const profile = await app.call(org.apiKey, 'POST', '/v1/profiles', {
            name: 'Full',
            activity: ACTIVITY_SYNC_ON
        });
        expect(profile.status).toBe(201);
        profileId = profile.body.id;
        const mk = async (email: string, role: 'member' | 'admin' = 'member'): Promise<Member> => {
            const u = await insertUser(app.store.db, org.org.id, { email, role, profileId });
            return { id: u.id, email, headers: { 'x-acting-user': u.salesforceUserId } };
        };
        alice = await mk('alice@hardening.test');
        bob = await mk('bob@hardening.test');
        boss = await mk('boss@hardening.test', 'admin');
    }, 300_000);
    afterAll(async () => {
        await app.close();
    });

    const stored = async (orgId = org.org.id) =>
        Number(
            (
                await sql<{ n: number }>`select count(*) as n from activities where org_id = ${orgId}`.execute(
                    app.store.db
                )
            ).rows[0]!.n
        );
    const usersInOrg = async () =>
        Number(
            (
                await sql<{ n: number }>`select count(*) as n from users where org_id = ${org.org.id}`.execute(
                    app.store.db
                )
            ).rows[0]!.n
        );
    const byExternalId = async (externalId: string) =>
        app.store.db
            .selectFrom('activities')
            .selectAll()
            .where('org_id', '=', org.org.id)
            .where('external_id', '=', externalId)
            .executeTakeFirst();
    const activity = (externalId: string, owner: string, over: Record<string, unknown> = {}) => ({
        externalId,
        type: 'meeting',
        ownerEmail: owner,
        subject: 'Quarterly review',
        startsAt: '2026-11-03T15:00:00Z',
        participants: [{ email: owner }, { email: 'ann@acme.test' }],
        ...over
    });
    const importFile = (body: string, type: string, headers: Record<string, string> = {}, o = org) =>
        app.call(o.apiKey, 'POST', '/v1/activities/import', body, { 'content-type': type, ...headers });

    describe('SEC-5 an activity belongs to its owner', () => {
        it("SEC-5 re-sending another user's externalId is a 409 naming externalId; owner and content stay", async () => {
            const first = await app.call(
                org.apiKey,
                'POST',
                '/v1/activities',
                activity('takeover-1', alice.email),
                alice.headers
            );
            expect(first.status).toBe(202);
            const before = await byExternalId('takeover-1');
            const res = await app.call(
                org.apiKey,
                'POST',
                '/v1/activities',
                activity('takeover-1', bob.email, { subject: 'Mine now' }),
                bob.headers
            );
            expect(res.status).toBe(409);
            expect(res.body.error).toMatchObject({ code: 'conflict', details: [{ path: 'externalId' }] });
            expect(await byExternalId('takeover-1')).toEqual(before);
            const read = await app.call(org.apiKey, 'GET', `/v1/activities/${first.body.id}`, undefined, alice.headers);
            expect(read.status).toBe(200);
            expect(read.body).toMatchObject({ ownerEmail: alice.email, subject: 'Quarterly review' });
        });

        it('SEC-5 the owner, an admin and the org key without an acting user may update it', async () => {
            const first = await app.call(
                org.apiKey,
                'POST',
                '/v1/activities',
                activity('mine-1', alice.email),
                alice.headers
            );
            const own = await app.call(
                org.apiKey,
                'POST',
                '/v1/activities',
                activity('mine-1', alice.email, { subject: 'by owner' }),
                alice.headers
            );
            expect(own.status).toBe(202);
            expect(own.body).toMatchObject({ id: first.body.id, created: false });
            const admin = await app.call(
                org.apiKey,
                'POST',
                '/v1/activities',
                activity('mine-1', alice.email, { subject: 'by admin' }),
                boss.headers
            );
            expect(admin.status).toBe(202);
            const key = await app.call(
                org.apiKey,
                'POST',
                '/v1/activities',
                activity('mine-1', alice.email, { subject: 'by key' })
            );
            expect(key.status).toBe(202);
            expect((await byExternalId('mine-1'))?.subject).toBe('by key');
        });

        it('SEC-5 re-importing an .eml with the same Message-ID as another user is a 409; nothing changes', async () => {
            const message = eml('<sec5@hardening.test>', alice.email);
            expect((await importFile(message, 'message/rfc822', alice.headers)).status).toBe(202);
            const before = await byExternalId('<sec5@hardening.test>');
            const res = await importFile(
                eml('<sec5@hardening.test>', bob.email, { Subject: 'Taken' }),
                'message/rfc822',
                bob.headers
            );
            expect(res.status).toBe(409);
            expect(res.body.error.details[0].path).toBe('externalId');
            expect(await byExternalId('<sec5@hardening.test>')).toEqual(before);
        });

        it("SEC-5 an .ics holding another user's UID stores none of its events (all or nothing)", async () => {
            expect(
                (await importFile(ics([vevent('sec5-ics', alice.email)]), 'text/calendar', alice.headers)).status
            ).toBe(202);
            const before = await stored();
            const res = await importFile(
                ics([vevent('sec5-ics-new', bob.email), vevent('sec5-ics', bob.email)]),
                'text/calendar',
                bob.headers
            );
            expect(res.status).toBe(409);
            expect(await stored()).toBe(before);
            expect(await byExternalId('sec5-ics-new')).toBeUndefined();
        });
    });

    describe('SEC-6 bounded parsing, body limits, authentication first', () => {
        it('SEC-6 a users CSV of a header and 1,000,000 blank lines is refused naming the line cap; nothing imported', async () => {
            const before = await usersInOrg();
            const csv = 'First Name,Last Name,Email\n' + 'x,y,blank.lines@x.test\n' + '\n'.repeat(1_000_000);
            const res = await app.call(org.apiKey, 'POST', '/v1/users/import', csv, { 'content-type': 'text/csv' });
            expect(res.status).toBe(400);
            expect(res.body.errors[0]).toMatchObject({ line: IMPORT_LIMITS.csvLines + 1 });
            expect(res.body.errors[0].message).toMatch(/blank lines count/);
            expect(await usersInOrg()).toBe(before);
            expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
        });

        it('SEC-6 /healthz and /readyz answer while a transaction (an import) holds the store', async () => {
            let release!: () => void;
            const held = new Promise<void>((resolve) => (release = resolve));
            let entered!: () => void;
            const inside = new Promise<void>((resolve) => (entered = resolve));
            const transaction = app.store.db.transaction().execute(async (trx) => {
                await sql`select 1`.execute(trx);
                entered();
                await held;
            });
            await inside;
            // On PGlite the one connection is taken: a probe that queued behind it would never answer.
            const [health, ready] = await Promise.all([fetch(`${app.url}/healthz`), fetch(`${app.url}/readyz`)]);
            release();
            await transaction;
            expect([health.status, ready.status]).toEqual([200, 200]);
        });

        it('SEC-6 an import is read in the charset it names; one nobody decodes is a 415 naming body, nothing stored', async () => {
            const before = await stored();
            const latin1 = ics([vevent('charset-latin1', alice.email, ['DESCRIPTION:Caf\u00e9 au lait'])]);
            const res = await fetch(`${app.url}/v1/activities/import`, {
                method: 'POST',
                headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'text/calendar; charset=ISO-8859-1' },
                body: Buffer.from(latin1, 'latin1')
            });
            expect(res.status).toBe(202);
            const { items } = (await res.json()) as { items: { id: string }[] };
            const read = await app.call(org.apiKey, 'GET', `/v1/activities/${items[0]!.id}`);
            expect(read.body.body).toBe('Caf\u00e9 au lait');
            const odd = await importFile(ics([vevent('charset-odd', alice.email)]), 'text/calendar; charset=x-no-such');
            expect(odd.status).toBe(415);
            expect(odd.body.error.details[0]).toEqual({ path: 'body', message: 'unsupported charset "X-NO-SUCH"' });
            expect(await stored()).toBe(before + 1);
        });

        it('SEC-6 a JSON batch over a megabyte is read in another thread: stored whole; broken JSON is a 400 naming body', async () => {
            const before = await stored();
            const items = Array.from({ length: 60 }, (_, i) =>
                activity(`offthread-${i}`, alice.email, { body: `long body ${i} `.repeat(2_000) })
            );
            const big = await app.call(org.apiKey, 'POST', '/v1/activities/batch', { items });
            expect(big.status).toBe(200);
            expect(big.body.items.map((x: { status: string }) => x.status)).toEqual(items.map(() => 'created'));
            const read = await app.call(org.apiKey, 'GET', `/v1/activities/${big.body.items[59].id}`);
            expect(read.body.body).toBe(`long body 59 `.repeat(2_000));
            const json = { 'content-type': 'application/json' };
            const broken = JSON.stringify({ items }).slice(0, -10);
            const notJson = await app.call(org.apiKey, 'POST', '/v1/activities/batch', broken, json);
            expect([notJson.status, notJson.body.error.details]).toEqual([
                400,
                [{ path: 'body', message: 'is not valid JSON' }]
            ]);
            const scalar = await app.call(
                org.apiKey,
                'POST',
                '/v1/activities/batch',
                JSON.stringify('x'.repeat(2_000_000)),
                json
            );
            expect(scalar.status).toBe(400);
            expect(await stored()).toBe(before + 60);
        });

        it('SEC-6 a CSV cell longer than the cap is reported with its line and column', async () => {
            const csv = `First Name,Last Name,Email\n${'a'.repeat(IMPORT_LIMITS.csvCellChars + 1)},y,long.cell@x.test\n`;
            const res = await app.call(org.apiKey, 'POST', '/v1/users/import', csv, { 'content-type': 'text/csv' });
            expect(res.status).toBe(400);
            expect(res.body.errors).toContainEqual(expect.objectContaining({ line: 2, column: 'First Name' }));
        });

        it('SEC-6 an .ics with more events than the cap is refused naming VEVENT; nothing stored', async () => {
            const before = await stored();
            const events = Array.from({ length: IMPORT_LIMITS.icsEvents + 1 }, (_, i) =>
                vevent(`many-${i}`, alice.email)
            );
            const res = await importFile(ics(events), 'text/calendar');
            expect(res.status).toBe(400);
            expect(res.body.error.details[0].path).toBe('VEVENT');
            expect(await stored()).toBe(before);
        });

        it('SEC-6 an .ics whose second event is bad stores nothing and names the event', async () => {
            const before = await stored();
            const res = await importFile(
                ics([vevent('good-first', alice.email), vevent('bad-second', alice.email, [], 'DTSTART:notadate')]),
                'text/calendar'
            );
            expect(res.status).toBe(400);
            expect(res.body.error.details[0].path).toMatch(/^VEVENT 2\./);
            expect(await stored()).toBe(before);
        });

        it('SEC-6 imports keep the JSON API caps: a 5 MB subject and 5,001 participants are refused', async () => {
            const before = await stored();
            const bigSummary = await importFile(
                ics([vevent('big-summary', alice.email, [`SUMMARY:${'s'.repeat(5_000_000)}`])]),
                'text/calendar'
            );
            expect(bigSummary.status).toBe(400);
            expect(bigSummary.body.error.details[0].path).toBe('VEVENT 1.SUMMARY');
            const attendees = Array.from({ length: 5_001 }, (_, i) => `ATTENDEE:mailto:a${i}@acme.test`);
            const crowd = await importFile(ics([vevent('crowd', alice.email, attendees)]), 'text/calendar');
            expect(crowd.status).toBe(400);
            expect(crowd.body.error.details[0].path).toBe('VEVENT 1.ATTENDEE');
            const subject = await importFile(
                eml('<big@hardening.test>', alice.email, { Subject: 'x'.repeat(1_001) }),
                'message/rfc822'
            );
            expect(subject.status).toBe(400);
            expect(subject.body.error.details[0].path).toBe('Subject');
            const to = Array.from({ length: 5_001 }, (_, i) => `p${i}@acme.test`).join(', ');
            const many = await importFile(eml('<many@hardening.test>', alice.email, { To: to }), 'message/rfc822');
            expect(many.status).toBe(400);
            expect(many.body.error.details[0].path).toBe('To');
            expect(await stored()).toBe(before);
        });

        it('SEC-6 per-endpoint body limits: 2 MB of JSON and 6 MB of CSV are 413; a 6 MB .ics is read', async () => {
            const json = await app.call(
                org.apiKey,
                'POST',
                '/v1/activities',
                activity('huge', alice.email, { body: 'b'.repeat(2 * 1024 * 1024) })
            );
            expect(json.status).toBe(413);
            expect(json.body.error.details[0].path).toBe('body');
            const csv = await app.call(org.apiKey, 'POST', '/v1/users/import', 'x'.repeat(6 * 1024 * 1024), {
                'content-type': 'text/csv'
            });
            expect(csv.status).toBe(413);
            const bigIcs = await importFile(
                ics([vevent('padded', alice.email)], [`X-PAD:${'p'.repeat(100)}\r\n`.repeat(60_000)]),
                'text/calendar'
            );
            expect(bigIcs.status).toBe(202);
        });

        it('SEC-6 authentication runs before the body is read: a 24 MB upload without a key is refused at once', async () => {
            const url = new URL(`${app.url}/v1/activities/import`);
            const answer = await new Promise<number>((resolve, reject) => {
                const req = request(
                    {
                        host: url.hostname,
                        port: url.port,
                        path: url.pathname,
                        method: 'POST',
                        headers: { 'content-type': 'text/calendar', 'content-length': String(24 * 1024 * 1024) }
                    },
                    (res) => {
                        resolve(res.statusCode ?? 0);
                        res.resume();
                        req.destroy();
                    }
                );
                req.on('error', (error) => {
                    if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
                });
                // Only 1 KB of the 24 MB announced is ever sent: the answer cannot wait for the body.
                req.write('x'.repeat(1024));
            });
            expect(answer).toBe(401);
        });

        /**
         * Run `run` while counting turns of the event loop (a setImmediate that renews itself) and
         * note the turn at which each PGlite statement matching `statement` starts. Without a turn
         * between the first and the last statement, the work held the event loop throughout.
         */
        const turnsBetween = async <T>(statement: RegExp, run: () => Promise<T>) => {
            const pglite = app.store.pglite!;
            const query = pglite.query.bind(pglite);
            let turns = 0;
            let first = -1;
            let last = -1;
            let statements = 0;
            let ticking = true;
            const tick = () => {
                turns++;
                if (ticking) setImmediate(tick);
            };
            setImmediate(tick);
            pglite.query = ((text: string, ...rest: unknown[]) => {
                if (statement.test(text)) {
                    statements++;
                    if (first < 0) first = turns;
                    last = turns;
                }
                return (query as (...a: unknown[]) => unknown)(text, ...rest);
            }) as typeof pglite.query;
            try {
                const result = await run();
                return { result, statements, turns: last - first };
            } finally {
                pglite.query = query;
                ticking = false;
            }
        };

        it('SEC-6 a 5,000-row users CSV import gives the event loop turns between its insert statements', async () => {
            const csv = [
                'First Name,Last Name,Email,Role',
                ...Array.from({ length: 5_000 }, (_, i) => `First${i},Last${i},yield${i}@hardening.test,Member`)
            ].join('\n');
            const { result, statements, turns } = await turnsBetween(/^\s*insert into users\b/, () =>
                app.call(org.apiKey, 'POST', '/v1/users/import', csv, { 'content-type': 'text/csv' })
            );
            expect(result.status).toBe(200);
            expect(result.body.created).toBe(5_000);
            expect(statements).toBeGreaterThan(2); // the rows split over statements (STATEMENT_LIMITS)
            expect(turns).toBeGreaterThan(0);
        });

        it('SEC-6 an .ics import of 300 events gives the event loop turns inside its transaction', async () => {
            const before = await stored();
            const events = Array.from({ length: 300 }, (_, i) => vevent(`yield-${i}`, alice.email));
            const { result, statements, turns } = await turnsBetween(/^\s*insert into "activities"/, () =>
                importFile(ics(events), 'text/calendar')
            );
            expect(result.status).toBe(202);
            expect(statements).toBe(300);
            expect(turns).toBeGreaterThan(0);
            expect(await stored()).toBe(before + 300);
        });

        it('SEC-6 rows split over several statements stay one transaction: a failure in a later one keeps none', async () => {
            const before = await usersInOrg();
            const users = Array.from({ length: 600 }, (_, i) => ({
                id: i === 599 ? 'usr_split_0' : `usr_split_${i}`, // the last row repeats the first id
                first_name: 'Split',
                last_name: `${i}`,
                email: `split${i}@hardening.test`,
                job_title: null,
                salesforce_user_id: null,
                role: 'member' as const,
                licenses: ['foundation' as const],
                visibility: 'individual' as const,
                profile_id: profileId,
                team_id: null,
                status: 'pending' as const,
                source: 'csv' as const,
                salesforce_license: null
            }));
            const { result, statements } = await turnsBetween(/^\s*insert into users\b/, () =>
                app.store.db
                    .transaction()
                    .execute((trx) => insertUsers(trx, org.org.id, users))
                    .then(
                        () => 'stored',
                        (error: Error) => error.message
                    )
            );
            expect(statements).toBeGreaterThan(1);
            expect(result).toMatch(/duplicate key/);
            expect(await usersInOrg()).toBe(before);
        });
    });

    describe('SEC-7 no tenant state in process memory', () => {
        const customZone = [
            'BEGIN:VTIMEZONE',
            'TZID:Custom/Zone',
            'BEGIN:STANDARD',
            'DTSTART:19700101T000000',
            'TZOFFSETFROM:+1400',
            'TZOFFSETTO:+1400',
            'TZNAME:X',
            'END:STANDARD',
            'END:VTIMEZONE'
        ];
        it("SEC-7 org 1's VTIMEZONE does not shift org 2's meeting naming the same TZID", async () => {
            const zoned = 'DTSTART;TZID=Custom/Zone:20261105T100000';
            const one = await importFile(
                ics([vevent('tz-org1', alice.email, [], zoned)], [customZone.join('\r\n')]),
                'text/calendar'
            );
            expect(one.status).toBe(202);
            expect((await byExternalId('tz-org1'))?.starts_at).toEqual(new Date('2026-11-04T20:00:00Z'));

            const other = await app.newOrg('Second org');
            const p = await app.call(other.apiKey, 'POST', '/v1/profiles', {
                name: 'Full',
                activity: ACTIVITY_SYNC_ON
            });
            await insertUser(app.store.db, other.org.id, { email: 'carol@second.test', profileId: p.body.id });
            const two = await importFile(
                ics([vevent('tz-org2', 'carol@second.test', [], zoned)]),
                'text/calendar',
                {},
                other
            );
            expect(two.status).toBe(202);
            const got = await app.call(other.apiKey, 'GET', `/v1/activities/${two.body.items[0].id}`);
            // Org 2 never defined Custom/Zone: the time is read as written (floating, UTC), not at +14:00.
            expect(got.body.startsAt).toBe('2026-11-05T10:00:00.000Z');

            // Org 1 keeps its own definition for later files that name the zone without defining it.
            const again = await importFile(ics([vevent('tz-org1-b', alice.email, [], zoned)]), 'text/calendar');
            expect(again.status).toBe(202);
            expect((await byExternalId('tz-org1-b'))?.starts_at).toEqual(new Date('2026-11-04T20:00:00Z'));
        });

        it('SEC-7 the zone registry is bounded in orgs and in zones per org', () => {
            const registry = new OrgZoneRegistry(3, 2);
            const zone = (tzid: string) => ({ tzid }) as never;
            for (let i = 0; i < 10; i++) registry.forOrg(`org${i}`).remember(zone('A'));
            expect(registry.orgCount).toBe(3);
            const o = registry.forOrg('org9');
            for (const tzid of ['B', 'C', 'D']) o.remember(zone(tzid));
            expect(o.size).toBe(2);
            expect(o.get('A')).toBeUndefined();
            expect(registry.forOrg('org0').get('A')).toBeUndefined();
        });
    });

    describe('SEC-8 bad input is a 400 naming the field, never a 500', () => {
        const raw = (
            path: string,
            init: { method?: string; body?: string | Buffer; headers?: Record<string, string> }
        ) =>
            fetch(app.url + path, {
                method: init.method ?? 'POST',
                headers: { authorization: `Bearer ${org.apiKey}`, ...init.headers },
                body: init.body
            }).then(async (r) => ({
                status: r.status,
                body: (await r.json()) as { error: { details: { path: string }[] } }
            }));
        const refusedAt = async (
            res: Promise<{ status: number; body: { error: { details: { path: string }[] } } }>
        ) => {
            const r = await res;
            expect(r.status).toBe(400);
            return r.body.error.details[0]?.path;
        };

        it('SEC-8 a NUL byte in a JSON field, a path id, a query string, a CSV cell, an .eml and an .ics', async () => {
            const before = await stored();
            expect(
                await refusedAt(
                    app
                        .call(
                            org.apiKey,
                            'POST',
                            '/v1/activities',
                            activity('nul-1', alice.email, { subject: 'a\u0000b' })
                        )
                        .then((r) => ({ status: r.status, body: r.body }))
                )
            ).toBe('subject');
            expect(await refusedAt(raw('/v1/activities/act%00x', { method: 'GET' }))).toBe('params.id');
            expect(await refusedAt(raw('/v1/audit?entity=user%00', { method: 'GET' }))).toBe('query.entity');
            expect(
                await refusedAt(
                    raw('/v1/users/import', {
                        body: 'First Name,Last Name,Email\nA\u0000,B,nul@x.test\n',
                        headers: { 'content-type': 'text/csv' }
                    })
                )
            ).toBe('body');
            expect(
                await refusedAt(
                    raw('/v1/activities/import', {
                        body: eml('<nul@x>', alice.email, { Subject: 'a\u0000' }),
                        headers: { 'content-type': 'message/rfc822' }
                    })
                )
            ).toBe('body');
            expect(
                await refusedAt(
                    raw('/v1/activities/import', {
                        body: ics([vevent('nul\u0000', alice.email)]),
                        headers: { 'content-type': 'text/calendar' }
                    })
                )
            ).toBe('body');
            expect(await stored()).toBe(before);
        });

        it('SEC-8 lone UTF-16 surrogates in names', async () => {
            const body = JSON.stringify(activity('surrogate', alice.email)).replace(
                '"ann@acme.test"}',
                '"ann@acme.test","name":"Ann \\ud800"}'
            );
            expect(
                await refusedAt(raw('/v1/activities', { body, headers: { 'content-type': 'application/json' } }))
            ).toBe('participants.1.name');
            expect(
                await refusedAt(
                    raw('/v1/profiles', {
                        body: '{"name":"\\udc00 lone"}',
                        headers: { 'content-type': 'application/json' }
                    })
                )
            ).toBe('name');
        });

        it('SEC-8 a broken gzip body on a write endpoint and %ZZ in a path', async () => {
            const gz = gzipSync(JSON.stringify(activity('gz', alice.email))).subarray(0, 20);
            expect(
                await refusedAt(
                    raw('/v1/activities', {
                        body: gz,
                        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }
                    })
                )
            ).toBe('body');
            expect(await refusedAt(raw('/v1/activities/%ZZ', { method: 'GET' }))).toBe('path');
            // The import endpoint reads its text body itself (SEC-6, in pieces): the same answers.
            const before = await stored();
            const calendar = ics([vevent('gz-import', alice.email)]);
            const gzipped = await raw('/v1/activities/import', {
                body: gzipSync(calendar),
                headers: { 'content-type': 'text/calendar', 'content-encoding': 'gzip' }
            });
            expect(gzipped.status).toBe(202);
            const broken = { 'content-type': 'text/calendar', 'content-encoding': 'gzip' };
            expect(
                await refusedAt(
                    raw('/v1/activities/import', { body: gzipSync(calendar).subarray(0, 20), headers: broken })
                )
            ).toBe('body');
            const bomb = gzipSync(
                ics([vevent('gz-bomb', alice.email)], [`X-PAD:${'p'.repeat(70)}\r\n`.repeat(400_000)])
            );
            const tooBig = await raw('/v1/activities/import', { body: bomb, headers: broken });
            expect([tooBig.status, tooBig.body.error.details[0]]).toEqual([
                413,
                { path: 'body', message: 'is larger than the limit' }
            ]);
            const odd = await raw('/v1/activities/import', {
                body: calendar,
                headers: { 'content-type': 'text/calendar', 'content-encoding': 'zstd-ish' }
            });
            expect(odd.status).toBe(415);
            expect(await stored()).toBe(before + 1);

            expect(
                await refusedAt(
                    raw('/v1/profiles/%ZZ', {
                        method: 'PATCH',
                        body: '{}',
                        headers: { 'content-type': 'application/json' }
                    })
                )
            ).toBe('path');
        });

        it('SEC-8 two VCALENDARs, an 8 KB UID, an .eml dated year 275760 and multipart nested 2,000 levels', async () => {
            const before = await stored();
            const two = ics([vevent('cal-1', alice.email)]) + ics([vevent('cal-2', alice.email)]);
            expect(
                await refusedAt(
                    raw('/v1/activities/import', { body: two, headers: { 'content-type': 'text/calendar' } })
                )
            ).toBe('body');
            const longUid = ics([vevent('u'.repeat(8 * 1024), alice.email)]);
            expect(
                await refusedAt(
                    raw('/v1/activities/import', { body: longUid, headers: { 'content-type': 'text/calendar' } })
                )
            ).toBe('VEVENT 1.UID');
            const future = eml('<future@x>', alice.email, { Date: 'Sat, 13 Sep 275760 00:00:00 +0000' });
            expect(
                await refusedAt(
                    raw('/v1/activities/import', { body: future, headers: { 'content-type': 'message/rfc822' } })
                )
            ).toBe('Date');
            let nested = 'innermost\r\n';
            for (let i = 2000; i > 0; i--)
                nested = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${nested}\r\n--b${i}--\r\n`;
            const deep = eml('<deep@x>', alice.email, { extra: 'MIME-Version: 1.0' }).replace(
                /\r\n\r\nSee attached\.\r\n$/,
                `\r\n${nested}`
            );
            expect(
                await refusedAt(
                    raw('/v1/activities/import', { body: deep, headers: { 'content-type': 'message/rfc822' } })
                )
            ).toBe('Content-Type');
            expect(await stored()).toBe(before);
        });

        it('SEC-8 deeply nested JSON and dates PostgreSQL cannot store', async () => {
            const deep = '{"name":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}';
            const path = await refusedAt(
                raw('/v1/profiles', { body: deep, headers: { 'content-type': 'application/json' } })
            );
            expect(path).toMatch(/^(name|body)/);
            for (const startsAt of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
                const res = await app.call(
                    org.apiKey,
                    'POST',
                    '/v1/activities',
                    activity('odd-date', alice.email, { startsAt })
                );
                expect(res.status).toBe(400);
                expect(res.body.error.details[0].path).toBe('startsAt');
            }
        });
    });

    it('SEC-6 the CSV export neutralises every formula trigger, full-width forms included', () => {
        for (const lead of ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'])
            expect(neutralizeCell(`${lead}SUM(A1)`)).toBe(`'${lead}SUM(A1)`);
        const csv = stringifyUsersCsv([
            {
                firstName: '＝HYPERLINK("http://x")',
                lastName: 'L',
                email: 'e@x.test',
                role: 'member',
                licenses: [],
                visibility: 'full',
                team: '',
                profile: '',
                jobTitle: ''
            }
        ]);
        expect(csv.split('\r\n')[1]).toMatch(/^"?'＝HYPERLINK/);
    });
});
