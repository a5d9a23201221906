import { sql, type Kysely } from 'kysely';

// The CRM replica (MATCH-2), its pull state per object (PERM-5), and captured activities with
// their stored match (MATCH-1, MATCH-5).
export async function up(db: Kysely<unknown>): Promise<void> {
    // One table for every replicated object: the record as pulled (the fields the manifest
    // selects and the integration user can read), keyed by org, object and Salesforce id.
    await sql`
        create table crm_records (
            org_id text not null references orgs(id) on delete cascade,
            object text not null,
            id text not null,
            data jsonb not null,
            system_modstamp timestamptz,
            pulled_at timestamptz not null default now(),
            primary key (org_id, object, id)
        )`.execute(db);
    await sql`
        create table crm_pull_state (
            org_id text not null references orgs(id) on delete cascade,
            object text not null,
            state text not null check (state in ('pending', 'ok', 'blocked', 'error')),
            watermark text,
            boundary_ids jsonb not null default '[]'::jsonb,
            fields jsonb not null default '[]'::jsonb,
            missing_required_fields jsonb not null default '[]'::jsonb,
            skipped_recommended_fields jsonb not null default '[]'::jsonb,
            last_mode text,
            last_pulled integer not null default 0,
            last_deleted integer not null default 0,
            last_error text,
            last_pull_at timestamptz,
            primary key (org_id, object)
        )`.execute(db);
    // Bumped by every pull that changed the replica: processes holding an in-memory index of the
    // org compare it to know whether theirs is current.
    await sql`
        create table crm_replicas (
            org_id text primary key references orgs(id) on delete cascade,
            version bigint not null default 0,
            updated_at timestamptz not null default now()
        )`.execute(db);
    await sql`
        create table activities (
            id text primary key,
            org_id text not null references orgs(id) on delete cascade,
            external_id text not null,
            type text not null check (type in ('email', 'meeting')),
            source text not null check (source in ('api', 'eml', 'ics')),
            owner_user_id text not null references users(id) on delete cascade,
            owner_email text not null,
            subject text not null,
            body text,
            starts_at timestamptz not null,
            ends_at timestamptz,
            participants jsonb not null,
            transcript text,
            match jsonb,
            who_id text,
            who_type text,
            what_id text,
            what_type text,
            matched_at timestamptz,
            match_revision integer not null default 0,
            synced_revision integer,
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now(),
            unique (org_id, external_id)
        )`.execute(db);
    await sql`create index activities_owner on activities (org_id, owner_user_id, starts_at desc)`.execute(db);
    // The write-back outbox (MATCH-6) picks up matches not yet written at this revision.
    await sql`create index activities_unsynced on activities (org_id, updated_at) where synced_revision is distinct from match_revision`.execute(
        db
    );
}
