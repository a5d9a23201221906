import { needsGraph, visibilityScope, type Viewer, type VisibilityScope } from '../domain/visibility';
import type { Db } from '../store/db';
import { loadVisibilityGraph } from '../store/users';
import type { Caller } from './caller';

export function viewerOf(caller: Caller): Viewer | null {
    const a = caller.actingUser;
    if (caller.isAdmin || !a) return null;
    return { userId: a.userId, role: a.role, visibility: a.visibility, status: a.status };
}

/** The one visibility path (SEC-2, UT-12): users, teams, activities and matches all ask this. */
export async function scopeOf(db: Db, caller: Caller): Promise<VisibilityScope> {
    const viewer = viewerOf(caller);
    const graph = needsGraph(viewer) ? await loadVisibilityGraph(db, caller.orgId) : { users: [], teams: [] };
    return visibilityScope(viewer, graph);
}
