// `npm run bench:tenants`: SCALE-2. Many orgs matched in one process with a bounded index cache
// (MATCH_CACHE_MB, default here 256): prints resident memory (target under 1 GB) and throughput
// against a fully cached run in the same process (a sample of orgs whose indexes are all in
// memory). The replica is seeded once into the store (PostgreSQL when DATABASE_URL is set, in
// schema `bench_tenants`, kept for later runs; else PGlite in memory, whose own memory then
// counts in the resident figure). Not a timed test.
//
//   --orgs 1000 --records 2000 --activities 10 --cached-orgs 50 --cache-mb 256 --batch 10 --templates 25 --reseed
// Seeding: `--templates` orgs are generated; the others are SQL copies of them (see `seed`).
// `npm run bench:tenants` runs it with `--max-old-space-size=640` (the V8 heap limit is printed),
// as docs/deploy.md advises for a process with MATCH_CACHE_MB=256: without a limit V8 lets
// garbage pile up far past the live set before it collects (1.35 GB peak vs 619 MB measured).
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { sql } from 'kysely';
import { generateOrg } from '../seed/generate-org';
import { matchActivity } from '../../middleware/src/domain/matching/pipeline';
import type { CrmRecord, MatchableActivity, ReplicaObject } from '../../middleware/src/domain/matching/types';
import { upsertRecords } from '../../middleware/src/store/crm';
import { openStore, type Store } from '../../middleware/src/store/db';
import { createOrg } from '../../middleware/src/store/orgs';
import { configureMatchCache, replicaIndex, withReplica } from '../../middleware/src/store/replica-cache';
import { generateActivities, profile, rng, toReplica } from './matching-org';

const { values: flags } = parseArgs({
    options: {
        orgs: { type: 'string', default: '1000' },
        records: { type: 'string', default: '2000' },
        activities: { type: 'string', default: '10' },
        'cached-orgs': { type: 'string', default: '50' },
        'cache-mb': { type: 'string', default: process.env.MATCH_CACHE_MB ?? '256' },
        batch: { type: 'string', default: '10' },
        templates: { type: 'string', default: '25' },
        reseed: { type: 'boolean', default: false }
    }
});
const whole = (name: keyof typeof flags): number => {
    const n = Number(flags[name]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
    return n;
};
const ORGS = whole('orgs');
const RECORDS = whole('records');
const PER_ORG = whole('activities');
const CACHED_ORGS = Math.min(whole('cached-orgs'), ORGS);
const CACHE_MB = whole('cache-mb');
const BATCH = Math.max(1, whole('batch'));
const TEMPLATES = Math.max(1, Math.min(whole('templates'), ORGS));
const COPY_CHUNK = 10;
const USERS = 20;
// About 10 replica records per generated account (4 contacts, 1.5 opportunities, contact roles, …).
const ACCOUNTS = Math.max(1, Math.round((RECORDS - USERS) / 10.2));

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Tenant {
    orgId: string;
    activities: MatchableActivity[];
}

function plan(i: number) {
    const org = generateOrg({
        accounts: ACCOUNTS,
        contactsPerAccount: 4,
        leads: Math.round(ACCOUNTS / 2),
        opportunitiesPerAccount: 1.5,
        seed: 1000 + i,
        today: new Date('2026-06-01T00:00:00Z')
    });
    const rand = rng(i + 1);
    const replica = toReplica(org, rand, USERS);
    return { replica, activities: generateActivities(org, replica, PER_ORG, rand) };
}

/**
 * Seed the orgs (or find them from an earlier run with the same counts). The first `--templates`
 * orgs are generated and written as a pull writes them (records and match keys); every other org
 * is a copy of template `i % templates`, made in SQL (`insert … select`, a chunk of orgs per
 * statement): the same records under its own org id, so its index is built from its own rows and
 * costs the same memory as a generated one, and its activities are its template's.
 */
async function seed(store: Store): Promise<Tenant[]> {
    const name = (i: number) =>
        i < TEMPLATES
            ? `bench-tenants ${RECORDS}r #${i}`
            : `bench-tenants ${RECORDS}r #${i} (copy of #${i % TEMPLATES})`;
    const existing = new Map(
        (
            await store.db.selectFrom('orgs').select(['id', 'name']).where('name', 'like', 'bench-tenants %').execute()
        ).map((o) => [o.name, o.id])
    );
    const t0 = performance.now();
    const templates: Tenant[] = [];
    let seeded = 0;
    for (let i = 0; i < TEMPLATES; i++) {
        const { replica, activities } = plan(i);
        let orgId = existing.get(name(i));
        if (!orgId) {
            orgId = (await createOrg(store.db, { name: name(i) })).id;
            const byObject = new Map<ReplicaObject, CrmRecord[]>();
            for (const { object, record } of replica) byObject.set(object, [...(byObject.get(object) ?? []), record]);
            await store.db.transaction().execute(async (trx) => {
                for (const [object, records] of byObject) await upsertRecords(trx, orgId!, object, records);
            });
            seeded++;
        }
        templates.push({ orgId, activities });
    }
    if (seeded) log(`generated ${seeded} template orgs in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const tenants: Tenant[] = [...templates];
    const copies = new Map<number, string[]>();
    for (let i = TEMPLATES; i < ORGS; i++) {
        const template = i % TEMPLATES;
        let orgId = existing.get(name(i));
        if (!orgId) {
            orgId = (await createOrg(store.db, { name: name(i) })).id;
            copies.set(template, [...(copies.get(template) ?? []), orgId]);
        }
        tenants.push({ orgId, activities: templates[template]!.activities });
    }
    const t1 = performance.now();
    let copied = 0;
    for (const [template, orgIds] of copies)
        for (let c = 0; c < orgIds.length; c += COPY_CHUNK) {
            const chunk = orgIds.slice(c, c + COPY_CHUNK);
            const from = templates[template]!.orgId;
            await store.db.transaction().execute(async (trx) => {
                await sql`insert into crm_records (org_id, object, id, data, system_modstamp)
                    select o.id, r.object, r.id, r.data, r.system_modstamp
                    from crm_records r, unnest(${chunk}::text[]) as o(id) where r.org_id = ${from}`.execute(trx);
                await sql`insert into crm_match_keys (org_id, kind, key, object, id)
                    select o.id, k.kind, k.key, k.object, k.id
                    from crm_match_keys k, unnest(${chunk}::text[]) as o(id) where k.org_id = ${from}`.execute(trx);
            });
            copied += chunk.length;
            if (copied % 100 < COPY_CHUNK)
                log(`  copied ${copied} orgs (${((performance.now() - t1) / 1000).toFixed(0)} s)`);
        }
    if (copied) log(`copied ${copied} orgs × ${RECORDS} records in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
    return tenants;
}

/** Every tenant's activities, round-robin over the orgs, `batch` activities of one org per call. */
async function run(store: Store, tenants: Tenant[], batch: number) {
    let n = 0;
    let matched = 0;
    const t0 = performance.now();
    for (let from = 0; from < PER_ORG; from += batch)
        for (const t of tenants) {
            const slice = t.activities.slice(from, from + batch);
            const results = await withReplica(store.db, t.orgId, (replica) =>
                slice.map((a) => matchActivity(a, replica, profile))
            );
            n += results.length;
            matched += results.filter((r) => r.who).length;
        }
    const seconds = (performance.now() - t0) / 1000;
    return { n, perSecond: n / seconds, matched };
}

async function main(): Promise<void> {
    const store = await openStore(
        process.env.DATABASE_URL
            ? { databaseUrl: process.env.DATABASE_URL, schema: flags.reseed ? 'bench_tenants_fresh' : 'bench_tenants' }
            : { dataDir: 'memory://' }
    );
    try {
        log(
            `store: ${store.kind}; ${ORGS} orgs × ${RECORDS} records (${ACCOUNTS} accounts each), ${PER_ORG} activities per org, MATCH_CACHE_MB=${CACHE_MB}; V8 heap limit ${mb(getHeapStatistics().heap_size_limit)}; load ${loadavg()
                .map((l) => l.toFixed(1))
                .join(' ')}`
        );
        const tenants = await seed(store);
        const rssBefore = process.memoryUsage().rss;

        // Fully cached: a sample of orgs, every index built and in memory before the clock starts.
        const full = configureMatchCache(store.db, 1_000_000);
        const sample = tenants.slice(0, CACHED_ORGS);
        for (const t of sample) await replicaIndex(store.db, t.orgId);
        if (full.entries.size !== sample.length) throw new Error('the fully cached sample did not fit');
        const peakNow = () => process.resourceUsage().maxRSS * 1024;
        const phases: string[] = [];
        const phase = (name: string) =>
            phases.push(`${name}: ${mb(process.memoryUsage().rss)} now, ${mb(peakNow())} peak so far`);
        phase('after seeding');
        const cached1 = await run(store, sample, 1);
        const cachedB = await run(store, sample, BATCH);
        phase('fully cached runs');
        const perOrgBytes = full.used / Math.max(1, full.entries.size);

        // Bounded: every org, MATCH_CACHE_MB, cold cache.
        const bounded = configureMatchCache(store.db, CACHE_MB);
        full.entries.clear();
        const b1 = await run(store, tenants, 1);
        phase('bounded, one per call');
        const bB = await run(store, tenants, BATCH);
        phase(`bounded, ${BATCH} per call`);
        const rss = process.memoryUsage().rss;
        const peak = process.resourceUsage().maxRSS * 1024;

        const lines = [
            `index per org (estimate):   ${(perOrgBytes / 1024).toFixed(0)} KB; all ${ORGS} orgs would take ${mb(perOrgBytes * ORGS)}`,
            `fully cached (${sample.length} orgs):     ${Math.round(cached1.perSecond).toLocaleString('en-US')} activities/s one per call, ${Math.round(cachedB.perSecond).toLocaleString('en-US')} activities/s ${BATCH} per call`,
            `bounded (${ORGS} orgs, ${CACHE_MB} MB): ${Math.round(b1.perSecond).toLocaleString('en-US')} activities/s one per call, ${Math.round(bB.perSecond).toLocaleString('en-US')} activities/s ${BATCH} per call`,
            `bounded / fully cached:     ${(b1.perSecond / cached1.perSecond).toFixed(2)} one per call, ${(bB.perSecond / cachedB.perSecond).toFixed(2)} ${BATCH} per call`,
            `cache at the end:           ${bounded.entries.size} orgs in memory, ${mb(bounded.used)} estimated of ${CACHE_MB} MB, ${bounded.evictions} evictions`,
            `who matched:                ${((b1.matched / b1.n) * 100).toFixed(1)} % bounded, ${((cached1.matched / cached1.n) * 100).toFixed(1)} % fully cached sample`,
            `resident memory:            ${mb(rss)} now, ${mb(peak)} peak (${mb(rssBefore)} after seeding; target under 1 GB)`
        ];
        log(lines.join('\n'));
        log(`resident memory by phase:\n  ${phases.join('\n  ')}`);
        if (rss > 1024 ** 3) process.exitCode = 1;
    } finally {
        await store.close();
    }
}

void main();
