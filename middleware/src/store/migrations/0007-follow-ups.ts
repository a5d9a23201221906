import { sql, type Kysely } from 'kysely';

// Reps in Lightning (MATCH-8, MATCH-10, CP-7): the manual match override of an activity, the
// follow-up of each meeting per user, one row per meeting notification (claimed before it is
// sent, so it goes out once whatever retries or processes do).
export async function up(db: Kysely<unknown>): Promise<void> {
    // MATCH-10: set by Edit Match; while set, re-sends and rematches keep who_id/what_id.
    await sql`alter table activities add column match_override jsonb`.execute(db);
    await sql`
        create table follow_ups (
            id text primary key,
            org_id text not null references orgs(id) on delete cascade,
            activity_id text not null references activities(id) on delete cascade,
            user_id text not null references users(id) on delete cascade,
            status text not null default 'open' check (status in ('open', 'answered')),
            category text,
            answers jsonb not null default '[]'::jsonb,
            -- The Event fields the answers set (API name → value as Salesforce stores it).
            fields jsonb not null default '{}'::jsonb,
            created_at timestamptz not null default now(),
            answered_at timestamptz,
            updated_at timestamptz not null default now(),
            unique (org_id, activity_id, user_id)
        )`.execute(db);
    await sql`create index follow_ups_user on follow_ups (org_id, user_id, status, created_at desc)`.execute(db);
    await sql`
        create table meeting_notifications (
            org_id text not null references orgs(id) on delete cascade,
            activity_id text not null references activities(id) on delete cascade,
            kind text not null check (kind in ('created', 'completed')),
            state text not null check (state in ('claimed', 'sent', 'failed', 'skipped')),
            recipients jsonb not null default '[]'::jsonb,
            attempts integer not null default 1,
            last_error text,
            claimed_at timestamptz not null default now(),
            sent_at timestamptz,
            primary key (org_id, activity_id, kind)
        )`.execute(db);
}
