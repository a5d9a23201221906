import { ReplicaIndex } from './matching/replica-index';
import {
    activityRecord,
    backoffSeconds,
    budgetAllowance,
    classifyError,
    contactName,
    proposeContacts,
    skipReason,
    VALIDATION_REMEDY
} from './writeback';
import { ACTIVITY_SYNC_ON } from '../../test/helpers/profiles';

const base = {
    id: 'act_1',
    subject: 'Renewal',
    body: null,
    startsAt: '2026-11-03T15:00:00.000Z',
    endsAt: null,
    whoId: '003A',
    whoType: 'Contact',
    whatId: '001A',
    ownerSalesforceUserId: '005A'
};

describe('write-back rules (domain)', () => {
    it('MATCH-12 a meeting is an Event keyed by peopleai__Activity_Id__c; no end → 30 minutes', () => {
        expect(activityRecord({ ...base, type: 'meeting' }, true)).toEqual({
            peopleai__Activity_Id__c: 'act_1',
            peopleai__Created_by_PeopleAI__c: true,
            Subject: 'Renewal',
            WhoId: '003A',
            WhatId: '001A',
            OwnerId: '005A',
            StartDateTime: '2026-11-03T15:00:00.000Z',
            EndDateTime: '2026-11-03T15:30:00.000Z'
        });
    });

    it('MATCH-12 an email is a completed Task; TaskSubtype only on the first write; no WhatId with a lead', () => {
        const first = activityRecord({ ...base, type: 'email', whoType: 'Lead', whoId: '00QA' }, true);
        expect(first).toMatchObject({ Status: 'Completed', TaskSubtype: 'Email', ActivityDate: '2026-11-03' });
        expect(first.WhatId).toBeNull();
        expect(activityRecord({ ...base, type: 'email' }, false)).not.toHaveProperty('TaskSubtype');
    });

    it('CP-4 Push Data, Email Sync and Meeting Sync off name the toggle', () => {
        expect(skipReason('meeting', ACTIVITY_SYNC_ON, 'P')).toBeNull();
        expect(skipReason('meeting', { ...ACTIVITY_SYNC_ON, pushData: false }, 'P')).toMatch(/Push Data/);
        expect(skipReason('email', { ...ACTIVITY_SYNC_ON, emailSync: false }, 'P')).toMatch(/Email Sync/);
        expect(skipReason('email', { ...ACTIVITY_SYNC_ON, meetingSync: false }, 'P')).toBeNull();
        expect(skipReason('meeting', { ...ACTIVITY_SYNC_ON, meetingSync: false }, 'P')).toMatch(/Meeting Sync/);
    });

    it('MATCH-7 transient errors retry; validation rules and permissions park with a remedy; deleted Who/What rematch', () => {
        for (const code of ['UNABLE_TO_LOCK_ROW', 'REQUEST_LIMIT_EXCEEDED', 'INVALID_SESSION_ID', 'UND_ERR_SOCKET'])
            expect(classifyError({ code, message: '' }, 'Event').kind).toBe('transient');
        expect(classifyError({ code: 'X', message: '', status: 503 }, 'Event').kind).toBe('transient');
        expect(classifyError({ code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: '' }, 'Event')).toMatchObject({
            kind: 'permanent',
            remedy: VALIDATION_REMEDY
        });
        expect(VALIDATION_REMEDY).toContain("$Profile.Name != 'Backstory Integration User'");
        const perm = classifyError(
            { code: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: '', fields: ['Subject'] },
            'Event'
        );
        expect(perm.kind === 'permanent' && perm.remedy).toMatch(/Edit Access for Subject/);
        expect(classifyError({ code: 'ENTITY_IS_DELETED', message: '', fields: ['WhatId'] }, 'Event')).toMatchObject({
            kind: 'rematch',
            field: 'WhatId'
        });
    });

    it('MATCH-7 backoff grows exponentially with jitter and is capped', () => {
        expect(backoffSeconds(1, 0)).toBe(1);
        expect(backoffSeconds(1, 0.999)).toBeLessThanOrEqual(2);
        expect(backoffSeconds(4, 0)).toBe(8);
        expect(backoffSeconds(30, 0.5)).toBeLessThanOrEqual(900);
    });

    it('MATCH-13 the allowance is the share of what was left before Backstory’s own calls', () => {
        expect(budgetAllowance(0.5, 2, 0)).toBe(1);
        expect(budgetAllowance(0.5, 99, 1)).toBe(50);
        expect(budgetAllowance(1, 0, 10)).toBe(10);
    });

    it('MATCH-12 Contact Creation proposes participants of a matched account domain who are no contact or lead', () => {
        const index = new ReplicaIndex();
        index.apply('Account', { Id: '001A', Name: 'Acme', Website: 'https://www.acme.com' });
        index.apply('Contact', { Id: '003A', Email: 'known@acme.com', AccountId: '001A' });
        const proposed = proposeContacts(
            [
                { email: 'me@backstory.example' },
                { email: 'known@acme.com' },
                { email: 'Nia.Park@acme.com', name: 'Nia Park' },
                { email: 'friend@gmail.com' },
                { email: 'x@unknown.example' }
            ],
            'me@backstory.example',
            index
        );
        expect(proposed).toEqual([
            { email: 'nia.park@acme.com', firstName: 'Nia', lastName: 'Park', accountId: '001A' }
        ]);
        expect(contactName({ email: 'solo@acme.com' })).toEqual({ firstName: null, lastName: 'solo@acme.com' });
    });
});
