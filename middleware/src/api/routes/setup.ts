import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { permissionReportSchema } from '../schemas/setup';
import { checkPermissions } from '../../services/setup';

export function setupRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'get',
            path: '/v1/setup/permission-check',
            summary:
                "Check the integration user's permissions against the manifest (PERM-1..PERM-8), with a remedy per failing item",
            tags: ['setup'],
            access: 'admin',
            errors: [409, 502],
            response: {
                status: 200,
                description: 'The report the setup wizard walks through',
                schema: permissionReportSchema
            },
            handler: async ({ ctx }) => checkPermissions(deps, ctx)
        })
    ];
}
