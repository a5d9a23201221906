import {
    address,
    bool,
    child,
    CURRENCY_CODES,
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
import { permissionFlags } from './standard-objects-permissions';
import type { ObjectSchema } from './types';

/** Users, roles, profiles, the organization, fiscal calendar, record types, currencies, notifications. */

export const TIME_ZONES = [
    'Pacific/Honolulu',
    'America/Anchorage',
    'America/Los_Angeles',
    'America/Phoenix',
    'America/Denver',
    'America/Chicago',
    'America/New_York',
    'America/Sao_Paulo',
    'GMT',
    'Europe/London',
    'Europe/Paris',
    'Europe/Berlin',
    'Asia/Kolkata',
    'Asia/Singapore',
    'Asia/Tokyo',
    'Australia/Sydney'
] as const;
export const LOCALES = ['en_US', 'en_GB', 'en_CA', 'en_AU', 'fr_FR', 'de_DE', 'ja_JP', 'es_ES'] as const;
export const LANGUAGES = ['en_US', 'fr', 'de', 'ja', 'es'] as const;
export const EMAIL_ENCODINGS = ['UTF-8', 'ISO-8859-1', 'Shift_JIS', 'ISO-2022-JP', 'EUC-JP', 'ks_c_5601-1987'] as const;
/** User.UserType / Profile.UserType values. */
export const USER_TYPES = [
    'Standard',
    'PowerPartner',
    'PowerCustomerSuccess',
    'CustomerSuccess',
    'Guest',
    'CspLitePortal',
    'CsnOnly',
    'SelfService',
    'AutomatedProcess'
] as const;

/** Organization.Default<Object>Access values (org-wide defaults), per object. */
export const ORG_WIDE_DEFAULTS = {
    Account: ['None', 'Read', 'Edit'],
    Contact: ['None', 'Read', 'Edit', 'ControlledByParent'],
    Lead: ['None', 'Read', 'Edit', 'ReadEditTransfer'],
    Opportunity: ['None', 'Read', 'Edit'],
    Case: ['None', 'Read', 'Edit', 'ReadEditTransfer'],
    Calendar: ['HideDetails', 'HideDetailsInsert', 'ShowDetails', 'ShowDetailsInsert', 'AllowEdits'],
    Campaign: ['None', 'Read', 'All'],
    Pricebook: ['None', 'Read', 'ReadSelect']
} as const;

/** Objects that can have record types in this catalog (RecordType.SobjectType values). */
const RECORD_TYPE_OBJECTS = ['Account', 'Contact', 'Event', 'Lead', 'Opportunity', 'Task'];

const readOnlyPicklist = (name: string, list: readonly string[], label?: string) =>
    readOnly(name, 'picklist', { picklistValues: values(list), restrictedPicklist: true, ...(label ? { label } : {}) });

export function setupObjects(): ObjectSchema[] {
    const noWrites = { createable: false, updateable: false, deletable: false };
    return [
        object(
            'User',
            '005',
            [
                required('Username', 'string', { length: 80, unique: true, idLookup: true }),
                required('LastName', 'string', { length: 80 }),
                field('FirstName', 'string', { length: 40 }),
                field('MiddleName', 'string', { length: 40 }),
                readOnly('Name', 'string', { label: 'Full Name', length: 121, nameField: true, nillable: false }),
                field('CompanyName', 'string', { label: 'Company Name', length: 80 }),
                field('Division', 'string', { length: 80 }),
                field('Department', 'string', { length: 80 }),
                field('Title', 'string', { length: 80 }),
                ...address('', 'Address'),
                required('Email', 'email', { length: 128 }),
                field('SenderEmail', 'email', { label: 'Email Sender Address' }),
                field('SenderName', 'string', { label: 'Email Sender Name', length: 80 }),
                field('Signature', 'textarea', { label: 'Email Signature', length: 1333 }),
                field('Phone', 'phone'),
                field('Fax', 'phone'),
                field('MobilePhone', 'phone', { label: 'Mobile' }),
                required('Alias', 'string', { length: 8 }),
                field('CommunityNickname', 'string', { label: 'Nickname', length: 40, defaultedOnCreate: true }),
                bool('IsActive', true, { label: 'Active' }),
                required('TimeZoneSidKey', 'picklist', {
                    label: 'Time Zone',
                    length: 40,
                    picklistValues: values(TIME_ZONES),
                    restrictedPicklist: true
                }),
                ref('UserRoleId', ['UserRole'], 'UserRole', { label: 'Role ID' }),
                required('LocaleSidKey', 'picklist', {
                    label: 'Locale',
                    length: 40,
                    picklistValues: values(LOCALES),
                    restrictedPicklist: true
                }),
                required('EmailEncodingKey', 'picklist', {
                    label: 'Email Encoding',
                    length: 40,
                    picklistValues: values(EMAIL_ENCODINGS),
                    restrictedPicklist: true
                }),
                ref('ProfileId', ['Profile'], 'Profile', { label: 'Profile ID', nillable: false }),
                readOnly('UserType', 'picklist', {
                    label: 'User Type',
                    picklistValues: values(USER_TYPES),
                    restrictedPicklist: true
                }),
                required('LanguageLocaleKey', 'picklist', {
                    label: 'Language',
                    length: 40,
                    picklistValues: values(LANGUAGES),
                    restrictedPicklist: true
                }),
                field('EmployeeNumber', 'string', { length: 20 }),
                ref('DelegatedApproverId', ['Group', 'User'], null, { label: 'Delegated Approver ID' }),
                ref('ManagerId', ['User'], 'Manager', { label: 'Manager ID' }),
                readOnly('LastLoginDate', 'datetime', { calculated: false }),
                readOnly('LastPasswordChangeDate', 'datetime', { calculated: false }),
                field('FederationIdentifier', 'string', { label: 'SAML Federation ID', length: 512 }),
                field('AboutMe', 'textarea', { label: 'About Me', length: 1000 }),
                readOnly('FullPhotoUrl', 'url', { label: 'Url for full-sized Photo' }),
                readOnly('SmallPhotoUrl', 'url', { label: 'Photo' }),
                ref('ContactId', ['Contact'], 'Contact', { label: 'Contact ID' }),
                readOnly('AccountId', 'reference', {
                    label: 'Account ID',
                    referenceTo: ['Account'],
                    relationshipName: 'Account'
                }),
                field('Extension', 'phone', { length: 40 }),
                bool('UserPermissionsMarketingUser', false, { label: 'Marketing User' }),
                bool('UserPermissionsOfflineUser', false, { label: 'Offline User' }),
                bool('UserPermissionsSFContentUser', false, { label: 'Salesforce CRM Content User' }),
                bool('ReceivesInfoEmails', false, { label: 'Info Emails' }),
                bool('ReceivesAdminInfoEmails', false, { label: 'Admin Info Emails' }),
                currencyIsoCode(),
                {
                    ...currencyIsoCode(),
                    name: 'DefaultCurrencyIsoCode',
                    label: 'Default Currency ISO Code'
                }
            ],
            {
                searchable: true,
                noIsDeleted: true,
                deletable: false,
                children: [
                    child('PermissionSetAssignment', 'AssigneeId', 'PermissionSetAssignments', true),
                    child('User', 'ManagerId', 'ManagedUsers'),
                    child('AccountTeamMember', 'UserId', 'AccountTeamMembers'),
                    child('OpportunityTeamMember', 'UserId', 'OpportunityTeamMembers'),
                    child('UserEntityAccess', 'UserId', 'UserEntityAccessRights'),
                    child('UserFieldAccess', 'UserId', 'UserFieldAccessRights')
                ]
            }
        ),
        object(
            'UserRole',
            '00E',
            [
                required('Name', 'string', { length: 80, nameField: true }),
                ref('ParentRoleId', ['UserRole'], null, { label: 'Parent Role ID' }),
                field('RollupDescription', 'string', { label: 'Description', length: 80 }),
                defaultedPicklist('OpportunityAccessForAccountOwner', ['None', 'Read', 'Edit'], 'None', {
                    label: 'Opportunity Access Level',
                    length: 40,
                    restrictedPicklist: true
                }),
                picklist('CaseAccessForAccountOwner', ['None', 'Read', 'Edit'], {
                    label: 'Case Access Level',
                    length: 40,
                    restrictedPicklist: true
                }),
                picklist('ContactAccessForAccountOwner', ['None', 'Read', 'Edit'], {
                    label: 'Contact Access Level',
                    length: 40,
                    restrictedPicklist: true
                }),
                ref('ForecastUserId', ['User'], 'ForecastUser', { label: 'Forecast Manager ID' }),
                bool('MayForecastManagerShare', false, { label: 'May Forecast Manager Share' }),
                field('DeveloperName', 'string', { label: 'Developer Name', length: 80, defaultedOnCreate: true }),
                readOnly('PortalAccountId', 'reference', {
                    label: 'Account ID',
                    referenceTo: ['Account'],
                    relationshipName: 'PortalAccount'
                }),
                readOnlyPicklist('PortalType', ['None', 'CustomerPortal', 'Partner'], 'Portal Type'),
                readOnly('PortalAccountOwnerId', 'reference', {
                    label: 'Partner Account Owner ID',
                    referenceTo: ['User'],
                    relationshipName: null
                })
            ],
            {
                label: 'Role',
                audit: 'modified',
                children: [child('User', 'UserRoleId', 'Users')]
            }
        ),
        object(
            'Profile',
            '00e',
            [
                required('Name', 'string', { nameField: true }),
                ref('UserLicenseId', ['UserLicense'], 'UserLicense', { label: 'User License ID', nillable: false }),
                readOnlyPicklist('UserType', USER_TYPES, 'User Type'),
                field('Description', 'string'),
                ...permissionFlags({ writable: true })
            ],
            {
                noIsDeleted: true,
                createable: false,
                deletable: false,
                children: [child('User', 'ProfileId', 'Users')]
            }
        ),
        object(
            'UserLicense',
            '100',
            [
                readOnly('LicenseDefinitionKey', 'string', { label: 'License Definition Key', length: 40 }),
                readOnly('Name', 'string', { length: 40, nameField: true }),
                readOnly('MasterLabel', 'string', { label: 'Master Label', length: 40 }),
                readOnlyPicklist('Status', ['Active', 'Disabled']),
                readOnly('TotalLicenses', 'int', { label: 'Total Licenses', precision: 9 }),
                readOnly('UsedLicenses', 'int', { label: 'Used Licenses', precision: 9 }),
                readOnly('UsedLicensesLastUpdated', 'datetime', { label: 'Used Licenses Last Updated' })
            ],
            { label: 'User License', noIsDeleted: true, ...noWrites }
        ),
        object(
            'Group',
            '00G',
            [
                required('Name', 'string', { length: 40, nameField: true }),
                field('DeveloperName', 'string', { label: 'Developer Name', length: 80, defaultedOnCreate: true }),
                readOnly('RelatedId', 'reference', {
                    label: 'Related ID',
                    referenceTo: ['User', 'UserRole'],
                    relationshipName: 'Related'
                }),
                defaultedPicklist(
                    'Type',
                    [
                        'AllCustomerPortal',
                        'Manager',
                        'ManagerAndSubordinatesInternal',
                        'Organization',
                        'PRMOrganization',
                        'Queue',
                        'Regular',
                        'Role',
                        'RoleAndSubordinates',
                        'RoleAndSubordinatesInternal',
                        'Territory',
                        'TerritoryAndSubordinates'
                    ],
                    'Regular',
                    { length: 40, updateable: false, restrictedPicklist: true }
                ),
                field('Email', 'email'),
                owner(['Organization', 'User']),
                bool('DoesSendEmailToMembers', false, { label: 'Send Email to Members' }),
                bool('DoesIncludeBosses', true, { label: 'Include Bosses' })
            ],
            { noIsDeleted: true }
        ),
        object(
            'Organization',
            '00D',
            [
                readOnly('Name', 'string', { length: 80, nameField: true, nillable: false }),
                readOnly('Division', 'string', { length: 80 }),
                ...address('', 'Address').map((f) => ({ ...f, createable: false, updateable: false })),
                readOnly('Phone', 'phone'),
                readOnly('Fax', 'phone'),
                readOnly('PrimaryContact', 'string', { label: 'Primary Contact', length: 80 }),
                readOnlyPicklist('DefaultLocaleSidKey', LOCALES, 'Locale'),
                readOnlyPicklist('TimeZoneSidKey', TIME_ZONES, 'Time Zone'),
                readOnlyPicklist('LanguageLocaleKey', LANGUAGES, 'Language'),
                readOnly('FiscalYearStartMonth', 'int', { label: 'Fiscal Year Starts In', precision: 2 }),
                readOnly('UsesStartDateAsFiscalYearName', 'boolean', { nillable: false }),
                ...Object.entries(ORG_WIDE_DEFAULTS).map(([objectName, list]) =>
                    readOnlyPicklist(`Default${objectName}Access`, list, `Default ${objectName} Access`)
                ),
                readOnlyPicklist(
                    'OrganizationType',
                    [
                        'Team Edition',
                        'Professional Edition',
                        'Enterprise Edition',
                        'Developer Edition',
                        'Personal Edition',
                        'Unlimited Edition',
                        'Contact Manager Edition',
                        'Base Edition'
                    ],
                    'Edition'
                ),
                readOnly('NamespacePrefix', 'string', { length: 15 }),
                readOnly('InstanceName', 'string', { length: 5 }),
                readOnly('IsSandbox', 'boolean', { nillable: false }),
                readOnly('IsReadOnly', 'boolean', { nillable: false }),
                readOnly('TrialExpirationDate', 'datetime'),
                readOnly('ReceivesInfoEmails', 'boolean', { nillable: false }),
                readOnly('ReceivesAdminInfoEmails', 'boolean', { nillable: false }),
                readOnly('PreferencesRequireOpportunityProducts', 'boolean', { nillable: false }),
                {
                    ...readOnlyPicklist('DefaultCurrencyIsoCode', CURRENCY_CODES, 'Default Currency ISO Code'),
                    multiCurrencyOnly: true
                }
            ],
            { noIsDeleted: true, ...noWrites }
        ),
        object(
            'Period',
            '026',
            [
                readOnly('FiscalYearSettingsId', 'reference', {
                    label: 'Fiscal Year Settings ID',
                    referenceTo: ['FiscalYearSettings'],
                    relationshipName: 'FiscalYearSettings'
                }),
                readOnlyPicklist('Type', ['Month', 'Quarter', 'Week', 'Year']),
                readOnly('StartDate', 'date', { nillable: false }),
                readOnly('EndDate', 'date', { nillable: false }),
                readOnly('IsForecastPeriod', 'boolean', { label: 'Forecast Period', nillable: false }),
                readOnlyPicklist('QuarterLabel', ['Spring', 'Summer', 'Fall', 'Winter'], 'Quarter Name'),
                readOnlyPicklist(
                    'PeriodLabel',
                    [
                        'January',
                        'February',
                        'March',
                        'April',
                        'May',
                        'June',
                        'July',
                        'August',
                        'September',
                        'October',
                        'November',
                        'December'
                    ],
                    'Period Name'
                ),
                readOnly('Number', 'int', { precision: 9 }),
                readOnly('FullyQualifiedLabel', 'string', { label: 'Fully Qualified Label' })
            ],
            { audit: 'modstamp', ...noWrites }
        ),
        object(
            'FiscalYearSettings',
            '022',
            [
                readOnly('PeriodId', 'reference', {
                    label: 'Period ID',
                    referenceTo: ['Period'],
                    relationshipName: 'Period'
                }),
                readOnly('StartDate', 'date'),
                readOnly('EndDate', 'date'),
                readOnly('Name', 'string', { length: 80, nameField: true, nillable: false }),
                readOnly('IsStandardYear', 'boolean', { label: 'Standard Year', nillable: false }),
                readOnlyPicklist('YearType', ['Standard', 'Custom', 'Placeholder'], 'Year Type'),
                readOnlyPicklist('QuarterLabelScheme', ['NumberByYear', 'Custom'], 'Quarter Name Scheme'),
                readOnlyPicklist('PeriodLabelScheme', ['NumberByYear', 'NumberByQuarter', 'StandardMonths', 'Custom']),
                readOnlyPicklist('WeekLabelScheme', ['NumberByYear', 'NumberByQuarter', 'NumberByPeriod']),
                readOnlyPicklist('QuarterPrefix', ['Quarter', 'FQ', 'Q', 'Trimester']),
                readOnlyPicklist('PeriodPrefix', ['Period', 'FP', 'P', 'Month']),
                readOnly('WeekStartDay', 'int', { precision: 9 }),
                readOnly('Description', 'string')
            ],
            { label: 'Fiscal Year Settings', labelPlural: 'Fiscal Year Settings', audit: 'modstamp', ...noWrites }
        ),
        object(
            'RecordType',
            '012',
            [
                required('Name', 'string', { label: 'Record Type Name', length: 80, nameField: true }),
                required('DeveloperName', 'string', { label: 'Record Type Name', length: 80 }),
                readOnly('NamespacePrefix', 'string', { length: 15 }),
                field('Description', 'string'),
                readOnly('BusinessProcessId', 'reference', {
                    label: 'Business Process ID',
                    referenceTo: [],
                    relationshipName: null
                }),
                required('SobjectType', 'picklist', {
                    label: 'Sobject Type Name',
                    length: 40,
                    picklistValues: values(RECORD_TYPE_OBJECTS),
                    updateable: false
                }),
                bool('IsActive', true, { label: 'Active' })
            ],
            { label: 'Record Type', noIsDeleted: true, deletable: false }
        ),
        object(
            'CurrencyType',
            '01L',
            [
                required('IsoCode', 'picklist', {
                    label: 'Currency ISO Code',
                    length: 3,
                    picklistValues: values(CURRENCY_CODES),
                    updateable: false
                }),
                required('ConversionRate', 'double', { label: 'Conversion Rate', precision: 18, scale: 6 }),
                field('DecimalPlaces', 'int', {
                    label: 'Decimal Places',
                    precision: 2,
                    nillable: false,
                    defaultedOnCreate: true,
                    defaultValue: 2
                }),
                bool('IsActive', true, { label: 'Active' }),
                readOnly('IsCorporate', 'boolean', { label: 'Corporate', nillable: false })
            ],
            { label: 'Currency Type', multiCurrencyOnly: true, noIsDeleted: true, deletable: false }
        ),
        object(
            'DatedConversionRate',
            '04w',
            [
                required('IsoCode', 'picklist', {
                    label: 'ISO Code',
                    length: 3,
                    picklistValues: values(CURRENCY_CODES),
                    updateable: false
                }),
                required('StartDate', 'date', { label: 'Start Date', updateable: false }),
                readOnly('NextStartDate', 'date', { label: 'Next Start Date' }),
                required('ConversionRate', 'double', { label: 'Conversion Rate', precision: 18, scale: 6 })
            ],
            { label: 'Dated Conversion Rate', multiCurrencyOnly: true, noIsDeleted: true }
        ),
        object(
            'Territory2',
            '0MI',
            [
                required('Name', 'string', { length: 80, nameField: true }),
                required('DeveloperName', 'string', { label: 'API Name', length: 80 }),
                field('Description', 'string', { length: 1000 }),
                ref('ParentTerritory2Id', ['Territory2'], 'ParentTerritory2', { label: 'Parent Territory ID' }),
                picklist('AccountAccessLevel', ['Read', 'Edit', 'All']),
                picklist('OpportunityAccessLevel', ['None', 'Read', 'Edit']),
                picklist('ContactAccessLevel', ['None', 'Read', 'Edit'])
            ],
            {
                label: 'Territory',
                noIsDeleted: true,
                children: [
                    child('Territory2', 'ParentTerritory2Id', 'ChildTerritories'),
                    child('Opportunity', 'Territory2Id', 'Opportunities')
                ]
            }
        ),
        object(
            'CustomNotificationType',
            '0ML',
            [
                readOnly('DeveloperName', 'string', { label: 'API Name', length: 80, nillable: false }),
                readOnly('MasterLabel', 'string', { label: 'Master Label', length: 80, nameField: true }),
                readOnly('Language', 'picklist', { picklistValues: values(LANGUAGES) }),
                readOnly('NamespacePrefix', 'string', { length: 15 }),
                readOnly('CustomNotifTypeName', 'string', { label: 'Custom Notification Name', length: 80 }),
                readOnly('Description', 'string'),
                readOnly('Desktop', 'boolean', { nillable: false }),
                readOnly('Mobile', 'boolean', { nillable: false })
            ],
            { label: 'Custom Notification Type', ...noWrites }
        )
    ];
}
