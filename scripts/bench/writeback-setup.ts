// Shared set-up of the write-back benchmark (scripts/bench/writeback.ts) and its worker process
// (scripts/bench/writeback-worker.ts): an org in the store whose outbox holds N matched activities
// over a generated set of accounts and contacts that exist in the emulator.
import { sql } from 'kysely';
import { Connection } from '@jsforce/jsforce-node';
import type { EmulatorHandle } from '../../middleware/emulator';
import { createLogger } from '../../middleware/src/logger';
import { SalesforceGateway, type SalesforceAuth } from '../../middleware/src/salesforce/connection';
import type { WritebackDeps } from '../../middleware/src/services/writeback';
import { upsertRecords } from '../../middleware/src/store/crm';
import type { Store } from '../../middleware/src/store/db';
import { newId } from '../../middleware/src/store/ids';
import { createOrg } from '../../middleware/src/store/orgs';
import { insertProfile } from '../../middleware/src/store/profiles';
import { json } from '../../middleware/src/store/schema';
import { enqueueItems } from '../../middleware/src/store/outbox';
import { defaultProfileSections } from '../../middleware/src/domain/profile-defaults';

export const API_VERSION = '62.0';

export function integrationAuth(url: string): SalesforceAuth {
    return {
        kind: 'password',
        loginUrl: url,
        clientId: 'backstory-local',
        clientSecret: 'backstory-local-secret',
        username: 'integration@demo.backstory.local',
        password: 'demo-password'
    };
}

export function writebackDeps(store: Store, emulatorUrl: string): WritebackDeps {
    // BENCH_LOG=warn shows why a Bulk job was retried or released.
    const logger = createLogger(process.env.BENCH_LOG ?? 'silent');
    const auth = integrationAuth(emulatorUrl);
    return {
        store,
        logger,
        salesforce: new SalesforceGateway({ apiVersion: API_VERSION, logger, authFor: () => auth })
    };
}

export async function adminConnection(url: string): Promise<Connection> {
    const conn = new Connection({
        version: API_VERSION,
        loginUrl: url,
        oauth2: { loginUrl: url, clientId: 'backstory-local', clientSecret: 'backstory-local-secret' }
    });
    await conn.login('admin@demo.backstory.local', 'demo-password');
    return conn;
}

/**
 * Accounts (one website domain each) and one contact per account in the emulator and in the
 * replica; an org with a full-sync profile and one linked user; N activities (half meetings,
 * half emails) matched to a contact (WhoId) and its account (WhatId), queued in the outbox.
 */
export async function seedBacklog(
    emu: EmulatorHandle,
    store: Store,
    options: { activities: number; accounts: number }
): Promise<{ orgId: string; activityIds: string[] }> {
    const db = store.db;
    const accounts = emu.admin.insertRecords(
        'Account',
        Array.from({ length: options.accounts }, (_, i) => ({ Name: `Bench ${i}`, Website: `bench-${i}.example.com` }))
    );
    const contacts = emu.admin.insertRecords(
        'Contact',
        accounts.map((a, i) => ({ LastName: `Contact ${i}`, Email: `c${i}@bench-${i}.example.com`, AccountId: a.Id }))
    );
    const org = await createOrg(db, { name: 'Write-back bench' });
    await upsertRecords(
        db,
        org.id,
        'Account',
        accounts.map((a) => ({ Id: a.Id, Name: a.Name, Website: a.Website }))
    );
    await upsertRecords(
        db,
        org.id,
        'Contact',
        contacts.map((c) => ({ Id: c.Id, Email: c.Email, AccountId: c.AccountId, LastName: c.LastName }))
    );
    const sections = defaultProfileSections();
    sections.activity = {
        ...sections.activity,
        intakeData: true,
        displayData: true,
        pushData: true,
        emailSync: true,
        meetingSync: true
    };
    const profileId = await insertProfile(db, org.id, 'Full sync', sections);
    const userId = newId('usr');
    await db
        .insertInto('users')
        .values({
            id: userId,
            org_id: org.id,
            first_name: 'Bench',
            last_name: 'Owner',
            email: 'bench.owner@demo.backstory.local',
            email_key: 'bench.owner@demo.backstory.local',
            job_title: null,
            salesforce_user_id: emu.demo.adminUser.id,
            role: 'member',
            licenses: json(['foundation']),
            visibility: 'full',
            profile_id: profileId,
            team_id: null,
            status: 'active',
            source: 'manual'
        })
        .execute();
    const ids: string[] = [];
    const start = Date.parse('2026-09-01T09:00:00Z');
    for (let i = 0; i < options.activities; i += 1000) {
        const rows = [];
        for (let j = i; j < Math.min(options.activities, i + 1000); j++) {
            const k = j % accounts.length;
            const id = newId('act');
            ids.push(id);
            const meeting = j % 2 === 0;
            rows.push({
                id,
                org_id: org.id,
                external_id: `bench-${j}`,
                type: meeting ? ('meeting' as const) : ('email' as const),
                source: 'api' as const,
                owner_user_id: userId,
                owner_email: 'bench.owner@demo.backstory.local',
                subject: `${meeting ? 'Meeting' : 'Email'} ${j} with Bench ${k}`,
                body: null,
                starts_at: new Date(start + j * 60_000).toISOString(),
                ends_at: meeting ? new Date(start + j * 60_000 + 30 * 60_000).toISOString() : null,
                participants: json([{ email: contacts[k]!.Email as string }]),
                transcript: null,
                match: json(null),
                who_id: contacts[k]!.Id,
                who_type: 'Contact',
                what_id: accounts[k]!.Id,
                what_type: 'Account',
                match_revision: 1
            });
        }
        await db.insertInto('activities').values(rows).execute();
        await enqueueItems(
            db,
            org.id,
            rows.map((r) => ({
                operation: r.type === 'meeting' ? ('upsert_event' as const) : ('upsert_task' as const),
                key: r.id,
                activityId: r.id,
                sobject: r.type === 'meeting' ? 'Event' : 'Task',
                state: 'pending' as const
            }))
        );
    }
    await sql`analyze`.execute(db);
    return { orgId: org.id, activityIds: ids };
}

/** Every Event and Task carrying a Backstory activity id, counted by id (lost / duplicated). */
export async function countWritten(
    conn: Connection,
    expected: string[]
): Promise<{ records: number; distinct: number; lost: number; duplicated: number }> {
    const seen = new Map<string, number>();
    for (const sobject of ['Event', 'Task']) {
        let page = await conn.query<{ peopleai__Activity_Id__c: string }>(
            `SELECT peopleai__Activity_Id__c FROM ${sobject} WHERE peopleai__Activity_Id__c != null`
        );
        for (;;) {
            for (const r of page.records)
                seen.set(r.peopleai__Activity_Id__c, (seen.get(r.peopleai__Activity_Id__c) ?? 0) + 1);
            if (page.done || !page.nextRecordsUrl) break;
            page = await conn.queryMore(page.nextRecordsUrl);
        }
    }
    const records = [...seen.values()].reduce((a, b) => a + b, 0);
    return {
        records,
        distinct: seen.size,
        lost: expected.filter((id) => !seen.has(id)).length,
        duplicated: records - seen.size
    };
}
