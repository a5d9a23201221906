import type { CrmRecord, Signal } from './types';

/**
 * MATCH-3: the one table of signal weights. A candidate's score is the sum of the points of its
 * signals, capped at 100, and compared with the profile's minimum score (CP-6, default 50).
 * docs/matching.md documents the same table; change both together.
 *
 * The weights are set so that one strong signal clears the default minimum score of 50 on its
 * own (an exact email, the company domain, the contact's own account, an open opportunity on a
 * matched account) and the supporting signals decide between candidates of one type.
 */
export const SIGNAL_WEIGHTS = {
    /** A participant's email is the Contact's or Lead's Email (a participant only on Cc: CC_EMAIL_POINTS). */
    participant_email: 60,
    /** A participant writing from a free-mail address carries the display name of exactly one Contact. */
    participant_name: 50,
    /** A participant's email domain is the Account's Website domain (normalised; never free-mail or the owner's own domain). */
    participant_domain: 50,
    /** The Account is the account of a Contact that matched a participant. */
    contact_account: 50,
    /** The Opportunity is open (not IsClosed) and on an Account that matched. */
    open_opportunity: 50,
    /** A participant is a contact role (OpportunityContactRole) on the Opportunity. */
    contact_role: 35,
    /** The activity's owner owns the record (OwnerId). */
    owner_owns_record: 15,
    /** The owner is on the record's account team or opportunity team (and does not own it). */
    owner_on_team: 10,
    /** An open Opportunity closes near the activity: the full points within 30 days, see CLOSE_DATE_STEPS. */
    close_date_proximity: 15,
    /** The subject mentions the record's name (whole words, case-insensitive). */
    subject_mentions_name: 20
} as const;

export type SignalName = keyof typeof SIGNAL_WEIGHTS;

/** Close-date proximity: days between the activity and CloseDate (either side) → points. */
export const CLOSE_DATE_STEPS: readonly { withinDays: number; points: number }[] = [
    { withinDays: 30, points: SIGNAL_WEIGHTS.close_date_proximity },
    { withinDays: 90, points: 10 },
    { withinDays: 180, points: 5 }
];

export const MAX_SCORE = 100;

/** participant_email for a participant who is only on Cc: still a match, but behind the To and From people. */
export const CC_EMAIL_POINTS = 50;

const signal = (name: SignalName, detail: string, points: number = SIGNAL_WEIGHTS[name]): Signal => ({
    name,
    points,
    detail
});

export function participantNameSignal(email: string, name: string): Signal {
    return signal(
        'participant_name',
        `${email} writes from a free-mail address as "${name}", the name of exactly one Contact`
    );
}

export function participantEmailSignal(object: 'Contact' | 'Lead', email: string, cc = false): Signal {
    return cc
        ? signal('participant_email', `participant ${email} (Cc only) is the ${object}'s Email`, CC_EMAIL_POINTS)
        : signal('participant_email', `participant ${email} is the ${object}'s Email`);
}

export function participantDomainSignal(domain: string, emails: readonly string[]): Signal {
    return signal(
        'participant_domain',
        `${emails.join(', ')} ${emails.length === 1 ? 'writes' : 'write'} from ${domain}, the Account's Website domain`
    );
}

export function contactAccountSignal(contact: CrmRecord): Signal {
    return signal('contact_account', `account of the matched contact ${displayName(contact)}`);
}

/** An open opportunity on a matched account; null when it is closed. */
export function openOpportunitySignal(opportunity: CrmRecord, accountName: string): Signal | null {
    if (opportunity.IsClosed === true) return null;
    return signal(
        'open_opportunity',
        `open opportunity (${String(opportunity.StageName ?? 'open')}) on ${accountName}`
    );
}

export function contactRoleSignal(contact: CrmRecord, role: CrmRecord): Signal {
    const as = typeof role.Role === 'string' && role.Role ? ` as ${role.Role}` : '';
    return signal('contact_role', `${displayName(contact)} is a contact role${as}`);
}

/** The owner owns the record, or failing that is on its team; null otherwise. */
export function ownerSignal(
    record: CrmRecord,
    ownerSalesforceUserId: string | null | undefined,
    team: readonly string[]
): Signal | null {
    if (!ownerSalesforceUserId) return null;
    if (sameId(record.OwnerId, ownerSalesforceUserId)) return signal('owner_owns_record', 'the activity owner owns it');
    if (team.some((id) => sameId(id, ownerSalesforceUserId)))
        return signal('owner_on_team', 'the activity owner is on its team');
    return null;
}

const DAY_MS = 86_400_000;

/** Points for an open opportunity whose CloseDate is near the activity date; null when far, closed or unknown. */
export function closeDateProximitySignal(opportunity: CrmRecord, activityDate: string): Signal | null {
    if (opportunity.IsClosed === true || typeof opportunity.CloseDate !== 'string') return null;
    const close = Date.parse(opportunity.CloseDate.slice(0, 10));
    const at = Date.parse(activityDate.slice(0, 10));
    if (Number.isNaN(close) || Number.isNaN(at)) return null;
    const days = Math.round(Math.abs(close - at) / DAY_MS);
    const step = CLOSE_DATE_STEPS.find((s) => days <= s.withinDays);
    if (!step) return null;
    return signal(
        'close_date_proximity',
        `closes ${opportunity.CloseDate.slice(0, 10)}, ${days} days from the activity`,
        step.points
    );
}

/** The subject names the record (whole words, case-insensitive, names of 3+ characters). */
export function subjectMentionsNameSignal(subject: string, name: string): Signal | null {
    const needle = name.trim().toLowerCase();
    if (needle.length < 3 || !subject) return null;
    const hay = subject.toLowerCase();
    let from = 0;
    for (;;) {
        const i = hay.indexOf(needle, from);
        if (i < 0) return null;
        const before = i === 0 ? '' : hay[i - 1]!;
        const after = hay[i + needle.length] ?? '';
        if (!isWordChar(before) && !isWordChar(after))
            return signal('subject_mentions_name', `the subject mentions "${name.trim()}"`);
        from = i + 1;
    }
}

/**
 * The subject names the opportunity: its whole name, or the deal part of it once the account's
 * name and a separator are taken off (`Acme - Platform Subscription` → `Platform Subscription`),
 * which is how reps write subjects. Whole words, case-insensitive.
 */
export function subjectMentionsDealSignal(subject: string, opportunityName: string): Signal | null {
    const whole = subjectMentionsNameSignal(subject, opportunityName);
    if (whole) return whole;
    const deal = dealPart(opportunityName);
    return deal ? subjectMentionsNameSignal(subject, deal) : null;
}

/** `Acme Corp - Platform Subscription` → `Platform Subscription`; null without a separator or when too short. */
export function dealPart(opportunityName: string): string | null {
    const m = /\s[-–—:|]\s/.exec(opportunityName);
    if (!m) return null;
    const part = opportunityName.slice(m.index + m[0].length).trim();
    return part.length >= 4 ? part : null;
}

/** Sum of points, capped at MAX_SCORE. */
export function scoreOf(signals: readonly Signal[]): number {
    let total = 0;
    for (const s of signals) total += s.points;
    return Math.min(MAX_SCORE, total);
}

const isWordChar = (c: string): boolean => c !== '' && /[\p{L}\p{N}_]/u.test(c);

/** Salesforce ids compare on their first 15 characters (15- and 18-character forms are the same record). */
export function sameId(a: unknown, b: unknown): boolean {
    if (typeof a !== 'string' || typeof b !== 'string' || a === '' || b === '') return false;
    return a === b || a.slice(0, 15) === b.slice(0, 15);
}

export function displayName(r: CrmRecord): string {
    if (typeof r.Name === 'string' && r.Name) return r.Name;
    const parts = [r.FirstName, r.LastName].filter((p): p is string => typeof p === 'string' && p !== '');
    if (parts.length) return parts.join(' ');
    return typeof r.Email === 'string' ? r.Email : r.Id;
}
