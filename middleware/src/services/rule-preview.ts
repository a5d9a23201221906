import type { Connection } from '@jsforce/jsforce-node';
import type { Kysely } from 'kysely';
import { buildHierarchy, type SfRole, type SfUser } from '../domain/hierarchy';
import { evaluateRules, type UserSettingsRule } from '../domain/user-settings-rules';
import { toSalesforceId18 } from '../domain/users';
import { fetchUserChanges } from '../salesforce/users';
import type { Database } from '../store/schema';
import { getOrg } from '../store/orgs';
import { listRules } from '../store/rules';
import type { Caller } from './field-picker';

export interface RulePreviewUser {
    salesforceUserId: string;
    name: string;
    email: string;
    jobTitle: string | null;
    teamName: string | null;
    teamManagerEmail: string | null;
    ruleId: string;
    profileId: string;
    /** Already a Backstory user: rules never change existing users (USR-3); shown for completeness. */
    existing: boolean;
}

export interface RulePreview {
    rules: { ruleId: string; name: string; isCatchAll: boolean; count: number; newUsers: number }[];
    users: RulePreviewUser[];
}

/**
 * USR-2 over the whole org, read-only: which rule (and so which profile) each current, active
 * Salesforce user would get if the automatic sync created them now, with the team name and the
 * team manager the sync would derive (role hierarchy or manager chains, as the org is set). The
 * rules are the saved ones, or an unsaved list from the editor. Nothing is stored.
 */
export async function previewRulesOverSalesforceUsers(
    db: Kysely<Database>,
    connection: () => Promise<Connection>,
    caller: Caller,
    unsaved?: UserSettingsRule[]
): Promise<RulePreview> {
    const rules = unsaved ?? (await listRules(db, caller.orgId));
    const org = await getOrg(db, caller.orgId);
    const conn = await connection();
    const changes = await fetchUserChanges(conn, { users: null, roles: null });
    const integration = toSalesforceId18(changes.integrationUserId);
    const inScope = changes.users.filter(
        (u) => (u.UserType ?? 'Standard') === 'Standard' && toSalesforceId18(u.Id) !== integration
    );
    const sfUsers: SfUser[] = inScope.map((u) => ({
        id: toSalesforceId18(u.Id),
        firstName: u.FirstName,
        lastName: u.LastName,
        email: u.Email,
        title: u.Title,
        isActive: u.IsActive,
        userRoleId: u.UserRoleId ? toSalesforceId18(u.UserRoleId) : null,
        managerId: u.ManagerId ? toSalesforceId18(u.ManagerId) : null
    }));
    const sfRoles: SfRole[] = changes.roles.map((r) => ({
        id: toSalesforceId18(r.Id),
        name: r.Name,
        parentRoleId: r.ParentRoleId ? toSalesforceId18(r.ParentRoleId) : null
    }));
    const desired = buildHierarchy(sfUsers, sfRoles, org.hierarchy_source, org.name);
    const teamName = new Map(desired.teams.map((t) => [t.key, t.name]));
    const byId = new Map(sfUsers.map((u) => [u.id, u]));
    const linked = new Set(
        (
            await db
                .selectFrom('users')
                .select('salesforce_user_id')
                .where('org_id', '=', caller.orgId)
                .where('salesforce_user_id', 'is not', null)
                .execute()
        ).map((r) => r.salesforce_user_id as string)
    );
    const users = sfUsers
        .filter((u) => u.isActive)
        .map((u): RulePreviewUser => {
            const key = desired.teamOf.get(u.id);
            const team = key ? (teamName.get(key) ?? null) : null;
            const manager = u.managerId ? byId.get(u.managerId) : undefined;
            const rule = evaluateRules(rules, {
                teamName: team,
                teamManagerEmail: manager?.email ?? null,
                jobTitle: u.title
            });
            return {
                salesforceUserId: u.id,
                name: [u.firstName, u.lastName].filter(Boolean).join(' '),
                email: u.email,
                jobTitle: u.title,
                teamName: team,
                teamManagerEmail: manager?.email ?? null,
                ruleId: rule.id,
                profileId: rule.assignments.profileId,
                existing: linked.has(u.id)
            };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
    return {
        rules: rules.map((r) => {
            const mine = users.filter((u) => u.ruleId === r.id);
            return {
                ruleId: r.id,
                name: r.name,
                isCatchAll: r.isCatchAll,
                count: mine.length,
                newUsers: mine.filter((u) => !u.existing).length
            };
        }),
        users
    };
}
