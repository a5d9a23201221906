import type { Kysely, Transaction } from 'kysely';
import type { RuleAssignments, RuleFilter, UserSettingsRule } from '../domain/user-settings-rules';
import { newId } from './ids';
import { defaultProfileId } from './profiles';
import { json, type Database } from './schema';

type Db = Kysely<Database> | Transaction<Database>;

export const CATCH_ALL_NAME = 'Catch-all';

/** The org's rules in order; the catch-all (USR-7) is created on first read with the recommended assignments. */
export async function listRules(db: Kysely<Database>, orgId: string): Promise<UserSettingsRule[]> {
    const existing = await readRules(db, orgId);
    if (existing.some((r) => r.isCatchAll)) return existing;
    return db.transaction().execute(async (trx) => {
        const again = await readRules(trx, orgId);
        if (again.some((r) => r.isCatchAll)) return again;
        const assignments: RuleAssignments = {
            profileId: await defaultProfileId(trx, orgId),
            role: 'member',
            visibility: 'full',
            licenses: ['foundation', 'engagement_dashboard']
        };
        await trx
            .insertInto('user_settings_rules')
            .values({
                id: newId('usr'),
                org_id: orgId,
                position: again.length,
                name: CATCH_ALL_NAME,
                description: 'Applied when no other rule matches a new user.',
                is_catch_all: true,
                filters: json([]),
                assignments: json(assignments)
            })
            .onConflict((oc) => oc.doNothing())
            .execute();
        return readRules(trx, orgId);
    });
}

export async function readRules(db: Db, orgId: string): Promise<UserSettingsRule[]> {
    const rows = await db
        .selectFrom('user_settings_rules')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('position')
        .execute();
    return rows.map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        isCatchAll: r.is_catch_all,
        filters: r.filters as RuleFilter[],
        assignments: r.assignments as RuleAssignments
    }));
}

/** Replace the whole ordered list (USR-6) inside the caller's transaction. */
export async function replaceRules(
    trx: Transaction<Database>,
    orgId: string,
    rules: UserSettingsRule[]
): Promise<void> {
    await trx.deleteFrom('user_settings_rules').where('org_id', '=', orgId).execute();
    if (rules.length === 0) return;
    await trx
        .insertInto('user_settings_rules')
        .values(
            rules.map((r, position) => ({
                id: r.id,
                org_id: orgId,
                position,
                name: r.name,
                description: r.description,
                is_catch_all: r.isCatchAll,
                filters: json(r.filters),
                assignments: json(r.assignments)
            }))
        )
        .execute();
}
