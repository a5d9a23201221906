import fc from 'fast-check';
import { matchActivity } from '../src/domain/matching/pipeline';
import { ReplicaIndex } from '../src/domain/matching/replica-index';
import type { CrmRecord, MatchableActivity, ReplicaObject } from '../src/domain/matching/types';
import type { MatchingSettings } from '../src/domain/profile';
import { defaultProfileSections } from '../src/domain/profile-defaults';
import { deleteRecords, upsertRecords } from '../src/store/crm';
import type { Store } from '../src/store/db';
import { createOrg } from '../src/store/orgs';
import { configureMatchCache, MatchCache, matchCacheOf, sqlLookup, withReplica } from '../src/store/replica-cache';
import { openTestStore, storeEngines } from './helpers/store';

/**
 * SCALE-2: an org matched from its cached in-memory index and the same org matched by indexed
 * SQL look-ups give identical results, over generated orgs (overlapping emails, domains and
 * sub-domains, duplicate accounts, converted leads, teams, record types, updates and deletes)
 * and generated activities. Fixed seeds keep the run repeatable.
 */

const SEEDS = [19, 2026, 424242];
const RUNS = 12;

const USERS = ['005U1', '005U2', '005U3'];
const ACCOUNTS = ['001A1', '001A2', '001A3', '001A4', '001A5', '001A6'];
const CONTACTS = ['003C1', '003C2', '003C3', '003C4', '003C5', '003C6', '003C7', '003C8'];
const OPPS = ['006O1', '006O2', '006O3', '006O4', '006O5'];
const DOMAINS = ['acme.com', 'eu.acme.com', 'globex.io', 'initech.com', 'hooli.com'];
const LOCALS = ['ann', 'bob', 'cat', 'dan'];
const EMAILS = [
    ...DOMAINS.flatMap((d) => LOCALS.map((l) => `${l}@${d}`)),
    'ann.archer@gmail.com',
    'Bob@ACME.com',
    'rita@backstory.ai',
    'otto@backstory.ai'
];
const NAMES = ['Ann Archer', 'Bob Baker', 'Cat Cole', 'Dan Dorn', 'José O’Neil'];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const ids = (xs: readonly string[]) => fc.uniqueArray(pick(xs), { maxLength: xs.length });

type Row = { object: ReplicaObject; record: CrmRecord };

const orgArb: fc.Arbitrary<Row[]> = fc
    .tuple(
        ids(USERS).chain((us) =>
            fc.tuple(...us.map((Id) => fc.record({ Id: fc.constant(Id), Name: pick(NAMES), Email: pick(EMAILS) })))
        ),
        ids(ACCOUNTS).chain((as) =>
            fc.tuple(
                ...as.map((Id) =>
                    fc.record({
                        Id: fc.constant(Id),
                        Name: pick(['Acme Corp', 'Acme EU', 'Globex', 'Initech', 'Hooli']),
                        Website: fc.oneof(
                            pick(DOMAINS),
                            pick(DOMAINS).map((d) => `https://www.${d}/about`),
                            fc.constant('')
                        ),
                        OwnerId: pick(USERS),
                        Type: pick(['Customer', 'Prospect']),
                        RecordTypeId: pick(['012R1', '012R2'])
                    })
                )
            )
        ),
        ids(CONTACTS).chain((cs) =>
            fc.tuple(
                ...cs.map((Id) =>
                    fc.record({
                        Id: fc.constant(Id),
                        Name: pick(NAMES),
                        Email: fc.oneof(pick(EMAILS), fc.constant(null)),
                        AccountId: fc.oneof(pick(ACCOUNTS), fc.constant(null)),
                        OwnerId: pick(USERS)
                    })
                )
            )
        ),
        ids(['00QL1', '00QL2', '00QL3']).chain((ls) =>
            fc.tuple(
                ...ls.map((Id) =>
                    fc.record({
                        Id: fc.constant(Id),
                        Name: pick(NAMES),
                        Email: pick(EMAILS),
                        IsConverted: fc.boolean()
                    })
                )
            )
        ),
        ids(OPPS).chain((os) =>
            fc.tuple(
                ...os.map((Id) =>
                    fc.record({
                        Id: fc.constant(Id),
                        Name: pick(['Acme - Renewal', 'Globex - Pilot', 'Platform', 'Hooli - Expansion']),
                        AccountId: pick(ACCOUNTS),
                        OwnerId: pick(USERS),
                        CloseDate: pick(['2026-03-01', '2026-06-30', '2025-12-01']),
                        IsClosed: fc.boolean(),
                        StageName: pick(['Prospecting', 'Closed Won']),
                        RecordTypeId: pick(['012R1', '012R2'])
                    })
                )
            )
        ),
        fc.array(
            fc.record({ OpportunityId: pick(OPPS), ContactId: pick(CONTACTS), Role: pick(['Champion', 'Evaluator']) }),
            {
                maxLength: 6
            }
        ),
        fc.array(fc.record({ AccountId: pick(ACCOUNTS), UserId: pick(USERS) }), { maxLength: 3 }),
        fc.array(fc.record({ OpportunityId: pick(OPPS), UserId: pick(USERS) }), { maxLength: 3 })
    )
    .map(([users, accounts, contacts, leads, opps, roles, atms, otms]) => [
        ...users.map((record) => ({ object: 'User' as const, record })),
        { object: 'RecordType', record: { Id: '012R1', Name: 'Sales', DeveloperName: 'Sales' } },
        { object: 'RecordType', record: { Id: '012R2', Name: 'Renewal', DeveloperName: 'Renewal' } },
        ...accounts.map((record) => ({ object: 'Account' as const, record })),
        ...contacts.map((record) => ({ object: 'Contact' as const, record })),
        ...leads.map((record) => ({ object: 'Lead' as const, record })),
        ...opps.map((record) => ({ object: 'Opportunity' as const, record })),
        ...roles.map((r, i) => ({ object: 'OpportunityContactRole' as const, record: { Id: `00KR${i}`, ...r } })),
        ...atms.map((r, i) => ({ object: 'AccountTeamMember' as const, record: { Id: `01MT${i}`, ...r } })),
        ...otms.map((r, i) => ({ object: 'OpportunityTeamMember' as const, record: { Id: `00qT${i}`, ...r } }))
    ]);

const activityArb: fc.Arbitrary<MatchableActivity> = fc.record({
    type: pick(['email', 'meeting'] as const),
    subject: pick(['Acme renewal', 'Pilot with Globex', 'Catch up', 'Ann Archer intro']),
    startsAt: pick(['2026-03-02T10:00:00.000Z', '2026-06-01T15:00:00.000Z']),
    ownerEmail: pick(['rita@backstory.ai', 'otto@backstory.ai', 'sam@backstory.ai']),
    participants: fc.array(
        fc.record({
            email: pick(EMAILS),
            name: maybe(pick(NAMES)),
            role: maybe(pick(['from', 'to', 'cc', 'attendee'] as const))
        }),
        { minLength: 1, maxLength: 5 }
    )
});

/** Later pulls: some records changed (their keys move), some deleted. */
const changesArb = (rows: Row[]) =>
    fc.tuple(
        fc.subarray(rows.filter((r) => r.object === 'Contact' || r.object === 'Account' || r.object === 'Lead')),
        fc.subarray(rows.filter((r) => r.object !== 'RecordType')),
        pick(EMAILS),
        pick(DOMAINS)
    );

const settingsOf = (which: 'defaults' | 'ranked'): MatchingSettings => {
    const matching = defaultProfileSections().matching;
    if (which === 'ranked')
        matching.rankingGroups = [
            {
                id: 'g1',
                name: 'By owner',
                recordType: 'All',
                kind: 'sort',
                conditions: [{ field: 'Owner.Email', direction: 'asc' }]
            }
        ];
    return matching;
};

describe.each(storeEngines)('SCALE-2 cached index and SQL look-ups (%s)', (engine) => {
    let store: Store;
    beforeAll(async () => {
        store = await openTestStore(engine);
    });
    afterAll(() => store.close());

    it('SCALE-2 gives identical matches from the cached index and from indexed SQL look-ups', async () => {
        let n = 0;
        for (const seed of SEEDS)
            await fc.assert(
                fc.asyncProperty(
                    orgArb.chain((rows) =>
                        fc.tuple(
                            fc.constant(rows),
                            changesArb(rows),
                            fc.array(activityArb, { minLength: 1, maxLength: 6 }),
                            pick(['defaults', 'ranked'] as const)
                        )
                    ),
                    async ([rows, [updated, deleted, email, domain], activities, which]) => {
                        const org = await createOrg(store.db, { name: `Generated ${seed}-${n++}` });
                        const index = new ReplicaIndex();
                        const byObject = new Map<ReplicaObject, CrmRecord[]>();
                        for (const r of rows) byObject.set(r.object, [...(byObject.get(r.object) ?? []), r.record]);
                        for (const [object, records] of byObject)
                            await upsertRecords(store.db, org.id, object, records);
                        for (const r of rows) index.apply(r.object, r.record);
                        // Incremental changes, applied to the index in place as a pull does.
                        for (const { object, record } of updated) {
                            const changed = { ...record, Email: email, Website: `www.${domain}`, IsConverted: false };
                            await upsertRecords(store.db, org.id, object, [changed]);
                            index.apply(object, changed);
                        }
                        for (const { object, record } of deleted) {
                            await deleteRecords(store.db, org.id, object, [record.Id]);
                            index.remove(object, record.Id);
                        }
                        const matching = settingsOf(which);
                        const run = (replica: Parameters<typeof matchActivity>[1]) =>
                            activities.map((a) => matchActivity(a, replica, matching));
                        const fromIndex = run(index);
                        const fromSql = await sqlLookup(store.db, org.id, run);
                        expect(fromSql).toEqual(fromIndex);
                    }
                ),
                { seed, numRuns: RUNS }
            );
    }, 300_000);

    it('SCALE-2 serves an org from the cache once admitted, by SQL with a zero budget, with the same matches', async () => {
        const org = await createOrg(store.db, { name: 'Cache path org' });
        await upsertRecords(store.db, org.id, 'Account', [{ Id: '001X', Name: 'Acme', Website: 'acme.com' }]);
        await upsertRecords(store.db, org.id, 'Contact', [
            { Id: '003X', Name: 'Ann Archer', Email: 'ann@acme.com', AccountId: '001X' }
        ]);
        const activity: MatchableActivity = {
            type: 'email',
            subject: 'Hello',
            startsAt: '2026-03-02T10:00:00.000Z',
            ownerEmail: 'rita@backstory.ai',
            participants: [{ email: 'ann@acme.com' }]
        };
        const matching = settingsOf('defaults');
        const cache = configureMatchCache(store.db, 0);
        const bySql = await withReplica(store.db, org.id, (r) => matchActivity(activity, r, matching));
        for (let i = 0; i < 10; i++) await withReplica(store.db, org.id, (r) => matchActivity(activity, r, matching));
        expect(cache.entries.size).toBe(0); // a zero budget caches nothing
        expect(bySql.who?.recordId).toBe('003X');

        const big = configureMatchCache(store.db, 64);
        const results = [];
        for (let i = 0; i < 10; i++)
            results.push(await withReplica(store.db, org.id, (r) => matchActivity(activity, r, matching)));
        expect(big.entries.has(org.id)).toBe(true); // admitted after ADMIT_AFTER SQL calls
        expect(matchCacheOf(store.db)).toBe(big);
        for (const r of results) expect(r).toEqual(bySql);

        // A transaction on the store shares its cache: it matches from the cached index and
        // neither starts a cache of its own nor builds the index again.
        const inTrx = await store.db.transaction().execute(async (trx) => {
            expect(matchCacheOf(trx)).toBe(big);
            return withReplica(trx, org.id, (r) => matchActivity(activity, r, matching));
        });
        expect(inTrx).toEqual(bySql);
        const fresh = configureMatchCache(store.db, 64);
        await store.db.transaction().execute(async (trx) => {
            for (let i = 0; i < 12; i++) await withReplica(trx, org.id, (r) => matchActivity(activity, r, matching));
        });
        expect(fresh.entries.size).toBe(0); // past ADMIT_AFTER, but no index is built inside a transaction
        expect(fresh.uses.get(org.id)?.calls).toBe(12);
    });
});

describe('SCALE-2 match cache (least recently used out, by bytes)', () => {
    const indexOf = (contacts: number) =>
        ReplicaIndex.build(
            Array.from({ length: contacts }, (_, i) => ({
                object: 'Contact' as const,
                record: { Id: `003${i}`, Name: 'Ann Archer', Email: `ann${i}@acme.com` }
            }))
        );

    it('SCALE-2 evicts the least recently used orgs when the budget is exceeded and refuses an index above it', () => {
        const one = indexOf(100);
        const cache = new MatchCache(Math.floor(one.estimatedBytes * 2.5));
        expect(cache.admit('a', 1, indexOf(100))).toBe(true);
        expect(cache.admit('b', 1, indexOf(100))).toBe(true);
        expect(cache.get('a', 1)).toBeDefined(); // a is now the most recently used
        expect(cache.admit('c', 1, indexOf(100))).toBe(true);
        expect([...cache.entries.keys()]).toEqual(['a', 'c']); // b went out
        expect(cache.used).toBeLessThanOrEqual(cache.budgetBytes);
        expect(cache.admit('big', 1, indexOf(300))).toBe(false);
        expect(cache.entries.has('big')).toBe(false);
        expect(cache.get('a', 2)).toBeUndefined(); // a newer replica version drops the stale index
        expect([...cache.entries.keys()]).toEqual(['c']);
    });

    it('SCALE-2 keeps its byte estimate current through updates and deletes', () => {
        const index = indexOf(10);
        const before = index.estimatedBytes;
        index.apply('Contact', { Id: '0030', Name: 'Ann Archer', Email: 'a.much.longer.address@acme.com' });
        expect(index.estimatedBytes).toBeGreaterThan(before);
        for (let i = 0; i < 10; i++) index.remove('Contact', `003${i}`);
        expect(index.estimatedBytes).toBe(0);
    });
});
