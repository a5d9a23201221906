import type { Connection } from '@jsforce/jsforce-node';
import { sql } from 'kysely';
import { startJobs, type Jobs } from '../src/jobs';
import {
    enqueueActivityWrite,
    enqueueFieldWrite,
    writebackEvents,
    writtenRecord,
    type WrittenEvent
} from '../src/services/writeback';
import { flushWriteback } from '../src/services/writeback-flush';
import { setActivityMatch } from '../src/store/activities';
import { claimItems, extendLeases } from '../src/store/outbox';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { contactWithAccount, startTestEmulator, type TestEmulator } from './helpers/emulator';
import { insertUser } from './helpers/users';
import { ACTIVITY_SYNC_ON } from './helpers/profiles';

const OWNER = 'casey.chen@demo.backstory.local';

interface Sf {
    Id: string;
    [k: string]: unknown;
}

describe('write-back: matched activities land in Salesforce through the outbox (MATCH-6, 7, 12, 13; PERM-7)', () => {
    let app: TestApp;
    let sf: TestEmulator;
    let org: TestOrg;
    let admin: Connection;
    let contact: { Id: string; Email: string; AccountId: string };
    let ownerSfId: string;
    let spareUsers: string[] = [];
    let n = 0;

    const profile = async (o: TestOrg, name: string, activity: Record<string, boolean>) => {
        const res = await app.call(o.apiKey, 'POST', '/v1/profiles', { name, activity });
        expect(res.status).toBe(201);
        return res.body.id as string;
    };
    const owner = async (o: TestOrg, email: string, activity: Record<string, boolean>) => {
        const profileId = await profile(o, `Profile of ${email}`, activity);
        // Each Backstory user of an org links to a different Salesforce user.
        const salesforceUserId = email === OWNER ? sf.emu.admin.userId(OWNER) : spareUsers.shift();
        expect(salesforceUserId).toBeDefined();
        await insertUser(app.store.db, o.org.id, { email, profileId, salesforceUserId: salesforceUserId! });
    };
    const meeting = (over: Record<string, unknown> = {}) => ({
        externalId: `wb-${++n}`,
        type: 'meeting',
        ownerEmail: OWNER,
        subject: `Quarterly review ${n}`,
        startsAt: '2026-11-03T15:00:00Z',
        endsAt: '2026-11-03T16:00:00Z',
        participants: [
            { email: OWNER, role: 'organizer' },
            { email: contact.Email, name: 'Their contact', role: 'attendee' }
        ],
        ...over
    });
    const post = async (o: TestOrg, body: unknown) => {
        const res = await app.call(o.apiKey, 'POST', '/v1/activities', body);
        expect(res.status).toBe(202);
        return res.body.id as string;
    };
    const flush = async (o: TestOrg = org) => {
        const res = await app.call(o.apiKey, 'POST', '/v1/writeback/flush');
        expect(res.status).toBe(200);
        return res.body as { written: number; parked: number; pending: number; apiCalls: number; waiting: boolean };
    };
    const written = async (sobject: 'Event' | 'Task', activityId: string) =>
        (
            await admin.query<Sf>(
                `SELECT Id, Subject, WhoId, WhatId, OwnerId, ActivityDate, peopleai__Created_by_PeopleAI__c${
                    sobject === 'Task' ? ', Status, TaskSubtype' : ', StartDateTime, EndDateTime, Type'
                } FROM ${sobject} WHERE peopleai__Activity_Id__c = '${activityId}'`
            )
        ).records;
    const items = async (o: TestOrg, query: string) => {
        const res = await app.call(o.apiKey, 'GET', `/v1/writeback/items?${query}`);
        expect(res.status).toBe(200);
        return res.body.items as {
            id: string;
            operation: string;
            state: string;
            recordId: string | null;
            attempts: number;
            lastError: { code: string; message: string; remedy: string | null } | null;
        }[];
    };
    const due = (o: TestOrg) =>
        sql`update writeback_items set next_attempt_at = now() where org_id = ${o.org.id} and state = 'pending'`.execute(
            app.store.db
        );

    beforeAll(async () => {
        app = await startTestApp();
        sf = await startTestEmulator();
        org = await app.newOrg('Write-back org', sf.integrationAuth);
        admin = await sf.login('admin@demo.backstory.local');
        expect((await app.call(org.apiKey, 'POST', '/v1/crm/pull')).status).toBe(200);
        ownerSfId = sf.emu.admin.userId(OWNER);
        spareUsers = (
            await admin.query<Sf>(
                "SELECT Id FROM User WHERE IsActive = true AND UserType = 'Standard' ORDER BY Username"
            )
        ).records
            .map((u) => u.Id)
            .filter((id) => id !== ownerSfId);
        await owner(org, OWNER, ACTIVITY_SYNC_ON);
        contact = await contactWithAccount(admin);
    }, 300_000);
    afterAll(async () => {
        await sf.close();
        await app.close();
    });
    afterEach(() => sf.emu.admin.clearFaults());

    it('MATCH-12 a meeting becomes an Event upserted on peopleai__Activity_Id__c with the match, owner and times; sync says written', async () => {
        const id = await post(org, meeting());
        const before = await app.call(org.apiKey, 'GET', `/v1/activities/${id}`);
        expect(before.body.sync).toEqual({ state: 'pending', salesforceId: null, reason: null });
        const result = await flush();
        if (result.parked) console.log(JSON.stringify(await items(org, 'state=parked')));
        expect(result).toMatchObject({ parked: 0, waiting: false });
        expect(result.written).toBeGreaterThanOrEqual(1);
        const [event, ...more] = await written('Event', id);
        expect(more).toHaveLength(0);
        const match = before.body.match;
        expect(event).toMatchObject({
            Subject: before.body.subject,
            WhoId: contact.Id,
            WhatId: match.what?.recordId ?? null,
            OwnerId: ownerSfId,
            peopleai__Created_by_PeopleAI__c: true
        });
        expect(new Date(String(event!.StartDateTime)).toISOString()).toBe('2026-11-03T15:00:00.000Z');
        expect(new Date(String(event!.EndDateTime)).toISOString()).toBe('2026-11-03T16:00:00.000Z');
        const after = await app.call(org.apiKey, 'GET', `/v1/activities/${id}`);
        expect(after.body.sync).toEqual({ state: 'written', salesforceId: event!.Id, reason: null });
        expect(await writtenRecord(app.deps, { orgId: org.org.id, actor: 't' }, id)).toMatchObject({
            sobject: 'Event',
            recordId: event!.Id
        });
    });

    it('MATCH-6 re-sending an activity updates its Event, never a second one', async () => {
        const body = meeting();
        const id = await post(org, body);
        await flush();
        const [first] = await written('Event', id);
        expect(await post(org, { ...body, subject: 'Moved to Thursday' })).toBe(id);
        expect((await app.call(org.apiKey, 'GET', `/v1/activities/${id}`)).body.sync.state).toBe('pending');
        await flush();
        const events = await written('Event', id);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ Id: first!.Id, Subject: 'Moved to Thursday' });
        // One outbox row per org, activity and operation.
        expect((await items(org, `activityId=${id}`)).filter((i) => i.operation === 'upsert_event')).toHaveLength(1);
    });

    it('MATCH-12 an email becomes a completed Task of subtype Email; a re-send rewrites it', async () => {
        const body = meeting({ type: 'email', endsAt: undefined, subject: 'Pricing follow-up' });
        const id = await post(org, body);
        await flush();
        const [task] = await written('Task', id);
        expect(task).toMatchObject({
            Status: 'Completed',
            TaskSubtype: 'Email',
            WhoId: contact.Id,
            ActivityDate: '2026-11-03'
        });
        await post(org, { ...body, subject: 'Pricing follow-up (2)' });
        await flush();
        const tasks = await written('Task', id);
        expect(tasks).toHaveLength(1);
        expect(tasks[0]).toMatchObject({ Id: task!.Id, Subject: 'Pricing follow-up (2)', TaskSubtype: 'Email' });
    });

    it('CP-4 Push Data off writes nothing: sync is skipped naming the toggle', async () => {
        const email = 'push.off@demo.backstory.local';
        await owner(org, email, { ...ACTIVITY_SYNC_ON, pushData: false });
        const id = await post(org, meeting({ ownerEmail: email }));
        await flush();
        expect(await written('Event', id)).toHaveLength(0);
        const got = await app.call(org.apiKey, 'GET', `/v1/activities/${id}`);
        expect(got.body.sync.state).toBe('skipped');
        expect(got.body.sync.reason).toMatch(/Push Data is off/);
    });

    it('CP-4 Meeting Sync off skips meetings and Email Sync off skips emails, naming the toggle', async () => {
        const email = 'meetings.off@demo.backstory.local';
        await owner(org, email, { ...ACTIVITY_SYNC_ON, meetingSync: false });
        const m = await post(org, meeting({ ownerEmail: email }));
        const e = await post(org, meeting({ ownerEmail: email, type: 'email' }));
        await flush();
        expect(await written('Event', m)).toHaveLength(0);
        expect((await app.call(org.apiKey, 'GET', `/v1/activities/${m}`)).body.sync.reason).toMatch(
            /Meeting Sync is off/
        );
        expect(await written('Task', e)).toHaveLength(1);
    });

    it('PERM-7 a validation rule parks the item with the remedy; a retry after clearing it writes', async () => {
        sf.emu.admin.injectFault({
            kind: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            object: 'Event',
            count: 50,
            message: 'Meetings need a next step',
            field: 'Description'
        });
        const id = await post(org, meeting());
        const result = await flush();
        expect(result.parked).toBeGreaterThanOrEqual(1);
        const [parked] = (await items(org, `activityId=${id}`)).filter((i) => i.operation === 'upsert_event');
        expect(parked).toMatchObject({ state: 'parked', lastError: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' } });
        expect(parked!.lastError!.remedy).toContain("$Profile.Name != 'Backstory Integration User'");
        const sync = (await app.call(org.apiKey, 'GET', `/v1/activities/${id}`)).body.sync;
        expect(sync.state).toBe('parked');
        expect(sync.reason).toContain('Meetings need a next step');
        expect(await written('Event', id)).toHaveLength(0);
        // Retrying only applies to parked items; an unknown id is 404.
        expect((await app.call(org.apiKey, 'POST', '/v1/writeback/items/nope/retry')).status).toBe(404);

        sf.emu.admin.clearFaults();
        const retry = await app.call(org.apiKey, 'POST', `/v1/writeback/items/${parked!.id}/retry`);
        expect(retry.status).toBe(202);
        await flush();
        expect(await written('Event', id)).toHaveLength(1);
        expect((await app.call(org.apiKey, 'POST', `/v1/writeback/items/${parked!.id}/retry`)).status).toBe(409);
    });

    it('MATCH-7 one bad record in a collection never fails its neighbours', async () => {
        const ids = [await post(org, meeting()), await post(org, meeting()), await post(org, meeting())];
        sf.emu.admin.injectFault({ kind: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', object: 'Event', count: 1 });
        sf.emu.admin.clearRequestLog();
        await flush();
        const counts = await Promise.all(ids.map(async (id) => (await written('Event', id)).length));
        expect(counts.sort()).toEqual([0, 1, 1]);
        // All three went in one collection call.
        const upserts = sf.emu.admin
            .requestLog()
            .filter(
                (r) => r.method === 'PATCH' && r.path.includes('/composite/sobjects/Event/peopleai__Activity_Id__c')
            );
        expect(upserts).toHaveLength(1);
    });

    it('MATCH-7 transient errors (UNABLE_TO_LOCK_ROW, SERVER_ERROR, REQUEST_LIMIT_EXCEEDED) are retried with backoff; an expired session is refreshed', async () => {
        const id = await post(org, meeting());
        sf.emu.admin.injectFault({ kind: 'UNABLE_TO_LOCK_ROW', object: 'Event', operation: 'upsert', count: 1 });
        await flush();
        let [item] = (await items(org, `activityId=${id}`)).filter((i) => i.operation === 'upsert_event');
        expect(item).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'UNABLE_TO_LOCK_ROW' } });
        expect((await app.call(org.apiKey, 'GET', `/v1/activities/${id}`)).body.sync.reason).toMatch(/retrying/);
        // Backed off into the future: a flush now leaves it alone. (The first backoff is 1–2 s, which a
        // busy machine can outlast between two flushes: the test pins the due time an hour ahead.)
        await sql`update writeback_items set next_attempt_at = now() + interval '1 hour' where id = ${item!.id}`.execute(
            app.store.db
        );
        await flush();
        expect(await written('Event', id)).toHaveLength(0);

        for (const kind of ['SERVER_ERROR', 'REQUEST_LIMIT_EXCEEDED'] as const) {
            await due(org);
            sf.emu.admin.injectFault({ kind, object: 'Event', operation: 'upsert', count: 1 });
            await flush();
            [item] = (await items(org, `activityId=${id}`)).filter((i) => i.operation === 'upsert_event');
            expect(item!.state).toBe('pending');
        }
        expect(item!.attempts).toBe(3);
        await due(org);
        sf.emu.admin.injectFault({ kind: 'SESSION_EXPIRED', object: 'Event', operation: 'upsert', count: 1 });
        await flush();
        expect(await written('Event', id)).toHaveLength(1);
    });

    it('MATCH-7 a deleted WhatId: rematch and one retry', async () => {
        // A meeting with a contact whose match has a WhatId (MATCH-9 leaves it empty when unsure).
        const candidates = (
            await admin.query<Sf>('SELECT Email FROM Contact WHERE AccountId != null AND Email != null LIMIT 30')
        ).records;
        let id = '';
        let before: { match: { what: { recordId: string; type: string } | null } } = { match: { what: null } };
        for (const c of candidates) {
            id = await post(org, meeting({ participants: [{ email: OWNER }, { email: String(c.Email) }] }));
            before = (await app.call(org.apiKey, 'GET', `/v1/activities/${id}`)).body;
            if (before.match.what) break;
        }
        expect(before.match.what).not.toBeNull();
        const gone = before.match.what!.recordId;
        // Deleted in Salesforce after the pull: the replica does not know yet.
        await admin.sobject(before.match.what!.type).destroy(gone);
        await flush();
        const [event] = await written('Event', id);
        expect(event).toBeDefined();
        expect(event!.WhatId).not.toBe(gone);
        const after = (await app.call(org.apiKey, 'GET', `/v1/activities/${id}`)).body;
        expect(after.match.what?.recordId ?? null).not.toBe(gone);
        expect(after.sync.state).toBe('written');
        expect(event!.WhatId ?? null).toBe(after.match.what?.recordId ?? null);
    });

    it('MATCH-12 Contact Creation: an unknown participant of a known account becomes a Contact and the WhoId', async () => {
        const email = 'creator@demo.backstory.local';
        await owner(org, email, { ...ACTIVITY_SYNC_ON, contactCreation: true });
        const account = (
            await admin.query<Sf>('SELECT Id, Website FROM Account WHERE Website != null ORDER BY Name LIMIT 1')
        ).records[0]!;
        const domain = String(account.Website)
            .replace(/^https?:\/\//, '')
            .replace(/^www\./, '')
            .replace(/\/.*$/, '');
        const guest = `nia.park.${n}@${domain}`;
        const id = await post(
            org,
            meeting({ ownerEmail: email, participants: [{ email }, { email: guest, name: 'Nia Park' }] })
        );
        await flush();
        const created = (
            await admin.query<Sf>(`SELECT Id, FirstName, LastName, AccountId FROM Contact WHERE Email = '${guest}'`)
        ).records;
        expect(created).toHaveLength(1);
        expect(created[0]).toMatchObject({ FirstName: 'Nia', LastName: 'Park', AccountId: account.Id });
        const activity = (await app.call(org.apiKey, 'GET', `/v1/activities/${id}`)).body;
        expect(activity.match.who).toMatchObject({ recordId: created[0]!.Id, type: 'Contact' });
        expect((await written('Event', id))[0]).toMatchObject({ WhoId: created[0]!.Id });
        // Sent again: the contact exists, none is created twice.
        await post(
            org,
            meeting({ externalId: `again-${id}`, ownerEmail: email, participants: [{ email }, { email: guest }] })
        );
        await flush();
        expect((await admin.query<Sf>(`SELECT Id FROM Contact WHERE Email = '${guest}'`)).records).toHaveLength(1);
    });

    it('MATCH-12 Contact Role Creation: the matched contact gets a role on the written opportunity', async () => {
        const email = 'roles@demo.backstory.local';
        await owner(org, email, { ...ACTIVITY_SYNC_ON, contactRoleCreation: true });
        // A contact without roles whose account has an open opportunity.
        const contacts = (
            await admin.query<Sf>(
                'SELECT Id, Email, AccountId FROM Contact WHERE AccountId != null AND Email != null ORDER BY Email DESC LIMIT 200'
            )
        ).records;
        let target: { contact: Sf; opp: Sf } | null = null;
        for (const c of contacts) {
            const roles = await admin.query<Sf>(`SELECT Id FROM OpportunityContactRole WHERE ContactId = '${c.Id}'`);
            const opps = await admin.query<Sf>(
                `SELECT Id FROM Opportunity WHERE AccountId = '${String(c.AccountId)}' AND IsClosed = false`
            );
            if (roles.records.length === 0 && opps.records.length > 0) {
                target = { contact: c, opp: opps.records[0]! };
                break;
            }
        }
        expect(target).not.toBeNull();
        const id = await post(
            org,
            meeting({ ownerEmail: email, participants: [{ email }, { email: String(target!.contact.Email) }] })
        );
        // The opportunity as WhatId (as MATCH-9 or a correction, MATCH-10, would make it).
        const match = (await app.call(org.apiKey, 'GET', `/v1/activities/${id}`)).body.match;
        expect(match.who).toMatchObject({ recordId: target!.contact.Id, type: 'Contact' });
        await setActivityMatch(app.store.db, org.org.id, id, {
            ...match,
            what: { recordId: target!.opp.Id, type: 'Opportunity', score: 100 }
        });
        await enqueueActivityWrite(app.deps, { orgId: org.org.id, actor: 'test' }, id);
        await flush();
        expect((await written('Event', id))[0]).toMatchObject({ WhatId: target!.opp.Id });
        const roles = await admin.query<Sf>(
            `SELECT Id FROM OpportunityContactRole WHERE ContactId = '${target!.contact.Id}' AND OpportunityId = '${target!.opp.Id}'`
        );
        expect(roles.records).toHaveLength(1);
        const [role] = (await items(org, `activityId=${id}`)).filter((i) => i.operation === 'create_contact_role');
        expect(role).toMatchObject({ state: 'written', recordId: roles.records[0]!.Id });
        // Written again: the role exists, none is added.
        await enqueueActivityWrite(app.deps, { orgId: org.org.id, actor: 'test' }, id);
        await flush();
        expect(
            (
                await admin.query<Sf>(
                    `SELECT Id FROM OpportunityContactRole WHERE ContactId = '${target!.contact.Id}' AND OpportunityId = '${target!.opp.Id}'`
                )
            ).records
        ).toHaveLength(1);
    });

    it('MATCH-12 aggregates on the touched records are recomputed from written activities and updated only when they change', async () => {
        const o = await app.newOrg('Aggregates org', sf.integrationAuth);
        expect((await app.call(o.apiKey, 'POST', '/v1/crm/pull')).status).toBe(200);
        await owner(o, OWNER, ACTIVITY_SYNC_ON);
        const c = (
            await admin.query<{ Id: string; Email: string; AccountId: string }>(
                'SELECT Id, Email, AccountId FROM Contact WHERE AccountId != null AND Email != null ORDER BY Email DESC LIMIT 1'
            )
        ).records[0]!;
        const parts = [{ email: OWNER }, { email: c.Email }];
        await post(o, meeting({ participants: parts, startsAt: '2026-10-01T10:00:00Z', endsAt: undefined }));
        await post(o, meeting({ participants: parts, startsAt: '2026-10-05T10:00:00Z', endsAt: undefined }));
        await post(
            o,
            meeting({ participants: parts, type: 'email', startsAt: '2026-10-07T09:00:00Z', endsAt: undefined })
        );
        await flush(o);
        const read = async () =>
            (
                await admin.query<Sf>(
                    `SELECT peopleai__Last_Activity_Date__c, peopleai__Email_Count__c, peopleai__Meeting_Count__c FROM Contact WHERE Id = '${c.Id}'`
                )
            ).records[0]!;
        expect(await read()).toMatchObject({
            peopleai__Last_Activity_Date__c: '2026-10-07T09:00:00.000+0000',
            peopleai__Email_Count__c: 1,
            peopleai__Meeting_Count__c: 2
        });
        const account = (
            await admin.query<Sf>(
                `SELECT peopleai__Meeting_Count__c, peopleai__Email_Count__c FROM Account WHERE Id = '${c.AccountId}'`
            )
        ).records[0]!;
        expect(account).toMatchObject({ peopleai__Meeting_Count__c: 2, peopleai__Email_Count__c: 1 });
        // A re-send that changes nothing the aggregates count: no aggregate update call.
        const again = await post(
            o,
            meeting({ participants: parts, startsAt: '2026-10-02T10:00:00Z', endsAt: undefined })
        );
        await flush(o);
        sf.emu.admin.clearRequestLog();
        await post(o, {
            ...meeting({ participants: parts, startsAt: '2026-10-02T10:00:00Z', endsAt: undefined }),
            externalId: (await app.call(o.apiKey, 'GET', `/v1/activities/${again}`)).body.externalId,
            subject: 'Renamed'
        });
        await flush(o);
        const log = sf.emu.admin.requestLog().filter((r) => r.method !== 'GET');
        expect(log.filter((r) => r.path.endsWith('/composite/sobjects'))).toHaveLength(0);
        expect(log.filter((r) => r.path.includes('/composite/sobjects/Event/'))).toHaveLength(1);
        expect(await read()).toMatchObject({ peopleai__Meeting_Count__c: 3 });
    });

    it('MATCH-13 a budget of a few calls leaves items pending (status waiting) and resumes when raised', async () => {
        const o = await app.newOrg('Budget org', sf.integrationAuth);
        await owner(o, OWNER, ACTIVITY_SYNC_ON);
        const limitBefore = (await admin.limits()).DailyApiRequests!;
        try {
            // Two calls left today at a 50 % share: Backstory may use one.
            sf.emu.admin.setApiLimit(sf.emu.admin.apiCalls() + 2);
            const m = await post(o, meeting({ participants: [{ email: OWNER }] }));
            const e = await post(o, meeting({ type: 'email', participants: [{ email: OWNER }] }));
            const first = await flush(o);
            expect(first).toMatchObject({ apiCalls: 1, waiting: true, pending: 1 });
            const states = (await items(o, '')).map((i) => i.state).sort();
            expect(states).toEqual(['pending', 'written']);
            const status = (await app.call(o.apiKey, 'GET', '/v1/writeback/status')).body;
            expect(status).toMatchObject({
                pending: 1,
                budget: { share: 0.5, usedByBackstoryToday: 1, waiting: true }
            });
            expect(status.budget.remaining).toBeLessThanOrEqual(2);
            // Still past it: nothing more is written.
            expect(await flush(o)).toMatchObject({ apiCalls: 0, waiting: true });

            sf.emu.admin.setApiLimit(limitBefore.Max);
            const second = await flush(o);
            expect(second).toMatchObject({ waiting: false, pending: 0 });
            expect(await written('Event', m)).toHaveLength(1);
            expect(await written('Task', e)).toHaveLength(1);
            expect((await app.call(o.apiKey, 'GET', '/v1/writeback/status')).body.budget.waiting).toBe(false);
        } finally {
            sf.emu.admin.setApiLimit(limitBefore.Max);
        }
    });

    it('MATCH-13 the share is a setting between 0.05 and 1; a bad value is refused naming the field', async () => {
        const bad = await app.call(org.apiKey, 'PUT', '/v1/writeback/settings', { maxDailyApiShare: 2 });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details[0].path).toBe('maxDailyApiShare');
        expect((await app.call(org.apiKey, 'GET', '/v1/writeback/settings')).body).toEqual({ maxDailyApiShare: 0.5 });
        const ok = await app.call(org.apiKey, 'PUT', '/v1/writeback/settings', { maxDailyApiShare: 0.25 });
        expect(ok.body).toEqual({ maxDailyApiShare: 0.25 });
        expect((await app.call(org.apiKey, 'GET', '/v1/writeback/status')).body.budget.share).toBe(0.25);
        await app.call(org.apiKey, 'PUT', '/v1/writeback/settings', { maxDailyApiShare: 0.5 });
    });

    it('MATCH-6 a claim is leased: another worker skips it until the lease runs out (a killed worker loses nothing)', async () => {
        const id = await post(org, meeting());
        const claimed = await claimItems(app.store.db, org.org.id, {
            operations: ['upsert_event'],
            limit: 200,
            worker: 'killed-worker',
            leaseSeconds: 600
        });
        expect(claimed.map((c) => c.activity_id)).toContain(id);
        await flush();
        expect(await written('Event', id)).toHaveLength(0);
        // The killed worker's lease runs out: the next flush finishes its work, once.
        await sql`update writeback_items set lease_until = now() - interval '1 second' where lease_owner = 'killed-worker'`.execute(
            app.store.db
        );
        await flush();
        expect(await written('Event', id)).toHaveLength(1);
    });

    it('MATCH-6 a worker whose Bulk job outlasts its lease extends it: no other flush takes its items meanwhile', async () => {
        const id = await post(org, meeting());
        const expire = (worker: string) =>
            sql`update writeback_items set lease_until = now() - interval '1 second' where lease_owner = ${worker}`.execute(
                app.store.db
            );
        const claimed = await claimItems(app.store.db, org.org.id, {
            operations: ['upsert_event'],
            limit: 200,
            worker: 'bulk-worker',
            leaseSeconds: 600
        });
        expect(claimed.map((c) => c.activity_id)).toContain(id);
        // The job runs past the lease; the worker extends it at its next poll.
        await expire('bulk-worker');
        expect(await extendLeases(app.store.db, org.org.id, 'bulk-worker', 600)).toBe(claimed.length);
        await flush();
        expect(await written('Event', id)).toHaveLength(0);
        // Once another worker has taken an item (the lease ran out unextended), extending changes nothing.
        await expire('bulk-worker');
        const taken = await claimItems(app.store.db, org.org.id, {
            operations: ['upsert_event'],
            limit: 200,
            worker: 'other-worker',
            leaseSeconds: 600
        });
        expect(taken.map((c) => c.activity_id)).toContain(id);
        expect(await extendLeases(app.store.db, org.org.id, 'bulk-worker', 600)).toBe(0);
        await expire('other-worker');
        await flush();
        expect(await written('Event', id)).toHaveLength(1);
    });

    it('MATCH-6 a process that is stopping starts no Salesforce call; its items stay pending for the next run', async () => {
        const id = await post(org, meeting());
        const caller = { orgId: org.org.id, actor: 'test' };
        const stopped = await flushWriteback(app.deps, caller, { worker: 'stopping', signal: AbortSignal.abort() });
        expect(stopped).toMatchObject({ apiCalls: 0, written: 0 });
        expect(await written('Event', id)).toHaveLength(0);
        await flush();
        expect(await written('Event', id)).toHaveLength(1);
    });

    it('MATCH-6 two flushes at once write each record once', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 30; i++) ids.push(await post(org, meeting()));
        const caller = { orgId: org.org.id, actor: 'test' };
        await Promise.all([
            flushWriteback(app.deps, caller, { worker: 'a' }),
            flushWriteback(app.deps, caller, { worker: 'b' })
        ]);
        const found = await admin.query<Sf>(
            `SELECT Id, peopleai__Activity_Id__c FROM Event WHERE peopleai__Activity_Id__c IN (${ids.map((i) => `'${i}'`).join(',')})`
        );
        expect(found.records).toHaveLength(30);
    });

    it('the write_answers hook writes fields to the Event once it exists, and `written` announces the Event', async () => {
        const id = await post(org, meeting());
        const seen: WrittenEvent[] = [];
        const listener = (e: WrittenEvent) => seen.push(e);
        writebackEvents.on('written', listener);
        try {
            await enqueueFieldWrite(
                app.deps,
                { orgId: org.org.id, actor: 'test' },
                {
                    activityId: id,
                    operation: 'write_answers',
                    sobject: 'Event',
                    fields: { Type: 'Meeting', peopleai__Next_Steps__c: 'Send the proposal' }
                }
            );
            await flush();
        } finally {
            writebackEvents.off('written', listener);
        }
        const [event] = await written('Event', id);
        expect(seen).toContainEqual({
            orgId: org.org.id,
            activityId: id,
            operation: 'upsert_event',
            sobject: 'Event',
            recordId: event!.Id
        });
        const got = await admin.query<Sf>(`SELECT Type, peopleai__Next_Steps__c FROM Event WHERE Id = '${event!.Id}'`);
        expect(got.records[0]).toMatchObject({ Type: 'Meeting', peopleai__Next_Steps__c: 'Send the proposal' });
        const [answers] = (await items(org, `activityId=${id}`)).filter((i) => i.operation === 'write_answers');
        expect(answers).toMatchObject({ state: 'written' });
    });

    it('MATCH-6 the job queue writes an activity seconds after intake, without a flush call', async () => {
        let jobs: Jobs | undefined;
        try {
            jobs = await startJobs(app.deps, { pollingIntervalSeconds: 0.5 });
            app.deps.writebackScheduler = jobs;
            const done = new Promise<void>((resolve) =>
                jobs!.events.on('writebackFlushed', (e) => {
                    if (e.orgId === org.org.id && e.result.pending === 0) resolve();
                })
            );
            const id = await post(org, meeting());
            await done;
            expect(await written('Event', id)).toHaveLength(1);
        } finally {
            app.deps.writebackScheduler = undefined;
            await jobs?.stop();
        }
    }, 60_000);
});
