import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { opsStatusSchema } from '../schemas/ops';
import { opsStatus } from '../../services/ops-status';

/** OPS-1: the operations page's one read. Admins only. */
export function opsRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'get',
            path: '/v1/ops/status',
            summary:
                'The health of everything that runs by itself (OPS-1): connection, CRM pull per object, user sync, write-back queue, API budget, notifications',
            description:
                'Each area has a `health` (ok, warning, error, idle). Reads the store only: it makes no Salesforce call and costs no API budget. Retry a parked item with `POST /v1/writeback/items/{id}/retry`; the audit trail is `GET /v1/audit`.',
            tags: ['ops'],
            access: 'admin',
            response: { status: 200, description: 'The health of each area', schema: opsStatusSchema },
            handler: async ({ ctx }) => opsStatus(deps, ctx)
        })
    ];
}
