/**
 * Object visibility (UT-12, SEC-2): whose activity a viewer may see. One pure function, used by
 * every read of users and activities.
 *
 * - The org's API key on its own (viewer `null`) and users whose role is Admin see everything
 *   (UT-10: Admin has access to all platform data).
 * - A suspended viewer sees nothing (UT-9), whatever the role.
 * - Full: every user of the org.
 * - Team: the viewer, every user of the viewer's hierarchy team and of every team below it, every
 *   user of teams the viewer manages and the teams below those, and the members of every custom
 *   team the viewer belongs to (custom teams exist to make someone a teammate of several teams at
 *   once, seed 001; they have no sub-teams).
 * - Individual: the viewer alone.
 *
 * Teams (GET /v1/teams) follow the same scope: a team is visible when the viewer may see its
 * members: every team for admins, Full and the org's key; for Team, the viewer's hierarchy team,
 * the teams they manage, every team below those, and the custom teams they belong to; for
 * Individual, only the teams the viewer belongs to (so a rep can name their own team, and sees no
 * teammate through it). Users, teams, activities and matches all read `visibilityScope`.
 */

export interface VisibilityGraph {
    users: { id: string; teamId: string | null; customTeamIds: string[]; status: string }[];
    teams: { id: string; parentId: string | null; managerUserId?: string | null }[];
}

export interface Viewer {
    userId: string;
    role: string;
    visibility: 'full' | 'team' | 'individual';
    status: string;
}

/** Whose data (owners) and which teams one viewer may see. */
export interface VisibilityScope {
    owners: 'all' | Set<string>;
    teams: 'all' | Set<string>;
}

/** Does the viewer need the org's users and teams to decide? (Admins, Full and Individual do not.) */
export function needsGraph(viewer: Viewer | null): boolean {
    return viewer !== null && viewer.status !== 'suspended' && viewer.role !== 'admin' && viewer.visibility !== 'full';
}

export function visibilityScope(viewer: Viewer | null, graph: VisibilityGraph): VisibilityScope {
    if (viewer === null) return { owners: 'all', teams: 'all' };
    if (viewer.status === 'suspended') return { owners: new Set(), teams: new Set() };
    if (viewer.role === 'admin' || viewer.visibility === 'full') return { owners: 'all', teams: 'all' };
    const me = graph.users.find((u) => u.id === viewer.userId);
    const ownTeams = [...(me?.teamId ? [me.teamId] : []), ...(me?.customTeamIds ?? [])];
    if (viewer.visibility === 'individual') return { owners: new Set([viewer.userId]), teams: new Set(ownTeams) };
    const owners = visibleOwnerIds(viewer, graph) as Set<string>;
    const teams = new Set(teamsInScope(viewer, graph, me));
    for (const id of me?.customTeamIds ?? []) teams.add(id);
    return { owners, teams };
}

export const canSee = (scope: 'all' | Set<string>, id: string): boolean => scope === 'all' || scope.has(id);

/** Own hierarchy team and managed teams, with every team below them (cycle-safe). */
function teamsInScope(viewer: Viewer, graph: VisibilityGraph, me: VisibilityGraph['users'][number] | undefined) {
    const children = new Map<string, string[]>();
    for (const t of graph.teams) {
        if (t.parentId === null) continue;
        const list = children.get(t.parentId) ?? [];
        list.push(t.id);
        children.set(t.parentId, list);
    }
    const roots = [
        ...(me?.teamId ? [me.teamId] : []),
        ...graph.teams.filter((t) => t.managerUserId === viewer.userId).map((t) => t.id)
    ];
    const teams = new Set<string>();
    const stack = [...roots];
    while (stack.length > 0) {
        const id = stack.pop() as string;
        if (teams.has(id)) continue;
        teams.add(id);
        stack.push(...(children.get(id) ?? []));
    }
    return teams;
}

export function visibleOwnerIds(viewer: Viewer | null, graph: VisibilityGraph): 'all' | Set<string> {
    if (viewer === null) return 'all';
    if (viewer.status === 'suspended') return new Set();
    if (viewer.role === 'admin' || viewer.visibility === 'full') return 'all';
    const visible = new Set<string>([viewer.userId]);
    if (viewer.visibility === 'individual') return visible;

    const me = graph.users.find((u) => u.id === viewer.userId);
    const teams = teamsInScope(viewer, graph, me);
    const customTeams = new Set(me?.customTeamIds ?? []);
    for (const u of graph.users) {
        if ((u.teamId !== null && teams.has(u.teamId)) || u.customTeamIds.some((id) => customTeams.has(id))) {
            visible.add(u.id);
        }
    }
    return visible;
}
