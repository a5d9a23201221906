import { evaluateEligibility } from '../eligibility';
import type { MatchingSettings } from '../profile';
import { rankCandidates } from '../ranking';
import { domainChain, emailDomain, isFreeMail, isSameOrSubdomain, normaliseEmail } from './domains';
import type { ReplicaLookup } from './replica-index';
import {
    closeDateProximitySignal,
    contactAccountSignal,
    contactRoleSignal,
    displayName,
    openOpportunitySignal,
    ownerSignal,
    participantDomainSignal,
    participantEmailSignal,
    scoreOf,
    subjectMentionsNameSignal
} from './signals';
import type {
    CandidateType,
    CrmRecord,
    MatchableActivity,
    MatchCandidate,
    MatchPick,
    MatchResult,
    Signal
} from './types';

interface Building {
    type: CandidateType;
    record: CrmRecord;
    signals: Signal[];
}

const CONTACT_ELIGIBILITY = 'contacts are always eligible (CP-5 filters Opportunity, Account and Lead)';

/**
 * MATCH-4: one activity through the pipeline, against the replica only (MATCH-2):
 * candidates from the indexes → signals and score (MATCH-3) → eligibility (CP-5) → minimum score
 * and ranking (CP-6) → the best WhoId (contact or lead) and WhatId (opportunity or account). A
 * lead as WhoId leaves the WhatId empty: Salesforce refuses a WhatId next to a lead.
 * Every candidate is kept with its signals, eligibility verdict and ranking reason (MATCH-5).
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

    const emails = new Set<string>();
    for (const p of activity.participants) {
        const email = normaliseEmail(p.email);
        if (email && email !== ownerEmail) emails.add(email);
    }

    for (const email of emails) {
        for (const contact of replica.contactsByEmail(email)) {
            const c = upsert(contacts, 'Contact', contact);
            if (!c.signals.some((s) => s.name === 'participant_email'))
                c.signals.push(participantEmailSignal('Contact', email));
        }
        for (const lead of replica.leadsByEmail(email)) {
            const l = upsert(leads, 'Lead', lead);
            if (!l.signals.some((s) => s.name === 'participant_email'))
                l.signals.push(participantEmailSignal('Lead', email));
        }
        // The owner's own domain and free-mail domains never match an account (MATCH-3).
        const domain = emailDomain(email);
        if (!domain || isFreeMail(domain) || (ownerDomain && isSameOrSubdomain(domain, ownerDomain))) continue;
        for (const candidate of domainChain(domain)) {
            const found = replica.accountsByDomain(candidate);
            if (found.length === 0) continue;
            for (const account of found) {
                upsert(accounts, 'Account', account);
                const list = domainEmails.get(account.Id) ?? [];
                list.push(email);
                domainEmails.set(account.Id, list);
            }
            break; // the most specific domain that names an account wins
        }
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
        const first = roles[0]!;
        o.signals.push(contactRoleSignal(first.contact, first.role));
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
        const mention = subjectMentionsNameSignal(activity.subject, displayName(c.record));
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
    const ranked = rankCandidates(eligible, matching);

    let who: MatchPick | null = null;
    let what: MatchPick | null = null;
    const candidates: MatchCandidate[] = [];
    for (const r of ranked) {
        if (r.rank !== null) {
            const pick = { recordId: r.recordId, type: r.type, score: r.score };
            if (!who && (r.type === 'Contact' || r.type === 'Lead')) who = pick;
            if (!what && (r.type === 'Opportunity' || r.type === 'Account')) what = pick;
        }
        candidates.push({
            recordId: r.recordId,
            type: r.type,
            name: r.name,
            score: r.score,
            signals: r.signals,
            eligible: r.eligible,
            eligibilityReason: r.eligibilityReason,
            rank: r.rank,
            rankingReason: r.rankingReason
        });
    }
    // MATCH-4: Salesforce forbids a WhatId when the WhoId is a lead.
    if (who?.type === 'Lead') what = null;
    return { who, what, candidates: [...candidates, ...ineligible] };
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
