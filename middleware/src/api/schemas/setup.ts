import { z } from 'zod';
import './common';

const status = z.enum(['pass', 'warn', 'fail']);

export const permissionReportSchema = z
    .object({
        status: z
            .enum(['ready', 'degraded', 'blocked'])
            .describe('blocked: a required item fails (the CRM pull stops); degraded: only recommended items fail'),
        integrationUser: z.object({
            id: z.string(),
            name: z.string(),
            username: z.string(),
            profile: z.string().nullable(),
            role: z.string().nullable(),
            topOfRoleHierarchy: z.boolean().describe('PERM-1: its role has no parent role')
        }),
        path: z
            .enum(['view_all_data', 'least_privilege'])
            .nullable()
            .describe('PERM-3: which way the system permissions are granted'),
        steps: z.array(
            z.object({
                id: z.enum(['integration_user', 'system_permissions', 'object_permissions', 'field_permissions']),
                status,
                items: z.array(
                    z.object({
                        name: z.string(),
                        status,
                        required: z.boolean(),
                        remedy: z.string().nullable().describe('what to click in Setup'),
                        action: z
                            .enum(['assign_permission_set'])
                            .optional()
                            .describe(
                                'a fix the wizard applies in one click where the admin may: assign the Backstory Standard Permissions permission set to the integration user (in Salesforce, as the admin)'
                            )
                    })
                )
            })
        )
    })
    .openapi('PermissionReport');
