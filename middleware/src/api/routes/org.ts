import { z } from 'zod';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../store/schema';
import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { conflict, invalidMany, type ErrorDetail } from '../errors';
import { getOrg, type Org } from '../../store/orgs';
import { orgSchema, toOrgDto } from '../schemas/org';
import { DEFAULT_PROFILE_NAME } from '../../domain/profile-defaults';
import { toSalesforceId18, USER_DEFAULTS } from '../../domain/users';
import { runUserSync } from '../../jobs/user-sync';
import { salesforceError } from '../../salesforce/connection';
import { fetchRoleUsers, fetchRoles, type SalesforceRole } from '../../salesforce/users';
import { recordAudit } from '../../store/audit';
import { newId } from '../../store/ids';
import { defaultProfileId } from '../../store/profiles';
import { insertUsers, recordAuditMany, type AuditRow, type NewUser } from '../../store/users';

const modeBody = z
    .object({
        mode: z.enum(['manual', 'automatic']),
        hierarchySource: z
            .enum(['role', 'manager'])
            .optional()
            .describe('Where automatic mode takes the hierarchy from: the role hierarchy (default) or manager chains')
    })
    .strict()
    .openapi('OrgMode');

const orgSettingsBody = z
    .object({
        syncIntervalMinutes: z
            .number()
            .int()
            .min(1)
            .max(30)
            .describe('How often the automatic sync runs (UT-2: at most every 30 minutes)')
    })
    .strict()
    .openapi('OrgSettings');

const syncResultSchema = z
    .object({
        created: z.number().int(),
        updated: z.number().int(),
        suspended: z.number().int(),
        movedToTopLevel: z.number().int()
    })
    .openapi('UserSyncResult');

interface RoleNode {
    id: string;
    name: string;
    parentRoleId: string | null;
    imported: boolean;
    children: RoleNode[];
}

const roleNodeSchema: z.ZodType<RoleNode> = z
    .object({
        id: z.string(),
        name: z.string(),
        parentRoleId: z.string().nullable(),
        imported: z.boolean().describe('A team exists for this role (imported once, or synced)'),
        get children(): z.ZodArray<z.ZodType<RoleNode>> {
            return z.array(roleNodeSchema);
        }
    })
    .openapi('SalesforceRole');

const roleImportBody = z
    .object({
        roleIds: z
            .array(z.string().regex(/^00E[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/, 'must be a UserRole id (00E…)'))
            .min(1)
            .max(5000)
    })
    .strict()
    .openapi('RoleImport');

const snapshot = (o: Org) => toOrgDto(o);

export function orgRoutes(deps: AppDeps): AnyRoute[] {
    const db = deps.store.db;
    return [
        route({
            method: 'get',
            path: '/v1/org',
            summary: 'The connected org of this API key and its user-management mode (UT-1)',
            tags: ['org'],
            response: { status: 200, description: 'The org', schema: orgSchema },
            handler: async ({ ctx }) => toOrgDto(await getOrg(db, ctx.orgId))
        }),
        route({
            method: 'patch',
            path: '/v1/org',
            summary: 'Org settings: how often the automatic sync runs (UT-2, at most every 30 minutes)',
            tags: ['org'],
            access: 'admin',
            body: orgSettingsBody,
            response: { status: 200, description: 'The org', schema: orgSchema },
            handler: async ({ ctx, body }) => {
                await db.transaction().execute(async (trx) => {
                    const before = await getOrg(trx, ctx.orgId);
                    await trx
                        .updateTable('orgs')
                        .set({ sync_interval_minutes: body.syncIntervalMinutes, updated_at: sql`now()` })
                        .where('id', '=', ctx.orgId)
                        .execute();
                    await recordAudit(trx, {
                        orgId: ctx.orgId,
                        actor: ctx.actor,
                        entity: 'org',
                        entityId: ctx.orgId,
                        action: 'update',
                        before: snapshot(before),
                        after: snapshot(await getOrg(trx, ctx.orgId))
                    });
                });
                return toOrgDto(await getOrg(db, ctx.orgId));
            }
        }),
        route({
            method: 'put',
            path: '/v1/org/mode',
            summary:
                "Switch between manual and automatic mode (UT-3, UT-14). Enabling automatic mode needs a connected org and a configuration profile besides the default, replaces the team hierarchy with Salesforce's (saved views that name old team ids break) and moves users absent from it to the top-level team",
            tags: ['org'],
            access: 'admin',
            body: modeBody,
            errors: [409, 502],
            response: { status: 200, description: 'The org', schema: orgSchema },
            handler: async ({ ctx, body }) => {
                const org = await getOrg(db, ctx.orgId);
                const source = body.hierarchySource ?? org.hierarchy_source;
                const setMode = async (trx: Transaction<Database>) => {
                    await trx
                        .updateTable('orgs')
                        .set({ mode: body.mode, hierarchy_source: source, updated_at: sql`now()` })
                        .where('id', '=', ctx.orgId)
                        .execute();
                    await recordAudit(trx, {
                        orgId: ctx.orgId,
                        actor: ctx.actor,
                        entity: 'org',
                        entityId: ctx.orgId,
                        action: 'update',
                        before: snapshot(org),
                        after: { ...snapshot(org), mode: body.mode, hierarchySource: source }
                    });
                };
                if (body.mode === 'manual' || (org.mode === 'automatic' && source === org.hierarchy_source)) {
                    // UT-14: back to manual, syncing stops and the imported hierarchy stays as it is.
                    if (body.mode !== org.mode || source !== org.hierarchy_source)
                        await db.transaction().execute(setMode);
                    return toOrgDto(await getOrg(db, ctx.orgId));
                }
                if (!(await deps.salesforce.isConnected(ctx.orgId)))
                    throw conflict(
                        'Automatic mode needs a connected Salesforce org (UT-3): connect the org first, then enable automatic mode'
                    );
                // "Configuration Profiles must be set up" (seed 001): at least one profile besides
                // the default, which takes in nothing, so the users the sync creates can be given one.
                const profiles = await db
                    .selectFrom('profiles')
                    .select((eb) => eb.fn.countAll<number>().as('n'))
                    .where('org_id', '=', ctx.orgId)
                    .where('is_default', '=', false)
                    .executeTakeFirstOrThrow();
                if (Number(profiles.n) === 0)
                    throw conflict(
                        `Automatic mode needs configuration profiles set up (UT-3): create at least one profile besides "${DEFAULT_PROFILE_NAME}" and assign it in the User Settings Rules, then enable automatic mode`
                    );
                await runUserSync(deps, ctx.orgId, {
                    trigger: 'enable',
                    actor: ctx.actor,
                    replace: org.mode === 'manual',
                    before: setMode
                });
                return toOrgDto(await getOrg(db, ctx.orgId));
            }
        }),
        route({
            method: 'post',
            path: '/v1/org/sync',
            summary: 'Run the automatic user sync now (UT-2); automatic mode only',
            tags: ['org'],
            access: 'admin',
            errors: [409, 502],
            response: { status: 200, description: 'What the sync changed', schema: syncResultSchema },
            handler: async ({ ctx }) => {
                const org = await getOrg(db, ctx.orgId);
                if (org.mode !== 'automatic')
                    throw conflict(
                        'The user sync runs in automatic mode only: enable it with PUT /v1/org/mode, or import selected roles once with POST /v1/org/role-import (UT-5)'
                    );
                return runUserSync(deps, ctx.orgId, { trigger: 'on_demand', actor: ctx.actor });
            }
        }),
        route({
            method: 'get',
            path: '/v1/org/roles',
            summary: 'The Salesforce role hierarchy as a tree, for the one-time role import (UT-5)',
            tags: ['org'],
            access: 'admin',
            errors: [409, 502],
            response: {
                status: 200,
                description: 'Top-level roles with their sub-roles',
                schema: z.object({ items: z.array(roleNodeSchema) })
            },
            handler: async ({ ctx }) => {
                const conn = await deps.salesforce.connection(ctx.orgId);
                let roles: SalesforceRole[];
                try {
                    roles = await fetchRoles(conn);
                } catch (error) {
                    throw salesforceError(error, 'Reading the role hierarchy failed');
                }
                const imported = new Set(
                    (
                        await db
                            .selectFrom('teams')
                            .select('salesforce_role_id')
                            .where('org_id', '=', ctx.orgId)
                            .where('salesforce_role_id', 'is not', null)
                            .execute()
                    ).map((t) => t.salesforce_role_id)
                );
                const nodes = new Map<string, RoleNode>(
                    roles.map((r) => {
                        const id = toSalesforceId18(r.Id);
                        const parent = r.ParentRoleId ? toSalesforceId18(r.ParentRoleId) : null;
                        return [
                            id,
                            { id, name: r.Name, parentRoleId: parent, imported: imported.has(id), children: [] }
                        ];
                    })
                );
                const items: RoleNode[] = [];
                for (const node of nodes.values()) {
                    const parent = node.parentRoleId ? nodes.get(node.parentRoleId) : undefined;
                    if (parent) parent.children.push(node);
                    else items.push(node);
                }
                return { items };
            }
        }),
        route({
            method: 'post',
            path: '/v1/org/role-import',
            summary:
                "One-time import of selected Salesforce roles (UT-5): a team per role, nested as in Salesforce, and the roles' active users with default settings; nothing syncs afterwards",
            tags: ['org'],
            access: 'admin',
            body: roleImportBody,
            errors: [409, 502],
            response: {
                status: 200,
                description: 'How many users and teams were added',
                schema: z.object({ imported: z.number().int(), teamsCreated: z.number().int() })
            },
            handler: async ({ ctx, body }) => {
                const org = await getOrg(db, ctx.orgId);
                if (org.mode === 'automatic')
                    throw conflict(
                        'In automatic mode the sync brings every role and user already (UT-2): role import is a manual-mode tool'
                    );
                const conn = await deps.salesforce.connection(ctx.orgId);
                let roles: SalesforceRole[];
                try {
                    roles = await fetchRoles(conn);
                } catch (error) {
                    throw salesforceError(error, 'Reading the role hierarchy failed');
                }
                const byId = new Map(roles.map((r) => [toSalesforceId18(r.Id), r]));
                const selected = [...new Set(body.roleIds.map(toSalesforceId18))];
                const details: ErrorDetail[] = [];
                body.roleIds.forEach((id, i) => {
                    if (!byId.has(toSalesforceId18(id)))
                        details.push({ path: `roleIds.${i}`, message: `no role ${id} in the Salesforce org` });
                });
                if (details.length > 0) throw invalidMany(details);
                let sfUsers;
                try {
                    sfUsers = await fetchRoleUsers(conn, selected);
                } catch (error) {
                    throw salesforceError(error, 'Reading the users of those roles failed');
                }
                const integration = conn.userInfo?.id ? toSalesforceId18(conn.userInfo.id) : null;
                return db.transaction().execute(async (trx) => {
                    const teams = await trx.selectFrom('teams').selectAll().where('org_id', '=', ctx.orgId).execute();
                    const teamOfRole = new Map(
                        teams.filter((t) => t.salesforce_role_id).map((t) => [t.salesforce_role_id as string, t.id])
                    );
                    const audit: AuditRow[] = [];
                    const created: string[] = [];
                    for (const roleId of selected) {
                        if (teamOfRole.has(roleId)) continue;
                        const id = newId('team');
                        teamOfRole.set(roleId, id);
                        created.push(roleId);
                    }
                    // Nest each new team under the nearest ancestor role that has a team.
                    const parentTeam = (roleId: string): string | null => {
                        const seen = new Set<string>();
                        let cur = byId.get(roleId)?.ParentRoleId;
                        while (cur && !seen.has(toSalesforceId18(cur))) {
                            const id18 = toSalesforceId18(cur);
                            seen.add(id18);
                            const team = teamOfRole.get(id18);
                            if (team) return team;
                            cur = byId.get(id18)?.ParentRoleId;
                        }
                        return null;
                    };
                    for (const roleId of created) {
                        const id = teamOfRole.get(roleId) as string;
                        await trx
                            .insertInto('teams')
                            .values({
                                id,
                                org_id: ctx.orgId,
                                name: byId.get(roleId)?.Name ?? roleId,
                                parent_id: null,
                                kind: 'hierarchy',
                                manager_user_id: null,
                                salesforce_role_id: roleId,
                                sync_key: `role:${roleId}`
                            })
                            .execute();
                    }
                    for (const roleId of created) {
                        const id = teamOfRole.get(roleId) as string;
                        const parentId = parentTeam(roleId);
                        if (parentId)
                            await trx.updateTable('teams').set({ parent_id: parentId }).where('id', '=', id).execute();
                        audit.push({
                            entity: 'team',
                            entityId: id,
                            action: 'create',
                            before: null,
                            after: {
                                id,
                                name: byId.get(roleId)?.Name,
                                parentId,
                                kind: 'hierarchy',
                                salesforceRoleId: roleId
                            }
                        });
                    }
                    const existing = await trx
                        .selectFrom('users')
                        .select(['email_key', 'salesforce_user_id'])
                        .where('org_id', '=', ctx.orgId)
                        .execute();
                    const emails = new Set(existing.map((u) => u.email_key));
                    const sfIds = new Set(existing.map((u) => u.salesforce_user_id).filter(Boolean));
                    const profileId = await defaultProfileId(trx, ctx.orgId);
                    const inserts: NewUser[] = [];
                    for (const u of sfUsers) {
                        const id18 = toSalesforceId18(u.Id);
                        if (id18 === integration || (u.UserType ?? 'Standard') !== 'Standard') continue;
                        if (sfIds.has(id18) || emails.has(u.Email.toLowerCase())) continue;
                        emails.add(u.Email.toLowerCase());
                        // CP-9 / UT-5: default settings.
                        inserts.push({
                            first_name: u.FirstName ?? '',
                            last_name: u.LastName,
                            email: u.Email,
                            job_title: u.Title,
                            salesforce_user_id: id18,
                            role: USER_DEFAULTS.role,
                            licenses: USER_DEFAULTS.licenses,
                            visibility: USER_DEFAULTS.visibility,
                            profile_id: profileId,
                            team_id: u.UserRoleId ? (teamOfRole.get(toSalesforceId18(u.UserRoleId)) ?? null) : null,
                            status: 'pending',
                            source: 'role_import',
                            salesforce_license: u.Profile?.UserLicense?.Name ?? null
                        });
                    }
                    const ids = await insertUsers(trx, ctx.orgId, inserts);
                    inserts.forEach((u, i) =>
                        audit.push({
                            entity: 'user',
                            entityId: ids[i] as string,
                            action: 'create',
                            before: null,
                            after: { ...u, id: ids[i] }
                        })
                    );
                    await recordAuditMany(trx, ctx.orgId, ctx.actor, audit);
                    return { imported: inserts.length, teamsCreated: created.length };
                });
            }
        })
    ];
}
