import { sql, type Kysely } from 'kysely';

// User Settings Rules (USR-1..7): one row per rule, in order; the catch-all is the last row.
export async function up(db: Kysely<unknown>): Promise<void> {
    await sql`
        create table user_settings_rules (
            id text primary key,
            org_id text not null references orgs(id) on delete cascade,
            position integer not null,
            name text not null,
            description text not null default '',
            is_catch_all boolean not null default false,
            filters jsonb not null,
            assignments jsonb not null,
            unique (org_id, position)
        )`.execute(db);
    await sql`create unique index user_settings_rules_one_catch_all on user_settings_rules (org_id) where is_catch_all`.execute(
        db
    );
}
