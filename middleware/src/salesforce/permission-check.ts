import type { Connection } from '@jsforce/jsforce-node';
import type { ObjectAccessFacts, PermissionFacts } from '../domain/permission-report';
import { MANIFEST, SYSTEM_PERMISSIONS, type SystemPermission } from '../domain/manifest';

/**
 * Read, as the integration user, everything the permission report needs, in as few API calls as
 * Salesforce allows: the identity, then /composite requests (at most 25 sub-requests, at most 5
 * of them queries, per call) holding
 * - its User record (name, profile, role and whether the role has a parent: PERM-1),
 * - UserPermissionAccess (its effective system permissions: PERM-2/PERM-3),
 * - the permission sets it holds (assigned ones, and its profile's) with their ObjectPermissions
 *   (View All / Modify All: PERM-3/PERM-4),
 * - the org-wide defaults (Organization: PERM-4),
 * - one describe per manifest object: as the integration user, describe answers NOT_FOUND for an
 *   object it cannot see, omits the fields it cannot read (PERM-5) and says whether it may create,
 *   edit and delete (the effective object permissions, whatever grants them). CurrencyType
 *   answering tells multi-currency is on.
 * With the current manifest that is three API calls (identity + two composites).
 */

interface SubRequest {
    referenceId: string;
    url: string;
    query: boolean;
}

interface SubResponse {
    httpStatusCode: number;
    body: unknown;
}

interface QueryResult<T> {
    records: T[];
}

interface UserRow {
    Id: string;
    Name: string;
    Username: string;
    IsActive: boolean;
    ProfileId: string;
    Profile: { Name: string } | null;
    UserRole: { Name: string; ParentRoleId: string | null } | null;
}

interface ObjectPermissionRow {
    SobjectType: string;
    PermissionsRead: boolean;
    PermissionsCreate: boolean;
    PermissionsEdit: boolean;
    PermissionsDelete: boolean;
    PermissionsViewAllRecords: boolean;
    PermissionsModifyAllRecords: boolean;
}

interface PermissionSetRow {
    Id: string;
    Name: string;
    IsOwnedByProfile: boolean;
    IsCustom: boolean | null;
    ObjectPerms: QueryResult<ObjectPermissionRow> | null;
}

interface DescribeBody {
    createable: boolean;
    updateable: boolean;
    deletable: boolean;
    fields: { name: string }[];
}

const OWD_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity'];
/** System permissions read besides the manifest's: the ones that imply object access. */
const IMPLYING: SystemPermission[] = ['ModifyAllData', 'ViewRoles'];
const MAX_SUBREQUESTS = 25;
const MAX_QUERIES = 5;

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Salesforce's error of a failed sub-request, as an Error jsforce would have thrown. */
function subError(ref: string, r: SubResponse | undefined): Error {
    const first = Array.isArray(r?.body) ? (r.body[0] as { errorCode?: string; message?: string }) : undefined;
    const e = new Error(`${ref}: ${first?.message ?? `HTTP ${r?.httpStatusCode ?? 'no answer'}`}`) as Error & {
        errorCode?: string;
    };
    e.errorCode = first?.errorCode;
    return e;
}

/** Pack sub-requests into /composite calls (Salesforce's limits) and run them in parallel. */
async function runComposite(conn: Connection, subs: SubRequest[]): Promise<Map<string, SubResponse>> {
    const batches: SubRequest[][] = [];
    for (const sub of subs) {
        const fits = batches.find(
            (b) => b.length < MAX_SUBREQUESTS && (!sub.query || b.filter((s) => s.query).length < MAX_QUERIES)
        );
        if (fits) fits.push(sub);
        else batches.push([sub]);
    }
    const answers = await Promise.all(
        batches.map((batch) =>
            conn.requestPost<{ compositeResponse: (SubResponse & { referenceId: string })[] }>(
                `/services/data/v${conn.version}/composite`,
                {
                    allOrNone: false,
                    compositeRequest: batch.map((s) => ({ method: 'GET', url: s.url, referenceId: s.referenceId }))
                }
            )
        )
    );
    return new Map(answers.flatMap((a) => a.compositeResponse.map((r) => [r.referenceId, r] as const)));
}

export async function readPermissionFacts(conn: Connection): Promise<PermissionFacts> {
    const userId = conn.userInfo?.id ?? (await conn.identity()).user_id;
    const base = `/services/data/v${conn.version}`;
    const q = (referenceId: string, soql: string): SubRequest => ({
        referenceId,
        url: `${base}/query?q=${encodeURIComponent(soql)}`,
        query: true
    });

    const permissionNames = [...new Set([...SYSTEM_PERMISSIONS.map((p) => p.name), ...IMPLYING])];
    const granted = MANIFEST.filter((o) => o.rights.length > 0).map((o) => o.name);
    const objectPerms = `(SELECT SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPerms WHERE SobjectType IN (${granted.map(quote).join(', ')}))`;
    const permissionSet = `SELECT Id, Name, IsOwnedByProfile, IsCustom, ${objectPerms} FROM PermissionSet`;
    const described = MANIFEST.filter((o) => o.fields.length > 0 || o.rights.length > 0).map((o) => o.name);

    const answers = await runComposite(conn, [
        q(
            'user',
            `SELECT Id, Name, Username, IsActive, ProfileId, Profile.Name, UserRole.Name, UserRole.ParentRoleId FROM User WHERE Id = ${quote(userId)}`
        ),
        q('upa', `SELECT ${permissionNames.map((p) => `Permissions${p}`).join(', ')} FROM UserPermissionAccess`),
        // SOQL has no OR between semi-joins: assigned sets and the profile's set are two queries.
        q(
            'assigned',
            `${permissionSet} WHERE Id IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${quote(userId)})`
        ),
        q(
            'profile',
            `${permissionSet} WHERE IsOwnedByProfile = true AND ProfileId IN (SELECT ProfileId FROM User WHERE Id = ${quote(userId)})`
        ),
        q('org', `SELECT ${OWD_OBJECTS.map((o) => `Default${o}Access`).join(', ')} FROM Organization`),
        ...described.map((o) => ({ referenceId: `d_${o}`, url: `${base}/sobjects/${o}/describe`, query: false }))
    ]);

    const records = <T>(ref: string): T[] => {
        const r = answers.get(ref);
        if (r?.httpStatusCode !== 200) throw subError(ref, r);
        return (r.body as QueryResult<T>).records;
    };
    const user = records<UserRow>('user')[0];
    if (!user) throw new Error(`the integration user ${userId} cannot read its own User record`);
    const upa = records<Record<string, boolean>>('upa')[0] ?? {};
    const org = records<Record<string, string>>('org')[0] ?? {};

    // ObjectPermissions need View Setup and Configuration; without it View All / Modify All are unknown.
    let permissionSets: PermissionSetRow[] = [];
    let objectPermissionsReadable = true;
    try {
        permissionSets = [...records<PermissionSetRow>('assigned'), ...records<PermissionSetRow>('profile')];
    } catch (error) {
        const code = (error as { errorCode?: string }).errorCode;
        if (code !== 'INSUFFICIENT_ACCESS' && code !== 'INSUFFICIENT_ACCESS_OR_READONLY' && code !== 'INVALID_TYPE')
            throw error;
        objectPermissionsReadable = false;
    }
    const profileSet = permissionSets.find((p) => p.IsOwnedByProfile);
    const viewAll = new Map<string, { viewAll: boolean; modifyAll: boolean }>();
    for (const ps of permissionSets) {
        for (const row of ps.ObjectPerms?.records ?? []) {
            const v = viewAll.get(row.SobjectType) ?? { viewAll: false, modifyAll: false };
            v.viewAll ||= row.PermissionsViewAllRecords;
            v.modifyAll ||= row.PermissionsModifyAllRecords;
            viewAll.set(row.SobjectType, v);
        }
    }

    const objects: Record<string, ObjectAccessFacts> = {};
    const readableFields: Record<string, Set<string>> = {};
    for (const name of described) {
        const r = answers.get(`d_${name}`);
        if (r?.httpStatusCode === 200) {
            const d = r.body as DescribeBody;
            objects[name] = {
                read: true,
                create: d.createable,
                edit: d.updateable,
                delete: d.deletable,
                viewAll: viewAll.get(name)?.viewAll ?? false,
                modifyAll: viewAll.get(name)?.modifyAll ?? false
            };
            readableFields[name] = new Set(d.fields.map((f) => f.name));
        } else if (r?.httpStatusCode !== 404) {
            // NOT_FOUND is "not visible to this user" (or the feature is off); anything else is a failure.
            throw subError(`describe ${name}`, r);
        }
    }

    return {
        user: {
            id: user.Id,
            name: user.Name,
            username: user.Username,
            isActive: user.IsActive,
            profileName: user.Profile?.Name ?? null,
            profileIsCustom: profileSet ? profileSet.IsCustom === true : null,
            roleName: user.UserRole?.Name ?? null,
            roleHasParent: !!user.UserRole?.ParentRoleId
        },
        systemPermissions: Object.fromEntries(permissionNames.map((p) => [p, upa[`Permissions${p}`] === true])),
        permissionSets: permissionSets.filter((p) => !p.IsOwnedByProfile).map((p) => p.Name),
        objects,
        objectPermissionsReadable,
        readableFields,
        orgWideDefaults: Object.fromEntries(OWD_OBJECTS.map((o) => [o, org[`Default${o}Access`]])),
        multiCurrency: answers.get('d_CurrencyType')?.httpStatusCode === 200
    };
}
