import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { newId } from './ids';
import { json, type Database, type OrgTable } from './schema';
import { defaultProfileSections, DEFAULT_PROFILE_NAME } from '../domain/profile-defaults';

export type Org = Selectable<OrgTable>;

export function hashApiKey(key: string): string {
    return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random API key (shown once; only its hash is stored). */
export function generateApiKey(): string {
    return `bsk_${randomBytes(24).toString('base64url')}`;
}

/**
 * Create an org (tenant) with its `Default - Intake Off` profile (CP-9), which every org has
 * from its first moment.
 */
export async function createOrg(db: Kysely<Database>, input: { id?: string; name: string }): Promise<Org> {
    return db.transaction().execute(async (trx) => {
        const org = await trx
            .insertInto('orgs')
            .values({ id: input.id ?? newId('org'), name: input.name })
            .returningAll()
            .executeTakeFirstOrThrow();
        const sections = defaultProfileSections();
        await trx
            .insertInto('profiles')
            .values({
                id: newId('prf'),
                org_id: org.id,
                name: DEFAULT_PROFILE_NAME,
                name_key: DEFAULT_PROFILE_NAME.toLowerCase(),
                is_default: true,
                activity: json(sections.activity),
                matching: json(sections.matching),
                notifications: json(sections.notifications)
            })
            .execute();
        return org;
    });
}

/** What a key list shows of a key (TEN-3): enough to tell keys apart, never enough to use one. */
export function apiKeyPrefix(key: string): string {
    return key.startsWith('bsk_') ? key.slice(0, 8) : key.slice(0, 4);
}

export async function addApiKey(
    db: Kysely<Database>,
    orgId: string,
    key: string,
    label: string
): Promise<{ id: string }> {
    const id = newId('key');
    await db
        .insertInto('api_keys')
        .values({ id, org_id: orgId, key_hash: hashApiKey(key), label, prefix: apiKeyPrefix(key) })
        .onConflict((oc) => oc.column('key_hash').doNothing())
        .execute();
    return { id };
}

/**
 * Find the org a key belongs to. The key is hashed first, so the lookup never sees it; the
 * stored hash is then compared in constant time (SEC-1).
 */
export async function findOrgByApiKey(
    db: Kysely<Database>,
    key: string
): Promise<{ orgId: string; keyId: string } | null> {
    const hash = hashApiKey(key);
    const row = await db
        .selectFrom('api_keys')
        .select(['id', 'org_id', 'key_hash', 'last_used_at'])
        .where('key_hash', '=', hash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
    if (!row) return null;
    const a = Buffer.from(row.key_hash, 'hex');
    const b = Buffer.from(hash, 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
    // TEN-3 "last used", to the minute: one write a minute per key, not one per call.
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
        await db
            .updateTable('api_keys')
            .set({ last_used_at: sql`now()` })
            .where('id', '=', row.id)
            .where('revoked_at', 'is', null)
            .execute();
    }
    return { orgId: row.org_id, keyId: row.id };
}

/**
 * The start-up key (`BACKSTORY_API_KEY`) acts as an admin of the local org. Idempotent: the
 * org and key are created on first start only.
 */
export async function ensureLocalOrg(db: Kysely<Database>, apiKey: string, name = 'Local org'): Promise<Org> {
    const existing = await findOrgByApiKey(db, apiKey);
    if (existing) {
        await db
            .updateTable('api_keys')
            .set({ prefix: apiKeyPrefix(apiKey) })
            .where('id', '=', existing.keyId)
            .where('prefix', 'is', null)
            .execute();
        return db.selectFrom('orgs').selectAll().where('id', '=', existing.orgId).executeTakeFirstOrThrow();
    }
    const first = await db.selectFrom('orgs').selectAll().orderBy('created_at').executeTakeFirst();
    const org = first ?? (await createOrg(db, { name }));
    await addApiKey(db, org.id, apiKey, 'BACKSTORY_API_KEY');
    return org;
}

/** Every org's id. */
export async function listOrgIds(db: Kysely<Database>): Promise<string[]> {
    return (await db.selectFrom('orgs').select('id').execute()).map((o) => o.id);
}

/** The org, or undefined when it no longer exists (a job queued before it was removed). */
export async function findOrg(db: Kysely<Database>, orgId: string): Promise<Org | undefined> {
    return db.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirst();
}

export async function getOrg(db: Kysely<Database>, orgId: string): Promise<Org> {
    return db.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
}
