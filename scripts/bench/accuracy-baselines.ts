// The two baselines of `npm run bench:accuracy`, computed on the same replica as the matcher.
import {
    domainChain,
    emailDomain,
    isFreeMail,
    isSameOrSubdomain,
    normaliseEmail
} from '../../middleware/src/domain/matching/domains';
import type { ReplicaIndex } from '../../middleware/src/domain/matching/replica-index';
import type { MatchableActivity } from '../../middleware/src/domain/matching/types';

export interface Picks {
    who: string | null;
    what: string | null;
}

/** The participants that are not the owner and not at the owner's domain, in order. */
function external(activity: MatchableActivity): string[] {
    const owner = normaliseEmail(activity.ownerEmail);
    const ownerDomain = owner ? emailDomain(owner) : null;
    const out: string[] = [];
    for (const p of activity.participants) {
        const email = normaliseEmail(p.email);
        if (!email || email === owner || out.includes(email)) continue;
        const domain = emailDomain(email);
        if (ownerDomain && domain && isSameOrSubdomain(domain, ownerDomain)) continue;
        out.push(email);
    }
    return out;
}

/**
 * (a) The rule Salesforce's activity capture documents: the first participant whose exact
 * address is a contact (else a lead) is the WhoId; the WhatId is an open opportunity the contact
 * is a contact role on (the soonest to close when several), else the contact's account; none
 * next to a lead.
 */
export function salesforceRule(activity: MatchableActivity, replica: ReplicaIndex): Picks {
    const emails = external(activity);
    for (const email of emails) {
        const contact = replica.contactsByEmail(email)[0];
        if (!contact) continue;
        const open = replica
            .contactRolesByContact(contact.Id)
            .map((r) => replica.record('Opportunity', String(r.OpportunityId)))
            .filter((o) => o !== undefined && o.IsClosed !== true)
            .sort((a, b) => String(a!.CloseDate).localeCompare(String(b!.CloseDate)));
        const account = typeof contact.AccountId === 'string' ? contact.AccountId : null;
        return { who: contact.Id, what: open[0]?.Id ?? account };
    }
    for (const email of emails) {
        const lead = replica.leadsByEmail(email)[0];
        if (lead) return { who: lead.Id, what: null };
    }
    return { who: null, what: null };
}

/** (b) Domain only: the account of the first participant's (non-free-mail) domain; no WhoId. */
export function domainOnly(activity: MatchableActivity, replica: ReplicaIndex): Picks {
    for (const email of external(activity)) {
        const domain = emailDomain(email);
        if (!domain || isFreeMail(domain)) continue;
        for (const candidate of domainChain(domain)) {
            const account = replica.accountsByDomain(candidate)[0];
            if (account) return { who: null, what: account.Id };
        }
    }
    return { who: null, what: null };
}
