import { z } from 'zod';
import './common';
import {
    activitySettings,
    eligibilityForType,
    followUpQuestion,
    matchingSettings,
    notificationSettings,
    rankingGroup
} from '../../domain/profile';

const name = z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters');

export const activitySchema = activitySettings.openapi('ActivitySettings', {
    description: 'CP-4: the eight activity data toggles'
});
export const matchingSchema = matchingSettings.openapi('MatchingSettings', {
    description: 'CP-5 eligibility groups, CP-6 ranking groups, minimum score'
});
export const notificationsSchema = notificationSettings.openapi('NotificationSettings', { description: 'CP-7' });
eligibilityForType.openapi('EligibilitySettings');
rankingGroup.openapi('RankingGroup');
followUpQuestion.openapi('FollowUpQuestion');

export const profileSchema = z
    .object({
        id: z.string(),
        name: z.string(),
        isDefault: z.boolean(),
        userCount: z.number().int(),
        activity: activitySchema,
        matching: matchingSchema,
        notifications: notificationsSchema
    })
    .openapi('Profile');

export const createProfileBody = z
    .object({
        name,
        copyFrom: z
            .string()
            .min(1)
            .max(100)
            .optional()
            .describe('CP-3: copy every setting from this profile ("User Settings From")'),
        activity: activitySchema.optional(),
        matching: matchingSchema.optional(),
        notifications: notificationsSchema.optional()
    })
    .strict()
    .openapi('CreateProfile');

export const updateProfileBody = z
    .object({
        name: name.optional(),
        activity: activitySchema.optional(),
        matching: matchingSchema.optional(),
        notifications: notificationsSchema.optional()
    })
    .strict()
    .refine((b) => Object.keys(b).length > 0, {
        message: 'give at least one of name, activity, matching, notifications'
    })
    .openapi('UpdateProfile');

export const ruleFilterSchema = z
    .object({
        field: z.enum(['team_name', 'team_manager', 'job_title']),
        operator: z.enum(['equals', 'not_equals', 'in', 'contains']),
        value: z.union([
            z.string().trim().min(1, 'is required').max(255),
            z.array(z.string().trim().min(1).max(255)).max(100)
        ])
    })
    .strict()
    .superRefine((f, ctx) => {
        if (f.operator === 'in' && (!Array.isArray(f.value) || f.value.length === 0))
            ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be a non-empty list with in' });
        // USR-5: `contains` takes exactly one value per filter.
        if (f.operator === 'contains' && Array.isArray(f.value) && f.value.length !== 1)
            ctx.addIssue({
                code: 'custom',
                path: ['value'],
                message: 'contains takes exactly one value (USR-5): add a rule per value'
            });
        if ((f.operator === 'equals' || f.operator === 'not_equals') && Array.isArray(f.value))
            ctx.addIssue({ code: 'custom', path: ['value'], message: `must be one value with ${f.operator}` });
    })
    .openapi('RuleFilter');

export const LICENSES = ['foundation', 'engagement_dashboard', 'forecasting', 'unified_enterprise'] as const;

export const ruleAssignmentsSchema = z
    .object({
        profileId: z.string().min(1, 'is required').max(100),
        role: z.enum(['admin', 'manager', 'member']),
        visibility: z.enum(['full', 'team', 'individual']),
        licenses: z.array(z.enum(LICENSES)).max(4)
    })
    .strict()
    .openapi('RuleAssignments');

/**
 * Assignments as sent: seed 002 calls the Unified Backstory Application Enterprise licence
 * "PeopleGlass Enterprise", so `peopleglass_enterprise` is accepted and stored as
 * `unified_enterprise` (UT-11: accept both names, store one).
 */
export const ruleAssignmentsInput = ruleAssignmentsSchema
    .extend({ licenses: z.array(z.enum([...LICENSES, 'peopleglass_enterprise'])).max(5) })
    .strict()
    .openapi('RuleAssignmentsInput');

export const ruleSchema = z
    .object({
        id: z.string(),
        name: z.string(),
        description: z.string(),
        isCatchAll: z.boolean(),
        filters: z.array(ruleFilterSchema),
        assignments: ruleAssignmentsSchema
    })
    .openapi('UserSettingsRule');

export const ruleInputSchema = z
    .object({
        id: z.string().max(100).optional().describe('absent for a new rule'),
        name: z.string().trim().min(1, 'is required').max(120),
        description: z.string().max(1000).default(''),
        isCatchAll: z.boolean().default(false),
        filters: z.array(ruleFilterSchema).max(20),
        assignments: ruleAssignmentsInput
    })
    .strict()
    .openapi('UserSettingsRuleInput');

export const ruleListBody = z
    .object({ items: z.array(ruleInputSchema).min(1, 'must hold at least the catch-all rule').max(200) })
    .strict()
    .openapi('UserSettingsRuleList');

export const evaluateBody = z
    .object({
        teamName: z.string().max(255).optional(),
        teamManagerEmail: z.string().max(255).optional(),
        jobTitle: z.string().max(255).optional()
    })
    .strict()
    .openapi('RuleSubject');
