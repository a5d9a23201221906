import { sql, type Kysely } from 'kysely';

// Users and Teams (UT-1..UT-15): suspension bookkeeping on users, a stable key per synced team,
// the sync watermarks per org, a mirror of the org's Salesforce users and roles (the automatic
// sync is incremental by SystemModstamp, yet rebuilds the hierarchy from the whole picture), and
// one row per sync run.
export async function up(db: Kysely<unknown>): Promise<void> {
    await sql`
        alter table users
            add column status_reason text
                check (status_reason in ('manual', 'salesforce_deactivated', 'salesforce_license_changed')),
            add column suspended_from text
                check (suspended_from in ('pending', 'onboarding', 'permission_error', 'active')),
            add column salesforce_license text`.execute(db);
    await sql`alter table teams add column sync_key text`.execute(db);
    await sql`create unique index teams_sync_key on teams (org_id, sync_key) where sync_key is not null`.execute(db);
    await sql`
        alter table orgs
            add column user_sync_watermark text,
            add column role_sync_watermark text`.execute(db);
    await sql`
        create table sf_users (
            org_id text not null references orgs(id) on delete cascade,
            id text not null,
            username text not null,
            first_name text,
            last_name text not null,
            email text not null,
            title text,
            is_active boolean not null,
            user_type text,
            user_role_id text,
            manager_id text,
            license_name text,
            system_modstamp text not null,
            primary key (org_id, id)
        )`.execute(db);
    await sql`
        create table sf_roles (
            org_id text not null references orgs(id) on delete cascade,
            id text not null,
            name text not null,
            parent_role_id text,
            system_modstamp text not null,
            primary key (org_id, id)
        )`.execute(db);
    await sql`
        create table user_sync_runs (
            id text primary key,
            org_id text not null references orgs(id) on delete cascade,
            trigger text not null check (trigger in ('schedule', 'on_demand', 'enable')),
            started_at timestamptz not null default now(),
            finished_at timestamptz,
            status text not null check (status in ('running', 'ok', 'error')),
            users_fetched integer not null default 0,
            roles_fetched integer not null default 0,
            created integer not null default 0,
            updated integer not null default 0,
            suspended integer not null default 0,
            moved_to_top_level integer not null default 0,
            error text
        )`.execute(db);
    await sql`create index user_sync_runs_org on user_sync_runs (org_id, started_at desc)`.execute(db);
}
