import {
    bool,
    child,
    currencyIsoCode,
    defaultedPicklist,
    field,
    object,
    owner,
    picklist,
    readOnly,
    ref,
    values
} from './standard-objects-builders';
import type { ObjectSchema } from './types';

/** Activities: Event and Task and their relation rows (shared activities). */

/** Standard value set "EventType" / "TaskType" in a new org. */
export const ACTIVITY_TYPES = ['Call', 'Email', 'Meeting', 'Other'] as const;
/** Standard value set "TaskStatus": [value, isClosed]; the first is the default. */
export const TASK_STATUSES: readonly (readonly [string, boolean])[] = [
    ['Not Started', false],
    ['In Progress', false],
    ['Completed', true],
    ['Waiting on someone else', false],
    ['Deferred', false]
];
/** Standard value set "TaskPriority"; Normal is the default. */
export const TASK_PRIORITIES = ['High', 'Normal', 'Low'] as const;
export const TASK_SUBTYPES = ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'] as const;
export const EVENT_SUBTYPES = ['Event'] as const;

/** The objects a WhoId points at, and the ones a WhatId points at (the standard ones in this catalog). */
export const WHO_TARGETS = ['Contact', 'Lead'];
export const WHAT_TARGETS = ['Account', 'Opportunity'];

const subject = (suggestions: string[]) =>
    field('Subject', 'combobox', { picklistValues: values(suggestions), nameField: true });

const whoWhat = () => [
    ref('WhoId', WHO_TARGETS, 'Who', { label: 'Name ID' }),
    ref('WhatId', WHAT_TARGETS, 'What', { label: 'Related To ID' }),
    readOnly('WhoCount', 'int', { label: 'Relation Count', precision: 9 }),
    readOnly('WhatCount', 'int', { label: 'Related To Count', precision: 9 }),
    readOnly('AccountId', 'reference', { label: 'Account ID', referenceTo: ['Account'], relationshipName: 'Account' })
];

const reminder = () => [field('ReminderDateTime', 'datetime', { label: 'Reminder Date/Time' }), bool('IsReminderSet')];

export function activityObjects(): ObjectSchema[] {
    return [
        object(
            'Event',
            '00U',
            [
                ...whoWhat(),
                subject(['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other']),
                field('Location', 'string'),
                bool('IsAllDayEvent', false, { label: 'All-Day Event' }),
                field('ActivityDateTime', 'datetime', { label: 'Due Date Time' }),
                field('ActivityDate', 'date', { label: 'Due Date Only' }),
                field('DurationInMinutes', 'int', { label: 'Duration', precision: 8 }),
                field('StartDateTime', 'datetime', { label: 'Start Date Time' }),
                field('EndDateTime', 'datetime', { label: 'End Date Time' }),
                readOnly('EndDate', 'date', { label: 'End Date Only' }),
                field('Description', 'textarea', { length: 32000 }),
                owner(),
                picklist('Type', ACTIVITY_TYPES, { length: 40 }),
                bool('IsPrivate', false, { label: 'Private' }),
                defaultedPicklist('ShowAs', ['Busy', 'OutOfOffice', 'Free', 'WorkingElsewhere'], 'Busy', {
                    label: 'Show Time As',
                    length: 40,
                    restrictedPicklist: true
                }),
                readOnly('IsChild', 'boolean', { label: 'Is Child', nillable: false }),
                readOnly('IsGroupEvent', 'boolean', { label: 'Is Group Event', nillable: false }),
                readOnly('GroupEventType', 'picklist', { picklistValues: values(['0', '1', '2', '3']) }),
                readOnly('IsArchived', 'boolean', { label: 'Archived', nillable: false }),
                readOnly('IsRecurrence', 'boolean', { label: 'Create Recurring Series of Events', nillable: false }),
                readOnly('RecurrenceActivityId', 'reference', {
                    label: 'Recurrence Activity ID',
                    referenceTo: ['Event'],
                    relationshipName: null
                }),
                ...reminder(),
                defaultedPicklist('EventSubtype', EVENT_SUBTYPES, 'Event', {
                    label: 'Event Subtype',
                    length: 40,
                    updateable: false,
                    restrictedPicklist: true
                }),
                currencyIsoCode()
            ],
            { searchable: true, children: [child('EventRelation', 'EventId', 'EventRelations', true)] }
        ),
        object('EventRelation', '0RE', [
            ref('RelationId', ['Account', 'Contact', 'Lead', 'Opportunity', 'User'], 'Relation', {
                label: 'Relation ID',
                nillable: false,
                updateable: false
            }),
            ref('EventId', ['Event'], 'Event', { label: 'Event ID', nillable: false, updateable: false }),
            picklist('Status', ['New', 'Declined', 'Accepted', 'Uninvited', 'Maybe'], { length: 40 }),
            field('RespondedDate', 'datetime'),
            field('Response', 'string'),
            bool('IsInvitee', true, { label: 'Invitee' }),
            bool('IsParent', false, { label: 'Parent' }),
            bool('IsWhat', false, { label: 'Is What', updateable: false }),
            readOnly('AccountId', 'reference', {
                label: 'Account ID',
                referenceTo: ['Account'],
                relationshipName: 'Account'
            })
        ]),
        object(
            'Task',
            '00T',
            [
                ...whoWhat(),
                subject(['Call', 'Send Letter', 'Send Quote', 'Other']),
                field('ActivityDate', 'date', { label: 'Due Date Only' }),
                defaultedPicklist(
                    'Status',
                    TASK_STATUSES.map(([v]) => v),
                    'Not Started',
                    { length: 40, restrictedPicklist: true }
                ),
                defaultedPicklist('Priority', TASK_PRIORITIES, 'Normal', { length: 40, restrictedPicklist: true }),
                readOnly('IsHighPriority', 'boolean', { label: 'High Priority', nillable: false }),
                owner(['Group', 'User']),
                field('Description', 'textarea', { length: 32000 }),
                picklist('Type', ACTIVITY_TYPES, { length: 40 }),
                readOnly('IsClosed', 'boolean', { label: 'Closed', nillable: false }),
                readOnly('IsArchived', 'boolean', { label: 'Archived', nillable: false }),
                field('CallDurationInSeconds', 'int', { label: 'Call Duration', precision: 8 }),
                picklist('CallType', ['Internal', 'Inbound', 'Outbound'], { length: 40, restrictedPicklist: true }),
                field('CallDisposition', 'string', { label: 'Call Result' }),
                field('CallObject', 'string', { label: 'Call Object Identifier' }),
                ...reminder(),
                readOnly('IsRecurrence', 'boolean', { label: 'Create Recurring Series of Tasks', nillable: false }),
                readOnly('RecurrenceActivityId', 'reference', {
                    label: 'Recurrence Activity ID',
                    referenceTo: ['Task'],
                    relationshipName: null
                }),
                // Set on create (an email is logged as TaskSubtype Email) and never changed after.
                defaultedPicklist('TaskSubtype', TASK_SUBTYPES, 'Task', {
                    label: 'Task Subtype',
                    length: 40,
                    updateable: false,
                    restrictedPicklist: true
                }),
                readOnly('CompletedDateTime', 'datetime', { label: 'Completed Date/Time' }),
                currencyIsoCode()
            ],
            { searchable: true, children: [child('TaskRelation', 'TaskId', 'TaskRelations', true)] }
        ),
        object('TaskRelation', '0RT', [
            ref('RelationId', ['Account', 'Contact', 'Lead', 'Opportunity'], 'Relation', {
                label: 'Relation ID',
                nillable: false,
                updateable: false
            }),
            ref('TaskId', ['Task'], 'Task', { label: 'Task ID', nillable: false, updateable: false }),
            bool('IsWhat', false, { label: 'Is What', updateable: false }),
            readOnly('AccountId', 'reference', {
                label: 'Account ID',
                referenceTo: ['Account'],
                relationshipName: 'Account'
            })
        ])
    ];
}
