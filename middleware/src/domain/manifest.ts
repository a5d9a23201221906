/**
 * The integration manifest (PERM-6): every object, system permission, object permission and
 * field the Backstory integration user needs, from seed 003 ("Salesforce Permissions"). The CRM
 * pull, the permission checker and the `Backstory Standard Permissions` permission set in
 * force-app are all derived from this one list.
 */

export type SystemPermission =
    | 'ViewAllData'
    | 'ApiEnabled'
    | 'ViewAllUsers'
    | 'EditEvent'
    | 'EditTask'
    | 'ViewSetup'
    | 'ViewRoles'
    | 'ManageUsers'
    | 'ModifyAllData';

export interface SystemPermissionSpec {
    name: SystemPermission;
    label: string;
    /** PERM-2: required on the View All Data path; PERM-3: on the least-privilege path. */
    paths: ('view_all_data' | 'least_privilege')[];
}

/** PERM-2 and PERM-3. View All Data path: View All Data, API Enabled, View All Users (+ Edit Events/Tasks from option C). */
export const SYSTEM_PERMISSIONS: SystemPermissionSpec[] = [
    { name: 'ApiEnabled', label: 'API Enabled', paths: ['view_all_data', 'least_privilege'] },
    { name: 'ViewAllData', label: 'View All Data', paths: ['view_all_data'] },
    { name: 'ViewAllUsers', label: 'View All Users', paths: ['view_all_data', 'least_privilege'] },
    { name: 'EditEvent', label: 'Edit Events', paths: ['view_all_data', 'least_privilege'] },
    { name: 'EditTask', label: 'Edit Tasks', paths: ['view_all_data', 'least_privilege'] },
    { name: 'ViewSetup', label: 'View Setup and Configuration', paths: ['least_privilege'] }
];

export type ObjectRight = 'viewAll' | 'read' | 'edit' | 'create' | 'delete' | 'modifyAll';

export interface FieldSpec {
    name: string;
    /** required: the pull stops without it (PERM-5); recommended: pulled when readable; inherited: granted with the object. */
    kind: 'required' | 'recommended' | 'inherited';
    /** Backstory writes it (write-back of Events and Tasks, MATCH-6): the permission set grants edit. */
    writes?: boolean;
}

export interface ObjectSpec {
    name: string;
    /** Object permissions to grant (seed 003's table); empty for inherited objects. */
    rights: ObjectRight[];
    /** Why Backstory needs it (shown by the wizard). */
    reason: string;
    /** Inherited objects: what grants them. */
    inheritsFrom?: string;
    /** Present only when multi-currency is on. */
    multiCurrencyOnly?: boolean;
    /** The least-privilege path needs View All on it (PERM-3). */
    leastPrivilegeViewAll?: boolean;
    /** Modify All is required when the object's org-wide default is Private (PERM-4). */
    modifyAllWhenPrivate?: boolean;
    /** The CRM pull replicates it. */
    pulled?: boolean;
    /** An org feature the object exists only with (describe answers NOT_FOUND while it is off). */
    feature?: string;
    fields: FieldSpec[];
}

const req = (...names: string[]): FieldSpec[] => names.map((name) => ({ name, kind: 'required' }));
const rec = (...names: string[]): FieldSpec[] => names.map((name) => ({ name, kind: 'recommended' }));
const inh = (...names: string[]): FieldSpec[] => names.map((name) => ({ name, kind: 'inherited' }));
/** Fields the write-back sets (recommended for reading, granted edit). */
const wrt = (...names: string[]): FieldSpec[] => names.map((name) => ({ name, kind: 'recommended', writes: true }));

export const MANIFEST: ObjectSpec[] = [
    {
        name: 'Account',
        rights: ['viewAll', 'read', 'edit'],
        reason: 'Used to match activities to accounts and write aggregated fields.',
        leastPrivilegeViewAll: true,
        modifyAllWhenPrivate: true,
        pulled: true,
        fields: [
            ...req('CreatedById', 'Name', 'OwnerId'),
            ...rec(
                'AnnualRevenue',
                'BillingAddress',
                'Industry',
                'NumberOfEmployees',
                'Ownership',
                'ParentId',
                'RecordTypeId',
                'ShippingAddress',
                'Type',
                'Website'
            ),
            // Aggregated activity fields Backstory writes (MATCH-6).
            ...wrt('peopleai__Last_Activity_Date__c', 'peopleai__Email_Count__c', 'peopleai__Meeting_Count__c'),
            ...inh('CreatedDate', 'Id', 'IsDeleted', 'LastModifiedById', 'SystemModstamp')
        ]
    },
    {
        name: 'Contact',
        rights: ['viewAll', 'read', 'edit', 'create', 'delete'],
        reason: 'Used to match activities to contacts and update titles and phone numbers. Delete is reserved for contacts created by Backstory.',
        leastPrivilegeViewAll: true,
        modifyAllWhenPrivate: true,
        pulled: true,
        fields: [
            // Email is not in seed 003's table, but matching cannot work without it: required here.
            ...req('CreatedDate', 'Name', 'OwnerId', 'Title'),
            // Contact Creation (MATCH-12) writes these on the contacts it creates.
            { name: 'AccountId', kind: 'required', writes: true },
            { name: 'Email', kind: 'required', writes: true },
            ...wrt('FirstName', 'LastName'),
            ...rec('AssistantPhone', 'Department', 'HomePhone', 'MailingAddress', 'MobilePhone', 'OtherPhone', 'Phone'),
            // Aggregated activity fields Backstory writes (MATCH-6).
            ...wrt('peopleai__Last_Activity_Date__c', 'peopleai__Email_Count__c', 'peopleai__Meeting_Count__c'),
            ...inh('Id', 'IsDeleted', 'SystemModstamp')
        ]
    },
    {
        name: 'Lead',
        rights: ['viewAll', 'read', 'edit', 'create'],
        reason: 'Used to match activities to leads and write aggregated fields. Create is reserved for future enhancements.',
        leastPrivilegeViewAll: true,
        modifyAllWhenPrivate: true,
        pulled: true,
        fields: [
            // Email: as for Contact, matching needs it.
            ...req('Company', 'CreatedById', 'Name', 'OwnerId', 'Status', 'Email'),
            ...rec('AnnualRevenue', 'Industry', 'MobilePhone', 'Phone', 'Rating', 'Title', 'Website'),
            // Aggregated activity fields Backstory writes (MATCH-6).
            ...wrt('peopleai__Last_Activity_Date__c', 'peopleai__Email_Count__c', 'peopleai__Meeting_Count__c'),
            ...inh(
                'ConvertedAccountId',
                'ConvertedContactId',
                'ConvertedDate',
                'ConvertedOpportunityId',
                'CreatedDate',
                'Id',
                'IsDeleted',
                'IsConverted',
                'SystemModstamp'
            )
        ]
    },
    {
        name: 'Opportunity',
        rights: ['viewAll', 'read', 'edit'],
        reason: 'Used to match activities to opportunities and write aggregated fields.',
        leastPrivilegeViewAll: true,
        modifyAllWhenPrivate: true,
        pulled: true,
        fields: [
            ...req('AccountId', 'CloseDate', 'CreatedById', 'Name', 'OwnerId', 'StageName'),
            ...rec(
                'Amount',
                'ExpectedRevenue',
                'ForecastCategoryName',
                'LeadSource',
                'Probability',
                'RecordTypeId',
                'Territory2Id',
                'Type'
            ),
            // Aggregated activity fields Backstory writes (MATCH-6).
            ...wrt('peopleai__Last_Activity_Date__c', 'peopleai__Email_Count__c', 'peopleai__Meeting_Count__c'),
            ...inh('CreatedDate', 'Id', 'IsClosed', 'IsDeleted', 'IsWon', 'LastModifiedById', 'SystemModstamp')
        ]
    },
    {
        name: 'Event',
        rights: ['viewAll', 'read', 'edit', 'create'],
        reason: 'Meetings are written back as Events.',
        leastPrivilegeViewAll: true,
        fields: [
            ...req('ActivityDate', 'CreatedById', 'LastModifiedById', 'OwnerId', 'peopleai__Created_by_PeopleAI__c'),
            // Type doubles as the default meeting category field (CP-7): written back.
            { name: 'Type', kind: 'required', writes: true },
            // The write-back upsert key (MATCH-6); not in seed 003's table, which predates it.
            ...req('peopleai__Activity_Id__c'),
            ...wrt(
                'Subject',
                'StartDateTime',
                'EndDateTime',
                'ActivityDateTime',
                'DurationInMinutes',
                'Description',
                'Location',
                'WhoId',
                'WhatId'
            ),
            // Follow-up answer fields (CP-7).
            ...wrt('peopleai__Next_Steps__c', 'peopleai__Meeting_Outcome__c'),
            ...inh('CreatedDate', 'Id', 'SystemModstamp')
        ]
    },
    {
        name: 'Task',
        rights: ['viewAll', 'read', 'edit', 'create'],
        reason: 'Emails are written back as Tasks.',
        leastPrivilegeViewAll: true,
        fields: [
            ...req('CreatedById', 'OwnerId', 'peopleai__Created_by_PeopleAI__c', 'WhatId', 'WhoId'),
            // The write-back upsert key (MATCH-6).
            ...req('peopleai__Activity_Id__c'),
            ...rec('Priority', 'Status', 'TaskSubtype'),
            ...wrt('Subject', 'ActivityDate', 'Description')
        ]
    },
    {
        name: 'Period',
        rights: ['read'],
        reason: 'Fiscal periods for reporting.',
        fields: []
    },
    {
        name: 'AccountTeamMember',
        rights: [],
        inheritsFrom: 'Account',
        reason: 'Account teams rank matches.',
        feature: 'Account Teams (Setup > Account Teams > Enable Account Teams)',
        pulled: true,
        fields: inh('AccountId', 'CreatedDate', 'Id', 'IsDeleted', 'SystemModstamp', 'TeamMemberRole', 'UserId')
    },
    { name: 'EventRelation', rights: [], inheritsFrom: 'Edit Events', reason: 'Meeting participants.', fields: [] },
    {
        name: 'FiscalYearSettings',
        rights: [],
        inheritsFrom: 'View All Data',
        reason: 'Fiscal year.',
        fields: inh('EndDate', 'Id', 'IsStandardYear', 'Name', 'StartDate', 'SystemModstamp')
    },
    {
        name: 'Group',
        rights: [],
        inheritsFrom: 'Manage Users',
        reason: 'Queues and groups own records.',
        fields: inh('CreatedDate', 'Id', 'Name', 'OwnerId', 'SystemModstamp', 'Type')
    },
    {
        name: 'LeadHistory',
        rights: [],
        inheritsFrom: 'Lead',
        reason: 'Lead status changes.',
        fields: inh('CreatedDate', 'Field', 'Id', 'LeadId', 'NewValue')
    },
    {
        name: 'LeadStatus',
        rights: [],
        inheritsFrom: 'Lead',
        reason: 'Converted lead statuses.',
        fields: inh('ApiName', 'CreatedDate', 'IsConverted', 'IsDefault', 'SortOrder', 'SystemModstamp')
    },
    {
        name: 'OpportunityContactRole',
        rights: [],
        inheritsFrom: 'Opportunity',
        reason: 'Contact roles are a matching signal and are written back.',
        pulled: true,
        fields: inh(
            'ContactId',
            'CreatedDate',
            'Id',
            'IsDeleted',
            'IsPrimary',
            'OpportunityId',
            'Role',
            'SystemModstamp'
        )
    },
    {
        name: 'OpportunityHistory',
        rights: [],
        inheritsFrom: 'Opportunity',
        reason: 'Stage history.',
        fields: inh(
            'Amount',
            'CloseDate',
            'CreatedDate',
            'Id',
            'OpportunityId',
            'Probability',
            'StageName',
            'SystemModstamp'
        )
    },
    {
        name: 'OpportunityStage',
        rights: [],
        inheritsFrom: 'Opportunity',
        reason: 'Open and closed stages.',
        fields: inh('ApiName', 'CreatedDate', 'IsActive', 'IsClosed', 'IsWon', 'SortOrder', 'SystemModstamp')
    },
    {
        name: 'OpportunityTeamMember',
        rights: [],
        inheritsFrom: 'Opportunity',
        reason: 'Opportunity teams rank matches.',
        feature: 'Team Selling (Setup > Opportunity Team Settings > Enable Team Selling)',
        pulled: true,
        fields: inh(
            'CreatedDate',
            'Id',
            'IsDeleted',
            'Name',
            'OpportunityAccessLevel',
            'OpportunityId',
            'SystemModstamp',
            'TeamMemberRole',
            'Title',
            'UserId'
        )
    },
    {
        name: 'Organization',
        rights: [],
        inheritsFrom: 'View All Data',
        reason: 'Org-wide defaults and settings.',
        fields: []
    },
    {
        name: 'Profile',
        rights: [],
        inheritsFrom: 'Manage Users',
        reason: 'User profiles.',
        fields: inh('Id', 'SystemModstamp', 'UserLicenseId')
    },
    { name: 'TaskRelation', rights: [], inheritsFrom: 'Edit Tasks', reason: 'Email participants.', fields: [] },
    {
        name: 'User',
        rights: [],
        inheritsFrom: 'Manage Users',
        reason: 'Users and the role hierarchy drive Users and Teams.',
        pulled: true,
        fields: inh('CreatedDate', 'Id', 'IsActive', 'ProfileId', 'SystemModstamp', 'TimeZoneSidKey')
    },
    {
        name: 'UserLicense',
        rights: [],
        inheritsFrom: 'Manage Users',
        reason: 'Licence changes suspend users.',
        fields: inh('Id', 'LicenseDefinitionKey', 'SystemModstamp')
    },
    {
        name: 'UserRole',
        rights: [],
        inheritsFrom: 'Manage Users',
        reason: 'The role hierarchy.',
        pulled: true,
        fields: inh('Id', 'LastModifiedById', 'Name', 'ParentRoleId', 'PortalAccountId', 'SystemModstamp')
    },
    {
        name: 'CurrencyType',
        rights: [],
        inheritsFrom: 'View All Data',
        multiCurrencyOnly: true,
        reason: 'Currency conversion (multi-currency orgs).',
        fields: inh('CreatedDate', 'DecimalPlaces', 'Id', 'IsActive', 'IsCorporate', 'IsoCode', 'SystemModstamp')
    },
    {
        name: 'DatedConversionRate',
        rights: [],
        inheritsFrom: 'View All Data',
        multiCurrencyOnly: true,
        reason: 'Dated exchange rates (multi-currency orgs).',
        fields: inh('ConversionRate', 'CreatedDate', 'Id', 'IsoCode', 'NextStartDate', 'StartDate', 'SystemModstamp')
    }
];

export function objectSpec(name: string): ObjectSpec | undefined {
    return MANIFEST.find((o) => o.name === name);
}

export interface ScopeOptions {
    /**
     * Whether the org has multi-currency on. When false, the multi-currency-only objects
     * (CurrencyType, DatedConversionRate) have no fields to pull or check. Default true: the
     * object's full list, as seed 003 prints it.
     */
    multiCurrency?: boolean;
}

const inScope = (spec: ObjectSpec | undefined, options: ScopeOptions): spec is ObjectSpec =>
    spec !== undefined && (!spec.multiCurrencyOnly || options.multiCurrency !== false);

/** Fields without which the pull of `object` stops (PERM-5): required and inherited ones. */
export function requiredFields(object: string, options: ScopeOptions = {}): string[] {
    const spec = objectSpec(object);
    return inScope(spec, options) ? spec.fields.filter((f) => f.kind !== 'recommended').map((f) => f.name) : [];
}

/** Fields pulled when readable and listed as warnings otherwise (PERM-5). */
export function recommendedFields(object: string, options: ScopeOptions = {}): string[] {
    const spec = objectSpec(object);
    return inScope(spec, options) ? spec.fields.filter((f) => f.kind === 'recommended').map((f) => f.name) : [];
}

/** Objects in scope for an org (multi-currency objects only when it is on). */
export function objectsInScope(multiCurrency: boolean): ObjectSpec[] {
    return MANIFEST.filter((o) => !o.multiCurrencyOnly || multiCurrency);
}

/**
 * Compound fields and the component that stands for them: describe lists both, field permissions
 * are granted on the components (seed 003 names the compound BillingAddress, ShippingAddress,
 * MailingAddress).
 */
export const COMPOUND_FIELDS: Record<string, string[]> = {
    BillingAddress: ['BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode', 'BillingCountry'],
    ShippingAddress: ['ShippingStreet', 'ShippingCity', 'ShippingState', 'ShippingPostalCode', 'ShippingCountry'],
    MailingAddress: ['MailingStreet', 'MailingCity', 'MailingState', 'MailingPostalCode', 'MailingCountry']
};

/** Whether a manifest field is readable, given the field names describe returned as the integration user. */
export function isFieldReadable(field: string, readable: ReadonlySet<string>): boolean {
    return readable.has(field) || (COMPOUND_FIELDS[field] ?? []).some((c) => readable.has(c));
}

/**
 * What the pull selects for `object`, given the fields the integration user can read: every
 * required field (PERM-5: missing ones block the object) and the readable recommended ones.
 */
export function pullableFields(
    object: string,
    readable: ReadonlySet<string>,
    options: ScopeOptions = {}
): { fields: string[]; missingRequired: string[]; skippedRecommended: string[] } {
    const required = requiredFields(object, options);
    const recommended = recommendedFields(object, options);
    return {
        fields: [...required, ...recommended].filter((f) => isFieldReadable(f, readable)),
        missingRequired: required.filter((f) => !isFieldReadable(f, readable)),
        skippedRecommended: recommended.filter((f) => !isFieldReadable(f, readable))
    };
}

// ------------------------------------------------------------------------ the permission set

/** The `Backstory Standard Permissions` permission set (seed 003 option C + the least-privilege object and field access). */
export function standardPermissionSet(): {
    label: string;
    description: string;
    userPermissions: SystemPermission[];
    objectPermissions: {
        object: string;
        read: boolean;
        create: boolean;
        edit: boolean;
        delete: boolean;
        viewAll: boolean;
        modifyAll: boolean;
    }[];
    fieldPermissions: { field: string; readable: boolean; editable: boolean }[];
} {
    const objects = MANIFEST.filter((o) => o.rights.length > 0);
    // Compound fields (BillingAddress) are granted through their components in metadata.
    const compound = COMPOUND_FIELDS;
    // Fields metadata cannot carry in a permission set: system and name fields, always readable.
    // (Salesforce refuses field permissions on system, name and required fields.)
    const notPermissionable = new Set([
        'Id',
        'IsDeleted',
        'CreatedDate',
        'CreatedById',
        'LastModifiedById',
        'LastModifiedDate',
        'SystemModstamp',
        'Name',
        'OwnerId',
        'CloseDate',
        'StageName',
        'Company',
        'Status',
        'Priority',
        'IsClosed',
        'IsWon',
        'IsConverted',
        'ConvertedAccountId',
        'ConvertedContactId',
        'ConvertedDate',
        'ConvertedOpportunityId'
    ]);
    const fieldPermissions: { field: string; readable: boolean; editable: boolean }[] = [];
    for (const o of objects) {
        for (const f of o.fields) {
            for (const name of compound[f.name] ?? [f.name]) {
                if (notPermissionable.has(name)) continue;
                const editable =
                    name.startsWith('peopleai__') ||
                    f.writes === true ||
                    ((o.name === 'Task' || o.name === 'Event') && ['WhoId', 'WhatId', 'TaskSubtype'].includes(name));
                fieldPermissions.push({ field: `${o.name}.${name}`, readable: true, editable });
            }
        }
    }
    fieldPermissions.sort((a, b) => a.field.localeCompare(b.field));
    return {
        label: 'Backstory Standard Permissions',
        description:
            'Grants the Backstory Integration User the system, object and field permissions the integration needs (generated from the middleware manifest).',
        userPermissions: [
            'ApiEnabled',
            'EditEvent',
            'EditTask',
            'ViewAllData',
            'ViewAllUsers',
            'ViewRoles',
            'ViewSetup'
        ],
        objectPermissions: objects
            .map((o) => ({
                object: o.name,
                read: true,
                create: o.rights.includes('create'),
                edit: o.rights.includes('edit'),
                delete: o.rights.includes('delete'),
                viewAll: o.rights.includes('viewAll'),
                modifyAll: false
            }))
            .sort((a, b) => a.object.localeCompare(b.object)),
        fieldPermissions
    };
}

/** The permission set as force-app metadata XML (scripts/generate-permission-set.ts writes it; a test keeps them equal). */
export function standardPermissionSetXml(): string {
    const ps = standardPermissionSet();
    const b = (v: boolean) => (v ? 'true' : 'false');
    const lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">',
        `    <description>${ps.description}</description>`
    ];
    for (const f of ps.fieldPermissions) {
        // Namespaced fields of this package are written without the prefix inside the package.
        const field = f.field.replace('peopleai__', '');
        lines.push(
            '    <fieldPermissions>',
            `        <editable>${b(f.editable)}</editable>`,
            `        <field>${field}</field>`,
            `        <readable>${b(f.readable)}</readable>`,
            '    </fieldPermissions>'
        );
    }
    lines.push('    <hasActivationRequired>false</hasActivationRequired>', `    <label>${ps.label}</label>`);
    for (const o of ps.objectPermissions) {
        lines.push(
            '    <objectPermissions>',
            `        <allowCreate>${b(o.create)}</allowCreate>`,
            `        <allowDelete>${b(o.delete)}</allowDelete>`,
            `        <allowEdit>${b(o.edit)}</allowEdit>`,
            `        <allowRead>${b(o.read)}</allowRead>`,
            `        <modifyAllRecords>${b(o.modifyAll)}</modifyAllRecords>`,
            `        <object>${o.object}</object>`,
            `        <viewAllRecords>${b(o.viewAll)}</viewAllRecords>`,
            '    </objectPermissions>'
        );
    }
    for (const p of [...ps.userPermissions].sort()) {
        lines.push(
            '    <userPermissions>',
            '        <enabled>true</enabled>',
            `        <name>${p}</name>`,
            '    </userPermissions>'
        );
    }
    lines.push('</PermissionSet>', '');
    return lines.join('\n');
}
