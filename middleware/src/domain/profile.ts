import { z } from 'zod';
import { ACTIVITY_TOGGLES } from './profile-defaults';

/**
 * Configuration profiles (SPEC §2, CP-1..CP-10): the shapes of API.md, as zod schemas (pure, no
 * I/O). The API layer names them for OpenAPI; matching reads the same types.
 */

export const FILTER_OPERATORS = [
    'equals',
    'not_equals',
    'in',
    'not_in',
    'contains',
    'starts_with',
    'greater_than',
    'less_than',
    'is_null',
    'is_not_null'
] as const;
export const filterOperator = z.enum(FILTER_OPERATORS);
export type FilterOperator = z.infer<typeof filterOperator>;

export const MATCH_OBJECT_TYPES = ['Opportunity', 'Account', 'Lead'] as const;
export type MatchObjectType = (typeof MATCH_OBJECT_TYPES)[number];

const fieldName = z
    .string()
    .trim()
    .min(1, 'is required')
    .max(120)
    .regex(/^[A-Za-z][A-Za-z0-9_.]*$/, 'must be a Salesforce field API name');
const scalar = z.union([z.string().max(255), z.number(), z.boolean()]);
const filterValue = z.union([scalar, z.array(z.union([z.string().max(255), z.number()])).max(100)]);

export const filterCondition = z
    .object({ field: fieldName, operator: filterOperator, value: filterValue.optional() })
    .strict()
    .superRefine((c, ctx) => {
        const isList = Array.isArray(c.value);
        if (c.operator === 'is_null' || c.operator === 'is_not_null') {
            if (c.value !== undefined)
                ctx.addIssue({ code: 'custom', path: ['value'], message: `takes no value with ${c.operator}` });
        } else if (c.operator === 'in' || c.operator === 'not_in') {
            if (!isList || (c.value as unknown[]).length === 0)
                ctx.addIssue({
                    code: 'custom',
                    path: ['value'],
                    message: `must be a non-empty list with ${c.operator}`
                });
        } else if (c.value === undefined || isList) {
            ctx.addIssue({ code: 'custom', path: ['value'], message: `must be one value with ${c.operator}` });
        }
    });
export type FilterCondition = z.infer<typeof filterCondition>;

export const eligibilityGroup = z
    .object({
        id: z.string().max(100).optional(),
        name: z.string().trim().min(1, 'is required').max(120),
        filters: z.array(filterCondition).min(1, 'a group needs at least one filter').max(25)
    })
    .strict();
export type EligibilityGroup = z.infer<typeof eligibilityGroup> & { id: string };

export const eligibilityForType = z
    .object({ mode: z.enum(['all', 'filtered']), groups: z.array(eligibilityGroup).max(50) })
    .strict()
    .superRefine((e, ctx) => {
        if (e.mode === 'all' && e.groups.length > 0)
            ctx.addIssue({ code: 'custom', path: ['mode'], message: "must be 'filtered' when the type has groups" });
    });

export const sortCondition = z.object({ field: fieldName, direction: z.enum(['asc', 'desc']) }).strict();
export const selectCondition = z
    .object({ field: fieldName, operator: filterOperator, value: filterValue.optional() })
    .strict()
    .superRefine((c, ctx) => {
        const parsed = filterCondition.safeParse(c);
        if (!parsed.success)
            for (const issue of parsed.error.issues)
                ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    });

export const rankingGroup = z
    .object({
        id: z.string().max(100).optional(),
        name: z.string().trim().min(1, 'is required').max(120),
        recordType: z.enum(['Opportunity', 'Account', 'Lead', 'All']),
        kind: z.enum(['sort', 'select']),
        conditions: z
            .array(z.record(z.string(), z.unknown()))
            .min(1, 'a ranking group needs at least one condition')
            .max(10)
    })
    .strict()
    .superRefine((g, ctx) => {
        // CP-6: a group is all sort-based or all select-based; mixing kinds is refused.
        g.conditions.forEach((c, i) => {
            const looksSort = 'direction' in c;
            const looksSelect = 'operator' in c || 'value' in c;
            if (looksSort && looksSelect) {
                ctx.addIssue({
                    code: 'custom',
                    path: ['conditions', i],
                    message: `ranking group "${g.name}": a condition is either sort-based (field, direction) or select-based (field, operator, value), not both`
                });
                return;
            }
            if ((g.kind === 'sort' && looksSelect) || (g.kind === 'select' && looksSort)) {
                ctx.addIssue({
                    code: 'custom',
                    path: ['conditions', i],
                    message: `ranking group "${g.name}" mixes ${looksSort ? 'sort' : 'select'}-based and ${g.kind}-based conditions: all conditions of a group are of one kind (CP-6)`
                });
                return;
            }
            const parsed = (g.kind === 'sort' ? sortCondition : selectCondition).safeParse(c);
            if (!parsed.success)
                for (const issue of parsed.error.issues)
                    ctx.addIssue({ code: 'custom', path: ['conditions', i, ...issue.path], message: issue.message });
        });
    });

export type SortCondition = z.infer<typeof sortCondition>;
export type SelectCondition = FilterCondition;
export type RankingGroup =
    | { id: string; name: string; recordType: MatchObjectType | 'All'; kind: 'sort'; conditions: SortCondition[] }
    | { id: string; name: string; recordType: MatchObjectType | 'All'; kind: 'select'; conditions: SelectCondition[] };

export const matchingSettings = z
    .object({
        minScore: z.number().int().min(0).max(100),
        eligibility: z
            .object({ Opportunity: eligibilityForType, Account: eligibilityForType, Lead: eligibilityForType })
            .strict(),
        rankingGroups: z.array(rankingGroup).max(25)
    })
    .strict();

/** Eligibility of one object type (CP-5): `all` (never had a group) or `filtered` by its groups (none left: nothing). */
export interface EligibilityForType {
    mode: 'all' | 'filtered';
    groups: EligibilityGroup[];
}
export type EligibilitySettings = EligibilityForType;
export interface MatchingSettings {
    minScore: number;
    eligibility: Record<MatchObjectType, EligibilityForType>;
    rankingGroups: RankingGroup[];
}

export const activitySettings = z
    .object(
        Object.fromEntries(ACTIVITY_TOGGLES.map((t) => [t, z.boolean()])) as Record<
            (typeof ACTIVITY_TOGGLES)[number],
            z.ZodBoolean
        >
    )
    .strict();
export type ActivitySettings = z.infer<typeof activitySettings>;

const notifyWho = z.enum(['owner', 'all_participants']);
const objectField = z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/, 'must be Object.Field, e.g. Event.Type');
export const followUpQuestion = z
    .object({
        id: z.string().max(100).optional(),
        category: z.string().trim().min(1, 'is required').max(120),
        text: z.string().trim().min(1, 'is required').max(500),
        field: objectField
    })
    .strict();
export type FollowUpQuestion = z.infer<typeof followUpQuestion> & { id: string };

export const notificationSettings = z
    .object({
        meetingCategoryField: objectField.nullable(),
        onMeetingCreated: notifyWho,
        onMeetingCompleted: notifyWho,
        followUpQuestions: z.array(followUpQuestion).max(50)
    })
    .strict();
export interface NotificationSettings {
    meetingCategoryField: string | null;
    onMeetingCreated: 'owner' | 'all_participants';
    onMeetingCompleted: 'owner' | 'all_participants';
    followUpQuestions: FollowUpQuestion[];
}

export interface ProfileSections {
    activity: ActivitySettings;
    matching: MatchingSettings;
    notifications: NotificationSettings;
}

export interface Profile extends ProfileSections {
    id: string;
    name: string;
    isDefault: boolean;
    userCount: number;
}
