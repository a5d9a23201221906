/**
 * User Settings Rules (SPEC §4, USR-1..USR-7): an ordered list, first match wins, the catch-all
 * last. Evaluation is pure; the automatic user sync calls it once, when it creates a user (USR-2,
 * USR-3).
 */

export type RuleField = 'team_name' | 'team_manager' | 'job_title';
export type RuleOperator = 'equals' | 'not_equals' | 'in' | 'contains';

export interface RuleFilter {
    field: RuleField;
    operator: RuleOperator;
    /** One value, or a list for `in` (USR-5: `contains` takes exactly one value). */
    value: string | string[];
}

export interface RuleAssignments {
    profileId: string;
    role: 'admin' | 'manager' | 'member';
    visibility: 'full' | 'team' | 'individual';
    licenses: ('foundation' | 'engagement_dashboard' | 'forecasting' | 'unified_enterprise')[];
}

export interface UserSettingsRule {
    id: string;
    name: string;
    description: string;
    isCatchAll: boolean;
    filters: RuleFilter[];
    assignments: RuleAssignments;
}

/** What a new user is matched on: their team's name, their team manager's email, their job title. */
export interface RuleSubject {
    teamName?: string | null | undefined;
    teamManagerEmail?: string | null | undefined;
    jobTitle?: string | null | undefined;
}

const norm = (v: string | null | undefined) => (v ?? '').trim().toLowerCase();

function attribute(subject: RuleSubject, field: RuleField): string {
    if (field === 'team_name') return norm(subject.teamName);
    if (field === 'team_manager') return norm(subject.teamManagerEmail);
    return norm(subject.jobTitle);
}

/** USR-4: every filter of a rule must hold (text compared case-insensitively). */
export function ruleMatches(rule: UserSettingsRule, subject: RuleSubject): boolean {
    return rule.filters.every((f) => {
        const actual = attribute(subject, f.field);
        const values = (Array.isArray(f.value) ? f.value : [f.value]).map((v) => norm(v));
        switch (f.operator) {
            case 'equals':
                return actual !== '' && actual === values[0];
            case 'not_equals':
                return actual !== values[0];
            case 'in':
                return actual !== '' && values.includes(actual);
            case 'contains':
                return actual !== '' && values[0] !== undefined && actual.includes(values[0]);
        }
    });
}

/** USR-2: the first matching rule wins; otherwise the catch-all (USR-7: always present, last). */
export function evaluateRules(rules: UserSettingsRule[], subject: RuleSubject): UserSettingsRule {
    const catchAll = rules.find((r) => r.isCatchAll);
    if (!catchAll) throw new Error('USR-7: the rule list has no catch-all rule');
    return rules.find((r) => !r.isCatchAll && ruleMatches(r, subject)) ?? catchAll;
}
