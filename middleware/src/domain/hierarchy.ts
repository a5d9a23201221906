/**
 * The team hierarchy automatic mode builds from Salesforce (UT-2, UT-3): from the role
 * hierarchy (default) or from manager chains (`hierarchySource: manager`). Pure: the sync feeds it
 * the mirror of the org's users and roles and reconciles the teams table with the result.
 */

export interface SfUser {
    id: string;
    firstName: string | null;
    lastName: string;
    email: string;
    title: string | null;
    isActive: boolean;
    userRoleId: string | null;
    managerId: string | null;
}

export interface SfRole {
    id: string;
    name: string;
    parentRoleId: string | null;
}

export interface DesiredTeam {
    /** `role:<id>`, `manager:<userId>` or `top`: the team's sync key. */
    key: string;
    name: string;
    parentKey: string | null;
    salesforceRoleId: string | null;
    /** Manager chains: the Salesforce user who manages the team. */
    managerSalesforceUserId: string | null;
}

export interface DesiredHierarchy {
    teams: DesiredTeam[];
    /** Salesforce user id → team key, for every active user. */
    teamOf: Map<string, string>;
    /** Where users absent from the hierarchy go (UT-3). */
    topKey: string;
}

export const TOP_KEY = 'top';

/** The sync key of the team that stands for a Salesforce role (`role:<id>`). */
export const roleTeamKey = (roleId: string): string => `role:${roleId}`;

/** The sync key of a manager's team (`manager:<userId>`). */
export const managerTeamKey = (salesforceUserId: string): string => `manager:${salesforceUserId}`;

/**
 * The nearest ancestor of a role that satisfies `has` (a role that has a team, say), walking up
 * `parentOf`; null at the top. A loop in the parent links ends the walk.
 */
export function nearestAncestorRole(
    roleId: string,
    parentOf: (roleId: string) => string | null | undefined,
    has: (roleId: string) => boolean
): string | null {
    const seen = new Set<string>([roleId]);
    let cur = parentOf(roleId);
    while (cur && !seen.has(cur)) {
        if (has(cur)) return cur;
        seen.add(cur);
        cur = parentOf(cur);
    }
    return null;
}

const fullName = (u: SfUser) => [u.firstName, u.lastName].filter(Boolean).join(' ');

/** Drop parent links that would close a loop (Salesforce forbids role loops; manager loops happen). */
function breakCycles(teams: DesiredTeam[]): void {
    const byKey = new Map(teams.map((t) => [t.key, t]));
    for (const t of teams) {
        const seen = new Set<string>([t.key]);
        let cur = t.parentKey ? byKey.get(t.parentKey) : undefined;
        while (cur) {
            if (seen.has(cur.key)) {
                t.parentKey = null;
                break;
            }
            seen.add(cur.key);
            cur = cur.parentKey ? byKey.get(cur.parentKey) : undefined;
        }
    }
}

/**
 * One top-level team: the single root of the hierarchy, or, when there are several roots (or
 * none), a team named after the org above them all.
 */
function withTop(teams: DesiredTeam[], orgName: string): { teams: DesiredTeam[]; topKey: string } {
    breakCycles(teams);
    const roots = teams.filter((t) => t.parentKey === null);
    if (roots.length === 1) return { teams, topKey: (roots[0] as DesiredTeam).key };
    for (const r of roots) r.parentKey = TOP_KEY;
    return {
        teams: [
            { key: TOP_KEY, name: orgName, parentKey: null, salesforceRoleId: null, managerSalesforceUserId: null },
            ...teams
        ],
        topKey: TOP_KEY
    };
}

export function buildHierarchy(
    users: SfUser[],
    roles: SfRole[],
    source: 'role' | 'manager',
    orgName: string
): DesiredHierarchy {
    const active = users.filter((u) => u.isActive);
    if (source === 'role') {
        const roleIds = new Set(roles.map((r) => r.id));
        const { teams, topKey } = withTop(
            roles.map((r) => ({
                key: roleTeamKey(r.id),
                name: r.name,
                parentKey: r.parentRoleId && roleIds.has(r.parentRoleId) ? roleTeamKey(r.parentRoleId) : null,
                salesforceRoleId: r.id,
                managerSalesforceUserId: null
            })),
            orgName
        );
        const teamOf = new Map(
            active.map((u) => [u.id, u.userRoleId && roleIds.has(u.userRoleId) ? roleTeamKey(u.userRoleId) : topKey])
        );
        return { teams, teamOf, topKey };
    }
    // Manager chains: every active user who manages an active user heads a team of their direct
    // reports, nested under their own manager's team; a manager sits in their manager's team.
    const byId = new Map(active.map((u) => [u.id, u]));
    const managers = new Set(active.map((u) => u.managerId).filter((m): m is string => m !== null && byId.has(m)));
    const { teams, topKey } = withTop(
        [...managers].map((id) => {
            const m = byId.get(id) as SfUser;
            return {
                key: managerTeamKey(id),
                name: `${fullName(m)}'s team`,
                parentKey: m.managerId && managers.has(m.managerId) ? managerTeamKey(m.managerId) : null,
                salesforceRoleId: null,
                managerSalesforceUserId: id
            };
        }),
        orgName
    );
    const teamOf = new Map(
        active.map((u) => [
            u.id,
            u.managerId && managers.has(u.managerId)
                ? managerTeamKey(u.managerId)
                : managers.has(u.id)
                  ? managerTeamKey(u.id)
                  : topKey
        ])
    );
    return { teams, teamOf, topKey };
}

/** The User record fields the sync reads from Salesforce (salesforce/users.ts queries them). */
export interface SalesforceUser {
    Id: string;
    Username: string;
    FirstName: string | null;
    LastName: string;
    Email: string;
    Title: string | null;
    IsActive: boolean;
    UserType: string | null;
    UserRoleId: string | null;
    ManagerId: string | null;
    Profile: { UserLicense: { Name: string | null } | null } | null;
    SystemModstamp: string;
}

export interface SalesforceRole {
    Id: string;
    Name: string;
    ParentRoleId: string | null;
    SystemModstamp: string;
}
