/**
 * Write-back rules (SPEC MATCH-6, MATCH-7, MATCH-12, MATCH-13, PERM-7), pure: what an activity
 * becomes in Salesforce, which toggle skips it, how a Salesforce error is handled, and how long
 * a retry waits. The service (services/writeback.ts) does the I/O.
 */
import type { ActivitySettings } from './profile';
import { emailDomain, isFreeMail, isSameOrSubdomain, domainChain, normaliseEmail } from './matching/domains';
import type { ReplicaLookup } from './matching/replica-index';
import type { Participant } from './matching/types';

export const EXTERNAL_ID_FIELD = 'peopleai__Activity_Id__c';
export const CREATED_BY_FIELD = 'peopleai__Created_by_PeopleAI__c';
/** sObject Collections take at most 200 records a call. */
export const COLLECTION_SIZE = 200;
/** A backlog larger than this of one sObject goes through Bulk API 2.0 ingest (when the org has it). */
export const BULK_THRESHOLD = 2000;
/** The integration user's profile name, as seed 003 names it. */
export const INTEGRATION_PROFILE = 'Backstory Integration User';

export interface WritableActivity {
    id: string;
    type: 'email' | 'meeting';
    subject: string;
    body: string | null;
    startsAt: string;
    endsAt: string | null;
    whoId: string | null;
    whoType: string | null;
    whatId: string | null;
    ownerSalesforceUserId: string | null;
}

const clip = (s: string, n: number): string => (s.length > n ? s.slice(0, n) : s);

/**
 * MATCH-12: the Event (meeting) or Task (email) of an activity, keyed by
 * `peopleai__Activity_Id__c`. `firstWrite` adds the create-only `TaskSubtype`.
 * Salesforce forbids a WhatId when the WhoId is a lead (MATCH-4): it is left out then.
 */
export function activityRecord(a: WritableActivity, firstWrite: boolean): Record<string, unknown> {
    const start = new Date(a.startsAt);
    const subject = clip(a.subject.trim() === '' ? '(no subject)' : a.subject, 255);
    const whatAllowed = a.whoType !== 'Lead';
    const common: Record<string, unknown> = {
        [EXTERNAL_ID_FIELD]: a.id,
        [CREATED_BY_FIELD]: true,
        Subject: subject,
        WhoId: a.whoId ?? null,
        WhatId: whatAllowed ? (a.whatId ?? null) : null
    };
    if (a.ownerSalesforceUserId) common.OwnerId = a.ownerSalesforceUserId;
    if (a.body) common.Description = clip(a.body, 32000);
    if (a.type === 'meeting') {
        const end = a.endsAt ? new Date(a.endsAt) : new Date(start.getTime() + 30 * 60_000);
        return {
            ...common,
            StartDateTime: start.toISOString(),
            EndDateTime: (end > start ? end : new Date(start.getTime() + 60_000)).toISOString()
        };
    }
    // An Event's ActivityDate follows its StartDateTime in Salesforce; a Task has only the date.
    return {
        ...common,
        ActivityDate: start.toISOString().slice(0, 10),
        Status: 'Completed',
        ...(firstWrite ? { TaskSubtype: 'Email' } : {})
    };
}

export function sobjectOf(type: 'email' | 'meeting'): 'Event' | 'Task' {
    return type === 'meeting' ? 'Event' : 'Task';
}

/**
 * CP-4 / MATCH-12 gate: null when the activity may be written, else the toggle that skips it
 * (the reason API.md's `sync.state = skipped` names).
 */
export function skipReason(type: 'email' | 'meeting', settings: ActivitySettings, profileName: string): string | null {
    if (!settings.pushData) return `Push Data is off in the profile "${profileName}" (CP-4)`;
    if (type === 'email' && !settings.emailSync) return `Email Sync is off in the profile "${profileName}" (CP-4)`;
    if (type === 'meeting' && !settings.meetingSync)
        return `Meeting Sync is off in the profile "${profileName}" (CP-4)`;
    return null;
}

// ------------------------------------------------------------------ errors (MATCH-7, PERM-7)

export interface SalesforceFailure {
    code: string;
    message: string;
    fields?: string[];
    /** HTTP status of a whole-call failure (5xx), when known. */
    status?: number;
}

export type ErrorVerdict =
    | { kind: 'transient'; code: string; message: string }
    | { kind: 'rematch'; code: string; message: string; field: string }
    | { kind: 'permanent'; code: string; message: string; remedy: string };

const TRANSIENT_CODES = new Set([
    'UNABLE_TO_LOCK_ROW',
    'REQUEST_LIMIT_EXCEEDED',
    'UNKNOWN_EXCEPTION',
    'SERVER_UNAVAILABLE',
    'INVALID_SESSION_ID',
    'REQUEST_RUNNING_TOO_LONG',
    'QUERY_TIMEOUT',
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'NETWORK_ERROR'
]);

export const VALIDATION_REMEDY = `A validation rule or flow in your org refused the write. Ask a Salesforce admin to exempt the Backstory integration user in each affected rule, e.g. add the condition $Profile.Name != '${INTEGRATION_PROFILE}' (or reference the integration user's profile or role), then retry the item.`;

export function fieldPermissionRemedy(sobject: string, fields: string[]): string {
    const list = fields.length > 0 ? fields.join(', ') : 'the fields Backstory writes';
    return `The integration user cannot write ${list} on ${sobject}. In Setup > Permission Sets > Backstory Standard Permissions (or the integration user's profile) > Object Settings > ${sobject} > Edit > Field Permissions: tick Edit Access for ${list}, Save; then retry the item. The setup wizard (GET /v1/setup/permission-check) lists every field Backstory needs.`;
}

export const OWNER_REMEDY =
    "The owner's linked Salesforce user does not exist or is inactive. Link the Backstory user to an active Salesforce user (Users > edit > Salesforce user), then retry the item.";

/**
 * UT-13: a write refused because of its owner (the linked Salesforce user is inactive, deleted or
 * cannot own the record): the Backstory user goes to Permission Errors until a write as them succeeds.
 */
export function isOwnerFailure(f: SalesforceFailure): boolean {
    if (f.code === 'INACTIVE_OWNER_OR_USER') return true;
    return (
        (f.fields ?? []).includes('OwnerId') &&
        ['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY', 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'].includes(
            f.code
        )
    );
}

/** Classify one Salesforce failure of a write. */
export function classifyError(f: SalesforceFailure, sobject: string): ErrorVerdict {
    const { code, message } = f;
    const fields = f.fields ?? [];
    if (isOwnerFailure(f)) return { kind: 'permanent', code, message, remedy: OWNER_REMEDY };
    // Network failures: undici's UND_ERR_* (a socket closed under a request) and errno codes.
    const network = /^UND_ERR_/.test(code) || /^E[A-Z]+$/.test(code);
    if (TRANSIENT_CODES.has(code) || network || (f.status !== undefined && f.status >= 500))
        return { kind: 'transient', code, message };
    if (code === 'FIELD_CUSTOM_VALIDATION_EXCEPTION' || code === 'CANNOT_EXECUTE_FLOW_TRIGGER')
        return { kind: 'permanent', code, message, remedy: VALIDATION_REMEDY };
    if ((code === 'ENTITY_IS_DELETED' || code === 'INVALID_CROSS_REFERENCE_KEY') && fields.length > 0) {
        const field = fields.find((x) => x === 'WhoId' || x === 'WhatId' || x === 'AccountId' || x === 'OpportunityId');
        if (field) return { kind: 'rematch', code, message, field };
    }
    if (
        code === 'INVALID_FIELD_FOR_INSERT_UPDATE' ||
        code === 'INVALID_FIELD' ||
        code === 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY' ||
        code === 'INSUFFICIENT_ACCESS_OR_READONLY' ||
        code === 'NOT_FOUND'
    )
        return { kind: 'permanent', code, message, remedy: fieldPermissionRemedy(sobject, fields) };
    return {
        kind: 'permanent',
        code,
        message,
        remedy: 'Salesforce refused this record. Correct the cause named in the message (in Salesforce or in the activity), then retry the item.'
    };
}

/** Transient failures are retried this many times before the item is parked. */
export const MAX_ATTEMPTS = 10;

/**
 * Exponential backoff with full jitter: attempt 1 waits up to 2 s, then 4, 8, … capped at 15
 * minutes. `random` in [0, 1).
 */
export function backoffSeconds(attempt: number, random: number, baseSeconds = 2, capSeconds = 900): number {
    const ceiling = Math.min(capSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
    return Math.max(0.5, ceiling / 2 + (ceiling / 2) * random);
}

// ------------------------------------------------------------------ budget (MATCH-13)

export interface BudgetView {
    dailyLimit: number | null;
    remaining: number | null;
    share: number;
    usedByBackstoryToday: number;
    waiting: boolean;
}

/** Backstory may use `share × (remaining + used today)` calls today; past it, writes wait. */
export function budgetAllowance(share: number, remaining: number, usedToday: number): number {
    return Math.floor(share * (remaining + usedToday));
}

// ------------------------------------------------------------------ contacts (MATCH-12)

export interface ProposedContact {
    email: string;
    firstName: string | null;
    lastName: string;
    accountId: string;
}

/** "Ann Lee" → Ann / Lee; no name → the address's local part as the last name. */
export function contactName(p: Participant): { firstName: string | null; lastName: string } {
    const name = (p.name ?? '').replace(/["<>]/g, '').trim();
    if (name !== '' && !name.includes('@')) {
        const parts = name.split(/\s+/);
        if (parts.length === 1) return { firstName: null, lastName: clip(parts[0]!, 80) };
        return { firstName: clip(parts.slice(0, -1).join(' '), 40), lastName: clip(parts.at(-1)!, 80) };
    }
    return { firstName: null, lastName: clip(p.email, 80) };
}

/**
 * Contact Creation: participants whose domain names an account but who are no contact or lead
 * (nor the owner, nor on the owner's or a free-mail domain) become Contacts on that account.
 */
export function proposeContacts(
    participants: Participant[],
    ownerEmail: string,
    replica: ReplicaLookup
): ProposedContact[] {
    const owner = normaliseEmail(ownerEmail);
    const ownerDomain = owner ? emailDomain(owner) : null;
    const out: ProposedContact[] = [];
    const seen = new Set<string>();
    for (const p of participants) {
        const email = normaliseEmail(p.email);
        if (!email || email === owner || seen.has(email)) continue;
        seen.add(email);
        if (replica.contactsByEmail(email).length > 0 || replica.leadsByEmail(email).length > 0) continue;
        const domain = emailDomain(email);
        if (!domain || isFreeMail(domain) || (ownerDomain && isSameOrSubdomain(domain, ownerDomain))) continue;
        let account: string | null = null;
        for (const candidate of domainChain(domain)) {
            const found = replica.accountsByDomain(candidate);
            if (found.length === 1) account = found[0]!.Id;
            if (found.length > 0) break; // several accounts share the domain: no guess
        }
        if (!account) continue;
        out.push({ email, ...contactName({ ...p, email }), accountId: account });
    }
    return out;
}
