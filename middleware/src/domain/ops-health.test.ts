import {
    budgetGauge,
    connectionHealth,
    crmPullHealth,
    fieldReadRemedy,
    notificationHealth,
    userSyncHealth,
    writebackHealth
} from './ops-health';

describe('OPS-1 health per area', () => {
    it('OPS-1 a refused connection is an error, none yet a warning', () => {
        expect(connectionHealth('connected')).toBe('ok');
        expect(connectionHealth('not_connected')).toBe('warning');
        expect(connectionHealth('error')).toBe('error');
    });

    it('OPS-1 PERM-5 one blocked or failing object makes the CRM pull an error; never pulled a warning', () => {
        expect(crmPullHealth(['ok', 'ok'])).toBe('ok');
        expect(crmPullHealth(['ok', 'pending'])).toBe('warning');
        expect(crmPullHealth(['pending', 'blocked'])).toBe('error');
        expect(crmPullHealth(['ok', 'error'])).toBe('error');
    });

    it('OPS-1 UT-2 the user sync is idle in manual mode and follows its last run in automatic', () => {
        expect(userSyncHealth('manual', { status: 'error' })).toBe('idle');
        expect(userSyncHealth('automatic', null)).toBe('warning');
        expect(userSyncHealth('automatic', { status: 'error' })).toBe('error');
        expect(userSyncHealth('automatic', { status: 'ok' })).toBe('ok');
    });

    it('OPS-1 parked write-back items are an error; waiting for the budget a warning', () => {
        expect(writebackHealth({ parked: 1, waiting: false })).toBe('error');
        expect(writebackHealth({ parked: 0, waiting: true })).toBe('warning');
        expect(writebackHealth({ parked: 0, waiting: false })).toBe('ok');
    });

    it('OPS-1 MATCH-13 the budget gauge: share × (remaining + used), percent of it used, thresholds at 75 % and 90 %', () => {
        expect(budgetGauge({ dailyLimit: null, remaining: null, share: 0.5, used: 0 })).toEqual({
            allowance: null,
            usedByOrg: null,
            percentUsed: null,
            health: 'idle'
        });
        expect(budgetGauge({ dailyLimit: 1000, remaining: 900, share: 0.5, used: 100 })).toEqual({
            allowance: 500,
            usedByOrg: 100,
            percentUsed: 20,
            health: 'ok'
        });
        expect(budgetGauge({ dailyLimit: 1000, remaining: 550, share: 0.5, used: 450 }).health).toBe('error');
        expect(budgetGauge({ dailyLimit: 1000, remaining: 700, share: 0.5, used: 300 })).toMatchObject({
            percentUsed: 60,
            health: 'ok'
        });
        expect(budgetGauge({ dailyLimit: 1000, remaining: 650, share: 0.5, used: 350 }).percentUsed).toBe(70);
        expect(budgetGauge({ dailyLimit: 1000, remaining: 610, share: 0.5, used: 390 }).health).toBe('warning');
        expect(budgetGauge({ dailyLimit: 10, remaining: 0, share: 0.05, used: 0 })).toMatchObject({
            allowance: 0,
            percentUsed: 100,
            health: 'error'
        });
    });

    it('OPS-1 notifications: a failure in the window is a warning; nothing sent is idle', () => {
        expect(notificationHealth({ sent: 0, failed: 0 })).toBe('idle');
        expect(notificationHealth({ sent: 3, failed: 0 })).toBe('ok');
        expect(notificationHealth({ sent: 3, failed: 1 })).toBe('warning');
    });

    it('PERM-5 the remedy for an unreadable field names the object, the field and whether the pull stops', () => {
        expect(fieldReadRemedy('Opportunity', 'StageName', true)).toContain(
            'Object Settings > Opportunity > Edit > Field Permissions: tick Read Access for StageName'
        );
        expect(fieldReadRemedy('Opportunity', 'StageName', true)).toContain('stops pulling Opportunity');
        expect(fieldReadRemedy('Lead', 'Industry', false)).toContain('works without it');
    });
});
