import { z } from 'zod';
import { canSee } from '../domain/visibility';
import { conflict, invalid, invalidMany, notFound, type ErrorDetail } from '../errors';
import { recordAudit } from '../store/audit';
import type { Db } from '../store/db';
import { newId } from '../store/ids';
import { getOrg } from '../store/orgs';
import { getTeam, getTeamRow, listTeams, setTeamMembers, type TeamRow } from '../store/users';
import type { Caller } from './caller';
import { decodeCursor, encodeCursor } from './cursor';
import type { ServiceDeps } from './deps';
import { scopeOf } from './visibility';

/** Teams (UT-4): list (by visibility), create, edit, delete, custom-team members. */

export interface NewTeamInput {
    name: string;
    parentId?: string | null | undefined;
    kind: 'hierarchy' | 'custom';
    managerUserId?: string | null | undefined;
}

export interface TeamChanges {
    name?: string | undefined;
    parentId?: string | null | undefined;
    managerUserId?: string | null | undefined;
}

/** Names are unique among the children of one parent (case-insensitive), so a CSV can name a team. */
async function nameTaken(
    db: Db,
    orgId: string,
    name: string,
    parentId: string | null,
    kind: string,
    exceptId?: string
) {
    let q = db
        .selectFrom('teams')
        .select('id')
        .where('org_id', '=', orgId)
        .where('kind', '=', kind as TeamRow['kind'])
        .where((eb) => eb.fn('lower', ['name']), '=', name.trim().toLowerCase());
    q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
}

/** UT-4: nesting without cycles: the new parent may not be the team itself or any team below it. */
async function checkParent(
    db: Db,
    orgId: string,
    teamId: string | null,
    parentId: string
): Promise<ErrorDetail | null> {
    const teams = await db
        .selectFrom('teams')
        .select(['id', 'parent_id', 'kind'])
        .where('org_id', '=', orgId)
        .execute();
    const byId = new Map(teams.map((t) => [t.id, t]));
    const parent = byId.get(parentId);
    if (!parent) return { path: 'parentId', message: `no team ${parentId} in this org` };
    if (parent.kind !== 'hierarchy')
        return { path: 'parentId', message: 'is a custom team: only hierarchy teams nest' };
    const seen = new Set<string>();
    for (let cur: string | null = parentId; cur !== null && !seen.has(cur); cur = byId.get(cur)?.parent_id ?? null) {
        if (cur === teamId) return { path: 'parentId', message: 'would make the team its own ancestor (a cycle)' };
        seen.add(cur);
    }
    return null;
}

async function checkManager(db: Db, orgId: string, managerUserId: string): Promise<ErrorDetail | null> {
    const u = await db
        .selectFrom('users')
        .select('id')
        .where('org_id', '=', orgId)
        .where('id', '=', managerUserId)
        .executeTakeFirst();
    return u ? null : { path: 'managerUserId', message: `no user ${managerUserId} in this org` };
}

const snapshot = (t: TeamRow) => ({
    id: t.id,
    name: t.name,
    parentId: t.parent_id,
    kind: t.kind,
    managerUserId: t.manager_user_id,
    salesforceRoleId: t.salesforce_role_id
});

const AUTOMATIC_HIERARCHY =
    'in automatic mode the team hierarchy comes from Salesforce (UT-2): change roles there, or switch back to manual mode (UT-14)';

/** Hierarchy teams and custom teams with member counts (UT-4), filtered by the caller's visibility (SEC-2, UT-12). */
export async function listVisibleTeams(
    deps: ServiceDeps,
    caller: Caller,
    query: { limit: number; cursor?: string | undefined }
) {
    const db = deps.store.db;
    const [teams, scope] = await Promise.all([listTeams(db, caller.orgId), scopeOf(db, caller)]);
    const all = teams.filter((t) => canSee(scope.teams, t.id));
    const start = decodeCursor(query.cursor, z.object({ offset: z.number().int().min(0) }))?.offset ?? 0;
    return {
        items: all.slice(start, start + query.limit),
        nextCursor: start + query.limit < all.length ? encodeCursor({ offset: start + query.limit }) : null
    };
}

/** Create a hierarchy or custom team (UT-4). */
export async function createTeam(deps: ServiceDeps, caller: Caller, body: NewTeamInput) {
    const db = deps.store.db;
    const org = await getOrg(db, caller.orgId);
    if (body.kind === 'hierarchy' && org.mode === 'automatic')
        throw conflict(`Hierarchy teams: ${AUTOMATIC_HIERARCHY}`);
    const parentId = body.parentId ?? null;
    const details: ErrorDetail[] = [];
    if (parentId !== null) {
        if (body.kind === 'custom') details.push({ path: 'parentId', message: 'custom teams are not nested' });
        else {
            const problem = await checkParent(db, caller.orgId, null, parentId);
            if (problem) details.push(problem);
        }
    }
    if (body.managerUserId) {
        const problem = await checkManager(db, caller.orgId, body.managerUserId);
        if (problem) details.push(problem);
    }
    if (details.length > 0) throw invalidMany(details);
    const id = newId('team');
    await db.transaction().execute(async (trx) => {
        if (await nameTaken(trx, caller.orgId, body.name, parentId, body.kind))
            throw conflict(`name: a ${body.kind} team named "${body.name}" already exists here`, [
                { path: 'name', message: 'is already taken at this level' }
            ]);
        await trx
            .insertInto('teams')
            .values({
                id,
                org_id: caller.orgId,
                name: body.name,
                parent_id: parentId,
                kind: body.kind,
                manager_user_id: body.managerUserId ?? null,
                salesforce_role_id: null
            })
            .execute();
        const row = (await getTeamRow(trx, caller.orgId, id)) as TeamRow;
        await recordAudit(trx, {
            orgId: caller.orgId,
            actor: caller.actor,
            entity: 'team',
            entityId: id,
            action: 'create',
            before: null,
            after: snapshot(row)
        });
    });
    return getTeam(db, caller.orgId, id);
}

/** Rename, nest or re-manage a team (UT-4). */
export async function updateTeam(deps: ServiceDeps, caller: Caller, id: string, body: TeamChanges) {
    const db = deps.store.db;
    const org = await getOrg(db, caller.orgId);
    await db.transaction().execute(async (trx) => {
        const before = await getTeamRow(trx, caller.orgId, id);
        if (!before) throw notFound('Team', id);
        const details: ErrorDetail[] = [];
        if (org.mode === 'automatic' && before.kind === 'hierarchy') {
            // The manager is Backstory's own; name and place come from Salesforce.
            if (body.name !== undefined && body.name !== before.name)
                details.push({ path: 'name', message: `is read-only: ${AUTOMATIC_HIERARCHY}` });
            if (body.parentId !== undefined && body.parentId !== before.parent_id)
                details.push({ path: 'parentId', message: `is read-only: ${AUTOMATIC_HIERARCHY}` });
        }
        const parentId = body.parentId === undefined ? before.parent_id : body.parentId;
        if (body.parentId !== undefined && body.parentId !== null && body.parentId !== before.parent_id) {
            if (before.kind === 'custom') details.push({ path: 'parentId', message: 'custom teams are not nested' });
            else {
                const problem = await checkParent(trx, caller.orgId, before.id, body.parentId);
                if (problem) details.push(problem);
            }
        }
        if (body.managerUserId) {
            const problem = await checkManager(trx, caller.orgId, body.managerUserId);
            if (problem) details.push(problem);
        }
        if (details.length > 0) throw invalidMany(details);
        const name = body.name ?? before.name;
        if (
            (name.toLowerCase() !== before.name.toLowerCase() || parentId !== before.parent_id) &&
            (await nameTaken(trx, caller.orgId, name, parentId, before.kind, before.id))
        )
            throw conflict(`name: a team named "${name}" already exists here`, [
                { path: 'name', message: 'is already taken at this level' }
            ]);
        await trx
            .updateTable('teams')
            .set({
                name,
                parent_id: parentId,
                manager_user_id: body.managerUserId === undefined ? before.manager_user_id : body.managerUserId,
                updated_at: new Date()
            })
            .where('org_id', '=', caller.orgId)
            .where('id', '=', id)
            .execute();
        await recordAudit(trx, {
            orgId: caller.orgId,
            actor: caller.actor,
            entity: 'team',
            entityId: id,
            action: 'update',
            before: snapshot(before),
            after: snapshot((await getTeamRow(trx, caller.orgId, id)) as TeamRow)
        });
    });
    return getTeam(db, caller.orgId, id);
}

/** Delete a team (UT-4). */
export async function deleteTeam(deps: ServiceDeps, caller: Caller, id: string) {
    const db = deps.store.db;
    const org = await getOrg(db, caller.orgId);
    await db.transaction().execute(async (trx) => {
        const before = await getTeamRow(trx, caller.orgId, id);
        if (!before) throw notFound('Team', id);
        if (before.kind === 'hierarchy') {
            if (org.mode === 'automatic') throw conflict(`Hierarchy teams: ${AUTOMATIC_HIERARCHY}`);
            const [users, children] = await Promise.all([
                trx
                    .selectFrom('users')
                    .select((eb) => eb.fn.countAll<number>().as('n'))
                    .where('org_id', '=', caller.orgId)
                    .where('team_id', '=', id)
                    .executeTakeFirstOrThrow(),
                trx
                    .selectFrom('teams')
                    .select((eb) => eb.fn.countAll<number>().as('n'))
                    .where('org_id', '=', caller.orgId)
                    .where('parent_id', '=', id)
                    .executeTakeFirstOrThrow()
            ]);
            const n = Number(users.n);
            const c = Number(children.n);
            if (n > 0 || c > 0)
                throw conflict(
                    `"${before.name}" still has ${[n > 0 ? `${n} user${n === 1 ? '' : 's'}` : '', c > 0 ? `${c} sub-team${c === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ')}: move them to another team first`
                );
        }
        await trx.deleteFrom('teams').where('org_id', '=', caller.orgId).where('id', '=', id).execute();
        await recordAudit(trx, {
            orgId: caller.orgId,
            actor: caller.actor,
            entity: 'team',
            entityId: id,
            action: 'delete',
            before: snapshot(before),
            after: null
        });
    });
    return undefined;
}

/** Replace a custom team's members (UT-4). */
export async function setCustomTeamMembers(deps: ServiceDeps, caller: Caller, id: string, body: { userIds: string[] }) {
    const db = deps.store.db;
    await db.transaction().execute(async (trx) => {
        const team = await getTeamRow(trx, caller.orgId, id);
        if (!team) throw notFound('Team', id);
        if (team.kind !== 'custom')
            throw invalid(
                'userIds',
                'members are set on custom teams; a hierarchy team holds the users whose teamId is it'
            );
        const ids = [...new Set(body.userIds)];
        const found = new Set(
            ids.length === 0
                ? []
                : (
                      await trx
                          .selectFrom('users')
                          .select('id')
                          .where('org_id', '=', caller.orgId)
                          .where('id', 'in', ids)
                          .execute()
                  ).map((r) => r.id)
        );
        const details = body.userIds
            .map((id, i) => (found.has(id) ? null : { path: `userIds.${i}`, message: `no user ${id} in this org` }))
            .filter((d): d is ErrorDetail => d !== null);
        if (details.length > 0) throw invalidMany(details);
        const before = (
            await trx
                .selectFrom('team_members')
                .select('user_id')
                .where('org_id', '=', caller.orgId)
                .where('team_id', '=', id)
                .orderBy('user_id')
                .execute()
        ).map((r) => r.user_id);
        await setTeamMembers(trx, caller.orgId, id, ids);
        await recordAudit(trx, {
            orgId: caller.orgId,
            actor: caller.actor,
            entity: 'team',
            entityId: id,
            action: 'update',
            before: { ...snapshot(team), memberIds: before },
            after: { ...snapshot(team), memberIds: [...ids].sort() }
        });
    });
    return getTeam(db, caller.orgId, id);
}
