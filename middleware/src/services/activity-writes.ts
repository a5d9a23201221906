import { sql } from 'kysely';
import type { ActivitySettings } from '../domain/profile';
import { describeError } from '../salesforce/connection';
import type { ActivityRow } from '../store/activities';
import type { RepServiceDeps } from './rep-context';

/**
 * Writing an activity's Event (meeting) or Task (email) with its match and the follow-up answers
 * (MATCH-6, MATCH-8, MATCH-10, MATCH-12), through the integration user.
 *
 * This is the minimal write path the rep features need while the durable write-back outbox is
 * being built (branch issue-14, operations `upsert_event`/`upsert_task`/`write_answers`): the
 * services below call the `WriteBack` port only, so the outbox replaces `directWriteBack`
 * without touching them. The direct writer upserts on `peopleai__Activity_Id__c` (idempotent: a
 * repeat updates the same Event, never a second one) and records the outcome per activity in
 * `activity_writes`, which `sync` on every activity reports.
 */
export interface WriteBack {
    /** The activity's match (or data) changed: write its Event/Task. */
    activityChanged(orgId: string, activityId: string): Promise<WriteOutcome>;
    /** A follow-up of the meeting was answered: write the category and answers to its Event (`write_answers`). */
    answersChanged(orgId: string, activityId: string): Promise<WriteOutcome>;
}

export interface WriteOutcome {
    state: 'written' | 'skipped' | 'pending' | 'parked';
    salesforceId: string | null;
    reason: string | null;
    /** True the first time this activity's record was written. */
    firstWrite: boolean;
}

/** Called after a meeting's Event is written (the notifications service hooks in here). */
export type MeetingWrittenHook = (orgId: string, activityId: string, eventId: string) => Promise<void>;

const NS = 'peopleai__';
const PERMANENT = new Set([
    'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    'INVALID_FIELD',
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    'INSUFFICIENT_ACCESS_OR_READONLY',
    'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
    'FIELD_INTEGRITY_EXCEPTION',
    'INVALID_CROSS_REFERENCE_KEY',
    'REQUIRED_FIELD_MISSING',
    'STRING_TOO_LONG',
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    'MALFORMED_ID',
    'NOT_FOUND'
]);

/** CP-4 / MATCH-12: which toggle stops this activity from being written, if any. */
export function skipReason(type: ActivityRow['type'], activity: ActivitySettings): string | null {
    if (!activity.pushData) return "Push Data is off in the owner's profile (CP-4)";
    if (type === 'meeting' && !activity.meetingSync) return "Meeting Sync is off in the owner's profile (CP-4)";
    if (type === 'email' && !activity.emailSync) return "Email Sync is off in the owner's profile (CP-4)";
    return null;
}

/** The Event or Task of MATCH-12 for this activity (answers merged in for meetings). */
export function activityRecord(
    row: ActivityRow,
    ownerSalesforceUserId: string | null,
    answerFields: Record<string, unknown>
): { sobject: 'Event' | 'Task'; record: Record<string, unknown> } {
    const start = new Date(row.starts_at);
    const base: Record<string, unknown> = {
        Subject: row.subject.slice(0, 255),
        WhoId: row.who_id,
        // Salesforce forbids a WhatId when the WhoId is a lead (MATCH-4).
        WhatId: row.who_type === 'Lead' ? null : row.what_id,
        [`${NS}Activity_Id__c`]: row.id,
        [`${NS}Created_by_PeopleAI__c`]: true,
        ...(ownerSalesforceUserId ? { OwnerId: ownerSalesforceUserId } : {})
    };
    if (row.type === 'meeting') {
        const end = row.ends_at ? new Date(row.ends_at) : new Date(start.getTime() + 30 * 60_000);
        return {
            sobject: 'Event',
            record: { ...base, StartDateTime: start.toISOString(), EndDateTime: end.toISOString(), ...answerFields }
        };
    }
    return {
        sobject: 'Task',
        record: {
            ...base,
            TaskSubtype: 'Email',
            Status: 'Completed',
            ActivityDate: start.toISOString().slice(0, 10)
        }
    };
}

export function directWriteBack(deps: RepServiceDeps, onMeetingWritten?: MeetingWrittenHook): WriteBack {
    const write = async (orgId: string, activityId: string): Promise<WriteOutcome> => {
        const db = deps.store.db;
        const row = await db
            .selectFrom('activities')
            .selectAll()
            .where('org_id', '=', orgId)
            .where('id', '=', activityId)
            .executeTakeFirst();
        if (!row)
            return { state: 'skipped', salesforceId: null, reason: 'the activity no longer exists', firstWrite: false };
        const owner = await db
            .selectFrom('users')
            .innerJoin('profiles', 'profiles.id', 'users.profile_id')
            .select(['users.salesforce_user_id', 'profiles.activity'])
            .where('users.org_id', '=', orgId)
            .where('users.id', '=', row.owner_user_id)
            .executeTakeFirstOrThrow();
        const sobject = row.type === 'meeting' ? 'Event' : 'Task';
        const previous = await db
            .selectFrom('activity_writes')
            .select(['state', 'salesforce_id'])
            .where('org_id', '=', orgId)
            .where('activity_id', '=', activityId)
            .executeTakeFirst();
        const save = async (outcome: Omit<WriteOutcome, 'firstWrite'>): Promise<WriteOutcome> => {
            await db
                .insertInto('activity_writes')
                .values({
                    org_id: orgId,
                    activity_id: activityId,
                    state: outcome.state,
                    sobject,
                    salesforce_id: outcome.salesforceId,
                    revision: row.match_revision,
                    reason: outcome.reason
                })
                .onConflict((oc) =>
                    oc.columns(['org_id', 'activity_id']).doUpdateSet({
                        state: outcome.state,
                        salesforce_id: sql`coalesce(excluded.salesforce_id, activity_writes.salesforce_id)`,
                        revision: row.match_revision,
                        reason: outcome.reason,
                        updated_at: sql`now()`
                    })
                )
                .execute();
            return {
                ...outcome,
                firstWrite: outcome.state === 'written' && previous?.state !== 'written' && !previous?.salesforce_id
            };
        };
        const skipped = skipReason(row.type, owner.activity as ActivitySettings);
        if (skipped) return save({ state: 'skipped', salesforceId: null, reason: skipped });

        const answered = await db
            .selectFrom('follow_ups')
            .select('fields')
            .where('org_id', '=', orgId)
            .where('activity_id', '=', activityId)
            .where('status', '=', 'answered')
            .orderBy('answered_at', 'asc')
            .execute();
        const answerFields = Object.assign({}, ...answered.map((a) => a.fields)) as Record<string, unknown>;
        const { record } = activityRecord(row, owner.salesforce_user_id, answerFields);
        let salesforceId: string | null = null;
        try {
            const conn = await deps.salesforce.connection(orgId);
            const result = (await conn.sobject(sobject).upsert(record, `${NS}Activity_Id__c`)) as {
                id?: string;
                success?: boolean;
                errors?: { errorCode?: string; statusCode?: string; message?: string }[];
            };
            if (result.success === false) {
                const e = result.errors?.[0];
                throw Object.assign(new Error(e?.message ?? 'the upsert failed'), {
                    errorCode: e?.errorCode ?? e?.statusCode
                });
            }
            salesforceId = result.id ?? previous?.salesforce_id ?? null;
            if (!salesforceId) {
                const found = await conn.query<{ Id: string }>(
                    `SELECT Id FROM ${sobject} WHERE ${NS}Activity_Id__c = '${activityId.replace(/'/g, "\\'")}' LIMIT 1`
                );
                salesforceId = found.records[0]?.Id ?? null;
            }
        } catch (error) {
            const code = (error as { errorCode?: string }).errorCode ?? '';
            const reason = describeError(error);
            deps.logger.warn({ orgId, activityId, err: reason }, 'activity write failed');
            return save({ state: PERMANENT.has(code) ? 'parked' : 'pending', salesforceId: null, reason });
        }
        await db
            .updateTable('activities')
            .set({ synced_revision: row.match_revision })
            .where('org_id', '=', orgId)
            .where('id', '=', activityId)
            .execute();
        const outcome = await save({ state: 'written', salesforceId, reason: null });
        if (row.type === 'meeting' && salesforceId && onMeetingWritten) {
            try {
                await onMeetingWritten(orgId, activityId, salesforceId);
            } catch (error) {
                deps.logger.warn({ orgId, activityId, err: describeError(error) }, 'meeting notification failed');
            }
        }
        return outcome;
    };
    return { activityChanged: write, answersChanged: write };
}
