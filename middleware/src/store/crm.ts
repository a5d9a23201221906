import { sql, type Kysely, type Transaction } from 'kysely';
import { recordKeys } from '../domain/matching/replica-index';
import type { CrmRecord, ReplicaObject } from '../domain/matching/types';
import { json, type CreatedAt, type Database, type Json, type NullableTimestamp } from './schema';

type Db = Kysely<Database> | Transaction<Database>;

export interface CrmRecordTable {
    org_id: string;
    object: string;
    id: string;
    data: Json<CrmRecord>;
    system_modstamp: NullableTimestamp;
    pulled_at: CreatedAt;
}

export type PullObjectState = 'pending' | 'ok' | 'blocked' | 'error';

export interface CrmPullStateTable {
    org_id: string;
    object: string;
    state: PullObjectState;
    /** The greatest SystemModstamp pulled, as Salesforce wrote it. */
    watermark: string | null;
    /** Ids pulled at exactly the watermark (the next pull asks `>=` and skips these). */
    boundary_ids: Json<string[]>;
    fields: Json<string[]>;
    missing_required_fields: Json<string[]>;
    skipped_recommended_fields: Json<string[]>;
    last_mode: string | null;
    last_pulled: number;
    last_deleted: number;
    last_error: string | null;
    last_pull_at: NullableTimestamp;
}

export interface CrmReplicaTable {
    org_id: string;
    version: number;
    updated_at: CreatedAt;
}

/** SCALE-2: one row per secondary key of a replica record (`recordKeys`), for the SQL path of matching. */
export interface CrmMatchKeyTable {
    org_id: string;
    kind: string;
    key: string;
    object: string;
    id: string;
}

export interface CrmTables {
    crm_records: CrmRecordTable;
    crm_match_keys: CrmMatchKeyTable;
    crm_pull_state: CrmPullStateTable;
    crm_replicas: CrmReplicaTable;
}

export interface PullState {
    object: string;
    state: PullObjectState;
    watermark: string | null;
    boundaryIds: string[];
    fields: string[];
    missingRequiredFields: string[];
    skippedRecommendedFields: string[];
    lastMode: string | null;
    lastPulled: number;
    lastDeleted: number;
    lastError: string | null;
    lastPullAt: Date | null;
}

const BATCH = 500;

/** Salesforce datetimes (`2026-01-01T10:00:00.000+0000`) as ISO 8601 for timestamptz. */
export function toIso(stamp: unknown): string | null {
    if (typeof stamp !== 'string' || stamp === '') return null;
    const t = Date.parse(stamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Insert or replace records, in batches; replaying the same records changes nothing (idempotent). */
export async function upsertRecords(db: Db, orgId: string, object: string, records: CrmRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += BATCH) {
        const batch = records.slice(i, i + BATCH);
        await db
            .insertInto('crm_records')
            .values(
                batch.map((r) => ({
                    org_id: orgId,
                    object,
                    id: r.Id,
                    data: json(r),
                    system_modstamp: toIso(r.SystemModstamp)
                }))
            )
            .onConflict((oc) =>
                oc.columns(['org_id', 'object', 'id']).doUpdateSet({
                    data: (eb) => eb.ref('excluded.data'),
                    system_modstamp: (eb) => eb.ref('excluded.system_modstamp'),
                    pulled_at: sql`now()`
                })
            )
            .execute();
        await dropKeys(
            db,
            orgId,
            object,
            batch.map((r) => r.Id)
        );
        const keys = batch.flatMap((r) =>
            recordKeys(object as ReplicaObject, r).map((k) => ({
                org_id: orgId,
                kind: k.kind,
                key: k.key,
                object,
                id: r.Id
            }))
        );
        for (let j = 0; j < keys.length; j += BATCH)
            await db
                .insertInto('crm_match_keys')
                .values(keys.slice(j, j + BATCH))
                .onConflict((oc) => oc.doNothing())
                .execute();
    }
}

/** Drop the match keys of these records (SCALE-2); their new keys, if any, are written after. */
async function dropKeys(db: Db, orgId: string, object: string, ids: string[]): Promise<void> {
    await db
        .deleteFrom('crm_match_keys')
        .where('org_id', '=', orgId)
        .where('object', '=', object)
        .where('id', 'in', ids)
        .execute();
}

export async function deleteRecords(db: Db, orgId: string, object: string, ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH) {
        const batch = ids.slice(i, i + BATCH);
        await db
            .deleteFrom('crm_records')
            .where('org_id', '=', orgId)
            .where('object', '=', object)
            .where('id', 'in', batch)
            .execute();
        await dropKeys(db, orgId, object, batch);
    }
}

export async function recordCounts(db: Db, orgId: string): Promise<Map<string, number>> {
    const rows = await db
        .selectFrom('crm_records')
        .select(['object', sql<number>`count(*)`.as('n')])
        .where('org_id', '=', orgId)
        .groupBy('object')
        .execute();
    return new Map(rows.map((r) => [r.object, Number(r.n)]));
}

export async function getPullStates(db: Db, orgId: string): Promise<Map<string, PullState>> {
    const rows = await db.selectFrom('crm_pull_state').selectAll().where('org_id', '=', orgId).execute();
    return new Map(
        rows.map((r) => [
            r.object,
            {
                object: r.object,
                state: r.state,
                watermark: r.watermark,
                boundaryIds: r.boundary_ids,
                fields: r.fields,
                missingRequiredFields: r.missing_required_fields,
                skippedRecommendedFields: r.skipped_recommended_fields,
                lastMode: r.last_mode,
                lastPulled: r.last_pulled,
                lastDeleted: r.last_deleted,
                lastError: r.last_error,
                lastPullAt: r.last_pull_at
            }
        ])
    );
}

export async function savePullState(db: Db, orgId: string, s: PullState): Promise<void> {
    const values = {
        state: s.state,
        watermark: s.watermark,
        boundary_ids: json(s.boundaryIds),
        fields: json(s.fields),
        missing_required_fields: json(s.missingRequiredFields),
        skipped_recommended_fields: json(s.skippedRecommendedFields),
        last_mode: s.lastMode,
        last_pulled: s.lastPulled,
        last_deleted: s.lastDeleted,
        last_error: s.lastError,
        last_pull_at: s.lastPullAt
    };
    await db
        .insertInto('crm_pull_state')
        .values({ org_id: orgId, object: s.object, ...values })
        .onConflict((oc) => oc.columns(['org_id', 'object']).doUpdateSet(values))
        .execute();
}

/** Mark the replica changed; returns the new version. */
export async function bumpReplicaVersion(db: Db, orgId: string): Promise<number> {
    const row = await db
        .insertInto('crm_replicas')
        .values({ org_id: orgId, version: 1 })
        .onConflict((oc) =>
            oc.column('org_id').doUpdateSet({ version: sql`crm_replicas.version + 1`, updated_at: sql`now()` })
        )
        .returning('version')
        .executeTakeFirstOrThrow();
    return Number(row.version);
}

// The in-memory indexes and the SQL path of matching live in replica-cache.ts.
export {
    replicaVersion,
    replicaIndex,
    applyToCachedIndex,
    withReplica,
    mapWithReplica,
    type ReplicaChange
} from './replica-cache';

/** Orgs whose replica was never pulled or last pulled more than `minutes` ago, by the database's clock (MATCH-2). */
export async function orgsDueForCrmPull(db: Kysely<Database>, minutes: number): Promise<string[]> {
    const lastPull = sql<Date | null>`max(crm_pull_state.last_pull_at)`;
    const due = await db
        .selectFrom('orgs')
        .leftJoin('crm_pull_state', 'crm_pull_state.org_id', 'orgs.id')
        .select('orgs.id as id')
        .groupBy('orgs.id')
        .having((eb) =>
            eb.or([eb(lastPull, 'is', null), eb(lastPull, '<=', sql<Date>`now() - ${minutes} * interval '1 minute'`)])
        )
        .execute();
    return due.map((o) => o.id);
}
