import type { Connection } from '@jsforce/jsforce-node';

import type { SalesforceRole, SalesforceUser } from '../domain/hierarchy';

export type { SalesforceRole, SalesforceUser };

const USER_FIELDS =
    'Id, Username, FirstName, LastName, Email, Title, IsActive, UserType, UserRoleId, ManagerId, Profile.UserLicense.Name, SystemModstamp';
const ROLE_FIELDS = 'Id, Name, ParentRoleId, SystemModstamp';

/** Every page of a query: one `query` call, then `queryMore` per further page (2,000 rows each). */
export async function queryAllPages<T>(conn: Connection, soql: string): Promise<T[]> {
    const records: T[] = [];
    let result = await conn.query<Record<string, unknown>>(soql, { autoFetch: false });
    records.push(...(result.records as T[]));
    while (!result.done && result.nextRecordsUrl) {
        result = await conn.queryMore<Record<string, unknown>>(result.nextRecordsUrl);
        records.push(...(result.records as T[]));
    }
    return records;
}

/** A SystemModstamp as a SOQL datetime literal (UTC, unquoted). */
export function soqlDateTime(value: string): string {
    const d = new Date(value.replace(/\+0000$/, 'Z'));
    if (Number.isNaN(d.getTime())) throw new Error(`not a timestamp: ${value}`);
    return d.toISOString();
}

export interface UserChanges {
    users: SalesforceUser[];
    roles: SalesforceRole[];
    /** Every role id of the org (roles can be deleted; an incremental query cannot see that). */
    roleIds: string[];
    integrationUserId: string;
}

/**
 * What changed since the watermarks (UT-2): three queries whatever the org's size, each paged at
 * 2,000 rows: Users and UserRoles modified at or after the watermark (≥, so nothing committed in
 * the same millisecond is missed; reading a row twice is harmless), and every role id.
 */
export async function fetchUserChanges(
    conn: Connection,
    watermarks: { users: string | null; roles: string | null }
): Promise<UserChanges> {
    const since = (w: string | null) => (w ? ` WHERE SystemModstamp >= ${soqlDateTime(w)}` : '');
    const users = await queryAllPages<SalesforceUser>(
        conn,
        `SELECT ${USER_FIELDS} FROM User${since(watermarks.users)} ORDER BY SystemModstamp, Id`
    );
    const roles = await queryAllPages<SalesforceRole>(
        conn,
        `SELECT ${ROLE_FIELDS} FROM UserRole${since(watermarks.roles)} ORDER BY SystemModstamp, Id`
    );
    const roleIds = (await queryAllPages<{ Id: string }>(conn, 'SELECT Id FROM UserRole')).map((r) => r.Id);
    return { users, roles, roleIds, integrationUserId: await integrationUserId(conn) };
}

/** The integration user the connection runs as: never made a Backstory user itself. */
export async function integrationUserId(conn: Connection): Promise<string> {
    if (conn.userInfo?.id) return conn.userInfo.id;
    const identity = await conn.identity();
    return identity.user_id;
}

export async function fetchRoles(conn: Connection): Promise<SalesforceRole[]> {
    return queryAllPages<SalesforceRole>(conn, `SELECT ${ROLE_FIELDS} FROM UserRole ORDER BY Name, Id`);
}

/** Active users of the given roles (UT-5), in chunks of 200 ids per query. */
export async function fetchRoleUsers(conn: Connection, roleIds: string[]): Promise<SalesforceUser[]> {
    const out: SalesforceUser[] = [];
    for (let i = 0; i < roleIds.length; i += 200) {
        const ids = roleIds
            .slice(i, i + 200)
            .map((id) => `'${id.replace(/[^a-zA-Z0-9]/g, '')}'`)
            .join(', ');
        out.push(
            ...(await queryAllPages<SalesforceUser>(
                conn,
                `SELECT ${USER_FIELDS} FROM User WHERE IsActive = true AND UserRoleId IN (${ids}) ORDER BY LastName, Id`
            ))
        );
    }
    return out;
}
