import { initialStatus, nextStatus, type LifecycleEvent } from './user-lifecycle';

const none = { hasActivity: false };
const some = { hasActivity: true };

describe('UT-13 lifecycle rules (domain)', () => {
    it('UT-13 a new user starts Pending, Onboarding when linked to an active Salesforce user, Permission Errors when inactive', () => {
        expect(initialStatus(null)).toBe('pending');
        expect(initialStatus({ salesforceActive: null })).toBe('pending');
        expect(initialStatus({ salesforceActive: true })).toBe('onboarding');
        expect(initialStatus({ salesforceActive: false })).toBe('permission_error');
    });

    it('UT-13 pending → onboarding → active, and the first activity skips onboarding', () => {
        const linked: LifecycleEvent = { kind: 'linked', salesforceActive: true };
        expect(nextStatus('pending', linked, none)).toBe('onboarding');
        expect(nextStatus('onboarding', { kind: 'activity_captured' }, none)).toBe('active');
        expect(nextStatus('pending', { kind: 'activity_captured' }, none)).toBe('active');
        expect(nextStatus('active', linked, some)).toBe('active');
        expect(nextStatus('pending', { kind: 'linked', salesforceActive: null }, none)).toBe('pending');
    });

    it('UT-13 a refused owner or an inactive link → permission_error; a written activity or a new active link → back', () => {
        expect(nextStatus('active', { kind: 'owner_refused' }, some)).toBe('permission_error');
        expect(nextStatus('onboarding', { kind: 'linked', salesforceActive: false }, none)).toBe('permission_error');
        expect(nextStatus('permission_error', { kind: 'owner_accepted' }, some)).toBe('active');
        expect(nextStatus('permission_error', { kind: 'linked', salesforceActive: true }, some)).toBe('active');
        expect(nextStatus('permission_error', { kind: 'linked', salesforceActive: true }, none)).toBe('onboarding');
        expect(nextStatus('permission_error', { kind: 'unlinked' }, none)).toBe('pending');
        expect(nextStatus('permission_error', { kind: 'activity_captured' }, some)).toBe('permission_error');
        expect(nextStatus('onboarding', { kind: 'unlinked' }, none)).toBe('pending');
    });

    it('UT-13 events are idempotent and never touch a suspended user (UT-9)', () => {
        const events: LifecycleEvent[] = [
            { kind: 'linked', salesforceActive: true },
            { kind: 'linked', salesforceActive: false },
            { kind: 'unlinked' },
            { kind: 'activity_captured' },
            { kind: 'owner_refused' },
            { kind: 'owner_accepted' }
        ];
        for (const e of events) {
            expect(nextStatus('suspended', e, some)).toBe('suspended');
            for (const s of ['pending', 'onboarding', 'permission_error', 'active'] as const) {
                const once = nextStatus(s, e, some);
                expect(nextStatus(once, e, some)).toBe(once);
            }
        }
    });
});
