import type { Connection } from '@jsforce/jsforce-node';
import { sql } from 'kysely';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { contactWithAccount, startTestEmulator, type TestEmulator } from './helpers/emulator';
import { storeEngines } from './helpers/store';
import { insertUser } from './helpers/users';
import { ACTIVITY_SYNC_ON } from './helpers/profiles';

/** SCALE-3: POST /v1/activities/batch, on PGlite and (with DATABASE_URL) on PostgreSQL. */

const ALL_ON = { ...ACTIVITY_SYNC_ON, contactCreation: true, contactRoleCreation: true };

describe('batch intake (SCALE-3)', () => {
    let sf: TestEmulator;
    let contact: { Id: string; Email: string };
    beforeAll(async () => {
        sf = await startTestEmulator();
        const admin: Connection = await sf.login('admin@demo.backstory.local');
        contact = await contactWithAccount(admin);
    }, 180_000);
    afterAll(async () => {
        await sf.close();
    });

    describe.each(storeEngines)('on %s', (engine) => {
        let app: TestApp;
        let org: TestOrg;
        let member: { id: string; salesforceUserId: string };
        const OWNER = 'casey.chen@demo.backstory.local';
        const MEMBER = 'member.batch@example.com';
        const GATED = 'gated.batch@example.com';

        beforeAll(async () => {
            app = await startTestApp({ engine });
            org = await app.newOrg('Batch org', sf.integrationAuth);
            expect((await app.call(org.apiKey, 'POST', '/v1/crm/pull')).status).toBe(200);
            const mk = async (name: string, activity: Record<string, boolean>) => {
                const res = await app.call(org.apiKey, 'POST', '/v1/profiles', { name, activity });
                expect(res.status).toBe(201);
                return res.body.id as string;
            };
            const full = await mk('Full sync', ALL_ON);
            const off = await mk('No intake', { ...ALL_ON, intakeData: false });
            await insertUser(app.store.db, org.org.id, {
                email: OWNER,
                role: 'admin',
                profileId: full,
                salesforceUserId: sf.emu.admin.userId(OWNER)
            });
            member = await insertUser(app.store.db, org.org.id, { email: MEMBER, profileId: full });
            await insertUser(app.store.db, org.org.id, { email: GATED, profileId: off });
        }, 180_000);
        afterAll(async () => {
            await app.close();
        });

        let n = 0;
        const activity = (over: Record<string, unknown> = {}) => ({
            externalId: `batch-${engine}-${++n}`,
            type: 'meeting',
            ownerEmail: OWNER,
            subject: 'Quarterly review',
            startsAt: '2026-11-03T15:00:00Z',
            endsAt: '2026-11-03T16:00:00Z',
            participants: [
                { email: OWNER, role: 'organizer' },
                { email: contact.Email, name: 'Their contact', role: 'attendee' },
                { email: `new.person.${n}@prospect-${engine}.example`, role: 'attendee' }
            ],
            ...over
        });
        const batch = (activities: unknown[], headers?: Record<string, string>) =>
            app.call(org.apiKey, 'POST', '/v1/activities/batch', { activities }, headers);
        const count = async (table: 'activities' | 'writeback_items') =>
            Number(
                (
                    await sql<{
                        n: number;
                    }>`select count(*) as n from ${sql.table(table)} where org_id = ${org.org.id}`.execute(app.store.db)
                ).rows[0]!.n
            );
        const outbox = async (activityId: string) =>
            (
                await app.store.db
                    .selectFrom('writeback_items')
                    .select(['operation', 'state', 'sobject', 'revision'])
                    .where('org_id', '=', org.org.id)
                    .where('activity_id', '=', activityId)
                    .orderBy('operation')
                    .execute()
            ).map((r) => ({ ...r, revision: Number(r.revision) }));

        it('answers a result per item: valid items are stored with their outbox rows, each bad one fails alone naming its field', async () => {
            const a = activity();
            const b = activity({ type: 'email', transcript: 'Casey: hello' });
            const before = await count('activities');
            const res = await batch([
                a,
                activity({ startsAt: 'next tuesday' }),
                activity({ ownerEmail: 'nobody@example.com' }),
                b,
                { ...a, subject: 'the same externalId again' },
                activity({ ownerEmail: GATED }),
                'not an activity'
            ]);
            expect(res.status).toBe(200);
            const r = res.body.results;
            expect(r[3].error).toBeNull();
            expect(r.map((x: { index: number; status: number }) => [x.index, x.status])).toEqual([
                [0, 202],
                [1, 400],
                [2, 400],
                [3, 202],
                [4, 400],
                [5, 409],
                [6, 400]
            ]);
            expect(res.body).toMatchObject({ stored: 2, failed: 5 });
            expect(r[0].result).toMatchObject({ externalId: a.externalId, status: 'matched', created: true });
            expect(r[0].error).toBeNull();
            expect(r[1].result).toBeNull();
            expect(r[1].error.code).toBe('validation_failed');
            expect(new Set(r[1].error.details.map((d: { path: string }) => d.path))).toEqual(new Set(['startsAt']));
            expect(r[2].error.details[0].path).toBe('ownerEmail');
            expect(r[3].result).toMatchObject({ externalId: b.externalId, created: true, transcript: 'stored' });
            expect(r[4].error).toMatchObject({ details: [{ path: 'externalId' }] });
            expect(r[4].error.message).toMatch(/item 0 of this batch/);
            expect(r[5].error).toMatchObject({ code: 'conflict', details: [{ path: 'ownerEmail' }] });
            expect(r[6].error.details[0].path).toBe('body');
            expect(await count('activities')).toBe(before + 2);
            // MATCH-6: each stored activity is in the outbox, as the single call puts it there.
            expect((await outbox(r[0].result.id)).map((x) => x.operation)).toEqual(
                expect.arrayContaining(['create_contact_role', 'upsert_event'])
            );
            expect((await outbox(r[3].result.id)).map((x) => x.operation)).toContain('upsert_task');
        });

        it('SCALE-3 activities and outbox rows carry no foreign key to orgs; the user and activity cascades stay', async () => {
            const keys = await sql<{ table: string; target: string; cascade: boolean }>`
                select conrelid::regclass::text as "table", confrelid::regclass::text as target,
                       confdeltype = 'c' as cascade
                from pg_constraint
                where contype = 'f' and conrelid in ('activities'::regclass, 'writeback_items'::regclass)
                order by 1, 2`.execute(app.store.db);
            expect(keys.rows).toEqual([
                { table: 'activities', target: 'users', cascade: true },
                { table: 'writeback_items', target: 'activities', cascade: true }
            ]);
        });

        it('is idempotent: re-sending the same externalIds updates the same activities and outbox rows', async () => {
            const items = [activity(), activity(), activity({ type: 'email' })];
            const first = await batch(items);
            expect(first.body.stored).toBe(3);
            const activities = await count('activities');
            const rows = await count('writeback_items');
            const again = await batch(items.map((x) => ({ ...x, subject: 'Moved' })));
            expect(again.status).toBe(200);
            expect(again.body.results.map((x: { result: { id: string; created: boolean } }) => x.result)).toEqual(
                first.body.results.map((x: { result: { id: string } }) =>
                    expect.objectContaining({ id: x.result.id, created: false })
                )
            );
            expect(await count('activities')).toBe(activities);
            expect(await count('writeback_items')).toBe(rows);
            expect((await outbox(first.body.results[0].result.id))[0]!.revision).toBe(2);
        });

        it('gives each item what POST /v1/activities gives it: the same result, the same stored match and outbox rows', async () => {
            const single = activity();
            const inBatch = { ...single, externalId: `${single.externalId}-b` };
            const one = await app.call(org.apiKey, 'POST', '/v1/activities', single);
            expect(one.status).toBe(202);
            const many = await batch([inBatch]);
            const got = many.body.results[0];
            expect(got.status).toBe(202);
            expect({ ...got.result, id: '', externalId: '' }).toEqual({ ...one.body, id: '', externalId: '' });
            const read = async (id: string) => (await app.call(org.apiKey, 'GET', `/v1/activities/${id}`)).body;
            const [x, y] = [await read(one.body.id), await read(got.result.id)];
            expect(y.match).toEqual(x.match);
            expect(y.participants).toEqual(x.participants);
            expect(await outbox(got.result.id)).toEqual(await outbox(one.body.id));
            // The same errors too.
            const bad = activity({ ownerEmail: GATED });
            const singleError = await app.call(org.apiKey, 'POST', '/v1/activities', bad);
            const batchError = (await batch([bad])).body.results[0];
            expect(batchError.status).toBe(singleError.status);
            expect(batchError.error).toEqual(singleError.body.error);
        });

        it('SCALE-3 stores text that array parameters must escape exactly as sent (quotes, backslashes, braces, NULL, unicode)', async () => {
            const awkward = [
                'He said "hi" \\ then {left, right}',
                'NULL',
                '',
                'a, b , c',
                'émoji 🙂 and \u00e9 and a\ttab',
                '{"json": [1, "two"]}'
            ];
            const items = awkward.map((text, i) =>
                activity({
                    subject: text || 'blank body',
                    body: text,
                    participants: [
                        { email: OWNER, role: 'organizer' },
                        {
                            email: `odd.${i}@prospect-${engine}.example`,
                            ...(text ? { name: text } : {}),
                            role: 'attendee'
                        }
                    ]
                })
            );
            const res = await batch(items);
            expect(res.status).toBe(200);
            expect(res.body.results.filter((r: { error?: unknown }) => r.error)).toEqual([]);
            for (const [i, text] of awkward.entries()) {
                const read = await app.call(org.apiKey, 'GET', `/v1/activities/${res.body.results[i].result.id}`);
                expect(read.body).toEqual(
                    expect.objectContaining({
                        subject: text || 'blank body',
                        body: text,
                        startsAt: '2026-11-03T15:00:00.000Z'
                    })
                );
                expect(read.body.participants[1].name).toBe(text || undefined);
            }
        });

        it('SEC-5 per item: a member writes their own activities; one of another owner fails alone', async () => {
            const mine = activity({ ownerEmail: MEMBER });
            const theirs = activity();
            expect((await batch([theirs])).body.stored).toBe(1);
            const asMember = { 'x-acting-user': member.salesforceUserId };
            const res = await batch([mine, { ...theirs, ownerEmail: MEMBER }, activity()], asMember);
            expect(res.body.results.map((x: { status: number }) => x.status)).toEqual([202, 409, 403]);
            expect(res.body.results[1].error.details[0].path).toBe('externalId');
            const kept = await app.store.db
                .selectFrom('activities')
                .select('owner_email')
                .where('org_id', '=', org.org.id)
                .where('external_id', '=', theirs.externalId)
                .executeTakeFirstOrThrow();
            expect(kept.owner_email).toBe(OWNER);
        });

        it('refuses the whole call only when the batch itself is wrong, naming activities', async () => {
            const before = await count('activities');
            for (const body of [{ activities: [] }, {}, { activities: 'x' }, { activities: [activity()], extra: 1 }]) {
                const res = await app.call(org.apiKey, 'POST', '/v1/activities/batch', body);
                expect(res.status).toBe(400);
                expect(res.body.error.code).toBe('validation_failed');
            }
            const tooMany = await batch(Array.from({ length: 1001 }, () => ({})));
            expect(tooMany.status).toBe(400);
            expect(tooMany.body.error.details[0].path).toBe('activities');
            expect(await count('activities')).toBe(before);
        });

        it('SCALE-3 takes {items} as docs/api.md writes it and answers items: [{externalId, id, status, error}]', async () => {
            const stored = activity();
            const res = await app.call(org.apiKey, 'POST', '/v1/activities/batch', {
                items: [stored, activity({ startsAt: 'soon' })]
            });
            expect(res.status).toBe(200);
            expect(res.body.items).toEqual([
                { externalId: stored.externalId, id: res.body.results[0].result.id, status: 'created', error: null },
                {
                    externalId: expect.any(String),
                    id: null,
                    status: 'refused',
                    error: expect.objectContaining({
                        details: expect.arrayContaining([expect.objectContaining({ path: 'startsAt' })])
                    })
                }
            ]);
            const again = await app.call(org.apiKey, 'POST', '/v1/activities/batch', {
                items: [{ ...stored, subject: 'Moved' }, {}]
            });
            expect(
                again.body.items.map((i: { status: string; externalId: string | null }) => [i.status, i.externalId])
            ).toEqual([
                ['updated', stored.externalId],
                ['refused', null]
            ]);
            const before = await count('activities');
            const both = await app.call(org.apiKey, 'POST', '/v1/activities/batch', {
                items: [activity()],
                activities: [activity()]
            });
            expect([both.status, both.body.error.details[0].path]).toEqual([400, 'activities']);
            const none = await app.call(org.apiKey, 'POST', '/v1/activities/batch', {});
            expect([none.status, none.body.error.details[0].path]).toEqual([400, 'items']);
            expect(await count('activities')).toBe(before);
        });

        it('stores batches of the same owners sent at once, each whole; a Pending owner among them becomes Active (UT-13)', async () => {
            // MEMBER is Pending: their first activities move them to Active (a row lock); OWNER is Active.
            await app.store.db
                .updateTable('users')
                .set({ status: 'pending' })
                .where('org_id', '=', org.org.id)
                .where('email_key', '=', MEMBER)
                .execute();
            const before = await count('activities');
            const answers = await Promise.all(
                [OWNER, MEMBER, OWNER, MEMBER, OWNER, MEMBER, OWNER, MEMBER].map((ownerEmail) =>
                    batch(Array.from({ length: 150 }, () => activity({ ownerEmail }))).then((r) => [
                        r.status,
                        r.body.failed
                    ])
                )
            );
            expect(answers).toEqual(Array.from({ length: 8 }, () => [200, 0]));
            expect(await count('activities')).toBe(before + 8 * 150);
            const member = await app.store.db
                .selectFrom('users')
                .select('status')
                .where('org_id', '=', org.org.id)
                .where('email_key', '=', MEMBER)
                .executeTakeFirstOrThrow();
            expect(member.status).toBe('active');
        }, 120_000);
    });
});
