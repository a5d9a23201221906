import { defaultProfileSections } from '../profile-defaults';
import type { MatchingSettings } from '../profile';
import { SCENARIO_KINDS } from '../../../../scripts/bench/accuracy-scenarios';
import { matchActivity } from './pipeline';
import { ReplicaIndex } from './replica-index';
import type { CrmRecord, MatchableActivity, Participant, ReplicaObject } from './types';

/**
 * The golden set: labelled activities, at least one per scenario kind of `npm run bench:accuracy`
 * (scripts/bench/accuracy-scenarios.ts), each named by its kind. A change to matching that
 * breaks a kind fails here.
 */

const RITA = '005000000000001AAA';
const OTTO = '005000000000002AAA';
const EMMA = '005000000000003AAA';

const rows: [ReplicaObject, CrmRecord][] = [
    ['User', { Id: RITA, Name: 'Rita Rep', Email: 'rita@backstory.ai' }],
    ['User', { Id: OTTO, Name: 'Otto Other', Email: 'otto@backstory.ai' }],
    ['User', { Id: EMMA, Name: 'Emma Emea', Email: 'emma@backstory-emea.io' }],
    // Acme: three open deals, one closed; contact roles that tell, and one that does not.
    ['Account', { Id: 'A1', Name: 'Acme Corp', Website: 'https://www.acme.com', OwnerId: RITA }],
    ['Contact', { Id: 'C1', Name: 'Ann Archer', Email: 'ann@acme.com', AccountId: 'A1', OwnerId: RITA }],
    ['Contact', { Id: 'C2', Name: 'Bob Baker', Email: 'bob@acme.com', AccountId: 'A1', OwnerId: RITA }],
    ['Contact', { Id: 'C3', Name: 'Cat Cole', Email: 'cat@acme.com', AccountId: 'A1', OwnerId: RITA }],
    ['Contact', { Id: 'C4', Name: 'Nora Quist', Email: 'nora@acme.com', AccountId: 'A1', OwnerId: RITA }],
    ['Opportunity', opp('O1', 'Acme Corp - Platform Subscription', 'A1', OTTO, '2026-09-30')],
    ['Opportunity', opp('O2', 'Acme Corp - Analytics Add-on', 'A1', RITA, '2026-03-15')],
    ['Opportunity', opp('O3', 'Acme Corp - Pilot', 'A1', OTTO, '2026-12-01')],
    ['Opportunity', { ...opp('O4', 'Acme Corp - Seat Expansion', 'A1', RITA, '2025-10-01'), IsClosed: true }],
    ['OpportunityContactRole', { Id: 'R1', OpportunityId: 'O1', ContactId: 'C1', Role: 'Decision Maker' }],
    ['OpportunityContactRole', { Id: 'R2', OpportunityId: 'O1', ContactId: 'C2', Role: 'Evaluator' }],
    ['OpportunityContactRole', { Id: 'R3', OpportunityId: 'O2', ContactId: 'C2', Role: 'Evaluator' }],
    ['OpportunityContactRole', { Id: 'R4', OpportunityId: 'O4', ContactId: 'C3', Role: 'Economic Buyer' }],
    // Globex: one open deal, one closed with a contact role.
    ['Account', { Id: 'A2', Name: 'Globex', Website: 'globex.io', OwnerId: OTTO }],
    ['Contact', { Id: 'D1', Name: 'Dan Dorn', Email: 'dan@globex.io', AccountId: 'A2', OwnerId: OTTO }],
    ['Contact', { Id: 'D2', Name: 'Max Mover', Email: 'max@globex.io', AccountId: 'A2', OwnerId: OTTO }],
    ['Opportunity', opp('O5', 'Globex - Renewal', 'A2', OTTO, '2026-06-30')],
    ['Opportunity', { ...opp('O6', 'Globex - Pilot', 'A2', OTTO, '2025-06-30'), IsClosed: true }],
    ['OpportunityContactRole', { Id: 'R5', OpportunityId: 'O6', ContactId: 'D1', Role: 'Champion' }],
    // Initech: no deals; a contact that is also a lead, and a converted lead.
    ['Account', { Id: 'A3', Name: 'Initech', Website: 'initech.com', OwnerId: OTTO }],
    ['Contact', { Id: 'E1', Name: 'Eve Ito', Email: 'eve@initech.com', AccountId: 'A3' }],
    ['Contact', { Id: 'E2', Name: 'Frank Fox', Email: 'frank@initech.com', AccountId: 'A3' }],
    ['Lead', { Id: 'L1', Name: 'Eve Ito', Email: 'eve@initech.com', IsConverted: false }],
    ['Lead', { Id: 'L2', Name: 'Frank Fox', Email: 'frank@initech.com', IsConverted: true }],
    ['Lead', { Id: 'L3', Name: 'Lee New', Email: 'lee@newco.com', IsConverted: false }],
    // Umbrella and its EU subsidiary on a sub-domain.
    ['Account', { Id: 'A4', Name: 'Umbrella', Website: 'umbrella.com', OwnerId: OTTO }],
    ['Account', { Id: 'A5', Name: 'Umbrella EU', Website: 'eu.umbrella.com', ParentId: 'A4', OwnerId: OTTO }],
    ['Contact', { Id: 'G1', Name: 'Gus Gray', Email: 'gus@umbrella.com', AccountId: 'A4' }],
    ['Contact', { Id: 'G2', Name: 'Hana Holt', Email: 'hana@eu.umbrella.com', AccountId: 'A5' }],
    // Hooli and its duplicate on one domain.
    ['Account', { Id: 'A7', Name: 'Hooli', Website: 'hooli.com', OwnerId: OTTO }],
    ['Account', { Id: 'A8', Name: 'Hooli Inc.', Website: 'www.hooli.com', OwnerId: EMMA }],
    ['Opportunity', opp('O7', 'Hooli - Platform', 'A7', OTTO, '2026-05-01')],
    // Our own company as an account, a colleague as a contact.
    ['Account', { Id: 'A9', Name: 'Backstory', Website: 'backstory.ai' }],
    ['Contact', { Id: 'I1', Name: 'Otto Other', Email: 'otto@backstory.ai', AccountId: 'A9' }]
];

function opp(Id: string, Name: string, AccountId: string, OwnerId: string, CloseDate: string): CrmRecord {
    return { Id, Name, AccountId, OwnerId, CloseDate, IsClosed: false, StageName: 'Proposal/Price Quote' };
}

const index = ReplicaIndex.build(rows.map(([object, record]) => ({ object, record })));
const defaults = (): MatchingSettings => defaultProfileSections().matching;

interface Case {
    kind: string;
    title: string;
    people: (string | Participant)[];
    subject?: string;
    owner?: string;
    at?: string;
    type?: 'email' | 'meeting';
    headers?: Record<string, string>;
    who: string | null;
    what: string | null;
}

function activity(c: Case): MatchableActivity {
    const owner = c.owner ?? 'rita@backstory.ai';
    const type = c.type ?? 'meeting';
    return {
        type,
        subject: c.subject ?? 'Catch-up',
        startsAt: `${c.at ?? '2026-03-01'}T15:00:00Z`,
        ownerEmail: owner,
        participants: [
            {
                email: owner,
                role:
                    type === 'meeting'
                        ? 'organizer'
                        : c.people.some((p) => typeof p !== 'string' && p.role === 'from')
                          ? 'to'
                          : 'from'
            },
            ...c.people.map((p) => (typeof p === 'string' ? { email: p, role: 'to' as const } : p))
        ],
        ...(c.headers ? { headers: c.headers } : {})
    };
}

const many = (domain: string, n: number) => Array.from({ length: n }, (_, i) => `person${i}@${domain}`);

const CASES: Case[] = [
    {
        kind: 'single-contact',
        title: 'a contact of an account with one open deal: that deal',
        people: ['dan@globex.io'],
        who: 'D1',
        what: 'O5'
    },
    {
        kind: 'single-contact',
        title: 'a contact of an account without deals: the account',
        people: ['eve@initech.com', 'frank@initech.com'],
        who: 'E1',
        what: 'A3'
    },
    {
        kind: 'multi-opp-contact-role',
        title: 'MATCH-9 the contact-role deal, not the account',
        people: ['ann@acme.com'],
        who: 'C1',
        what: 'O1'
    },
    {
        kind: 'multi-opp-contact-role',
        title: 'the deal most participants are contact roles on',
        people: ['ann@acme.com', 'bob@acme.com'],
        who: 'C1',
        what: 'O1'
    },
    {
        kind: 'multi-opp-contact-role',
        title: 'contact roles split between deals and nothing tells: no WhatId',
        people: ['bob@acme.com'],
        owner: 'emma@backstory-emea.io',
        at: '2026-06-15',
        who: 'C2',
        what: null
    },
    {
        kind: 'multi-opp-subject',
        title: 'the subject names one deal (its deal part)',
        people: ['bob@acme.com'],
        subject: 'Re: Analytics Add-on pricing',
        owner: 'emma@backstory-emea.io',
        who: 'C2',
        what: 'O2'
    },
    {
        kind: 'multi-opp-owner',
        title: 'the only open deal the owner owns',
        people: ['cat@acme.com'],
        at: '2026-08-01',
        who: 'C3',
        what: 'O2'
    },
    {
        kind: 'multi-opp-close-date',
        title: 'the deal closing clearly nearest',
        people: ['cat@acme.com'],
        owner: 'emma@backstory-emea.io',
        at: '2026-11-25',
        who: 'C3',
        what: 'O3'
    },
    {
        kind: 'multi-opp-close-date',
        title: 'several deals and nothing tells: MATCH-9 the account',
        people: ['cat@acme.com'],
        owner: 'emma@backstory-emea.io',
        at: '2026-06-15',
        who: 'C3',
        what: 'A1'
    },
    {
        kind: 'subsidiary',
        title: 'a sub-domain names the subsidiary',
        people: ['hana@eu.umbrella.com', 'new@eu.umbrella.com'],
        who: 'G2',
        what: 'A5'
    },
    {
        kind: 'subsidiary',
        title: 'the parent domain names the parent',
        people: ['gus@umbrella.com'],
        who: 'G1',
        what: 'A4'
    },
    {
        kind: 'duplicate-account',
        title: 'an unknown person at a duplicated domain: the account with the open deal',
        people: ['someone@hooli.com'],
        who: null,
        what: 'O7'
    },
    {
        kind: 'moved-company',
        title: 'a known person at a new company: the new company, not the old contact',
        people: [{ email: 'max@initech.com', name: 'Max Mover', role: 'to' }],
        who: null,
        what: 'A3'
    },
    {
        kind: 'personal-address',
        title: 'a known contact writing from free mail, corroborated by the owner',
        people: [{ email: 'nora.q77@gmail.com', name: 'Nora Quist', role: 'to' }],
        owner: 'rita@backstory.ai',
        at: '2026-08-01',
        who: 'C4',
        what: 'O2'
    },
    {
        kind: 'personal-address',
        title: 'a free-mail namesake the owner has nothing to do with: nothing',
        people: [{ email: 'nora.q77@gmail.com', name: 'Nora Quist', role: 'to' }],
        owner: 'emma@backstory-emea.io',
        who: null,
        what: null
    },
    {
        kind: 'personal-address',
        title: 'an intro from free mail still counts when a colleague of the same account takes part',
        people: [
            { email: 'nora.q77@gmail.com', name: 'Nora Quist', role: 'to' },
            { email: 'ann@acme.com', role: 'to' }
        ],
        owner: 'emma@backstory-emea.io',
        subject: 'Intro',
        who: 'C1',
        what: 'O1'
    },
    {
        kind: 'shared-inbox',
        title: 'sales@ of an account: its deal, no WhoId',
        people: ['sales@globex.io'],
        type: 'email',
        who: null,
        what: 'O5'
    },
    {
        kind: 'contact-and-lead',
        title: 'one address, a contact and a lead: the contact',
        people: ['eve@initech.com'],
        who: 'E1',
        what: 'A3'
    },
    {
        kind: 'converted-lead',
        title: 'a converted lead is no candidate: its contact',
        people: ['frank@initech.com'],
        who: 'E2',
        what: 'A3'
    },
    { kind: 'lead', title: 'a prospect lead: the lead, no WhatId', people: ['lee@newco.com'], who: 'L3', what: null },
    {
        kind: 'closed-deals',
        title: 'a contact role on a closed deal: the open one',
        people: ['dan@globex.io'],
        who: 'D1',
        what: 'O5'
    },
    {
        kind: 'closed-deals',
        title: 'a contact role only on a closed deal among several open: not the closed one',
        people: ['cat@acme.com'],
        owner: 'emma@backstory-emea.io',
        at: '2026-06-15',
        who: 'C3',
        what: 'A1'
    },
    {
        kind: 'internal',
        title: 'colleagues only, one of them a contact on our own account',
        people: ['otto@backstory.ai', 'emma@backstory-emea.io'],
        who: null,
        what: null
    },
    {
        kind: 'recruiting',
        title: 'an interview with a candidate',
        people: [{ email: 'jane.doe@gmail.com', name: 'Jane Doe', role: 'attendee' }],
        subject: 'Interview: Account Executive',
        who: null,
        what: null
    },
    {
        kind: 'recruiting',
        title: 'an interview with a candidate who shares the name of one of the owner’s contacts: the subject decides, nothing',
        people: [{ email: 'nora.quist.jobs@gmail.com', name: 'Nora Quist', role: 'attendee' }],
        owner: 'rita@backstory.ai',
        subject: 'Phone screen: Sales Engineer',
        at: '2026-08-01',
        who: null,
        what: null
    },
    {
        kind: 'recruiting',
        title: 'a coffee chat with a candidate and their agency recruiter, neither in the CRM: nothing',
        people: [
            { email: 'sam.lee88@outlook.com', name: 'Sam Lee', role: 'attendee' },
            { email: 'recruiter3@talentbridge-search.com', role: 'attendee' }
        ],
        subject: 'Coffee chat',
        who: null,
        what: null
    },
    {
        kind: 'recruiting',
        title: 'a coffee chat with a candidate who shares the name of one of the owner’s contacts, from free mail: nothing',
        people: [{ email: 'nora.quist61@outlook.com', name: 'Nora Quist', role: 'attendee' }],
        owner: 'rita@backstory.ai',
        subject: 'Coffee chat',
        at: '2026-08-01',
        who: null,
        what: null
    },
    {
        kind: 'recruiting',
        title: 'an intro email from a free-mail namesake of one of the owner’s contacts: nothing',
        people: [{ email: 'nora.quist7@gmail.com', name: 'Nora Quist', role: 'from' }],
        owner: 'rita@backstory.ai',
        type: 'email',
        subject: 'Intro',
        at: '2026-08-01',
        who: null,
        what: null
    },
    {
        kind: 'recruiting',
        title: 'a catch-up with a free-mail namesake of one of the owner’s contacts and an agency recruiter: nothing',
        people: [
            { email: 'nora.quist62@yahoo.com', name: 'Nora Quist', role: 'to' },
            { email: 'recruiter1@harbortalent.ai', role: 'to' }
        ],
        owner: 'rita@backstory.ai',
        type: 'email',
        at: '2026-08-01',
        who: null,
        what: null
    },
    {
        kind: 'vendor',
        title: 'a vendor not in the CRM',
        people: ['pat@cloudvendor.com'],
        subject: 'Invoice 4711',
        who: null,
        what: null
    },
    {
        kind: 'bulk',
        title: 'a customer newsletter (List-Unsubscribe)',
        people: [{ email: 'hello@acme.com', role: 'from' }],
        type: 'email',
        owner: 'rita@backstory.ai',
        subject: 'Acme Corp Monthly',
        headers: { 'list-unsubscribe': '<https://acme.com/u>' },
        who: null,
        what: null
    },
    {
        kind: 'bulk',
        title: 'a newsletter from newsletter@ without headers',
        people: [{ email: 'newsletter@mail.acme.com', role: 'from' }],
        type: 'email',
        subject: 'Product update',
        who: null,
        what: null
    },
    {
        kind: 'bulk',
        title: 'a customer webinar invitation from events@ without headers',
        people: [{ email: 'events@acme.com', name: 'Acme Corp', role: 'from' }],
        type: 'email',
        subject: 'Join our webinar',
        who: null,
        what: null
    },
    {
        kind: 'bulk',
        title: 'a customer newsletter from a mail-sending sub-domain without headers',
        people: [{ email: 'hello@email.acme.com', name: 'Acme Corp', role: 'from' }],
        type: 'email',
        subject: 'Acme Corp Monthly: what’s new',
        who: null,
        what: null
    },
    {
        kind: 'bulk',
        title: 'an auto-reply from a known contact',
        people: [{ email: 'ann@acme.com', role: 'from' }],
        type: 'email',
        subject: 'Automatic reply: Catch-up',
        who: null,
        what: null
    },
    {
        kind: 'bulk',
        title: 'an auto-reply told by Auto-Submitted only',
        people: [{ email: 'ann@acme.com', role: 'from' }],
        type: 'email',
        subject: 'Re: Catch-up',
        headers: { 'auto-submitted': 'auto-replied' },
        who: null,
        what: null
    },
    {
        kind: 'large-meeting',
        title: 'a customer workshop with a few partners: the customer',
        people: [
            'ann@acme.com',
            ...many('acme.com', 14),
            'dan@globex.io',
            'someone@globex.io',
            'eve@initech.com',
            'x@gmail.com'
        ],
        who: 'C1',
        what: 'O1'
    },
    {
        kind: 'large-meeting',
        title: 'a roundtable of many companies: nothing',
        people: [
            'ann@acme.com',
            'bob@acme.com',
            'dan@globex.io',
            'max@globex.io',
            'eve@initech.com',
            'frank@initech.com',
            'gus@umbrella.com',
            ...many('umbrella.com', 1),
            ...many('hooli.com', 2),
            ...many('gmail.com', 10)
        ],
        who: null,
        what: null
    },
    {
        kind: 'mixed-accounts',
        title: 'To a customer, Cc a partner: the customer',
        people: ['ann@acme.com', { email: 'dan@globex.io', role: 'cc' }],
        type: 'email',
        who: 'C1',
        what: 'O1'
    },
    {
        kind: 'mixed-accounts',
        title: 'two companies on equal terms: no WhatId, no WhoId',
        people: ['ann@acme.com', 'dan@globex.io'],
        who: null,
        what: null
    }
];

describe('golden set: one or more labelled activities per scenario kind', () => {
    it.each(CASES.map((c) => [`${c.kind}: ${c.title}`, c] as const))('%s', (_name, c) => {
        const r = matchActivity(activity(c), index, defaults());
        expect({ who: r.who?.recordId ?? null, what: r.what?.recordId ?? null }).toEqual({ who: c.who, what: c.what });
        // MATCH-5: the picks are the first-ranked of their kind, and the WhatId says why.
        if (r.what) {
            const first = r.candidates.find((x) => x.type === 'Opportunity' || x.type === 'Account');
            expect(first?.recordId).toBe(r.what.recordId);
        }
    });

    it('covers every scenario kind of the benchmark', () => {
        expect([...new Set(CASES.map((c) => c.kind))].sort()).toEqual([...SCENARIO_KINDS].sort());
    });
});

describe('MATCH-9 WhatId preference', () => {
    it('MATCH-9 a contact role on an open opportunity makes it the WhatId, ahead of the account matched by domain and contact', () => {
        const r = matchActivity(activity(CASES[2]!), index, defaults());
        expect(r.what).toEqual(expect.objectContaining({ recordId: 'O1', type: 'Opportunity' }));
        const a1 = r.candidates.find((c) => c.recordId === 'A1')!;
        expect(a1.score).toBeGreaterThanOrEqual(r.what!.score);
        expect(r.candidates.find((c) => c.recordId === 'O1')!.rankingReason).toMatch(/MATCH-9.*contact role/);
    });

    it("MATCH-9 then the account's only open opportunity, then the account", () => {
        expect(matchActivity(activity(CASES[0]!), index, defaults()).what?.recordId).toBe('O5');
        const none = matchActivity(activity(CASES[1]!), index, defaults());
        expect(none.what).toEqual(expect.objectContaining({ recordId: 'A3', type: 'Account' }));
    });

    it('MATCH-9 unless eligibility says otherwise: an ineligible contact-role opportunity is passed over', () => {
        const noPlatform: MatchingSettings = {
            ...defaults(),
            eligibility: {
                ...defaults().eligibility,
                Opportunity: {
                    mode: 'filtered',
                    groups: [
                        {
                            id: 'g',
                            name: 'Not platform',
                            filters: [
                                {
                                    field: 'Name',
                                    operator: 'not_equals',
                                    value: 'Acme Corp - Platform Subscription'
                                }
                            ]
                        }
                    ]
                }
            }
        };
        const r = matchActivity(
            activity({ ...CASES[2]!, owner: 'emma@backstory-emea.io', at: '2026-06-15' }),
            index,
            noPlatform
        );
        expect(r.candidates.find((c) => c.recordId === 'O1')?.eligible).toBe(false);
        expect(r.what?.recordId).toBe('A1');
    });

    it('MATCH-9 unless a ranking group says otherwise: an Account ranking group puts the account first', () => {
        const accountsFirst: MatchingSettings = {
            ...defaults(),
            rankingGroups: [
                {
                    id: 'r',
                    name: 'Accounts',
                    recordType: 'Account',
                    kind: 'select',
                    conditions: [{ field: 'Name', operator: 'equals', value: 'Acme Corp' }]
                }
            ]
        };
        const r = matchActivity(activity(CASES[2]!), index, accountsFirst);
        expect(r.what?.recordId).toBe('A1');
    });
});
