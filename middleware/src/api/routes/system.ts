import { z } from 'zod';
import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { checkReady } from '../../services/system';

export function systemRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'get',
            path: '/healthz',
            summary: 'Liveness and readiness: 200 once the service can serve (store reachable)',
            tags: ['system'],
            auth: 'public',
            response: {
                status: 200,
                description: 'The service can serve',
                schema: z.object({ status: z.literal('ok') }).openapi('Health')
            },
            handler: async () => checkReady(deps)
        })
    ];
}
