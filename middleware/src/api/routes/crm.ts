import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { crmStatusSchema, pullResultSchema } from '../schemas/matching';
import { crmStatus, pullCrmNow } from '../../services/crm';

export function crmRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'post',
            path: '/v1/crm/pull',
            summary: 'Pull the CRM into the replica now (MATCH-2, PERM-5), per object',
            description:
                'Incremental by SystemModstamp (queryAll: deletions leave the replica); a large first pull goes through Bulk API 2.0. An object with an unreadable required field is `blocked` with `missingRequiredFields` and resumes once they are readable.',
            tags: ['crm'],
            access: 'admin',
            errors: [409, 502],
            response: { status: 200, description: 'What each object pull did', schema: pullResultSchema },
            handler: async ({ ctx }) => pullCrmNow(deps, ctx)
        }),
        route({
            method: 'get',
            path: '/v1/crm/status',
            summary: 'The replica per object: state, missing fields, watermark and record count',
            tags: ['crm'],
            access: 'admin',
            response: { status: 200, description: 'The replica status', schema: crmStatusSchema },
            handler: async ({ ctx }) => crmStatus(deps, ctx)
        })
    ];
}
