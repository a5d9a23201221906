import { defaultProfileSections } from '../profile-defaults';
import type { MatchingSettings, RankingGroup } from '../profile';
import { domainChain, emailDomain, normaliseDomain } from './domains';
import { matchActivity } from './pipeline';
import { ReplicaIndex } from './replica-index';
import { SIGNAL_WEIGHTS, subjectMentionsNameSignal } from './signals';
import type { CrmRecord, MatchableActivity, MatchResult, ReplicaObject } from './types';

const OWNER = '005000000000001AAA';
const OTHER = '005000000000002AAA';

function replica(): ReplicaIndex {
    const rows: [ReplicaObject, CrmRecord][] = [
        ['User', { Id: OWNER, Name: 'Rita Rep', Email: 'rita@backstory.ai' }],
        ['User', { Id: OTHER, Name: 'Otto Other', Email: 'otto@backstory.ai' }],
        ['RecordType', { Id: '012000000000001AAA', Name: 'Enterprise', DeveloperName: 'Enterprise' }],
        [
            'Account',
            { Id: 'A1', Name: 'Acme Corp', Website: 'https://www.Acme.com/about', Type: 'Customer', OwnerId: OWNER }
        ],
        ['Account', { Id: 'A2', Name: 'Globex', Website: 'globex.io', Type: 'Prospect', OwnerId: OTHER }],
        ['Account', { Id: 'A3', Name: 'Partner Co', Website: 'http://partnerco.com', Type: 'Partner', OwnerId: OTHER }],
        ['Account', { Id: 'A4', Name: 'Mailbox Inc', Website: 'gmail.com', OwnerId: OTHER }],
        ['Account', { Id: 'A5', Name: 'Backstory', Website: 'www.backstory.ai', OwnerId: OTHER }],
        ['Contact', { Id: 'C1', Name: 'Ann Acme', Email: 'Ann@Acme.com', AccountId: 'A1', OwnerId: OTHER }],
        ['Contact', { Id: 'C2', Name: 'Bob Globex', Email: 'bob@gmail.com', AccountId: 'A2', OwnerId: OTHER }],
        ['Lead', { Id: 'L1', Name: 'Lee New', Email: 'lee@newco.com', IsConverted: false, OwnerId: OWNER }],
        ['Lead', { Id: 'L2', Name: 'Old Lead', Email: 'old@newco.com', IsConverted: true, OwnerId: OWNER }],
        ['Lead', { Id: 'L3', Name: 'Ann Lead', Email: 'ann@acme.com', IsConverted: false, OwnerId: OTHER }],
        [
            'Opportunity',
            {
                Id: 'O1',
                Name: 'Acme expansion',
                AccountId: 'A1',
                IsClosed: false,
                StageName: 'Qualification',
                CloseDate: '2026-03-11',
                Type: 'New Business',
                OwnerId: OTHER
            }
        ],
        [
            'Opportunity',
            {
                Id: 'O2',
                Name: 'Acme renewal',
                AccountId: 'A1',
                IsClosed: false,
                StageName: 'Negotiation/Review',
                CloseDate: '2026-09-30',
                Type: 'Existing Business',
                OwnerId: OTHER,
                RecordTypeId: '012000000000001AAA'
            }
        ],
        [
            'Opportunity',
            {
                Id: 'O3',
                Name: 'Acme pilot',
                AccountId: 'A1',
                IsClosed: true,
                StageName: 'Closed Won',
                CloseDate: '2025-01-01',
                OwnerId: OTHER
            }
        ],
        [
            'Opportunity',
            {
                Id: 'O4',
                Name: 'Partner Co resale',
                AccountId: 'A3',
                IsClosed: false,
                StageName: 'Prospecting',
                CloseDate: '2026-12-01',
                Type: 'Partner',
                OwnerId: OTHER
            }
        ],
        ['OpportunityContactRole', { Id: 'R1', OpportunityId: 'O2', ContactId: 'C1', Role: 'Decision Maker' }],
        ['AccountTeamMember', { Id: 'T1', AccountId: 'A2', UserId: OWNER, TeamMemberRole: 'Sales Rep' }]
    ];
    return ReplicaIndex.build(rows.map(([object, record]) => ({ object, record })));
}

const defaults = (): MatchingSettings => defaultProfileSections().matching;
const withRanking = (...rankingGroups: RankingGroup[]): MatchingSettings => ({ ...defaults(), rankingGroups });

function activity(emails: string[], subject = 'Catch-up'): MatchableActivity {
    return {
        type: 'meeting',
        subject,
        startsAt: '2026-03-01T15:00:00Z',
        ownerEmail: 'rita@backstory.ai',
        participants: [{ email: 'rita@backstory.ai', role: 'organizer' }, ...emails.map((email) => ({ email }))]
    };
}

const candidate = (result: MatchResult, id: string) => result.candidates.find((c) => c.recordId === id);
const signalNames = (result: MatchResult, id: string) => candidate(result, id)?.signals.map((s) => s.name) ?? [];

describe('MATCH-3 signals', () => {
    const index = replica();

    it('MATCH-3 participant email = contact email (case-insensitive) and = lead email', () => {
        const r = matchActivity(activity(['ann@ACME.com']), index, defaults());
        expect(candidate(r, 'C1')?.signals).toContainEqual(
            expect.objectContaining({ name: 'participant_email', points: SIGNAL_WEIGHTS.participant_email })
        );
        expect(signalNames(r, 'L3')).toContain('participant_email');
    });

    it('MATCH-3 participant domain = account website domain, normalised (scheme, www., path, case) and for sub-domains', () => {
        expect(normaliseDomain('HTTPS://www.Acme.com/about?x=1')).toBe('acme.com');
        expect(normaliseDomain('acme.com:8443')).toBe('acme.com');
        expect(normaliseDomain('not a site')).toBeNull();
        // emailDomain's fast path for a bare host gives what normaliseDomain gives.
        for (const email of ['a@acme.com', 'a@www.acme.com', 'a@Acme.COM', 'a@acme.com.', 'a@eu.acme.co.uk', 'a@x'])
            expect(emailDomain(email)).toBe(normaliseDomain(email.slice(2)));
        expect(emailDomain('a@www.acme.com')).toBe('acme.com');
        expect(domainChain('mail.eu.acme.co.uk')).toEqual(['mail.eu.acme.co.uk', 'eu.acme.co.uk', 'acme.co.uk']);
        const r = matchActivity(activity(['carl@acme.com', 'dora@mail.acme.com']), index, defaults());
        const a1 = candidate(r, 'A1');
        expect(a1?.signals.find((s) => s.name === 'participant_domain')?.points).toBe(
            SIGNAL_WEIGHTS.participant_domain
        );
        expect(a1?.signals.find((s) => s.name === 'participant_domain')?.detail).toMatch(/carl@acme.com/);
    });

    it('MATCH-3 free-mail domains and the owner own domain never match an account', () => {
        const r = matchActivity(
            activity(['someone@gmail.com', 'colleague@backstory.ai', 'x@eu.backstory.ai']),
            index,
            defaults()
        );
        expect(candidate(r, 'A4')).toBeUndefined();
        expect(candidate(r, 'A5')).toBeUndefined();
    });

    it('MATCH-3 a matched contact brings its account (contact_account), even from a free-mail address', () => {
        const r = matchActivity(activity(['bob@gmail.com']), index, defaults());
        expect(signalNames(r, 'A2')).toContain('contact_account');
        expect(signalNames(r, 'A2')).not.toContain('participant_domain');
    });

    it('MATCH-3 open opportunities on a matched account are candidates; closed ones are not', () => {
        const r = matchActivity(activity(['carl@acme.com']), index, defaults());
        expect(signalNames(r, 'O1')).toContain('open_opportunity');
        expect(signalNames(r, 'O2')).toContain('open_opportunity');
        expect(candidate(r, 'O3')).toBeUndefined();
    });

    it('MATCH-3 a participant who is a contact role on the opportunity adds contact_role', () => {
        const r = matchActivity(activity(['ann@acme.com']), index, defaults());
        expect(candidate(r, 'O2')?.signals).toContainEqual(
            expect.objectContaining({ name: 'contact_role', points: SIGNAL_WEIGHTS.contact_role })
        );
        expect(signalNames(r, 'O1')).not.toContain('contact_role');
    });

    it('MATCH-3 the owner owns the record (owner_owns_record) or is on its team (owner_on_team)', () => {
        const r = matchActivity(activity(['carl@acme.com', 'bob@gmail.com']), index, defaults());
        expect(signalNames(r, 'A1')).toContain('owner_owns_record');
        expect(signalNames(r, 'A2')).toContain('owner_on_team');
        expect(signalNames(r, 'O1')).not.toContain('owner_owns_record');
        // Without a Salesforce id on the activity the owner is found by email in the replicated users.
        const linked = matchActivity(
            { ...activity(['carl@acme.com']), ownerSalesforceUserId: OTHER },
            index,
            defaults()
        );
        expect(signalNames(linked, 'A1')).not.toContain('owner_owns_record');
        expect(signalNames(linked, 'O1')).toContain('owner_owns_record');
    });

    it('MATCH-3 close-date proximity: full points within 30 days, none beyond 180', () => {
        const r = matchActivity(activity(['carl@acme.com']), index, defaults());
        expect(candidate(r, 'O1')?.signals.find((s) => s.name === 'close_date_proximity')?.points).toBe(
            SIGNAL_WEIGHTS.close_date_proximity
        );
        expect(signalNames(r, 'O2')).not.toContain('close_date_proximity');
    });

    it('MATCH-3 subject mentions the record name, as whole words only', () => {
        expect(subjectMentionsNameSignal('Re: Acme Corp renewal', 'Acme Corp')?.points).toBe(
            SIGNAL_WEIGHTS.subject_mentions_name
        );
        expect(subjectMentionsNameSignal('Acme Corporation', 'Acme Corp')).toBeNull();
        const r = matchActivity(activity(['carl@acme.com'], 'Acme renewal: pricing'), index, defaults());
        expect(signalNames(r, 'O2')).toContain('subject_mentions_name');
        expect(signalNames(r, 'O1')).not.toContain('subject_mentions_name');
    });

    it('MATCH-3 converted leads are never candidates', () => {
        const r = matchActivity(activity(['old@newco.com']), index, defaults());
        expect(r.candidates).toEqual([]);
        expect(r.who).toBeNull();
    });

    it('MATCH-3 a score is the sum of its points, capped at 100', () => {
        const r = matchActivity(activity(['ann@acme.com', 'carl@acme.com'], 'Acme Corp'), index, defaults());
        const a1 = candidate(r, 'A1')!;
        expect(a1.signals.reduce((n, s) => n + s.points, 0)).toBeGreaterThan(100);
        expect(a1.score).toBe(100);
    });

    it('MATCH-2 the index follows incremental changes: updates move keys, removals drop records', () => {
        const idx = replica();
        idx.apply('Contact', { Id: 'C1', Name: 'Ann Acme', Email: 'ann@globex.io', AccountId: 'A2' });
        expect(idx.contactsByEmail('ann@acme.com')).toEqual([]);
        expect(idx.contactsByEmail('ann@globex.io').map((c) => c.Id)).toEqual(['C1']);
        idx.apply('Lead', { Id: 'L1', Email: 'lee@newco.com', IsConverted: true });
        expect(idx.leadsByEmail('lee@newco.com')).toEqual([]);
        idx.remove('Account', 'A1');
        expect(idx.accountsByDomain('acme.com')).toEqual([]);
        expect(idx.record('Account', 'A1')).toBeUndefined();
    });
});

describe('MATCH-4 and MATCH-5 pipeline', () => {
    const index = replica();

    it('MATCH-5 keeps every candidate with its signals, eligibility verdict and ranking reason', () => {
        const r = matchActivity(activity(['ann@acme.com']), index, defaults());
        expect(r.candidates.map((c) => c.recordId).sort()).toEqual(['A1', 'C1', 'L3', 'O1', 'O2']);
        for (const c of r.candidates) {
            expect(c.signals.length).toBeGreaterThan(0);
            expect(c.eligibilityReason).toEqual(expect.any(String));
            expect(c.rankingReason).toEqual(expect.any(String));
        }
        // Without ranking groups the order is by score; ties keep contacts before leads.
        expect(r.who).toEqual({ recordId: 'C1', type: 'Contact', score: 60 });
        // MATCH-9: Ann is a contact role on O2, so the deal is the WhatId, ranked first of its kind.
        expect(r.what?.recordId).toBe('O2');
        expect(candidate(r, 'O2')!.rank).toBeLessThan(candidate(r, 'A1')!.rank!);
        expect(candidate(r, 'O2')!.rankingReason).toMatch(
            /MATCH-9 picked as the WhatId: a participant is a contact role/
        );
    });

    it('MATCH-4 a lead as the best WhoId leaves no WhatId', () => {
        const r = matchActivity(activity(['lee@newco.com']), index, defaults());
        expect(r.who?.type).toBe('Lead');
        expect(r.what).toBeNull();
        // With an account in play a lead is not the WhoId (unless a Lead ranking group says so):
        // the account's deal is the WhatId and no contact of it took part.
        const both = matchActivity(activity(['lee@newco.com', 'carl@acme.com']), index, defaults());
        expect(both.who).toBeNull();
        expect(both.what?.recordId).toBe('O1');
        expect(candidate(both, 'L1')?.rank).not.toBeNull();
    });

    it('CP-6 SDR use case: a Lead ranking group logs the activity against the lead, without a WhatId', () => {
        const sdr = withRanking({
            id: 'r1',
            name: 'Leads first',
            recordType: 'Lead',
            kind: 'sort',
            conditions: [{ field: 'CreatedDate', direction: 'desc' }]
        });
        const plain = matchActivity(activity(['ann@acme.com']), index, defaults());
        expect(plain.who?.recordId).toBe('C1');
        const r = matchActivity(activity(['ann@acme.com']), index, sdr);
        expect(r.who).toEqual(expect.objectContaining({ recordId: 'L3', type: 'Lead' }));
        expect(r.what).toBeNull();
        expect(candidate(r, 'L3')?.rankingReason).toMatch(/Leads first/);
    });

    it('CP-6 opportunities ranked by close date: the soonest open opportunity becomes the WhatId', () => {
        const plain = matchActivity(activity(['ann@acme.com']), index, defaults());
        expect(plain.what?.recordId).toBe('O2');
        expect(candidate(plain, 'O2')!.score).toBeGreaterThan(candidate(plain, 'O1')!.score);
        const r = matchActivity(
            activity(['ann@acme.com']),
            index,
            withRanking({
                id: 'r1',
                name: 'Soonest close',
                recordType: 'Opportunity',
                kind: 'sort',
                conditions: [{ field: 'CloseDate', direction: 'asc' }]
            })
        );
        expect(r.what).toEqual(expect.objectContaining({ recordId: 'O1', type: 'Opportunity' }));
        expect(candidate(r, 'O1')!.rank).toBeLessThan(candidate(r, 'O2')!.rank!);
        expect(candidate(r, 'O1')!.rankingReason).toMatch(/CloseDate asc/);
    });

    it('CP-6 partner team: opportunities on partner accounts go first', () => {
        const emails = ['ann@acme.com', 'pat@partnerco.com'];
        const plain = matchActivity(activity(emails), index, defaults());
        expect(plain.what?.recordId).not.toBe('O4');
        const r = matchActivity(
            activity(emails),
            index,
            withRanking({
                id: 'r1',
                name: 'Partner-account opportunities',
                recordType: 'Opportunity',
                kind: 'select',
                conditions: [{ field: 'Account.Type', operator: 'equals', value: 'Partner' }]
            })
        );
        expect(r.what?.recordId).toBe('O4');
    });

    it('CP-5 a team that does not work with leads: no lead is eligible, the contact and account match', () => {
        const noLeads: MatchingSettings = {
            ...defaults(),
            eligibility: { ...defaults().eligibility, Lead: { mode: 'filtered', groups: [] } }
        };
        const r = matchActivity(activity(['lee@newco.com', 'ann@acme.com']), index, noLeads);
        expect(candidate(r, 'L1')).toEqual(
            expect.objectContaining({
                eligible: false,
                rank: null,
                eligibilityReason: expect.stringMatching(/no Lead/)
            })
        );
        expect(r.who?.recordId).toBe('C1');
        expect(r.what).not.toBeNull();
    });

    it('CP-6 customers first: an Account select-based group puts Customer accounts first', () => {
        const emails = ['bob@gmail.com', 'gil@globex.io', 'carl@acme.com'];
        const plain = matchActivity(activity(emails), index, defaults());
        expect(plain.what?.recordId).toBe('A2');
        const r = matchActivity(
            activity(emails),
            index,
            withRanking({
                id: 'r1',
                name: 'Customers first',
                recordType: 'Account',
                kind: 'select',
                conditions: [{ field: 'Type', operator: 'equals', value: 'Customer' }]
            })
        );
        expect(r.what?.recordId).toBe('A1');
        expect(candidate(r, 'A1')!.rankingReason).toMatch(/Customers first.*matches/);
    });

    it('CP-6 sensitive records need a higher score: below the minimum the record is not matched', () => {
        const strict: MatchingSettings = { ...defaults(), minScore: 90 };
        const weak = matchActivity(activity(['carl@acme.com']), index, strict);
        expect(candidate(weak, 'A1')).toEqual(
            expect.objectContaining({ rank: null, rankingReason: expect.stringMatching(/below .*minimum score 90/) })
        );
        expect(weak.what).toBeNull();
        // More signals (the participant is a known contact of the account) clear the bar.
        const strong = matchActivity(activity(['carl@acme.com', 'ann@acme.com']), index, strict);
        expect(strong.what?.recordId).toBe('A1');
    });

    it('CP-5 eligibility filters see parent fields and keep the verdict of excluded records', () => {
        const enterpriseOnly: MatchingSettings = {
            ...defaults(),
            eligibility: {
                ...defaults().eligibility,
                Opportunity: {
                    mode: 'filtered',
                    groups: [
                        {
                            id: 'g1',
                            name: 'Enterprise',
                            filters: [{ field: 'RecordType.Name', operator: 'equals', value: 'Enterprise' }]
                        }
                    ]
                }
            }
        };
        const r = matchActivity(activity(['ann@acme.com']), index, enterpriseOnly);
        expect(candidate(r, 'O2')).toEqual(
            expect.objectContaining({ eligible: true, eligibilityReason: 'admitted by eligibility group "Enterprise"' })
        );
        expect(candidate(r, 'O1')).toEqual(expect.objectContaining({ eligible: false, rank: null }));
    });
});
