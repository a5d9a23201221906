import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Connection } from '@jsforce/jsforce-node';
import type { CrmRecord } from '../domain/matching/types';
import type { ActivitySettings } from '../domain/profile';
import {
    activityRecord,
    backoffSeconds,
    BULK_THRESHOLD,
    classifyError,
    COLLECTION_SIZE,
    isOwnerFailure,
    EXTERNAL_ID_FIELD,
    MAX_ATTEMPTS,
    proposeContacts,
    skipReason,
    type ProposedContact,
    type SalesforceFailure
} from '../domain/writeback';
import {
    createCollection,
    queryRecords,
    SalesforceCallError,
    soqlString,
    updateCollection,
    upsertCollection,
    type RecordResult
} from '../salesforce/writes';
import {
    applyToCachedIndex,
    bumpReplicaVersion,
    deleteRecords,
    replicaIndex,
    replicaVersion,
    upsertRecords
} from '../store/crm';
import {
    claimItems,
    computeAggregates,
    countByState,
    dueBySobject,
    enqueueItems,
    extendLeases,
    getSettings,
    lastWrittenAggregates,
    markActivitiesSynced,
    markFlushed,
    saveAggregates,
    settleItems,
    type AggregateValues,
    type ItemRow,
    type NewItem,
    type Outcome,
    type WritebackOperation
} from '../store/outbox';
import { applyLifecycleEvent } from './user-lifecycle';
import {
    AGGREGATE_BULK_MIN,
    BULK_JOB_SIZE,
    BULK_POLL_MS,
    bulkUpdate,
    bulkUpsert,
    canBulkUpsert,
    ingestAvailable,
    together
} from './writeback-bulk';
import { noteLimitInfo, refreshLimits, spendCalls } from './api-budget';
import { rematchActivity, writebackEvents, type Caller, type WritebackDeps } from './writeback';

export interface FlushOptions {
    /** This process's worker id (default: host, pid and a random suffix). */
    worker?: string;
    /** How long a claim holds before another worker may take the item (default 120 s). */
    leaseSeconds?: number;
    /** Jitter source (tests pin it). */
    random?: () => number;
    /** How often a Bulk 2.0 ingest job is polled (ms). */
    bulkPollMs?: number;
    /**
     * Due records of one sObject past which Bulk API 2.0 ingest is used (default BULK_THRESHOLD,
     * 2,000); `Infinity` keeps every write in sObject Collections (the benchmark's REST baseline).
     */
    bulkThreshold?: number;
    /** Stop after this many Salesforce calls (a test's "kill mid-flush"); default unlimited. */
    maxCalls?: number;
    /**
     * The process is shutting down: no new Salesforce call starts; the call under way finishes and
     * its results are stored, and items claimed but not written wait for their lease to run out.
     */
    signal?: AbortSignal;
}

export interface FlushResult {
    written: number;
    parked: number;
    pending: number;
    apiCalls: number;
    waiting: boolean;
}

/**
 * Collection calls per claim on the REST path. Measured on PGlite (npm run bench:writeback), a
 * claim of 200 beats larger rounds: its statements grow more than linearly with the rows leased at
 * once. On PostgreSQL a larger round shares the outbox round trips between calls.
 */
const COLLECTIONS_PER_ROUND = 1;
const defaultWorker = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
const AGGREGATE_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity'];
const AGG = {
    date: 'peopleai__Last_Activity_Date__c',
    emails: 'peopleai__Email_Count__c',
    meetings: 'peopleai__Meeting_Count__c'
};

interface LoadedActivity {
    id: string;
    type: 'email' | 'meeting';
    subject: string;
    body: string | null;
    starts_at: Date;
    ends_at: Date | null;
    who_id: string | null;
    who_type: string | null;
    what_id: string | null;
    what_type: string | null;
    match_revision: number;
    owner_email: string;
    participants: { email: string; name?: string }[];
    salesforce_user_id: string | null;
    activity: ActivitySettings;
    profile_name: string;
}

/**
 * One flush of an org's outbox (MATCH-6, 7, 12, 13). Phases, repeated while work is due:
 * contacts (then rematch), Event/Task upserts per sObject in collections of 200 (Bulk 2.0 past
 * 2,000 when the org offers it), contact roles, field writes (`write_answers`), aggregates.
 * Every Salesforce call is reserved against the day's budget first; past it the flush stops and
 * the items stay pending.
 */
export class FlushRun {
    calls = 0;
    written = 0;
    waiting = false;
    stopped = false;
    /** Who the audit names for lifecycle moves (UT-13). */
    actor = 'system:writeback';
    /** Items refused because of their owner (UT-13): item id → activity id, until settled. */
    private readonly refusedOwners = new Map<string, string>();
    private readonly worker: string;
    private readonly lease: number;
    private readonly random: () => number;

    constructor(
        private readonly deps: WritebackDeps,
        private readonly orgId: string,
        private readonly conn: Connection,
        private readonly options: FlushOptions
    ) {
        this.worker = options.worker ?? defaultWorker;
        this.lease = options.leaseSeconds ?? 120;
        this.random = options.random ?? Math.random;
    }

    private get db() {
        return this.deps.store.db;
    }

    /**
     * Read /limits when never read, stale (15 minutes), or while waiting: the allowance may have
     * recovered (a new day, a raised limit). Waiting runs come at most once a minute (the tick).
     */
    async refreshLimits(): Promise<void> {
        await refreshLimits(this.deps.store, this.orgId, this.conn, { whileWaiting: true });
    }

    /** Reserve `n` calls of the budget (MATCH-13); false: the flush waits. */
    async spend(n = 1): Promise<boolean> {
        if (
            this.options.signal?.aborted ||
            (this.options.maxCalls !== undefined && this.calls + n > this.options.maxCalls)
        ) {
            this.stopped = true;
            return false;
        }
        if (!(await spendCalls(this.deps.store, this.orgId, n))) {
            this.waiting = true;
            return false;
        }
        this.calls += n;
        return true;
    }

    /** After each call: what `Sforce-Limit-Info` said. */
    async noteLimits(): Promise<void> {
        await noteLimitInfo(this.deps.store, this.orgId, this.conn);
    }

    get canGoOn(): boolean {
        return !this.waiting && !this.stopped && !this.options.signal?.aborted;
    }

    private claim(operations: WritebackOperation[], sobject?: string, limit = COLLECTION_SIZE) {
        return claimItems(this.db, this.orgId, {
            operations,
            ...(sobject ? { sobject } : {}),
            limit,
            worker: this.worker,
            leaseSeconds: this.lease
        });
    }

    private async settle(outcomes: Outcome[]): Promise<string[]> {
        const written = await settleItems(this.db, this.orgId, this.worker, outcomes);
        this.written += written.length;
        await this.ownerLifecycle(outcomes, written);
        return written;
    }

    /**
     * UT-13: owners Salesforce refused go to Permission Errors; an owner in Permission Errors whose
     * activity was just written comes back to Active. One transaction per settled batch.
     */
    private async ownerLifecycle(outcomes: Outcome[], written: string[]): Promise<void> {
        const refused = outcomes
            .filter((o) => o.kind === 'parked' && this.refusedOwners.has(o.id))
            .map((o) => this.refusedOwners.get(o.id) as string);
        if (refused.length === 0 && written.length === 0) return;
        await this.db.transaction().execute(async (trx) => {
            if (refused.length > 0) {
                const owners = await trx
                    .selectFrom('activities')
                    .select('owner_user_id')
                    .where('org_id', '=', this.orgId)
                    .where('id', 'in', refused)
                    .execute();
                await applyLifecycleEvent(
                    trx,
                    this.orgId,
                    this.actor,
                    owners.map((o) => o.owner_user_id),
                    { kind: 'owner_refused' }
                );
            }
            if (written.length > 0) {
                const owners = await trx
                    .selectFrom('writeback_items')
                    .innerJoin('activities', 'activities.id', 'writeback_items.activity_id')
                    .innerJoin('users', 'users.id', 'activities.owner_user_id')
                    .select('users.id')
                    .distinct()
                    .where('writeback_items.org_id', '=', this.orgId)
                    .where('writeback_items.id', 'in', written)
                    .where('users.status', '=', 'permission_error')
                    .execute();
                await applyLifecycleEvent(
                    trx,
                    this.orgId,
                    this.actor,
                    owners.map((o) => o.id),
                    { kind: 'owner_accepted' }
                );
            }
        });
        for (const o of outcomes) this.refusedOwners.delete(o.id);
    }

    private release(items: ItemRow[]): Promise<string[]> {
        return this.settle(items.map((i) => ({ id: i.id, revision: i.revision, kind: 'release' })));
    }

    /** The outcome of a failed item: retry with backoff, rematch once, or park with a remedy. */
    private async failure(item: ItemRow, f: SalesforceFailure): Promise<Outcome> {
        const verdict = classifyError(f, item.sobject);
        if (item.activity_id && isOwnerFailure(f)) this.refusedOwners.set(item.id, item.activity_id);
        const base = { id: item.id, revision: item.revision };
        if (verdict.kind === 'transient') {
            if (f.code === 'INVALID_SESSION_ID') this.deps.salesforce.forget(this.orgId);
            if (item.attempts + 1 >= MAX_ATTEMPTS)
                return {
                    ...base,
                    kind: 'parked',
                    error: {
                        code: f.code,
                        message: `${f.message} (gave up after ${MAX_ATTEMPTS} attempts)`,
                        remedy: 'Salesforce kept failing with a temporary error. Check Salesforce status and the API allowance, then retry the item.'
                    }
                };
            return {
                ...base,
                kind: 'retry',
                error: { code: f.code, message: f.message, remedy: null },
                delaySeconds: backoffSeconds(item.attempts + 1, this.random())
            };
        }
        if (verdict.kind === 'rematch' && item.activity_id && item.payload.rematched !== true) {
            // A deleted Who/What: forget it in the replica, rematch, and try once more.
            const record = await this.db
                .selectFrom('activities')
                .select(['who_id', 'what_id'])
                .where('org_id', '=', this.orgId)
                .where('id', '=', item.activity_id)
                .executeTakeFirst();
            const gone = verdict.field === 'WhoId' ? record?.who_id : record?.what_id;
            if (gone) await this.forgetRecord(gone);
            await rematchActivity(this.deps, this.orgId, item.activity_id);
            return { ...base, kind: 'release', payload: { rematched: true } };
        }
        if (
            f.code === 'INVALID_FIELD_FOR_INSERT_UPDATE' &&
            (f.fields ?? []).includes('TaskSubtype') &&
            item.payload.omitCreateOnly !== true
        )
            // The Task exists already (written before a crash): write again without the create-only field.
            return { ...base, kind: 'release', payload: { omitCreateOnly: true } };
        const remedy =
            verdict.kind === 'permanent'
                ? verdict.remedy
                : 'The record this activity is linked to was deleted in Salesforce and a rematch did not help: correct the match (PUT /v1/activities/:id/match), then retry the item.';
        return { ...base, kind: 'parked', error: { code: f.code, message: f.message, remedy } };
    }

    private async forgetRecord(id: string): Promise<void> {
        const from = await replicaVersion(this.db, this.orgId);
        for (const object of ['Contact', 'Lead', 'Account', 'Opportunity'] as const)
            await deleteRecords(this.db, this.orgId, object, [id]);
        const to = await bumpReplicaVersion(this.db, this.orgId);
        await applyToCachedIndex(this.db, this.orgId, from, to, [
            { object: 'Contact', upserted: [], deleted: [id] },
            { object: 'Lead', upserted: [], deleted: [id] },
            { object: 'Account', upserted: [], deleted: [id] },
            { object: 'Opportunity', upserted: [], deleted: [id] }
        ]);
    }

    private async remember(object: 'Contact' | 'OpportunityContactRole', records: CrmRecord[]): Promise<void> {
        if (records.length === 0) return;
        const from = await replicaVersion(this.db, this.orgId);
        await upsertRecords(this.db, this.orgId, object, records);
        const to = await bumpReplicaVersion(this.db, this.orgId);
        await applyToCachedIndex(this.db, this.orgId, from, to, [{ object, upserted: records, deleted: [] }]);
    }

    /** Outcomes of a collection call's results (or its whole-call failure). */
    private async outcomes(
        items: ItemRow[],
        run: () => Promise<RecordResult[]>
    ): Promise<{ outcomes: Outcome[]; results: (RecordResult | null)[] }> {
        let results: RecordResult[];
        try {
            results = await run();
        } catch (error) {
            await this.noteLimits();
            if (!(error instanceof SalesforceCallError)) throw error;
            const outcomes = [];
            for (const item of items) outcomes.push(await this.failure(item, error.failure));
            return { outcomes, results: items.map(() => null) };
        }
        await this.noteLimits();
        const outcomes: Outcome[] = [];
        for (const [i, item] of items.entries()) {
            const r = results[i]!;
            if (r.success) outcomes.push({ id: item.id, revision: item.revision, kind: 'written', recordId: r.id });
            else
                outcomes.push(
                    await this.failure(item, r.errors[0] ?? { code: 'UNKNOWN_EXCEPTION', message: 'no error given' })
                );
        }
        return { outcomes, results };
    }

    private async loadActivities(ids: string[]): Promise<Map<string, LoadedActivity>> {
        if (ids.length === 0) return new Map();
        // A bulk job's 50,000 ids are read 1,000 at a time (bounded statements and parameters).
        if (ids.length > 1000) {
            const all = new Map<string, LoadedActivity>();
            for (let i = 0; i < ids.length; i += 1000)
                for (const [k, v] of await this.loadActivities(ids.slice(i, i + 1000))) all.set(k, v);
            return all;
        }
        const rows = await this.db
            .selectFrom('activities')
            .innerJoin('users', 'users.id', 'activities.owner_user_id')
            .innerJoin('profiles', 'profiles.id', 'users.profile_id')
            .select([
                'activities.id',
                'activities.type',
                'activities.subject',
                'activities.body',
                'activities.starts_at',
                'activities.ends_at',
                'activities.who_id',
                'activities.who_type',
                'activities.what_id',
                'activities.what_type',
                'activities.match_revision',
                'activities.owner_email',
                'activities.participants',
                'users.salesforce_user_id',
                'profiles.activity',
                'profiles.name as profile_name'
            ])
            .where('activities.org_id', '=', this.orgId)
            .where('activities.id', 'in', ids)
            .execute();
        return new Map(rows.map((r) => [r.id, { ...r, activity: r.activity as ActivitySettings } as LoadedActivity]));
    }

    // ---------------------------------------------------------------- Event / Task

    async activities(): Promise<number> {
        let done = 0;
        for (const [sobject, operation] of [
            ['Event', 'upsert_event'],
            ['Task', 'upsert_task']
        ] as const) {
            while (this.canGoOn) {
                if (await canBulkUpsert(this, sobject, operation)) {
                    done += await bulkUpsert(this, sobject, operation);
                    continue;
                }
                const items = await this.claim([operation], sobject, COLLECTION_SIZE * COLLECTIONS_PER_ROUND);
                if (items.length === 0) break;
                done += await this.writeActivities(sobject, items);
            }
        }
        return done;
    }

    /** Build the records of claimed Event/Task items; items that a toggle now skips are settled here. */
    async buildActivityRecords(
        items: ItemRow[]
    ): Promise<{ ready: { item: ItemRow; record: Record<string, unknown>; activity: LoadedActivity }[] }> {
        const acts = await this.loadActivities(items.map((i) => i.activity_id ?? ''));
        const ready: { item: ItemRow; record: Record<string, unknown>; activity: LoadedActivity }[] = [];
        const skipped: Outcome[] = [];
        for (const item of items) {
            const a = acts.get(item.activity_id ?? '');
            if (!a) {
                skipped.push({ id: item.id, revision: item.revision, kind: 'skipped', reason: 'the activity is gone' });
                continue;
            }
            const reason = skipReason(a.type, a.activity, a.profile_name);
            if (reason) {
                skipped.push({ id: item.id, revision: item.revision, kind: 'skipped', reason });
                continue;
            }
            const record = activityRecord(
                {
                    id: a.id,
                    type: a.type,
                    subject: a.subject,
                    body: a.body,
                    startsAt: new Date(a.starts_at).toISOString(),
                    endsAt: a.ends_at ? new Date(a.ends_at).toISOString() : null,
                    whoId: a.who_id,
                    whoType: a.who_type,
                    whatId: a.what_id,
                    ownerSalesforceUserId: a.salesforce_user_id
                },
                item.record_id === null && item.payload.omitCreateOnly !== true
            );
            ready.push({ item, record, activity: a });
        }
        await this.settle(skipped);
        return { ready };
    }

    /**
     * Up to COLLECTIONS_PER_ROUND collection calls of 200 for one claim: the outbox statements
     * (claim, load, settle, synced, aggregates) run once per round. A round past the budget stops
     * at the call it cannot reserve; the rest is released untouched.
     */
    private async writeActivities(sobject: 'Event' | 'Task', items: ItemRow[]): Promise<number> {
        const { ready } = await this.buildActivityRecords(items);
        if (ready.length === 0) return items.length;
        const outcomes: Outcome[] = [];
        let sent = 0;
        for (; sent < ready.length; sent += COLLECTION_SIZE) {
            const chunk = ready.slice(sent, sent + COLLECTION_SIZE);
            if (!(await this.spend(1))) break;
            const res = await this.outcomes(
                chunk.map((r) => r.item),
                () =>
                    upsertCollection(
                        this.conn,
                        sobject,
                        EXTERNAL_ID_FIELD,
                        chunk.map((r) => r.record)
                    )
            );
            outcomes.push(...res.outcomes);
        }
        const unsent = ready.slice(sent);
        await this.afterActivityWrites(
            ready.slice(0, sent).map((r) => r.activity),
            outcomes
        );
        if (unsent.length > 0) {
            await this.release(unsent.map((r) => r.item));
            return sent === 0 ? 0 : items.length - unsent.length;
        }
        return items.length;
    }

    /** Settle, mark activities synced, announce, and queue the aggregates of every record touched. */
    async afterActivityWrites(activities: LoadedActivity[], outcomes: Outcome[]): Promise<void> {
        if (outcomes.length === 0) return;
        const index = await replicaIndex(this.db, this.orgId);
        const touchedBy = new Map<string, { id: string; sobject: string }[]>();
        for (const [i, o] of outcomes.entries()) {
            if (o.kind !== 'written') continue;
            const a = activities[i]!;
            const touched: { id: string; sobject: string }[] = [];
            const add = (id: string | null, sobject: string | null) => {
                if (id && sobject && AGGREGATE_OBJECTS.includes(sobject) && !touched.some((t) => t.id === id))
                    touched.push({ id, sobject });
            };
            add(a.who_id, a.who_type);
            if (a.who_type !== 'Lead') add(a.what_id, a.what_type);
            for (const [id, type] of [
                [a.who_id, a.who_type],
                [a.what_id, a.what_type]
            ] as const) {
                if (!id || (type !== 'Contact' && type !== 'Opportunity')) continue;
                const acc = index.record(type, id)?.AccountId;
                if (typeof acc === 'string' && acc !== '') add(acc, 'Account');
            }
            // Remembered on the item (in the same statement that settles it), so that the next write
            // of the activity recounts what this one touched.
            o.payload = { ...o.payload, touched, previouslyTouched: touched };
            touchedBy.set(o.id, touched);
        }
        // Records touched before (a changed match) lose the activity: recount them too. Read before
        // the settle overwrites `previouslyTouched`.
        const previous: { id: string; payload: Record<string, unknown> }[] = [];
        const keys = [...touchedBy.keys()];
        for (let i = 0; i < keys.length; i += 1000)
            previous.push(
                ...(await this.db
                    .selectFrom('writeback_items')
                    .select(['id', 'payload'])
                    .where('org_id', '=', this.orgId)
                    .where('id', 'in', keys.slice(i, i + 1000))
                    .execute())
            );
        const written = new Set(await this.settle(outcomes));
        const synced: { id: string; revision: number }[] = [];
        const aggregates = new Map<string, NewItem>();
        for (const [i, o] of outcomes.entries()) {
            if (o.kind !== 'written' || !written.has(o.id)) continue;
            const a = activities[i]!;
            synced.push({ id: a.id, revision: a.match_revision });
            writebackEvents.emit('written', {
                orgId: this.orgId,
                activityId: a.id,
                operation: a.type === 'meeting' ? 'upsert_event' : 'upsert_task',
                sobject: a.type === 'meeting' ? 'Event' : 'Task',
                recordId: o.recordId ?? null
            });
        }
        for (const p of previous) {
            if (!written.has(p.id)) continue;
            const before = ((p.payload as { previouslyTouched?: unknown }).previouslyTouched ?? []) as {
                id: string;
                sobject: string;
            }[];
            for (const t of [...before, ...(touchedBy.get(p.id) ?? [])])
                aggregates.set(t.id, {
                    operation: 'update_aggregates',
                    key: t.id,
                    activityId: null,
                    sobject: t.sobject,
                    state: 'pending'
                });
        }
        await markActivitiesSynced(this.db, this.orgId, synced);
        await enqueueItems(this.db, this.orgId, [...aggregates.values()]);
    }

    // ---------------------------------------------------------------- contacts (MATCH-12)

    async contacts(): Promise<number> {
        let done = 0;
        while (this.canGoOn) {
            const items = await this.claim(['create_contact']);
            if (items.length === 0) break;
            done += items.length;
            const acts = await this.loadActivities(items.map((i) => i.activity_id ?? ''));
            const index = await replicaIndex(this.db, this.orgId);
            const wanted = new Map<string, { item: ItemRow; contacts: ProposedContact[] }>();
            const outcomes: Outcome[] = [];
            for (const item of items) {
                const a = acts.get(item.activity_id ?? '');
                const contacts = a ? proposeContacts(a.participants, a.owner_email, index) : [];
                if (contacts.length === 0)
                    outcomes.push({ id: item.id, revision: item.revision, kind: 'written', recordId: null });
                else wanted.set(item.id, { item, contacts });
            }
            const emails = [...new Set([...wanted.values()].flatMap((w) => w.contacts.map((c) => c.email)))];
            const found = new Map<string, CrmRecord>();
            const failed = new Map<string, SalesforceFailure>();
            let stop = false;
            // Contacts created by an earlier, interrupted flush are found, not created twice.
            for (let i = 0; i < emails.length && !stop; i += 200) {
                const chunk = emails.slice(i, i + 200);
                if (!(await this.spend(1))) {
                    stop = true;
                    break;
                }
                try {
                    const { records } = await queryRecords<CrmRecord>(
                        this.conn,
                        `SELECT Id, Email, AccountId, FirstName, LastName, Name, OwnerId FROM Contact WHERE Email IN (${chunk.map(soqlString).join(',')})`
                    );
                    for (const r of records) if (typeof r.Email === 'string') found.set(r.Email.toLowerCase(), r);
                } catch (error) {
                    if (!(error instanceof SalesforceCallError)) throw error;
                    for (const e of chunk) failed.set(e, error.failure);
                }
                await this.noteLimits();
            }
            const toCreate = new Map<string, ProposedContact & { ownerId: string | null }>();
            for (const w of wanted.values()) {
                const owner = acts.get(w.item.activity_id ?? '')?.salesforce_user_id ?? null;
                for (const c of w.contacts)
                    if (!found.has(c.email) && !failed.has(c.email)) toCreate.set(c.email, { ...c, ownerId: owner });
            }
            const list = [...toCreate.values()];
            for (let i = 0; i < list.length && !stop; i += COLLECTION_SIZE) {
                const chunk = list.slice(i, i + COLLECTION_SIZE);
                if (!(await this.spend(1))) {
                    stop = true;
                    break;
                }
                try {
                    const results = await createCollection(
                        this.conn,
                        'Contact',
                        chunk.map((c) => ({
                            FirstName: c.firstName,
                            LastName: c.lastName,
                            Email: c.email,
                            AccountId: c.accountId,
                            ...(c.ownerId ? { OwnerId: c.ownerId } : {})
                        }))
                    );
                    for (const [j, r] of results.entries()) {
                        const c = chunk[j]!;
                        if (r.success && r.id)
                            found.set(c.email, {
                                Id: r.id,
                                Email: c.email,
                                AccountId: c.accountId,
                                FirstName: c.firstName,
                                LastName: c.lastName,
                                Name: [c.firstName, c.lastName].filter(Boolean).join(' ')
                            });
                        else
                            failed.set(
                                c.email,
                                r.errors[0] ?? { code: 'UNKNOWN_EXCEPTION', message: 'no error given' }
                            );
                    }
                } catch (error) {
                    if (!(error instanceof SalesforceCallError)) throw error;
                    for (const c of chunk) failed.set(c.email, error.failure);
                }
                await this.noteLimits();
            }
            await this.remember('Contact', [...found.values()]);
            for (const w of wanted.values()) {
                const failure = w.contacts.map((c) => failed.get(c.email)).find(Boolean);
                const all = w.contacts.every((c) => found.has(c.email));
                if (failure) outcomes.push(await this.failure(w.item, failure));
                else if (!all) outcomes.push({ id: w.item.id, revision: w.item.revision, kind: 'release' });
                else {
                    outcomes.push({
                        id: w.item.id,
                        revision: w.item.revision,
                        kind: 'written',
                        recordId: found.get(w.contacts[0]!.email)!.Id
                    });
                }
            }
            const written = new Set(await this.settle(outcomes));
            // The new contacts become the WhoId: rematch (which queues the Event/Task again).
            for (const w of wanted.values())
                if (written.has(w.item.id) && w.item.activity_id)
                    await rematchActivity(this.deps, this.orgId, w.item.activity_id);
            if (stop) break;
        }
        return done;
    }

    // ---------------------------------------------------------------- contact roles (MATCH-12)

    async contactRoles(): Promise<number> {
        let done = 0;
        while (this.canGoOn) {
            const items = await this.claim(['create_contact_role']);
            if (items.length === 0) break;
            done += items.length;
            const acts = await this.loadActivities(items.map((i) => i.activity_id ?? ''));
            const index = await replicaIndex(this.db, this.orgId);
            const outcomes: Outcome[] = [];
            const wanted: { item: ItemRow; contactId: string; opportunityId: string }[] = [];
            for (const item of items) {
                const a = acts.get(item.activity_id ?? '');
                const applies = a && a.who_type === 'Contact' && a.what_type === 'Opportunity' && a.who_id && a.what_id;
                const has =
                    applies && index.contactRolesByContact(a.who_id!).some((r) => r.OpportunityId === a.what_id);
                if (!applies || has)
                    outcomes.push({ id: item.id, revision: item.revision, kind: 'written', recordId: null });
                else wanted.push({ item, contactId: a.who_id!, opportunityId: a.what_id! });
            }
            if (wanted.length > 0) {
                if (!(await this.spend(1))) {
                    await this.release(wanted.map((w) => w.item));
                    await this.settle(outcomes);
                    break;
                }
                const existing = new Map<string, string>();
                try {
                    const opps = [...new Set(wanted.map((w) => w.opportunityId))];
                    const { records } = await queryRecords<CrmRecord>(
                        this.conn,
                        `SELECT Id, ContactId, OpportunityId FROM OpportunityContactRole WHERE OpportunityId IN (${opps.map(soqlString).join(',')})`
                    );
                    for (const r of records) existing.set(`${String(r.ContactId)}:${String(r.OpportunityId)}`, r.Id);
                    await this.remember('OpportunityContactRole', records);
                } catch (error) {
                    if (!(error instanceof SalesforceCallError)) throw error;
                    for (const w of wanted) outcomes.push(await this.failure(w.item, error.failure));
                    await this.settle(outcomes);
                    continue;
                }
                await this.noteLimits();
                const create = wanted.filter((w) => !existing.has(`${w.contactId}:${w.opportunityId}`));
                for (const w of wanted)
                    if (existing.has(`${w.contactId}:${w.opportunityId}`))
                        outcomes.push({
                            id: w.item.id,
                            revision: w.item.revision,
                            kind: 'written',
                            recordId: existing.get(`${w.contactId}:${w.opportunityId}`)!
                        });
                if (create.length > 0) {
                    if (!(await this.spend(1))) {
                        await this.release(create.map((w) => w.item));
                        await this.settle(outcomes);
                        break;
                    }
                    const res = await this.outcomes(
                        create.map((w) => w.item),
                        () =>
                            createCollection(
                                this.conn,
                                'OpportunityContactRole',
                                create.map((w) => ({ ContactId: w.contactId, OpportunityId: w.opportunityId }))
                            )
                    );
                    outcomes.push(...res.outcomes);
                    await this.remember(
                        'OpportunityContactRole',
                        create.flatMap((w, i) => {
                            const r = res.results[i];
                            return r?.success && r.id
                                ? [
                                      {
                                          Id: r.id,
                                          ContactId: w.contactId,
                                          OpportunityId: w.opportunityId,
                                          IsPrimary: false
                                      }
                                  ]
                                : [];
                        })
                    );
                }
            }
            await this.settle(outcomes);
        }
        return done;
    }

    // ---------------------------------------------------------------- field writes (write_answers)

    async fieldWrites(): Promise<number> {
        let done = 0;
        for (const sobject of ['Event', 'Task']) {
            while (this.canGoOn) {
                const items = await this.claim(['write_answers'], sobject);
                if (items.length === 0) break;
                done += items.length;
                const targets = await this.db
                    .selectFrom('writeback_items')
                    .select(['activity_id', 'record_id'])
                    .where('org_id', '=', this.orgId)
                    .where('operation', 'in', ['upsert_event', 'upsert_task'])
                    .where(
                        'activity_id',
                        'in',
                        items.map((i) => i.activity_id ?? '')
                    )
                    .execute();
                const recordOf = new Map(targets.map((t) => [t.activity_id, t.record_id]));
                const ready = items.filter((i) => recordOf.get(i.activity_id));
                // Not written yet: wait for the Event/Task (not an attempt).
                await this.settle(
                    items
                        .filter((i) => !recordOf.get(i.activity_id))
                        .map((i) => ({ id: i.id, revision: i.revision, kind: 'release' as const, delaySeconds: 5 }))
                );
                if (ready.length === 0) continue;
                if (!(await this.spend(1))) {
                    await this.release(ready);
                    break;
                }
                const { outcomes } = await this.outcomes(ready, () =>
                    updateCollection(
                        this.conn,
                        sobject,
                        ready.map((i) => ({
                            Id: recordOf.get(i.activity_id)!,
                            ...((i.payload.fields ?? {}) as Record<string, unknown>)
                        }))
                    )
                );
                await this.settle(outcomes);
            }
        }
        return done;
    }

    // ---------------------------------------------------------------- aggregates (MATCH-12)

    async aggregates(): Promise<number> {
        let done = 0;
        for (const sobject of AGGREGATE_OBJECTS) {
            while (this.canGoOn) {
                // Many due (a backfill): claim them all, for one update job instead of a call per 200.
                const many =
                    this.bulkThreshold !== Infinity &&
                    ingestAvailable(this.orgId) &&
                    ((await dueBySobject(this.db, this.orgId, ['update_aggregates'])).find((d) => d.sobject === sobject)
                        ?.n ?? 0) > AGGREGATE_BULK_MIN;
                const items = await this.claim(['update_aggregates'], sobject, many ? BULK_JOB_SIZE : COLLECTION_SIZE);
                if (items.length === 0) break;
                done += items.length;
                const ids = items.map((i) => i.key);
                const [now, before] = await Promise.all([
                    computeAggregates(this.db, this.orgId, ids),
                    lastWrittenAggregates(this.db, this.orgId, ids)
                ]);
                const changed = items.flatMap((item, i) => {
                    const v = { ...now[i]!, sobject };
                    const b = before.get(item.key);
                    const same =
                        b &&
                        b.lastActivityDate === v.lastActivityDate &&
                        b.emailCount === v.emailCount &&
                        b.meetingCount === v.meetingCount;
                    return same ? [] : [{ item, v }];
                });
                const unchanged = new Set(items);
                for (const c of changed) unchanged.delete(c.item);
                await this.settle(
                    [...unchanged].map((item) => ({
                        id: item.id,
                        revision: item.revision,
                        kind: 'written' as const,
                        recordId: item.key
                    }))
                );
                if (changed.length > AGGREGATE_BULK_MIN && ingestAvailable(this.orgId)) {
                    const records = changed.map(({ v }) => this.aggregateRecord(v));
                    let results: RecordResult[] | null;
                    try {
                        results = await bulkUpdate(this, sobject, records);
                    } catch (error) {
                        if (!(error instanceof SalesforceCallError)) throw error;
                        const outcomes: Outcome[] = [];
                        for (const c of changed) outcomes.push(await this.failure(c.item, error.failure));
                        await this.settle(together(outcomes));
                        continue;
                    }
                    // No ingest after all (collections next time round), or past the budget.
                    if (!results) await this.release(changed.map((c) => c.item));
                    else
                        await this.settleAggregates(
                            changed,
                            await this.outcomes(
                                changed.map((c) => c.item),
                                () => Promise.resolve(results)
                            )
                        );
                    continue;
                }
                for (let i = 0; i < changed.length; i += COLLECTION_SIZE) {
                    const chunk = changed.slice(i, i + COLLECTION_SIZE);
                    if (!(await this.spend(1))) {
                        await this.release(changed.slice(i).map((c) => c.item));
                        break;
                    }
                    const res = await this.outcomes(
                        chunk.map((c) => c.item),
                        () =>
                            updateCollection(
                                this.conn,
                                sobject,
                                chunk.map(({ v }) => this.aggregateRecord(v))
                            )
                    );
                    await this.settleAggregates(chunk, res);
                }
            }
        }
        return done;
    }

    private aggregateRecord(v: AggregateValues): Record<string, unknown> & { Id: string } {
        return {
            Id: v.recordId,
            [AGG.date]: v.lastActivityDate,
            [AGG.emails]: v.emailCount,
            [AGG.meetings]: v.meetingCount
        };
    }

    /** Settle written aggregates and remember their values; a record deleted in Salesforce is done. */
    private async settleAggregates(
        changed: { item: ItemRow; v: AggregateValues }[],
        res: { outcomes: Outcome[]; results: (RecordResult | null)[] }
    ): Promise<void> {
        for (const [i, o] of res.outcomes.entries()) {
            const code = res.results[i]?.errors[0]?.code;
            if (o.kind === 'parked' && (code === 'ENTITY_IS_DELETED' || code === 'NOT_FOUND'))
                res.outcomes[i] = { id: o.id, revision: o.revision, kind: 'written', recordId: null };
        }
        await saveAggregates(
            this.db,
            this.orgId,
            changed.filter((_c, i) => res.results[i]?.success).map((c) => c.v)
        );
        await this.settle(res.outcomes);
    }
    get connection(): Connection {
        return this.conn;
    }
    get org(): string {
        return this.orgId;
    }
    get store() {
        return this.deps.store;
    }
    get logger() {
        return this.deps.logger;
    }
    /** Wait `ms` between polls, or less when the process stops (the next `spend` then ends the run). */
    pause(ms: number): Promise<void> {
        const signal = this.options.signal;
        if (signal?.aborted) return Promise.resolve();
        return new Promise((resolve) => {
            const done = () => {
                clearTimeout(timer);
                signal?.removeEventListener('abort', done);
                resolve();
            };
            const timer = setTimeout(done, ms);
            signal?.addEventListener('abort', done, { once: true });
        });
    }

    get bulkPollMs(): number {
        return this.options.bulkPollMs ?? BULK_POLL_MS;
    }
    get bulkThreshold(): number {
        return this.options.bulkThreshold ?? BULK_THRESHOLD;
    }
    get workerId(): string {
        return this.worker;
    }
    get leaseSeconds(): number {
        return this.lease;
    }
    claimFor(operation: WritebackOperation, sobject: string, limit: number): Promise<ItemRow[]> {
        return this.claim([operation], sobject, limit);
    }
    settleOutcomes(outcomes: Outcome[]): Promise<string[]> {
        return this.settle(outcomes);
    }
    failureOf(item: ItemRow, f: SalesforceFailure): Promise<Outcome> {
        return this.failure(item, f);
    }
    releaseItems(items: ItemRow[]): Promise<string[]> {
        return this.release(items);
    }
    /** Keep the items this worker holds leased for `waitMs` more than a lease (a Bulk job running). */
    async extendLeases(waitMs: number): Promise<void> {
        await extendLeases(this.db, this.orgId, this.worker, this.lease + Math.ceil(waitMs / 1000));
    }
}

/**
 * Flush an org's outbox now (POST /v1/writeback/flush, the queue's job): every phase until no
 * item is due, the budget is spent, or `maxCalls` is reached.
 */
export async function flushWriteback(
    deps: WritebackDeps,
    caller: Caller,
    options: FlushOptions = {}
): Promise<FlushResult> {
    const db = deps.store.db;
    const conn = await deps.salesforce.connection(caller.orgId);
    const run = new FlushRun(deps, caller.orgId, conn, options);
    run.actor = caller.actor;
    await getSettings(db, caller.orgId);
    await run.refreshLimits();
    for (let pass = 0; pass < 50 && run.canGoOn; pass++) {
        const work =
            (await run.contacts()) +
            (await run.activities()) +
            (await run.contactRoles()) +
            (await run.fieldWrites()) +
            (await run.aggregates());
        if (work === 0) break;
    }
    await markFlushed(db, caller.orgId);
    const counts = await countByState(db, caller.orgId);
    return {
        written: run.written,
        parked: counts.parked,
        pending: counts.pending,
        apiCalls: run.calls,
        waiting: run.waiting
    };
}
