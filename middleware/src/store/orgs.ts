import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
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

export async function addApiKey(db: Kysely<Database>, orgId: string, key: string, label: string): Promise<void> {
    await db
        .insertInto('api_keys')
        .values({ id: newId('key'), org_id: orgId, key_hash: hashApiKey(key), label })
        .onConflict((oc) => oc.column('key_hash').doNothing())
        .execute();
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
        .select(['id', 'org_id', 'key_hash'])
        .where('key_hash', '=', hash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
    if (!row) return null;
    const a = Buffer.from(row.key_hash, 'hex');
    const b = Buffer.from(hash, 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
    return { orgId: row.org_id, keyId: row.id };
}

/**
 * The start-up key (`BACKSTORY_API_KEY`) acts as an admin of the local org. Idempotent: the
 * org and key are created on first start only.
 */
export async function ensureLocalOrg(db: Kysely<Database>, apiKey: string, name = 'Local org'): Promise<Org> {
    const existing = await findOrgByApiKey(db, apiKey);
    if (existing) {
        return db.selectFrom('orgs').selectAll().where('id', '=', existing.orgId).executeTakeFirstOrThrow();
    }
    const first = await db.selectFrom('orgs').selectAll().orderBy('created_at').executeTakeFirst();
    const org = first ?? (await createOrg(db, { name }));
    await addApiKey(db, org.id, apiKey, 'BACKSTORY_API_KEY');
    return org;
}

export async function getOrg(db: Kysely<Database>, orgId: string): Promise<Org> {
    return db.selectFrom('orgs').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow();
}
