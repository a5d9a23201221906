import { initialStatus } from '../domain/user-lifecycle';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../store/schema';
import { conflict, invalidMany, type ErrorDetail } from '../errors';
import { getOrg, type Org } from '../store/orgs';
import { nearestAncestorRole, roleTeamKey } from '../domain/hierarchy';
import { DEFAULT_PROFILE_NAME } from '../domain/profile-defaults';
import { toSalesforceId18, USER_DEFAULTS } from '../domain/users';
import { runUserSync } from './user-sync';
import { salesforceError } from '../salesforce/connection';
import { fetchRoleUsers, fetchRoles, type SalesforceRole } from '../salesforce/users';
import { recordAudit } from '../store/audit';
import { newId } from '../store/ids';
import { defaultProfileId } from '../store/profiles';
import { insertUsers, recordAuditMany, type AuditRow, type NewUser } from '../store/users';
import type { Caller } from './caller';
import type { ServiceDeps } from './deps';
import { LockBusyError } from '../store/locks';

export interface RoleNode {
    id: string;
    name: string;
    parentRoleId: string | null;
    imported: boolean;
    children: RoleNode[];
}

export interface OrgDto {
    id: string;
    salesforceOrgId: string | null;
    mode: 'manual' | 'automatic';
    hierarchySource: 'role' | 'manager';
    syncIntervalMinutes: number;
    lastSyncAt: string | null;
}

export function toOrgDto(org: Org): OrgDto {
    return {
        id: org.id,
        salesforceOrgId: org.salesforce_org_id,
        mode: org.mode,
        hierarchySource: org.hierarchy_source,
        syncIntervalMinutes: org.sync_interval_minutes,
        lastSyncAt: org.last_sync_at ? org.last_sync_at.toISOString() : null
    };
}

/** Org and sync (UT-1, UT-2, UT-5, UT-14): settings, mode, the on-demand sync, the one-off role import. */
const snapshot = (o: Org) => toOrgDto(o);

/** The org and its user-management mode (UT-1). */
export async function getOrgSettings(deps: ServiceDeps, caller: Caller) {
    const db = deps.store.db;
    return toOrgDto(await getOrg(db, caller.orgId));
}

/** Change the sync interval (UT-2). */
export async function updateOrgSettings(deps: ServiceDeps, caller: Caller, body: { syncIntervalMinutes: number }) {
    const db = deps.store.db;
    await db.transaction().execute(async (trx) => {
        const before = await getOrg(trx, caller.orgId);
        await trx
            .updateTable('orgs')
            .set({ sync_interval_minutes: body.syncIntervalMinutes, updated_at: sql`now()` })
            .where('id', '=', caller.orgId)
            .execute();
        await recordAudit(trx, {
            orgId: caller.orgId,
            actor: caller.actor,
            entity: 'org',
            entityId: caller.orgId,
            action: 'update',
            before: snapshot(before),
            after: snapshot(await getOrg(trx, caller.orgId))
        });
    });
    return toOrgDto(await getOrg(db, caller.orgId));
}

/** Switch between manual and automatic user management (UT-1, UT-2, UT-14). */
export async function setUserManagementMode(
    deps: ServiceDeps,
    caller: Caller,
    body: { mode: 'manual' | 'automatic'; hierarchySource?: 'role' | 'manager' | undefined }
) {
    const db = deps.store.db;
    const org = await getOrg(db, caller.orgId);
    const source = body.hierarchySource ?? org.hierarchy_source;
    const setMode = async (trx: Transaction<Database>) => {
        await trx
            .updateTable('orgs')
            .set({ mode: body.mode, hierarchy_source: source, updated_at: sql`now()` })
            .where('id', '=', caller.orgId)
            .execute();
        await recordAudit(trx, {
            orgId: caller.orgId,
            actor: caller.actor,
            entity: 'org',
            entityId: caller.orgId,
            action: 'update',
            before: snapshot(org),
            after: { ...snapshot(org), mode: body.mode, hierarchySource: source }
        });
    };
    if (body.mode === 'manual' || (org.mode === 'automatic' && source === org.hierarchy_source)) {
        // UT-14: back to manual, syncing stops and the imported hierarchy stays as it is.
        if (body.mode !== org.mode || source !== org.hierarchy_source) await db.transaction().execute(setMode);
        return toOrgDto(await getOrg(db, caller.orgId));
    }
    if (!(await deps.salesforce.isConnected(caller.orgId)))
        throw conflict(
            'Automatic mode needs a connected Salesforce org (UT-3): connect the org first, then enable automatic mode'
        );
    // "Configuration Profiles must be set up" (seed 001): at least one profile besides
    // the default, which takes in nothing, so the users the sync creates can be given one.
    const profiles = await db
        .selectFrom('profiles')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', caller.orgId)
        .where('is_default', '=', false)
        .executeTakeFirstOrThrow();
    if (Number(profiles.n) === 0)
        throw conflict(
            `Automatic mode needs configuration profiles set up (UT-3): create at least one profile besides "${DEFAULT_PROFILE_NAME}" and assign it in the User Settings Rules, then enable automatic mode`
        );
    try {
        await runUserSync(deps, caller.orgId, {
            trigger: 'enable',
            actor: caller.actor,
            replace: org.mode === 'manual',
            before: setMode
        });
    } catch (error) {
        if (error instanceof LockBusyError) throw syncBusy();
        throw error;
    }
    return toOrgDto(await getOrg(db, caller.orgId));
}

/** SCALE-1: the scheduled sync (or another on-demand one) of this org is running now. */
const syncBusy = () =>
    conflict('A user sync of this org is already running (scheduled or on demand); try again when it ends');

/** Run the automatic user sync now (UT-2). */
export async function syncUsersNow(deps: ServiceDeps, caller: Caller) {
    const db = deps.store.db;
    const org = await getOrg(db, caller.orgId);
    if (org.mode !== 'automatic')
        throw conflict(
            'The user sync runs in automatic mode only: enable it with PUT /v1/org/mode, or import selected roles once with POST /v1/org/role-import (UT-5)'
        );
    try {
        return await runUserSync(deps, caller.orgId, { trigger: 'on_demand', actor: caller.actor });
    } catch (error) {
        if (error instanceof LockBusyError) throw syncBusy();
        throw error;
    }
}

/** The org's Salesforce role tree, marking imported roles (UT-5). */
export async function listSalesforceRoles(deps: ServiceDeps, caller: Caller) {
    const db = deps.store.db;
    const conn = await deps.salesforce.connection(caller.orgId);
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
                .where('org_id', '=', caller.orgId)
                .where('salesforce_role_id', 'is not', null)
                .execute()
        ).map((t) => t.salesforce_role_id)
    );
    const nodes = new Map<string, RoleNode>(
        roles.map((r) => {
            const id = toSalesforceId18(r.Id);
            const parent = r.ParentRoleId ? toSalesforceId18(r.ParentRoleId) : null;
            return [id, { id, name: r.Name, parentRoleId: parent, imported: imported.has(id), children: [] }];
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

/** Import selected roles and their users once (UT-5). */
export async function importRoles(deps: ServiceDeps, caller: Caller, body: { roleIds: string[] }) {
    const db = deps.store.db;
    const org = await getOrg(db, caller.orgId);
    if (org.mode === 'automatic')
        throw conflict(
            'In automatic mode the sync brings every role and user already (UT-2): role import is a manual-mode tool'
        );
    const conn = await deps.salesforce.connection(caller.orgId);
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
        const teams = await trx.selectFrom('teams').selectAll().where('org_id', '=', caller.orgId).execute();
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
            const parentOf = (id: string) => {
                const parent = byId.get(id)?.ParentRoleId;
                return parent ? toSalesforceId18(parent) : null;
            };
            const ancestor = nearestAncestorRole(roleId, parentOf, (id) => teamOfRole.has(id));
            return ancestor ? (teamOfRole.get(ancestor) ?? null) : null;
        };
        for (const roleId of created) {
            const id = teamOfRole.get(roleId) as string;
            await trx
                .insertInto('teams')
                .values({
                    id,
                    org_id: caller.orgId,
                    name: byId.get(roleId)?.Name ?? roleId,
                    parent_id: null,
                    kind: 'hierarchy',
                    manager_user_id: null,
                    salesforce_role_id: roleId,
                    sync_key: roleTeamKey(roleId)
                })
                .execute();
        }
        for (const roleId of created) {
            const id = teamOfRole.get(roleId) as string;
            const parentId = parentTeam(roleId);
            if (parentId) await trx.updateTable('teams').set({ parent_id: parentId }).where('id', '=', id).execute();
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
            .where('org_id', '=', caller.orgId)
            .execute();
        const emails = new Set(existing.map((u) => u.email_key));
        const sfIds = new Set(existing.map((u) => u.salesforce_user_id).filter(Boolean));
        const profileId = await defaultProfileId(trx, caller.orgId);
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
                status: initialStatus({ salesforceActive: true }), // UT-13: active Salesforce users only
                source: 'role_import',
                salesforce_license: u.Profile?.UserLicense?.Name ?? null
            });
        }
        const ids = await insertUsers(trx, caller.orgId, inserts);
        inserts.forEach((u, i) =>
            audit.push({
                entity: 'user',
                entityId: ids[i] as string,
                action: 'create',
                before: null,
                after: { ...u, id: ids[i] }
            })
        );
        await recordAuditMany(trx, caller.orgId, caller.actor, audit);
        return { imported: inserts.length, teamsCreated: created.length };
    });
}
