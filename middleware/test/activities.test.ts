import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from '@jsforce/jsforce-node';
import { sql } from 'kysely';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { contactWithAccount, startTestEmulator, type TestEmulator } from './helpers/emulator';
import { insertUser } from './helpers/users';
import { ACTIVITY_SYNC_ON } from './helpers/profiles';

describe('activities: intake, CP-4 gates, stored matches and previews (MATCH-1..MATCH-5)', () => {
    let app: TestApp;
    let sf: TestEmulator;
    let org: TestOrg;
    let admin: Connection;
    let profiles: Record<string, string>;
    let contact: { Id: string; Email: string; AccountId: string };
    const OWNER = 'casey.chen@demo.backstory.local';

    beforeAll(async () => {
        app = await startTestApp();
        sf = await startTestEmulator();
        org = await app.newOrg('Activity org', sf.integrationAuth);
        admin = await sf.login('admin@demo.backstory.local');
        expect((await app.call(org.apiKey, 'POST', '/v1/crm/pull')).status).toBe(200);
        const mk = async (name: string, activity: Record<string, boolean>) => {
            const res = await app.call(org.apiKey, 'POST', '/v1/profiles', { name, activity });
            expect(res.status).toBe(201);
            return res.body.id as string;
        };
        profiles = {
            full: await mk('Full sync', ACTIVITY_SYNC_ON),
            noTranscripts: await mk('No transcripts', { ...ACTIVITY_SYNC_ON, transcriptIntake: false }),
            hidden: await mk('Hidden', { ...ACTIVITY_SYNC_ON, displayData: false })
        };
        await insertUser(app.store.db, org.org.id, {
            email: OWNER,
            profileId: profiles.full,
            salesforceUserId: sf.emu.admin.userId(OWNER)
        });
        contact = await contactWithAccount(admin);
    }, 180_000);
    afterAll(async () => {
        await sf.close();
        await app.close();
    });

    let n = 0;
    const activity = (over: Record<string, unknown> = {}) => ({
        externalId: `ext-${++n}`,
        type: 'meeting',
        ownerEmail: OWNER,
        subject: 'Quarterly review',
        startsAt: '2026-11-03T15:00:00Z',
        endsAt: '2026-11-03T16:00:00Z',
        participants: [
            { email: OWNER, role: 'organizer' },
            { email: contact.Email, name: 'Their contact', role: 'attendee' }
        ],
        ...over
    });
    const stored = async () =>
        Number(
            (
                await sql<{ n: number }>`select count(*) as n from activities where org_id = ${org.org.id}`.execute(
                    app.store.db
                )
            ).rows[0]!.n
        );
    const post = (body: unknown, headers?: Record<string, string>) =>
        app.call(org.apiKey, 'POST', '/v1/activities', body, headers);

    it('MATCH-4 an activity is matched against the pulled replica: the contact as WhoId, its account or opportunity as WhatId', async () => {
        const res = await post(activity());
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({ status: 'matched', created: true, transcript: 'none' });
        const got = await app.call(org.apiKey, 'GET', `/v1/activities/${res.body.id}`);
        expect(got.status).toBe(200);
        expect(got.body).toMatchObject({ externalId: res.body.externalId, source: 'api', ownerEmail: OWNER });
        expect(got.body.match.who).toEqual({ recordId: contact.Id, type: 'Contact', score: expect.any(Number) });
        // MATCH-9: the WhatId is the account or a deal of it; none only when the evidence is split
        // between deals, and then every opportunity and account candidate says so.
        if (got.body.match.what === null)
            for (const c of got.body.match.candidates.filter(
                (x: { type: string; rank: number | null }) =>
                    ['Account', 'Opportunity'].includes(x.type) && x.rank !== null
            ))
                expect(c.rankingReason).toMatch(/not picked: participants are contact roles on \d+ open opportunities/);
        else expect(['Account', 'Opportunity']).toContain(got.body.match.what.type);
        const why = await app.call(org.apiKey, 'GET', `/v1/activities/${res.body.id}/match`);
        expect(why.body).toEqual(got.body.match);
        const c = why.body.candidates.find((x: { recordId: string }) => x.recordId === contact.Id);
        expect(c).toMatchObject({ eligible: true, rank: expect.any(Number) });
        expect(c.signals).toContainEqual(expect.objectContaining({ name: 'participant_email', points: 60 }));
        const account = why.body.candidates.find((x: { recordId: string }) => x.recordId === contact.AccountId);
        expect(account.signals.map((s: { name: string }) => s.name)).toEqual(
            expect.arrayContaining(['contact_account', 'participant_domain'])
        );
    });

    it('MATCH-1 re-sending the same externalId updates the activity, never duplicates it', async () => {
        const body = activity();
        const first = await post(body);
        const before = await stored();
        const again = await post({ ...body, subject: 'Quarterly review (moved)' });
        expect(again.status).toBe(202);
        expect(again.body).toMatchObject({ id: first.body.id, created: false });
        expect(await stored()).toBe(before);
        const got = await app.call(org.apiKey, 'GET', `/v1/activities/${first.body.id}`);
        expect(got.body.subject).toBe('Quarterly review (moved)');
    });

    it('CP-4 Intake Data off: refused with 409 naming ownerEmail, nothing stored', async () => {
        const email = 'intake.off@demo.backstory.local';
        await insertUser(app.store.db, org.org.id, { email }); // the default profile: Intake Off (CP-9)
        const before = await stored();
        const res = await post(activity({ ownerEmail: email }));
        expect(res.status).toBe(409);
        expect(res.body.error).toMatchObject({ code: 'conflict', details: [{ path: 'ownerEmail' }] });
        expect(res.body.error.message).toMatch(/Intake Data is off/);
        expect(await stored()).toBe(before);
    });

    it('CP-4 Data-role and suspended owners are not captured', async () => {
        const data = 'data.role@demo.backstory.local';
        await insertUser(app.store.db, org.org.id, { email: data, role: 'data', profileId: profiles.full });
        const suspended = 'suspended@demo.backstory.local';
        const s = await insertUser(app.store.db, org.org.id, { email: suspended, profileId: profiles.full });
        await app.store.db.updateTable('users').set({ status: 'suspended' }).where('id', '=', s.id).execute();
        const before = await stored();
        const d = await post(activity({ ownerEmail: data }));
        expect(d.status).toBe(409);
        expect(d.body.error.message).toMatch(/Data role/);
        const x = await post(activity({ ownerEmail: suspended }));
        expect(x.status).toBe(409);
        expect(x.body.error.message).toMatch(/suspended/);
        expect(await stored()).toBe(before);
    });

    it('CP-4 Transcript Intake: WebVTT kept as text when on, dropped when off', async () => {
        const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Casey>Welcome everyone.\n';
        const on = await post(activity({ transcript: vtt }));
        expect(on.body.transcript).toBe('stored');
        expect((await app.call(org.apiKey, 'GET', `/v1/activities/${on.body.id}`)).body.transcript).toBe(
            'Casey: Welcome everyone.'
        );
        const email = 'no.transcripts@demo.backstory.local';
        await insertUser(app.store.db, org.org.id, { email, profileId: profiles.noTranscripts });
        const off = await post(activity({ ownerEmail: email, transcript: vtt }));
        expect(off.status).toBe(202);
        expect(off.body.transcript).toBe('dropped');
        expect((await app.call(org.apiKey, 'GET', `/v1/activities/${off.body.id}`)).body.transcript).toBeNull();
    });

    it('SEC-3 bad input names the field and stores nothing', async () => {
        const before = await stored();
        const unknown = await post(activity({ ownerEmail: 'nobody@nowhere.example.com' }));
        expect(unknown.status).toBe(400);
        expect(unknown.body.error.details).toEqual([
            { path: 'ownerEmail', message: expect.stringMatching(/no Backstory user/) }
        ]);
        const bad = await post(activity({ participants: [{ email: 'not-an-email' }], endsAt: '2026-11-03T14:00:00Z' }));
        expect(bad.status).toBe(400);
        expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
            'endsAt',
            'participants.0.email'
        ]);
        expect(await stored()).toBe(before);
    });

    it('CP-4 Display Data off hides the owner activity from every reader, admins included', async () => {
        const email = 'hidden@demo.backstory.local';
        await insertUser(app.store.db, org.org.id, { email, profileId: profiles.hidden });
        const res = await post(activity({ ownerEmail: email }));
        expect(res.status).toBe(202);
        expect((await app.call(org.apiKey, 'GET', `/v1/activities/${res.body.id}`)).status).toBe(404);
        expect((await app.call(org.apiKey, 'GET', `/v1/activities/${res.body.id}/match`)).status).toBe(404);
    });

    it('UT-12 readers see only the owners within their visibility', async () => {
        const own = await post(activity());
        const reader = await insertUser(app.store.db, org.org.id, {
            email: 'reader@demo.backstory.local',
            profileId: profiles.full
        });
        await app.store.db.updateTable('users').set({ visibility: 'individual' }).where('id', '=', reader.id).execute();
        const asReader = { 'x-acting-user': reader.salesforceUserId };
        const hidden = await app.call(org.apiKey, 'GET', `/v1/activities/${own.body.id}`, undefined, asReader);
        expect(hidden.status).toBe(404);
        await app.store.db.updateTable('users').set({ visibility: 'full' }).where('id', '=', reader.id).execute();
        expect((await app.call(org.apiKey, 'GET', `/v1/activities/${own.body.id}`, undefined, asReader)).status).toBe(
            200
        );
        // A member may submit only their own activity.
        expect((await post(activity(), asReader)).status).toBe(403);
    });

    it('MATCH-1 imports an .eml and an .ics; the owner is the first address that is a Backstory user', async () => {
        const eml = [
            'Message-ID: <import-1@demo.backstory.local>',
            'Date: Tue, 03 Nov 2026 10:15:00 +0000',
            `From: Casey Chen <${OWNER}>`,
            `To: ${contact.Email}`,
            'Subject: Proposal',
            '',
            'See attached.',
            ''
        ].join('\r\n');
        const res = await app.call(org.apiKey, 'POST', '/v1/activities/import', eml, {
            'content-type': 'message/rfc822'
        });
        expect(res.status).toBe(202);
        expect(res.body.items).toEqual([
            expect.objectContaining({ externalId: '<import-1@demo.backstory.local>', status: 'matched', created: true })
        ]);
        const again = await app.call(org.apiKey, 'POST', '/v1/activities/import', eml, {
            'content-type': 'message/rfc822'
        });
        expect(again.body.items[0]).toMatchObject({ id: res.body.items[0].id, created: false });
        const got = await app.call(org.apiKey, 'GET', `/v1/activities/${res.body.items[0].id}`);
        expect(got.body).toMatchObject({ type: 'email', source: 'eml', subject: 'Proposal', body: 'See attached.' });

        const ics = [
            'BEGIN:VCALENDAR',
            'VERSION:2.0',
            'PRODID:-//Test//EN',
            'BEGIN:VEVENT',
            'UID:import-ics-1',
            'DTSTAMP:20261101T090000Z',
            'DTSTART:20261105T140000Z',
            'DTEND:20261105T150000Z',
            'SUMMARY:Demo',
            `ORGANIZER:mailto:${OWNER}`,
            `ATTENDEE;CN=Them:mailto:${contact.Email}`,
            'END:VEVENT',
            'END:VCALENDAR',
            ''
        ].join('\r\n');
        const m = await app.call(org.apiKey, 'POST', '/v1/activities/import', ics, { 'content-type': 'text/calendar' });
        expect(m.status).toBe(202);
        expect(m.body.items[0]).toMatchObject({ externalId: 'import-ics-1', status: 'matched' });
    });

    it('MATCH-4 an imported .eml keeps its bulk and auto-reply headers: from a known contact, it matches nothing', async () => {
        // Real messages (test/fixtures/eml) sent from a contact's own address.
        const fixture = (name: string) =>
            readFileSync(path.join(__dirname, 'fixtures/eml', name), 'utf8').replaceAll(
                'ann.rivera@customer.example',
                contact.Email
            );
        const statuses: Record<string, string> = {};
        for (const name of [
            'list-unsubscribe.eml',
            'precedence-bulk.eml',
            'auto-submitted.eml',
            'customer-reply.eml'
        ]) {
            const res = await app.call(org.apiKey, 'POST', '/v1/activities/import', fixture(name), {
                'content-type': 'message/rfc822'
            });
            expect(res.status).toBe(202);
            statuses[name] = res.body.items[0].status;
            if (name === 'list-unsubscribe.eml') {
                const why = await app.call(org.apiKey, 'GET', `/v1/activities/${res.body.items[0].id}/match`);
                expect(why.body.who).toBeNull();
                expect(JSON.stringify(why.body.candidates)).toContain('bulk mail: List-Unsubscribe header');
            }
        }
        expect(statuses).toEqual({
            'list-unsubscribe.eml': 'unmatched',
            'precedence-bulk.eml': 'unmatched',
            'auto-submitted.eml': 'unmatched',
            'customer-reply.eml': 'matched'
        });
    });

    it('MATCH-1 a malformed .eml or .ics gets a 400 saying what is wrong; other types a 415', async () => {
        const before = await stored();
        const eml = await app.call(org.apiKey, 'POST', '/v1/activities/import', 'Subject: hi\r\n\r\nno sender\r\n', {
            'content-type': 'message/rfc822'
        });
        expect(eml.status).toBe(400);
        expect(eml.body.error.details).toEqual([{ path: 'From', message: expect.stringMatching(/missing/) }]);
        const ics = await app.call(org.apiKey, 'POST', '/v1/activities/import', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n', {
            'content-type': 'text/calendar'
        });
        expect(ics.status).toBe(400);
        expect(ics.body.error.message).toMatch(/iCalendar/);
        const other = await app.call(org.apiKey, 'POST', '/v1/activities/import', 'hello', {
            'content-type': 'text/plain'
        });
        expect(other.status).toBe(415);
        expect(await stored()).toBe(before);
    });

    it('MATCH-5 preview dry-runs an unsaved profile against a sample activity and stores nothing', async () => {
        const before = await stored();
        const base = activity();
        const saved = await app.call(org.apiKey, 'POST', '/v1/matching/preview', { activity: base });
        expect(saved.status).toBe(200);
        expect(saved.body.who.recordId).toBe(contact.Id);
        const noAccounts = await app.call(org.apiKey, 'POST', '/v1/matching/preview', {
            activity: base,
            profile: {
                matching: {
                    minScore: 50,
                    eligibility: {
                        Opportunity: { mode: 'filtered', groups: [] },
                        Account: { mode: 'filtered', groups: [] },
                        Lead: { mode: 'all', groups: [] }
                    },
                    rankingGroups: []
                }
            }
        });
        expect(noAccounts.status).toBe(200);
        expect(noAccounts.body.what).toBeNull();
        expect(noAccounts.body.candidates.filter((c: { eligible: boolean }) => !c.eligible).length).toBeGreaterThan(0);
        const invalidProfile = await app.call(org.apiKey, 'POST', '/v1/matching/preview', {
            activity: base,
            profile: { matching: { minScore: 500 } }
        });
        expect(invalidProfile.status).toBe(400);
        expect(await stored()).toBe(before);
    });

    it('MATCH-2 changes pulled later reach matching (the in-memory index follows the pull)', async () => {
        const moved = 'moved.contact@brand-new.example.com';
        await admin.sobject('Contact').update({ Id: contact.Id, Email: moved });
        const before = await post(activity({ participants: [{ email: moved }] }));
        expect(before.body.status).toBe('unmatched');
        expect((await app.call(org.apiKey, 'POST', '/v1/crm/pull')).status).toBe(200);
        const after = await post(activity({ participants: [{ email: moved }] }));
        const got = await app.call(org.apiKey, 'GET', `/v1/activities/${after.body.id}`);
        expect(got.body.match.who.recordId).toBe(contact.Id);
        contact.Email = moved;
    });
});
