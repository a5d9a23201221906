import { sql, type ColumnType, type Kysely, type Selectable, type Transaction } from 'kysely';
import { newId } from './ids';
import { unnestRows, type UnnestKind } from './statement-chunks';
import { type CreatedAt, type Database, type Json, type NullableTimestamp } from './schema';

type Db = Kysely<Database> | Transaction<Database>;
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** The outbox operations of API.md's write-back section. */
export const WRITEBACK_OPERATIONS = [
    'upsert_event',
    'upsert_task',
    'create_contact',
    'create_contact_role',
    'update_aggregates',
    'write_answers'
] as const;
export type WritebackOperation = (typeof WRITEBACK_OPERATIONS)[number];
export type ItemState = 'pending' | 'written' | 'parked' | 'skipped';

export interface ItemError {
    code: string;
    message: string;
    remedy: string | null;
}

export interface WritebackItemTable {
    id: string;
    org_id: string;
    operation: WritebackOperation;
    /** The activity id (the record id for update_aggregates): unique with org and operation. */
    key: string;
    activity_id: string | null;
    sobject: string;
    /** The Salesforce record written (Event/Task/Contact/… id); kept across rewrites. */
    record_id: string | null;
    /** Operation input that the activity row does not hold (write_answers fields, flags). */
    payload: Json<Record<string, unknown>>;
    /** Bumped by every enqueue; a worker marks written only the revision it claimed. */
    revision: Defaulted<number>;
    written_revision: number | null;
    state: ItemState;
    /** skipped: which toggle (CP-4). */
    reason: string | null;
    attempts: Defaulted<number>;
    next_attempt_at: CreatedAt;
    lease_owner: string | null;
    lease_until: NullableTimestamp;
    last_error: Json<ItemError | null>;
    written_at: NullableTimestamp;
    created_at: CreatedAt;
    updated_at: CreatedAt;
}

export interface WritebackAggregateTable {
    org_id: string;
    record_id: string;
    sobject: string;
    last_activity_at: NullableTimestamp;
    email_count: number;
    meeting_count: number;
    updated_at: CreatedAt;
}

export interface WritebackSettingsTable {
    org_id: string;
    max_daily_api_share: Defaulted<number>;
    daily_limit: number | null;
    remaining: number | null;
    limits_read_at: NullableTimestamp;
    budget_day: string | null;
    used_today: Defaulted<number>;
    last_flush_at: NullableTimestamp;
    updated_at: CreatedAt;
}

export interface WritebackTables {
    writeback_items: WritebackItemTable;
    writeback_aggregates: WritebackAggregateTable;
    writeback_settings: WritebackSettingsTable;
}

export type ItemRow = Selectable<WritebackItemTable>;
export type SettingsRow = Selectable<WritebackSettingsTable>;

/**
 * Several workers write the outbox at once (SCALE-1): multi-row statements lock rows in the order
 * given (sorted by key here), and a deadlock the database still detects (40P01) is retried.
 */
export async function retryOnDeadlock<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
    for (let i = 1; ; i++) {
        try {
            return await fn();
        } catch (error) {
            const code = (error as { code?: string }).code;
            if ((code !== '40P01' && code !== '40001') || i >= attempts) throw error;
            await new Promise((resolve) => setTimeout(resolve, 20 * i * Math.random()));
        }
    }
}

export interface NewItem {
    operation: WritebackOperation;
    key: string;
    activityId: string | null;
    sobject: string;
    state: 'pending' | 'skipped';
    reason?: string | null;
    payload?: Record<string, unknown>;
}

/** The columns a new outbox row is written with, as `unnestRows` sends them (SCALE-3). */
const ITEM_COLUMNS = [
    ['id', 'text'],
    ['org_id', 'text'],
    ['operation', 'text'],
    ['key', 'text'],
    ['activity_id', 'text'],
    ['sobject', 'text'],
    ['payload', 'jsonb'],
    ['state', 'text'],
    ['reason', 'text'],
    ['last_error', 'jsonb']
] as const satisfies readonly (readonly [keyof WritebackItemTable, UnnestKind])[];

/**
 * Put items in the outbox: a new row, or the existing one for (org, operation, key) rewritten to
 * the new revision (pending again, attempts reset, its Salesforce record id kept). Never a duplicate.
 */
export async function enqueueItems(db: Db, orgId: string, items: NewItem[]): Promise<void> {
    const sorted = [...items].sort((a, b) =>
        a.operation === b.operation ? a.key.localeCompare(b.key) : a.operation.localeCompare(b.operation)
    );
    for (let i = 0; i < sorted.length; i += 500) {
        const batch = sorted.slice(i, i + 500);
        await retryOnDeadlock(() =>
            db
                .insertInto('writeback_items')
                .columns(ITEM_COLUMNS.map(([name]) => name))
                .expression(
                    unnestRows(
                        ITEM_COLUMNS,
                        batch.map((it) => ({
                            id: newId('wbi'),
                            org_id: orgId,
                            operation: it.operation,
                            key: it.key,
                            activity_id: it.activityId,
                            sobject: it.sobject,
                            payload: JSON.stringify(it.payload ?? {}),
                            state: it.state,
                            reason: it.reason ?? null,
                            last_error: 'null'
                        }))
                    )
                )
                .onConflict((oc) =>
                    oc
                        .columns(['org_id', 'operation', 'key'])
                        .doUpdateSet({
                            sobject: (eb) => eb.ref('excluded.sobject'),
                            payload: sql<Record<string, unknown>>`writeback_items.payload || excluded.payload`,
                            state: (eb) => eb.ref('excluded.state'),
                            reason: (eb) => eb.ref('excluded.reason'),
                            revision: sql`writeback_items.revision + 1`,
                            attempts: 0,
                            next_attempt_at: sql`now()`,
                            last_error: sql<ItemError | null>`null`,
                            updated_at: sql`now()`
                        })
                        // An aggregate already waiting (pending, due, not leased) is recomputed from the
                        // written activities when its turn comes: asking again changes nothing, so the
                        // row is left alone (a backlog re-touches the same records batch after batch).
                        .where(
                            sql<boolean>`not (excluded.operation = 'update_aggregates' and writeback_items.state = 'pending'
                                and writeback_items.lease_owner is null and writeback_items.next_attempt_at <= now())`
                        )
                )
                .execute()
        );
    }
}

export interface ClaimOptions {
    operations: WritebackOperation[];
    sobject?: string;
    limit: number;
    worker: string;
    leaseSeconds: number;
}

/**
 * Claim due pending items under a lease. `FOR UPDATE SKIP LOCKED` keeps two workers from
 * taking the same row at the same moment; the lease keeps them apart until it runs out.
 */
export async function claimItems(db: Kysely<Database>, orgId: string, o: ClaimOptions): Promise<ItemRow[]> {
    // One statement: the locking select is a sub-query of the update that takes the lease.
    let q = db
        .selectFrom('writeback_items')
        .select('id')
        .where('org_id', '=', orgId)
        .where('state', '=', 'pending')
        .where('operation', 'in', o.operations)
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(o.limit)
        .forUpdate()
        .skipLocked();
    if (o.sobject) q = q.where('sobject', '=', o.sobject);
    const rows = await db
        .updateTable('writeback_items')
        .set({
            lease_owner: o.worker,
            lease_until: sql`now() + ${o.leaseSeconds} * interval '1 second'`
        })
        .where('id', 'in', q)
        .returningAll()
        .execute();
    // In due order, as the select found them.
    return rows.sort(
        (a, b) =>
            new Date(a.next_attempt_at).getTime() - new Date(b.next_attempt_at).getTime() || a.id.localeCompare(b.id)
    );
}

/**
 * Extend the lease on every item this worker holds in the org (a Bulk 2.0 job still running past
 * the claim's lease): one statement, whatever the number of items. Items another worker took
 * after the lease ran out are not touched.
 */
export async function extendLeases(db: Db, orgId: string, worker: string, leaseSeconds: number): Promise<number> {
    const r = await db
        .updateTable('writeback_items')
        .set({ lease_until: sql`now() + ${leaseSeconds} * interval '1 second'` })
        .where('org_id', '=', orgId)
        .where('state', '=', 'pending')
        .where('lease_owner', '=', worker)
        .executeTakeFirst();
    return Number(r.numUpdatedRows);
}

/** The sObjects that have due pending items of these operations, with how many. */
export async function dueBySobject(
    db: Db,
    orgId: string,
    operations: WritebackOperation[]
): Promise<{ sobject: string; n: number }[]> {
    const rows = await db
        .selectFrom('writeback_items')
        .select(['sobject', sql<number>`count(*)`.as('n')])
        .where('org_id', '=', orgId)
        .where('state', '=', 'pending')
        .where('operation', 'in', operations)
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
        .groupBy('sobject')
        .execute();
    return rows.map((r) => ({ sobject: r.sobject, n: Number(r.n) }));
}

const SETTLE_CHUNK = 200;

export interface Outcome {
    id: string;
    /** The revision the worker claimed. */
    revision: number;
    /** release: back to pending untouched (not an attempt), due after `delaySeconds`. */
    kind: 'written' | 'retry' | 'parked' | 'release' | 'skipped';
    /** skipped: the toggle (CP-4). */
    reason?: string | null;
    recordId?: string | null;
    error?: ItemError | null;
    /** retry: seconds from now. */
    delaySeconds?: number;
    /** Merged into the payload (flags such as `rematched`). */
    payload?: Record<string, unknown>;
}

/**
 * Settle claimed items in one statement. Only rows still leased by this worker change; an item
 * re-enqueued meanwhile (a newer revision) goes back to pending instead of written.
 */
export async function settleItems(db: Db, orgId: string, worker: string, outcomes: Outcome[]): Promise<string[]> {
    if (outcomes.length === 0) return [];
    // Statements of 200 rows: PGlite slows down more than linearly on larger ones.
    if (outcomes.length > SETTLE_CHUNK) {
        const written: string[] = [];
        const sorted = [...outcomes].sort((a, b) => a.id.localeCompare(b.id));
        for (let i = 0; i < sorted.length; i += SETTLE_CHUNK)
            written.push(...(await settleItems(db, orgId, worker, sorted.slice(i, i + SETTLE_CHUNK))));
        return written;
    }
    const rows = [...outcomes]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((o) => ({
            id: o.id,
            rev: o.revision,
            kind: o.kind,
            rid: o.recordId ?? null,
            err: o.error ?? null,
            delay: o.delaySeconds ?? 0,
            reason: o.reason ?? null,
            extra: o.payload ?? {}
        }));
    const result = await retryOnDeadlock(() =>
        sql<{ id: string; state: ItemState }>`
        update writeback_items w set
            state = case
                when v.kind = 'written' and w.revision = v.rev then 'written'
                when v.kind = 'parked' and w.revision = v.rev then 'parked'
                when v.kind = 'skipped' and w.revision = v.rev then 'skipped'
                else 'pending' end,
            reason = case when v.kind = 'skipped' then v.reason else w.reason end,
            record_id = coalesce(v.rid, w.record_id),
            written_revision = case when v.kind = 'written' then v.rev else w.written_revision end,
            written_at = case when v.kind = 'written' then now() else w.written_at end,
            attempts = case when v.kind in ('release', 'skipped') or w.revision <> v.rev then w.attempts else w.attempts + 1 end,
            next_attempt_at = case when (v.kind = 'retry' and w.revision = v.rev) or v.kind = 'release'
                then now() + v.delay * interval '1 second' else now() end,
            last_error = case when v.kind in ('retry', 'parked') and w.revision = v.rev then v.err
                when v.kind = 'written' then null else w.last_error end,
            payload = w.payload || v.extra,
            lease_owner = null,
            lease_until = null,
            updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            as v(id text, rev integer, kind text, rid text, err jsonb, delay double precision, reason text,
                extra jsonb)
        where w.id = v.id and w.org_id = ${orgId} and w.lease_owner = ${worker}
        returning w.id, w.state`.execute(db)
    );
    return result.rows.filter((r) => r.state === 'written').map((r) => r.id);
}

/** Mark the activities' written revision (MATCH-6: `synced_revision`). */
export async function markActivitiesSynced(db: Db, orgId: string, synced: { id: string; revision: number }[]) {
    if (synced.length === 0) return;
    if (synced.length > SETTLE_CHUNK) {
        for (let i = 0; i < synced.length; i += SETTLE_CHUNK)
            await markActivitiesSynced(db, orgId, synced.slice(i, i + SETTLE_CHUNK));
        return;
    }
    await sql`
        update activities a set synced_revision = v.rev
        from jsonb_to_recordset(${JSON.stringify(synced)}::jsonb) as v(id text, rev integer)
        where a.id = v.id and a.org_id = ${orgId}`.execute(db);
}

export async function getItem(db: Db, orgId: string, id: string): Promise<ItemRow | undefined> {
    return db
        .selectFrom('writeback_items')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
}

/** A parked item back to pending, due now (POST /v1/writeback/items/:id/retry). */
export async function requeueItem(db: Db, orgId: string, id: string): Promise<boolean> {
    const r = await db
        .updateTable('writeback_items')
        .set({ state: 'pending', attempts: 0, next_attempt_at: sql`now()`, updated_at: sql`now()` })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .where('state', '=', 'parked')
        .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
}

export interface ItemFilter {
    state?: ItemState | undefined;
    activityId?: string | undefined;
    limit: number;
    after?: { updatedAt: string; id: string } | undefined;
}

export async function listItems(db: Db, orgId: string, f: ItemFilter): Promise<ItemRow[]> {
    let q = db
        .selectFrom('writeback_items')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(f.limit + 1);
    if (f.state) q = q.where('state', '=', f.state);
    if (f.activityId) q = q.where('activity_id', '=', f.activityId);
    if (f.after) {
        const { updatedAt, id } = f.after;
        q = q.where((eb) =>
            eb.or([
                eb('updated_at', '<', new Date(updatedAt)),
                eb.and([eb('updated_at', '=', new Date(updatedAt)), eb('id', '<', id)])
            ])
        );
    }
    return q.execute();
}

export async function countByState(db: Db, orgId: string): Promise<Record<ItemState, number>> {
    const rows = await db
        .selectFrom('writeback_items')
        .select(['state', sql<number>`count(*)`.as('n')])
        .where('org_id', '=', orgId)
        .groupBy('state')
        .execute();
    const out: Record<ItemState, number> = { pending: 0, written: 0, parked: 0, skipped: 0 };
    for (const r of rows) out[r.state] = Number(r.n);
    return out;
}

/** Orgs with a pending item due now and not leased (the write-back tick, MATCH-6). */
export async function orgsWithDueItems(db: Db): Promise<string[]> {
    const due = await db
        .selectFrom('writeback_items')
        .select('org_id')
        .distinct()
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
        .execute();
    return due.map((r) => r.org_id);
}

/** The earliest time a pending item of the org comes due (null: nothing pending). */
export async function nextDueAt(db: Db, orgId: string): Promise<Date | null> {
    const row = await db
        .selectFrom('writeback_items')
        .select(sql<Date | null>`min(greatest(next_attempt_at, coalesce(lease_until, next_attempt_at)))`.as('at'))
        .where('org_id', '=', orgId)
        .where('state', '=', 'pending')
        .executeTakeFirst();
    return row?.at ? new Date(row.at) : null;
}

/** The activity-write items (Event/Task) of these activities: their sync state. */
export async function activityItems(db: Db, orgId: string, activityIds: string[]): Promise<ItemRow[]> {
    if (activityIds.length === 0) return [];
    return db
        .selectFrom('writeback_items')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('activity_id', 'in', activityIds)
        .where('operation', 'in', ['upsert_event', 'upsert_task'])
        .execute();
}

// ------------------------------------------------------------------ settings and budget

export async function getSettings(db: Db, orgId: string): Promise<SettingsRow> {
    await db
        .insertInto('writeback_settings')
        .values({ org_id: orgId })
        .onConflict((oc) => oc.column('org_id').doNothing())
        .execute();
    return db.selectFrom('writeback_settings').selectAll().where('org_id', '=', orgId).executeTakeFirstOrThrow();
}

export async function setShare(db: Db, orgId: string, share: number): Promise<SettingsRow> {
    await getSettings(db, orgId);
    return db
        .updateTable('writeback_settings')
        .set({ max_daily_api_share: share, updated_at: sql`now()` })
        .where('org_id', '=', orgId)
        .returningAll()
        .executeTakeFirstOrThrow();
}

const TODAY = sql<string>`(now() at time zone 'utc')::date`;

/** Record what Salesforce said of the daily allowance (`/limits` or a `Sforce-Limit-Info` header). */
export async function recordLimits(
    db: Db,
    orgId: string,
    limits: { dailyLimit: number; remaining: number; fromLimits: boolean }
): Promise<void> {
    await db
        .updateTable('writeback_settings')
        .set({
            daily_limit: limits.dailyLimit,
            remaining: limits.remaining,
            ...(limits.fromLimits ? { limits_read_at: sql`now()` } : {}),
            updated_at: sql`now()`
        })
        .where('org_id', '=', orgId)
        .execute();
}

/**
 * Reserve `calls` API calls of today's budget (MATCH-13), atomically across processes: allowed
 * while Backstory's calls today stay within `share × (remaining + used today)`, i.e. the share of
 * what the org had left for the day before Backstory's own calls. False: wait.
 */
export async function reserveCalls(db: Db, orgId: string, calls: number): Promise<boolean> {
    const used = sql<number>`(case when budget_day = ${TODAY} then used_today else 0 end)`;
    const r = await db
        .updateTable('writeback_settings')
        .set({ used_today: sql`${used} + ${calls}`, budget_day: TODAY })
        .where('org_id', '=', orgId)
        .where('remaining', 'is not', null)
        .where(sql<boolean>`${used} + ${calls} <= floor(max_daily_api_share * (remaining + ${used}))`)
        .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
}

export async function markFlushed(db: Db, orgId: string): Promise<void> {
    await db
        .updateTable('writeback_settings')
        .set({ last_flush_at: sql`now()` })
        .where('org_id', '=', orgId)
        .execute();
}

/** Backstory's calls today (0 after midnight UTC). */
export function usedToday(s: SettingsRow): number {
    const today = new Date().toISOString().slice(0, 10);
    return s.budget_day === today ? s.used_today : 0;
}

// ------------------------------------------------------------------ aggregates

export interface AggregateValues {
    recordId: string;
    sobject: string;
    lastActivityDate: string | null;
    emailCount: number;
    meetingCount: number;
}

/**
 * MATCH-12: the aggregates of these records, from written activities. An activity counts for
 * every record it touches: its WhoId, its WhatId, and the account of either (from the replica).
 */
export async function computeAggregates(db: Db, orgId: string, recordIds: string[]): Promise<AggregateValues[]> {
    if (recordIds.length === 0) return [];
    const result = await sql<{ record_id: string; last_date: Date | string | null; emails: number; meetings: number }>`
        with ids as (
            select jsonb_array_elements_text(${JSON.stringify(recordIds)}::jsonb) as id
        ), via as (
            -- contacts and opportunities of these accounts: their activities count for the account
            select c.id from crm_records c
            where c.org_id = ${orgId} and c.object in ('Contact', 'Opportunity')
                and (c.data->>'AccountId') in (select id from ids)
        ), near as (
            select a.id, a.type, a.starts_at, a.who_id, a.what_id from activities a
            where a.org_id = ${orgId} and (a.who_id in (select id from ids) or a.what_id in (select id from ids)
                or a.who_id in (select id from via) or a.what_id in (select id from via))
        ), written as (
            select n.* from near n
            where exists (select 1 from writeback_items w where w.org_id = ${orgId} and w.activity_id = n.id
                and w.operation in ('upsert_event', 'upsert_task') and w.written_revision is not null)
        ), touched as (
            select id, type, starts_at, who_id as record_id from written where who_id is not null
            union
            select id, type, starts_at, what_id from written where what_id is not null
            union
            select w.id, w.type, w.starts_at, c.data->>'AccountId' from written w
                join crm_records c on c.org_id = ${orgId} and c.id in (w.who_id, w.what_id)
                    and c.object in ('Contact', 'Opportunity')
                where c.data->>'AccountId' is not null
        )
        select record_id, max(starts_at) as last_date,
            count(*) filter (where type = 'email') as emails,
            count(*) filter (where type = 'meeting') as meetings
        from touched where record_id in (select id from ids)
        group by record_id`.execute(db);
    const byId = new Map(result.rows.map((r) => [r.record_id, r]));
    return recordIds.map((id) => {
        const r = byId.get(id);
        return {
            recordId: id,
            sobject: '',
            lastActivityDate: r?.last_date ? new Date(r.last_date).toISOString() : null,
            emailCount: Number(r?.emails ?? 0),
            meetingCount: Number(r?.meetings ?? 0)
        };
    });
}

export async function lastWrittenAggregates(
    db: Db,
    orgId: string,
    recordIds: string[]
): Promise<Map<string, AggregateValues>> {
    if (recordIds.length === 0) return new Map();
    const rows = await db
        .selectFrom('writeback_aggregates')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('record_id', 'in', recordIds)
        .execute();
    return new Map(
        rows.map((r) => [
            r.record_id,
            {
                recordId: r.record_id,
                sobject: r.sobject,
                lastActivityDate: r.last_activity_at ? new Date(r.last_activity_at).toISOString() : null,
                emailCount: r.email_count,
                meetingCount: r.meeting_count
            }
        ])
    );
}

export async function saveAggregates(db: Db, orgId: string, values: AggregateValues[]): Promise<void> {
    if (values.length === 0) return;
    await db
        .insertInto('writeback_aggregates')
        .values(
            values.map((v) => ({
                org_id: orgId,
                record_id: v.recordId,
                sobject: v.sobject,
                last_activity_at: v.lastActivityDate,
                email_count: v.emailCount,
                meeting_count: v.meetingCount
            }))
        )
        .onConflict((oc) =>
            oc.columns(['org_id', 'record_id']).doUpdateSet({
                sobject: (eb) => eb.ref('excluded.sobject'),
                last_activity_at: (eb) => eb.ref('excluded.last_activity_at'),
                email_count: (eb) => eb.ref('excluded.email_count'),
                meeting_count: (eb) => eb.ref('excluded.meeting_count'),
                updated_at: sql`now()`
            })
        )
        .execute();
}
