// `npm run bench:matching`: match 100,000 generated activities against a generated org of
// 100,000 accounts, 400,000 contacts, 50,000 leads and 150,000 opportunities, through the real
// pipeline over the in-memory replica indexes, and against a naive baseline in the same run
// that answers the same look-ups by scanning every record (on a sample). Prints throughput,
// candidates per activity, replica memory and the ratio. Not a timed test.
import { runInNewContext } from 'node:vm';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { generateOrg } from '../seed/generate-org';
import { generateActivities, profile, rng, toReplica } from './matching-org';
import { matchActivity } from '../../middleware/src/domain/matching/pipeline';
import { ReplicaIndex, type ReplicaLookup } from '../../middleware/src/domain/matching/replica-index';
import { normaliseDomain, normaliseEmail } from '../../middleware/src/domain/matching/domains';
import type { CrmRecord, ReplicaObject } from '../../middleware/src/domain/matching/types';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed / 1024 / 1024;
};

/** User plus system CPU time of a process.cpuUsage() delta, in milliseconds. */
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const ACCOUNTS = env('BENCH_ACCOUNTS', 100_000);
const ACTIVITIES = env('BENCH_ACTIVITIES', 100_000);
const NAIVE_SAMPLE = env('BENCH_NAIVE_SAMPLE', 200);

/** The naive baseline: the same questions, answered by scanning every record each time. */
class NaiveLookup implements ReplicaLookup {
    private readonly all = new Map<ReplicaObject, CrmRecord[]>();
    constructor(records: { object: ReplicaObject; record: CrmRecord }[]) {
        for (const { object, record } of records) {
            const list = this.all.get(object) ?? [];
            list.push(record);
            this.all.set(object, list);
        }
    }
    private scan(object: ReplicaObject, test: (r: CrmRecord) => boolean): CrmRecord[] {
        return (this.all.get(object) ?? []).filter(test);
    }
    contactsByEmail(email: string) {
        return this.scan('Contact', (r) => normaliseEmail(r.Email) === email);
    }
    leadsByEmail(email: string) {
        return this.scan('Lead', (r) => r.IsConverted !== true && normaliseEmail(r.Email) === email);
    }
    accountsByDomain(domain: string) {
        return this.scan('Account', (r) => normaliseDomain(r.Website) === domain);
    }
    opportunitiesByAccount(accountId: string) {
        return this.scan('Opportunity', (r) => r.AccountId === accountId);
    }
    contactRolesByContact(contactId: string) {
        return this.scan('OpportunityContactRole', (r) => r.ContactId === contactId);
    }
    accountTeam(accountId: string) {
        return this.scan('AccountTeamMember', (r) => r.AccountId === accountId).map((r) => String(r.UserId));
    }
    opportunityTeam(opportunityId: string) {
        return this.scan('OpportunityTeamMember', (r) => r.OpportunityId === opportunityId).map((r) =>
            String(r.UserId)
        );
    }
    userIdByEmail(email: string) {
        return this.scan('User', (r) => normaliseEmail(r.Email) === email)[0]?.Id;
    }
    record(object: ReplicaObject, id: string) {
        return (this.all.get(object) ?? []).find((r) => r.Id === id);
    }
}

function main(): void {
    const rand = rng(7);
    const heap0 = heapMb();
    const t0 = performance.now();
    const org = generateOrg({
        accounts: ACCOUNTS,
        contactsPerAccount: 4,
        leads: Math.round(ACCOUNTS / 2),
        opportunitiesPerAccount: 1.5,
        seed: 11,
        today: new Date('2026-06-01T00:00:00Z')
    });
    const replica = toReplica(org, rand);
    const activities = generateActivities(org, replica, ACTIVITIES, rand);
    const generatedMs = performance.now() - t0;
    const heapRecords = heapMb();

    const t1 = performance.now();
    const index = ReplicaIndex.build(replica);
    const buildMs = performance.now() - t1;
    const heapIndex = heapMb();

    // Warm up, then the timed run over every activity.
    for (let i = 0; i < 2000; i++) matchActivity(activities[i % activities.length]!, index, profile);
    let candidates = 0;
    let matchedWho = 0;
    let matchedWhat = 0;
    const t2 = performance.now();
    const c2 = process.cpuUsage();
    for (const activity of activities) {
        const result = matchActivity(activity, index, profile);
        candidates += result.candidates.length;
        if (result.who) matchedWho++;
        if (result.what) matchedWhat++;
    }
    const indexedMs = performance.now() - t2;
    const indexedCpuMs = cpuMs(process.cpuUsage(c2));
    const perSecond = activities.length / (indexedMs / 1000);

    // The naive baseline on a sample, and the same answers from both.
    const naive = new NaiveLookup(replica);
    const sample = activities.slice(0, NAIVE_SAMPLE);
    const t3 = performance.now();
    const c3 = process.cpuUsage();
    const naiveResults = sample.map((a) => matchActivity(a, naive, profile));
    const naiveMs = performance.now() - t3;
    const naiveCpuMs = cpuMs(process.cpuUsage(c3));
    const same = sample.every(
        (a, i) => JSON.stringify(matchActivity(a, index, profile)) === JSON.stringify(naiveResults[i])
    );
    const perActivityIndexed = indexedMs / activities.length;
    const perActivityNaive = naiveMs / sample.length;

    const counts = (object: ReplicaObject) => index.count(object).toLocaleString('en-US');
    const lines = [
        `org:                      ${counts('Account')} accounts, ${counts('Contact')} contacts, ${counts('Lead')} leads, ${counts('Opportunity')} opportunities, ${counts('OpportunityContactRole')} contact roles, ${counts('AccountTeamMember')} account team members, ${counts('User')} users`,
        `generated in:             ${(generatedMs / 1000).toFixed(1)} s (${activities.length.toLocaleString('en-US')} activities)`,
        `replica memory:           ${(heapRecords - heap0).toFixed(0)} MB records + ${(heapIndex - heapRecords).toFixed(0)} MB indexes (built in ${(buildMs / 1000).toFixed(2)} s)`,
        `indexed pipeline:         ${Math.round(perSecond).toLocaleString('en-US')} activities/s on one core (${(perActivityIndexed * 1000).toFixed(1)} µs each, wall clock)`,
        `  per CPU second:         ${Math.round(activities.length / (indexedCpuMs / 1000)).toLocaleString('en-US')} activities per second of this process's CPU time (${((indexedCpuMs / indexedMs) * 100).toFixed(0)} % of the wall clock on a CPU; load average ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores)`,
        `candidates per activity:  ${(candidates / activities.length).toFixed(2)} (who matched ${((matchedWho / activities.length) * 100).toFixed(1)} %, what matched ${((matchedWhat / activities.length) * 100).toFixed(1)} %)`,
        `naive baseline (scan):    ${(perActivityNaive * 1000).toFixed(0)} µs per activity on ${sample.length} activities (${Math.round(1000 / perActivityNaive).toLocaleString('en-US')} activities/s)`,
        `indexed vs naive:         ${(perActivityNaive / perActivityIndexed).toFixed(0)}x faster (wall clock), ${(naiveCpuMs / sample.length / (indexedCpuMs / activities.length)).toFixed(0)}x in CPU time; same matches on the sample: ${same ? 'yes' : 'NO'}`
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (!same) process.exitCode = 1;
}

main();
