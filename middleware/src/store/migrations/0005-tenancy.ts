import { sql, type Kysely } from 'kysely';

// Tenancy (TEN-1..4): API keys show a prefix and when they were last used; each org's own
// Salesforce connection (secrets encrypted at rest, never in clear); single-use OAuth states.
export async function up(db: Kysely<unknown>): Promise<void> {
    await sql`alter table api_keys add column prefix text`.execute(db);
    await sql`alter table api_keys add column last_used_at timestamptz`.execute(db);
    await sql`create index api_keys_org on api_keys (org_id, created_at)`.execute(db);
    await sql`
        create table salesforce_connections (
            org_id text primary key references orgs(id) on delete cascade,
            method text not null check (method in ('oauth', 'jwt', 'password')),
            status text not null check (status in ('connected', 'error')),
            login_url text not null,
            instance_url text,
            client_id text not null,
            salesforce_org_id text,
            salesforce_user_id text,
            username text,
            secret_ciphertext text not null,
            connected_at timestamptz not null default now(),
            last_error text,
            error_at timestamptz,
            updated_at timestamptz not null default now()
        )`.execute(db);
    await sql`
        create table oauth_states (
            state_hash text primary key,
            org_id text not null references orgs(id) on delete cascade,
            login_url text not null,
            redirect_uri text not null,
            return_url text,
            verifier_ciphertext text not null,
            actor text not null,
            expires_at timestamptz not null
        )`.execute(db);
    await sql`create index oauth_states_org on oauth_states (org_id)`.execute(db);
}
