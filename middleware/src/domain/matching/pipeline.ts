import { evaluateEligibility } from '../eligibility';
import type { MatchingSettings } from '../profile';
import { rankCandidates } from '../ranking';
import { classifyActivity, INTRODUCTION_SUBJECT } from './activity-kind';
import { decide } from './decide';
import { domainChain, emailDomain, isFreeMail, isSameOrSubdomain, normaliseEmail } from './domains';
import { normaliseName, type ReplicaLookup } from './replica-index';
import {
    closeDateProximitySignal,
    contactAccountSignal,
    contactRoleSignal,
    displayName,
    openOpportunitySignal,
    ownerSignal,
    participantDomainSignal,
    participantEmailSignal,
    participantNameSignal,
    sameId,
    scoreOf,
    subjectMentionsDealSignal,
    subjectMentionsNameSignal
} from './signals';
import type {
    CandidateType,
    CrmRecord,
    MatchableActivity,
    MatchCandidate,
    MatchResult,
    Participant,
    Signal
} from './types';

interface Building {
    type: CandidateType;
    record: CrmRecord;
    signals: Signal[];
}

const CONTACT_ELIGIBILITY = 'contacts are always eligible (CP-5 filters Opportunity, Account and Lead)';

/** How much a participant counts towards the account an activity is about, by role. */
export const ROLE_WEIGHTS: Readonly<Record<NonNullable<Participant['role']>, number>> = {
    from: 1,
    organizer: 1,
    to: 1,
    attendee: 1,
    cc: 0.5
};

interface External {
    email: string;
    /** emailDomain(email). */
    domain: string | null;
    name: string | undefined;
    weight: number;
    cc: boolean;
}

/**
 * The participants that can name a customer: not the owner, not at the owner's domain (or a
 * sub-domain of it), and not a Salesforce user of the org (a colleague elsewhere). One entry
 * per address, with the highest weight of its roles.
 */
function externalParticipants(
    activity: MatchableActivity,
    ownerEmail: string | null,
    ownerDomain: string | null,
    replica: ReplicaLookup
): External[] {
    const byEmail = new Map<string, External>();
    for (const p of activity.participants) {
        const email = normaliseEmail(p.email);
        if (!email || email === ownerEmail) continue;
        const weight = p.role ? ROLE_WEIGHTS[p.role] : 1;
        const seen = byEmail.get(email);
        if (seen) {
            if (weight > seen.weight) {
                seen.weight = weight;
                seen.cc = p.role === 'cc';
            }
            seen.name ??= p.name;
            continue;
        }
        const domain = emailDomain(email);
        if (ownerDomain && domain && isSameOrSubdomain(domain, ownerDomain)) continue;
        if (replica.userIdByEmail(email) !== undefined) continue;
        byEmail.set(email, { email, domain, name: p.name, weight, cc: p.role === 'cc' });
    }
    return [...byEmail.values()];
}

/**
 * MATCH-4: one activity through the pipeline, against the replica only (MATCH-2):
 * candidates from the indexes → signals and score (MATCH-3) → eligibility (CP-5) → minimum score
 * and ranking (CP-6) → the picks (decide.ts: MATCH-9, split evidence, bulk mail) of the best
 * WhoId (contact or lead) and WhatId (opportunity or account). A lead as WhoId leaves the WhatId
 * empty: Salesforce refuses a WhatId next to a lead. Every candidate is kept with its signals,
 * eligibility verdict and ranking reason (MATCH-5).
 */
export function matchActivity(
    activity: MatchableActivity,
    replica: ReplicaLookup,
    matching: Pick<MatchingSettings, 'minScore' | 'eligibility' | 'rankingGroups'>
): MatchResult {
    const ownerEmail = normaliseEmail(activity.ownerEmail);
    const ownerDomain = ownerEmail ? emailDomain(ownerEmail) : null;
    const ownerUserId = activity.ownerSalesforceUserId ?? (ownerEmail ? replica.userIdByEmail(ownerEmail) : undefined);

    // Insertion order decides ties in ranking: contacts before leads, opportunities before accounts.
    const contacts = new Map<string, Building>();
    const leads = new Map<string, Building>();
    const opportunities = new Map<string, Building>();
    const accounts = new Map<string, Building>();
    const domainEmails = new Map<string, string[]>();
    // Participant weight per account (decide.ts): a participant who is a known contact counts
    // for the contact's account, any other for the accounts of their domain, shared equally.
    const support = new Map<string, number>();
    const addSupport = (accountIds: readonly string[], weight: number) => {
        for (const id of accountIds) support.set(id, (support.get(id) ?? 0) + weight / accountIds.length);
    };

    let hasContactEmail = false;
    const byName: { p: External; contact: CrmRecord }[] = [];
    const sameDomain: string[][] = [];
    for (const p of externalParticipants(activity, ownerEmail, ownerDomain, replica)) {
        const { email, domain } = p;
        const byEmail = replica.contactsByEmail(email);
        const known: CrmRecord[] = [];
        for (const contact of byEmail) {
            hasContactEmail = true;
            known.push(contact);
            const c = upsert(contacts, 'Contact', contact);
            if (!c.signals.some((s) => s.name === 'participant_email'))
                c.signals.push(participantEmailSignal('Contact', email, p.cc));
        }
        const byLead = replica.leadsByEmail(email);
        for (const lead of byLead) {
            const l = upsert(leads, 'Lead', lead);
            if (!l.signals.some((s) => s.name === 'participant_email'))
                l.signals.push(participantEmailSignal('Lead', email, p.cc));
        }
        // A free-mail address says nothing about the company; its display name may still name
        // exactly one contact (a known contact writing from a personal address).
        if (!domain || isFreeMail(domain)) {
            if (known.length === 0 && byLead.length === 0 && p.name && replica.contactsByName) {
                const key = normaliseName(p.name);
                const named = key ? replica.contactsByName(key) : [];
                if (named.length === 1) byName.push({ p, contact: named[0]! });
            }
        } else {
            for (const candidate of domainChain(domain)) {
                const found = replica.accountsByDomain(candidate);
                if (found.length === 0) continue;
                for (const account of found) {
                    upsert(accounts, 'Account', account);
                    const list = domainEmails.get(account.Id) ?? [];
                    list.push(email);
                    domainEmails.set(account.Id, list);
                }
                if (found.length > 1) sameDomain.push(found.map((a) => a.Id));
                if (known.length === 0)
                    addSupport(
                        found.map((a) => a.Id),
                        p.weight
                    );
                break; // the most specific domain that names an account wins
            }
        }
        const accountIds = [
            ...new Set(known.map((c) => c.AccountId).filter((id): id is string => typeof id === 'string'))
        ];
        if (accountIds.length) addSupport(accountIds, p.weight);
    }
    // A name from a free-mail address is weak on its own: it counts when another participant is
    // of the same account, or when the activity owner owns the contact or its account (or is on
    // its account team), unless the subject is an introduction or a coffee chat: one has those
    // with someone new, so the owner's tie alone does not tell the contact from a namesake.
    const introduction = INTRODUCTION_SUBJECT.test(activity.subject);
    for (const { p, contact } of byName) {
        const accountId = typeof contact.AccountId === 'string' ? contact.AccountId : null;
        const account = accountId ? replica.record('Account', accountId) : undefined;
        const byParticipant = accountId !== null && (support.get(accountId) ?? 0) > 0;
        const byOwner =
            !introduction &&
            ownerUserId != null &&
            (sameId(contact.OwnerId, ownerUserId) ||
                (account !== undefined && sameId(account.OwnerId, ownerUserId)) ||
                (accountId !== null && replica.accountTeam(accountId).some((u) => sameId(u, ownerUserId))));
        if (!byParticipant && !byOwner) continue;
        const c = upsert(contacts, 'Contact', contact);
        if (!c.signals.some((s) => s.name === 'participant_name' || s.name === 'participant_email'))
            c.signals.push(participantNameSignal(p.email, String(p.name).trim()));
        if (accountId) addSupport([accountId], p.weight);
    }
    for (const [accountId, list] of domainEmails) {
        const a = accounts.get(accountId);
        if (a) a.signals.push(participantDomainSignal(String(emailDomain(list[0]!)), list));
    }

    // The matched contacts' accounts and contact roles.
    const rolesByOpportunity = new Map<string, { contact: CrmRecord; role: CrmRecord }[]>();
    for (const { record: contact } of contacts.values()) {
        const accountId = typeof contact.AccountId === 'string' ? contact.AccountId : null;
        const account = accountId ? replica.record('Account', accountId) : undefined;
        if (account) {
            const a = upsert(accounts, 'Account', account);
            if (!a.signals.some((s) => s.name === 'contact_account')) a.signals.push(contactAccountSignal(contact));
        }
        for (const role of replica.contactRolesByContact(contact.Id)) {
            const oppId = String(role.OpportunityId);
            const list = rolesByOpportunity.get(oppId) ?? [];
            list.push({ contact, role });
            rolesByOpportunity.set(oppId, list);
        }
    }

    // Opportunities: the open ones of every matched account, and any the participants are contact roles on.
    for (const { record: account } of [...accounts.values()]) {
        for (const opportunity of replica.opportunitiesByAccount(account.Id)) {
            const open = openOpportunitySignal(opportunity, displayName(account));
            if (!open) continue;
            upsert(opportunities, 'Opportunity', opportunity).signals.push(open);
        }
    }
    for (const [oppId, roles] of rolesByOpportunity) {
        const opportunity = replica.record('Opportunity', oppId);
        if (!opportunity) continue;
        const o = upsert(opportunities, 'Opportunity', opportunity);
        // One signal per participant who is a contact role: the more of them, the surer the deal.
        const seen = new Set<string>();
        for (const { contact, role } of roles) {
            if (seen.has(contact.Id)) continue;
            seen.add(contact.Id);
            o.signals.push(contactRoleSignal(contact, role));
        }
    }

    // Supporting signals on every candidate.
    const all = [...contacts.values(), ...leads.values(), ...opportunities.values(), ...accounts.values()];
    for (const c of all) {
        const team =
            c.type === 'Account'
                ? replica.accountTeam(c.record.Id)
                : c.type === 'Opportunity'
                  ? replica.opportunityTeam(c.record.Id)
                  : [];
        const owner = ownerSignal(c.record, ownerUserId, team);
        if (owner) c.signals.push(owner);
        if (c.type === 'Opportunity') {
            const close = closeDateProximitySignal(c.record, activity.startsAt);
            if (close) c.signals.push(close);
        }
        const mention =
            c.type === 'Opportunity'
                ? subjectMentionsDealSignal(activity.subject, displayName(c.record))
                : subjectMentionsNameSignal(activity.subject, displayName(c.record));
        if (mention) c.signals.push(mention);
    }

    // Eligibility (CP-5), then minimum score and ranking (CP-6) over the eligible ones.
    // Only types that an eligibility filter or a ranking group looks at need their parents joined in.
    const viewed = new Set<CandidateType>();
    for (const type of ['Opportunity', 'Account', 'Lead'] as const)
        if (matching.eligibility[type].mode === 'filtered') viewed.add(type);
    for (const g of matching.rankingGroups) {
        if (g.recordType === 'All')
            for (const t of ['Opportunity', 'Account', 'Lead', 'Contact'] as const) viewed.add(t);
        else viewed.add(g.recordType);
    }
    const eligible: (Omit<MatchCandidate, 'rank' | 'rankingReason'> & { record: Record<string, unknown> })[] = [];
    const ineligible: MatchCandidate[] = [];
    for (const c of all) {
        const record = viewed.has(c.type) ? view(c, replica) : c.record;
        const verdict =
            c.type === 'Contact'
                ? { eligible: true, reason: CONTACT_ELIGIBILITY }
                : evaluateEligibility(c.type, record, matching.eligibility);
        const name = displayName(c.record);
        const score = scoreOf(c.signals);
        if (verdict.eligible)
            eligible.push({
                recordId: c.record.Id,
                type: c.type,
                name,
                score,
                signals: c.signals,
                eligible: true,
                eligibilityReason: verdict.reason,
                record
            });
        else
            ineligible.push({
                recordId: c.record.Id,
                type: c.type,
                name,
                score,
                signals: c.signals,
                eligible: false,
                eligibilityReason: verdict.reason,
                rank: null,
                rankingReason: 'not ranked: not eligible'
            });
    }
    const ranked: MatchCandidate[] = rankCandidates(eligible, matching).map((r) => ({
        recordId: r.recordId,
        type: r.type,
        name: r.name,
        score: r.score,
        signals: r.signals,
        eligible: r.eligible,
        eligibilityReason: r.eligibilityReason,
        rank: r.rank,
        rankingReason: r.rankingReason
    }));

    const contactAccount = new Map<string, string | null>();
    for (const { record } of contacts.values())
        contactAccount.set(record.Id, typeof record.AccountId === 'string' ? record.AccountId : null);
    const opportunityFacts = new Map<string, { accountId: string | null; open: boolean; closeDays: number | null }>();
    const at = Date.parse(activity.startsAt.slice(0, 10));
    for (const { record } of opportunities.values()) {
        const close = typeof record.CloseDate === 'string' ? Date.parse(record.CloseDate.slice(0, 10)) : NaN;
        opportunityFacts.set(record.Id, {
            accountId: typeof record.AccountId === 'string' ? record.AccountId : null,
            open: record.IsClosed !== true,
            closeDays: Number.isNaN(close) || Number.isNaN(at) ? null : Math.round(Math.abs(close - at) / 86_400_000)
        });
    }
    const accountNames = new Map<string, string>();
    for (const { record } of accounts.values()) accountNames.set(record.Id, displayName(record));

    const decision = decide(ranked, {
        accountSupport: support,
        accountNames,
        contactAccount,
        opportunities: opportunityFacts,
        sameDomain,
        exclusion: classifyActivity(activity, ownerEmail, hasContactEmail),
        rankingGroups: matching.rankingGroups
    });
    return { who: decision.who, what: decision.what, candidates: [...decision.candidates, ...ineligible] };
}

function upsert(map: Map<string, Building>, type: CandidateType, record: CrmRecord): Building {
    let b = map.get(record.Id);
    if (!b) {
        b = { type, record, signals: [] };
        map.set(record.Id, b);
    }
    return b;
}

/**
 * The record as eligibility filters and ranking conditions see it: its own fields plus its
 * parents, so that `RecordType.Name`, `Owner.Email` and, on opportunities and contacts,
 * `Account.Type` can be used.
 */
function view(c: Building, replica: ReplicaLookup): Record<string, unknown> {
    const r = c.record;
    const out: Record<string, unknown> = { ...r };
    if (typeof r.RecordTypeId === 'string') {
        const rt = replica.record('RecordType', r.RecordTypeId);
        if (rt) out.RecordType = { Id: rt.Id, Name: rt.Name, DeveloperName: rt.DeveloperName };
    }
    if (typeof r.OwnerId === 'string') {
        const owner = replica.record('User', r.OwnerId);
        if (owner) out.Owner = { Id: owner.Id, Name: owner.Name, Email: owner.Email, UserRoleId: owner.UserRoleId };
    }
    if ((c.type === 'Opportunity' || c.type === 'Contact') && typeof r.AccountId === 'string') {
        const account = replica.record('Account', r.AccountId);
        if (account) out.Account = account;
    }
    return out;
}
