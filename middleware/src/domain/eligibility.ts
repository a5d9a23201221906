import { matchesCondition } from './conditions';
import type { MatchingSettings, MatchObjectType } from './profile';

export interface EligibilityVerdict {
    eligible: boolean;
    reason: string;
    /** The group that admitted the record (null when every record of the type is eligible, or none is). */
    groupId: string | null;
}

/**
 * CP-5: is this record eligible for matching under a profile's eligibility settings?
 * - a type that never had a group (mode `all`): every record is eligible;
 * - a type whose groups were all removed (mode `filtered`, no groups): none is;
 * - otherwise the record must pass every filter of at least one group (AND inside, OR across).
 */
export function evaluateEligibility(
    objectType: MatchObjectType,
    record: Record<string, unknown>,
    eligibility: MatchingSettings['eligibility']
): EligibilityVerdict {
    const settings = eligibility[objectType];
    if (settings.mode === 'all')
        return { eligible: true, reason: `every ${objectType} is eligible (no eligibility groups)`, groupId: null };
    if (settings.groups.length === 0) {
        return {
            eligible: false,
            reason: `no ${objectType} is eligible: its eligibility groups were all removed`,
            groupId: null
        };
    }
    for (const group of settings.groups) {
        if (group.filters.every((f) => matchesCondition(record, f))) {
            return { eligible: true, reason: `admitted by eligibility group "${group.name}"`, groupId: group.id };
        }
    }
    const names = settings.groups.map((g) => `"${g.name}"`).join(', ');
    return {
        eligible: false,
        reason: `matches none of the ${objectType} eligibility groups (${names})`,
        groupId: null
    };
}
