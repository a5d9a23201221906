import { sql, type Kysely } from 'kysely';

// MATCH-13 for meeting notifications (MATCH-8): a notification past the org's API budget waits as
// `deferred` (with the reason in last_error) and is sent once the budget allows.
export async function up(db: Kysely<unknown>): Promise<void> {
    await sql`alter table meeting_notifications drop constraint meeting_notifications_state_check`.execute(db);
    await sql`
        alter table meeting_notifications add constraint meeting_notifications_state_check
            check (state in ('claimed', 'sent', 'failed', 'skipped', 'deferred'))`.execute(db);
    await sql`create index meeting_notifications_deferred on meeting_notifications (org_id) where state = 'deferred'`.execute(
        db
    );
}
