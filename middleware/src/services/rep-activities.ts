import { sql, type Expression, type SqlBool } from 'kysely';
import { forbidden, invalid, invalidMany, notFound } from '../errors';
import type { MatchObjectType } from '../domain/profile';
import type { MatchResult } from '../domain/matching/types';
import type { ActivityRow, MatchOverride } from '../store/activities';
import { recordAudit } from '../store/audit';
import { json } from '../store/schema';
import type { WriteBack } from './activity-writes';
import { activitySync, type SyncView } from './writeback';
import { visibleOwners, visibleRecordOwners, type RepCaller, type RepServiceDeps } from './rep-context';

/**
 * What reps see and correct in Lightning: activities by record, owner and time (MATCH-11),
 * Edit Match (MATCH-10), and the record search of the Edit Match dialog.
 */

export type EffectiveMatch = MatchResult & { override: boolean };

/** The stored match with a manual override (MATCH-10) laid over its picks. */
export function effectiveMatch(row: Pick<ActivityRow, 'match' | 'match_override'>): EffectiveMatch | null {
    const o = row.match_override;
    if (!o) return row.match ? { ...row.match, override: false } : null;
    const base = row.match ?? { who: null, what: null, candidates: [] };
    const pick = (p: MatchOverride['who']) => {
        if (!p) return null;
        const c = base.candidates.find((x) => x.recordId === p.recordId);
        return { recordId: p.recordId, type: p.type as MatchObjectType | 'Contact', score: c?.score ?? 0 };
    };
    return {
        ...base,
        who: pick(o.who) as MatchResult['who'],
        what: pick(o.what) as MatchResult['what'],
        override: true
    };
}

export interface ActivityListItem {
    id: string;
    externalId: string;
    type: 'email' | 'meeting';
    ownerUserId: string;
    ownerEmail: string;
    ownerName: string;
    subject: string;
    startsAt: string;
    endsAt: string | null;
    participants: { email: string; name?: string | undefined; role?: string | undefined }[];
    who: { recordId: string; type: string; name: string | null } | null;
    what: { recordId: string; type: string; name: string | null } | null;
    match: EffectiveMatch | null;
    sync: SyncView;
    canEditMatch: boolean;
    updatedAt: string;
}

export interface ActivityQuery {
    recordId?: string | undefined;
    ownerId?: string | undefined;
    type?: 'email' | 'meeting' | undefined;
    from?: string | undefined;
    to?: string | undefined;
    limit: number;
    cursor?: { startsAt: string; id: string } | undefined;
}

function selectActivities(deps: RepServiceDeps, orgId: string) {
    return (
        deps.store.db
            .selectFrom('activities')
            .innerJoin('users as owner', 'owner.id', 'activities.owner_user_id')
            .innerJoin('profiles', 'profiles.id', 'owner.profile_id')
            .leftJoin('crm_records as who', (j) =>
                j.onRef('who.org_id', '=', 'activities.org_id').onRef('who.id', '=', 'activities.who_id')
            )
            .leftJoin('crm_records as what', (j) =>
                j.onRef('what.org_id', '=', 'activities.org_id').onRef('what.id', '=', 'activities.what_id')
            )
            .selectAll('activities')
            .select([
                'owner.first_name as owner_first',
                'owner.last_name as owner_last',
                sql<string | null>`who.data->>'Name'`.as('who_name'),
                sql<string | null>`what.data->>'Name'`.as('what_name')
            ])
            .where('activities.org_id', '=', orgId)
            // CP-4 / MATCH-11: Display Data off hides the owner's activity; a suspended owner's past
            // data is hidden (UT-9). Same rule as GET /v1/activities/:id.
            .where(sql<SqlBool>`(profiles.activity->>'displayData')::boolean is true`)
            .where('owner.status', '!=', 'suspended')
    );
}

type Listed = Awaited<ReturnType<ReturnType<typeof selectActivities>['execute']>>[number];

const NOT_SYNCED: SyncView = { state: 'not_synced', salesforceId: null, reason: null };

function toItem(row: Listed, caller: RepCaller, sync: SyncView): ActivityListItem {
    const match = effectiveMatch(row);
    return {
        id: row.id,
        externalId: row.external_id,
        type: row.type,
        ownerUserId: row.owner_user_id,
        ownerEmail: row.owner_email,
        ownerName: `${row.owner_first} ${row.owner_last}`.trim(),
        subject: row.subject,
        startsAt: new Date(row.starts_at).toISOString(),
        endsAt: row.ends_at ? new Date(row.ends_at).toISOString() : null,
        participants: row.participants,
        who: row.who_id ? { recordId: row.who_id, type: row.who_type ?? '', name: row.who_name } : null,
        what: row.what_id ? { recordId: row.what_id, type: row.what_type ?? '', name: row.what_name } : null,
        match,
        sync,
        canEditMatch: caller.isAdmin || caller.actingUser?.userId === row.owner_user_id,
        updatedAt: new Date(row.updated_at).toISOString()
    };
}

/** GET /v1/activities (MATCH-11): newest first, filtered by the caller's visibility (UT-12) and Display Data (CP-4). */
export async function listActivities(
    deps: RepServiceDeps,
    caller: RepCaller,
    query: ActivityQuery
): Promise<{ items: ActivityListItem[]; nextCursor: { startsAt: string; id: string } | null }> {
    const owners = await visibleOwners(deps.store.db, caller);
    if (owners !== 'all' && owners.size === 0) return { items: [], nextCursor: null };
    let q = selectActivities(deps, caller.orgId);
    if (owners !== 'all') q = q.where('activities.owner_user_id', 'in', [...owners]);
    if (query.ownerId) q = q.where('activities.owner_user_id', '=', query.ownerId);
    if (query.type) q = q.where('activities.type', '=', query.type);
    if (query.from) q = q.where('activities.starts_at', '>=', new Date(query.from));
    if (query.to) q = q.where('activities.starts_at', '<', new Date(query.to));
    if (query.recordId) {
        const r = query.recordId;
        // A record page lists what touches the record: its own WhoId/WhatId, and for an account
        // the activities of its contacts and opportunities (as Salesforce's activity roll-up).
        const ofAccount = (column: 'activities.who_id' | 'activities.what_id'): Expression<SqlBool> =>
            sql<SqlBool>`${sql.ref(column)} in (select c.id from crm_records c where c.org_id = activities.org_id and c.object in ('Contact', 'Opportunity') and c.data->>'AccountId' = ${r})`;
        q = q.where((eb) =>
            eb.or([
                eb('activities.who_id', '=', r),
                eb('activities.what_id', '=', r),
                ofAccount('activities.who_id'),
                ofAccount('activities.what_id')
            ])
        );
    }
    if (query.cursor) {
        const { startsAt, id } = query.cursor;
        q = q.where((eb) =>
            eb.or([
                eb('activities.starts_at', '<', new Date(startsAt)),
                eb.and([eb('activities.starts_at', '=', new Date(startsAt)), eb('activities.id', '>', id)])
            ])
        );
    }
    const rows = await q
        .orderBy('activities.starts_at', 'desc')
        .orderBy('activities.id')
        .limit(query.limit + 1)
        .execute();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const syncs = await activitySync(
        deps,
        caller,
        page.map((r) => r.id)
    );
    return {
        items: page.map((r) => toItem(r, caller, syncs.get(r.id) ?? NOT_SYNCED)),
        nextCursor:
            rows.length > query.limit && last ? { startsAt: new Date(last.starts_at).toISOString(), id: last.id } : null
    };
}

/** One activity as the list shows it; 404 when the caller may not read it. */
export async function getActivityItem(deps: RepServiceDeps, caller: RepCaller, id: string): Promise<ActivityListItem> {
    const owners = await visibleOwners(deps.store.db, caller);
    const row = await selectActivities(deps, caller.orgId).where('activities.id', '=', id).executeTakeFirst();
    if (!row || (owners !== 'all' && !owners.has(row.owner_user_id))) throw notFound('Activity', id);
    const syncs = await activitySync(deps, caller, [id]);
    return toItem(row, caller, syncs.get(id) ?? NOT_SYNCED);
}

const WHO_TYPES = ['Contact', 'Lead'];
const WHAT_TYPES = ['Opportunity', 'Account'];

interface ReplicaRecord {
    id: string;
    object: string;
    ownerId: string | null;
    converted: boolean;
}

async function replicaRecord(deps: RepServiceDeps, orgId: string, id: string): Promise<ReplicaRecord | null> {
    const row = await deps.store.db
        .selectFrom('crm_records')
        .select([
            'id',
            'object',
            sql<string | null>`data->>'OwnerId'`.as('owner_id'),
            sql<string | null>`data->>'IsConverted'`.as('converted')
        ])
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
    return row ? { id: row.id, object: row.object, ownerId: row.owner_id, converted: row.converted === 'true' } : null;
}

export interface EditMatchInput {
    whoId?: string | null | undefined;
    whatId?: string | null | undefined;
}

/**
 * PUT /v1/activities/:id/match (MATCH-10): the owner or an admin sets the WhoId and/or WhatId to
 * any candidate or any replica record they may see. The override is kept across re-sends and
 * rematches, audited, and written back (the Event or Task is updated).
 */
export async function editMatch(
    deps: RepServiceDeps,
    writeBack: WriteBack,
    caller: RepCaller,
    id: string,
    input: EditMatchInput
): Promise<ActivityListItem> {
    const db = deps.store.db;
    const current = await getActivityItem(deps, caller, id);
    if (!current.canEditMatch) throw forbidden("Only the activity's owner or an admin may edit its match");
    const row = await db
        .selectFrom('activities')
        .selectAll()
        .where('org_id', '=', caller.orgId)
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const candidates = new Set((row.match?.candidates ?? []).map((c) => c.recordId));
    const recordOwners = await visibleRecordOwners(db, caller);
    const problems: { path: string; message: string }[] = [];
    const resolve = async (
        field: 'whoId' | 'whatId',
        value: string | null | undefined,
        types: string[],
        currentPick: { recordId: string; type: string } | null
    ) => {
        if (value === undefined) return currentPick;
        if (value === null) return null;
        const rec = await replicaRecord(deps, caller.orgId, value);
        if (!rec || !types.includes(rec.object)) {
            problems.push({ path: field, message: `${value} is not a ${types.join(' or ')} of the CRM replica` });
            return null;
        }
        if (rec.converted) {
            problems.push({ path: field, message: `${value} is a converted lead (MATCH-3: not a candidate)` });
            return null;
        }
        const mayPick =
            candidates.has(rec.id) ||
            recordOwners === 'all' ||
            (rec.ownerId !== null && [...recordOwners].some((o) => o.slice(0, 15) === rec.ownerId!.slice(0, 15)));
        if (!mayPick) {
            problems.push({ path: field, message: `${value} is not a candidate nor a record you may see` });
            return null;
        }
        return { recordId: rec.id, type: rec.object };
    };
    const who = await resolve(
        'whoId',
        input.whoId,
        WHO_TYPES,
        row.who_id ? { recordId: row.who_id, type: row.who_type ?? 'Contact' } : null
    );
    const what = await resolve(
        'whatId',
        input.whatId,
        WHAT_TYPES,
        row.what_id ? { recordId: row.what_id, type: row.what_type ?? 'Account' } : null
    );
    if (problems.length === 0 && who?.type === 'Lead' && what)
        problems.push({
            path: 'whatId',
            message: 'Salesforce forbids a WhatId when the WhoId is a lead: send whatId null with a lead'
        });
    if (problems.length > 0) throw invalidMany(problems);
    if (input.whoId === undefined && input.whatId === undefined) throw invalid('body', 'give whoId, whatId or both');

    const override: MatchOverride = { who, what, by: caller.actor, at: new Date().toISOString() };
    await db.transaction().execute(async (trx) => {
        await trx
            .updateTable('activities')
            .set({
                match_override: json<MatchOverride | null>(override),
                who_id: who?.recordId ?? null,
                who_type: who?.type ?? null,
                what_id: what?.recordId ?? null,
                what_type: what?.type ?? null,
                match_revision: sql`match_revision + 1`,
                updated_at: sql`now()`
            })
            .where('org_id', '=', caller.orgId)
            .where('id', '=', id)
            .execute();
        await recordAudit(trx, {
            orgId: caller.orgId,
            actor: caller.actor,
            entity: 'activity',
            entityId: id,
            action: 'update',
            before: { who: current.who, what: current.what, override: current.match?.override ?? false },
            after: { who, what, override: true }
        });
    });
    await writeBack.activityChanged(caller.orgId, id);
    return getActivityItem(deps, caller, id);
}

export interface RecordSearch {
    q: string;
    /** One record by id instead of a name search. */
    id?: string | undefined;
    types: string[];
    limit: number;
}

export interface RecordHit {
    recordId: string;
    type: string;
    name: string;
    detail: string | null;
}

/** GET /v1/crm/records: replica records by name, for Edit Match; only those the caller may see. */
export async function searchRecords(
    deps: RepServiceDeps,
    caller: RepCaller,
    search: RecordSearch
): Promise<RecordHit[]> {
    const owners = await visibleRecordOwners(deps.store.db, caller);
    if (owners !== 'all' && owners.size === 0) return [];
    const pattern = `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    let q = deps.store.db
        .selectFrom('crm_records')
        .select([
            'id',
            'object',
            sql<string>`coalesce(data->>'Name', '')`.as('name'),
            sql<string | null>`coalesce(data->>'Email', data->>'Company', data->>'StageName', data->>'Website')`.as(
                'detail'
            )
        ])
        .where('org_id', '=', caller.orgId)
        .where('object', 'in', search.types)
        .where(sql<SqlBool>`coalesce(data->>'IsConverted', 'false') <> 'true'`);
    q = search.id
        ? q.where('id', '=', search.id)
        : q.where(sql<SqlBool>`(data->>'Name' ilike ${pattern} or data->>'Email' ilike ${pattern})`);
    if (owners !== 'all')
        q = q.where(sql<SqlBool>`left(data->>'OwnerId', 15) in (${sql.join([...owners].map((o) => o.slice(0, 15)))})`);
    const rows = await q
        .orderBy(sql`data->>'Name'`)
        .orderBy('id')
        .limit(search.limit)
        .execute();
    return rows.map((r) => ({ recordId: r.id, type: r.object, name: r.name, detail: r.detail }));
}
