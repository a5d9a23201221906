/**
 * Shapes of matching (MATCH-1..MATCH-5). Replica records are Salesforce records as pulled
 * (field API names → values); the pipeline never queries Salesforce (MATCH-2).
 */

/** One replicated Salesforce record: `Id` plus the fields the pull selected. */
export type CrmRecord = Record<string, unknown> & { Id: string };

/** The objects the replica keeps for matching. */
export const REPLICA_OBJECTS = [
    'Account',
    'Contact',
    'Lead',
    'Opportunity',
    'OpportunityContactRole',
    'AccountTeamMember',
    'OpportunityTeamMember',
    'User',
    'UserRole',
    'RecordType'
] as const;
export type ReplicaObject = (typeof REPLICA_OBJECTS)[number];

export type CandidateType = 'Contact' | 'Lead' | 'Opportunity' | 'Account';

export interface Participant {
    email: string;
    name?: string | undefined;
    role?: 'from' | 'to' | 'cc' | 'organizer' | 'attendee' | undefined;
}

/** What matching reads of an activity (MATCH-1). */
export interface MatchableActivity {
    type: 'email' | 'meeting';
    subject: string;
    /** ISO 8601. */
    startsAt: string;
    ownerEmail: string;
    /** The owner's Salesforce user id when the Backstory user is linked; else looked up by email in the replica. */
    ownerSalesforceUserId?: string | null | undefined;
    participants: Participant[];
    /**
     * Mail headers when the source has them (lower-case names): `list-unsubscribe`, `list-id`,
     * `precedence` and `auto-submitted` tell bulk mail and auto-replies apart (see activity-kind.ts).
     */
    headers?: Readonly<Record<string, string>> | undefined;
}

export interface Signal {
    /** A key of SIGNAL_WEIGHTS. */
    name: string;
    points: number;
    /** Why, in words (`ann@acme.com is Contact.Email`). */
    detail: string;
}

export interface MatchCandidate {
    recordId: string;
    type: CandidateType;
    name: string;
    score: number;
    signals: Signal[];
    eligible: boolean;
    eligibilityReason: string;
    rank: number | null;
    rankingReason: string;
}

export interface MatchPick {
    recordId: string;
    type: CandidateType;
    score: number;
}

/** A match with its whole explanation (MATCH-5): API.md's shape. */
export interface MatchResult {
    who: MatchPick | null;
    what: MatchPick | null;
    candidates: MatchCandidate[];
}
