import { evaluateRules, type UserSettingsRule } from './user-settings-rules';

const assignments = (profileId: string) => ({
    profileId,
    role: 'member' as const,
    visibility: 'full' as const,
    licenses: ['foundation' as const]
});
const rule = (id: string, filters: UserSettingsRule['filters']): UserSettingsRule => ({
    id,
    name: id,
    description: '',
    isCatchAll: false,
    filters,
    assignments: assignments(id)
});
const catchAll: UserSettingsRule = {
    id: 'all',
    name: 'Catch-all',
    description: '',
    isCatchAll: true,
    filters: [],
    assignments: assignments('default')
};

describe('evaluateRules', () => {
    it('USR-2 applies the first matching rule only', () => {
        const rules = [
            rule('sdr', [{ field: 'job_title', operator: 'contains', value: 'Development' }]),
            rule('sales', [{ field: 'team_name', operator: 'equals', value: 'East' }]),
            catchAll
        ];
        expect(evaluateRules(rules, { teamName: 'east', jobTitle: 'Sales Development Rep' }).id).toBe('sdr');
        expect(evaluateRules(rules, { teamName: 'East', jobTitle: 'AE' }).id).toBe('sales');
    });

    it('USR-2 falls back to the catch-all when no rule matches', () => {
        expect(
            evaluateRules([rule('x', [{ field: 'team_name', operator: 'equals', value: 'West' }]), catchAll], {
                teamName: 'East'
            }).id
        ).toBe('all');
    });

    it('USR-4 requires every filter of a rule to hold, with equals, not_equals, in and contains', () => {
        const r = rule('r', [
            { field: 'team_name', operator: 'in', value: ['East', 'West'] },
            { field: 'team_manager', operator: 'not_equals', value: 'boss@x.com' },
            { field: 'job_title', operator: 'contains', value: 'manager' }
        ]);
        expect(
            evaluateRules([r, catchAll], {
                teamName: 'West',
                teamManagerEmail: 'lead@x.com',
                jobTitle: 'Sales Manager'
            }).id
        ).toBe('r');
        expect(
            evaluateRules([r, catchAll], {
                teamName: 'West',
                teamManagerEmail: 'BOSS@x.com',
                jobTitle: 'Sales Manager'
            }).id
        ).toBe('all');
        expect(
            evaluateRules([r, catchAll], {
                teamName: 'North',
                teamManagerEmail: 'lead@x.com',
                jobTitle: 'Sales Manager'
            }).id
        ).toBe('all');
    });
});
