import type { Kysely } from 'kysely';
import type { Logger } from '../logger';
import type { SalesforceGateway } from '../salesforce/connection';
import type { Store } from '../store/db';
import type { Database, UserRole, UserStatus, Visibility } from '../store/schema';
import { visibleOwnerIds, type VisibilityGraph } from '../domain/visibility';

/** What the rep-facing services (activities, Edit Match, follow-ups, notifications) need. */
export interface RepServiceDeps {
    store: Store;
    salesforce: SalesforceGateway;
    logger: Logger;
    clock?: () => Date;
}

/**
 * The plain caller of a service: the org, who acts (for the audit trail), and the Backstory user
 * the call runs as (null for the org's own key, which acts as an admin).
 */
export interface RepCaller {
    orgId: string;
    actor: string;
    isAdmin: boolean;
    actingUser: {
        userId: string;
        role: UserRole;
        visibility: Visibility;
        status: UserStatus;
        salesforceUserId: string;
    } | null;
}

export async function visibilityGraph(db: Kysely<Database>, orgId: string): Promise<VisibilityGraph> {
    const [users, teams, members] = await Promise.all([
        db.selectFrom('users').select(['id', 'team_id', 'status']).where('org_id', '=', orgId).execute(),
        db.selectFrom('teams').select(['id', 'parent_id', 'manager_user_id']).where('org_id', '=', orgId).execute(),
        db.selectFrom('team_members').select(['team_id', 'user_id']).where('org_id', '=', orgId).execute()
    ]);
    const custom = new Map<string, string[]>();
    for (const m of members) custom.set(m.user_id, [...(custom.get(m.user_id) ?? []), m.team_id]);
    return {
        users: users.map((u) => ({
            id: u.id,
            teamId: u.team_id,
            status: u.status,
            customTeamIds: custom.get(u.id) ?? []
        })),
        teams: teams.map((t) => ({ id: t.id, parentId: t.parent_id, managerUserId: t.manager_user_id }))
    };
}

/** UT-12 (SEC-2): the Backstory users whose activity the caller may read. */
export async function visibleOwners(db: Kysely<Database>, caller: RepCaller): Promise<'all' | Set<string>> {
    const u = caller.actingUser;
    if (!u) return 'all';
    const graph =
        u.visibility === 'team' && u.role !== 'admin'
            ? await visibilityGraph(db, caller.orgId)
            : { users: [], teams: [] };
    return visibleOwnerIds({ userId: u.userId, role: u.role, visibility: u.visibility, status: u.status }, graph);
}

/**
 * The Salesforce users whose records the caller may pick in Edit Match (MATCH-10: "any record of
 * the replica that they may see"): everyone's for admins and Full visibility; else the records
 * owned by the Backstory users within the caller's visibility (UT-12: objects owned by the user,
 * their team and the teams below).
 */
export async function visibleRecordOwners(db: Kysely<Database>, caller: RepCaller): Promise<'all' | Set<string>> {
    const owners = await visibleOwners(db, caller);
    if (owners === 'all') return 'all';
    if (owners.size === 0) return new Set();
    const rows = await db
        .selectFrom('users')
        .select('salesforce_user_id')
        .where('org_id', '=', caller.orgId)
        .where('id', 'in', [...owners])
        .execute();
    const ids = new Set<string>();
    for (const r of rows) if (r.salesforce_user_id) ids.add(r.salesforce_user_id);
    return ids;
}

/** Salesforce ids compare on their first 15 characters (the 18-character form adds a checksum). */
export const sameSalesforceId = (a: string | null | undefined, b: string | null | undefined): boolean =>
    !!a && !!b && a.slice(0, 15) === b.slice(0, 15);
