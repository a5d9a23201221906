import { z } from 'zod';
import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { invalid } from '../errors';
import { ruleInputSchema } from '../schemas/profiles';
import type { UserSettingsRule } from '../../domain/user-settings-rules';
import { salesforceError } from '../../salesforce/connection';
import { previewRulesOverSalesforceUsers } from '../../services/rule-preview';

const previewBody = z
    .object({
        items: z
            .array(ruleInputSchema)
            .min(1)
            .max(200)
            .optional()
            .describe('unsaved rules in order, the catch-all last; absent: the saved rules')
    })
    .strict()
    .openapi('RulePreviewInput');

const previewSchema = z
    .object({
        rules: z.array(
            z.object({
                ruleId: z.string(),
                name: z.string(),
                isCatchAll: z.boolean(),
                count: z.number().int().describe('active Salesforce users this rule would set up'),
                newUsers: z
                    .number()
                    .int()
                    .describe('of them, not yet Backstory users (USR-3: rules only set up new ones)')
            })
        ),
        users: z.array(
            z.object({
                salesforceUserId: z.string(),
                name: z.string(),
                email: z.string(),
                jobTitle: z.string().nullable(),
                teamName: z.string().nullable(),
                teamManagerEmail: z.string().nullable(),
                ruleId: z.string(),
                profileId: z.string(),
                existing: z.boolean()
            })
        )
    })
    .openapi('RulePreview');

/** Unsaved items as rules: new ones get a stand-in id by position (`new-0`), as the answer names them. */
function asRules(items: z.infer<typeof ruleInputSchema>[]): UserSettingsRule[] {
    const last = items.length - 1;
    items.forEach((item, i) => {
        if (item.isCatchAll && i !== last)
            throw invalid(`items.${i}.isCatchAll`, 'the catch-all rule must be last (USR-7)');
    });
    if (!items[last]?.isCatchAll) throw invalid(`items.${last}`, 'the last rule must be the catch-all (USR-7)');
    return items.map((item, i) => ({
        id: item.id ?? `new-${i}`,
        name: item.name,
        description: item.description,
        isCatchAll: item.isCatchAll,
        filters: item.isCatchAll ? [] : item.filters,
        assignments: {
            ...item.assignments,
            licenses: [
                ...new Set(
                    item.assignments.licenses.map((l) => (l === 'peopleglass_enterprise' ? 'unified_enterprise' : l))
                )
            ] as UserSettingsRule['assignments']['licenses']
        }
    }));
}

export function rulePreviewRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'post',
            path: '/v1/user-settings-rules/preview',
            summary:
                'Which rule, and so which profile, every active Salesforce user would get if the automatic sync created them now (USR-2), with counts per rule; saved or unsaved rules; nothing is stored',
            tags: ['user settings rules'],
            access: 'admin',
            body: previewBody,
            errors: [409, 502],
            response: { status: 200, description: 'Counts per rule and the users', schema: previewSchema },
            handler: async ({ ctx, body }) => {
                const rules = body.items ? asRules(body.items) : undefined;
                try {
                    return await previewRulesOverSalesforceUsers(
                        deps.store.db,
                        () => deps.salesforce.connection(ctx.orgId),
                        { orgId: ctx.orgId, actor: ctx.actor },
                        rules
                    );
                } catch (error) {
                    throw salesforceError(error, 'Reading the Salesforce users failed');
                }
            }
        })
    ];
}
