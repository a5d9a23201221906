import { z } from 'zod';
import type { Kysely } from 'kysely';
import { conflict, invalid, invalidMany, notFound } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';
import { checkFieldReferences, listFieldReferences } from '../domain/field-references';
import { defaultProfileSections } from '../domain/profile-defaults';
import {
    activitySettings,
    matchingSettings,
    notificationSettings,
    type MatchingSettings,
    type NotificationSettings,
    type Profile,
    type ProfileSections
} from '../domain/profile';
import { describeCatalog } from '../salesforce/describe';
import { salesforceError } from '../salesforce/connection';
import { recordAudit } from '../store/audit';
import { newId } from '../store/ids';
import { readRules } from '../store/rules';
import {
    deleteProfile,
    findProfileByName,
    getProfile,
    insertProfile,
    listProfiles,
    updateProfile
} from '../store/profiles';
import type { Database } from '../store/schema';
import type { Caller } from './caller';
import type { ServiceDeps } from './deps';

export interface ProfileChanges {
    name?: string | undefined;
    activity?: z.infer<typeof activitySettings> | undefined;
    matching?: z.infer<typeof matchingSettings> | undefined;
    notifications?: z.infer<typeof notificationSettings> | undefined;
}

export interface NewProfileInput extends ProfileChanges {
    name: string;
    copyFrom?: string | undefined;
}

/** Configuration profiles (CP-1..CP-9): list, create, copy, edit, delete; each change audited. */

type Sections = Partial<ProfileSections>;

/** Give new eligibility groups, ranking groups and questions their ids. */
function withIds(given: Sections): Sections {
    const sections = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Sections;
    const out: Sections = { ...sections };
    if (sections.matching) {
        const m = sections.matching;
        out.matching = {
            ...m,
            eligibility: Object.fromEntries(
                Object.entries(m.eligibility).map(([type, e]) => [
                    type,
                    { mode: e.mode, groups: e.groups.map((g) => ({ ...g, id: g.id ?? newId('elg') })) }
                ])
            ) as MatchingSettings['eligibility'],
            rankingGroups: m.rankingGroups.map((g) => ({
                ...g,
                id: g.id ?? newId('rnk')
            })) as MatchingSettings['rankingGroups']
        };
    }
    if (sections.notifications) {
        out.notifications = {
            ...sections.notifications,
            followUpQuestions: sections.notifications.followUpQuestions.map((q) => ({ ...q, id: q.id ?? newId('fuq') }))
        } as NotificationSettings;
    }
    return out;
}

const sectionsOf = (p: Profile): ProfileSections => ({
    activity: p.activity,
    matching: p.matching,
    notifications: p.notifications
});

/**
 * CP-5..CP-7: field references are checked against the connected org's describe, as the
 * integration user, on every save that names fields (so a field removed from the org since is
 * reported too). Without a connected org nothing can be checked: a save that names a field the
 * profile (or the profile it is copied from) did not already reference in the same way is refused
 * with 409; settings that name no new field — the toggles, the minimum score, a reordering — can
 * still be saved.
 */
async function validateFields(
    deps: ServiceDeps,
    orgId: string,
    sections: Sections,
    stored: ProfileSections | null
): Promise<void> {
    const refs = listFieldReferences(sections);
    if (refs.length === 0) return;
    if (!(await deps.salesforce.isConnected(orgId))) {
        const known = new Set(stored ? listFieldReferences(stored).map((r) => r.key) : []);
        const fresh = refs.filter((r) => !known.has(r.key));
        if (fresh.length === 0) return;
        throw conflict(
            'No Salesforce org is connected, so the fields these settings name cannot be checked against its describe: connect the org first (settings that name no new field can still be saved)',
            fresh.map((r) => ({ path: r.path, message: 'cannot be checked without a connected Salesforce org' }))
        );
    }
    let problems;
    try {
        problems = await checkFieldReferences(
            sections,
            describeCatalog(() => deps.salesforce.connection(orgId))
        );
    } catch (error) {
        throw salesforceError(error, 'Checking field references failed');
    }
    if (problems.length > 0) throw invalidMany(problems);
}

async function mustGet(db: Kysely<Database>, orgId: string, id: string): Promise<Profile> {
    const p = await getProfile(db, orgId, id);
    if (!p) throw notFound('Profile', id);
    return p;
}

const snapshot = ({ userCount: _userCount, ...rest }: Profile) => rest;

/** Profiles with their user counts, by name. */
export async function listProfilesPage(
    deps: ServiceDeps,
    caller: Caller,
    query: { limit: number; cursor?: string | undefined }
) {
    const db = deps.store.db;
    const all = await listProfiles(db, caller.orgId);
    const start = decodeCursor(query.cursor, z.object({ offset: z.number().int().min(0) }))?.offset ?? 0;
    const items = all.slice(start, start + query.limit);
    return {
        items,
        nextCursor: start + query.limit < all.length ? encodeCursor({ offset: start + query.limit }) : null
    };
}

/** Create a profile, optionally copying another (CP-3); field references checked (CP-5..CP-7). */
export async function createProfile(deps: ServiceDeps, caller: Caller, body: NewProfileInput) {
    const db = deps.store.db;
    if (await findProfileByName(db, caller.orgId, body.name))
        throw conflict(`name: a profile named "${body.name}" already exists (names are unique, case-insensitively)`, [
            { path: 'name', message: 'is already taken' }
        ]);
    let base: ProfileSections = defaultProfileSections();
    let copied: ProfileSections | null = null;
    if (body.copyFrom) {
        const source = await getProfile(db, caller.orgId, body.copyFrom);
        if (!source) throw invalid('copyFrom', `no profile ${body.copyFrom} in this org`);
        base = copied = sectionsOf(source);
    }
    const given = withIds({
        activity: body.activity,
        matching: body.matching as MatchingSettings | undefined,
        notifications: body.notifications as NotificationSettings | undefined
    });
    await validateFields(deps, caller.orgId, given, copied);
    const sections = { ...base, ...given } as ProfileSections;
    const id = await db
        .transaction()
        .execute(async (trx) => {
            const newIdValue = await insertProfile(trx, caller.orgId, body.name, sections);
            const created = await getProfile(trx, caller.orgId, newIdValue);
            await recordAudit(trx, {
                orgId: caller.orgId,
                actor: caller.actor,
                entity: 'profile',
                entityId: newIdValue,
                action: 'create',
                before: null,
                after: created && snapshot(created)
            });
            return newIdValue;
        })
        .catch((error: unknown) => {
            if (String((error as { code?: string }).code) === '23505')
                throw conflict(`name: a profile named "${body.name}" already exists`, [
                    { path: 'name', message: 'is already taken' }
                ]);
            throw error;
        });
    return mustGet(db, caller.orgId, id);
}

/** One profile. */
export async function getProfileById(deps: ServiceDeps, caller: Caller, id: string) {
    const db = deps.store.db;
    return mustGet(db, caller.orgId, id);
}

/** Edit a profile (CP-2..CP-7). */
export async function updateProfileById(deps: ServiceDeps, caller: Caller, id: string, body: ProfileChanges) {
    const db = deps.store.db;
    const before = await mustGet(db, caller.orgId, id);
    if (body.name !== undefined && body.name.trim().toLowerCase() !== before.name.toLowerCase()) {
        if (before.isDefault)
            throw conflict(`name: the default profile "${before.name}" cannot be renamed`, [
                { path: 'name', message: 'cannot be changed on the default profile' }
            ]);
        if (await findProfileByName(db, caller.orgId, body.name))
            throw conflict(`name: a profile named "${body.name}" already exists`, [
                { path: 'name', message: 'is already taken' }
            ]);
    }
    // CP-9: the default profile blocks all collection and syncing, so its activity
    // toggles stay off (its matching and notification settings may be edited).
    if (before.isDefault && body.activity) {
        const on = Object.entries(body.activity).filter(([, v]) => v);
        if (on.length > 0)
            throw conflict(
                `"${before.name}" blocks all collection and syncing (CP-9): its activity toggles stay off. Create a profile (copyFrom this one) and assign users to it instead.`,
                on.map(([k]) => ({
                    path: `activity.${k}`,
                    message: 'must stay off on the default profile'
                }))
            );
    }
    const given = withIds({
        activity: body.activity,
        matching: body.matching as MatchingSettings | undefined,
        notifications: body.notifications as NotificationSettings | undefined
    });
    await validateFields(deps, caller.orgId, given, sectionsOf(before));
    await db
        .transaction()
        .execute(async (trx) => {
            await updateProfile(trx, caller.orgId, id, {
                ...(body.name !== undefined ? { name: body.name } : {}),
                ...given
            });
            const after = await getProfile(trx, caller.orgId, id);
            await recordAudit(trx, {
                orgId: caller.orgId,
                actor: caller.actor,
                entity: 'profile',
                entityId: id,
                action: 'update',
                before: snapshot(before),
                after: after && snapshot(after)
            });
        })
        .catch((error: unknown) => {
            // Another request took the name since the check above (name_key is unique per org).
            if (String((error as { code?: string }).code) === '23505')
                throw conflict(`name: a profile named "${body.name ?? ''}" already exists`, [
                    { path: 'name', message: 'is already taken' }
                ]);
            throw error;
        });
    return mustGet(db, caller.orgId, id);
}

/** Delete a profile that no user or rule uses (CP-9). */
export async function deleteProfileById(deps: ServiceDeps, caller: Caller, id: string) {
    const db = deps.store.db;
    await db.transaction().execute(async (trx) => {
        const before = await getProfile(trx, caller.orgId, id);
        if (!before) throw notFound('Profile', id);
        if (before.isDefault)
            throw conflict(`"${before.name}" is the default profile: it always exists and cannot be deleted (CP-9)`);
        if (before.userCount > 0) {
            throw conflict(
                `${before.userCount} user${before.userCount === 1 ? ' is' : 's are'} still assigned to "${before.name}": reassign ${before.userCount === 1 ? 'that user' : `those ${before.userCount} users`} to another profile first (CP-10)`
            );
        }
        // A rule that assigns the profile to new users would point at nothing (USR-4).
        const assigning = (await readRules(trx, caller.orgId)).filter((r) => r.assignments.profileId === id);
        if (assigning.length > 0) {
            throw conflict(
                `"${before.name}" is assigned by User Settings Rule${assigning.length === 1 ? '' : 's'} ${assigning.map((r) => `"${r.name}"`).join(', ')}: assign another profile in ${assigning.length === 1 ? 'that rule' : 'those rules'} first`
            );
        }
        await deleteProfile(trx, caller.orgId, id).catch((error: unknown) => {
            // A user assigned to the profile since the count above (users.profile_id references it).
            if (String((error as { code?: string }).code) === '23503')
                throw conflict(
                    `Users are still assigned to "${before.name}": reassign them to another profile first (CP-10)`
                );
            throw error;
        });
        await recordAudit(trx, {
            orgId: caller.orgId,
            actor: caller.actor,
            entity: 'profile',
            entityId: id,
            action: 'delete',
            before: snapshot(before),
            after: null
        });
    });
    return undefined;
}
