import { canSee, visibilityScope, visibleOwnerIds, type Viewer, type VisibilityGraph } from './visibility';

/**
 * SEC-2 / UT-12: one table, every role × visibility × relation. Users and activities (and the
 * matches stored on them) are read through the owner scope, teams through the team scope; both
 * come from one `visibilityScope` call, so the table proves the four reads agree.
 *
 * The org:  Sales (managed by `boss`) ⊃ East ⊃ East-1;  West (a sibling of Sales);  a custom
 * team "Pod" holding `viewer` and `podmate` (who sits in West).
 */
const graph: VisibilityGraph = {
    teams: [
        { id: 'sales', parentId: null, managerUserId: 'boss' },
        { id: 'east', parentId: 'sales' },
        { id: 'east1', parentId: 'east' },
        { id: 'west', parentId: null },
        { id: 'pod', parentId: null }
    ],
    users: [
        { id: 'viewer', teamId: 'east', customTeamIds: ['pod'], status: 'active' },
        { id: 'teammate', teamId: 'east', customTeamIds: [], status: 'active' },
        { id: 'below', teamId: 'east1', customTeamIds: [], status: 'active' },
        { id: 'above', teamId: 'sales', customTeamIds: [], status: 'active' },
        { id: 'podmate', teamId: 'west', customTeamIds: ['pod'], status: 'active' },
        { id: 'stranger', teamId: 'west', customTeamIds: [], status: 'active' },
        { id: 'boss', teamId: null, customTeamIds: [], status: 'active' }
    ]
};

type Relation = 'self' | 'teammate' | 'below' | 'above' | 'podmate' | 'stranger';
/** The team each relation's row checks: the target's team. */
const teamOf: Record<Relation, string> = {
    self: 'east',
    teammate: 'east',
    below: 'east1',
    above: 'sales',
    podmate: 'pod',
    stranger: 'west'
};
const relations: Relation[] = ['self', 'teammate', 'below', 'above', 'podmate', 'stranger'];
const roles = ['admin', 'manager', 'member', 'data'] as const;
const visibilities = ['full', 'team', 'individual'] as const;

/** Expected [user visible, team visible] for a non-admin viewer, by visibility and relation. */
const expected: Record<(typeof visibilities)[number], Record<Relation, [boolean, boolean]>> = {
    full: {
        self: [true, true],
        teammate: [true, true],
        below: [true, true],
        above: [true, true],
        podmate: [true, true],
        stranger: [true, true]
    },
    team: {
        self: [true, true],
        teammate: [true, true],
        below: [true, true],
        above: [false, false],
        podmate: [true, true],
        stranger: [false, false]
    },
    individual: {
        self: [true, true],
        teammate: [false, true],
        below: [false, false],
        above: [false, false],
        podmate: [false, true],
        stranger: [false, false]
    }
};

const rows = roles.flatMap((role) =>
    visibilities.flatMap((visibility) =>
        relations.map((relation) => {
            const [user, team] = role === 'admin' ? [true, true] : expected[visibility][relation];
            return { role, visibility, relation, user, team };
        })
    )
);

describe('SEC-2 / UT-12 one visibility path for users, teams, activities and matches', () => {
    it.each(rows)('SEC-2 UT-12 $role with $visibility visibility sees $relation: user $user, team $team', (row) => {
        const viewer: Viewer = { userId: 'viewer', role: row.role, visibility: row.visibility, status: 'active' };
        const scope = visibilityScope(viewer, graph);
        const target = row.relation === 'self' ? 'viewer' : row.relation;
        // users (GET /v1/users, /v1/users/:id) and activities / their matches (by owner)
        expect(canSee(scope.owners, target)).toBe(row.user);
        expect(canSee(visibleOwnerIds(viewer, graph), target)).toBe(row.user);
        // teams (GET /v1/teams)
        expect(canSee(scope.teams, teamOf[row.relation])).toBe(row.team);
    });

    it.each(roles.flatMap((role) => visibilities.map((visibility) => ({ role, visibility }))))(
        'SEC-2 UT-9 a suspended $role ($visibility) sees no user, team or activity',
        ({ role, visibility }) => {
            const scope = visibilityScope({ userId: 'viewer', role, visibility, status: 'suspended' }, graph);
            for (const id of graph.users.map((u) => u.id)) expect(canSee(scope.owners, id)).toBe(false);
            for (const t of graph.teams) expect(canSee(scope.teams, t.id)).toBe(false);
        }
    );

    it("SEC-2 the org's own key (no acting user) sees every user and team", () => {
        const scope = visibilityScope(null, graph);
        expect(scope).toEqual({ owners: 'all', teams: 'all' });
    });

    it('UT-12 a manager with Team visibility sees the teams they manage and everything below', () => {
        const scope = visibilityScope({ userId: 'boss', role: 'manager', visibility: 'team', status: 'active' }, graph);
        expect([...(scope.teams as Set<string>)].sort()).toEqual(['east', 'east1', 'sales']);
        expect([...(scope.owners as Set<string>)].sort()).toEqual(['above', 'below', 'boss', 'teammate', 'viewer']);
    });
});
