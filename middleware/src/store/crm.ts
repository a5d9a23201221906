import { sql, type Kysely, type Transaction } from 'kysely';
import { ReplicaIndex } from '../domain/matching/replica-index';
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

export interface CrmTables {
    crm_records: CrmRecordTable;
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
    }
}

export async function deleteRecords(db: Db, orgId: string, object: string, ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH) {
        await db
            .deleteFrom('crm_records')
            .where('org_id', '=', orgId)
            .where('object', '=', object)
            .where('id', 'in', ids.slice(i, i + BATCH))
            .execute();
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

export async function replicaVersion(db: Db, orgId: string): Promise<number> {
    const row = await db.selectFrom('crm_replicas').select('version').where('org_id', '=', orgId).executeTakeFirst();
    return row ? Number(row.version) : 0;
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

// ------------------------------------------------------------------ the in-memory indexes

interface Cached {
    version: number;
    index: Promise<ReplicaIndex>;
}

/** One index per org and store, shared by every request of this process. */
const caches = new WeakMap<object, Map<string, Cached>>();

function cacheOf(db: Kysely<Database>): Map<string, Cached> {
    let map = caches.get(db);
    if (!map) {
        map = new Map();
        caches.set(db, map);
    }
    return map;
}

async function loadIndex(db: Kysely<Database>, orgId: string): Promise<ReplicaIndex> {
    const index = new ReplicaIndex();
    // Keyset pages keep memory flat on large orgs.
    let after: { object: string; id: string } | null = null;
    for (;;) {
        let q = db
            .selectFrom('crm_records')
            .select(['object', 'id', 'data'])
            .where('org_id', '=', orgId)
            .orderBy('object')
            .orderBy('id')
            .limit(5000);
        if (after) {
            const { object, id } = after;
            q = q.where((eb) =>
                eb.or([eb('object', '>', object), eb.and([eb('object', '=', object), eb('id', '>', id)])])
            );
        }
        const rows = await q.execute();
        for (const r of rows) index.apply(r.object as ReplicaObject, r.data);
        const last = rows[rows.length - 1];
        if (!last || rows.length < 5000) break;
        after = { object: last.object, id: last.id };
    }
    return index;
}

/**
 * The org's replica indexes (MATCH-2): built once from the stored replica, then reused. A pull
 * in this process updates them in place (`applyToCachedIndex`); a pull by another process
 * bumps the stored version, and the next caller here rebuilds.
 */
export async function replicaIndex(db: Kysely<Database>, orgId: string): Promise<ReplicaIndex> {
    const cache = cacheOf(db);
    const version = await replicaVersion(db, orgId);
    const cached = cache.get(orgId);
    if (cached && cached.version === version) return cached.index;
    const index = loadIndex(db, orgId);
    cache.set(orgId, { version, index });
    index.catch(() => cache.delete(orgId));
    return index;
}

export interface ReplicaChange {
    object: ReplicaObject;
    upserted: CrmRecord[];
    deleted: string[];
}

/**
 * After a pull moved the replica from `fromVersion` to `toVersion`: apply its changes to this
 * process's index when that index was current, else drop it (the next match rebuilds).
 */
export async function applyToCachedIndex(
    db: Kysely<Database>,
    orgId: string,
    fromVersion: number,
    toVersion: number,
    changes: ReplicaChange[]
): Promise<void> {
    const cache = cacheOf(db);
    const cached = cache.get(orgId);
    if (!cached) return;
    if (cached.version !== fromVersion) {
        cache.delete(orgId);
        return;
    }
    const index = await cached.index;
    for (const change of changes) {
        for (const r of change.upserted) index.apply(change.object, r);
        for (const id of change.deleted) index.remove(change.object, id);
    }
    cached.version = toVersion;
}

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
