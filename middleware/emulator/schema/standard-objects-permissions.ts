import { bool, child, field, object, readOnly, ref, required } from './standard-objects-builders';
import type { FieldSchema, ObjectSchema } from './types';

/** Profiles' and permission sets' permission objects, and the per-user access views. */

/**
 * User (system) permissions the emulator models, by API name without the `Permissions` prefix
 * (as `<userPermissions><name>` in permission-set metadata), with their Setup labels. Profile,
 * PermissionSet and UserPermissionAccess carry one `Permissions<Name>` boolean for each.
 */
export const SYSTEM_PERMISSION_LABELS = {
    ApiEnabled: 'API Enabled',
    ApiUserOnly: 'API Only User',
    ViewAllData: 'View All Data',
    ModifyAllData: 'Modify All Data',
    ViewAllUsers: 'View All Users',
    ViewSetup: 'View Setup and Configuration',
    ViewRoles: 'View Roles and Role Hierarchy',
    ManageUsers: 'Manage Users',
    ManageInternalUsers: 'Manage Internal Users',
    ResetPasswords: 'Reset User Passwords and Unlock Users',
    AssignPermissionSets: 'Assign Permission Sets',
    ManageProfilesPermissionsets: 'Manage Profiles and Permission Sets',
    CustomizeApplication: 'Customize Application',
    AuthorApex: 'Author Apex',
    EditEvent: 'Edit Events',
    EditTask: 'Edit Tasks',
    ActivitiesAccess: 'Access Activities',
    ConvertLeads: 'Convert Leads',
    TransferAnyLead: 'Transfer Leads',
    TransferAnyEntity: 'Transfer Record',
    ImportLeads: 'Import Leads',
    ImportPersonal: 'Import Personal Contacts',
    MassInlineEdit: 'Mass Edits from Lists',
    EditReadonlyFields: 'Edit Read Only Fields',
    RunReports: 'Run Reports',
    ExportReport: 'Export Reports',
    SendCustomNotifications: 'Send Custom Notifications',
    LightningExperienceUser: 'Lightning Experience User',
    ManageDataIntegrations: 'Manage Data Integrations',
    ViewEventLogFiles: 'View Event Log Files',
    ModifyMetadata: 'Modify Metadata Through Metadata API Functions'
} as const;

export type SystemPermissionName = keyof typeof SYSTEM_PERMISSION_LABELS;

export const SYSTEM_PERMISSIONS = Object.keys(SYSTEM_PERMISSION_LABELS) as SystemPermissionName[];

/** One `Permissions<Name>` boolean per system permission. */
export function permissionFlags(options: { writable: boolean }): FieldSchema[] {
    return SYSTEM_PERMISSIONS.map((name) =>
        bool(`Permissions${name}`, false, {
            label: SYSTEM_PERMISSION_LABELS[name],
            createable: options.writable,
            updateable: options.writable
        })
    );
}

/** The rights an ObjectPermissions row grants, in the order Setup shows them. */
export const OBJECT_RIGHTS = ['Read', 'Create', 'Edit', 'Delete', 'ViewAllRecords', 'ModifyAllRecords'] as const;

/**
 * The per-user access views are computed for the running user on query; their Ids are not
 * meaningful in Salesforce, and the 0Ha/0Hb/0Hc prefixes here are the emulator's own.
 */
const accessView = (name: string, keyPrefix: string, label: string, fields: FieldSchema[]): ObjectSchema =>
    object(name, keyPrefix, fields, {
        label,
        labelPlural: label,
        audit: 'none',
        createable: false,
        updateable: false,
        deletable: false
    });

export function permissionObjects(): ObjectSchema[] {
    const userId = () =>
        readOnly('UserId', 'reference', { label: 'User ID', referenceTo: ['User'], relationshipName: 'User' });
    const flag = (name: string) => readOnly(name, 'boolean', { nillable: false, defaultedOnCreate: true });
    return [
        object(
            'PermissionSet',
            '0PS',
            [
                required('Name', 'string', { length: 80, label: 'Name' }),
                required('Label', 'string', { length: 80, nameField: true }),
                field('Description', 'string'),
                readOnly('IsOwnedByProfile', 'boolean', { label: 'Is Owned By Profile', nillable: false }),
                readOnly('IsCustom', 'boolean', { label: 'Custom', nillable: false }),
                readOnly('ProfileId', 'reference', {
                    label: 'Profile ID',
                    referenceTo: ['Profile'],
                    relationshipName: 'Profile'
                }),
                readOnly('NamespacePrefix', 'string', { length: 15 }),
                readOnly('Type', 'picklist', {
                    picklistValues: ['Regular', 'Group', 'Profile', 'Session', 'Standard'].map((value) => ({
                        value,
                        label: value,
                        active: true
                    }))
                }),
                bool('HasActivationRequired', false, { label: 'Session Activation Required' }),
                ref('LicenseId', ['UserLicense'], 'License', { label: 'License ID' }),
                ...permissionFlags({ writable: true })
            ],
            {
                label: 'Permission Set',
                noIsDeleted: true,
                children: [
                    child('PermissionSetAssignment', 'PermissionSetId', 'Assignments', true),
                    child('ObjectPermissions', 'ParentId', 'ObjectPerms', true),
                    child('FieldPermissions', 'ParentId', 'FieldPerms', true)
                ]
            }
        ),
        object(
            'PermissionSetAssignment',
            '0Pa',
            [
                ref('AssigneeId', ['User'], 'Assignee', { label: 'Assignee ID', nillable: false, updateable: false }),
                ref('PermissionSetId', ['PermissionSet'], 'PermissionSet', {
                    label: 'Permission Set ID',
                    nillable: false,
                    updateable: false
                }),
                field('ExpirationDate', 'datetime'),
                readOnly('IsActive', 'boolean', { label: 'Active', nillable: false, defaultValue: true })
            ],
            { label: 'Permission Set Assignment', audit: 'modstamp', updateable: true }
        ),
        object(
            'ObjectPermissions',
            '110',
            [
                ref('ParentId', ['PermissionSet'], 'Parent', {
                    label: 'Parent ID',
                    nillable: false,
                    updateable: false
                }),
                required('SobjectType', 'picklist', { label: 'Sobject Type Name', length: 40, updateable: false }),
                ...OBJECT_RIGHTS.map((right) => bool(`Permissions${right}`))
            ],
            { label: 'Object Permissions', labelPlural: 'Object Permissions', noIsDeleted: true }
        ),
        object(
            'FieldPermissions',
            '01k',
            [
                ref('ParentId', ['PermissionSet'], 'Parent', {
                    label: 'Parent ID',
                    nillable: false,
                    updateable: false
                }),
                required('SobjectType', 'picklist', { label: 'Sobject Type Name', length: 40, updateable: false }),
                required('Field', 'picklist', { label: 'Field Name', length: 255, updateable: false }),
                bool('PermissionsEdit', false, { label: 'Edit Field' }),
                bool('PermissionsRead', false, { label: 'Read Field' })
            ],
            { label: 'Field Permissions', labelPlural: 'Field Permissions', noIsDeleted: true }
        ),
        // One row for the running user: the system permissions held over the profile and every
        // assigned permission set.
        accessView('UserPermissionAccess', '0Ha', 'User Permission Access', [
            readOnly('LastCacheUpdate', 'datetime', { label: 'Last Cache Update' }),
            ...permissionFlags({ writable: false }).map((f) => ({ ...f, calculated: true }))
        ]),
        accessView('UserEntityAccess', '0Hb', 'User Entity Access', [
            readOnly('DurableId', 'string', { label: 'Durable ID' }),
            userId(),
            readOnly('EntityDefinitionId', 'string', { label: 'Entity Definition ID' }),
            flag('IsActivateable'),
            flag('IsCreatable'),
            flag('IsDeletable'),
            flag('IsEditable'),
            flag('IsFlsUpdatable'),
            flag('IsMergeable'),
            flag('IsReadable'),
            flag('IsUndeletable'),
            flag('IsUpdatable')
        ]),
        accessView('UserFieldAccess', '0Hc', 'User Field Access', [
            readOnly('DurableId', 'string', { label: 'Durable ID' }),
            userId(),
            readOnly('EntityDefinitionId', 'string', { label: 'Entity Definition ID' }),
            readOnly('FieldDefinitionId', 'string', { label: 'Field Definition ID' }),
            flag('IsAccessible'),
            flag('IsCreatable'),
            flag('IsUpdatable')
        ])
    ];
}
