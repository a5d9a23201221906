import { sql, type Kysely } from 'kysely';

// The write-back outbox (MATCH-6, MATCH-7), the last aggregate values written (MATCH-12) and the
// API budget per org (MATCH-13).
export async function up(db: Kysely<unknown>): Promise<void> {
    // One row per org, operation and key (the activity id; the record id for update_aggregates):
    // a re-sent activity rewrites its row, never adds one. Workers claim rows with a lease
    // (`FOR UPDATE SKIP LOCKED`); a lease that runs out (a killed worker) makes the row claimable again.
    await sql`
        create table writeback_items (
            id text primary key,
            org_id text not null references orgs(id) on delete cascade,
            operation text not null check (operation in ('upsert_event', 'upsert_task', 'create_contact',
                'create_contact_role', 'update_aggregates', 'write_answers')),
            key text not null,
            activity_id text references activities(id) on delete cascade,
            sobject text not null,
            record_id text,
            payload jsonb not null default '{}'::jsonb,
            revision integer not null default 1,
            written_revision integer,
            state text not null check (state in ('pending', 'written', 'parked', 'skipped')),
            reason text,
            attempts integer not null default 0,
            next_attempt_at timestamptz not null default now(),
            lease_owner text,
            lease_until timestamptz,
            last_error jsonb,
            written_at timestamptz,
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now(),
            unique (org_id, operation, key)
        )`.execute(db);
    await sql`create index writeback_items_due on writeback_items (org_id, next_attempt_at) where state = 'pending'`.execute(
        db
    );
    await sql`create index writeback_items_activity on writeback_items (org_id, activity_id)`.execute(db);
    await sql`create index writeback_items_state on writeback_items (org_id, state, updated_at desc)`.execute(db);
    // Aggregates (MATCH-12) count the activities of a record and of its account's contacts and deals.
    await sql`create index activities_who on activities (org_id, who_id)`.execute(db);
    await sql`create index activities_what on activities (org_id, what_id)`.execute(db);
    await sql`create index crm_records_account on crm_records (org_id, (data->>'AccountId')) where object in ('Contact', 'Opportunity')`.execute(
        db
    );
    await sql`
        create table writeback_aggregates (
            org_id text not null references orgs(id) on delete cascade,
            record_id text not null,
            sobject text not null,
            last_activity_at timestamptz,
            email_count integer not null default 0,
            meeting_count integer not null default 0,
            updated_at timestamptz not null default now(),
            primary key (org_id, record_id)
        )`.execute(db);
    await sql`
        create table writeback_settings (
            org_id text primary key references orgs(id) on delete cascade,
            max_daily_api_share double precision not null default 0.5,
            daily_limit integer,
            remaining integer,
            limits_read_at timestamptz,
            budget_day date,
            used_today integer not null default 0,
            last_flush_at timestamptz,
            updated_at timestamptz not null default now()
        )`.execute(db);
}
