import { sql, type Kysely, type Selectable } from 'kysely';
import type { ApiKeyTable, Database } from './schema';

export type ApiKeyRow = Omit<Selectable<ApiKeyTable>, 'key_hash'>;

/** An org's keys, oldest first (hashes stay in the store). */
export async function listApiKeys(db: Kysely<Database>, orgId: string): Promise<ApiKeyRow[]> {
    return db
        .selectFrom('api_keys')
        .select(['id', 'org_id', 'label', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
        .where('org_id', '=', orgId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
}

export type RevokeOutcome = 'revoked' | 'not_found' | 'last_active';

/**
 * Revoke one key (TEN-3). An org always keeps one active key: revoking the last one is refused.
 * The org row is locked first, so two revocations at once cannot both pass the check.
 */
export async function revokeApiKey(db: Kysely<Database>, orgId: string, keyId: string): Promise<RevokeOutcome> {
    return db.transaction().execute(async (trx) => {
        await trx.selectFrom('orgs').select('id').where('id', '=', orgId).forUpdate().executeTakeFirst();
        const key = await trx
            .selectFrom('api_keys')
            .select(['id', 'revoked_at'])
            .where('org_id', '=', orgId)
            .where('id', '=', keyId)
            .executeTakeFirst();
        if (!key || key.revoked_at) return 'not_found';
        const { active } = await trx
            .selectFrom('api_keys')
            .select((eb) => eb.fn.countAll<number>().as('active'))
            .where('org_id', '=', orgId)
            .where('revoked_at', 'is', null)
            .executeTakeFirstOrThrow();
        if (Number(active) <= 1) return 'last_active';
        await trx
            .updateTable('api_keys')
            .set({ revoked_at: sql`now()` })
            .where('id', '=', keyId)
            .where('org_id', '=', orgId)
            .execute();
        return 'revoked';
    });
}
