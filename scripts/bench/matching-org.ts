// The generated org and activities of the matching benchmarks (bench:matching, bench:tenants,
// bench:index-bytes): replica records from the seed generator, activities that name its contacts,
// leads and domains, and the matching profile they run with.
import type { GeneratedOrg } from '../seed/generate-org';
import { normaliseDomain } from '../../middleware/src/domain/matching/domains';
import type {
    CrmRecord,
    MatchableActivity,
    Participant,
    ReplicaObject
} from '../../middleware/src/domain/matching/types';
import type { MatchingSettings } from '../../middleware/src/domain/profile';

/** mulberry32, as the org generator. */
export function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** The generated plan as replica records: ids, owners, IsClosed, names, a few team members, users. */
export function toReplica(
    org: GeneratedOrg,
    rand: () => number,
    users_ = 200
): { object: ReplicaObject; record: CrmRecord }[] {
    const out: { object: ReplicaObject; record: CrmRecord }[] = [];
    const ids = new Map<string, string>();
    let n = 0;
    const id = (prefix: string) => `${prefix}${String(++n).padStart(15, '0')}`;
    const users: string[] = [];
    for (let u = 1; u <= users_; u++) {
        const userId = id('005');
        users.push(userId);
        out.push({
            object: 'User',
            record: { Id: userId, Name: `Rep ${u}`, Email: `rep${u}@backstory-bench.com`, IsActive: true }
        });
    }
    const owner = () => users[Math.floor(rand() * users.length)]!;
    const prefixes: Record<keyof GeneratedOrg, string> = {
        Account: '001',
        Contact: '003',
        Lead: '00Q',
        Opportunity: '006',
        OpportunityContactRole: '00K'
    };
    for (const object of ['Account', 'Contact', 'Lead', 'Opportunity', 'OpportunityContactRole'] as const) {
        for (const r of org[object]) {
            const recordId = id(prefixes[object]);
            ids.set(r.referenceId, recordId);
            const record: CrmRecord = { Id: recordId, ...r.fields };
            for (const [field, ref] of Object.entries(r.refs)) record[field] = ids.get(ref) ?? null;
            if (object !== 'OpportunityContactRole') record.OwnerId = owner();
            if (object === 'Contact' || object === 'Lead')
                record.Name = `${String(r.fields.FirstName)} ${String(r.fields.LastName)}`;
            if (object === 'Lead') record.IsConverted = rand() < 0.1;
            if (object === 'Opportunity') record.IsClosed = String(r.fields.StageName).startsWith('Closed');
            out.push({ object, record });
            if (object === 'Account' && rand() < 0.2)
                out.push({
                    object: 'AccountTeamMember',
                    record: { Id: id('01M'), AccountId: recordId, UserId: owner(), TeamMemberRole: 'Sales Rep' }
                });
        }
    }
    return out;
}

export function generateActivities(
    org: GeneratedOrg,
    replica: { object: ReplicaObject; record: CrmRecord }[],
    count: number,
    rand: () => number
): MatchableActivity[] {
    const contactsByAccount = new Map<string, string[]>();
    for (const c of org.Contact) {
        const list = contactsByAccount.get(c.refs.AccountId!) ?? [];
        list.push(String(c.fields.Email));
        contactsByAccount.set(c.refs.AccountId!, list);
    }
    const users = replica.filter((r) => r.object === 'User').map((r) => String(r.record.Email));
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const out: MatchableActivity[] = [];
    for (let i = 0; i < count; i++) {
        const account = pick(org.Account);
        const domain = normaliseDomain(account.fields.Website) ?? 'unknown.example.com';
        const contacts = contactsByAccount.get(account.referenceId) ?? [];
        const owner = pick(users);
        const participants: Participant[] = [{ email: owner, role: 'from' }];
        const k = 1 + Math.floor(rand() * 3);
        for (let j = 0; j < k && contacts.length; j++)
            participants.push({ email: pick(contacts), role: 'to' as const });
        if (rand() < 0.2) participants.push({ email: String(pick(org.Lead).fields.Email), role: 'to' as const });
        if (rand() < 0.1) participants.push({ email: `someone.new${i}@${domain}`, role: 'cc' as const });
        if (rand() < 0.1) participants.push({ email: `friend${i}@gmail.com`, role: 'cc' as const });
        if (rand() < 0.3) participants.push({ email: pick(users), role: 'cc' as const });
        out.push({
            type: rand() < 0.5 ? 'email' : 'meeting',
            subject: rand() < 0.3 ? `Follow-up with ${String(account.fields.Name)}` : 'Quick sync on next steps',
            startsAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 365) * 86_400_000).toISOString(),
            ownerEmail: owner,
            participants
        });
    }
    return out;
}

export const profile: MatchingSettings = {
    minScore: 50,
    eligibility: {
        Opportunity: {
            mode: 'filtered',
            groups: [
                {
                    id: 'elg_1',
                    name: 'Sales opportunities',
                    filters: [{ field: 'Type', operator: 'in', value: ['New Business', 'Existing Business'] }]
                }
            ]
        },
        Account: { mode: 'all', groups: [] },
        Lead: { mode: 'all', groups: [] }
    },
    rankingGroups: [
        {
            id: 'rnk_1',
            name: 'Soonest close',
            recordType: 'Opportunity',
            kind: 'sort',
            conditions: [{ field: 'CloseDate', direction: 'asc' }]
        }
    ]
};
