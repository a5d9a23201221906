/**
 * What the rep features (follow-up answers, Edit Match) need of the write-back, as a port: the
 * durable outbox implements it (`services/rep-write-back.ts` over `services/writeback.ts`), and
 * tests may pass their own.
 */
export interface WriteBack {
    /** The activity's match (or data) changed: (re)write its Event/Task. */
    activityChanged(orgId: string, activityId: string): Promise<WriteOutcome>;
    /** A follow-up of the meeting was answered: write the category and answers to its Event (`write_answers`). */
    answersChanged(orgId: string, activityId: string): Promise<WriteOutcome>;
}

export interface WriteOutcome {
    state: 'not_synced' | 'written' | 'skipped' | 'pending' | 'parked';
    salesforceId: string | null;
    reason: string | null;
}
