import type { Participant } from '../matching/types';

/** An activity as intake understands it (MATCH-1), before the owner is resolved and gated (CP-4). */
export interface ParsedActivity {
    externalId: string;
    type: 'email' | 'meeting';
    /** The owner's address when the source names one (API input); file imports name candidates instead. */
    ownerEmail: string | null;
    subject: string;
    body: string | null;
    startsAt: string;
    endsAt: string | null;
    participants: Participant[];
    transcript: string | null;
    /**
     * The mail headers that tell bulk mail and auto-replies apart (lower-case names, see
     * matching/activity-kind.ts): present on .eml imports that carry any of them.
     */
    headers?: Readonly<Record<string, string>>;
}

/** A file that cannot be read: `path` names the part (`Date`, `VEVENT 1.DTSTART`), `message` what is wrong. */
export class IntakeFormatError extends Error {
    constructor(
        readonly path: string,
        message: string
    ) {
        super(message);
        this.name = 'IntakeFormatError';
    }
}

/** Participants with one entry per address (the first role given wins), addresses lower-cased. */
export function uniqueParticipants(list: Participant[]): Participant[] {
    const seen = new Map<string, Participant>();
    for (const p of list) {
        const email = p.email.trim().toLowerCase();
        if (!email || seen.has(email)) continue;
        seen.set(email, { ...p, email });
    }
    return [...seen.values()];
}
