import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { MatchResult, Participant } from '../domain/matching/types';
import { newId } from './ids';
import { json, type CreatedAt, type Database, type Json, type NullableTimestamp, type Timestamp } from './schema';

type Db = Kysely<Database> | Transaction<Database>;

export type ActivitySource = 'api' | 'eml' | 'ics';

export interface ActivityTable {
    id: string;
    org_id: string;
    external_id: string;
    type: 'email' | 'meeting';
    source: ActivitySource;
    owner_user_id: string;
    owner_email: string;
    subject: string;
    body: string | null;
    starts_at: Timestamp;
    ends_at: NullableTimestamp;
    participants: Json<Participant[]>;
    transcript: string | null;
    /** The stored match with its whole explanation (MATCH-5); null until matched. */
    match: Json<MatchResult | null>;
    who_id: string | null;
    who_type: string | null;
    what_id: string | null;
    what_type: string | null;
    matched_at: NullableTimestamp;
    /** Bumped whenever the match changes; the write-back (MATCH-6) records the revision it wrote in synced_revision. */
    match_revision: number;
    synced_revision: number | null;
    created_at: CreatedAt;
    updated_at: CreatedAt;
}

export interface ActivityTables {
    activities: ActivityTable;
}

export type ActivityRow = Selectable<ActivityTable>;

export interface ActivityInput {
    externalId: string;
    type: 'email' | 'meeting';
    source: ActivitySource;
    ownerUserId: string;
    ownerEmail: string;
    subject: string;
    body: string | null;
    startsAt: string;
    endsAt: string | null;
    participants: Participant[];
    transcript: string | null;
    match: MatchResult;
}

/**
 * Who writes (SEC-5): `any` for callers that may write every activity of the org (admins, the
 * org key without an acting user); otherwise the Backstory user id of the caller, who may
 * update only activities they own.
 */
export type ActivityWriter = 'any' | { userId: string };

/**
 * Insert the activity, or update the one with the same external id (idempotent intake: the
 * unique (org_id, external_id) index makes a re-send an update, never a duplicate). SEC-5: the
 * update happens only when `writer` may write the stored activity, decided in the same statement
 * (no race between a check and the write); otherwise nothing changes and the answer is
 * `refused` (the route makes it a 409).
 */
export async function upsertActivity(
    db: Db,
    orgId: string,
    input: ActivityInput,
    writer: ActivityWriter = 'any'
): Promise<{ id: string; created: boolean } | 'refused'> {
    const values = {
        type: input.type,
        source: input.source,
        owner_user_id: input.ownerUserId,
        owner_email: input.ownerEmail,
        subject: input.subject,
        body: input.body,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        participants: json(input.participants),
        transcript: input.transcript,
        match: json<MatchResult | null>(input.match),
        who_id: input.match.who?.recordId ?? null,
        who_type: input.match.who?.type ?? null,
        what_id: input.match.what?.recordId ?? null,
        what_type: input.match.what?.type ?? null,
        matched_at: new Date()
    };
    const row = await db
        .insertInto('activities')
        .values({ id: newId('act'), org_id: orgId, external_id: input.externalId, match_revision: 1, ...values })
        .onConflict((oc) => {
            const update = oc.columns(['org_id', 'external_id']).doUpdateSet({
                ...values,
                match_revision: sql`activities.match_revision + 1`,
                updated_at: sql`now()`
            });
            return writer === 'any' ? update : update.where('activities.owner_user_id', '=', writer.userId);
        })
        .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
        .executeTakeFirst();
    if (!row) return 'refused';
    return { id: row.id, created: Boolean(row.created) };
}

export async function getActivity(db: Db, orgId: string, id: string): Promise<ActivityRow | undefined> {
    return db.selectFrom('activities').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

export async function setTranscript(db: Db, orgId: string, id: string, transcript: string): Promise<void> {
    await db
        .updateTable('activities')
        .set({ transcript, updated_at: sql`now()` })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .execute();
}
