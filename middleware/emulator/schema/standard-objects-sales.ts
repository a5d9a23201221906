import {
    address,
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
    required,
    values
} from './standard-objects-builders';
import type { ObjectSchema } from './types';

/** Sales Cloud objects: accounts, contacts, leads, opportunities and what hangs off them. */

/** Standard value set "Industry" (Account.Industry, Lead.Industry). */
export const INDUSTRIES = [
    'Agriculture',
    'Apparel',
    'Banking',
    'Biotechnology',
    'Chemicals',
    'Communications',
    'Construction',
    'Consulting',
    'Education',
    'Electronics',
    'Energy',
    'Engineering',
    'Entertainment',
    'Environmental',
    'Finance',
    'Food & Beverage',
    'Government',
    'Healthcare',
    'Hospitality',
    'Insurance',
    'Machinery',
    'Manufacturing',
    'Media',
    'Not For Profit',
    'Recreation',
    'Retail',
    'Shipping',
    'Technology',
    'Telecommunications',
    'Transportation',
    'Utilities',
    'Other'
] as const;

/**
 * Standard value set "AccountType", plus "Customer" and "Partner": the demo org customises it, as
 * most orgs do, and seed 000's use cases ("customers first", "partner accounts") use those values.
 */
export const ACCOUNT_TYPES = [
    'Prospect',
    'Customer',
    'Partner',
    'Customer - Direct',
    'Customer - Channel',
    'Channel Partner / Reseller',
    'Installation Partner',
    'Technology Partner',
    'Other'
] as const;
export const ACCOUNT_RATINGS = ['Hot', 'Warm', 'Cold'] as const;
export const ACCOUNT_OWNERSHIP = ['Public', 'Private', 'Subsidiary', 'Other'] as const;
/** Standard value set "LeadSource" (Account.AccountSource, Contact/Lead/Opportunity.LeadSource). */
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] as const;
export const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'] as const;

/** Standard value set "LeadStatus": [value, isConverted]; the first is the default. */
export const LEAD_STATUSES: readonly (readonly [string, boolean])[] = [
    ['Open - Not Contacted', false],
    ['Working - Contacted', false],
    ['Closed - Converted', true],
    ['Closed - Not Converted', false]
];

/** Standard value set "OpportunityStage": [value, probability, isClosed, isWon, forecastCategory]. */
export const OPPORTUNITY_STAGES: readonly (readonly [string, number, boolean, boolean, string])[] = [
    ['Prospecting', 10, false, false, 'Pipeline'],
    ['Qualification', 10, false, false, 'Pipeline'],
    ['Needs Analysis', 20, false, false, 'Pipeline'],
    ['Value Proposition', 50, false, false, 'Pipeline'],
    ['Id. Decision Makers', 60, false, false, 'Pipeline'],
    ['Perception Analysis', 70, false, false, 'Pipeline'],
    ['Proposal/Price Quote', 75, false, false, 'Pipeline'],
    ['Negotiation/Review', 90, false, false, 'Pipeline'],
    ['Closed Won', 100, true, true, 'Closed'],
    ['Closed Lost', 0, true, false, 'Omitted']
];
/** Standard value set "OpportunityType". */
export const OPPORTUNITY_TYPES = ['Existing Business', 'New Business', 'Partner'] as const;
/** ForecastCategoryName values (labels) and the ForecastCategory API values they map to. */
export const FORECAST_CATEGORIES: readonly (readonly [string, string])[] = [
    ['Omitted', 'Omitted'],
    ['Pipeline', 'Pipeline'],
    ['Best Case', 'BestCase'],
    ['Commit', 'Forecast'],
    ['Closed', 'Closed']
];
/** Standard value set "OpportunityContactRole" (OpportunityContactRole.Role). */
export const CONTACT_ROLES = [
    'Business User',
    'Decision Maker',
    'Economic Buyer',
    'Economic Decision Maker',
    'Evaluator',
    'Executive Sponsor',
    'Influencer',
    'Technical Buyer',
    'Other'
] as const;
/** Standard value set "SalesTeamRole" (AccountTeamMember and OpportunityTeamMember TeamMemberRole). */
export const TEAM_ROLES = [
    'Account Manager',
    'Channel Manager',
    'Executive Sponsor',
    'Lead Qualifier',
    'Pre-Sales Consultant',
    'Sales Manager',
    'Sales Rep',
    'Technical Sales'
] as const;

const nameParts = () => [
    picklist('Salutation', SALUTATIONS, { length: 40 }),
    field('FirstName', 'string', { length: 40 }),
    required('LastName', 'string', { length: 80 }),
    readOnly('Name', 'string', { label: 'Full Name', length: 121, nameField: true, nillable: false })
];

const description = () => field('Description', 'textarea', { length: 32000 });

export function salesObjects(): ObjectSchema[] {
    return [
        object(
            'Account',
            '001',
            [
                ref('MasterRecordId', ['Account'], 'MasterRecord', { createable: false, updateable: false }),
                required('Name', 'string', { label: 'Account Name', nameField: true }),
                picklist('Type', ACCOUNT_TYPES, { label: 'Account Type' }),
                ref('RecordTypeId', ['RecordType'], 'RecordType', { label: 'Record Type ID' }),
                ref('ParentId', ['Account'], 'Parent', { label: 'Parent Account ID' }),
                ...address('Billing'),
                ...address('Shipping'),
                field('Phone', 'phone', { label: 'Account Phone' }),
                field('Fax', 'phone', { label: 'Account Fax' }),
                field('AccountNumber', 'string', { length: 40 }),
                field('Website', 'url'),
                readOnly('PhotoUrl', 'url', { calculated: false }),
                field('Sic', 'string', { label: 'SIC Code', length: 20 }),
                picklist('Industry', INDUSTRIES),
                field('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
                field('NumberOfEmployees', 'int', { label: 'Employees', precision: 8 }),
                picklist('Ownership', ACCOUNT_OWNERSHIP),
                field('TickerSymbol', 'string', { length: 20 }),
                description(),
                picklist('Rating', ACCOUNT_RATINGS, { label: 'Account Rating' }),
                field('Site', 'string', { label: 'Account Site', length: 80 }),
                owner(),
                readOnly('LastActivityDate', 'date', { calculated: false }),
                readOnly('LastViewedDate', 'datetime', { calculated: false }),
                picklist('AccountSource', LEAD_SOURCES),
                currencyIsoCode()
            ],
            {
                labelPlural: 'Accounts',
                searchable: true,
                children: [
                    child('Account', 'ParentId', 'ChildAccounts'),
                    child('Contact', 'AccountId', 'Contacts'),
                    child('Opportunity', 'AccountId', 'Opportunities'),
                    child('AccountTeamMember', 'AccountId', 'AccountTeamMembers', true),
                    child('Event', 'WhatId', 'Events'),
                    child('Task', 'WhatId', 'Tasks')
                ]
            }
        ),
        object(
            'Contact',
            '003',
            [
                ref('MasterRecordId', ['Contact'], 'MasterRecord', { createable: false, updateable: false }),
                ref('AccountId', ['Account'], 'Account', { label: 'Account ID' }),
                ...nameParts(),
                ...address('Other'),
                ...address('Mailing'),
                field('Phone', 'phone', { label: 'Business Phone' }),
                field('Fax', 'phone', { label: 'Business Fax' }),
                field('MobilePhone', 'phone'),
                field('HomePhone', 'phone'),
                field('OtherPhone', 'phone'),
                field('AssistantPhone', 'phone', { label: 'Asst. Phone' }),
                ref('ReportsToId', ['Contact'], 'ReportsTo', { label: 'Reports To ID' }),
                field('Email', 'email', { idLookup: true }),
                field('Title', 'string', { length: 128 }),
                field('Department', 'string', { length: 80 }),
                field('AssistantName', 'string', { label: "Assistant's Name", length: 40 }),
                picklist('LeadSource', LEAD_SOURCES),
                field('Birthdate', 'date'),
                description(),
                owner(),
                bool('HasOptedOutOfEmail', false, { label: 'Email Opt Out' }),
                bool('DoNotCall'),
                readOnly('LastActivityDate', 'date', { calculated: false }),
                readOnly('LastViewedDate', 'datetime', { calculated: false }),
                field('EmailBouncedReason', 'string'),
                field('EmailBouncedDate', 'datetime'),
                readOnly('IsEmailBounced', 'boolean', { calculated: false }),
                readOnly('PhotoUrl', 'url', { calculated: false }),
                currencyIsoCode()
            ],
            {
                searchable: true,
                children: [
                    child('OpportunityContactRole', 'ContactId', 'OpportunityContactRoles', true),
                    child('Event', 'WhoId', 'Events'),
                    child('Task', 'WhoId', 'Tasks'),
                    child('EventRelation', 'RelationId', 'EventRelations', true),
                    child('TaskRelation', 'RelationId', 'TaskRelations', true)
                ]
            }
        ),
        object(
            'Lead',
            '00Q',
            [
                ref('MasterRecordId', ['Lead'], 'MasterRecord', { createable: false, updateable: false }),
                ...nameParts(),
                field('Title', 'string', { length: 128 }),
                required('Company', 'string'),
                ...address('', 'Address'),
                field('Phone', 'phone'),
                field('MobilePhone', 'phone'),
                field('Fax', 'phone'),
                field('Email', 'email', { idLookup: true }),
                field('Website', 'url'),
                readOnly('PhotoUrl', 'url', { calculated: false }),
                description(),
                picklist('LeadSource', LEAD_SOURCES),
                defaultedPicklist(
                    'Status',
                    LEAD_STATUSES.map(([v]) => v),
                    'Open - Not Contacted',
                    { restrictedPicklist: true }
                ),
                picklist('Industry', INDUSTRIES),
                picklist('Rating', ACCOUNT_RATINGS),
                field('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
                field('NumberOfEmployees', 'int', { label: 'Employees', precision: 8 }),
                owner(['Group', 'User']),
                bool('HasOptedOutOfEmail', false, { label: 'Email Opt Out' }),
                readOnly('IsConverted', 'boolean', { label: 'Converted', calculated: false, nillable: false }),
                readOnly('ConvertedDate', 'date', { calculated: false }),
                ref('ConvertedAccountId', ['Account'], 'ConvertedAccount', {
                    label: 'Converted Account ID',
                    createable: false,
                    updateable: false
                }),
                ref('ConvertedContactId', ['Contact'], 'ConvertedContact', {
                    label: 'Converted Contact ID',
                    createable: false,
                    updateable: false
                }),
                ref('ConvertedOpportunityId', ['Opportunity'], 'ConvertedOpportunity', {
                    label: 'Converted Opportunity ID',
                    createable: false,
                    updateable: false
                }),
                bool('IsUnreadByOwner', true, { label: 'Unread By Owner' }),
                bool('DoNotCall'),
                readOnly('LastActivityDate', 'date', { calculated: false }),
                readOnly('LastViewedDate', 'datetime', { calculated: false }),
                field('EmailBouncedReason', 'string'),
                field('EmailBouncedDate', 'datetime'),
                currencyIsoCode()
            ],
            {
                searchable: true,
                children: [
                    child('LeadHistory', 'LeadId', 'Histories', true),
                    child('Event', 'WhoId', 'Events'),
                    child('Task', 'WhoId', 'Tasks'),
                    child('EventRelation', 'RelationId', 'EventRelations', true),
                    child('TaskRelation', 'RelationId', 'TaskRelations', true)
                ]
            }
        ),
        object(
            'Opportunity',
            '006',
            [
                ref('AccountId', ['Account'], 'Account', { label: 'Account ID' }),
                ref('RecordTypeId', ['RecordType'], 'RecordType', { label: 'Record Type ID' }),
                bool('IsPrivate', false, { label: 'Private' }),
                required('Name', 'string', { label: 'Opportunity Name', length: 120, nameField: true }),
                description(),
                required('StageName', 'picklist', {
                    label: 'Stage',
                    picklistValues: values(OPPORTUNITY_STAGES.map(([v]) => v)),
                    restrictedPicklist: true
                }),
                field('Amount', 'currency', { precision: 18, scale: 2 }),
                field('Probability', 'percent', { label: 'Probability (%)', precision: 3, scale: 0 }),
                readOnly('ExpectedRevenue', 'currency', { label: 'Expected Amount', precision: 18, scale: 2 }),
                field('TotalOpportunityQuantity', 'double', { label: 'Quantity', precision: 18, scale: 2 }),
                required('CloseDate', 'date'),
                picklist('Type', OPPORTUNITY_TYPES, { label: 'Opportunity Type' }),
                field('NextStep', 'string'),
                picklist('LeadSource', LEAD_SOURCES),
                readOnly('IsClosed', 'boolean', { label: 'Closed', nillable: false }),
                readOnly('IsWon', 'boolean', { label: 'Won', nillable: false }),
                picklist(
                    'ForecastCategory',
                    FORECAST_CATEGORIES.map(([, v]) => v),
                    { createable: false, updateable: false, calculated: true, restrictedPicklist: true }
                ),
                picklist(
                    'ForecastCategoryName',
                    FORECAST_CATEGORIES.map(([v]) => v),
                    { label: 'Forecast Category', restrictedPicklist: true }
                ),
                readOnly('HasOpportunityLineItem', 'boolean', { label: 'Has Line Item', nillable: false }),
                owner(),
                readOnly('LastActivityDate', 'date', { calculated: false }),
                readOnly('LastViewedDate', 'datetime', { calculated: false }),
                readOnly('FiscalQuarter', 'int', { label: 'Fiscal Quarter', precision: 9 }),
                readOnly('FiscalYear', 'int', { label: 'Fiscal Year', precision: 9 }),
                readOnly('Fiscal', 'string', { label: 'Fiscal Period', length: 6 }),
                ref('ContactId', ['Contact'], 'Contact', { label: 'Contact ID' }),
                ref('Territory2Id', ['Territory2'], 'Territory2', { label: 'Territory ID' }),
                readOnly('HasOpenActivity', 'boolean', { nillable: false }),
                readOnly('HasOverdueTask', 'boolean', { nillable: false }),
                currencyIsoCode()
            ],
            {
                labelPlural: 'Opportunities',
                searchable: true,
                children: [
                    child('OpportunityContactRole', 'OpportunityId', 'OpportunityContactRoles', true),
                    child('OpportunityTeamMember', 'OpportunityId', 'OpportunityTeamMembers', true),
                    child('OpportunityHistory', 'OpportunityId', 'OpportunityHistories', true),
                    child('Event', 'WhatId', 'Events'),
                    child('Task', 'WhatId', 'Tasks')
                ]
            }
        ),
        object(
            'OpportunityContactRole',
            '00K',
            [
                ref('OpportunityId', ['Opportunity'], 'Opportunity', {
                    label: 'Opportunity ID',
                    nillable: false,
                    updateable: false
                }),
                ref('ContactId', ['Contact'], 'Contact', { label: 'Contact ID', nillable: false }),
                picklist('Role', CONTACT_ROLES, { length: 40 }),
                bool('IsPrimary', false, { label: 'Primary' }),
                currencyIsoCode()
            ],
            { label: 'Opportunity Contact Role' }
        ),
        object(
            'OpportunityHistory',
            '008',
            [
                readOnly('OpportunityId', 'reference', {
                    label: 'Opportunity ID',
                    referenceTo: ['Opportunity'],
                    relationshipName: 'Opportunity',
                    nillable: false
                }),
                readOnly('StageName', 'picklist', {
                    label: 'Stage Name',
                    picklistValues: values(OPPORTUNITY_STAGES.map(([v]) => v))
                }),
                readOnly('Amount', 'currency', { precision: 18, scale: 2 }),
                readOnly('ExpectedRevenue', 'currency', { label: 'Expected Revenue', precision: 18, scale: 2 }),
                readOnly('CloseDate', 'date'),
                readOnly('Probability', 'percent', { precision: 3, scale: 0 }),
                readOnly('ForecastCategory', 'picklist', {
                    picklistValues: values(FORECAST_CATEGORIES.map(([, v]) => v))
                }),
                readOnly('PrevAmount', 'currency', { label: 'Previous Amount', precision: 18, scale: 2 }),
                readOnly('PrevCloseDate', 'date', { label: 'Previous Close Date' }),
                readOnly('SystemModstamp', 'datetime', { nillable: false }),
                currencyIsoCode()
            ],
            {
                label: 'Opportunity History',
                labelPlural: 'Opportunity History',
                audit: 'created',
                createable: false,
                updateable: false,
                deletable: false
            }
        ),
        object(
            'OpportunityStage',
            // Real orgs give OpportunityStage and LeadStatus the same prefix (01J, picklist master
            // values). The emulator needs one prefix per object to resolve Ids, so this one takes 01K.
            '01K',
            [
                readOnly('MasterLabel', 'string', { label: 'Master Label' }),
                readOnly('ApiName', 'string', { label: 'Api Name', idLookup: true, nillable: false }),
                readOnly('IsActive', 'boolean', { label: 'Active', nillable: false }),
                readOnly('SortOrder', 'int', { precision: 9 }),
                readOnly('IsClosed', 'boolean', { label: 'Closed', nillable: false }),
                readOnly('IsWon', 'boolean', { label: 'Won', nillable: false }),
                readOnly('ForecastCategory', 'picklist', {
                    picklistValues: values(FORECAST_CATEGORIES.map(([, v]) => v))
                }),
                readOnly('ForecastCategoryName', 'picklist', {
                    picklistValues: values(FORECAST_CATEGORIES.map(([v]) => v))
                }),
                readOnly('DefaultProbability', 'percent', { precision: 3, scale: 0 }),
                readOnly('Description', 'string')
            ],
            {
                label: 'Opportunity Stage',
                noIsDeleted: true,
                createable: false,
                updateable: false,
                deletable: false
            }
        ),
        object(
            'AccountTeamMember',
            '01M',
            [
                ref('AccountId', ['Account'], 'Account', { label: 'Account ID', nillable: false, updateable: false }),
                ref('UserId', ['User'], 'User', { label: 'User ID', nillable: false, updateable: false }),
                picklist('TeamMemberRole', TEAM_ROLES, { label: 'Team Role', length: 40 }),
                defaultedPicklist('AccountAccessLevel', ['Read', 'Edit', 'All'], 'Read', { restrictedPicklist: true }),
                defaultedPicklist('OpportunityAccessLevel', ['None', 'Read', 'Edit'], 'None', {
                    restrictedPicklist: true
                }),
                defaultedPicklist('ContactAccessLevel', ['None', 'Read', 'Edit'], 'None', {
                    restrictedPicklist: true
                }),
                readOnly('Title', 'string', { length: 80 }),
                readOnly('PhotoUrl', 'url')
            ],
            { label: 'Account Team Member' }
        ),
        object(
            'OpportunityTeamMember',
            '00q',
            [
                ref('OpportunityId', ['Opportunity'], 'Opportunity', {
                    label: 'Opportunity ID',
                    nillable: false,
                    updateable: false
                }),
                ref('UserId', ['User'], 'User', { label: 'User ID', nillable: false, updateable: false }),
                readOnly('Name', 'string', { length: 121, nameField: true }),
                readOnly('Title', 'string', { length: 80 }),
                readOnly('PhotoUrl', 'url'),
                picklist('TeamMemberRole', TEAM_ROLES, { label: 'Team Role', length: 40 }),
                defaultedPicklist('OpportunityAccessLevel', ['Read', 'Edit', 'All'], 'Read', {
                    label: 'Opportunity Access',
                    restrictedPicklist: true
                }),
                currencyIsoCode()
            ],
            { label: 'Opportunity Team Member' }
        ),
        object(
            'LeadStatus',
            '01J',
            [
                readOnly('MasterLabel', 'string', { label: 'Master Label' }),
                readOnly('ApiName', 'string', { label: 'Api Name', idLookup: true, nillable: false }),
                readOnly('SortOrder', 'int', { precision: 9 }),
                readOnly('IsDefault', 'boolean', { label: 'Is Default', nillable: false }),
                readOnly('IsConverted', 'boolean', { label: 'Is Converted', nillable: false })
            ],
            {
                label: 'Lead Status Value',
                noIsDeleted: true,
                createable: false,
                updateable: false,
                deletable: false
            }
        ),
        object(
            'LeadHistory',
            '017',
            [
                readOnly('LeadId', 'reference', {
                    label: 'Lead ID',
                    referenceTo: ['Lead'],
                    relationshipName: 'Lead',
                    nillable: false
                }),
                readOnly('Field', 'picklist', {
                    label: 'Changed Field',
                    nillable: false,
                    picklistValues: values([
                        'created',
                        'leadConverted',
                        'leadMerged',
                        'Status',
                        'Owner',
                        'Company',
                        'Email',
                        'Title',
                        'Rating',
                        'LeadSource',
                        'Industry'
                    ])
                }),
                readOnly('DataType', 'picklist', { label: 'Data Type' }),
                readOnly('OldValue', 'anyType', { label: 'Old Value' }),
                readOnly('NewValue', 'anyType', { label: 'New Value' })
            ],
            {
                label: 'Lead History',
                labelPlural: 'Lead History',
                audit: 'created',
                createable: false,
                updateable: false,
                deletable: false
            }
        )
    ];
}
