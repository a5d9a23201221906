import { z } from 'zod';
import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { evaluateBody, ruleAssignmentsSchema, ruleListBody, ruleSchema } from '../schemas/profiles';
import { evaluateSettingsRules, listSettingsRules, replaceSettingsRules } from '../../services/rules';

export function ruleRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'get',
            path: '/v1/user-settings-rules',
            summary: 'The ordered User Settings Rules, catch-all last (USR-2, USR-7)',
            tags: ['user settings rules'],
            access: 'admin',
            response: {
                status: 200,
                description: 'The rules in evaluation order',
                schema: z.object({ items: z.array(ruleSchema) })
            },
            handler: async ({ ctx }) => listSettingsRules(deps, ctx)
        }),
        route({
            method: 'put',
            path: '/v1/user-settings-rules',
            summary:
                'Save the whole ordered list (USR-6); only in automatic mode (USR-1); the catch-all stays last and only its assignments change (USR-7)',
            tags: ['user settings rules'],
            access: 'admin',
            body: ruleListBody,
            errors: [409],
            response: { status: 200, description: 'The saved rules', schema: z.object({ items: z.array(ruleSchema) }) },
            handler: async ({ ctx, body }) => replaceSettingsRules(deps, ctx, body)
        }),
        route({
            method: 'post',
            path: '/v1/user-settings-rules/evaluate',
            summary: 'Which rule a new user would get: the first match, or the catch-all (USR-2); works in both modes',
            tags: ['user settings rules'],
            access: 'admin',
            body: evaluateBody,
            response: {
                status: 200,
                description: 'The rule that applies and its assignments',
                schema: z.object({ ruleId: z.string(), assignments: ruleAssignmentsSchema })
            },
            handler: async ({ ctx, body }) => evaluateSettingsRules(deps, ctx, body)
        })
    ];
}
