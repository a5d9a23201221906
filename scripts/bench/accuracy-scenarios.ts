// The labelled scenario generator of `npm run bench:accuracy`: a seeded org with the
// ambiguities of real ones, and activities with the truth attached (the right WhoId and WhatId,
// or none). The same seed always gives the same org and activities.
//
// How the truth is set (the generator never looks at the matcher):
// - an activity is about one company (or none); the right WhoId is any known contact of that
//   company who took part (Salesforce takes one; any of them is right), none when no contact did;
// - the right WhatId is the deal the activity is about: a company with one open deal is about
//   that deal, a company with several is about one of them (named by the scenario), a company
//   with none is about the account. That is MATCH-9's definition of the right record.
// - evidence is emitted the way people write: subjects sometimes name the deal, the owner is
//   sometimes the deal's owner, contacts are contact roles on several deals, names collide.
import type {
    CrmRecord,
    MatchableActivity,
    Participant,
    ReplicaObject
} from '../../middleware/src/domain/matching/types';
import { addScenario } from './accuracy-kinds';
import {
    buildOrg,
    type Org,
    DAY,
    OWNER_DOMAIN,
    rng,
    START,
    type Company,
    type Deal,
    type Person
} from './accuracy-org';

export const SCENARIO_MIX = {
    'single-contact': 10,
    'multi-opp-contact-role': 8,
    'multi-opp-subject': 6,
    'multi-opp-owner': 5,
    'multi-opp-close-date': 4,
    subsidiary: 6,
    'duplicate-account': 4,
    'moved-company': 4,
    'personal-address': 4,
    'shared-inbox': 3,
    'contact-and-lead': 4,
    'converted-lead': 3,
    lead: 4,
    'closed-deals': 5,
    internal: 7,
    recruiting: 4,
    vendor: 4,
    bulk: 6,
    'large-meeting': 5,
    'mixed-accounts': 4
} as const;
export type ScenarioKind = keyof typeof SCENARIO_MIX;
export const SCENARIO_KINDS = Object.keys(SCENARIO_MIX) as ScenarioKind[];
/** The kinds that must match nothing. */
export const NO_MATCH_KINDS: readonly ScenarioKind[] = ['internal', 'recruiting', 'vendor', 'bulk'];

export interface Truth {
    /** Every right WhoId; empty: no WhoId is right. */
    who: string[];
    /** The right WhatId, or null. */
    what: string | null;
}

export interface LabelledActivity {
    kind: ScenarioKind;
    activity: MatchableActivity;
    truth: Truth;
}

export interface Scenarios {
    records: { object: ReplicaObject; record: CrmRecord }[];
    activities: LabelledActivity[];
    ownerDomain: string;
}

/** Builds the org, then the activities, one scenario kind at a time in the stated proportions. */
export function generateScenarios(options: { seed: number; accounts: number; activities: number }): Scenarios {
    const rand = rng(options.seed);
    const org = buildOrg(rand, options.accounts);
    const activities: LabelledActivity[] = [];
    const total = Object.values(SCENARIO_MIX).reduce((s, v) => s + v, 0);
    const kinds: ScenarioKind[] = [];
    for (const kind of SCENARIO_KINDS) {
        const count = Math.round((options.activities * SCENARIO_MIX[kind]) / total);
        for (let i = 0; i < count; i++) kinds.push(kind);
    }
    for (let i = kinds.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
    }
    const x = scenarioContext(rand, org, activities);
    for (const kind of kinds) addScenario(kind, x);
    return { records: org.records, activities, ownerDomain: OWNER_DOMAIN };
}

/** What a scenario kind builds its activity from (accuracy-kinds.ts). */
export type ScenarioContext = ReturnType<typeof scenarioContext>;

function scenarioContext(rand: () => number, org: Org, activities: LabelledActivity[]) {
    const {
        users,
        reps,
        colleagues,
        self,
        plain,
        subsidiaries,
        duplicates,
        prospects,
        contactLeads,
        convertedLeads,
        vendors,
        agencies,
        activityWindow,
        openDeals,
        target,
        personName,
        localOf
    } = org;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const chance = (p: number) => rand() < p;
    const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

    const multi = plain.filter((c) => openDeals(c).length >= 2);
    const fewDeals = plain.filter((c) => openDeals(c).length <= 1);
    const multiOwners = multi.filter((c) => new Set(openDeals(c).map((d) => d.ownerId)).size > 1);
    const few = (c: Company) => openDeals(c).length <= 1;
    const fewSubsidiaries = subsidiaries.filter(({ parent, child }) => few(parent) && few(child));
    const fewDuplicates = duplicates.filter(({ primary }) => few(primary));
    const fewContactLeads = contactLeads.filter(({ company }) => few(company));
    const fewConvertedLeads = convertedLeads.filter(({ company }) => few(company));
    const closedPool = plain.filter((x) => x.deals.some((d) => !d.open && d.roles.length) && openDeals(x).length <= 1);
    const noteSubjects = [
        'Quick sync',
        'Catch-up',
        'Follow-up on our call',
        'Next steps',
        'Re: notes from today',
        'Check-in',
        'Agenda for Thursday'
    ];
    const genericSubject = (c?: Company) =>
        c && chance(0.25) ? `${c.name} <> Backstory: ${pick(noteSubjects)}` : pick(noteSubjects);
    const sample = <T>(list: readonly T[], k: number): T[] => {
        const copy = [...list];
        const out: T[] = [];
        while (out.length < k && copy.length) out.push(copy.splice(Math.floor(rand() * copy.length), 1)[0]!);
        return out;
    };
    const dateIn = () => START + between(0, activityWindow) * DAY + between(8, 17) * 3_600_000;

    /** Owner plus people, in the roles of an email (sometimes inbound) or a meeting. */
    const build = (
        kind: ScenarioKind,
        people: { email: string; name?: string; role?: Participant['role'] }[],
        truth: Truth,
        options: {
            owner?: string;
            subject?: string;
            type?: 'email' | 'meeting';
            at?: number;
            headers?: Record<string, string>;
            noColleagues?: boolean;
            inbound?: boolean;
        } = {}
    ) => {
        const owner = options.owner ?? pick(reps).id;
        const ownerEmail = users.find((u) => u.id === owner)!.email;
        const type = options.type ?? (chance(0.5) ? 'email' : 'meeting');
        const inbound = type === 'email' && (options.inbound ?? chance(0.4));
        const participants: Participant[] = [];
        if (type === 'meeting') participants.push({ email: ownerEmail, role: 'organizer' });
        else participants.push({ email: ownerEmail, role: inbound ? 'to' : 'from' });
        // People come in no telling order: shuffled, the sender of an inbound email first.
        for (let i = people.length - 1; i > 0; i--) {
            const j = Math.floor(rand() * (i + 1));
            [people[i], people[j]] = [people[j]!, people[i]!];
        }
        people.forEach((p, i) => {
            const role = p.role ?? (type === 'meeting' ? 'attendee' : inbound && i === 0 ? 'from' : 'to');
            participants.push({ email: p.email, ...(p.name ? { name: p.name } : {}), role });
        });
        if (!options.noColleagues && chance(0.3)) {
            const colleague = chance(0.7) ? pick(reps).email : pick(colleagues).email;
            if (colleague !== ownerEmail)
                participants.push({ email: colleague, role: type === 'meeting' ? 'attendee' : 'cc' });
        }
        activities.push({
            kind,
            activity: {
                type,
                subject: options.subject ?? genericSubject(),
                startsAt: new Date(options.at ?? dateIn()).toISOString(),
                ownerEmail,
                participants,
                ...(options.headers ? { headers: options.headers } : {})
            },
            truth
        });
    };
    const asPeople = (persons: Person[]) => persons.map((p) => ({ email: p.email, name: `${p.first} ${p.last}` }));
    const ownerFor = (c: Company) => (chance(0.6) ? c.ownerId : pick(reps).id);
    const dealSubject = (d: Deal) => {
        const part = d.name.slice(d.name.indexOf(' - ') + 3);
        return pick([
            `${part}: pricing`,
            `Re: ${part} next steps`,
            `${part} - proposal review`,
            `Call about ${part.toLowerCase()}`
        ]);
    };

    return {
        pick,
        chance,
        between,
        sample,
        multi,
        fewDeals,
        multiOwners,
        fewSubsidiaries,
        fewDuplicates,
        fewContactLeads,
        fewConvertedLeads,
        closedPool,
        plain,
        openDeals,
        target,
        build,
        asPeople,
        ownerFor,
        dealSubject,
        genericSubject,
        localOf,
        personName,
        self,
        reps,
        colleagues,
        prospects,
        vendors,
        agencies,
        rand
    };
}
