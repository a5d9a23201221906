import { compare, fieldValue, isEmpty, matchesCondition } from './conditions';
import type { MatchingSettings, MatchObjectType, RankingGroup } from './profile';

export interface RankableCandidate {
    recordId: string;
    type: 'Opportunity' | 'Account' | 'Lead' | 'Contact';
    score: number;
    record: Record<string, unknown>;
}

export type Ranked<T> = T & { rank: number | null; rankingReason: string };

const RANKED_TYPES: ReadonlySet<string> = new Set<MatchObjectType>(['Opportunity', 'Account', 'Lead']);

/**
 * Does a ranking group apply to candidates of this type? `All` means the three types a ranking
 * group can name (seed 000: Opportunities, Accounts, Leads or All) — never Contacts, whose fields
 * the profile's field checks never looked at.
 */
export const rankingGroupAppliesTo = (group: RankingGroup, type: RankableCandidate['type']): boolean =>
    group.recordType === 'All' ? RANKED_TYPES.has(type) : group.recordType === type;

/** One component of a candidate's ranking key: a number (lower first) or field values (per direction, empty last). */
type KeyPart = { kind: 'flag'; value: number } | { kind: 'values'; values: unknown[]; directions: ('asc' | 'desc')[] };

function keyOf(c: RankableCandidate, groups: RankingGroup[]): KeyPart[] {
    const tier = groups.findIndex((g) => rankingGroupAppliesTo(g, c.type));
    const parts: KeyPart[] = [{ kind: 'flag', value: tier < 0 ? groups.length : tier }];
    for (const g of groups) {
        const applies = rankingGroupAppliesTo(g, c.type);
        if (g.kind === 'select') {
            // Select-based: the records the group applies to and that match every condition go up.
            const hit = applies && g.conditions.every((cond) => matchesCondition(c.record, cond));
            parts.push({ kind: 'flag', value: hit ? 0 : 1 });
        } else {
            // Sort-based: by the fields, empty values last; a record the group does not apply to
            // counts as empty on every field (after the ones the group orders).
            parts.push({
                kind: 'values',
                values: g.conditions.map((s) => (applies ? fieldValue(c.record, s.field) : undefined)),
                directions: g.conditions.map((s) => s.direction)
            });
        }
    }
    return parts;
}

function compareParts(a: KeyPart[], b: KeyPart[]): number {
    for (let i = 0; i < a.length; i++) {
        const x = a[i];
        const y = b[i];
        if (!x || !y) break;
        if (x.kind === 'flag' && y.kind === 'flag') {
            if (x.value !== y.value) return x.value - y.value;
        } else if (x.kind === 'values' && y.kind === 'values') {
            for (let j = 0; j < x.values.length; j++) {
                const va = x.values[j];
                const vb = y.values[j];
                const na = isEmpty(va);
                const nb = isEmpty(vb);
                if (na || nb) {
                    if (na && nb) continue;
                    return na ? 1 : -1; // empty values last, whatever the direction
                }
                const d = compare(va, vb);
                if (d !== 0) return x.directions[j] === 'desc' ? -d : d;
            }
        }
    }
    return 0;
}

function reasonFor(c: RankableCandidate, groups: RankingGroup[]): string {
    const applied = groups.filter((g) => rankingGroupAppliesTo(g, c.type));
    if (applied.length === 0)
        return groups.length === 0 ? 'ordered by score' : 'ordered by score, after the types that have ranking groups';
    const parts = applied.map((g) => {
        if (g.kind === 'select') {
            const hit = g.conditions.every((cond) => matchesCondition(c.record, cond));
            return `"${g.name}" (select): ${hit ? 'matches, moved up' : 'does not match'}`;
        }
        return `"${g.name}" (sort): by ${g.conditions.map((s) => `${s.field} ${s.direction}`).join(', ')}`;
    });
    return `${parts.join('; ')}; then by score`;
}

/**
 * CP-6: order candidates under a profile's minimum score and ranking groups.
 *
 * Candidates below the minimum score are kept with rank null ("below minimum score N") and never
 * reordered. The others are ordered by a key compared field by field (a total order, so the
 * result does not depend on the sort algorithm):
 * 1. types that have a ranking group come before types that have none, in the priority of
 *    their first group;
 * 2. each ranking group in priority order: select-based — the records it applies to that match
 *    every condition first; sort-based — by its fields in their directions, empty values last
 *    (a record of a type the group does not name counts as empty);
 * 3. score, highest first; 4. input order (ties are stable).
 * Without ranking groups this is simply score, highest first. The result lists the ranked
 * candidates by rank, then the ones below the minimum in input order.
 */
export function rankCandidates<T extends RankableCandidate>(
    candidates: T[],
    matching: Pick<MatchingSettings, 'minScore' | 'rankingGroups'>
): Ranked<T>[] {
    const groups = matching.rankingGroups;
    const keyed = candidates.map((c, index) => ({ c, index, key: keyOf(c, groups) }));
    const above = keyed.filter(({ c }) => c.score >= matching.minScore);
    above.sort((a, b) => compareParts(a.key, b.key) || b.c.score - a.c.score || a.index - b.index);
    const below = keyed.filter(({ c }) => c.score < matching.minScore);
    return [
        ...above.map(({ c }, i) => ({ ...c, rank: i + 1, rankingReason: reasonFor(c, groups) })),
        ...below.map(({ c }) => ({
            ...c,
            rank: null,
            rankingReason: `below minimum score ${matching.minScore}`
        }))
    ];
}
