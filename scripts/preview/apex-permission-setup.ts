import type { Connection } from '@jsforce/jsforce-node';

/**
 * BackstoryPermissionSetup.cls, emulated for the preview: the same answers and refusals, run
 * against the org (the local emulator) as the user Apex would run as, the acting admin. Without a
 * Salesforce session the admin has no right to assign (the wizard shows the numbered steps).
 */

export const PERMISSION_SET = 'Backstory_Standard_Permissions';
export const MAX_FIELDS = 500;

/** A failure as BackstoryPermissionSetup throws it: the error JSON of an AuraHandledException. */
export class ApexFailure extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        readonly details: { path: string; message: string }[] = []
    ) {
        super(message);
    }
}

const USER_ID = /^005[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/;
const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export async function canAssignPermissionSet(sf: Connection | undefined): Promise<boolean> {
    if (!sf) return false;
    const { records } = await sf.query<{ PermissionsAssignPermissionSets?: boolean }>(
        'SELECT PermissionsAssignPermissionSets FROM UserPermissionAccess'
    );
    return records[0]?.PermissionsAssignPermissionSets === true;
}

export interface AssignAnswer {
    assigned: boolean;
    created: boolean;
    permissionSet: string;
    userName: string;
}

export async function assignPermissionSet(sf: Connection | undefined, userId: unknown): Promise<AssignAnswer> {
    if (typeof userId !== 'string' || !USER_ID.test(userId)) {
        const message = 'userId: must be a Salesforce user id';
        throw new ApexFailure(400, 'validation_failed', message, [{ path: 'userId', message }]);
    }
    if (!sf || !(await canAssignPermissionSet(sf))) {
        throw new ApexFailure(
            403,
            'forbidden',
            'You do not have the Assign Permission Sets permission: ask an administrator who has it, or follow the steps.'
        );
    }
    const [user] = (
        await sf.query<{ Id: string; Name: string }>(`SELECT Id, Name FROM User WHERE Id = ${quote(userId)}`)
    ).records;
    if (!user) {
        const message = `No Salesforce user has the id ${userId}.`;
        throw new ApexFailure(404, 'not_found', message, [{ path: 'userId', message }]);
    }
    const [set] = (
        await sf.query<{ Id: string; Label: string }>(
            `SELECT Id, Label FROM PermissionSet WHERE Name = ${quote(PERMISSION_SET)} LIMIT 1`
        )
    ).records;
    if (!set) {
        throw new ApexFailure(
            404,
            'not_found',
            'The permission set Backstory Standard Permissions is not in this org: install or upgrade the Backstory package.'
        );
    }
    const answer: AssignAnswer = { assigned: true, created: false, permissionSet: set.Label, userName: user.Name };
    const existing = await sf.query(
        `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${quote(user.Id)} AND PermissionSetId = ${quote(set.Id)} LIMIT 1`
    );
    if (existing.records.length > 0) return answer;
    try {
        await sf.sobject('PermissionSetAssignment').create({ AssigneeId: user.Id, PermissionSetId: set.Id });
    } catch (error) {
        throw new ApexFailure(400, 'salesforce_error', error instanceof Error ? error.message : String(error));
    }
    return { ...answer, created: true };
}

export async function fieldLabels(sf: Connection | undefined, fields: unknown): Promise<Record<string, string>> {
    if (fields === null || fields === undefined) return {};
    if (!Array.isArray(fields)) {
        const message = 'fields: must be a list of Object.Field names';
        throw new ApexFailure(400, 'validation_failed', message, [{ path: 'fields', message }]);
    }
    if (fields.length > MAX_FIELDS) {
        const message = `fields: at most ${MAX_FIELDS} names`;
        throw new ApexFailure(400, 'validation_failed', message, [{ path: 'fields', message }]);
    }
    const byObject = new Map<string, string[]>();
    for (const name of fields) {
        const parts = typeof name === 'string' ? name.split('.') : [];
        if (parts.length !== 2 || !parts[0] || !parts[1]) continue;
        byObject.set(parts[0], [...(byObject.get(parts[0]) ?? []), parts[1]]);
    }
    const labels: Record<string, string> = {};
    if (!sf) return labels;
    for (const [object, names] of byObject) {
        let described: { fields: { name: string; label: string }[] };
        try {
            described = await sf.describe(object);
        } catch {
            continue; // not an object of this org: left out, as Schema.getGlobalDescribe() has no entry
        }
        const byName = new Map(described.fields.map((f) => [f.name.toLowerCase(), f.label]));
        for (const name of names) {
            const label = byName.get(name.toLowerCase());
            if (label !== undefined) labels[`${object}.${name}`] = label;
        }
    }
    return labels;
}
