import type { Transaction } from 'kysely';
import { z } from 'zod';
import { canSee } from '../domain/visibility';
import {
    normalizeLicenses,
    readOnlyFieldsInAutomaticMode,
    toSalesforceId18,
    USER_DEFAULTS,
    type LicenseValue,
    type ProcessingStatus
} from '../domain/users';
import { initialStatus } from '../domain/user-lifecycle';
import { conflict, invalid, invalidMany, notFound, type ErrorDetail } from '../errors';
import { recordAudit } from '../store/audit';
import type { Db } from '../store/db';
import { getOrg } from '../store/orgs';
import { defaultProfileId, profileIdsExist } from '../store/profiles';
import type { Database, UserRole, UserStatus, Visibility } from '../store/schema';
import {
    countUsers,
    customTeamsOf,
    deleteUser,
    ensureUnassignedTeam,
    findUserByEmail,
    getUser,
    getUserRow,
    insertUsers,
    listUsers,
    recordAuditMany,
    setUserCustomTeams,
    toUserDto,
    updateUser,
    type UserDto,
    type UserPatch
} from '../store/users';
import type { Caller } from './caller';
import { decodeCursor, encodeCursor } from './cursor';
import type { ServiceDeps } from './deps';
import { applyLifecycleEvent, linkedUserActive } from './user-lifecycle';
import { scopeOf } from './visibility';

/**
 * Users (UT-6..UT-15): list, count, add, edit, delete, suspend, reactivate, assign profiles.
 * Each call owns its transaction and its audit record; rules come from domain/.
 */

export interface UserFilter {
    teamId?: string | undefined;
    profileId?: string | undefined;
    q?: string | undefined;
}

export interface UserListQuery extends UserFilter {
    status?: UserStatus | undefined;
    limit: number;
    cursor?: string | undefined;
}

export interface NewUserInput {
    firstName: string;
    lastName: string;
    email: string;
    jobTitle?: string | null | undefined;
    salesforceUserId?: string | null | undefined;
    role?: UserRole | undefined;
    licenses?: string[] | undefined;
    visibility?: Visibility | undefined;
    profileId?: string | undefined;
    teamId?: string | null | undefined;
    customTeamIds?: string[] | undefined;
}

export interface UserChanges extends Partial<NewUserInput> {
    status?: ProcessingStatus | undefined;
}

/** Profile, hierarchy team and custom teams a user refers to: each unknown one named. */
export async function checkUserRefs(
    db: Db,
    orgId: string,
    refs: { profileId?: string | undefined; teamId?: string | null | undefined; customTeamIds?: string[] | undefined }
): Promise<ErrorDetail[]> {
    const details: ErrorDetail[] = [];
    if (refs.profileId !== undefined && !(await profileIdsExist(db, orgId, [refs.profileId])).has(refs.profileId))
        details.push({ path: 'profileId', message: `no profile ${refs.profileId} in this org` });
    const teamIds = [...(refs.teamId ? [refs.teamId] : []), ...(refs.customTeamIds ?? [])];
    if (teamIds.length > 0) {
        const rows = await db
            .selectFrom('teams')
            .select(['id', 'kind'])
            .where('org_id', '=', orgId)
            .where('id', 'in', teamIds)
            .execute();
        const kinds = new Map(rows.map((r) => [r.id, r.kind]));
        if (refs.teamId) {
            const kind = kinds.get(refs.teamId);
            if (!kind) details.push({ path: 'teamId', message: `no team ${refs.teamId} in this org` });
            else if (kind !== 'hierarchy')
                details.push({
                    path: 'teamId',
                    message: 'is a custom team: put custom teams in customTeamIds (teamId is the hierarchy team)'
                });
        }
        (refs.customTeamIds ?? []).forEach((id, i) => {
            const kind = kinds.get(id);
            if (!kind) details.push({ path: `customTeamIds.${i}`, message: `no team ${id} in this org` });
            else if (kind !== 'custom')
                details.push({ path: `customTeamIds.${i}`, message: 'is a hierarchy team: use teamId for it' });
        });
        const dup = (refs.customTeamIds ?? []).findIndex((id, i, all) => all.indexOf(id) !== i);
        if (dup >= 0) details.push({ path: `customTeamIds.${dup}`, message: 'appears twice' });
    }
    return details;
}

/** Change a user's status fields and record the before and after in the audit trail (UT-9). */
async function setStatusAudited(
    trx: Transaction<Database>,
    caller: Caller,
    userId: string,
    patch: Pick<UserPatch, 'status' | 'status_reason' | 'suspended_from'>
): Promise<void> {
    const before = await getUser(trx, caller.orgId, userId);
    await updateUser(trx, caller.orgId, userId, patch);
    await recordAudit(trx, {
        orgId: caller.orgId,
        actor: caller.actor,
        entity: 'user',
        entityId: userId,
        action: 'update',
        before,
        after: await getUser(trx, caller.orgId, userId)
    });
}

/** 23505 on users: the email (UT-7) or the Salesforce user is taken. */
export function uniqueViolation(error: unknown, email: string, salesforceUserId?: string | null): never {
    const e = error as { code?: string; constraint?: string; message?: string; detail?: string };
    if (String(e.code) === '23505') {
        const text = `${e.constraint ?? ''} ${e.message ?? ''} ${e.detail ?? ''}`;
        if (/sf_user|salesforce_user_id/.test(text))
            throw conflict(
                `salesforceUserId: Salesforce user ${salesforceUserId ?? ''} is already linked to another user`,
                [{ path: 'salesforceUserId', message: 'is already linked to another user' }]
            );
        throw conflict(`email: a user with the email ${email} already exists in this org (emails are unique)`, [
            { path: 'email', message: 'is already taken' }
        ]);
    }
    throw error;
}

/** One user the caller may see (404 otherwise: the caller learns nothing of who exists). */
export async function getVisibleUser(deps: ServiceDeps, caller: Caller, id: string): Promise<UserDto> {
    const db = deps.store.db;
    const user = await getUser(db, caller.orgId, id);
    if (!user || !canSee((await scopeOf(db, caller)).owners, id)) throw notFound('User', id);
    return user;
}

/** Users by last name, filtered; members and managers see only what their visibility allows (UT-12). */
export async function listVisibleUsers(deps: ServiceDeps, caller: Caller, query: UserListQuery) {
    const db = deps.store.db;
    const after = decodeCursor(query.cursor, z.object({ last: z.string(), first: z.string(), id: z.string() }));
    const page = await listUsers(
        db,
        caller.orgId,
        {
            status: query.status,
            teamId: query.teamId,
            profileId: query.profileId,
            q: query.q,
            visible: (await scopeOf(db, caller)).owners
        },
        { limit: query.limit, after }
    );
    return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
}

/** Live counts by status (UT-13) over exactly the users listVisibleUsers returns. */
export async function userStats(deps: ServiceDeps, caller: Caller, query: UserFilter) {
    const db = deps.store.db;
    const counts = await countUsers(db, caller.orgId, {
        teamId: query.teamId,
        profileId: query.profileId,
        q: query.q,
        visible: (await scopeOf(db, caller)).owners
    });
    const n = (s: string) => counts.get(s) ?? 0;
    return {
        total: [...counts.values()].reduce((a, b) => a + b, 0),
        pending: n('pending'),
        onboarding: n('onboarding'),
        permissionErrors: n('permission_error'),
        active: n('active'),
        suspended: n('suspended')
    };
}

/** Assign one profile to many users at once (CP-8). */
export async function assignProfile(deps: ServiceDeps, caller: Caller, body: { userIds: string[]; profileId: string }) {
    const db = deps.store.db;
    const ids = [...new Set(body.userIds)];
    return db.transaction().execute(async (trx) => {
        const details = await checkUserRefs(trx, caller.orgId, { profileId: body.profileId });
        const rows = await trx
            .selectFrom('users')
            .selectAll()
            .where('org_id', '=', caller.orgId)
            .where('id', 'in', ids)
            .execute();
        const found = new Set(rows.map((r) => r.id));
        body.userIds.forEach((id, i) => {
            if (!found.has(id)) details.push({ path: `userIds.${i}`, message: `no user ${id} in this org` });
        });
        if (details.length > 0) throw invalidMany(details);
        const changing = rows.filter((r) => r.profile_id !== body.profileId);
        if (changing.length === 0) return { updated: 0 };
        await trx
            .updateTable('users')
            .set({ profile_id: body.profileId })
            .where('org_id', '=', caller.orgId)
            .where(
                'id',
                'in',
                changing.map((r) => r.id)
            )
            .execute();
        const custom = await customTeamsOf(
            trx,
            caller.orgId,
            changing.map((r) => r.id)
        );
        await recordAuditMany(
            trx,
            caller.orgId,
            caller.actor,
            changing.map((r) => ({
                entity: 'user',
                entityId: r.id,
                action: 'update',
                before: toUserDto(r, custom.get(r.id) ?? []),
                after: toUserDto({ ...r, profile_id: body.profileId }, custom.get(r.id) ?? [])
            }))
        );
        return { updated: changing.length };
    });
}

/** Add one user (UT-7, UT-15). */
export async function createUser(deps: ServiceDeps, caller: Caller, body: NewUserInput) {
    const db = deps.store.db;
    const org = await getOrg(db, caller.orgId);
    if (org.mode === 'automatic' && body.teamId)
        throw invalid(
            'teamId',
            'in automatic mode the hierarchy comes from Salesforce: users added by hand sit in the Unassigned group (UT-15)'
        );
    const details = await checkUserRefs(db, caller.orgId, body);
    if (details.length > 0) throw invalidMany(details);
    const sfId = body.salesforceUserId ? toSalesforceId18(body.salesforceUserId) : null;
    // Asked before the transaction: it may be a call to Salesforce.
    const salesforceActive = sfId ? await linkedUserActive(deps, caller.orgId, sfId) : null;
    const id = await db
        .transaction()
        .execute(async (trx) => {
            if (await findUserByEmail(trx, caller.orgId, body.email))
                throw conflict(`email: a user with the email ${body.email} already exists in this org`, [
                    { path: 'email', message: 'is already taken' }
                ]);
            const teamId =
                org.mode === 'automatic' ? await ensureUnassignedTeam(trx, caller.orgId) : (body.teamId ?? null);
            const [newUserId] = await insertUsers(trx, caller.orgId, [
                {
                    first_name: body.firstName,
                    last_name: body.lastName,
                    email: body.email,
                    job_title: body.jobTitle ?? null,
                    salesforce_user_id: sfId,
                    role: body.role ?? USER_DEFAULTS.role,
                    licenses: normalizeLicenses(
                        (body.licenses as LicenseValue[] | undefined) ?? USER_DEFAULTS.licenses
                    ),
                    visibility: body.visibility ?? USER_DEFAULTS.visibility,
                    profile_id: body.profileId ?? (await defaultProfileId(trx, caller.orgId)),
                    team_id: teamId,
                    // UT-13: Onboarding when linked to an active Salesforce user.
                    status: initialStatus(sfId ? { salesforceActive } : null),
                    source: 'manual',
                    salesforce_license: null
                }
            ]);
            const userId = newUserId as string;
            await setUserCustomTeams(trx, caller.orgId, userId, body.customTeamIds ?? []);
            await recordAudit(trx, {
                orgId: caller.orgId,
                actor: caller.actor,
                entity: 'user',
                entityId: userId,
                action: 'create',
                before: null,
                after: await getUser(trx, caller.orgId, userId)
            });
            return userId;
        })
        .catch((error: unknown) => uniqueViolation(error, body.email, sfId));
    return getUser(db, caller.orgId, id);
}

/** Edit a user (UT-8): automatic mode keeps Salesforce-owned fields read-only. */
export async function updateUserById(deps: ServiceDeps, caller: Caller, id: string, body: UserChanges) {
    const db = deps.store.db;
    const org = await getOrg(db, caller.orgId);
    const sfId =
        body.salesforceUserId === undefined
            ? undefined
            : body.salesforceUserId === null
              ? null
              : toSalesforceId18(body.salesforceUserId);
    // Asked before the transaction (it may be a call to Salesforce), and only for a new link.
    const current = sfId ? await getUser(db, caller.orgId, id) : null;
    const salesforceActive =
        sfId && current && current.salesforceUserId !== sfId ? await linkedUserActive(deps, caller.orgId, sfId) : null;
    await db
        .transaction()
        .execute(async (trx) => {
            const before = await getUser(trx, caller.orgId, id);
            if (!before) throw notFound('User', id);
            const details: ErrorDetail[] = [];
            if (org.mode === 'automatic') {
                const current: Record<string, unknown> = {
                    firstName: before.firstName,
                    lastName: before.lastName,
                    jobTitle: before.jobTitle,
                    teamId: before.teamId
                };
                for (const field of readOnlyFieldsInAutomaticMode(before)) {
                    const given = (body as Record<string, unknown>)[field];
                    if (given !== undefined && given !== current[field])
                        details.push({
                            path: field,
                            message:
                                field === 'teamId' && !before.salesforceUserId
                                    ? 'is read-only in automatic mode: users added by hand sit in the Unassigned group (UT-15)'
                                    : 'is read-only in automatic mode: it comes from Salesforce (UT-8); change it there'
                        });
                }
            }
            if (body.teamId !== before.teamId || org.mode === 'manual')
                details.push(
                    ...(await checkUserRefs(trx, caller.orgId, {
                        profileId: body.profileId,
                        teamId: body.teamId !== before.teamId ? body.teamId : undefined,
                        customTeamIds: body.customTeamIds
                    }))
                );
            if (body.status !== undefined && before.status === 'suspended')
                details.push({
                    path: 'status',
                    message: 'the user is suspended: reactivate them first (POST /v1/users/:id/reactivate)'
                });
            if (details.length > 0) throw invalidMany(details);
            if (body.email && body.email.toLowerCase() !== before.email.toLowerCase()) {
                if (await findUserByEmail(trx, caller.orgId, body.email))
                    throw conflict(`email: a user with the email ${body.email} already exists in this org`, [
                        { path: 'email', message: 'is already taken' }
                    ]);
            }
            const patch: UserPatch = {};
            if (body.firstName !== undefined) patch.first_name = body.firstName;
            if (body.lastName !== undefined) patch.last_name = body.lastName;
            if (body.email !== undefined) patch.email = body.email;
            if (body.jobTitle !== undefined) patch.job_title = body.jobTitle;
            if (sfId !== undefined) patch.salesforce_user_id = sfId;
            if (body.role !== undefined) patch.role = body.role;
            if (body.licenses !== undefined) patch.licenses = normalizeLicenses(body.licenses as LicenseValue[]);
            if (body.visibility !== undefined) patch.visibility = body.visibility;
            if (body.profileId !== undefined) patch.profile_id = body.profileId;
            if (body.teamId !== undefined) patch.team_id = body.teamId;
            if (body.status !== undefined) patch.status = body.status;
            await updateUser(trx, caller.orgId, id, patch);
            if (body.customTeamIds !== undefined) await setUserCustomTeams(trx, caller.orgId, id, body.customTeamIds);
            const after = await getUser(trx, caller.orgId, id);
            await recordAudit(trx, {
                orgId: caller.orgId,
                actor: caller.actor,
                entity: 'user',
                entityId: id,
                action: 'update',
                before,
                after
            });
            // UT-13: a new or removed Salesforce link moves the status (unless the admin set one).
            if (sfId !== undefined && sfId !== before.salesforceUserId && body.status === undefined)
                await applyLifecycleEvent(
                    trx,
                    caller.orgId,
                    caller.actor,
                    [id],
                    sfId === null ? { kind: 'unlinked' } : { kind: 'linked', salesforceActive }
                );
        })
        .catch((error: unknown) => uniqueViolation(error, body.email ?? '', sfId));
    return getUser(db, caller.orgId, id);
}

/** Delete a user and their past activity data (UT-9). */
export async function deleteUserById(deps: ServiceDeps, caller: Caller, id: string) {
    const db = deps.store.db;
    const org = await getOrg(db, caller.orgId);
    await db.transaction().execute(async (trx) => {
        const before = await getUser(trx, caller.orgId, id);
        if (!before) throw notFound('User', id);
        if (org.mode === 'automatic' && before.salesforceUserId) {
            const sf = await trx
                .selectFrom('sf_users')
                .select('is_active')
                .where('org_id', '=', caller.orgId)
                .where('id', '=', before.salesforceUserId)
                .executeTakeFirst();
            if (sf?.is_active)
                throw conflict(
                    `${before.email} is an active Salesforce user: in automatic mode the next sync would add them again. Deactivate them in Salesforce (the sync then suspends them) or suspend them here.`
                );
        }
        // activities.owner_user_id references users on delete cascade: their activity goes too.
        await deleteUser(trx, caller.orgId, id);
        await recordAudit(trx, {
            orgId: caller.orgId,
            actor: caller.actor,
            entity: 'user',
            entityId: id,
            action: 'delete',
            before,
            after: null
        });
    });
    return undefined;
}

/** Suspend (UT-9). */
export async function suspendUser(deps: ServiceDeps, caller: Caller, id: string) {
    const db = deps.store.db;
    await db.transaction().execute(async (trx) => {
        const row = await getUserRow(trx, caller.orgId, id);
        if (!row) throw notFound('User', id);
        if (row.status === 'suspended') return;
        await setStatusAudited(trx, caller, id, {
            status: 'suspended',
            status_reason: 'manual',
            suspended_from: row.status
        });
    });
    return getUser(db, caller.orgId, id);
}

/** Reactivate a suspended user (UT-9). */
export async function reactivateUser(deps: ServiceDeps, caller: Caller, id: string) {
    const db = deps.store.db;
    const org = await getOrg(db, caller.orgId);
    await db.transaction().execute(async (trx) => {
        const row = await getUserRow(trx, caller.orgId, id);
        if (!row) throw notFound('User', id);
        if (row.status !== 'suspended') return;
        if (org.mode === 'automatic' && row.salesforce_user_id) {
            const sf = await trx
                .selectFrom('sf_users')
                .select('is_active')
                .where('org_id', '=', caller.orgId)
                .where('id', '=', row.salesforce_user_id)
                .executeTakeFirst();
            if (sf && !sf.is_active)
                throw conflict(
                    `${row.email} is deactivated in Salesforce: reactivate them there; the next sync restores them (UT-13)`
                );
        }
        await setStatusAudited(trx, caller, id, {
            status: row.suspended_from ?? 'active',
            status_reason: null,
            suspended_from: null
        });
    });
    return getUser(db, caller.orgId, id);
}
