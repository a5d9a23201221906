import { z } from 'zod';
import type { Kysely, Transaction } from 'kysely';
import { route, reply, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import type { RequestContext } from '../context';
import { conflict, invalid, invalidMany, notFound, type ErrorDetail } from '../errors';
import { decodeCursor, encodeCursor, idParams, listOf } from '../schemas/common';
import {
    createUserBody,
    importQuery,
    importResultSchema,
    profileAssignmentBody,
    updateUserBody,
    userListQuery,
    userSchema,
    userStatsQuery,
    userStatsSchema
} from '../schemas/users';
import { visibleOwnerIds } from '../../domain/visibility';
import {
    normalizeLicenses,
    readOnlyFieldsInAutomaticMode,
    toSalesforceId18,
    USER_DEFAULTS,
    type LicenseValue
} from '../../domain/users';
import { recordAudit } from '../../store/audit';
import { getOrg } from '../../store/orgs';
import { defaultProfileId, profileIdsExist } from '../../store/profiles';
import type { Database } from '../../store/schema';
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
    loadVisibilityGraph,
    recordAuditMany,
    setUserCustomTeams,
    toUserDto,
    updateUser,
    type UserDto,
    type UserPatch
} from '../../store/users';
import { BODY_LIMITS } from '../../domain/limits';
import { exportUsersCsv, importUsersCsv } from './users-csv';

type Db = Kysely<Database> | Transaction<Database>;

/** The users the caller may see (UT-12, SEC-2): everyone for admins, else by visibility. */
export async function visibleTo(db: Db, ctx: RequestContext): Promise<'all' | Set<string>> {
    if (ctx.isAdmin || !ctx.actingUser) return 'all';
    const a = ctx.actingUser;
    return visibleOwnerIds(
        { userId: a.userId, role: a.role, visibility: a.visibility, status: a.status },
        await loadVisibilityGraph(db, ctx.orgId)
    );
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
    ctx: RequestContext,
    userId: string,
    patch: Pick<UserPatch, 'status' | 'status_reason' | 'suspended_from'>
): Promise<void> {
    const before = await getUser(trx, ctx.orgId, userId);
    await updateUser(trx, ctx.orgId, userId, patch);
    await recordAudit(trx, {
        orgId: ctx.orgId,
        actor: ctx.actor,
        entity: 'user',
        entityId: userId,
        action: 'update',
        before,
        after: await getUser(trx, ctx.orgId, userId)
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

export function userRoutes(deps: AppDeps): AnyRoute[] {
    const db = deps.store.db;

    async function mustGetVisible(ctx: RequestContext, id: string): Promise<UserDto> {
        const user = await getUser(db, ctx.orgId, id);
        const visible = await visibleTo(db, ctx);
        if (!user || (visible !== 'all' && !visible.has(id))) throw notFound('User', id);
        return user;
    }

    return [
        route({
            method: 'get',
            path: '/v1/users',
            summary:
                'Users by last name, filtered; members and managers see only the users their visibility allows (UT-12)',
            tags: ['users'],
            query: userListQuery,
            response: { status: 200, description: 'One page of users', schema: listOf(userSchema) },
            handler: async ({ ctx, query }) => {
                const after = decodeCursor(
                    query.cursor,
                    z.object({ last: z.string(), first: z.string(), id: z.string() })
                );
                const page = await listUsers(
                    db,
                    ctx.orgId,
                    {
                        status: query.status,
                        teamId: query.teamId,
                        profileId: query.profileId,
                        q: query.q,
                        visible: await visibleTo(db, ctx)
                    },
                    { limit: query.limit, after }
                );
                return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
            }
        }),
        route({
            method: 'get',
            path: '/v1/users/stats',
            summary:
                'Live counts by status (UT-13) over exactly the users GET /v1/users returns with the same teamId, profileId and q',
            tags: ['users'],
            query: userStatsQuery,
            response: { status: 200, description: 'Counts', schema: userStatsSchema },
            handler: async ({ ctx, query }) => {
                const counts = await countUsers(db, ctx.orgId, {
                    teamId: query.teamId,
                    profileId: query.profileId,
                    q: query.q,
                    visible: await visibleTo(db, ctx)
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
        }),
        route({
            method: 'get',
            path: '/v1/users/export',
            summary: 'Every user as CSV, in the import format (UT-6); formula-like cells are neutralised',
            tags: ['users'],
            access: 'admin',
            response: { status: 200, description: 'text/csv', schema: z.string(), contentType: 'text/csv' },
            handler: async ({ ctx }) =>
                reply({
                    headers: {
                        'content-type': 'text/csv; charset=utf-8',
                        'content-disposition': 'attachment; filename="backstory-users.csv"'
                    },
                    raw: await exportUsersCsv(db, ctx.orgId)
                })
        }),
        route({
            method: 'post',
            path: '/v1/users/import',
            summary:
                'Import users from CSV (UT-6): new emails are created, known ones updated; every bad row reported; all or nothing unless mode=apply_valid',
            description:
                'Body text/csv with a header row: First Name, Last Name, Email, Role, Licenses (`;` separated), Object Visibility, Team, Configuration Profile, Job Title, in any order. With all_or_nothing (the default) a file with any bad row changes nothing and answers 400 with the report and the error envelope.',
            tags: ['users'],
            access: 'admin',
            query: importQuery,
            body: z.string(),
            bodyContentType: 'text/csv',
            bodyLimit: BODY_LIMITS.usersCsv,
            errors: [409],
            response: { status: 200, description: 'What was imported', schema: importResultSchema },
            handler: async ({ ctx, query, req }) => {
                if (typeof req.body !== 'string')
                    throw invalid('body', 'send the CSV as the request body with Content-Type: text/csv');
                const result = await importUsersCsv(db, ctx, req.body, query.mode);
                if (query.mode === 'all_or_nothing' && result.errors.length > 0) {
                    const details = result.errors
                        .slice(0, 1000)
                        .map((e) => ({ path: `line ${e.line}${e.column ? ` ${e.column}` : ''}`, message: e.message }));
                    return reply({
                        status: 400,
                        body: {
                            ...result,
                            error: {
                                code: 'validation_failed',
                                message: `${result.errors.length} error${result.errors.length === 1 ? '' : 's'} in the file: nothing was imported`,
                                details
                            }
                        }
                    });
                }
                return result;
            }
        }),
        route({
            method: 'post',
            path: '/v1/users/profile-assignments',
            summary: 'Assign one profile to many users at once (CP-8)',
            tags: ['users'],
            access: 'admin',
            body: profileAssignmentBody,
            response: {
                status: 200,
                description: 'How many users changed profile',
                schema: z.object({ updated: z.number().int() })
            },
            handler: async ({ ctx, body }) => {
                const ids = [...new Set(body.userIds)];
                return db.transaction().execute(async (trx) => {
                    const details = await checkUserRefs(trx, ctx.orgId, { profileId: body.profileId });
                    const rows = await trx
                        .selectFrom('users')
                        .selectAll()
                        .where('org_id', '=', ctx.orgId)
                        .where('id', 'in', ids)
                        .execute();
                    const found = new Set(rows.map((r) => r.id));
                    body.userIds.forEach((id, i) => {
                        if (!found.has(id))
                            details.push({ path: `userIds.${i}`, message: `no user ${id} in this org` });
                    });
                    if (details.length > 0) throw invalidMany(details);
                    const changing = rows.filter((r) => r.profile_id !== body.profileId);
                    if (changing.length === 0) return { updated: 0 };
                    await trx
                        .updateTable('users')
                        .set({ profile_id: body.profileId })
                        .where('org_id', '=', ctx.orgId)
                        .where(
                            'id',
                            'in',
                            changing.map((r) => r.id)
                        )
                        .execute();
                    const custom = await customTeamsOf(
                        trx,
                        ctx.orgId,
                        changing.map((r) => r.id)
                    );
                    await recordAuditMany(
                        trx,
                        ctx.orgId,
                        ctx.actor,
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
        }),
        route({
            method: 'post',
            path: '/v1/users',
            summary:
                'Add one user (UT-7): unique email; no profile → "Default - Intake Off"; in automatic mode the user sits in Unassigned (UT-15)',
            tags: ['users'],
            access: 'admin',
            body: createUserBody,
            errors: [409],
            response: { status: 201, description: 'The new user', schema: userSchema },
            handler: async ({ ctx, body }) => {
                const org = await getOrg(db, ctx.orgId);
                if (org.mode === 'automatic' && body.teamId)
                    throw invalid(
                        'teamId',
                        'in automatic mode the hierarchy comes from Salesforce: users added by hand sit in the Unassigned group (UT-15)'
                    );
                const details = await checkUserRefs(db, ctx.orgId, body);
                if (details.length > 0) throw invalidMany(details);
                const sfId = body.salesforceUserId ? toSalesforceId18(body.salesforceUserId) : null;
                const id = await db
                    .transaction()
                    .execute(async (trx) => {
                        if (await findUserByEmail(trx, ctx.orgId, body.email))
                            throw conflict(`email: a user with the email ${body.email} already exists in this org`, [
                                { path: 'email', message: 'is already taken' }
                            ]);
                        const teamId =
                            org.mode === 'automatic'
                                ? await ensureUnassignedTeam(trx, ctx.orgId)
                                : (body.teamId ?? null);
                        const [newUserId] = await insertUsers(trx, ctx.orgId, [
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
                                profile_id: body.profileId ?? (await defaultProfileId(trx, ctx.orgId)),
                                team_id: teamId,
                                status: 'pending',
                                source: 'manual',
                                salesforce_license: null
                            }
                        ]);
                        const userId = newUserId as string;
                        await setUserCustomTeams(trx, ctx.orgId, userId, body.customTeamIds ?? []);
                        await recordAudit(trx, {
                            orgId: ctx.orgId,
                            actor: ctx.actor,
                            entity: 'user',
                            entityId: userId,
                            action: 'create',
                            before: null,
                            after: await getUser(trx, ctx.orgId, userId)
                        });
                        return userId;
                    })
                    .catch((error: unknown) => uniqueViolation(error, body.email, sfId));
                return getUser(db, ctx.orgId, id);
            }
        }),
        route({
            method: 'get',
            path: '/v1/users/:id',
            summary: "One user (404 when the caller's visibility does not reach them)",
            tags: ['users'],
            params: idParams,
            errors: [404],
            response: { status: 200, description: 'The user', schema: userSchema },
            handler: async ({ ctx, params }) => mustGetVisible(ctx, params.id)
        }),
        route({
            method: 'patch',
            path: '/v1/users/:id',
            summary:
                'Edit a user (UT-8): in automatic mode first name, last name, job title and team come from Salesforce and are read-only',
            tags: ['users'],
            access: 'admin',
            params: idParams,
            body: updateUserBody,
            errors: [404, 409],
            response: { status: 200, description: 'The updated user', schema: userSchema },
            handler: async ({ ctx, params, body }) => {
                const org = await getOrg(db, ctx.orgId);
                const sfId =
                    body.salesforceUserId === undefined
                        ? undefined
                        : body.salesforceUserId === null
                          ? null
                          : toSalesforceId18(body.salesforceUserId);
                await db
                    .transaction()
                    .execute(async (trx) => {
                        const before = await getUser(trx, ctx.orgId, params.id);
                        if (!before) throw notFound('User', params.id);
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
                                ...(await checkUserRefs(trx, ctx.orgId, {
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
                            if (await findUserByEmail(trx, ctx.orgId, body.email))
                                throw conflict(
                                    `email: a user with the email ${body.email} already exists in this org`,
                                    [{ path: 'email', message: 'is already taken' }]
                                );
                        }
                        const patch: UserPatch = {};
                        if (body.firstName !== undefined) patch.first_name = body.firstName;
                        if (body.lastName !== undefined) patch.last_name = body.lastName;
                        if (body.email !== undefined) patch.email = body.email;
                        if (body.jobTitle !== undefined) patch.job_title = body.jobTitle;
                        if (sfId !== undefined) patch.salesforce_user_id = sfId;
                        if (body.role !== undefined) patch.role = body.role;
                        if (body.licenses !== undefined)
                            patch.licenses = normalizeLicenses(body.licenses as LicenseValue[]);
                        if (body.visibility !== undefined) patch.visibility = body.visibility;
                        if (body.profileId !== undefined) patch.profile_id = body.profileId;
                        if (body.teamId !== undefined) patch.team_id = body.teamId;
                        if (body.status !== undefined) patch.status = body.status;
                        await updateUser(trx, ctx.orgId, params.id, patch);
                        if (body.customTeamIds !== undefined)
                            await setUserCustomTeams(trx, ctx.orgId, params.id, body.customTeamIds);
                        const after = await getUser(trx, ctx.orgId, params.id);
                        await recordAudit(trx, {
                            orgId: ctx.orgId,
                            actor: ctx.actor,
                            entity: 'user',
                            entityId: params.id,
                            action: 'update',
                            before,
                            after
                        });
                    })
                    .catch((error: unknown) => uniqueViolation(error, body.email ?? '', sfId));
                return getUser(db, ctx.orgId, params.id);
            }
        }),
        route({
            method: 'delete',
            path: '/v1/users/:id',
            summary: 'Delete a user and, for good, their past activity data (UT-9); suspension keeps the data',
            tags: ['users'],
            access: 'admin',
            params: idParams,
            errors: [404, 409],
            response: { status: 204, description: 'Deleted' },
            handler: async ({ ctx, params }) => {
                const org = await getOrg(db, ctx.orgId);
                await db.transaction().execute(async (trx) => {
                    const before = await getUser(trx, ctx.orgId, params.id);
                    if (!before) throw notFound('User', params.id);
                    if (org.mode === 'automatic' && before.salesforceUserId) {
                        const sf = await trx
                            .selectFrom('sf_users')
                            .select('is_active')
                            .where('org_id', '=', ctx.orgId)
                            .where('id', '=', before.salesforceUserId)
                            .executeTakeFirst();
                        if (sf?.is_active)
                            throw conflict(
                                `${before.email} is an active Salesforce user: in automatic mode the next sync would add them again. Deactivate them in Salesforce (the sync then suspends them) or suspend them here.`
                            );
                    }
                    // activities.owner_user_id references users on delete cascade: their activity goes too.
                    await deleteUser(trx, ctx.orgId, params.id);
                    await recordAudit(trx, {
                        orgId: ctx.orgId,
                        actor: ctx.actor,
                        entity: 'user',
                        entityId: params.id,
                        action: 'delete',
                        before,
                        after: null
                    });
                });
                return undefined;
            }
        }),
        route({
            method: 'post',
            path: '/v1/users/:id/suspend',
            summary: 'Suspend (UT-9): access revoked at once, past data hidden, data kept, processing stops',
            tags: ['users'],
            access: 'admin',
            params: idParams,
            errors: [404],
            response: { status: 200, description: 'The suspended user', schema: userSchema },
            handler: async ({ ctx, params }) => {
                await db.transaction().execute(async (trx) => {
                    const row = await getUserRow(trx, ctx.orgId, params.id);
                    if (!row) throw notFound('User', params.id);
                    if (row.status === 'suspended') return;
                    await setStatusAudited(trx, ctx, params.id, {
                        status: 'suspended',
                        status_reason: 'manual',
                        suspended_from: row.status
                    });
                });
                return getUser(db, ctx.orgId, params.id);
            }
        }),
        route({
            method: 'post',
            path: '/v1/users/:id/reactivate',
            summary: 'Reactivate a suspended user: the status before suspension comes back (UT-9)',
            tags: ['users'],
            access: 'admin',
            params: idParams,
            errors: [404, 409],
            response: { status: 200, description: 'The reactivated user', schema: userSchema },
            handler: async ({ ctx, params }) => {
                const org = await getOrg(db, ctx.orgId);
                await db.transaction().execute(async (trx) => {
                    const row = await getUserRow(trx, ctx.orgId, params.id);
                    if (!row) throw notFound('User', params.id);
                    if (row.status !== 'suspended') return;
                    if (org.mode === 'automatic' && row.salesforce_user_id) {
                        const sf = await trx
                            .selectFrom('sf_users')
                            .select('is_active')
                            .where('org_id', '=', ctx.orgId)
                            .where('id', '=', row.salesforce_user_id)
                            .executeTakeFirst();
                        if (sf && !sf.is_active)
                            throw conflict(
                                `${row.email} is deactivated in Salesforce: reactivate them there; the next sync restores them (UT-13)`
                            );
                    }
                    await setStatusAudited(trx, ctx, params.id, {
                        status: row.suspended_from ?? 'active',
                        status_reason: null,
                        suspended_from: null
                    });
                });
                return getUser(db, ctx.orgId, params.id);
            }
        })
    ];
}
