import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findMetadataDirs, isTrue, parseMetadata, readNamespace, withNamespace } from './project';

/** A permission set from force-app (`permissionsets/*.permissionset-meta.xml`), names as a subscriber org sees them. */
export interface PermissionSetDefinition {
    /** API name without namespace (`Backstory_Standard_Permissions`); `namespace` holds the prefix. */
    name: string;
    label: string;
    namespace: string;
    description?: string;
    /** Enabled user (system) permissions without the `Permissions` prefix: 'ViewAllData', 'ApiEnabled' … */
    userPermissions: string[];
    objectPermissions: {
        object: string;
        allowRead: boolean;
        allowCreate: boolean;
        allowEdit: boolean;
        allowDelete: boolean;
        viewAllRecords: boolean;
        modifyAllRecords: boolean;
    }[];
    /** `Object.Field` with namespaced custom names: 'Account.Name', 'Event.peopleai__Activity_Id__c'. */
    fieldPermissions: { field: string; readable: boolean; editable: boolean }[];
    /** Enabled custom permissions by developer name, as in the XML (`namespace` qualifies them). */
    customPermissions: string[];
}

interface PermissionSetXml {
    label?: string;
    description?: string;
    userPermissions?: { enabled?: string; name?: string }[];
    objectPermissions?: {
        object?: string;
        allowRead?: string;
        allowCreate?: string;
        allowEdit?: string;
        allowDelete?: string;
        viewAllRecords?: string;
        modifyAllRecords?: string;
    }[];
    fieldPermissions?: { field?: string; readable?: string; editable?: string }[];
    customPermissions?: { enabled?: string; name?: string }[];
}

const SUFFIX = '.permissionset-meta.xml';

/** Read one permission set file. */
export function parsePermissionSet(xmlText: string, fileName: string, namespace: string): PermissionSetDefinition {
    const ps = parseMetadata<PermissionSetXml>(xmlText, 'PermissionSet', fileName);
    const name = path.basename(fileName).replace(SUFFIX, '');
    const qualifyField = (value: string) => {
        const dot = value.indexOf('.');
        if (dot <= 0) throw new Error(`${fileName}: field permission "${value}" is not Object.Field`);
        return `${withNamespace(value.slice(0, dot), namespace)}.${withNamespace(value.slice(dot + 1), namespace)}`;
    };
    const required = (value: string | undefined, what: string) => {
        if (!value) throw new Error(`${fileName}: a ${what} has no name`);
        return value;
    };
    return {
        name,
        label: ps.label ?? name,
        namespace,
        ...(ps.description ? { description: ps.description } : {}),
        userPermissions: (ps.userPermissions ?? [])
            .filter((p) => isTrue(p.enabled))
            .map((p) => required(p.name, 'userPermissions')),
        objectPermissions: (ps.objectPermissions ?? []).map((o) => ({
            object: withNamespace(required(o.object, 'objectPermissions'), namespace),
            allowRead: isTrue(o.allowRead),
            allowCreate: isTrue(o.allowCreate),
            allowEdit: isTrue(o.allowEdit),
            allowDelete: isTrue(o.allowDelete),
            viewAllRecords: isTrue(o.viewAllRecords),
            modifyAllRecords: isTrue(o.modifyAllRecords)
        })),
        fieldPermissions: (ps.fieldPermissions ?? []).map((f) => ({
            field: qualifyField(required(f.field, 'fieldPermissions')),
            readable: isTrue(f.readable),
            editable: isTrue(f.editable)
        })),
        customPermissions: (ps.customPermissions ?? [])
            .filter((p) => isTrue(p.enabled))
            .map((p) => required(p.name, 'customPermissions'))
    };
}

/** Every permission set in the project's package directories, by name; none when force-app is missing. */
export function loadPermissionSets(projectDir: string): PermissionSetDefinition[] {
    const namespace = readNamespace(projectDir);
    const sets = findMetadataDirs(projectDir, 'permissionsets').flatMap((dir) =>
        readdirSync(dir)
            .filter((f) => f.endsWith(SUFFIX))
            .map((f) => parsePermissionSet(readFileSync(path.join(dir, f), 'utf8'), path.join(dir, f), namespace))
    );
    return sets.sort((a, b) => a.name.localeCompare(b.name));
}
