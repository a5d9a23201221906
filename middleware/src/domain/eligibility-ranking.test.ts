import fc from 'fast-check';
import { evaluateEligibility } from './eligibility';
import type { EligibilityGroup, FilterCondition, MatchingSettings, RankingGroup } from './profile';
import { compare, matchesCondition } from './conditions';
import { rankCandidates, type RankableCandidate } from './ranking';

const types = ['Opportunity', 'Account', 'Lead'] as const;
const all = (): MatchingSettings['eligibility'] => ({
    Opportunity: { mode: 'all', groups: [] },
    Account: { mode: 'all', groups: [] },
    Lead: { mode: 'all', groups: [] }
});

const recordArb = fc.record({
    Type: fc.constantFrom('Customer', 'Partner', 'Prospect', null),
    Amount: fc.integer({ min: 0, max: 100 }),
    Industry: fc.constantFrom('Banking', 'Energy', null)
});
const conditionArb: fc.Arbitrary<FilterCondition> = fc.oneof(
    fc.record({
        field: fc.constant('Type'),
        operator: fc.constantFrom('equals' as const, 'not_equals' as const),
        value: fc.constantFrom('Customer', 'Partner')
    }),
    fc.record({
        field: fc.constant('Amount'),
        operator: fc.constantFrom('greater_than' as const, 'less_than' as const),
        value: fc.integer({ min: 0, max: 100 })
    }),
    fc.record({ field: fc.constant('Industry'), operator: fc.constantFrom('is_null' as const, 'is_not_null' as const) })
);
const groupArb: fc.Arbitrary<EligibilityGroup> = fc.record({
    id: fc.uuid(),
    name: fc.string({ minLength: 1, maxLength: 8 }),
    filters: fc.array(conditionArb, { minLength: 1, maxLength: 3 })
});

describe('eligibility (CP-5)', () => {
    it('CP-5 a type that never had a group admits every record', () => {
        fc.assert(
            fc.property(recordArb, fc.constantFrom(...types), (r, type) => evaluateEligibility(type, r, all()).eligible)
        );
    });

    it('CP-5 a type whose groups were all removed admits nothing', () => {
        fc.assert(
            fc.property(
                recordArb,
                (r) =>
                    !evaluateEligibility('Account', r, { ...all(), Account: { mode: 'filtered', groups: [] } }).eligible
            )
        );
    });

    it('CP-5 groups combine with OR, filters inside a group with AND', () => {
        fc.assert(
            fc.property(recordArb, fc.array(groupArb, { minLength: 1, maxLength: 4 }), (r, groups) => {
                const verdict = evaluateEligibility('Opportunity', r, {
                    ...all(),
                    Opportunity: { mode: 'filtered', groups }
                });
                const each = groups.map(
                    (g) =>
                        evaluateEligibility('Opportunity', r, {
                            ...all(),
                            Opportunity: { mode: 'filtered', groups: [g] }
                        }).eligible
                );
                expect(verdict.eligible).toBe(each.some(Boolean));
                for (const g of groups) {
                    const single = evaluateEligibility('Opportunity', r, {
                        ...all(),
                        Opportunity: { mode: 'filtered', groups: [g] }
                    }).eligible;
                    const perFilter = g.filters.map(
                        (f) =>
                            evaluateEligibility('Opportunity', r, {
                                ...all(),
                                Opportunity: { mode: 'filtered', groups: [{ ...g, filters: [f] }] }
                            }).eligible
                    );
                    expect(single).toBe(perFilter.every(Boolean));
                }
            })
        );
    });

    it('CP-5 names the group that admitted the record', () => {
        const verdict = evaluateEligibility(
            'Account',
            { Type: 'Partner' },
            {
                ...all(),
                Account: {
                    mode: 'filtered',
                    groups: [
                        {
                            id: 'g1',
                            name: 'Partners only',
                            filters: [{ field: 'Type', operator: 'equals', value: 'Partner' }]
                        }
                    ]
                }
            }
        );
        expect(verdict).toEqual({
            eligible: true,
            reason: 'admitted by eligibility group "Partners only"',
            groupId: 'g1'
        });
    });
});

const candidateArb: fc.Arbitrary<RankableCandidate> = fc.record({
    recordId: fc.uuid(),
    type: fc.constantFrom('Opportunity' as const, 'Account' as const, 'Lead' as const, 'Contact' as const),
    score: fc.integer({ min: 0, max: 100 }),
    record: fc.record({
        CloseDate: fc.constantFrom('2026-01-01', '2026-06-01', '2027-01-01', null),
        Type: fc.constantFrom('Customer', 'Partner', null)
    })
});
const rankingGroupArb: fc.Arbitrary<RankingGroup> = fc.oneof<fc.Arbitrary<RankingGroup>[]>(
    fc.record({
        id: fc.uuid(),
        name: fc.constant('sort'),
        recordType: fc.constantFrom('Opportunity' as const, 'Account' as const, 'All' as const),
        kind: fc.constant('sort' as const),
        conditions: fc.constant(null).map(() => [{ field: 'CloseDate', direction: 'asc' as const }])
    }),
    fc.record({
        id: fc.uuid(),
        name: fc.constant('select'),
        recordType: fc.constantFrom('Opportunity' as const, 'Account' as const, 'Lead' as const),
        kind: fc.constant('select' as const),
        conditions: fc.constant(null).map(() => [{ field: 'Type', operator: 'equals' as const, value: 'Customer' }])
    })
);

describe('ranking (CP-6)', () => {
    it('CP-6 ranking only reorders candidates at or above the minimum score; the others keep rank null', () => {
        fc.assert(
            fc.property(
                fc.array(candidateArb, { maxLength: 12 }),
                fc.array(rankingGroupArb, { maxLength: 3 }),
                fc.integer({ min: 0, max: 100 }),
                (cs, groups, minScore) => {
                    const ranked = rankCandidates(cs, { minScore, rankingGroups: groups });
                    expect(ranked).toHaveLength(cs.length);
                    const above = ranked.filter((r) => r.rank !== null);
                    expect(new Set(above.map((r) => r.recordId))).toEqual(
                        new Set(cs.filter((c) => c.score >= minScore).map((c) => c.recordId))
                    );
                    expect(above.map((r) => r.rank)).toEqual(above.map((_, i) => i + 1));
                    expect(ranked.filter((r) => r.rank === null).every((r) => r.score < minScore)).toBe(true);
                }
            )
        );
    });

    it('CP-6 without ranking groups the order is by score, ties in input order (stable)', () => {
        fc.assert(
            fc.property(fc.array(candidateArb, { maxLength: 12 }), (cs) => {
                const ranked = rankCandidates(cs, { minScore: 0, rankingGroups: [] });
                const expected = cs
                    .map((c, i) => ({ c, i }))
                    .sort((a, b) => b.c.score - a.c.score || a.i - b.i)
                    .map((x) => x.c.recordId);
                expect(ranked.map((r) => r.recordId)).toEqual(expected);
            })
        );
    });

    it('CP-6 a type that has a ranking group comes before types that have none', () => {
        fc.assert(
            fc.property(
                fc.array(candidateArb, { maxLength: 12 }),
                fc.array(rankingGroupArb, { minLength: 1, maxLength: 3 }),
                (cs, groups) => {
                    const covered = (t: string) =>
                        groups.some((g) => g.recordType === t || (g.recordType === 'All' && t !== 'Contact'));
                    const ranked = rankCandidates(cs, { minScore: 0, rankingGroups: groups });
                    const flags = ranked.map((r) => covered(r.type));
                    const firstUncovered = flags.indexOf(false);
                    if (firstUncovered >= 0) expect(flags.slice(firstUncovered).every((f) => !f)).toBe(true);
                }
            )
        );
    });

    it('CP-6 a select-based group moves matching records to the top; a sort-based group orders by its field', () => {
        const cs: RankableCandidate[] = [
            { recordId: 'a', type: 'Account', score: 90, record: { Type: 'Prospect' } },
            { recordId: 'b', type: 'Account', score: 60, record: { Type: 'Customer' } }
        ];
        const customersFirst = rankCandidates(cs, {
            minScore: 50,
            rankingGroups: [
                {
                    id: 'g',
                    name: 'Customers first',
                    recordType: 'Account',
                    kind: 'select',
                    conditions: [{ field: 'Type', operator: 'equals', value: 'Customer' }]
                }
            ]
        });
        expect(customersFirst.map((r) => r.recordId)).toEqual(['b', 'a']);
        expect(customersFirst[0]!.rankingReason).toContain('Customers first');
        const opps: RankableCandidate[] = [
            { recordId: 'late', type: 'Opportunity', score: 80, record: { CloseDate: '2027-03-01' } },
            { recordId: 'soon', type: 'Opportunity', score: 70, record: { CloseDate: '2026-12-01' } },
            { recordId: 'none', type: 'Opportunity', score: 99, record: { CloseDate: null } }
        ];
        const soonest = rankCandidates(opps, {
            minScore: 0,
            rankingGroups: [
                {
                    id: 's',
                    name: 'Soonest close',
                    recordType: 'Opportunity',
                    kind: 'sort',
                    conditions: [{ field: 'CloseDate', direction: 'asc' }]
                }
            ]
        });
        expect(soonest.map((r) => r.recordId)).toEqual(['soon', 'late', 'none']);
    });

    it('CP-6 ranking is a permutation: every candidate comes back once, ranks 1..n then the ones below the minimum', () => {
        fc.assert(
            fc.property(
                fc.array(candidateArb, { maxLength: 15 }),
                fc.array(rankingGroupArb, { maxLength: 4 }),
                fc.integer({ min: 0, max: 100 }),
                (cs, groups, minScore) => {
                    const ranked = rankCandidates(cs, { minScore, rankingGroups: groups });
                    expect(ranked.map((r) => r.recordId).sort()).toEqual(cs.map((c) => c.recordId).sort());
                    const firstBelow = ranked.findIndex((r) => r.rank === null);
                    const head = firstBelow < 0 ? ranked : ranked.slice(0, firstBelow);
                    expect(head.map((r) => r.rank)).toEqual(head.map((_, i) => i + 1));
                    // Below the minimum: rank null, the reason says so, input order kept.
                    const tail = firstBelow < 0 ? [] : ranked.slice(firstBelow);
                    expect(
                        tail.every((r) => r.rank === null && r.rankingReason === `below minimum score ${minScore}`)
                    ).toBe(true);
                    expect(tail.map((r) => r.recordId)).toEqual(
                        cs.filter((c) => c.score < minScore).map((c) => c.recordId)
                    );
                }
            )
        );
    });

    it('CP-6 ties are stable: candidates that agree on type, score and record keep their input order', () => {
        fc.assert(
            fc.property(
                fc.array(candidateArb, { maxLength: 15 }),
                fc.array(rankingGroupArb, { maxLength: 4 }),
                (cs, groups) => {
                    const ranked = rankCandidates(cs, { minScore: 0, rankingGroups: groups });
                    const position = new Map(cs.map((c, i) => [c, i]));
                    const same = (a: RankableCandidate, b: RankableCandidate) =>
                        a.type === b.type &&
                        a.score === b.score &&
                        JSON.stringify(a.record) === JSON.stringify(b.record);
                    const inputIndex = ranked.map((r) => cs.findIndex((c) => c.recordId === r.recordId));
                    for (let i = 0; i < ranked.length; i++)
                        for (let j = i + 1; j < ranked.length; j++) {
                            const a = cs[inputIndex[i]!]!;
                            const b = cs[inputIndex[j]!]!;
                            if (same(a, b)) expect(position.get(a)!).toBeLessThan(position.get(b)!);
                        }
                }
            )
        );
    });

    it('CP-6 the result does not depend on the input order except for exact ties (a total order)', () => {
        fc.assert(
            fc.property(
                fc.uniqueArray(candidateArb, { maxLength: 12, selector: (c) => c.recordId }),
                fc.array(rankingGroupArb, { maxLength: 4 }),
                (cs, groups) => {
                    // Make every candidate distinct by score, so no two tie.
                    const distinct = cs.map((c, i) => ({ ...c, score: 1000 + i }));
                    const settings = { minScore: 0, rankingGroups: groups };
                    const forward = rankCandidates(distinct, settings).map((r) => r.recordId);
                    const backward = rankCandidates([...distinct].reverse(), settings).map((r) => r.recordId);
                    expect(backward).toEqual(forward);
                }
            )
        );
    });

    it('CP-6 a select-based group puts every matching record of its type above the non-matching ones', () => {
        fc.assert(
            fc.property(fc.array(candidateArb, { maxLength: 15 }), fc.integer({ min: 0, max: 100 }), (cs, minScore) => {
                const condition: FilterCondition = { field: 'Type', operator: 'equals', value: 'Customer' };
                const accounts = cs.map((c) => ({ ...c, type: 'Account' as const }));
                const ranked = rankCandidates(accounts, {
                    minScore,
                    rankingGroups: [
                        { id: 'g', name: 'Customers', recordType: 'Account', kind: 'select', conditions: [condition] }
                    ]
                }).filter((r) => r.rank !== null);
                const flags = ranked.map((r) => matchesCondition(r.record, condition));
                const firstMiss = flags.indexOf(false);
                if (firstMiss >= 0) expect(flags.slice(firstMiss).some(Boolean)).toBe(false);
                // Inside each part the order is by score, highest first.
                for (let i = 1; i < ranked.length; i++)
                    if (flags[i] === flags[i - 1])
                        expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
            })
        );
    });

    it('CP-6 a sort-based group orders its type by the field in its direction, empty values last', () => {
        fc.assert(
            fc.property(
                fc.array(candidateArb, { maxLength: 15 }),
                fc.constantFrom('asc' as const, 'desc' as const),
                (cs, direction) => {
                    const opps = cs.map((c) => ({ ...c, type: 'Opportunity' as const }));
                    const ranked = rankCandidates(opps, {
                        minScore: 0,
                        rankingGroups: [
                            {
                                id: 's',
                                name: 'By close date',
                                recordType: 'Opportunity',
                                kind: 'sort',
                                conditions: [{ field: 'CloseDate', direction }]
                            }
                        ]
                    });
                    const dates = ranked.map((r) => r.record.CloseDate as string | null);
                    const firstNull = dates.indexOf(null);
                    const present = firstNull < 0 ? dates : dates.slice(0, firstNull);
                    if (firstNull >= 0) expect(dates.slice(firstNull).every((d) => d === null)).toBe(true);
                    for (let i = 1; i < present.length; i++) {
                        const d = compare(present[i - 1], present[i]);
                        expect(direction === 'asc' ? d <= 0 : d >= 0).toBe(true);
                    }
                }
            )
        );
    });

    it('CP-6 with a group, the earlier group decides before the later one (priority order)', () => {
        const cs: RankableCandidate[] = [
            {
                recordId: 'partner-late',
                type: 'Opportunity',
                score: 70,
                record: { Type: 'Partner', CloseDate: '2027-01-01' }
            },
            {
                recordId: 'customer-late',
                type: 'Opportunity',
                score: 60,
                record: { Type: 'Customer', CloseDate: '2027-01-01' }
            },
            {
                recordId: 'partner-soon',
                type: 'Opportunity',
                score: 50,
                record: { Type: 'Partner', CloseDate: '2026-01-01' }
            }
        ];
        const select: RankingGroup = {
            id: 'sel',
            name: 'Customers',
            recordType: 'Opportunity',
            kind: 'select',
            conditions: [{ field: 'Type', operator: 'equals', value: 'Customer' }]
        };
        const sort: RankingGroup = {
            id: 'srt',
            name: 'Soonest',
            recordType: 'All',
            kind: 'sort',
            conditions: [{ field: 'CloseDate', direction: 'asc' }]
        };
        expect(rankCandidates(cs, { minScore: 0, rankingGroups: [select, sort] }).map((r) => r.recordId)).toEqual([
            'customer-late',
            'partner-soon',
            'partner-late'
        ]);
        expect(rankCandidates(cs, { minScore: 0, rankingGroups: [sort, select] }).map((r) => r.recordId)).toEqual([
            'partner-soon',
            'customer-late',
            'partner-late'
        ]);
        const below = rankCandidates(cs, { minScore: 55, rankingGroups: [sort] });
        expect(below.map((r) => [r.recordId, r.rank])).toEqual([
            ['partner-late', 1], // same close date: the higher score first
            ['customer-late', 2],
            ['partner-soon', null]
        ]);
        expect(below[2]!.rankingReason).toBe('below minimum score 55');
    });
});
