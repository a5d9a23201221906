import { z } from 'zod';
import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { checkReady, readiness } from '../../services/system';

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
        }),
        route({
            method: 'get',
            path: '/readyz',
            summary: 'Readiness (SCALE-1): 200 when the database answers, 503 naming `database` when it does not',
            description:
                'For load balancers and orchestrators: take a web process out of rotation while it cannot reach PostgreSQL. A worker started with HEALTH_PORT answers it too.',
            tags: ['system'],
            auth: 'public',
            errors: [503],
            response: {
                status: 200,
                description: 'The database answers',
                schema: z.object({ status: z.literal('ready') }).openapi('Readiness')
            },
            handler: async () => readiness(deps)
        })
    ];
}
