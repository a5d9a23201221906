import { z } from 'zod';
import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { orgSchema } from '../schemas/org';
import {
    getOrgSettings,
    type RoleNode,
    importRoles,
    listSalesforceRoles,
    setUserManagementMode,
    syncUsersNow,
    updateOrgSettings
} from '../../services/org';

const modeBody = z
    .object({
        mode: z.enum(['manual', 'automatic']),
        hierarchySource: z
            .enum(['role', 'manager'])
            .optional()
            .describe('Where automatic mode takes the hierarchy from: the role hierarchy (default) or manager chains')
    })
    .strict()
    .openapi('OrgMode');

const orgSettingsBody = z
    .object({
        syncIntervalMinutes: z
            .number()
            .int()
            .min(1)
            .max(30)
            .describe('How often the automatic sync runs (UT-2: at most every 30 minutes)')
    })
    .strict()
    .openapi('OrgSettings');

const syncResultSchema = z
    .object({
        created: z.number().int(),
        updated: z.number().int(),
        suspended: z.number().int(),
        movedToTopLevel: z.number().int()
    })
    .openapi('UserSyncResult');

const roleNodeSchema: z.ZodType<RoleNode> = z
    .object({
        id: z.string(),
        name: z.string(),
        parentRoleId: z.string().nullable(),
        imported: z.boolean().describe('A team exists for this role (imported once, or synced)'),
        get children(): z.ZodArray<z.ZodType<RoleNode>> {
            return z.array(roleNodeSchema);
        }
    })
    .openapi('SalesforceRole');

const roleImportBody = z
    .object({
        roleIds: z
            .array(z.string().regex(/^00E[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/, 'must be a UserRole id (00E…)'))
            .min(1)
            .max(5000)
    })
    .strict()
    .openapi('RoleImport');

export function orgRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'get',
            path: '/v1/org',
            summary: 'The connected org of this API key and its user-management mode (UT-1)',
            tags: ['org'],
            response: { status: 200, description: 'The org', schema: orgSchema },
            handler: async ({ ctx }) => getOrgSettings(deps, ctx)
        }),
        route({
            method: 'patch',
            path: '/v1/org',
            summary: 'Org settings: how often the automatic sync runs (UT-2, at most every 30 minutes)',
            tags: ['org'],
            access: 'admin',
            body: orgSettingsBody,
            response: { status: 200, description: 'The org', schema: orgSchema },
            handler: async ({ ctx, body }) => updateOrgSettings(deps, ctx, body)
        }),
        route({
            method: 'put',
            path: '/v1/org/mode',
            summary:
                "Switch between manual and automatic mode (UT-3, UT-14). Enabling automatic mode needs a connected org and a configuration profile besides the default, replaces the team hierarchy with Salesforce's (saved views that name old team ids break) and moves users absent from it to the top-level team",
            tags: ['org'],
            access: 'admin',
            body: modeBody,
            errors: [409, 502],
            response: { status: 200, description: 'The org', schema: orgSchema },
            handler: async ({ ctx, body }) => setUserManagementMode(deps, ctx, body)
        }),
        route({
            method: 'post',
            path: '/v1/org/sync',
            summary: 'Run the automatic user sync now (UT-2); automatic mode only',
            tags: ['org'],
            access: 'admin',
            errors: [409, 502],
            response: { status: 200, description: 'What the sync changed', schema: syncResultSchema },
            handler: async ({ ctx }) => syncUsersNow(deps, ctx)
        }),
        route({
            method: 'get',
            path: '/v1/org/roles',
            summary: 'The Salesforce role hierarchy as a tree, for the one-time role import (UT-5)',
            tags: ['org'],
            access: 'admin',
            errors: [409, 502],
            response: {
                status: 200,
                description: 'Top-level roles with their sub-roles',
                schema: z.object({ items: z.array(roleNodeSchema) })
            },
            handler: async ({ ctx }) => listSalesforceRoles(deps, ctx)
        }),
        route({
            method: 'post',
            path: '/v1/org/role-import',
            summary:
                "One-time import of selected Salesforce roles (UT-5): a team per role, nested as in Salesforce, and the roles' active users with default settings; nothing syncs afterwards",
            tags: ['org'],
            access: 'admin',
            body: roleImportBody,
            errors: [409, 502],
            response: {
                status: 200,
                description: 'How many users and teams were added',
                schema: z.object({ imported: z.number().int(), teamsCreated: z.number().int() })
            },
            handler: async ({ ctx, body }) => importRoles(deps, ctx, body)
        })
    ];
}
