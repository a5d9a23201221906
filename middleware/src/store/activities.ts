import { sql, type ColumnType, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { MatchResult, Participant } from '../domain/matching/types';
import { newId } from './ids';
import { statementChunks, unnestRows, type UnnestKind } from './statement-chunks';
import { json, type CreatedAt, type Database, type Json, type NullableTimestamp, type Timestamp } from './schema';

type Db = Kysely<Database> | Transaction<Database>;

export type ActivitySource = 'api' | 'eml' | 'ics';

/** A manual match (MATCH-10): the picks, who set them and when. */
export interface MatchOverride {
    who: { recordId: string; type: string } | null;
    what: { recordId: string; type: string } | null;
    by: string;
    at: string;
}

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
    /** 0007 (MATCH-10): the rep's or admin's correction; while set, re-sends keep who/what. */
    match_override: ColumnType<
        MatchOverride | null,
        RawBuilder<MatchOverride | null> | undefined,
        RawBuilder<MatchOverride | null>
    >;
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
    const [saved] = await upsertActivities(db, orgId, [input], writer);
    return saved ?? 'refused';
}

/** About the characters an activity adds to an upsert statement. */
function activityChars(a: ActivityInput): number {
    return 500 + a.subject.length + (a.body?.length ?? 0) + (a.transcript?.length ?? 0) + 100 * a.participants.length;
}

/** The columns a new activity row is written with, as `unnestRows` sends them (SCALE-3). */
const ACTIVITY_COLUMNS = [
    ['id', 'text'],
    ['org_id', 'text'],
    ['external_id', 'text'],
    ['match_revision', 'int4'],
    ['type', 'text'],
    ['source', 'text'],
    ['owner_user_id', 'text'],
    ['owner_email', 'text'],
    ['subject', 'text'],
    ['body', 'text'],
    ['starts_at', 'timestamptz'],
    ['ends_at', 'timestamptz'],
    ['participants', 'jsonb'],
    ['transcript', 'text'],
    ['match', 'jsonb'],
    ['who_id', 'text'],
    ['who_type', 'text'],
    ['what_id', 'text'],
    ['what_type', 'text'],
    ['matched_at', 'timestamptz']
] as const satisfies readonly (readonly [keyof ActivityTable, UnnestKind])[];

/**
 * SCALE-3: `upsertActivity` for many activities in few statements (the same columns, the
 * same MATCH-10 and SEC-5 rules). The external ids must be distinct. Answers in input order.
 */
export async function upsertActivities(
    db: Db,
    orgId: string,
    inputs: ActivityInput[],
    writer: ActivityWriter = 'any'
): Promise<({ id: string; created: boolean } | 'refused')[]> {
    const byExternalId = new Map<string, { id: string; created: boolean }>();
    const matchedAt = new Date().toISOString();
    // Rows in external-id order: concurrent batches lock the same rows in the same order.
    const sorted = [...inputs].sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
    // SEC-6: a statement per STATEMENT_LIMITS rows and characters: PGlite runs one statement in
    // the event loop's thread without a break, and 500 activities of 25 KB made one of 12 MB.
    for (const run of statementChunks(sorted, activityChars)) {
        const rows = run.map((input) => ({
            id: newId('act'),
            org_id: orgId,
            external_id: input.externalId,
            match_revision: 1,
            type: input.type,
            source: input.source,
            owner_user_id: input.ownerUserId,
            owner_email: input.ownerEmail,
            subject: input.subject,
            body: input.body,
            starts_at: input.startsAt,
            ends_at: input.endsAt,
            participants: JSON.stringify(input.participants),
            transcript: input.transcript,
            match: JSON.stringify(input.match),
            who_id: input.match.who?.recordId ?? null,
            who_type: input.match.who?.type ?? null,
            what_id: input.match.what?.recordId ?? null,
            what_type: input.match.what?.type ?? null,
            matched_at: matchedAt
        }));
        const saved = await db
            .insertInto('activities')
            .columns(ACTIVITY_COLUMNS.map(([name]) => name))
            .expression(unnestRows(ACTIVITY_COLUMNS, rows))
            .onConflict((oc) => {
                const update = oc.columns(['org_id', 'external_id']).doUpdateSet((eb) => ({
                    type: eb.ref('excluded.type'),
                    source: eb.ref('excluded.source'),
                    owner_user_id: eb.ref('excluded.owner_user_id'),
                    owner_email: eb.ref('excluded.owner_email'),
                    subject: eb.ref('excluded.subject'),
                    body: eb.ref('excluded.body'),
                    starts_at: eb.ref('excluded.starts_at'),
                    ends_at: eb.ref('excluded.ends_at'),
                    participants: eb.ref('excluded.participants'),
                    transcript: eb.ref('excluded.transcript'),
                    match: eb.ref('excluded.match'),
                    matched_at: eb.ref('excluded.matched_at'),
                    // MATCH-10: a manual override survives re-sends and rematches.
                    who_id: sql`case when activities.match_override is null then excluded.who_id else activities.who_id end`,
                    who_type: sql`case when activities.match_override is null then excluded.who_type else activities.who_type end`,
                    what_id: sql`case when activities.match_override is null then excluded.what_id else activities.what_id end`,
                    what_type: sql`case when activities.match_override is null then excluded.what_type else activities.what_type end`,
                    match_revision: sql`activities.match_revision + 1`,
                    updated_at: sql`now()`
                }));
                return writer === 'any' ? update : update.where('activities.owner_user_id', '=', writer.userId);
            })
            .returning(['id', 'external_id', sql<boolean>`(xmax = 0)`.as('created')])
            .execute();
        for (const row of saved) byExternalId.set(row.external_id, { id: row.id, created: Boolean(row.created) });
    }
    return inputs.map((input) => byExternalId.get(input.externalId) ?? 'refused');
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

/** Store a new match of an activity (a rematch after the write-back created a contact, MATCH-12). */
export async function setActivityMatch(db: Db, orgId: string, id: string, match: MatchResult): Promise<void> {
    await db
        .updateTable('activities')
        .set({
            match: json<MatchResult | null>(match),
            who_id: match.who?.recordId ?? null,
            who_type: match.who?.type ?? null,
            what_id: match.what?.recordId ?? null,
            what_type: match.what?.type ?? null,
            matched_at: new Date(),
            match_revision: sql`match_revision + 1`,
            updated_at: sql`now()`
        })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .execute();
}

/** Which of these users own at least one captured activity (UT-13: onboarding → active). */
export async function usersWithActivity(db: Kysely<Database>, orgId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await db
        .selectFrom('activities')
        .select('owner_user_id')
        .distinct()
        .where('org_id', '=', orgId)
        .where('owner_user_id', 'in', userIds)
        .execute();
    return new Set(rows.map((r) => r.owner_user_id));
}
