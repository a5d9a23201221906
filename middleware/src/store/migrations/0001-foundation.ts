import { sql, type Kysely } from 'kysely';

// Every row belongs to one connected org (tenant): every table carries org_id, and every
// repository query filters on it.
export async function up(db: Kysely<unknown>): Promise<void> {
    await sql`
        create table orgs (
            id text primary key,
            name text not null,
            salesforce_org_id text,
            instance_url text,
            mode text not null default 'manual' check (mode in ('manual', 'automatic')),
            hierarchy_source text not null default 'role' check (hierarchy_source in ('role', 'manager')),
            sync_interval_minutes integer not null default 30 check (sync_interval_minutes between 1 and 30),
            last_sync_at timestamptz,
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now()
        )`.execute(db);
    await sql`
        create table api_keys (
            id text primary key,
            org_id text not null references orgs(id) on delete cascade,
            key_hash text not null unique,
            label text not null,
            created_at timestamptz not null default now(),
            revoked_at timestamptz
        )`.execute(db);
    await sql`
        create table profiles (
            id text primary key,
            org_id text not null references orgs(id) on delete cascade,
            name text not null,
            name_key text not null,
            is_default boolean not null default false,
            activity jsonb not null,
            matching jsonb not null,
            notifications jsonb not null,
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now(),
            unique (org_id, name_key)
        )`.execute(db);
    await sql`create unique index profiles_one_default on profiles (org_id) where is_default`.execute(db);
    await sql`
        create table teams (
            id text primary key,
            org_id text not null references orgs(id) on delete cascade,
            name text not null,
            parent_id text references teams(id) on delete set null,
            kind text not null check (kind in ('hierarchy', 'custom')),
            manager_user_id text,
            salesforce_role_id text,
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now()
        )`.execute(db);
    await sql`create index teams_org on teams (org_id)`.execute(db);
    await sql`create unique index teams_sf_role on teams (org_id, salesforce_role_id) where salesforce_role_id is not null`.execute(
        db
    );
    await sql`
        create table users (
            id text primary key,
            org_id text not null references orgs(id) on delete cascade,
            first_name text not null,
            last_name text not null,
            email text not null,
            email_key text not null,
            job_title text,
            salesforce_user_id text,
            role text not null check (role in ('admin', 'manager', 'member', 'data')),
            licenses jsonb not null default '[]'::jsonb,
            visibility text not null check (visibility in ('full', 'team', 'individual')),
            profile_id text not null references profiles(id),
            team_id text references teams(id) on delete set null,
            status text not null check (status in ('pending', 'onboarding', 'permission_error', 'active', 'suspended')),
            source text not null check (source in ('manual', 'csv', 'role_import', 'automatic')),
            created_at timestamptz not null default now(),
            updated_at timestamptz not null default now(),
            unique (org_id, email_key)
        )`.execute(db);
    await sql`create unique index users_sf_user on users (org_id, salesforce_user_id) where salesforce_user_id is not null`.execute(
        db
    );
    await sql`create index users_profile on users (org_id, profile_id)`.execute(db);
    await sql`create index users_team on users (org_id, team_id)`.execute(db);
    await sql`
        alter table teams add constraint teams_manager_fk
            foreign key (manager_user_id) references users(id) on delete set null`.execute(db);
    await sql`
        create table team_members (
            org_id text not null references orgs(id) on delete cascade,
            team_id text not null references teams(id) on delete cascade,
            user_id text not null references users(id) on delete cascade,
            primary key (team_id, user_id)
        )`.execute(db);
    await sql`create index team_members_user on team_members (org_id, user_id)`.execute(db);
    await sql`
        create table audit_events (
            id text primary key,
            org_id text not null references orgs(id) on delete cascade,
            at timestamptz not null default date_trunc('milliseconds', clock_timestamp()),
            actor text not null,
            entity text not null,
            entity_id text not null,
            action text not null check (action in ('create', 'update', 'delete')),
            before jsonb,
            after jsonb
        )`.execute(db);
    await sql`create index audit_events_lookup on audit_events (org_id, entity, entity_id, at desc)`.execute(db);
}
