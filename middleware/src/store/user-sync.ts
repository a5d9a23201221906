import { sql, type ColumnType, type Kysely, type Transaction } from 'kysely';
import { usersWithActivity } from './activities';
import {
    buildHierarchy,
    type SalesforceRole,
    type SalesforceUser,
    type SfRole,
    type SfUser
} from '../domain/hierarchy';
import { initialStatus, nextStatus } from '../domain/user-lifecycle';
import { evaluateRules } from '../domain/user-settings-rules';
import { normalizeLicenses, toSalesforceId18 } from '../domain/users';
import { newId } from './ids';
import { readRules } from './rules';
import type { CreatedAt, Database, NullableTimestamp } from './schema';
import {
    customTeamsOf,
    insertUsers,
    recordAuditMany,
    toUserDto,
    updateUser,
    type AuditRow,
    type NewUser,
    type UserPatch,
    type UserRow
} from './users';

/** 0003: the org's Salesforce users as the last sync saw them (the automatic sync's mirror, UT-2). */
export interface SfUserTable {
    org_id: string;
    id: string;
    username: string;
    first_name: string | null;
    last_name: string;
    email: string;
    title: string | null;
    is_active: boolean;
    user_type: string | null;
    user_role_id: string | null;
    manager_id: string | null;
    /** Profile.UserLicense.Name: a change suspends the Backstory user (UT-13). */
    license_name: string | null;
    system_modstamp: string;
}

/** 0003: the org's Salesforce roles as the last sync saw them. */
export interface SfRoleTable {
    org_id: string;
    id: string;
    name: string;
    parent_role_id: string | null;
    system_modstamp: string;
}

export interface UserSyncRunTable {
    id: string;
    org_id: string;
    trigger: 'schedule' | 'on_demand' | 'enable';
    started_at: CreatedAt;
    finished_at: NullableTimestamp;
    status: 'running' | 'ok' | 'error';
    users_fetched: ColumnType<number, number | undefined>;
    roles_fetched: ColumnType<number, number | undefined>;
    created: ColumnType<number, number | undefined>;
    updated: ColumnType<number, number | undefined>;
    suspended: ColumnType<number, number | undefined>;
    moved_to_top_level: ColumnType<number, number | undefined>;
    error: string | null;
}

export interface UserSyncTables {
    sf_users: SfUserTable;
    sf_roles: SfRoleTable;
    user_sync_runs: UserSyncRunTable;
}

// ---------------------------------------------------------------------------------------------
// Applying a sync (UT-2, UT-3, UT-13, UT-15, USR-2)
// ---------------------------------------------------------------------------------------------

type Trx = Transaction<Database>;

export interface SyncCounts {
    created: number;
    updated: number;
    suspended: number;
    movedToTopLevel: number;
}

export interface SyncInput {
    users: SalesforceUser[];
    roles: SalesforceRole[];
    roleIds: string[];
    integrationUserId: string;
}

/** Users the sync manages: standard (licensed, internal) users, never the integration user itself. */
function inScope(u: { user_type: string | null; id: string }, integrationUserId: string): boolean {
    return (u.user_type ?? 'Standard') === 'Standard' && u.id !== toSalesforceId18(integrationUserId);
}

async function upsertMirror(trx: Trx, orgId: string, input: SyncInput): Promise<void> {
    for (let i = 0; i < input.users.length; i += 1000) {
        const values = input.users.slice(i, i + 1000).map((u) => ({
            org_id: orgId,
            id: toSalesforceId18(u.Id),
            username: u.Username,
            first_name: u.FirstName,
            last_name: u.LastName,
            email: u.Email,
            title: u.Title,
            is_active: u.IsActive,
            user_type: u.UserType,
            user_role_id: u.UserRoleId ? toSalesforceId18(u.UserRoleId) : null,
            manager_id: u.ManagerId ? toSalesforceId18(u.ManagerId) : null,
            license_name: u.Profile?.UserLicense?.Name ?? null,
            system_modstamp: u.SystemModstamp
        }));
        await trx
            .insertInto('sf_users')
            .values(values)
            .onConflict((oc) =>
                oc.columns(['org_id', 'id']).doUpdateSet((eb) => ({
                    username: eb.ref('excluded.username'),
                    first_name: eb.ref('excluded.first_name'),
                    last_name: eb.ref('excluded.last_name'),
                    email: eb.ref('excluded.email'),
                    title: eb.ref('excluded.title'),
                    is_active: eb.ref('excluded.is_active'),
                    user_type: eb.ref('excluded.user_type'),
                    user_role_id: eb.ref('excluded.user_role_id'),
                    manager_id: eb.ref('excluded.manager_id'),
                    license_name: eb.ref('excluded.license_name'),
                    system_modstamp: eb.ref('excluded.system_modstamp')
                }))
            )
            .execute();
    }
    if (input.roles.length > 0)
        await trx
            .insertInto('sf_roles')
            .values(
                input.roles.map((r) => ({
                    org_id: orgId,
                    id: toSalesforceId18(r.Id),
                    name: r.Name,
                    parent_role_id: r.ParentRoleId ? toSalesforceId18(r.ParentRoleId) : null,
                    system_modstamp: r.SystemModstamp
                }))
            )
            .onConflict((oc) =>
                oc.columns(['org_id', 'id']).doUpdateSet((eb) => ({
                    name: eb.ref('excluded.name'),
                    parent_role_id: eb.ref('excluded.parent_role_id'),
                    system_modstamp: eb.ref('excluded.system_modstamp')
                }))
            )
            .execute();
    const live = input.roleIds.map(toSalesforceId18);
    let del = trx.deleteFrom('sf_roles').where('org_id', '=', orgId);
    if (live.length > 0) del = del.where('id', 'not in', live);
    await del.execute();
}

const maxStamp = (current: string | null, rows: { SystemModstamp: string }[]) =>
    rows.reduce<string | null>(
        (max, r) =>
            max === null ||
            Date.parse(r.SystemModstamp.replace(/\+0000$/, 'Z')) > Date.parse(max.replace(/\+0000$/, 'Z'))
                ? r.SystemModstamp
                : max,
        current
    );

/**
 * Apply what the sync read, in the caller's transaction: update the mirror, rebuild the hierarchy
 * from the whole mirror, reconcile teams and users. `replace` (enabling automatic mode, UT-3)
 * also deletes the hand-made hierarchy teams and moves users absent from Salesforce's hierarchy
 * to the top-level team (never suspended).
 */
export async function applyUserSync(
    trx: Trx,
    orgId: string,
    input: SyncInput,
    options: { replace: boolean; actor: string }
): Promise<SyncCounts> {
    const org = await trx.selectFrom('orgs').selectAll().where('id', '=', orgId).forUpdate().executeTakeFirstOrThrow();
    await upsertMirror(trx, orgId, input);
    const [mirrorUsers, mirrorRoles] = await Promise.all([
        trx.selectFrom('sf_users').selectAll().where('org_id', '=', orgId).execute(),
        trx.selectFrom('sf_roles').selectAll().where('org_id', '=', orgId).execute()
    ]);
    const scoped = mirrorUsers.filter((u) => inScope(u, input.integrationUserId));
    const sfUsers: SfUser[] = scoped.map((u) => ({
        id: u.id,
        firstName: u.first_name,
        lastName: u.last_name,
        email: u.email,
        title: u.title,
        isActive: u.is_active,
        userRoleId: u.user_role_id,
        managerId: u.manager_id
    }));
    const sfRoles: SfRole[] = mirrorRoles.map((r) => ({ id: r.id, name: r.name, parentRoleId: r.parent_role_id }));
    const desired = buildHierarchy(sfUsers, sfRoles, org.hierarchy_source, org.name);
    const audit: AuditRow[] = [];

    // Teams: reuse by sync key (ids survive syncs), create the new ones, then set every parent.
    const existingTeams = await trx.selectFrom('teams').selectAll().where('org_id', '=', orgId).execute();
    const byKey = new Map(existingTeams.filter((t) => t.sync_key).map((t) => [t.sync_key as string, t]));
    const teamId = new Map<string, string>();
    for (const t of desired.teams) {
        const found = byKey.get(t.key);
        if (found) teamId.set(t.key, found.id);
        else {
            const id = newId('team');
            teamId.set(t.key, id);
            await trx
                .insertInto('teams')
                .values({
                    id,
                    org_id: orgId,
                    name: t.name,
                    parent_id: null,
                    kind: 'hierarchy',
                    manager_user_id: null,
                    salesforce_role_id: t.salesforceRoleId,
                    sync_key: t.key
                })
                .execute();
            audit.push({
                entity: 'team',
                entityId: id,
                action: 'create',
                before: null,
                after: { id, name: t.name, salesforceRoleId: t.salesforceRoleId }
            });
        }
    }
    for (const t of desired.teams) {
        const id = teamId.get(t.key) as string;
        const parentId = t.parentKey ? (teamId.get(t.parentKey) ?? null) : null;
        const found = byKey.get(t.key);
        if (found && found.name === t.name && found.parent_id === parentId && found.kind === 'hierarchy') continue;
        await trx
            .updateTable('teams')
            .set({ name: t.name, parent_id: parentId, kind: 'hierarchy', updated_at: new Date() })
            .where('org_id', '=', orgId)
            .where('id', '=', id)
            .execute();
        if (found)
            audit.push({
                entity: 'team',
                entityId: id,
                action: 'update',
                before: { name: found.name, parentId: found.parent_id },
                after: { name: t.name, parentId }
            });
    }
    const desiredIds = new Set(teamId.values());
    const obsolete = existingTeams.filter(
        (t) =>
            t.kind === 'hierarchy' &&
            !desiredIds.has(t.id) &&
            t.sync_key !== 'unassigned' &&
            (t.sync_key !== null || options.replace)
    );
    const obsoleteIds = new Set(obsolete.map((t) => t.id));
    const topId = teamId.get(desired.topKey) as string;

    // Users.
    const users = await trx.selectFrom('users').selectAll().where('org_id', '=', orgId).execute();
    const bySf = new Map(users.filter((u) => u.salesforce_user_id).map((u) => [u.salesforce_user_id as string, u]));
    const byEmail = new Map(users.filter((u) => !u.salesforce_user_id).map((u) => [u.email_key, u]));
    const takenEmails = new Set(users.map((u) => u.email_key));
    const rules = await readRules(trx, orgId);
    const counts: SyncCounts = { created: 0, updated: 0, suspended: 0, movedToTopLevel: 0 };
    const mirrorById = new Map(scoped.map((u) => [u.id, u]));
    const managed = new Set<string>();
    const patches: { row: UserRow; patch: UserPatch }[] = [];
    const inserts: NewUser[] = [];
    const teamNameById = new Map(desired.teams.map((t) => [teamId.get(t.key) as string, t.name]));
    // UT-13: a permission error clears on a new link only; whether they have activity decides where to.
    const erroredIds = users.filter((u) => u.status === 'permission_error').map((u) => u.id);
    const withActivity = await usersWithActivity(trx, orgId, erroredIds);

    for (const sf of scoped) {
        let row = bySf.get(sf.id);
        if (!row && sf.is_active) {
            row = byEmail.get(sf.email.toLowerCase());
            if (row) byEmail.delete(row.email_key);
        }
        const desiredTeam = desired.teamOf.get(sf.id);
        const team = desiredTeam ? (teamId.get(desiredTeam) ?? topId) : null;
        if (!row) {
            if (!sf.is_active || takenEmails.has(sf.email.toLowerCase())) continue;
            // USR-2: settings from the first matching rule, or the catch-all, once, at creation.
            const manager = sf.manager_id ? mirrorById.get(sf.manager_id) : undefined;
            const rule = evaluateRules(rules, {
                teamName: team ? teamNameById.get(team) : null,
                teamManagerEmail: manager?.email ?? null,
                jobTitle: sf.title
            });
            takenEmails.add(sf.email.toLowerCase());
            inserts.push({
                first_name: sf.first_name ?? '',
                last_name: sf.last_name,
                email: sf.email,
                job_title: sf.title,
                salesforce_user_id: sf.id,
                role: rule.assignments.role,
                licenses: normalizeLicenses(rule.assignments.licenses),
                visibility: rule.assignments.visibility,
                profile_id: rule.assignments.profileId,
                team_id: team,
                status: initialStatus({ salesforceActive: true }), // UT-13: linked to an active Salesforce user
                source: 'automatic',
                salesforce_license: sf.license_name
            });
            continue;
        }
        managed.add(row.id);
        const patch: UserPatch = {};
        if (row.salesforce_user_id !== sf.id) patch.salesforce_user_id = sf.id;
        if ((sf.first_name ?? '') !== row.first_name) patch.first_name = sf.first_name ?? '';
        if (sf.last_name !== row.last_name) patch.last_name = sf.last_name;
        if (sf.title !== row.job_title) patch.job_title = sf.title;
        if (sf.is_active && team && team !== row.team_id) patch.team_id = team;
        let suspend: 'salesforce_deactivated' | 'salesforce_license_changed' | null = null;
        if (!sf.is_active) suspend = 'salesforce_deactivated';
        else if (row.salesforce_license !== null && sf.license_name !== row.salesforce_license)
            suspend = 'salesforce_license_changed';
        if (sf.license_name !== row.salesforce_license) patch.salesforce_license = sf.license_name;
        if (suspend && row.status !== 'suspended') {
            patch.status = 'suspended';
            patch.status_reason = suspend;
            patch.suspended_from = row.status;
            counts.suspended++;
        } else if (!suspend && row.status === 'suspended' && row.status_reason === 'salesforce_deactivated') {
            // Reactivated in Salesforce: the status before the suspension comes back.
            patch.status = row.suspended_from ?? 'active';
            patch.status_reason = null;
            patch.suspended_from = null;
        } else if (!suspend && (row.status === 'pending' || patch.salesforce_user_id !== undefined)) {
            // UT-13: linked to an active Salesforce user (Pending → Onboarding; a new link clears a permission error).
            const next = nextStatus(
                row.status,
                { kind: 'linked', salesforceActive: true },
                { hasActivity: withActivity.has(row.id) }
            );
            if (next !== row.status) patch.status = next;
        }
        if (Object.keys(patch).length > 0) {
            // Suspensions are counted apart; a new licence snapshot or link alone is no visible update.
            const visible = Object.keys(patch).some((k) => k !== 'salesforce_license' && k !== 'salesforce_user_id');
            if (visible && patch.status !== 'suspended') counts.updated++;
            patches.push({ row, patch });
        }
    }

    // Users Salesforce's hierarchy does not hold (UT-3): to the top-level team when automatic mode
    // is enabled, or later when their team is gone; never suspended. Users added by hand in
    // automatic mode stay in Unassigned (UT-15).
    const unassignedId = byKey.get('unassigned')?.id;
    for (const row of users) {
        if (managed.has(row.id) || (unassignedId !== undefined && row.team_id === unassignedId)) continue;
        const move = options.replace ? row.team_id !== topId : row.team_id !== null && obsoleteIds.has(row.team_id);
        if (move) {
            patches.push({ row, patch: { team_id: topId } });
            counts.movedToTopLevel++;
        }
    }

    const insertedIds = await insertUsers(trx, orgId, inserts);
    counts.created = inserts.length;
    inserts.forEach((u, i) =>
        audit.push({
            entity: 'user',
            entityId: insertedIds[i] as string,
            action: 'create',
            before: null,
            after: { ...u, id: insertedIds[i] }
        })
    );
    const custom = await customTeamsOf(
        trx,
        orgId,
        patches.map((p) => p.row.id)
    );
    for (const { row, patch } of patches) {
        await updateUser(trx, orgId, row.id, patch);
        const teams = custom.get(row.id) ?? [];
        audit.push({
            entity: 'user',
            entityId: row.id,
            action: 'update',
            before: toUserDto(row, teams),
            after: toUserDto({ ...row, ...patch } as UserRow, teams)
        });
    }
    for (const t of obsolete) {
        await trx.deleteFrom('teams').where('org_id', '=', orgId).where('id', '=', t.id).execute();
        audit.push({
            entity: 'team',
            entityId: t.id,
            action: 'delete',
            before: { id: t.id, name: t.name, parentId: t.parent_id },
            after: null
        });
    }

    // Manager chains: the team's manager is the Backstory user of its Salesforce manager.
    const sfToUser = new Map(
        (
            await trx
                .selectFrom('users')
                .select(['id', 'salesforce_user_id'])
                .where('org_id', '=', orgId)
                .where('salesforce_user_id', 'is not', null)
                .execute()
        ).map((u) => [u.salesforce_user_id as string, u.id])
    );
    for (const t of desired.teams) {
        if (!t.managerSalesforceUserId) continue;
        await trx
            .updateTable('teams')
            .set({ manager_user_id: sfToUser.get(t.managerSalesforceUserId) ?? null })
            .where('org_id', '=', orgId)
            .where('id', '=', teamId.get(t.key) as string)
            .execute();
    }

    await trx
        .updateTable('orgs')
        .set({
            user_sync_watermark: maxStamp(org.user_sync_watermark, input.users),
            role_sync_watermark: maxStamp(org.role_sync_watermark, input.roles),
            last_sync_at: sql`now()`,
            updated_at: sql`now()`
        })
        .where('id', '=', orgId)
        .execute();
    await recordAuditMany(trx, orgId, options.actor, audit);
    return counts;
}

/** Start and finish of a sync run (kept for the record and for the docs' figures). */
export async function startSyncRun(
    db: Kysely<Database>,
    orgId: string,
    trigger: UserSyncRunTable['trigger']
): Promise<string> {
    const id = newId('run');
    await db
        .insertInto('user_sync_runs')
        .values({ id, org_id: orgId, trigger, status: 'running', error: null, finished_at: null })
        .execute();
    return id;
}

export async function finishSyncRun(
    db: Kysely<Database>,
    id: string,
    result: { counts?: SyncCounts; usersFetched?: number; rolesFetched?: number; error?: string }
): Promise<void> {
    await db
        .updateTable('user_sync_runs')
        .set({
            status: result.error ? 'error' : 'ok',
            finished_at: sql`now()`,
            users_fetched: result.usersFetched ?? 0,
            roles_fetched: result.rolesFetched ?? 0,
            created: result.counts?.created ?? 0,
            updated: result.counts?.updated ?? 0,
            suspended: result.counts?.suspended ?? 0,
            moved_to_top_level: result.counts?.movedToTopLevel ?? 0,
            error: result.error ?? null
        })
        .where('id', '=', id)
        .execute();
}

/** Automatic-mode orgs never synced or last synced longer ago than their interval, by the database's clock (UT-2). */
export async function orgsDueForUserSync(db: Kysely<Database>): Promise<string[]> {
    const due = await db
        .selectFrom('orgs')
        .select('id')
        .where('mode', '=', 'automatic')
        .where((eb) =>
            eb.or([
                eb('last_sync_at', 'is', null),
                eb('last_sync_at', '<=', sql<Date>`now() - make_interval(mins => orgs.sync_interval_minutes)`)
            ])
        )
        .execute();
    return due.map((o) => o.id);
}

/** The name of a Salesforce user of the org as the last user sync saw it, or null (an id of 15 or 18 characters). */
export async function findSalesforceUserName(
    db: Kysely<Database>,
    orgId: string,
    salesforceUserId: string
): Promise<string | null> {
    const id = toSalesforceId18(salesforceUserId);
    const row = await db
        .selectFrom('sf_users')
        .select(['first_name', 'last_name'])
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
    return row ? [row.first_name, row.last_name].filter(Boolean).join(' ') : null;
}
