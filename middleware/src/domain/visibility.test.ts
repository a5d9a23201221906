import fc from 'fast-check';
import { visibleOwnerIds, type VisibilityGraph } from './visibility';
import { buildHierarchy } from './hierarchy';
import { neutralizeCell, restoreCell } from './user-csv';
import { toSalesforceId18 } from './users';

/** A random org: teams 0..n-1 whose parent is an earlier team (a forest), users spread over them. */
const graphArb = fc
    .record({
        teamParents: fc.array(fc.option(fc.nat(), { nil: null }), { maxLength: 12 }),
        users: fc.array(
            fc.record({
                team: fc.option(fc.nat(), { nil: null }),
                custom: fc.array(fc.nat({ max: 2 }), { maxLength: 2 }),
                suspended: fc.boolean()
            }),
            { minLength: 1, maxLength: 25 }
        )
    })
    .map(({ teamParents, users }): VisibilityGraph => {
        const teams = teamParents.map((p, i) => ({
            id: `t${i}`,
            parentId: p === null || i === 0 ? null : `t${p % i}`
        }));
        return {
            teams: [...teams, ...[0, 1, 2].map((i) => ({ id: `c${i}`, parentId: null }))],
            users: users.map((u, i) => ({
                id: `u${i}`,
                teamId: u.team === null || teams.length === 0 ? null : `t${u.team % teams.length}`,
                customTeamIds: [...new Set(u.custom.map((c) => `c${c}`))],
                status: u.suspended ? 'suspended' : 'active'
            }))
        };
    });

const viewerArb = (g: VisibilityGraph) =>
    fc.record({
        userId: fc.constantFrom(...g.users.map((u) => u.id)),
        role: fc.constantFrom('admin', 'manager', 'member', 'data'),
        visibility: fc.constantFrom('full' as const, 'team' as const, 'individual' as const),
        status: fc.constantFrom('active', 'pending', 'suspended')
    });

const withViewer = graphArb.chain((g) => fc.tuple(fc.constant(g), viewerArb(g)));

/** Teams at or below `root`, by walking up from every team (an independent oracle). */
function inSubtree(g: VisibilityGraph, teamId: string, root: string): boolean {
    const byId = new Map(g.teams.map((t) => [t.id, t]));
    const seen = new Set<string>();
    for (let cur: string | null = teamId; cur !== null && !seen.has(cur); cur = byId.get(cur)?.parentId ?? null) {
        if (cur === root) return true;
        seen.add(cur);
    }
    return false;
}

describe('visibleOwnerIds (UT-12)', () => {
    it('UT-12 the org API key and admins see everything; Full sees everything', () => {
        fc.assert(
            fc.property(withViewer, ([g, v]) => {
                expect(visibleOwnerIds(null, g)).toBe('all');
                if (v.status !== 'suspended' && (v.role === 'admin' || v.visibility === 'full'))
                    expect(visibleOwnerIds(v, g)).toBe('all');
            })
        );
    });

    it('UT-9 UT-12 a suspended viewer sees nothing, whatever the role and visibility', () => {
        fc.assert(
            fc.property(withViewer, ([g, v]) => {
                expect(visibleOwnerIds({ ...v, status: 'suspended' }, g)).toEqual(new Set());
            })
        );
    });

    it('UT-12 Individual sees only their own', () => {
        fc.assert(
            fc.property(withViewer, ([g, v]) => {
                const r = visibleOwnerIds({ ...v, role: 'member', visibility: 'individual', status: 'active' }, g);
                expect(r).toEqual(new Set([v.userId]));
            })
        );
    });

    it('UT-12 Team sees exactly themselves, their team and every team below it, and their custom teammates', () => {
        fc.assert(
            fc.property(withViewer, ([g, v]) => {
                const viewer = { ...v, role: 'manager', visibility: 'team' as const, status: 'active' };
                const r = visibleOwnerIds(viewer, g);
                expect(r).not.toBe('all');
                const me = g.users.find((u) => u.id === v.userId);
                for (const u of g.users) {
                    const expected =
                        u.id === v.userId ||
                        (!!me?.teamId && u.teamId !== null && inSubtree(g, u.teamId, me.teamId)) ||
                        u.customTeamIds.some((c) => me?.customTeamIds.includes(c));
                    expect((r as Set<string>).has(u.id)).toBe(expected);
                }
            })
        );
    });

    it('UT-12 Team includes the teams the viewer manages and what is below them, and survives a cycle', () => {
        const g: VisibilityGraph = {
            teams: [
                { id: 'a', parentId: 'b' },
                { id: 'b', parentId: 'a' },
                { id: 'm', parentId: null, managerUserId: 'boss' },
                { id: 'm2', parentId: 'm' }
            ],
            users: [
                { id: 'boss', teamId: 'a', customTeamIds: [], status: 'active' },
                { id: 'x', teamId: 'b', customTeamIds: [], status: 'active' },
                { id: 'y', teamId: 'm2', customTeamIds: [], status: 'active' }
            ]
        };
        expect(visibleOwnerIds({ userId: 'boss', role: 'member', visibility: 'team', status: 'active' }, g)).toEqual(
            new Set(['boss', 'x', 'y'])
        );
    });
});

describe('the hierarchy automatic mode builds (UT-2, UT-3)', () => {
    const users = [
        {
            id: 'u1',
            firstName: 'Ceo',
            lastName: 'One',
            email: 'a',
            title: null,
            isActive: true,
            userRoleId: 'r1',
            managerId: null
        },
        {
            id: 'u2',
            firstName: 'Vp',
            lastName: 'Two',
            email: 'b',
            title: null,
            isActive: true,
            userRoleId: 'r2',
            managerId: 'u1'
        },
        {
            id: 'u3',
            firstName: 'Rep',
            lastName: 'Three',
            email: 'c',
            title: null,
            isActive: true,
            userRoleId: null,
            managerId: 'u2'
        },
        {
            id: 'u4',
            firstName: 'Gone',
            lastName: 'Four',
            email: 'd',
            title: null,
            isActive: false,
            userRoleId: 'r2',
            managerId: 'u2'
        }
    ];
    const roles = [
        { id: 'r1', name: 'CEO', parentRoleId: null },
        { id: 'r2', name: 'VP', parentRoleId: 'r1' }
    ];

    it('UT-3 role hierarchy: one team per role, nested; users without a role go to the top-level team', () => {
        const h = buildHierarchy(users, roles, 'role', 'Acme');
        expect(h.topKey).toBe('role:r1');
        expect(h.teams.map((t) => [t.key, t.parentKey])).toEqual([
            ['role:r1', null],
            ['role:r2', 'role:r1']
        ]);
        expect(Object.fromEntries(h.teamOf)).toEqual({ u1: 'role:r1', u2: 'role:r2', u3: 'role:r1' });
    });

    it('UT-3 several top roles get one top-level team above them', () => {
        const h = buildHierarchy(users, [...roles, { id: 'r3', name: 'Partners', parentRoleId: null }], 'role', 'Acme');
        expect(h.topKey).toBe('top');
        expect(h.teams.find((t) => t.key === 'top')?.name).toBe('Acme');
        expect(h.teams.filter((t) => t.parentKey === 'top').map((t) => t.key)).toEqual(['role:r1', 'role:r3']);
    });

    it('UT-2 manager chains: a team per manager of active users, nested by their managers, loops broken', () => {
        const h = buildHierarchy(users, [], 'manager', 'Acme');
        expect(h.teams.map((t) => [t.key, t.parentKey, t.managerSalesforceUserId])).toEqual([
            ['manager:u1', null, 'u1'],
            ['manager:u2', 'manager:u1', 'u2']
        ]);
        expect(Object.fromEntries(h.teamOf)).toEqual({ u1: 'manager:u1', u2: 'manager:u1', u3: 'manager:u2' });
        const loop = buildHierarchy(
            [
                { ...users[0], managerId: 'u2' } as (typeof users)[0],
                { ...users[1], managerId: 'u1' } as (typeof users)[0]
            ],
            [],
            'manager',
            'Acme'
        );
        expect(loop.teams.filter((t) => t.parentKey === null)).toHaveLength(1);
    });
});

describe('CSV cells and Salesforce ids', () => {
    it('UT-6 neutralising a cell and restoring it gives the value back, and no cell starts a formula', () => {
        fc.assert(
            fc.property(fc.string(), (s) => {
                const cell = neutralizeCell(s);
                expect(cell).not.toMatch(/^[=+\-@\t\r\n＝＋－＠]/);
                expect(restoreCell(cell)).toBe(s.startsWith("'") && /^'[=+\-@\t\r\n＝＋－＠]/.test(s) ? s.slice(1) : s);
            })
        );
    });

    it('turns 15-character Salesforce ids into their 18-character form', () => {
        expect(toSalesforceId18('005000000000001')).toBe('005000000000001AAA');
        expect(toSalesforceId18('001D000000IqhSL')).toBe('001D000000IqhSLIAZ');
        expect(toSalesforceId18('001D000000IqhSLIAZ')).toBe('001D000000IqhSLIAZ');
    });
});
