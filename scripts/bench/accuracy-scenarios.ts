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
import { buildOrg, DAY, FREE, OWNER_DOMAIN, rng, START, type Company, type Deal, type Person } from './accuracy-org';

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
    const {
        records,
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
    } = buildOrg(rand, options.accounts);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const chance = (p: number) => rand() < p;
    const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

    // Activities.
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

    for (const kind of kinds) {
        switch (kind) {
            case 'single-contact': {
                const c = pick(fewDeals);
                const people = sample(c.contacts, between(1, 3));
                build(
                    kind,
                    asPeople(people),
                    { who: people.map((p) => p.id), what: target(c) },
                    { owner: ownerFor(c), subject: genericSubject(c) }
                );
                break;
            }
            case 'multi-opp-contact-role': {
                const c = pick(multi);
                const deal = pick(openDeals(c));
                // Three times in four the people are contact roles on this deal only; otherwise
                // also on another open deal of the account, and nothing in the activity tells which.
                const others = new Set(
                    openDeals(c)
                        .filter((d) => d !== deal)
                        .flatMap((d) => d.roles)
                );
                const loose = chance(0.25);
                const told = deal.roles.filter((id) => !others.has(id));
                const roleId = pick(!loose && told.length ? told : deal.roles);
                const role = c.contacts.find((p) => p.id === roleId)!;
                const pool = c.contacts.filter((p) => p !== role && (loose || !others.has(p.id)));
                const people = [role, ...sample(pool, between(0, 1))];
                build(kind, asPeople(people), { who: people.map((p) => p.id), what: deal.id }, { owner: ownerFor(c) });
                break;
            }
            case 'multi-opp-subject': {
                const c = pick(multi);
                const deal = pick(openDeals(c));
                const people = sample(c.contacts, between(1, 2));
                build(
                    kind,
                    asPeople(people),
                    { who: people.map((p) => p.id), what: deal.id },
                    { owner: ownerFor(c), subject: dealSubject(deal) }
                );
                break;
            }
            case 'multi-opp-owner': {
                // Accounts whose open deals have different owners (else the owner tells nothing).
                const c = pick(multiOwners);
                // The deal whose owner owns no other open deal of the account, when there is one.
                const open = openDeals(c);
                const told = open.filter((d) => open.filter((x) => x.ownerId === d.ownerId).length === 1);
                const deal = pick(told.length ? told : open);
                // People who are no contact role on another open deal (else the contact role tells).
                const others = new Set(
                    openDeals(c)
                        .filter((d) => d !== deal)
                        .flatMap((d) => d.roles)
                );
                const pool = c.contacts.filter((p) => !others.has(p.id));
                const people = sample(pool.length ? pool : c.contacts, between(1, 2));
                build(kind, asPeople(people), { who: people.map((p) => p.id), what: deal.id }, { owner: deal.ownerId });
                break;
            }
            case 'multi-opp-close-date': {
                const c = pick(multi);
                const deal = pick(openDeals(c));
                const others = new Set(
                    openDeals(c)
                        .filter((d) => d !== deal)
                        .flatMap((d) => d.roles)
                );
                const pool = c.contacts.filter((p) => !others.has(p.id));
                const people = sample(pool.length ? pool : c.contacts, between(1, 2));
                build(
                    kind,
                    asPeople(people),
                    { who: people.map((p) => p.id), what: deal.id },
                    { owner: c.ownerId, at: deal.closeDate - between(1, 21) * DAY }
                );
                break;
            }
            case 'subsidiary': {
                const { parent, child, shared } = pick(fewSubsidiaries);
                const c = chance(0.5) ? child : parent;
                const people: { email: string; name?: string }[] = asPeople(sample(c.contacts, between(1, 2)));
                const who = people.map((p) => c.contacts.find((x) => x.email === p.email)!.id);
                if (chance(0.3)) people.push({ email: `${localOf(personName())}@${c.domain}` });
                void shared;
                build(kind, people, { who, what: target(c) }, { owner: ownerFor(c) });
                break;
            }
            case 'duplicate-account': {
                const { primary } = pick(fewDuplicates);
                const known = chance(0.7) ? sample(primary.contacts, between(1, 2)) : [];
                const people: { email: string; name?: string }[] = asPeople(known);
                if (known.length === 0 || chance(0.3))
                    people.push({ email: `${localOf(personName())}@${primary.domain}` });
                build(
                    kind,
                    people,
                    { who: known.map((p) => p.id), what: target(primary) },
                    { owner: ownerFor(primary) }
                );
                break;
            }
            case 'moved-company': {
                // Someone known at an old company, now at another account, writing from the new address.
                const from = pick(plain);
                const mover = pick(from.contacts);
                let to = pick(fewDeals);
                while (to === from) to = pick(fewDeals);
                const address = `${localOf(mover)}@${to.domain}`;
                const people: { email: string; name?: string }[] = [
                    { email: address, name: `${mover.first} ${mover.last}` }
                ];
                // A namesake already on file at the new company is a contact there, rightly matched.
                const known = [
                    ...to.contacts.filter((p) => p.email === address),
                    ...(chance(0.4)
                        ? sample(
                              to.contacts.filter((p) => p.email !== address),
                              1
                          )
                        : [])
                ];
                people.push(...asPeople(known));
                build(kind, people, { who: known.map((p) => p.id), what: target(to) }, { owner: ownerFor(to) });
                break;
            }
            case 'personal-address': {
                const c = pick(fewDeals);
                const person = pick(c.contacts);
                const r = rand();
                const name =
                    r < 0.75
                        ? `${person.first} ${person.last}`
                        : r < 0.85
                          ? `${person.first[0]}. ${person.last}`
                          : undefined;
                const people: { email: string; name?: string }[] = [
                    { email: `${localOf(person)}${between(1, 99)}@${pick(FREE)}`, ...(name ? { name } : {}) }
                ];
                const who = [person.id];
                if (chance(0.3)) {
                    const colleague = pick(
                        c.contacts.filter((p) => p !== person).length
                            ? c.contacts.filter((p) => p !== person)
                            : c.contacts
                    );
                    people.push(...asPeople([colleague]));
                    who.push(colleague.id);
                }
                build(kind, people, { who, what: target(c) }, { owner: ownerFor(c) });
                break;
            }
            case 'shared-inbox': {
                const c = pick(fewDeals);
                const people: { email: string; name?: string }[] = [
                    { email: `${pick(['sales', 'info', 'support', 'billing', 'contact', 'procurement'])}@${c.domain}` }
                ];
                const known = chance(0.3) ? sample(c.contacts, 1) : [];
                people.push(...asPeople(known));
                build(
                    kind,
                    people,
                    { who: known.map((p) => p.id), what: target(c) },
                    { owner: ownerFor(c), type: 'email' }
                );
                break;
            }
            case 'contact-and-lead': {
                const { contact, company } = pick(fewContactLeads);
                build(
                    kind,
                    asPeople([contact]),
                    { who: [contact.id], what: target(company) },
                    { owner: ownerFor(company) }
                );
                break;
            }
            case 'converted-lead': {
                const { contact, company } = pick(fewConvertedLeads);
                build(
                    kind,
                    asPeople([contact]),
                    { who: [contact.id], what: target(company) },
                    { owner: ownerFor(company) }
                );
                break;
            }
            case 'lead': {
                const lead = pick(prospects);
                build(
                    kind,
                    [{ email: lead.email, name: lead.name }],
                    { who: [lead.id], what: null },
                    { subject: pick(['Intro', 'Quick question', 'Backstory for your team', 'Following up']) }
                );
                break;
            }
            case 'closed-deals': {
                const c = pick(closedPool);
                const closedRoles = new Set(c.deals.filter((d) => !d.open).flatMap((d) => d.roles));
                const people = c.contacts.filter((p) => closedRoles.has(p.id)).slice(0, 2);
                build(
                    kind,
                    asPeople(people),
                    { who: people.map((p) => p.id), what: target(c) },
                    { owner: ownerFor(c) }
                );
                break;
            }
            case 'internal': {
                const people = sample(
                    chance(0.3)
                        ? self.contacts.map((p) => ({ email: p.email }))
                        : [...reps, ...colleagues].map((u) => ({ email: u.email })),
                    between(1, 4)
                );
                build(
                    kind,
                    people,
                    { who: [], what: null },
                    {
                        subject: pick([
                            '1:1',
                            'Pipeline review',
                            'Forecast call',
                            'Team standup',
                            'Deal desk',
                            `Prep for ${pick(plain).name}`
                        ]),
                        noColleagues: true
                    }
                );
                break;
            }
            case 'recruiting': {
                const name = personName();
                const people: { email: string; name?: string }[] = [
                    { email: `${localOf(name)}${between(1, 99)}@${pick(FREE)}`, name: `${name.first} ${name.last}` }
                ];
                if (chance(0.3)) people.push({ email: `recruiter${between(1, 9)}@${pick(agencies)}` });
                const subject = chance(0.8)
                    ? pick([
                          'Interview: Account Executive',
                          'Phone screen',
                          'Onsite interview loop',
                          'Candidate debrief',
                          'Offer letter',
                          'Your application for Sales Engineer'
                      ])
                    : pick(['Coffee chat', 'Catch-up', 'Intro']);
                build(kind, people, { who: [], what: null }, { subject });
                break;
            }
            case 'vendor': {
                const domain = pick(vendors);
                const people = Array.from({ length: between(1, 2) }, () => ({
                    email: `${localOf(personName())}@${domain}`
                }));
                build(
                    kind,
                    people,
                    { who: [], what: null },
                    {
                        subject: pick([
                            `Invoice ${between(1000, 9999)}`,
                            'Your subscription renewal',
                            'Onboarding session',
                            'Quarterly review of your account',
                            'Contract amendment'
                        ])
                    }
                );
                break;
            }
            case 'bulk': {
                const c = pick(plain);
                if (chance(0.5)) {
                    const local = pick([
                        'newsletter',
                        'news',
                        'marketing',
                        'no-reply',
                        'noreply',
                        'updates',
                        'hello',
                        'team',
                        'events'
                    ]);
                    const host = chance(0.3) ? `${pick(['mail', 'email', 'news'])}.${c.domain}` : c.domain;
                    const headers: Record<string, string> = {};
                    if (chance(0.95)) headers['list-unsubscribe'] = `<https://${host}/unsubscribe>`;
                    if (chance(0.3)) headers.precedence = 'bulk';
                    build(
                        kind,
                        [{ email: `${local}@${host}`, name: c.name, role: 'from' }],
                        { who: [], what: null },
                        {
                            type: 'email',
                            subject: pick([
                                `${c.name} Monthly: what's new`,
                                `Join our webinar`,
                                `Product update`,
                                `Your ${c.name} digest`
                            ]),
                            headers,
                            noColleagues: true,
                            inbound: true
                        }
                    );
                } else {
                    const person = pick(c.contacts);
                    const original = genericSubject(c);
                    const r = rand();
                    const subject =
                        r < 0.4
                            ? `Automatic reply: ${original}`
                            : r < 0.6
                              ? `Out of Office: ${original}`
                              : r < 0.7
                                ? `Auto-Reply: ${original}`
                                : r < 0.75
                                  ? `Abwesenheitsnotiz: ${original}`
                                  : r < 0.8
                                    ? `Undeliverable: ${original}`
                                    : `Re: ${original}`;
                    const headers: Record<string, string> = {};
                    if (r >= 0.8 || chance(0.6)) headers['auto-submitted'] = 'auto-replied';
                    build(
                        kind,
                        [{ email: person.email, name: `${person.first} ${person.last}`, role: 'from' }],
                        { who: [], what: null },
                        { type: 'email', subject, headers, noColleagues: true, inbound: true }
                    );
                }
                break;
            }
            case 'large-meeting': {
                if (chance(0.65)) {
                    // A customer workshop or QBR: many of one customer, a few from partners.
                    const c = pick(fewDeals);
                    const own = c.contacts.slice(0, 8);
                    const people: { email: string; name?: string }[] = asPeople(own);
                    for (let i = between(12, 18); i > 0; i--)
                        people.push({ email: `${localOf(personName())}${i}@${c.domain}` });
                    for (let k = between(1, 3); k > 0; k--)
                        people.push(...asPeople(sample(pick(plain).contacts, between(1, 2))));
                    build(
                        kind,
                        people,
                        { who: own.map((p) => p.id), what: target(c) },
                        {
                            type: 'meeting',
                            owner: ownerFor(c),
                            subject: `${c.name} ${pick(['QBR', 'workshop', 'executive briefing', 'kick-off'])}`
                        }
                    );
                } else {
                    // A roundtable or webinar: a few people each from many companies.
                    const people: { email: string; name?: string }[] = [];
                    for (let k = between(8, 14); k > 0; k--)
                        people.push(...asPeople(sample(pick(plain).contacts, between(1, 3))));
                    for (let k = between(2, 6); k > 0; k--)
                        people.push({ email: `${localOf(personName())}@${pick(FREE)}` });
                    build(
                        kind,
                        people,
                        { who: [], what: null },
                        {
                            type: 'meeting',
                            subject: pick([
                                'Customer roundtable',
                                'Webinar: forecasting in 2026',
                                'Community meetup',
                                'Advisory board'
                            ])
                        }
                    );
                }
                break;
            }
            case 'mixed-accounts': {
                // An email to a customer with someone from a partner or another customer on Cc.
                const c = pick(fewDeals);
                let other = pick(plain);
                while (other === c) other = pick(plain);
                const main = sample(c.contacts, between(1, 2));
                const cc = sample(other.contacts, 1);
                build(
                    kind,
                    [
                        ...asPeople(main),
                        ...cc.map((p) => ({ email: p.email, name: `${p.first} ${p.last}`, role: 'cc' as const }))
                    ],
                    { who: main.map((p) => p.id), what: target(c) },
                    { owner: ownerFor(c), type: 'email' }
                );
                break;
            }
        }
    }
    return { records, activities, ownerDomain: OWNER_DOMAIN };
}
