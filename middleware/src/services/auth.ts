import { findOrgByApiKey } from '../store/orgs';
import { findSalesforceUserName } from '../store/user-sync';
import type { Db } from '../store/db';
import type { ActingUser } from './caller';

/** Resolves X-Acting-User to a Backstory user of the org; null when there is none. */
export type ActingUserResolver = (orgId: string, salesforceUserId: string) => Promise<ActingUser | null>;

/** Default resolver: the users table, matched on the user's Salesforce id (15 or 18 chars). */
export function usersTableResolver(db: Db): ActingUserResolver {
    return async (orgId, salesforceUserId) => {
        const candidates = [salesforceUserId];
        if (salesforceUserId.length === 18) candidates.push(salesforceUserId.slice(0, 15));
        const row = await db
            .selectFrom('users')
            .select(['id', 'email', 'salesforce_user_id', 'role', 'visibility', 'team_id', 'status'])
            .where('org_id', '=', orgId)
            .where('salesforce_user_id', 'in', candidates)
            .executeTakeFirst();
        if (!row?.salesforce_user_id) return null;
        return {
            userId: row.id,
            email: row.email,
            salesforceUserId: row.salesforce_user_id,
            role: row.role,
            visibility: row.visibility,
            teamId: row.team_id,
            status: row.status
        };
    };
}

/** The org an API key belongs to (SEC-1), or null. */
export async function orgOfApiKey(db: Db, key: string): Promise<{ orgId: string; keyId: string } | null> {
    return (await findOrgByApiKey(db, key)) ?? null;
}

/**
 * How to name a Salesforce user who is not a Backstory user (SEC-1's refusal): their name from the
 * last user sync, or null when the sync has not seen them.
 */
export async function salesforceUserName(db: Db, orgId: string, salesforceUserId: string): Promise<string | null> {
    return findSalesforceUserName(db, orgId, salesforceUserId);
}
