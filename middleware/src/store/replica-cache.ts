import { sql, type Kysely, type Transaction } from 'kysely';
import { noMisses, PartialReplica, type ReplicaMisses } from '../domain/matching/partial-replica';
import { byId, INDEX_BYTES, ReplicaIndex, type ReplicaLookup } from '../domain/matching/replica-index';
import type { CrmRecord, ReplicaObject } from '../domain/matching/types';
import type { Database } from './schema';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * SCALE-2: the matching indexes of orgs in a least-recently-used cache with a byte budget
 * (`MATCH_CACHE_MB`), and indexed SQL look-ups behind it. An org in the cache is matched from
 * its in-memory index; any other from `crm_match_keys` + `crm_records`, in batches. An org is
 * taken into the cache after `ADMIT_AFTER` matches, when its estimated size fits the budget and
 * it is asked for more often than the least recently used orgs that leave to make room for it. Both paths give the same matches
 * (partial-replica.ts; property test in test/replica-cache.test.ts).
 */

/** Matches of one org asked by SQL before its index may be built and cached. */
export const ADMIT_AFTER = 8;
/** Use counts are halved every this many matches, so that yesterday's busy org can leave. */
const AGE_EVERY = 100_000;
const MAX_TRACKED = 100_000;
/** Default budget when the store is opened without one (MATCH_CACHE_MB's default). */
export const DEFAULT_MATCH_CACHE_MB = 512;
const KEY_BATCH = 500;
const MAX_ROUNDS = 64;

interface Entry {
    version: number;
    index: ReplicaIndex;
    bytes: number;
}

interface Use {
    version: number;
    calls: number;
    /** Estimated bytes above the budget at this version: stays on the SQL path. */
    tooBig: boolean;
    /** `roughBytes` at this version, asked once. */
    rough: number | null;
}

/** A byte-bounded LRU of org indexes (Map order: least recently used first). */
export class MatchCache {
    readonly entries = new Map<string, Entry>();
    /** Matches asked per org (cached or not), halved every AGE_EVERY calls: who is hot. */
    readonly uses = new Map<string, Use>();
    readonly loading = new Map<string, Promise<{ version: number; index: ReplicaIndex }>>();
    used = 0;
    evictions = 0;
    private calls = 0;
    constructor(readonly budgetBytes: number) {}

    get(orgId: string, version: number): ReplicaIndex | undefined {
        const e = this.entries.get(orgId);
        if (!e) return undefined;
        if (e.version !== version) {
            this.drop(orgId);
            return undefined;
        }
        this.entries.delete(orgId); // most recently used: to the end
        this.entries.set(orgId, e);
        return e.index;
    }

    /**
     * Whether an index of this size should come in: it fits the free space, or the least
     * recently used orgs it would push out were each asked for less often than it was (so that
     * orgs used evenly do not push each other out in turn, and a busy org takes the place of
     * an idle one).
     */
    wouldAdmit(orgId: string, bytes: number): boolean {
        if (bytes > this.budgetBytes) return false;
        const calls = this.uses.get(orgId)?.calls ?? 0;
        let free = this.budgetBytes - this.used;
        for (const [id, e] of this.entries) {
            if (free >= bytes) break;
            if (id !== orgId && (this.uses.get(id)?.calls ?? 0) >= calls) return false;
            free += e.bytes;
        }
        return free >= bytes;
    }

    /** Keep this index if it fits the budget, evicting least recently used orgs; true when kept. */
    admit(orgId: string, version: number, index: ReplicaIndex): boolean {
        this.drop(orgId);
        const bytes = index.estimatedBytes;
        if (bytes > this.budgetBytes) return false;
        this.entries.set(orgId, { version, index, bytes });
        this.used += bytes;
        this.evictToBudget();
        return true;
    }

    /** Re-count an entry after an incremental update; evict if it no longer fits. */
    resize(orgId: string): void {
        const e = this.entries.get(orgId);
        if (!e) return;
        this.used += e.index.estimatedBytes - e.bytes;
        e.bytes = e.index.estimatedBytes;
        if (e.bytes > this.budgetBytes) this.drop(orgId);
        this.evictToBudget();
    }

    drop(orgId: string): void {
        const e = this.entries.get(orgId);
        if (!e) return;
        this.entries.delete(orgId);
        this.used -= e.bytes;
    }

    private evictToBudget(): void {
        for (const orgId of this.entries.keys()) {
            if (this.used <= this.budgetBytes) break;
            this.drop(orgId);
            this.evictions++;
        }
    }

    /** Count one match asked of an org; returns its use record. */
    noteUse(orgId: string, version: number): Use {
        let use = this.uses.get(orgId);
        if (!use) {
            use = { version, calls: 0, tooBig: false, rough: null };
            this.uses.set(orgId, use);
            // A bounded table: the orgs first seen longest ago are forgotten first.
            while (this.uses.size > MAX_TRACKED) this.uses.delete(this.uses.keys().next().value!);
        }
        if (use.version !== version) {
            use.version = version;
            use.tooBig = false;
            use.rough = null;
        }
        use.calls++;
        if (++this.calls >= AGE_EVERY) {
            this.calls = 0;
            for (const u of this.uses.values()) u.calls = Math.floor(u.calls / 2);
        }
        return use;
    }
}

const caches = new WeakMap<object, MatchCache>();

/**
 * The key of a store's cache: its dialect adapter, which the store's Kysely instance and every
 * transaction opened on it share (a transaction is another Kysely object; keyed by that, each
 * transaction would start an empty cache of its own and rebuild the org's index).
 */
const storeKey = (db: Kysely<Database>): object => db.getExecutor().adapter;

/** Set the byte budget of this store's cache (openStore calls it with MATCH_CACHE_MB). */
export function configureMatchCache(db: Kysely<Database>, budgetMb: number): MatchCache {
    const cache = new MatchCache(Math.round(budgetMb * 1024 * 1024));
    caches.set(storeKey(db), cache);
    return cache;
}

/** This store's cache, for the store or a transaction on it (created with the default budget if not configured). */
export function matchCacheOf(db: Kysely<Database>): MatchCache {
    return caches.get(storeKey(db)) ?? configureMatchCache(db, DEFAULT_MATCH_CACHE_MB);
}

export async function replicaVersion(db: Db, orgId: string): Promise<number> {
    const row = await db.selectFrom('crm_replicas').select('version').where('org_id', '=', orgId).executeTakeFirst();
    return row ? Number(row.version) : 0;
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
 * A rough size of an org's index before building it, from the stored replica: every record's
 * fixed cost plus its JSON text (a string in the heap costs about its length, see INDEX_BYTES).
 * It only keeps a process from building an index far too big for the budget; the index's own
 * estimate decides admission.
 */
async function roughBytes(db: Kysely<Database>, orgId: string): Promise<number> {
    const row = await db
        .selectFrom('crm_records')
        .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(octet_length(data::text)), 0)`.as('chars')])
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow();
    return Number(row.n) * (INDEX_BYTES.record + INDEX_BYTES.key) + Number(row.chars);
}

async function build(db: Kysely<Database>, cache: MatchCache, orgId: string, version: number) {
    const pending = cache.loading.get(orgId);
    if (pending) {
        const done = await pending;
        if (done.version === version) return done.index;
    }
    const promise = loadIndex(db, orgId).then((index) => ({ version, index }));
    cache.loading.set(orgId, promise);
    try {
        return (await promise).index;
    } finally {
        if (cache.loading.get(orgId) === promise) cache.loading.delete(orgId);
    }
}

/**
 * The org's whole index (MATCH-2): from the cache, else built from the stored replica and kept
 * when it fits the budget. For callers that walk the replica freely (write-back); matching
 * goes through `withReplica`, which does not need the whole index.
 */
export async function replicaIndex(db: Kysely<Database>, orgId: string): Promise<ReplicaIndex> {
    const cache = matchCacheOf(db);
    const version = await replicaVersion(db, orgId);
    cache.noteUse(orgId, version);
    const cached = cache.get(orgId, version);
    if (cached) return cached;
    const index = await build(db, cache, orgId, version);
    if (cache.wouldAdmit(orgId, index.estimatedBytes)) cache.admit(orgId, version, index);
    return index;
}

/**
 * Run a pure, synchronous computation over the org's replica (the matching pipeline over one
 * activity or many): on the cached index when the org is cached, else on indexed SQL look-ups
 * (`sqlLookup`). The result is the same either way.
 */
export async function withReplica<T>(
    db: Kysely<Database>,
    orgId: string,
    run: (replica: ReplicaLookup) => T
): Promise<T> {
    const index = await cachedReplica(db, orgId);
    return index ? run(index) : sqlLookup(db, orgId, run);
}

/** The org's cached index (built now when it is due to be admitted), or null for the SQL path. */
async function cachedReplica(db: Kysely<Database>, orgId: string): Promise<ReplicaLookup | null> {
    const cache = matchCacheOf(db);
    const version = await replicaVersion(db, orgId);
    const use = cache.noteUse(orgId, version);
    const cached = cache.get(orgId, version);
    if (cached) return cached;
    // An index is built outside transactions only (another caller may wait on the build).
    if (!db.isTransaction && !use.tooBig && use.calls >= ADMIT_AFTER && cache.budgetBytes > 0) {
        const rough = (use.rough ??= await roughBytes(db, orgId));
        if (rough > cache.budgetBytes) use.tooBig = true;
        else if (cache.wouldAdmit(orgId, rough)) {
            const index = await build(db, cache, orgId, version);
            if (!cache.wouldAdmit(orgId, index.estimatedBytes)) use.tooBig = index.estimatedBytes > cache.budgetBytes;
            else cache.admit(orgId, version, index);
            return index;
        }
    }
    return null;
}

/** Items matched per slice in mapWithReplica: about 7 ms of matching at 14,000/s. */
export const MATCH_SLICE = 100;

/**
 * `withReplica` over many items, MATCH_SLICE at a time with a turn of the event loop between
 * slices (SEC-6: a batch of 1,000 activities matched in one go held the loop 70–80 ms). The
 * cache is asked once; on the SQL path each slice makes its own look-ups. Results come in
 * input order.
 */
export async function mapWithReplica<I, O>(
    db: Kysely<Database>,
    orgId: string,
    items: readonly I[],
    run: (item: I, replica: ReplicaLookup) => O
): Promise<O[]> {
    const index = await cachedReplica(db, orgId);
    const out: O[] = [];
    for (let at = 0; at < items.length; at += MATCH_SLICE) {
        if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const slice = items.slice(at, at + MATCH_SLICE);
        const each = (replica: ReplicaLookup) => slice.map((item) => run(item, replica));
        out.push(...(index ? each(index) : await sqlLookup(db, orgId, each)));
    }
    return out;
}

/**
 * The SQL path: run the computation against a partial replica, fetch everything it asked and
 * did not know (keys in one query, records by id in another), and run again until it
 * asks nothing new. Each round trip serves every activity of the computation at once.
 */
export async function sqlLookup<T>(db: Db, orgId: string, run: (replica: ReplicaLookup) => T): Promise<T> {
    const replica = new PartialReplica();
    for (let round = 0; round < MAX_ROUNDS; round++) {
        const result = run(replica);
        const misses = replica.takeMisses();
        if (noMisses(misses)) return result;
        await fetchMisses(db, orgId, misses, replica);
    }
    throw new Error(`Matching by SQL did not settle after ${MAX_ROUNDS} rounds`);
}

/**
 * Fetch every miss of a run: all key look-ups in one query (`(kind, key) in (…)`, served by the
 * primary key of crm_match_keys), all records by id in another, KEY_BATCH pairs at a time.
 */
async function fetchMisses(db: Db, orgId: string, misses: ReplicaMisses, replica: PartialReplica): Promise<void> {
    const pairs = [...misses.keys].flatMap(([kind, keys]) => [...keys].map((key) => [kind, key] as const));
    for (let i = 0; i < pairs.length; i += KEY_BATCH) {
        const batch = pairs.slice(i, i + KEY_BATCH);
        const rows = await db
            .selectFrom('crm_match_keys as k')
            .innerJoin('crm_records as r', (j) =>
                j.onRef('r.org_id', '=', 'k.org_id').onRef('r.object', '=', 'k.object').onRef('r.id', '=', 'k.id')
            )
            .select(['k.kind', 'k.key', 'r.object', 'r.data'])
            .where('k.org_id', '=', orgId)
            .where(sql<boolean>`(k.kind, k.key) in (${sql.join(batch.map(([kind, key]) => sql`(${kind}, ${key})`))})`)
            .execute();
        const found = new Map<string, CrmRecord[]>(batch.map(([kind, key]) => [`${kind}\n${key}`, []]));
        for (const r of rows) {
            found.get(`${r.kind}\n${r.key}`)?.push(r.data);
            replica.learnRecord(r.object as ReplicaObject, r.data.Id, r.data);
        }
        for (const [kind, key] of batch) replica.learnKey(kind, key, found.get(`${kind}\n${key}`)!.sort(byId));
    }
    const ids = [...misses.records].flatMap(([object, set]) => [...set].map((id) => [object, id] as const));
    for (let i = 0; i < ids.length; i += KEY_BATCH) {
        const batch = ids.slice(i, i + KEY_BATCH);
        const rows = await db
            .selectFrom('crm_records')
            .select(['object', 'id', 'data'])
            .where('org_id', '=', orgId)
            .where(sql<boolean>`(object, id) in (${sql.join(batch.map(([object, id]) => sql`(${object}, ${id})`))})`)
            .execute();
        const found = new Map(rows.map((r) => [`${r.object}\n${r.id}`, r.data]));
        for (const [object, id] of batch) replica.learnRecord(object, id, found.get(`${object}\n${id}`) ?? null);
    }
}

export interface ReplicaChange {
    object: ReplicaObject;
    upserted: CrmRecord[];
    deleted: string[];
}

/**
 * After a pull moved the replica from `fromVersion` to `toVersion`: apply its changes to this
 * process's index when that index was current, else drop it (the next match rebuilds or goes
 * to SQL). The entry is re-sized, and evicted if it outgrew the budget.
 */
export async function applyToCachedIndex(
    db: Kysely<Database>,
    orgId: string,
    fromVersion: number,
    toVersion: number,
    changes: ReplicaChange[]
): Promise<void> {
    const cache = matchCacheOf(db);
    const entry = cache.entries.get(orgId);
    if (!entry) return;
    if (entry.version !== fromVersion) {
        cache.drop(orgId);
        return;
    }
    for (const change of changes) {
        for (const r of change.upserted) entry.index.apply(change.object, r);
        for (const id of change.deleted) entry.index.remove(change.object, id);
    }
    entry.version = toVersion;
    cache.resize(orgId);
}
