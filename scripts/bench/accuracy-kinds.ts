// One activity of a scenario kind of `npm run bench:accuracy`, with its truth (see
// accuracy-scenarios.ts for the kinds, their shares and how the truth is set).
import { DAY, FREE } from './accuracy-org';
import type { ScenarioContext, ScenarioKind } from './accuracy-scenarios';

export function addScenario(kind: ScenarioKind, x: ScenarioContext): void {
    switch (kind) {
        case 'single-contact': {
            const c = x.pick(x.fewDeals);
            const people = x.sample(c.contacts, x.between(1, 3));
            x.build(
                kind,
                x.asPeople(people),
                { who: people.map((p) => p.id), what: x.target(c) },
                { owner: x.ownerFor(c), subject: x.genericSubject(c) }
            );
            break;
        }
        case 'multi-opp-contact-role': {
            const c = x.pick(x.multi);
            const deal = x.pick(x.openDeals(c));
            // Three times in four the people are contact roles on this deal only; otherwise
            // also on another open deal of the account, and nothing in the activity tells which.
            const others = new Set(
                x
                    .openDeals(c)
                    .filter((d) => d !== deal)
                    .flatMap((d) => d.roles)
            );
            const loose = x.chance(0.25);
            const told = deal.roles.filter((id) => !others.has(id));
            const roleId = x.pick(!loose && told.length ? told : deal.roles);
            const role = c.contacts.find((p) => p.id === roleId)!;
            const pool = c.contacts.filter((p) => p !== role && (loose || !others.has(p.id)));
            const people = [role, ...x.sample(pool, x.between(0, 1))];
            x.build(
                kind,
                x.asPeople(people),
                { who: people.map((p) => p.id), what: deal.id },
                { owner: x.ownerFor(c) }
            );
            break;
        }
        case 'multi-opp-subject': {
            const c = x.pick(x.multi);
            const deal = x.pick(x.openDeals(c));
            const people = x.sample(c.contacts, x.between(1, 2));
            x.build(
                kind,
                x.asPeople(people),
                { who: people.map((p) => p.id), what: deal.id },
                { owner: x.ownerFor(c), subject: x.dealSubject(deal) }
            );
            break;
        }
        case 'multi-opp-owner': {
            // Accounts whose open deals have different owners (else the owner tells nothing).
            const c = x.pick(x.multiOwners);
            // The deal whose owner owns no other open deal of the account, when there is one.
            const open = x.openDeals(c);
            const told = open.filter((d) => open.filter((x) => x.ownerId === d.ownerId).length === 1);
            const deal = x.pick(told.length ? told : open);
            // People who are no contact role on another open deal (else the contact role tells).
            const others = new Set(
                x
                    .openDeals(c)
                    .filter((d) => d !== deal)
                    .flatMap((d) => d.roles)
            );
            const pool = c.contacts.filter((p) => !others.has(p.id));
            const people = x.sample(pool.length ? pool : c.contacts, x.between(1, 2));
            x.build(kind, x.asPeople(people), { who: people.map((p) => p.id), what: deal.id }, { owner: deal.ownerId });
            break;
        }
        case 'multi-opp-close-date': {
            const c = x.pick(x.multi);
            const deal = x.pick(x.openDeals(c));
            const others = new Set(
                x
                    .openDeals(c)
                    .filter((d) => d !== deal)
                    .flatMap((d) => d.roles)
            );
            const pool = c.contacts.filter((p) => !others.has(p.id));
            const people = x.sample(pool.length ? pool : c.contacts, x.between(1, 2));
            x.build(
                kind,
                x.asPeople(people),
                { who: people.map((p) => p.id), what: deal.id },
                { owner: c.ownerId, at: deal.closeDate - x.between(1, 21) * DAY }
            );
            break;
        }
        case 'subsidiary': {
            const { parent, child, shared } = x.pick(x.fewSubsidiaries);
            const c = x.chance(0.5) ? child : parent;
            const people: { email: string; name?: string }[] = x.asPeople(x.sample(c.contacts, x.between(1, 2)));
            const who = people.map((p) => c.contacts.find((x) => x.email === p.email)!.id);
            if (x.chance(0.3)) people.push({ email: `${x.localOf(x.personName())}@${c.domain}` });
            void shared;
            x.build(kind, people, { who, what: x.target(c) }, { owner: x.ownerFor(c) });
            break;
        }
        case 'duplicate-account': {
            const { primary } = x.pick(x.fewDuplicates);
            const known = x.chance(0.7) ? x.sample(primary.contacts, x.between(1, 2)) : [];
            const people: { email: string; name?: string }[] = x.asPeople(known);
            if (known.length === 0 || x.chance(0.3))
                people.push({ email: `${x.localOf(x.personName())}@${primary.domain}` });
            x.build(
                kind,
                people,
                { who: known.map((p) => p.id), what: x.target(primary) },
                { owner: x.ownerFor(primary) }
            );
            break;
        }
        case 'moved-company': {
            // Someone known at an old company, now at another account, writing from the new address.
            const from = x.pick(x.plain);
            const mover = x.pick(from.contacts);
            let to = x.pick(x.fewDeals);
            while (to === from) to = x.pick(x.fewDeals);
            const address = `${x.localOf(mover)}@${to.domain}`;
            const people: { email: string; name?: string }[] = [
                { email: address, name: `${mover.first} ${mover.last}` }
            ];
            // A namesake already on file at the new company is a contact there, rightly matched.
            const known = [
                ...to.contacts.filter((p) => p.email === address),
                ...(x.chance(0.4)
                    ? x.sample(
                          to.contacts.filter((p) => p.email !== address),
                          1
                      )
                    : [])
            ];
            people.push(...x.asPeople(known));
            x.build(kind, people, { who: known.map((p) => p.id), what: x.target(to) }, { owner: x.ownerFor(to) });
            break;
        }
        case 'personal-address': {
            const c = x.pick(x.fewDeals);
            const person = x.pick(c.contacts);
            const r = x.rand();
            const name =
                r < 0.75
                    ? `${person.first} ${person.last}`
                    : r < 0.85
                      ? `${person.first[0]}. ${person.last}`
                      : undefined;
            const people: { email: string; name?: string }[] = [
                { email: `${x.localOf(person)}${x.between(1, 99)}@${x.pick(FREE)}`, ...(name ? { name } : {}) }
            ];
            const who = [person.id];
            if (x.chance(0.3)) {
                const colleague = x.pick(
                    c.contacts.filter((p) => p !== person).length ? c.contacts.filter((p) => p !== person) : c.contacts
                );
                people.push(...x.asPeople([colleague]));
                who.push(colleague.id);
            }
            x.build(kind, people, { who, what: x.target(c) }, { owner: x.ownerFor(c) });
            break;
        }
        case 'shared-inbox': {
            const c = x.pick(x.fewDeals);
            const people: { email: string; name?: string }[] = [
                { email: `${x.pick(['sales', 'info', 'support', 'billing', 'contact', 'procurement'])}@${c.domain}` }
            ];
            const known = x.chance(0.3) ? x.sample(c.contacts, 1) : [];
            people.push(...x.asPeople(known));
            x.build(
                kind,
                people,
                { who: known.map((p) => p.id), what: x.target(c) },
                { owner: x.ownerFor(c), type: 'email' }
            );
            break;
        }
        case 'contact-and-lead': {
            const { contact, company } = x.pick(x.fewContactLeads);
            x.build(
                kind,
                x.asPeople([contact]),
                { who: [contact.id], what: x.target(company) },
                { owner: x.ownerFor(company) }
            );
            break;
        }
        case 'converted-lead': {
            const { contact, company } = x.pick(x.fewConvertedLeads);
            x.build(
                kind,
                x.asPeople([contact]),
                { who: [contact.id], what: x.target(company) },
                { owner: x.ownerFor(company) }
            );
            break;
        }
        case 'lead': {
            const lead = x.pick(x.prospects);
            x.build(
                kind,
                [{ email: lead.email, name: lead.name }],
                { who: [lead.id], what: null },
                { subject: x.pick(['Intro', 'Quick question', 'Backstory for your team', 'Following up']) }
            );
            break;
        }
        case 'closed-deals': {
            const c = x.pick(x.closedPool);
            const closedRoles = new Set(c.deals.filter((d) => !d.open).flatMap((d) => d.roles));
            const people = c.contacts.filter((p) => closedRoles.has(p.id)).slice(0, 2);
            x.build(
                kind,
                x.asPeople(people),
                { who: people.map((p) => p.id), what: x.target(c) },
                { owner: x.ownerFor(c) }
            );
            break;
        }
        case 'internal': {
            const people = x.sample(
                x.chance(0.3)
                    ? x.self.contacts.map((p) => ({ email: p.email }))
                    : [...x.reps, ...x.colleagues].map((u) => ({ email: u.email })),
                x.between(1, 4)
            );
            x.build(
                kind,
                people,
                { who: [], what: null },
                {
                    subject: x.pick([
                        '1:1',
                        'Pipeline review',
                        'Forecast call',
                        'Team standup',
                        'Deal desk',
                        `Prep for ${x.pick(x.plain).name}`
                    ]),
                    noColleagues: true
                }
            );
            break;
        }
        case 'recruiting': {
            const name = x.personName();
            const people: { email: string; name?: string }[] = [
                { email: `${x.localOf(name)}${x.between(1, 99)}@${x.pick(FREE)}`, name: `${name.first} ${name.last}` }
            ];
            if (x.chance(0.3)) people.push({ email: `recruiter${x.between(1, 9)}@${x.pick(x.agencies)}` });
            const subject = x.chance(0.8)
                ? x.pick([
                      'Interview: Account Executive',
                      'Phone screen',
                      'Onsite interview loop',
                      'Candidate debrief',
                      'Offer letter',
                      'Your application for Sales Engineer'
                  ])
                : x.pick(['Coffee chat', 'Catch-up', 'Intro']);
            x.build(kind, people, { who: [], what: null }, { subject });
            break;
        }
        case 'vendor': {
            const domain = x.pick(x.vendors);
            const people = Array.from({ length: x.between(1, 2) }, () => ({
                email: `${x.localOf(x.personName())}@${domain}`
            }));
            x.build(
                kind,
                people,
                { who: [], what: null },
                {
                    subject: x.pick([
                        `Invoice ${x.between(1000, 9999)}`,
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
            const c = x.pick(x.plain);
            if (x.chance(0.5)) {
                const local = x.pick([
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
                const host = x.chance(0.3) ? `${x.pick(['mail', 'email', 'news'])}.${c.domain}` : c.domain;
                const headers: Record<string, string> = {};
                if (x.chance(0.95)) headers['list-unsubscribe'] = `<https://${host}/unsubscribe>`;
                if (x.chance(0.3)) headers.precedence = 'bulk';
                x.build(
                    kind,
                    [{ email: `${local}@${host}`, name: c.name, role: 'from' }],
                    { who: [], what: null },
                    {
                        type: 'email',
                        subject: x.pick([
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
                const person = x.pick(c.contacts);
                const original = x.genericSubject(c);
                const r = x.rand();
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
                if (r >= 0.8 || x.chance(0.6)) headers['auto-submitted'] = 'auto-replied';
                x.build(
                    kind,
                    [{ email: person.email, name: `${person.first} ${person.last}`, role: 'from' }],
                    { who: [], what: null },
                    { type: 'email', subject, headers, noColleagues: true, inbound: true }
                );
            }
            break;
        }
        case 'large-meeting': {
            if (x.chance(0.65)) {
                // A customer workshop or QBR: many of one customer, a few from partners.
                const c = x.pick(x.fewDeals);
                const own = c.contacts.slice(0, 8);
                const people: { email: string; name?: string }[] = x.asPeople(own);
                for (let i = x.between(12, 18); i > 0; i--)
                    people.push({ email: `${x.localOf(x.personName())}${i}@${c.domain}` });
                for (let k = x.between(1, 3); k > 0; k--)
                    people.push(...x.asPeople(x.sample(x.pick(x.plain).contacts, x.between(1, 2))));
                x.build(
                    kind,
                    people,
                    { who: own.map((p) => p.id), what: x.target(c) },
                    {
                        type: 'meeting',
                        owner: x.ownerFor(c),
                        subject: `${c.name} ${x.pick(['QBR', 'workshop', 'executive briefing', 'kick-off'])}`
                    }
                );
            } else {
                // A roundtable or webinar: a few people each from many companies.
                const people: { email: string; name?: string }[] = [];
                for (let k = x.between(8, 14); k > 0; k--)
                    people.push(...x.asPeople(x.sample(x.pick(x.plain).contacts, x.between(1, 3))));
                for (let k = x.between(2, 6); k > 0; k--)
                    people.push({ email: `${x.localOf(x.personName())}@${x.pick(FREE)}` });
                x.build(
                    kind,
                    people,
                    { who: [], what: null },
                    {
                        type: 'meeting',
                        subject: x.pick([
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
            const c = x.pick(x.fewDeals);
            let other = x.pick(x.plain);
            while (other === c) other = x.pick(x.plain);
            const main = x.sample(c.contacts, x.between(1, 2));
            const cc = x.sample(other.contacts, 1);
            x.build(
                kind,
                [
                    ...x.asPeople(main),
                    ...cc.map((p) => ({ email: p.email, name: `${p.first} ${p.last}`, role: 'cc' as const }))
                ],
                { who: main.map((p) => p.id), what: x.target(c) },
                { owner: x.ownerFor(c), type: 'email' }
            );
            break;
        }
    }
}
