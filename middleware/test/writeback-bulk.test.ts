import type { Connection } from '@jsforce/jsforce-node';
import { sql } from 'kysely';
import { nextPollWait, parseBulkError, toCsv, together } from '../src/services/writeback-bulk';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { contactWithAccount, startTestEmulator, type TestEmulator } from './helpers/emulator';
import { insertUser } from './helpers/users';
import { ACTIVITY_SYNC_ON } from './helpers/profiles';

const OWNER = 'casey.chen@demo.backstory.local';
const MEETINGS = 2100;
const EMAILS = 210;
const INGEST = /\/jobs\/ingest/;
const EVENT_COLLECTION = /\/composite\/sobjects\/Event\/peopleai__Activity_Id__c/;

interface Written {
    Id: string;
    Subject: string;
    WhoId: string | null;
    WhatId: string | null;
    OwnerId: string;
    peopleai__Activity_Id__c: string;
    peopleai__Created_by_PeopleAI__c: boolean;
}

describe('write-back backfill through Bulk API 2.0 ingest (MATCH-6, MATCH-7, MATCH-12)', () => {
    let app: TestApp;
    let sf: TestEmulator;
    let org: TestOrg;
    let admin: Connection;
    let contact: { Id: string; Email: string; AccountId: string };
    let ownerSfId: string;

    const ics = (from: number, to: number, subject: (i: number) => string) =>
        [
            'BEGIN:VCALENDAR',
            'VERSION:2.0',
            'PRODID:-//Backstory bulk test//EN',
            ...Array.from({ length: to - from }, (_, k) => {
                const i = from + k;
                const start = new Date(Date.UTC(2026, 9, 1, 8) + i * 15 * 60_000);
                const stamp = (d: Date) =>
                    d
                        .toISOString()
                        .replace(/[-:]/g, '')
                        .replace(/\.\d{3}/, '');
                return [
                    'BEGIN:VEVENT',
                    `UID:bulk-meeting-${i}`,
                    `DTSTAMP:${stamp(start)}`,
                    `DTSTART:${stamp(start)}`,
                    `DTEND:${stamp(new Date(start.getTime() + 30 * 60_000))}`,
                    `SUMMARY:${subject(i)}`,
                    `ORGANIZER:mailto:${OWNER}`,
                    `ATTENDEE;CN=Them:mailto:${contact.Email}`,
                    'END:VEVENT'
                ].join('\r\n');
            }),
            'END:VCALENDAR',
            ''
        ].join('\r\n');
    const importMeetings = async (subject: (i: number) => string): Promise<string[]> => {
        const ids: string[] = [];
        for (let from = 0; from < MEETINGS; from += 700) {
            const res = await app.call(org.apiKey, 'POST', '/v1/activities/import', ics(from, from + 700, subject), {
                'content-type': 'text/calendar'
            });
            expect(res.status).toBe(202);
            ids.push(...(res.body.items as { id: string }[]).map((i) => i.id));
        }
        return ids;
    };
    const postEmails = async (): Promise<string[]> => {
        const ids: string[] = [];
        for (let i = 0; i < EMAILS; i++) {
            const res = await app.call(org.apiKey, 'POST', '/v1/activities', {
                externalId: `bulk-email-${i}`,
                type: 'email',
                ownerEmail: OWNER,
                subject: `Bulk email ${i}`,
                startsAt: new Date(Date.UTC(2026, 9, 2, 8) + i * 60_000).toISOString(),
                participants: [
                    { email: OWNER, role: 'from' },
                    { email: contact.Email, role: 'to' }
                ]
            });
            expect(res.status).toBe(202);
            ids.push(res.body.id as string);
        }
        return ids;
    };
    const flush = async () => {
        const res = await app.call(org.apiKey, 'POST', '/v1/writeback/flush');
        expect(res.status).toBe(200);
        return res.body as { written: number; parked: number; pending: number; apiCalls: number; waiting: boolean };
    };
    /** Every Event or Task carrying a Backstory activity id, read back from the emulator. */
    const inSalesforce = async (sobject: 'Event' | 'Task'): Promise<Written[]> => {
        const out: Written[] = [];
        let page = await admin.query<Written>(
            `SELECT Id, Subject, WhoId, WhatId, OwnerId, peopleai__Activity_Id__c, peopleai__Created_by_PeopleAI__c FROM ${sobject} WHERE peopleai__Activity_Id__c != null`
        );
        for (;;) {
            out.push(...page.records);
            if (page.done || !page.nextRecordsUrl) break;
            page = await admin.queryMore(page.nextRecordsUrl);
        }
        return out;
    };
    const exactlyOnce = (records: Written[], ids: string[]) => {
        const byActivity = new Map<string, number>();
        for (const r of records)
            byActivity.set(r.peopleai__Activity_Id__c, (byActivity.get(r.peopleai__Activity_Id__c) ?? 0) + 1);
        return {
            lost: ids.filter((id) => !byActivity.has(id)).length,
            duplicated: [...byActivity.values()].filter((n) => n > 1).length
        };
    };
    const items = async (query: string) => {
        const res = await app.call(org.apiKey, 'GET', `/v1/writeback/items?${query}&limit=100`);
        expect(res.status).toBe(200);
        return res.body.items as {
            id: string;
            activityId: string;
            operation: string;
            state: string;
            attempts: number;
            lastError: { code: string; message: string; remedy: string | null } | null;
        }[];
    };

    beforeAll(async () => {
        app = await startTestApp();
        sf = await startTestEmulator();
        org = await app.newOrg('Bulk write-back org', sf.integrationAuth);
        admin = await sf.login('admin@demo.backstory.local');
        expect((await app.call(org.apiKey, 'POST', '/v1/crm/pull')).status).toBe(200);
        ownerSfId = sf.emu.admin.userId(OWNER);
        const profile = await app.call(org.apiKey, 'POST', '/v1/profiles', {
            name: 'Bulk sync',
            activity: ACTIVITY_SYNC_ON
        });
        expect(profile.status).toBe(201);
        await insertUser(app.store.db, org.org.id, {
            email: OWNER,
            profileId: profile.body.id as string,
            salesforceUserId: ownerSfId
        });
        contact = await contactWithAccount(admin);
    }, 600_000);
    afterAll(async () => {
        await sf.close();
        await app.close();
    });
    afterEach(() => sf.emu.admin.clearFaults());

    it('MATCH-6 a backlog of 2,100 meetings goes through one ingest job: every Event lands once with its peopleai__ fields; row failures are retried or parked with the remedy; a re-run duplicates nothing', async () => {
        const meetings = await importMeetings((i) => `Bulk meeting ${i}`);
        const emails = await postEmails();
        expect(new Set(meetings).size).toBe(MEETINGS);
        // Rows of the job fail as a lock or a validation rule would fail them (failedResults).
        sf.emu.admin.injectFault({ kind: 'UNABLE_TO_LOCK_ROW', object: 'Event', operation: 'upsert', count: 2 });
        sf.emu.admin.injectFault({
            kind: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            object: 'Event',
            operation: 'upsert',
            count: 1,
            message: 'Meetings need a next step',
            field: 'Description'
        });
        sf.emu.admin.clearRequestLog();
        const calls0 = sf.emu.admin.apiCalls();
        const first = await flush();
        if (first.parked !== 1) console.log(JSON.stringify((await items('state=parked')).slice(0, 2)));
        expect(first).toMatchObject({ parked: 1, waiting: false });
        const log = sf.emu.admin.requestLog();
        const ingest = log.filter((r) => INGEST.test(r.path));
        // open, upload, close, one poll, successfulResults, failedResults: one job for 2,100 Events.
        expect(ingest.filter((r) => r.method === 'POST' && /\/jobs\/ingest$/.test(r.path))).toHaveLength(1);
        expect(ingest.length).toBeLessThanOrEqual(6);
        // The two locked rows come due after a backoff of 0–2 s (full jitter): on a slow machine the
        // same flush retries them, in one collection call; nothing else goes that way.
        expect(log.filter((r) => EVENT_COLLECTION.test(r.path)).length).toBeLessThanOrEqual(1);
        // The emails (210 Tasks, below the threshold) went through collections in the same flush.
        expect(log.filter((r) => /\/composite\/sobjects\/Task\/peopleai__Activity_Id__c/.test(r.path))).toHaveLength(2);
        // Every call the emulator counted was reserved in the budget first (MATCH-13).
        expect(sf.emu.admin.apiCalls() - calls0).toBeLessThanOrEqual(first.apiCalls);

        const parked = await items('state=parked');
        expect(parked).toHaveLength(1);
        expect(parked[0]).toMatchObject({
            operation: 'upsert_event',
            lastError: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' }
        });
        expect(parked[0]!.lastError!.message).toContain('Meetings need a next step');
        expect(parked[0]!.lastError!.remedy).toContain("$Profile.Name != 'Backstory Integration User'");
        const retrying = (await items('state=pending')).filter((i) => i.operation === 'upsert_event');
        // Waiting for their retry (a loaded machine may add a socket error to the lock).
        for (const r of retrying) {
            expect(r.attempts).toBeGreaterThanOrEqual(1);
            expect(r.lastError?.remedy ?? null).toBeNull();
        }

        let events = await inSalesforce('Event');
        // The parked row, and the locked rows not retried yet.
        expect(exactlyOnce(events, meetings)).toEqual({ lost: 1 + retrying.length, duplicated: 0 });
        for (const e of events) {
            expect(e.peopleai__Created_by_PeopleAI__c).toBe(true);
            expect(e.WhoId).toBe(contact.Id);
            expect(e.OwnerId).toBe(ownerSfId);
        }
        const sample = meetings[1234]!;
        const sampleEvent = events.find((e) => e.peopleai__Activity_Id__c === sample);
        expect(sampleEvent?.Subject).toBe('Bulk meeting 1234');
        const sync = (await app.call(org.apiKey, 'GET', `/v1/activities/${sample}`)).body.sync;
        expect(sync).toEqual({ state: 'written', salesforceId: sampleEvent!.Id, reason: null });

        // The locked rows come due after their backoff; the parked one after an admin's retry.
        await sql`update writeback_items set next_attempt_at = now() where org_id = ${org.org.id} and state = 'pending'`.execute(
            app.store.db
        );
        expect((await app.call(org.apiKey, 'POST', `/v1/writeback/items/${parked[0]!.id}/retry`)).status).toBe(202);
        const second = await flush();
        expect(second).toMatchObject({ parked: 0, pending: 0, waiting: false });
        events = await inSalesforce('Event');
        expect(exactlyOnce(events, meetings)).toEqual({ lost: 0, duplicated: 0 });
        expect(events).toHaveLength(MEETINGS);
        const tasks = await inSalesforce('Task');
        expect(exactlyOnce(tasks, emails)).toEqual({ lost: 0, duplicated: 0 });
        expect(tasks).toHaveLength(EMAILS);

        // A re-run (the same calendar sent again, subjects changed): the same Events are rewritten.
        const again = await importMeetings((i) => `Bulk meeting ${i} (moved)`);
        expect(again).toEqual(meetings);
        sf.emu.admin.clearRequestLog();
        const third = await flush();
        expect(third).toMatchObject({ parked: 0, pending: 0, waiting: false });
        expect(sf.emu.admin.requestLog().filter((r) => EVENT_COLLECTION.test(r.path))).toHaveLength(0);
        events = await inSalesforce('Event');
        expect(events).toHaveLength(MEETINGS);
        expect(exactlyOnce(events, meetings)).toEqual({ lost: 0, duplicated: 0 });
        expect(events.every((e) => e.Subject.endsWith('(moved)'))).toBe(true);
    }, 1_500_000);
});

describe('Bulk API 2.0 CSV in and out (MATCH-6, MATCH-7)', () => {
    it('MATCH-7 Bulk 2.0 row errors are read as Salesforce writes them (CODE:message:fields --)', () => {
        expect(
            parseBulkError('FIELD_CUSTOM_VALIDATION_EXCEPTION:Meetings need a next step: really:Description --')
        ).toEqual({
            code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            message: 'Meetings need a next step: really',
            fields: ['Description']
        });
        expect(parseBulkError('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record: --')).toEqual({
            code: 'UNABLE_TO_LOCK_ROW',
            message: 'unable to obtain exclusive access to this record'
        });
        expect(
            parseBulkError(
                'INVALID_FIELD_FOR_INSERT_UPDATE:Unable to create/update fields: TaskSubtype:TaskSubtype,Status --'
            )
        ).toMatchObject({
            code: 'INVALID_FIELD_FOR_INSERT_UPDATE',
            fields: ['TaskSubtype', 'Status']
        });
        // null clears a field (#N/A); a column a record lacks stays empty (the field is left alone).
        expect(toCsv([{ A: 'x, "y"', B: null }, { A: 'z' }])).toBe('A,B\n"x, ""y""",#N/A\nz,\n');
    });

    it('MATCH-13 a running job is polled again when its own rate says it completes, not on a doubling ladder', () => {
        const base = { minMs: 1000, maxMs: 60_000, total: 50_000 };
        // Nothing processed yet: the wait doubles (1 s, 2 s, 4 s …) up to the maximum.
        expect(nextPollWait({ ...base, previousMs: 500, processed: 0, elapsedMs: 0 })).toBe(1000);
        expect(nextPollWait({ ...base, previousMs: 4000, processed: 0, elapsedMs: 7000 })).toBe(8000);
        expect(nextPollWait({ ...base, previousMs: 40_000, processed: 0, elapsedMs: 60_000 })).toBe(60_000);
        // 10,000 of 50,000 in 10 s: 40 s to go, and a tenth more.
        expect(nextPollWait({ ...base, previousMs: 1000, processed: 10_000, elapsedMs: 10_000 })).toBe(44_000);
        // Nearly done: the minimum; all processed but not yet complete: the minimum.
        expect(nextPollWait({ ...base, previousMs: 8000, processed: 49_990, elapsedMs: 30_000 })).toBe(1000);
        expect(nextPollWait({ ...base, previousMs: 8000, processed: 50_000, elapsedMs: 30_000 })).toBe(1000);
        // A slow job: never past the maximum.
        expect(nextPollWait({ ...base, previousMs: 1000, processed: 100, elapsedMs: 10_000 })).toBe(60_000);
    });

    it('MATCH-7 a Bulk job that failed as a whole comes due again as one (one delay for all its items)', () => {
        const retry = (id: string, delaySeconds: number) => ({ id, revision: 1, kind: 'retry' as const, delaySeconds });
        const parked = { id: 'c', revision: 1, kind: 'parked' as const };
        expect(together([retry('a', 0.4), retry('b', 1.7), parked])).toEqual([
            retry('a', 1.7),
            retry('b', 1.7),
            parked
        ]);
    });
});
