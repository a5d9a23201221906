import {
    MANIFEST,
    SYSTEM_PERMISSIONS,
    isFieldReadable,
    objectsInScope,
    type ObjectRight,
    type SystemPermission
} from './manifest';

/**
 * The setup wizard's verdict (PERM-1..PERM-5, PERM-8), as a pure function of the facts read from
 * the org as the integration user. Each failing item carries what to click in Setup, worded for
 * the way the integration user is set up (seed 003's options A, B and C).
 */

export interface ObjectAccessFacts {
    read: boolean;
    create: boolean;
    edit: boolean;
    delete: boolean;
    viewAll: boolean;
    modifyAll: boolean;
}

export interface PermissionFacts {
    user: {
        id: string;
        name: string;
        username: string;
        isActive: boolean;
        profileName: string | null;
        /** Whether the profile is a custom one (editable: option B); null when unknown. */
        profileIsCustom: boolean | null;
        roleName: string | null;
        roleHasParent: boolean;
    };
    systemPermissions: Partial<Record<SystemPermission, boolean>>;
    /** API names of the permission sets assigned to the integration user (not its profile's). */
    permissionSets: string[];
    /** Object name → the user's effective object permissions; absent when the object is not visible to it. */
    objects: Record<string, ObjectAccessFacts>;
    /**
     * Whether View All / Modify All could be read (ObjectPermissions needs View Setup and
     * Configuration). When false they count as held only where View All Data / Modify All Data implies them.
     */
    objectPermissionsReadable: boolean;
    /** Object name → readable field names; absent when the object cannot be described. */
    readableFields: Record<string, Set<string>>;
    /** Object → org-wide default ('None' and 'Private' are Private). */
    orgWideDefaults: Partial<Record<string, string>>;
    multiCurrency: boolean;
}

export type ItemStatus = 'pass' | 'warn' | 'fail';

/**
 * A fix the wizard can apply in one click where the admin has the right (PERM-8): assign the
 * package's permission set to the integration user (done in Salesforce, as the admin).
 */
export type ItemAction = 'assign_permission_set';

export interface ReportItem {
    name: string;
    status: ItemStatus;
    required: boolean;
    remedy: string | null;
    /** Present only on an item one click can fix. */
    action?: ItemAction;
}

export interface ReportStep {
    id: 'integration_user' | 'system_permissions' | 'object_permissions' | 'field_permissions';
    status: ItemStatus;
    items: ReportItem[];
}

export interface PermissionReport {
    status: 'ready' | 'degraded' | 'blocked';
    integrationUser: {
        id: string;
        name: string;
        username: string;
        profile: string | null;
        role: string | null;
        topOfRoleHierarchy: boolean;
    };
    path: 'view_all_data' | 'least_privilege' | null;
    steps: ReportStep[];
}

export const STANDARD_PERMISSION_SET = 'Backstory_Standard_Permissions';
const STANDARD_PERMISSION_SET_LABEL = 'Backstory Standard Permissions';

const RIGHT_LABEL: Record<ObjectRight, string> = {
    viewAll: 'View All',
    read: 'Read',
    edit: 'Edit',
    create: 'Create',
    delete: 'Delete',
    modifyAll: 'Modify All'
};

const isPrivate = (owd: string | undefined) => owd === 'None' || owd === 'Private';

function stepStatus(items: ReportItem[]): ItemStatus {
    if (items.some((i) => i.status === 'fail')) return 'fail';
    if (items.some((i) => i.status === 'warn')) return 'warn';
    return 'pass';
}

const LEAST_PRIVILEGE_VIEW_ALL = MANIFEST.filter((o) => o.leastPrivilegeViewAll).map((o) => o.name);

/** How this integration user gets its permissions: seed 003's option A, B or C. */
type Setup = 'system_administrator' | 'custom_profile' | 'standard_profile';

function setupOf(f: PermissionFacts): Setup {
    if (f.user.profileName === 'System Administrator') return 'system_administrator';
    return f.user.profileIsCustom ? 'custom_profile' : 'standard_profile';
}

/** Where in Setup the integration user's permissions are edited, for its setup. */
function grantPlace(f: PermissionFacts): string {
    const profile = f.user.profileName ?? 'its profile';
    switch (setupOf(f)) {
        case 'custom_profile':
            return `Setup > Users > Profiles > ${profile}`;
        case 'system_administrator':
        case 'standard_profile':
            return `Setup > Users > Permission Sets > ${STANDARD_PERMISSION_SET_LABEL}`;
    }
}

/** The three options of seed 003 for a system permission, the one that fits this user first. */
function systemRemedy(f: PermissionFacts, label: string): string {
    const profile = f.user.profileName ?? 'its profile';
    const optionA = 'Option A: give the integration user the System Administrator profile, which includes it.';
    const optionB = `Option B (custom profile): Setup > Users > Profiles > ${f.user.profileIsCustom ? profile : 'the custom profile'} > System Permissions > Edit, enable ${label}, Save.`;
    const optionC = `Option C (standard profile): Setup > Users > Permission Sets > ${STANDARD_PERMISSION_SET_LABEL} > System Permissions > Edit, enable ${label}, Save; then Manage Assignments and add the integration user.`;
    switch (setupOf(f)) {
        case 'custom_profile':
            return `${optionB} Or ${optionC} Or ${optionA}`;
        case 'system_administrator':
            return `The integration user has the System Administrator profile (option A), which normally includes ${label}; someone removed it. Turn it back on, or use ${optionC}`;
        case 'standard_profile':
            return `The integration user's profile "${profile}" is a standard profile and cannot be edited. ${optionC} Or ${optionA} Or ${optionB}`;
    }
}

export function buildPermissionReport(f: PermissionFacts): PermissionReport {
    const has = (p: SystemPermission) => f.systemPermissions[p] === true;
    // View All Data grants Read and View All on every object; Modify All Data grants Modify All too.
    const access = (object: string): ObjectAccessFacts => {
        const a = f.objects[object] ?? {
            read: false,
            create: false,
            edit: false,
            delete: false,
            viewAll: false,
            modifyAll: false
        };
        const known = (v: boolean) => f.objectPermissionsReadable && v;
        return {
            ...a,
            read: a.read || has('ViewAllData') || has('ModifyAllData'),
            viewAll: known(a.viewAll) || known(a.modifyAll) || has('ViewAllData') || has('ModifyAllData'),
            modifyAll: known(a.modifyAll) || has('ModifyAllData')
        };
    };
    const leastPrivilege =
        LEAST_PRIVILEGE_VIEW_ALL.every((o) => access(o).viewAll) &&
        has('EditEvent') &&
        has('EditTask') &&
        has('ViewSetup');
    const path: PermissionReport['path'] = has('ViewAllData')
        ? 'view_all_data'
        : leastPrivilege
          ? 'least_privilege'
          : null;
    const place = grantPlace(f);

    // PERM-1: a dedicated, active integration user at the top of the role hierarchy.
    const dedicated = /backstory integration/i.test(f.user.name);
    const atTop = f.user.roleName !== null && !f.user.roleHasParent;
    const userItems: ReportItem[] = [
        {
            name: `Integration user ${f.user.username} is active`,
            status: f.user.isActive ? 'pass' : 'fail',
            required: true,
            remedy: f.user.isActive ? null : 'Setup > Users > Users: edit the integration user, tick Active, Save.'
        },
        {
            name: 'A dedicated "Backstory Integration User"',
            status: dedicated ? 'pass' : 'warn',
            required: false,
            remedy: dedicated
                ? null
                : `Connect Backstory as a dedicated user named "Backstory Integration User" (Setup > Users > Users > New User, with a Salesforce licence) rather than ${f.user.name}'s account, so permissions stay stable when people leave or change roles.`
        },
        {
            name: 'At the top of the role hierarchy',
            status: atTop ? 'pass' : 'warn',
            required: false,
            remedy: atTop
                ? null
                : `Setup > Users > Users > ${f.user.name} > Edit: set Role to the role at the top of your hierarchy (Setup > Users > Roles shows it)${f.user.roleName ? `; "${f.user.roleName}" has a parent role` : '; the user has no role'}.`
        }
    ];

    // PERM-2 / PERM-3: the View All Data path, or the least-privilege path.
    const systemItems: ReportItem[] = [];
    if (setupOf(f) === 'standard_profile') {
        const assigned = f.permissionSets.includes(STANDARD_PERMISSION_SET);
        systemItems.push({
            name: `Permission set "${STANDARD_PERMISSION_SET_LABEL}" assigned (option C)`,
            status: assigned ? 'pass' : 'warn',
            required: false,
            remedy: assigned
                ? null
                : `Setup > Users > Permission Sets > ${STANDARD_PERMISSION_SET_LABEL} > Manage Assignments > Add Assignment: select the integration user. The Backstory package installs this permission set with every permission below.`,
            ...(assigned ? {} : { action: 'assign_permission_set' as const })
        });
    }
    for (const p of SYSTEM_PERMISSIONS) {
        const onPath = p.paths.includes(path === 'least_privilege' ? 'least_privilege' : 'view_all_data');
        if (!onPath) continue;
        const ok = has(p.name);
        let remedy: string | null = null;
        if (!ok && p.name === 'ViewAllData') {
            remedy = `${systemRemedy(f, p.label)} If your security policy forbids View All Data, use the least-privilege alternative instead: View All on Accounts, Contacts, Leads, Opportunities, Tasks and Events (Object Settings), Edit Events, Edit Tasks, and View Setup and Configuration.`;
        } else if (!ok) {
            remedy = systemRemedy(f, p.label);
        }
        systemItems.push({ name: p.label, status: ok ? 'pass' : 'fail', required: true, remedy });
    }
    if (path === 'least_privilege') {
        systemItems.push({
            name: 'Least-privilege path: View All on Account, Contact, Lead, Opportunity, Task and Event instead of View All Data',
            status: 'pass',
            required: true,
            remedy: null
        });
    }

    // PERM-4: object permissions; Modify All where the org-wide default is Private.
    const objectItems: ReportItem[] = [];
    for (const o of objectsInScope(f.multiCurrency)) {
        if (o.rights.length === 0) continue;
        const a = access(o.name);
        const owdPrivate = o.modifyAllWhenPrivate === true && isPrivate(f.orgWideDefaults[o.name]);
        const rights: ObjectRight[] = [...o.rights, ...(owdPrivate ? (['modifyAll'] as const) : [])];
        for (const r of rights) {
            if (r === 'read' && rights.includes('viewAll')) continue; // View All includes Read
            const ok = a[r];
            const privateNote = r === 'modifyAll' ? ` (the org-wide default of ${o.name} is Private)` : '';
            let remedy: string | null = null;
            if (!ok) {
                const unverifiable =
                    !f.objectPermissionsReadable && (r === 'viewAll' || r === 'modifyAll')
                        ? ` (Backstory could not read the integration user's object permissions: it also needs View Setup and Configuration to check them.)`
                        : '';
                const why =
                    r === 'modifyAll'
                        ? ` It is needed because Setup > Security > Sharing Settings has ${o.name} as Private; without it contact roles and summary field pushes fail.`
                        : ` ${o.reason}`;
                remedy = `${place} > Object Settings > ${o.name} > Edit: enable ${RIGHT_LABEL[r]}, Save.${why}${unverifiable}`;
            }
            objectItems.push({
                name: `${o.name}: ${RIGHT_LABEL[r]}${privateNote}`,
                status: ok ? 'pass' : 'fail',
                required: true,
                remedy
            });
        }
    }

    // PERM-5: required fields block the pull; recommended ones degrade it.
    const fieldItems: ReportItem[] = [];
    const unavailable = new Set<string>();
    for (const o of objectsInScope(f.multiCurrency)) {
        const readable = f.readableFields[o.name];
        if (o.fields.length === 0) continue;
        if (!readable) {
            unavailable.add(o.name);
            // An object of a feature that is off (Account Teams, Team Selling) is absent from describe:
            // a warning, since Backstory works without it; any other unreadable object is required.
            const grant = o.inheritsFrom
                ? `It comes with ${o.inheritsFrom}: grant that (see the steps above).`
                : `${place} > Object Settings > ${o.name} > Edit: enable Read, Save.`;
            fieldItems.push({
                name: `${o.name} (${o.fields.length} fields)`,
                status: o.feature ? 'warn' : 'fail',
                required: !o.feature,
                remedy: o.feature
                    ? `The integration user cannot see ${o.name}: either ${o.feature} is off (turn it on if you use it) or it lacks access. ${grant}`
                    : `The integration user cannot read ${o.name} at all. ${grant}`
            });
            continue;
        }
        for (const field of o.fields) {
            if (isFieldReadable(field.name, readable)) continue; // passing fields are summarised below
            const required = field.kind !== 'recommended';
            fieldItems.push({
                name: `${o.name}.${field.name}`,
                status: required ? 'fail' : 'warn',
                required,
                remedy: `${place} > Object Settings > ${o.name} > Edit > Field Permissions: tick Read Access for ${field.name}, Save.${
                    required
                        ? ` Backstory stops pulling ${o.name} until it is readable.`
                        : ' Backstory works without it, with less detail.'
                }`
            });
        }
    }
    const checked = objectsInScope(f.multiCurrency).filter((o) => !unavailable.has(o.name));
    const checkedFields = checked.reduce((n, o) => n + o.fields.length, 0);
    const unreadable = fieldItems.filter((i) => i.name.includes('.')).length;
    fieldItems.unshift({
        name: `${checkedFields - unreadable} of ${checkedFields} required and recommended fields readable`,
        status: stepStatus(fieldItems),
        required: true,
        remedy: null
    });

    const steps: ReportStep[] = [
        { id: 'integration_user', status: stepStatus(userItems), items: userItems },
        { id: 'system_permissions', status: stepStatus(systemItems), items: systemItems },
        { id: 'object_permissions', status: stepStatus(objectItems), items: objectItems },
        { id: 'field_permissions', status: stepStatus(fieldItems), items: fieldItems }
    ];
    const all = steps.flatMap((s) => s.items);
    const status = all.some((i) => i.status === 'fail' && i.required)
        ? 'blocked'
        : all.some((i) => i.status !== 'pass')
          ? 'degraded'
          : 'ready';
    return {
        status,
        integrationUser: {
            id: f.user.id,
            name: f.user.name,
            username: f.user.username,
            profile: f.user.profileName,
            role: f.user.roleName,
            topOfRoleHierarchy: atTop
        },
        path,
        steps
    };
}
