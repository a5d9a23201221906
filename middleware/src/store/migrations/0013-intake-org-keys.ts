import { sql, type Kysely } from 'kysely';

// SCALE-3: the two tables every captured activity writes (an activity row and one to three
// outbox rows) no longer check org_id against orgs with a foreign key. Each such check locks the
// org's one row FOR KEY SHARE, once per inserted row; with several batches of an org at once
// PostgreSQL turns those locks into multixacts, and the checks were about a tenth of the
// database's CPU per activity in bench:intake. org_id is still NOT NULL and indexed; the rows
// are written only by services that have read the org, and no endpoint deletes an org (an
// offboarding that does must delete these two tables' rows itself). Every other foreign key
// stays, the cascades from users and activities included.
export async function up(db: Kysely<unknown>): Promise<void> {
    await sql`alter table activities drop constraint if exists activities_org_id_fkey`.execute(db);
    await sql`alter table writeback_items drop constraint if exists writeback_items_org_id_fkey`.execute(db);
}
