import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Profile, ProfileSections } from '../domain/profile';
import { newId } from './ids';
import { json, type Database, type ProfileTable } from './schema';

type Db = Kysely<Database> | Transaction<Database>;

export function toProfile(row: Selectable<ProfileTable>, userCount: number): Profile {
    return {
        id: row.id,
        name: row.name,
        isDefault: row.is_default,
        userCount,
        activity: row.activity as Profile['activity'],
        matching: row.matching as Profile['matching'],
        notifications: row.notifications as Profile['notifications']
    };
}

async function userCounts(db: Db, orgId: string, profileIds?: string[]): Promise<Map<string, number>> {
    let q = db
        .selectFrom('users')
        .select(['profile_id', sql<number>`count(*)`.as('n')])
        .where('org_id', '=', orgId);
    if (profileIds) q = q.where('profile_id', 'in', profileIds.length ? profileIds : ['']);
    const rows = await q.groupBy('profile_id').execute();
    return new Map(rows.map((r) => [r.profile_id, Number(r.n)]));
}

export async function listProfiles(db: Db, orgId: string): Promise<Profile[]> {
    const rows = await db
        .selectFrom('profiles')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('is_default', 'desc')
        .orderBy('name_key')
        .execute();
    const counts = await userCounts(db, orgId);
    return rows.map((r) => toProfile(r, counts.get(r.id) ?? 0));
}

export async function getProfile(db: Db, orgId: string, id: string): Promise<Profile | null> {
    const row = await db
        .selectFrom('profiles')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
    if (!row) return null;
    return toProfile(row, (await userCounts(db, orgId, [id])).get(id) ?? 0);
}

export async function findProfileByName(
    db: Db,
    orgId: string,
    name: string
): Promise<Selectable<ProfileTable> | undefined> {
    return db
        .selectFrom('profiles')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('name_key', '=', name.trim().toLowerCase())
        .executeTakeFirst();
}

export async function defaultProfileId(db: Db, orgId: string): Promise<string> {
    const row = await db
        .selectFrom('profiles')
        .select('id')
        .where('org_id', '=', orgId)
        .where('is_default', '=', true)
        .executeTakeFirstOrThrow();
    return row.id;
}

export async function insertProfile(db: Db, orgId: string, name: string, sections: ProfileSections): Promise<string> {
    const id = newId('prf');
    await db
        .insertInto('profiles')
        .values({
            id,
            org_id: orgId,
            name: name.trim(),
            name_key: name.trim().toLowerCase(),
            activity: json(sections.activity),
            matching: json(sections.matching),
            notifications: json(sections.notifications)
        })
        .execute();
    return id;
}

export async function updateProfile(
    db: Db,
    orgId: string,
    id: string,
    change: { name?: string } & Partial<ProfileSections>
): Promise<void> {
    await db
        .updateTable('profiles')
        .set({
            ...(change.name !== undefined
                ? { name: change.name.trim(), name_key: change.name.trim().toLowerCase() }
                : {}),
            ...(change.activity ? { activity: json(change.activity) } : {}),
            ...(change.matching ? { matching: json(change.matching) } : {}),
            ...(change.notifications ? { notifications: json(change.notifications) } : {}),
            updated_at: new Date()
        })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .execute();
}

export async function deleteProfile(db: Db, orgId: string, id: string): Promise<void> {
    await db.deleteFrom('profiles').where('org_id', '=', orgId).where('id', '=', id).execute();
}

export async function profileIdsExist(db: Db, orgId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db
        .selectFrom('profiles')
        .select('id')
        .where('org_id', '=', orgId)
        .where('id', 'in', ids)
        .execute();
    return new Set(rows.map((r) => r.id));
}
