import { checkFieldReferences, operatorProblem, type FieldCatalog, type FieldInfo } from './field-references';
import type { FilterCondition, MatchingSettings, NotificationSettings, RankingGroup } from './profile';
import { defaultProfileSections } from './profile-defaults';

const field = (name: string, type: string, extra: Partial<FieldInfo> = {}): FieldInfo => ({
    name,
    type,
    updateable: false,
    sortable: type !== 'textarea' && type !== 'multipicklist',
    filterable: type !== 'textarea',
    picklistValues: [],
    ...extra
});

/** A small org: what the integration user can see (Opportunity.Description is hidden from it by FLS). */
const objects: Record<string, FieldInfo[]> = {
    Opportunity: [
        field('Type', 'picklist', { picklistValues: ['New Business', 'Existing Business'] }),
        field('Amount', 'currency'),
        field('CloseDate', 'date'),
        field('Name', 'string'),
        field('IsWon', 'boolean'),
        field('AccountId', 'reference', { relationshipName: 'Account', referenceTo: ['Account'] }),
        field('OwnerId', 'reference', { relationshipName: 'Owner', referenceTo: ['Group', 'User'] })
    ],
    Account: [field('Type', 'picklist', { picklistValues: ['Customer', 'Partner'] }), field('Name', 'string')],
    Lead: [field('Status', 'picklist', { picklistValues: ['Open'] }), field('Name', 'string')],
    User: [field('Name', 'string'), field('Title', 'string')],
    Event: [
        field('Type', 'picklist', { updateable: true, picklistValues: ['Demo'] }),
        field('CreatedDate', 'datetime'),
        field('peopleai__Next_Steps__c', 'textarea', { updateable: true }),
        field('IsPrivate', 'boolean', { updateable: true }),
        field('ActivityDateTime', 'datetime', { updateable: true })
    ]
};

function catalog(): FieldCatalog & { asked: string[] } {
    const asked: string[] = [];
    return {
        asked,
        fields: (object) => {
            asked.push(object);
            const list = objects[object];
            return Promise.resolve(list ? new Map(list.map((f) => [f.name.toLowerCase(), f])) : null);
        }
    };
}

const eligibilityWith = (...filters: FilterCondition[]): MatchingSettings => ({
    ...defaultProfileSections().matching,
    eligibility: {
        ...defaultProfileSections().matching.eligibility,
        Opportunity: { mode: 'filtered', groups: [{ id: 'g', name: 'g', filters }] }
    }
});
const rankingWith = (...rankingGroups: RankingGroup[]): MatchingSettings => ({
    ...defaultProfileSections().matching,
    rankingGroups
});
const notificationsWith = (n: Partial<NotificationSettings>): NotificationSettings => ({
    ...defaultProfileSections().notifications,
    ...n
});

describe('field references against the org describe (CP-5, CP-6, CP-7)', () => {
    it('CP-5 accepts filters on readable fields whose type fits the operator and value', async () => {
        const problems = await checkFieldReferences(
            {
                matching: eligibilityWith(
                    { field: 'Type', operator: 'in', value: ['new business', 'Existing Business'] },
                    { field: 'Amount', operator: 'greater_than', value: 1000 },
                    { field: 'CloseDate', operator: 'less_than', value: '2027-01-01' },
                    { field: 'Name', operator: 'contains', value: 'renewal' },
                    { field: 'IsWon', operator: 'equals', value: false },
                    { field: 'Account.Type', operator: 'equals', value: 'Partner' },
                    { field: 'Owner.Title', operator: 'starts_with', value: 'VP' },
                    { field: 'Type', operator: 'is_null' }
                )
            },
            catalog()
        );
        expect(problems).toEqual([]);
    });

    it('CP-5 names the path of an unknown or unreadable field, a misfit operator and a bad value', async () => {
        const problems = await checkFieldReferences(
            {
                matching: eligibilityWith(
                    { field: 'Description', operator: 'equals', value: 'x' },
                    { field: 'Type', operator: 'greater_than', value: 'New Business' },
                    { field: 'Amount', operator: 'contains', value: '5' },
                    { field: 'Type', operator: 'equals', value: 'Dreaming' },
                    { field: 'Amount', operator: 'equals', value: 'lots' },
                    { field: 'CloseDate', operator: 'greater_than', value: 'next week' },
                    { field: 'Acount.Type', operator: 'equals', value: 'x' },
                    { field: 'Account.Industry', operator: 'equals', value: 'x' }
                )
            },
            catalog()
        );
        const base = 'matching.eligibility.Opportunity.groups.0.filters';
        expect(problems).toEqual([
            {
                path: `${base}.0.field`,
                message: 'Opportunity.Description does not exist or the integration user cannot read it'
            },
            {
                path: `${base}.1.operator`,
                message: 'greater_than only applies to number and date fields, not to Type of type picklist'
            },
            {
                path: `${base}.2.operator`,
                message: 'contains only applies to text fields, not to Amount of type currency'
            },
            {
                path: `${base}.3.value`,
                message: 'Dreaming is not a value of the picklist Type (New Business, Existing Business)'
            },
            { path: `${base}.4.value`, message: 'lots is not a number (Amount is of type currency)' },
            { path: `${base}.5.value`, message: 'next week is not a date (YYYY-MM-DD)' },
            {
                path: `${base}.6.field`,
                message: 'Opportunity.Acount is not a relationship the integration user can read'
            },
            {
                path: `${base}.7.field`,
                message: 'Account.Industry does not exist or the integration user cannot read it'
            }
        ]);
    });

    it('CP-6 sort conditions need sortable fields; an All group checks every type; select conditions are filters', async () => {
        const problems = await checkFieldReferences(
            {
                matching: rankingWith(
                    {
                        id: 'a',
                        name: 'By close',
                        recordType: 'All',
                        kind: 'sort',
                        conditions: [{ field: 'CloseDate', direction: 'asc' }]
                    },
                    {
                        id: 'b',
                        name: 'Customers',
                        recordType: 'Account',
                        kind: 'select',
                        conditions: [{ field: 'Type', operator: 'less_than', value: 'Customer' }]
                    },
                    {
                        id: 'c',
                        name: 'Names',
                        recordType: 'Lead',
                        kind: 'sort',
                        conditions: [{ field: 'Name', direction: 'desc' }]
                    }
                )
            },
            catalog()
        );
        expect(problems).toEqual([
            {
                path: 'matching.rankingGroups.0.conditions.0.field',
                message: 'Account.CloseDate does not exist or the integration user cannot read it'
            },
            {
                path: 'matching.rankingGroups.0.conditions.0.field',
                message: 'Lead.CloseDate does not exist or the integration user cannot read it'
            },
            {
                path: 'matching.rankingGroups.1.conditions.0.operator',
                message: 'less_than only applies to number and date fields, not to Type of type picklist'
            }
        ]);
        const unsortable = await checkFieldReferences(
            {
                matching: rankingWith({
                    id: 'd',
                    name: 'Next steps',
                    recordType: 'Opportunity',
                    kind: 'sort',
                    conditions: [{ field: 'Name', direction: 'asc' }]
                })
            },
            { fields: () => Promise.resolve(new Map([['name', field('Name', 'textarea')]])) }
        );
        expect(unsortable).toEqual([
            {
                path: 'matching.rankingGroups.0.conditions.0.field',
                message: 'Opportunity.Name of type textarea cannot be sorted'
            }
        ]);
    });

    it('CP-7 the meeting category and answer fields must exist, be writable and hold text', async () => {
        const ok = await checkFieldReferences(
            {
                notifications: notificationsWith({
                    meetingCategoryField: 'Event.Type',
                    followUpQuestions: [
                        { id: 'q', category: 'Demo', text: 'Next steps?', field: 'Event.peopleai__Next_Steps__c' }
                    ]
                })
            },
            catalog()
        );
        expect(ok).toEqual([]);
        const bad = await checkFieldReferences(
            {
                notifications: notificationsWith({
                    meetingCategoryField: 'Event.CreatedDate',
                    followUpQuestions: [
                        { id: 'q1', category: 'Demo', text: 'a', field: 'Event.ActivityDateTime' },
                        { id: 'q2', category: 'Demo', text: 'b', field: 'Event.Nope__c' },
                        { id: 'q3', category: 'Demo', text: 'c', field: 'Meeting.Notes__c' }
                    ]
                })
            },
            catalog()
        );
        expect(bad).toEqual([
            {
                path: 'notifications.meetingCategoryField',
                message: 'Event.CreatedDate is not writable by the integration user'
            },
            {
                path: 'notifications.followUpQuestions.0.field',
                message: 'Event.ActivityDateTime of type datetime cannot store a follow-up answer'
            },
            {
                path: 'notifications.followUpQuestions.1.field',
                message: 'Event.Nope__c does not exist or the integration user cannot read it'
            },
            {
                path: 'notifications.followUpQuestions.2.field',
                message: 'Meeting is not an object the integration user can read'
            }
        ]);
    });

    it('operator fit by type: greater_than refused on picklists, contains refused on numbers', () => {
        expect(operatorProblem(field('Type', 'picklist'), 'greater_than')).toMatch(/only applies to number and date/);
        expect(operatorProblem(field('Amount', 'double'), 'contains')).toMatch(/only applies to text/);
        expect(operatorProblem(field('Amount', 'double'), 'greater_than')).toBeNull();
        expect(operatorProblem(field('Name', 'string'), 'starts_with')).toBeNull();
        expect(operatorProblem(field('Body', 'textarea'), 'equals')).toMatch(/cannot be compared/);
        expect(operatorProblem(field('Body', 'textarea'), 'is_not_null')).toBeNull();
    });
});
