import type { Connection } from '@jsforce/jsforce-node';
import { BUDGET_REASON, notifyMeeting, runCompletedMeetings } from '../src/services/notifications';
import { meetingNotificationsSettled } from '../src/services/rep-write-back';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { contactWithAccount, startTestEmulator, type TestEmulator } from './helpers/emulator';
import { insertUser } from './helpers/users';
import { ACTIVITY_SYNC_ON } from './helpers/profiles';

// Reps in Lightning against the emulator: meeting notifications (CP-7, MATCH-8), follow-up
// questions and answers written to the Event (MATCH-8), the activity list (MATCH-11) and Edit
// Match (MATCH-10).

const REP = 'sam.patel@demo.backstory.local';
const TEAMMATE = 'taylor.brooks@demo.backstory.local';
const OTHER = 'alex.kim@demo.backstory.local';

jest.setTimeout(90_000);

describe('reps in Lightning: notifications, follow-ups, activity list and Edit Match', () => {
    let app: TestApp;
    let sf: TestEmulator;
    let org: TestOrg;
    let admin: Connection;
    let profileId: string;
    let users: Record<string, { id: string; salesforceUserId: string }>;
    let contact: { Id: string; Email: string; AccountId: string };
    let otherOpp: { Id: string; Name: string };

    const as = (email: string) => ({ 'x-acting-user': users[email]!.salesforceUserId });
    const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
        app.call(org.apiKey, method, path, body, headers);

    beforeAll(async () => {
        app = await startTestApp();
        sf = await startTestEmulator();
        org = await app.newOrg('Reps org', sf.integrationAuth);
        admin = await sf.login('admin@demo.backstory.local');
        expect((await call('POST', '/v1/crm/pull')).status).toBe(200);
        const res = await call('POST', '/v1/profiles', {
            name: 'Reps',
            activity: ACTIVITY_SYNC_ON,
            notifications: {
                meetingCategoryField: 'Event.Type',
                onMeetingCreated: 'owner',
                onMeetingCompleted: 'all_participants',
                followUpQuestions: [
                    { category: 'Meeting', text: 'What are the next steps?', field: 'Event.peopleai__Next_Steps__c' },
                    { category: 'Meeting', text: 'How did it go?', field: 'Event.peopleai__Meeting_Outcome__c' },
                    { category: 'Meeting', text: 'Show the time as', field: 'Event.ShowAs' },
                    { category: 'Call', text: 'Call notes', field: 'Event.Description' }
                ]
            }
        });
        expect(res.body.error).toBeUndefined();
        profileId = res.body.id;
        users = {};
        for (const email of [REP, TEAMMATE, OTHER])
            users[email] = await insertUser(app.store.db, org.org.id, {
                email,
                profileId,
                salesforceUserId: sf.emu.admin.userId(email)
            });
        await app.store.db
            .updateTable('users')
            .set({ visibility: 'individual' })
            .where('id', '=', users[OTHER]!.id)
            .execute();
        contact = await contactWithAccount(admin);
        otherOpp = (
            await admin.query<{ Id: string; Name: string }>(
                `SELECT Id, Name FROM Opportunity WHERE AccountId != '${contact.AccountId}' ORDER BY Name LIMIT 1`
            )
        ).records[0]!;
    }, 240_000);
    afterAll(async () => {
        await sf.close();
        await app.close();
    });

    /** Run the write-back outbox now (MATCH-6) and let the `created` notifications it triggers go out. */
    const flush = async () => {
        expect((await call('POST', '/v1/writeback/flush')).status).toBe(200);
        await meetingNotificationsSettled();
    };

    let n = 0;
    /** A meeting of the rep with the contact and the teammate, `hoursAgo` hours in the past. */
    const meeting = async (hoursAgo = 2, over: Record<string, unknown> = {}) => {
        const start = new Date(Date.now() - hoursAgo * 3_600_000);
        const res = await call('POST', '/v1/activities', {
            externalId: `fu-${++n}-${Date.now()}`,
            type: 'meeting',
            ownerEmail: REP,
            subject: `Pipeline review ${n}`,
            startsAt: start.toISOString(),
            endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
            participants: [
                { email: REP, role: 'organizer' },
                { email: TEAMMATE, role: 'attendee' },
                { email: contact.Email, role: 'attendee' }
            ],
            ...over
        });
        expect(res.status).toBe(202);
        await flush();
        return res.body.id as string;
    };
    const event = async (activityId: string) =>
        (
            await admin.query<Record<string, unknown>>(
                `SELECT Id, WhoId, WhatId, Type, ShowAs, peopleai__Next_Steps__c, peopleai__Meeting_Outcome__c FROM Event WHERE peopleai__Activity_Id__c = '${activityId}'`
            )
        ).records;
    const notificationsOf = (eventOrActivity: string) =>
        sf.emu.admin
            .notifications()
            .filter((x) => x.targetId === eventOrActivity || (x.targetPageRef ?? '').includes(eventOrActivity));
    const followUpOf = async (email: string, activityId: string) => {
        const res = await call('GET', `/v1/follow-ups?activityId=${activityId}`, undefined, as(email));
        expect(res.status).toBe(200);
        return res.body.items[0];
    };

    it('CP-7 a written meeting notifies its owner only when the profile says Owner Only, targeting the Event', async () => {
        const id = await meeting(-24); // tomorrow: not completed yet
        const [ev] = await event(id);
        expect(ev).toBeDefined();
        const sent = notificationsOf(ev!.Id as string);
        expect(sent).toHaveLength(1);
        expect(sent[0]!.recipientIds).toEqual([users[REP]!.salesforceUserId]);
        expect(sent[0]!.title).toContain('Pipeline review');
    });

    it('CP-7 MATCH-8 after the meeting ends, every participant who is a linked user gets a follow-up and one notification deep-linking to it', async () => {
        const id = await meeting(3);
        const result = await runCompletedMeetings(app.deps, org.org.id);
        expect(result.followUps).toBeGreaterThanOrEqual(2);
        const sent = sf.emu.admin.notifications().filter((x) => (x.targetPageRef ?? '').includes(id));
        expect(sent).toHaveLength(1);
        expect(new Set(sent[0]!.recipientIds)).toEqual(
            new Set([users[REP]!.salesforceUserId, users[TEAMMATE]!.salesforceUserId])
        );
        const ref = JSON.parse(sent[0]!.targetPageRef!) as { attributes: { apiName: string }; state: object };
        expect(ref.attributes.apiName).toBe('peopleai__Backstory_Follow_Ups');
        expect(ref.state).toEqual({ c__activityId: id });
        expect(await followUpOf(REP, id)).toMatchObject({ activityId: id, status: 'open' });
        expect(await followUpOf(TEAMMATE, id)).toMatchObject({ activityId: id, status: 'open' });
        expect(await followUpOf(OTHER, id)).toBeUndefined();
    });

    it('CP-7 each notification is sent once, whatever retries and concurrent runs do', async () => {
        const id = await meeting(5);
        const [ev] = await event(id);
        const runs = await Promise.all([
            runCompletedMeetings(app.deps, org.org.id),
            runCompletedMeetings(app.deps, org.org.id),
            notifyMeeting(app.deps, org.org.id, id, 'created', ev!.Id as string),
            notifyMeeting(app.deps, org.org.id, id, 'completed', null)
        ]);
        expect(runs).toHaveLength(4);
        await runCompletedMeetings(app.deps, org.org.id);
        // Re-sending the meeting rewrites its Event, never a second notification.
        const completed = sf.emu.admin.notifications().filter((x) => (x.targetPageRef ?? '').includes(id));
        const created = notificationsOf(ev!.Id as string).filter((x) => x.targetId);
        expect(completed).toHaveLength(1);
        expect(created).toHaveLength(1);
    });

    it('MATCH-13 notifications count against the API budget: past it they wait as deferred with the reason (status waiting) and go out once it allows', async () => {
        const status = async () => (await call('GET', '/v1/writeback/status')).body;
        const notificationRow = (activityId: string) =>
            app.store.db
                .selectFrom('meeting_notifications')
                .select(['state', 'last_error'])
                .where('org_id', '=', org.org.id)
                .where('activity_id', '=', activityId)
                .where('kind', '=', 'completed')
                .executeTakeFirst();
        // Every notification call is reserved in the budget the write-back uses.
        const counted = await meeting(7);
        const used0 = (await status()).budget.usedByBackstoryToday as number;
        const calls0 = sf.emu.admin.apiCalls();
        const sent = await runCompletedMeetings(app.deps, org.org.id);
        expect(sent.sent).toBeGreaterThanOrEqual(1);
        expect(notificationsOf(counted)).toHaveLength(1);
        const used1 = (await status()).budget.usedByBackstoryToday as number;
        expect(used1 - used0).toBe(sf.emu.admin.apiCalls() - calls0);
        expect(used1).toBeGreaterThan(used0);

        const first = await meeting(9);
        const second = await meeting(8);
        const limitBefore = (await admin.limits()).DailyApiRequests!;
        try {
            // Three calls left today: the first notification's Sforce-Limit-Info tells the budget so,
            // and the next one waits.
            sf.emu.admin.setApiLimit(sf.emu.admin.apiCalls() + 3);
            const run = await runCompletedMeetings(app.deps, org.org.id);
            expect(run).toMatchObject({ sent: 1, deferred: 1 });
            expect(notificationsOf(first)).toHaveLength(1);
            expect(notificationsOf(second)).toHaveLength(0);
            expect(await notificationRow(second)).toEqual({ state: 'deferred', last_error: BUDGET_REASON });
            expect(await status()).toMatchObject({ deferredNotifications: 1, budget: { waiting: true } });
            // Still past it: nothing is sent, and a send attempt does not count as one.
            const calls1 = sf.emu.admin.apiCalls();
            expect(await notifyMeeting(app.deps, org.org.id, second, 'completed', null)).toBe('deferred');
            expect(sf.emu.admin.apiCalls()).toBe(calls1);

            sf.emu.admin.setApiLimit(limitBefore.Max);
            const resumed = await runCompletedMeetings(app.deps, org.org.id);
            expect(resumed).toMatchObject({ sent: 1, deferred: 0 });
            expect(notificationsOf(second)).toHaveLength(1);
            expect(await notificationRow(second)).toMatchObject({ state: 'sent', last_error: null });
            expect(await status()).toMatchObject({ deferredNotifications: 0, budget: { waiting: false } });
        } finally {
            sf.emu.admin.setApiLimit(limitBefore.Max);
        }
    });

    it('MATCH-8 questions carry the describe: label, type, picklist values, length and the categories', async () => {
        const id = await meeting(6);
        await runCompletedMeetings(app.deps, org.org.id);
        const fu = await followUpOf(REP, id);
        expect(fu.categoryField).toBe('Event.Type');
        expect(fu.categories).toEqual(expect.arrayContaining(['Call', 'Meeting']));
        const byText = Object.fromEntries(fu.questions.map((q: { text: string }) => [q.text, q]));
        expect(byText['What are the next steps?']).toMatchObject({ label: 'Next Steps', type: 'textarea' });
        expect(byText['How did it go?']).toMatchObject({ label: 'Meeting Outcome', type: 'string', maxLength: 255 });
        expect(byText['Show the time as']).toMatchObject({
            type: 'picklist',
            picklistValues: expect.arrayContaining(['Busy', 'Free'])
        });
        expect(byText['Call notes']).toMatchObject({ type: 'textarea', category: 'Call', required: false });
        const list = await call('GET', '/v1/follow-ups?status=open', undefined, as(REP));
        expect(list.body.openCount).toBeGreaterThanOrEqual(1);
        const starts = list.body.items.map((x: { meeting: { startsAt: string } }) => x.meeting.startsAt);
        expect(starts).toEqual([...starts].sort().reverse());
    });

    it('MATCH-8 an answer outside the picklist is refused with 400 naming the question, and nothing is stored', async () => {
        const id = await meeting(7);
        await runCompletedMeetings(app.deps, org.org.id);
        const fu = await followUpOf(REP, id);
        const q = (text: string) => fu.questions.find((x: { text: string }) => x.text === text).id;
        const res = await call(
            'POST',
            `/v1/follow-ups/${fu.id}/answers`,
            {
                category: 'Meeting',
                answers: [
                    { questionId: q('Show the time as'), value: 'Sleeping' },
                    { questionId: q('How did it go?'), value: 'x'.repeat(300) }
                ]
            },
            as(REP)
        );
        expect(res.status).toBe(400);
        expect(res.body.error.details).toEqual([
            { path: 'answers.0.value', message: expect.stringContaining('"Show the time as"') },
            { path: 'answers.1.value', message: expect.stringContaining('at most 255') }
        ]);
        expect(res.body.error.details[0].message).toContain('Sleeping is not a value of the picklist');
        const badCategory = await call(
            'POST',
            `/v1/follow-ups/${fu.id}/answers`,
            { category: 'Dinner', answers: [] },
            as(REP)
        );
        expect(badCategory.status).toBe(400);
        expect(badCategory.body.error.details[0].path).toBe('category');
        expect(await followUpOf(REP, id)).toMatchObject({ status: 'open', category: null, answers: [] });
        const [ev] = await event(id);
        expect(ev!.ShowAs).not.toBe('Sleeping');
    });

    it("MATCH-8 good answers and the category are written to the Event; only the follow-up's user may answer", async () => {
        const id = await meeting(8);
        await runCompletedMeetings(app.deps, org.org.id);
        const fu = await followUpOf(REP, id);
        const q = (text: string) => fu.questions.find((x: { text: string }) => x.text === text).id;
        const body = {
            category: 'Meeting',
            answers: [
                { questionId: q('What are the next steps?'), value: 'Send the proposal by Friday' },
                { questionId: q('How did it go?'), value: 'Well' },
                { questionId: q('Show the time as'), value: 'Free' }
            ]
        };
        const stranger = await call('POST', `/v1/follow-ups/${fu.id}/answers`, body, as(TEAMMATE));
        expect(stranger.status).toBe(404);
        const res = await call('POST', `/v1/follow-ups/${fu.id}/answers`, body, as(REP));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'answered', category: 'Meeting' });
        await flush(); // write_answers goes through the outbox
        const [ev] = await event(id);
        expect(ev).toMatchObject({
            Type: 'Meeting',
            ShowAs: 'Free',
            peopleai__Next_Steps__c: 'Send the proposal by Friday',
            peopleai__Meeting_Outcome__c: 'Well'
        });
        expect(await event(id)).toHaveLength(1);
    });

    it('MATCH-11 lists a record’s activities newest first, within the caller’s visibility', async () => {
        const id = await meeting(9);
        const res = await call('GET', `/v1/activities?recordId=${contact.AccountId}`, undefined, as(REP));
        expect(res.status).toBe(200);
        const item = res.body.items.find((x: { id: string }) => x.id === id);
        expect(item).toMatchObject({
            who: { recordId: contact.Id, type: 'Contact' },
            sync: { state: 'written', salesforceId: expect.any(String) },
            canEditMatch: true
        });
        const starts = res.body.items.map((x: { startsAt: string }) => x.startsAt);
        expect(starts).toEqual([...starts].sort().reverse());
        const individual = await call('GET', `/v1/activities?recordId=${contact.AccountId}`, undefined, as(OTHER));
        expect(individual.status).toBe(200);
        expect(individual.body.items).toEqual([]);
        const page = await call('GET', `/v1/activities?ownerId=${users[REP]!.id}&limit=1`, undefined, as(TEAMMATE));
        expect(page.body.items).toHaveLength(1);
        expect(page.body.items[0].canEditMatch).toBe(false);
        const next = await call(
            'GET',
            `/v1/activities?ownerId=${users[REP]!.id}&limit=1&cursor=${page.body.nextCursor}`,
            undefined,
            as(TEAMMATE)
        );
        expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
        const bad = await call('GET', '/v1/activities?recordId=not-an-id', undefined, as(REP));
        expect(bad.status).toBe(400);
        expect(bad.body.error.details[0].path).toBe('query.recordId');
    });

    it('MATCH-10 Edit Match changes the Event’s WhatId in Salesforce and survives a CRM pull and a rematch', async () => {
        const externalId = `edit-${Date.now()}`;
        const id = await meeting(10, { externalId });
        const denied = await call('PUT', `/v1/activities/${id}/match`, { whatId: otherOpp.Id }, as(TEAMMATE));
        expect(denied.status).toBe(403);
        const search = await call(
            'GET',
            `/v1/crm/records?q=${encodeURIComponent(otherOpp.Name.slice(0, 6))}&type=Opportunity`,
            undefined,
            as(REP)
        );
        expect(search.status).toBe(200);
        expect(search.body.items.map((x: { recordId: string }) => x.recordId)).toContain(otherOpp.Id);
        const res = await call('PUT', `/v1/activities/${id}/match`, { whatId: otherOpp.Id }, as(REP));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
            what: { recordId: otherOpp.Id, type: 'Opportunity' },
            match: { override: true, what: { recordId: otherOpp.Id } }
        });
        await flush();
        expect((await event(id))[0]!.WhatId).toBe(otherOpp.Id);

        expect((await call('POST', '/v1/crm/pull')).status).toBe(200);
        // Re-sending the meeting rematches it; the override stays.
        await meeting(10, { externalId });
        const got = await call('GET', `/v1/activities/${id}`);
        expect(got.body.match).toMatchObject({ override: true, what: { recordId: otherOpp.Id } });
        expect((await event(id))[0]!.WhatId).toBe(otherOpp.Id);
        const audit = await call('GET', `/v1/audit?entity=activity&id=${id}`);
        expect(audit.status).toBe(200);
        expect(audit.body.items[0]).toMatchObject({ action: 'update', after: { override: true } });
    });

    it('MATCH-10 a lead as WhoId refuses a WhatId, a record of the wrong type is named, nothing changes', async () => {
        const id = await meeting(11);
        const lead = (await admin.query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false LIMIT 1'))
            .records[0]!;
        const both = await call('PUT', `/v1/activities/${id}/match`, { whoId: lead.Id, whatId: otherOpp.Id }, as(REP));
        expect(both.status).toBe(400);
        expect(both.body.error.details[0].path).toBe('whatId');
        const wrong = await call('PUT', `/v1/activities/${id}/match`, { whoId: otherOpp.Id }, as(REP));
        expect(wrong.status).toBe(400);
        expect(wrong.body.error.details[0]).toMatchObject({ path: 'whoId' });
        const got = await call('GET', `/v1/activities/${id}`);
        expect(got.body.match.override).toBe(false);
        const ok = await call('PUT', `/v1/activities/${id}/match`, { whoId: lead.Id, whatId: null }, as(REP));
        expect(ok.status).toBe(200);
        await flush();
        const [ev] = await event(id);
        expect(ev).toMatchObject({ WhoId: lead.Id, WhatId: null });
    });
});
