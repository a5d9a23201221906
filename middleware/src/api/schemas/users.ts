import './common';
import { z } from 'zod';
import { LICENSES, PROCESSING_STATUSES, USER_ROLES, USER_STATUSES, VISIBILITIES } from '../../domain/users';
import { pageQuery } from './common';

const SALESFORCE_USER_ID = /^005[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/;

export const userRoleSchema = z.enum(USER_ROLES);
export const visibilitySchema = z.enum(VISIBILITIES);
export const userStatusSchema = z.enum(USER_STATUSES);
/** UT-11: `peopleglass_enterprise` (seed 002's name) is accepted and stored as `unified_enterprise`. */
export const licenseInput = z
    .enum([...LICENSES, 'peopleglass_enterprise'])
    .transform((l) => (l === 'peopleglass_enterprise' ? 'unified_enterprise' : l));

export const userSchema = z
    .object({
        id: z.string(),
        firstName: z.string(),
        lastName: z.string(),
        email: z.string(),
        jobTitle: z.string().nullable(),
        salesforceUserId: z
            .string()
            .nullable()
            .describe('18-character Salesforce User id; acting-user calls resolve through it'),
        role: userRoleSchema,
        licenses: z.array(z.enum(LICENSES)),
        visibility: visibilitySchema,
        profileId: z.string(),
        teamId: z.string().nullable(),
        customTeamIds: z.array(z.string()),
        status: userStatusSchema.describe(
            'UT-13 lifecycle: pending (not linked to an active Salesforce user yet), onboarding (linked, no activity yet), active (activity captured), permission_error (Salesforce refused them as owner of a written activity, or linked to an inactive Salesforce user), suspended (UT-9). Moves by itself; see docs/users-and-teams.md'
        ),
        statusReason: z
            .enum(['manual', 'salesforce_deactivated', 'salesforce_license_changed'])
            .nullable()
            .describe('Why a suspended user is suspended (UT-9, UT-13); null otherwise'),
        source: z.enum(['manual', 'csv', 'role_import', 'automatic'])
    })
    .openapi('User');

const name = (max: number) => z.string().trim().min(1).max(max);

export const createUserBody = z
    .object({
        firstName: name(100),
        lastName: name(100),
        email: z.email().max(254),
        jobTitle: z.string().trim().max(200).nullable().optional(),
        salesforceUserId: z
            .string()
            .regex(SALESFORCE_USER_ID, 'must be a 15- or 18-character Salesforce User id (005…)')
            .nullable()
            .optional(),
        role: userRoleSchema.optional().describe('Default member'),
        licenses: z
            .array(licenseInput)
            .min(1, 'a user needs at least one licence')
            .optional()
            .describe('Default [foundation]'),
        visibility: visibilitySchema.optional().describe('Default team'),
        profileId: z.string().min(1).optional().describe('Default: the org\'s "Default - Intake Off" profile (CP-9)'),
        teamId: z.string().min(1).nullable().optional().describe('A hierarchy team'),
        customTeamIds: z.array(z.string().min(1)).max(200).optional()
    })
    .strict()
    .openapi('CreateUser');

export const updateUserBody = z
    .object({
        firstName: name(100).optional(),
        lastName: name(100).optional(),
        email: z.email().max(254).optional(),
        jobTitle: z.string().trim().max(200).nullable().optional(),
        salesforceUserId: z
            .string()
            .regex(SALESFORCE_USER_ID, 'must be a 15- or 18-character Salesforce User id (005…)')
            .nullable()
            .optional(),
        role: userRoleSchema.optional(),
        licenses: z.array(licenseInput).min(1, 'a user needs at least one licence').optional(),
        visibility: visibilitySchema.optional(),
        profileId: z.string().min(1).optional(),
        teamId: z.string().min(1).nullable().optional(),
        customTeamIds: z.array(z.string().min(1)).max(200).optional(),
        status: z
            .enum(PROCESSING_STATUSES)
            .optional()
            .describe(
                'Set the status by hand (a mailbox pipeline may report it); it otherwise moves by the UT-13 lifecycle rules. Suspend and reactivate have their own calls'
            )
    })
    .strict()
    .openapi('UpdateUser');

export const userListQuery = pageQuery.extend({
    status: userStatusSchema.optional(),
    teamId: z.string().min(1).max(100).optional(),
    profileId: z.string().min(1).max(100).optional(),
    q: z.string().trim().min(1).max(200).optional()
});

export const userStatsQuery = userListQuery.omit({ status: true, limit: true, cursor: true });

export const userStatsSchema = z
    .object({
        total: z.number().int(),
        pending: z.number().int(),
        onboarding: z.number().int(),
        permissionErrors: z.number().int(),
        active: z.number().int(),
        suspended: z.number().int()
    })
    .openapi('UserStats');

export const profileAssignmentBody = z
    .object({ userIds: z.array(z.string().min(1)).min(1).max(10_000), profileId: z.string().min(1) })
    .strict()
    .openapi('ProfileAssignment');

export const importQuery = z.object({
    mode: z
        .enum(['all_or_nothing', 'apply_valid', 'validate'])
        .default('all_or_nothing')
        .describe('validate checks every row and changes nothing (the report before applying)')
});

/** The CSV as text/csv, or as JSON `{csv}` (the Apex proxy only sends JSON). */
export const importBody = z.union([
    z.string(),
    z.object({ csv: z.string().describe('The CSV text, header row first') }).strict()
]);

export const importErrorSchema = z.object({ line: z.number().int(), column: z.string(), message: z.string() });

export const importResultSchema = z
    .object({
        created: z.number().int(),
        updated: z.number().int(),
        errors: z.array(importErrorSchema),
        teamsCreated: z.array(z.string()).describe('Team names the file named that did not exist (created top-level)'),
        validRows: z
            .number()
            .int()
            .optional()
            .describe('validate only: rows that would be created or updated; teamsCreated lists teams it would create')
    })
    .openapi('UserImportResult');

export const teamSchema = z
    .object({
        id: z.string(),
        name: z.string(),
        parentId: z.string().nullable(),
        kind: z.enum(['hierarchy', 'custom']),
        managerUserId: z.string().nullable(),
        salesforceRoleId: z.string().nullable(),
        memberCount: z.number().int()
    })
    .openapi('Team');

export const createTeamBody = z
    .object({
        name: name(120),
        parentId: z.string().min(1).nullable().optional(),
        kind: z.enum(['hierarchy', 'custom']).default('hierarchy'),
        managerUserId: z.string().min(1).nullable().optional()
    })
    .strict()
    .openapi('CreateTeam');

export const updateTeamBody = z
    .object({
        name: name(120).optional(),
        parentId: z.string().min(1).nullable().optional(),
        managerUserId: z.string().min(1).nullable().optional()
    })
    .strict()
    .openapi('UpdateTeam');

export const teamMembersBody = z
    .object({ userIds: z.array(z.string().min(1)).max(10_000) })
    .strict()
    .openapi('TeamMembers');
