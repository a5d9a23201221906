import type { ColumnType, RawBuilder, Selectable } from 'kysely';
import type { CreatedAt, NullableTimestamp } from './schema';

/** A jsonb column with a default: read as T, written through `json(value)` or left out. */
type Defaulted<T> = ColumnType<T, RawBuilder<T> | undefined, RawBuilder<T>>;

/** A meeting's follow-up for one user (MATCH-8): the category chosen and the answers given. */
export interface FollowUpTable {
    id: string;
    org_id: string;
    activity_id: string;
    user_id: string;
    status: ColumnType<'open' | 'answered', 'open' | 'answered' | undefined>;
    category: ColumnType<string | null, string | null | undefined>;
    answers: Defaulted<{ questionId: string; value: unknown }[]>;
    /** The Event fields the answers set: API name → the value as Salesforce stores it. */
    fields: Defaulted<Record<string, unknown>>;
    created_at: CreatedAt;
    answered_at: NullableTimestamp;
    updated_at: CreatedAt;
}

/** One row per meeting and kind: inserted (claimed) before the notification is sent (CP-7). */
export interface MeetingNotificationTable {
    org_id: string;
    activity_id: string;
    kind: 'created' | 'completed';
    /** deferred: past the org's API budget (MATCH-13), sent when it allows; the reason in last_error. */
    state: 'claimed' | 'sent' | 'failed' | 'skipped' | 'deferred';
    recipients: Defaulted<string[]>;
    attempts: ColumnType<number, number | undefined>;
    last_error: ColumnType<string | null, string | null | undefined>;
    claimed_at: CreatedAt;
    sent_at: NullableTimestamp;
}

export interface FollowUpTables {
    follow_ups: FollowUpTable;
    meeting_notifications: MeetingNotificationTable;
}

export type FollowUpRow = Selectable<FollowUpTable>;
