import type { Connection } from '@jsforce/jsforce-node';
import type { Kysely } from 'kysely';
import type { CrmRecord, ReplicaObject } from '../domain/matching/types';
import {
    applyToCachedIndex,
    bumpReplicaVersion,
    deleteRecords,
    getPullStates,
    replicaVersion,
    savePullState,
    upsertRecords,
    type PullState,
    type ReplicaChange
} from '../store/crm';
import type { Database } from '../store/schema';
import { describeError } from './connection';
import { objectSpec, recommendedFields, requiredFields } from '../domain/manifest';

/**
 * The CRM pull (MATCH-2, PERM-5): per org, the objects matching needs, into the replica.
 *
 * - Field lists come from the integration manifest (PERM-6): every required (and inherited)
 *   field, and the recommended ones the integration user can read. Each object is described
 *   once per pull, as the integration user (field-level security hides unreadable fields). A
 *   required field that cannot be read blocks that object's pull (`blocked`, naming the fields)
 *   until it is readable again; the watermark is kept, so the pull resumes where it stopped.
 * - Incremental by SystemModstamp through queryAll, so deletions arrive with IsDeleted = true
 *   and leave the replica. SOQL datetime literals stop at the second, so the pull asks
 *   `SystemModstamp >= <the watermark's second>` and skips the records it already has from that
 *   second (kept as `boundaryIds`) unless they changed since: `> watermark` would lose a record
 *   written later in the same second as the last one pulled.
 * - A first (or re-) pull of an object larger than `bulkThreshold` goes through Bulk API 2.0.
 * - Describes are one /composite call and queries at most five per /composite call, so a pull
 *   of an unchanged org costs three API calls whatever its size.
 */

/** The objects pulled, parents first. */
export const PULL_OBJECTS: ReplicaObject[] = [
    'User',
    'UserRole',
    'RecordType',
    'Account',
    'Contact',
    'Lead',
    'Opportunity',
    'OpportunityContactRole',
    'AccountTeamMember',
    'OpportunityTeamMember'
];

/**
 * Fields matching needs beyond the manifest's lists, pulled when readable: names and emails of
 * people (email → contact/lead and user email → user id), the user's role. RecordType is not in
 * the manifest (it is always readable): its fields are listed here and required.
 */
const MATCHING_FIELDS: Partial<Record<ReplicaObject, string[]>> = {
    User: ['Name', 'Email', 'Username', 'UserRoleId', 'ManagerId', 'Title'],
    Contact: ['FirstName', 'LastName'],
    Lead: ['FirstName', 'LastName'],
    Account: ['Name'],
    RecordType: []
};
const RECORD_TYPE_FIELDS = ['Id', 'Name', 'DeveloperName', 'SobjectType', 'IsActive', 'SystemModstamp'];

export interface ObjectPullResult {
    object: ReplicaObject;
    state: 'ok' | 'blocked' | 'error';
    /** Records inserted or updated in the replica by this pull. */
    pulled: number;
    /** Records removed from the replica (deleted in Salesforce). */
    deleted: number;
    missingRequiredFields: string[];
    skippedRecommendedFields: string[];
    /** `bulk` / `full`: a whole-object pull (first pull, or the readable field list changed); `incremental`: by watermark. */
    mode: 'bulk' | 'full' | 'incremental' | null;
    error: string | null;
}

export interface PullOptions {
    /** A whole-object pull above this many records uses Bulk API 2.0 (default 10,000). */
    bulkThreshold?: number;
    /** Bulk job polling interval (default 500 ms). */
    bulkPollIntervalMs?: number;
}

export interface PullResult {
    objects: ObjectPullResult[];
    /** Salesforce API calls this pull used, from the Sforce-Limit-Info header (null when unknown). */
    apiCalls: number | null;
}

interface DescribeField {
    name: string;
    type: string;
    compoundFieldName?: string | null;
}

interface Plan {
    object: ReplicaObject;
    fields: string[];
    types: Map<string, string>;
    missingRequired: string[];
    skippedRecommended: string[];
}

interface QueryPage {
    totalSize: number;
    done: boolean;
    records: Record<string, unknown>[];
    nextRecordsUrl?: string;
}

interface CompositeResponse {
    compositeResponse: { body: unknown; httpStatusCode: number; referenceId: string }[];
}

const running = new Map<string, Promise<PullResult>>();

/** Pull an org's CRM into its replica. Concurrent calls for one org share one pull. */
export function pullCrm(
    conn: Connection,
    db: Kysely<Database>,
    orgId: string,
    options: PullOptions = {}
): Promise<PullResult> {
    const pending = running.get(orgId);
    if (pending) return pending;
    const started = runPull(conn, db, orgId, options).finally(() => running.delete(orgId));
    running.set(orgId, started);
    return started;
}

async function runPull(
    conn: Connection,
    db: Kysely<Database>,
    orgId: string,
    options: PullOptions
): Promise<PullResult> {
    const threshold = options.bulkThreshold ?? 10_000;
    const states = await getPullStates(db, orgId);
    const fromVersion = await replicaVersion(db, orgId);
    const base = `/services/data/v${conn.version}`;

    const described = await composite(
        conn,
        PULL_OBJECTS.map((object) => ({
            method: 'GET',
            url: `${base}/sobjects/${object}/describe`,
            referenceId: object
        }))
    );
    const usedAtStart = conn.limitInfo?.apiUsage?.used;
    const results = new Map<ReplicaObject, ObjectPullResult>();
    const plans: Plan[] = [];
    for (const object of PULL_OBJECTS) {
        const sub = described.get(object);
        const plan = planObject(
            object,
            sub && sub.httpStatusCode === 200 ? (sub.body as { fields: DescribeField[] }) : null
        );
        const state = states.get(object);
        if (plan.missingRequired.length > 0) {
            // PERM-5: stop this object; keep its watermark so it resumes once the fields are readable.
            results.set(object, result(object, 'blocked', plan, null));
            await savePullState(db, orgId, {
                ...(state ?? emptyState(object)),
                state: 'blocked',
                missingRequiredFields: plan.missingRequired,
                skippedRecommendedFields: plan.skippedRecommended,
                lastPulled: 0,
                lastDeleted: 0,
                lastError: null,
                lastPullAt: new Date()
            });
            continue;
        }
        plans.push(plan);
    }

    // The queries: incremental where there is a watermark for the same field list, whole otherwise.
    const whole = (p: Plan) => {
        const s = states.get(p.object);
        return !s?.watermark || !sameFields(s.fields, p.fields);
    };
    const soql = (p: Plan) => {
        const s = states.get(p.object);
        const where = whole(p) ? '' : ` WHERE SystemModstamp >= ${soqlSecond(stampOf(s?.watermark) ?? 0)}`;
        return `SELECT ${p.fields.join(', ')} FROM ${p.object}${where}`;
    };
    const firstPages = new Map<ReplicaObject, { status: number; body: unknown }>();
    for (let i = 0; i < plans.length; i += 5) {
        const chunk = plans.slice(i, i + 5);
        const answers = await composite(
            conn,
            chunk.map((p) => ({
                method: 'GET',
                url: `${base}/${whole(p) ? 'query' : 'queryAll'}?q=${encodeURIComponent(soql(p))}`,
                referenceId: p.object
            }))
        );
        for (const p of chunk) {
            const a = answers.get(p.object);
            if (a) firstPages.set(p.object, { status: a.httpStatusCode, body: a.body });
        }
    }

    const changes: ReplicaChange[] = [];
    for (const plan of plans) {
        const object = plan.object;
        const state = states.get(object) ?? emptyState(object);
        const isWhole = whole(plan);
        try {
            const first = firstPages.get(object);
            if (!first || first.status !== 200) throw new Error(subrequestError(first?.body, first?.status));
            let page = first.body as QueryPage;
            let records: Record<string, unknown>[];
            let mode: ObjectPullResult['mode'];
            if (isWhole && page.totalSize > threshold) {
                mode = 'bulk';
                records = await bulkQuery(conn, soql(plan), plan.types, options.bulkPollIntervalMs ?? 500);
            } else {
                mode = isWhole ? 'full' : 'incremental';
                records = [...page.records];
                while (!page.done && page.nextRecordsUrl) {
                    page = (await conn.request(page.nextRecordsUrl)) as QueryPage;
                    records.push(...page.records);
                }
            }
            const change = await applyObject(db, orgId, plan, state, records, isWhole, mode);
            if (change.upserted.length > 0 || change.deleted.length > 0) changes.push(change);
            results.set(object, {
                ...result(object, 'ok', plan, mode),
                pulled: change.upserted.length,
                deleted: change.deleted.length
            });
        } catch (error) {
            const message = describeError(error);
            results.set(object, { ...result(object, 'error', plan, null), error: message });
            await savePullState(db, orgId, { ...state, state: 'error', lastError: message, lastPullAt: new Date() });
        }
    }

    if (changes.length > 0) {
        const toVersion = await bumpReplicaVersion(db, orgId);
        await applyToCachedIndex(db, orgId, fromVersion, toVersion, changes);
    }
    const usedAtEnd = conn.limitInfo?.apiUsage?.used;
    return {
        objects: PULL_OBJECTS.map((o) => results.get(o)).filter((r): r is ObjectPullResult => r !== undefined),
        apiCalls: usedAtStart !== undefined && usedAtEnd !== undefined ? usedAtEnd - usedAtStart + 1 : null
    };
}

/** Which fields to select: manifest required + inherited (must be readable) and the readable recommended ones. */
export function planObject(object: ReplicaObject, describe: { fields: DescribeField[] } | null): Plan {
    const inManifest = objectSpec(object) !== undefined;
    const required = inManifest ? requiredFields(object) : object === 'RecordType' ? RECORD_TYPE_FIELDS : ['Id'];
    const recommended = [
        ...new Set([...(inManifest ? recommendedFields(object) : []), ...(MATCHING_FIELDS[object] ?? [])])
    ].filter((f) => !required.includes(f));
    if (!describe) {
        return { object, fields: [], types: new Map(), missingRequired: required, skippedRecommended: recommended };
    }
    const readable = new Map(describe.fields.map((f) => [f.name, f]));
    const types = new Map(describe.fields.map((f) => [f.name, f.type]));
    // Compound fields (addresses) are selected through their readable components: Bulk API cannot
    // return compound fields, and field permissions are granted per component.
    const components = (name: string) => describe.fields.filter((c) => c.compoundFieldName === name).map((c) => c.name);
    const isReadable = (name: string) => readable.has(name) || components(name).length > 0;
    const select = (name: string): string[] => {
        const f = readable.get(name);
        if (!f || f.type === 'address' || f.type === 'location') return components(name);
        return [name];
    };
    const missingRequired = required.filter((f) => !isReadable(f));
    const skippedRecommended = recommended.filter((f) => !isReadable(f));
    const fields = [...new Set([...required, ...recommended].flatMap(select))];
    return { object, fields, types, missingRequired, skippedRecommended };
}

async function applyObject(
    db: Kysely<Database>,
    orgId: string,
    plan: Plan,
    state: PullState,
    raw: Record<string, unknown>[],
    isWhole: boolean,
    mode: ObjectPullResult['mode']
): Promise<ReplicaChange> {
    const object = plan.object;
    const oldMark = isWhole ? null : stampOf(state.watermark);
    const boundary = new Set(isWhole ? [] : state.boundaryIds);
    const upserted: CrmRecord[] = [];
    const deletedIds: string[] = [];
    let maxStamp: number | null = oldMark;
    let maxRaw = isWhole ? null : state.watermark;
    const stamps: [string, number][] = [];
    for (const r of raw) {
        const record = clean(r);
        const stamp = stampOf(record.SystemModstamp);
        if (stamp !== null) {
            stamps.push([record.Id, stamp]);
            if (maxStamp === null || stamp > maxStamp) {
                maxStamp = stamp;
                maxRaw = String(record.SystemModstamp);
            }
        }
        // Pulled before, within the watermark's second, and unchanged since: nothing new.
        if (oldMark !== null && stamp !== null && stamp <= oldMark && boundary.has(record.Id)) continue;
        if (record.IsDeleted === true) deletedIds.push(record.Id);
        else upserted.push(record);
    }
    // The ids of the watermark's second: the next pull asks from that second again and skips them.
    const second = maxStamp === null ? null : Math.floor(maxStamp / 1000) * 1000;
    const atMax = new Set(second === null ? [] : stamps.filter(([, t]) => t >= second).map(([id]) => id));
    if (second !== null && oldMark !== null && Math.floor(oldMark / 1000) * 1000 === second)
        for (const id of boundary) atMax.add(id);
    await db.transaction().execute(async (trx) => {
        if (isWhole) {
            // A whole pull replaces the object: what it did not return is gone from Salesforce.
            const seen = new Set(upserted.map((r) => r.Id));
            const existing = await trx
                .selectFrom('crm_records')
                .select('id')
                .where('org_id', '=', orgId)
                .where('object', '=', object)
                .execute();
            for (const e of existing) if (!seen.has(e.id)) deletedIds.push(e.id);
        }
        await upsertRecords(trx, orgId, object, upserted);
        await deleteRecords(trx, orgId, object, deletedIds);
        await savePullState(trx, orgId, {
            object,
            state: 'ok',
            watermark: maxRaw,
            boundaryIds: [...atMax],
            fields: plan.fields,
            missingRequiredFields: [],
            skippedRecommendedFields: plan.skippedRecommended,
            lastMode: mode,
            lastPulled: upserted.length,
            lastDeleted: deletedIds.length,
            lastError: null,
            lastPullAt: new Date()
        });
    });
    return { object, upserted, deleted: deletedIds };
}

async function composite(
    conn: Connection,
    requests: { method: string; url: string; referenceId: string }[]
): Promise<Map<string, { body: unknown; httpStatusCode: number }>> {
    const res = (await conn.request({
        method: 'POST',
        url: `/services/data/v${conn.version}/composite`,
        body: JSON.stringify({ allOrNone: false, compositeRequest: requests }),
        headers: { 'content-type': 'application/json' }
    })) as CompositeResponse;
    return new Map(res.compositeResponse.map((r) => [r.referenceId, r]));
}

/** Bulk API 2.0 query; CSV values are typed back from the describe (numbers, booleans, empty → null). */
async function bulkQuery(
    conn: Connection,
    soql: string,
    types: Map<string, string>,
    pollInterval: number
): Promise<Record<string, unknown>[]> {
    const stream = await conn.bulk2.query(soql, { pollInterval, pollTimeout: 30 * 60_000 });
    const out: Record<string, unknown>[] = [];
    for await (const row of stream as AsyncIterable<Record<string, unknown>>) {
        const typed: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) typed[k] = fromCsv(v, types.get(k));
        out.push(typed);
    }
    return out;
}

const NUMERIC = new Set(['int', 'double', 'currency', 'percent', 'long']);

function fromCsv(value: unknown, type: string | undefined): unknown {
    if (value === null || value === undefined || value === '') return null;
    if (typeof value !== 'string') return value;
    if (type === 'boolean') return value === 'true';
    if (type && NUMERIC.has(type)) {
        const n = Number(value);
        return Number.isNaN(n) ? value : n;
    }
    return value;
}

function clean(r: Record<string, unknown>): CrmRecord {
    const { attributes: _attributes, ...rest } = r;
    return rest as CrmRecord;
}

function stampOf(value: unknown): number | null {
    if (typeof value !== 'string' || value === '') return null;
    const t = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    return Number.isNaN(t) ? null : t;
}

/** A SOQL datetime literal at the second (SOQL takes no fractions): `2026-03-01T10:00:00Z`. */
function soqlSecond(ms: number): string {
    return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

function sameFields(a: string[], b: string[]): boolean {
    if (a.length !== b.length) return false;
    const set = new Set(a);
    return b.every((f) => set.has(f));
}

function subrequestError(body: unknown, status: number | undefined): string {
    const first = Array.isArray(body) ? (body[0] as { errorCode?: string; message?: string } | undefined) : undefined;
    if (first?.message) return [first.errorCode, first.message].filter(Boolean).join(': ');
    return `query failed with status ${status ?? 'unknown'}`;
}

function emptyState(object: string): PullState {
    return {
        object,
        state: 'pending',
        watermark: null,
        boundaryIds: [],
        fields: [],
        missingRequiredFields: [],
        skippedRecommendedFields: [],
        lastMode: null,
        lastPulled: 0,
        lastDeleted: 0,
        lastError: null,
        lastPullAt: null
    };
}

function result(
    object: ReplicaObject,
    state: ObjectPullResult['state'],
    plan: Plan,
    mode: ObjectPullResult['mode']
): ObjectPullResult {
    return {
        object,
        state,
        pulled: 0,
        deleted: 0,
        missingRequiredFields: plan.missingRequired,
        skippedRecommendedFields: plan.skippedRecommended,
        mode,
        error: null
    };
}
