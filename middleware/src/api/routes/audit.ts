import { z } from 'zod';
import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { pageQuery } from '../schemas/common';
import { listAuditPage } from '../../services/audit';

const auditEntity = z.enum(['profile', 'rule', 'user', 'team', 'org']);

const auditEvent = z
    .object({
        at: z.string().describe('ISO 8601 UTC'),
        actor: z.string().describe('`api-key:<id>` or `user:<email>`'),
        entity: auditEntity,
        entityId: z.string(),
        action: z.enum(['create', 'update', 'delete']),
        before: z.unknown().nullable(),
        after: z.unknown().nullable()
    })
    .openapi('AuditEvent');

export function auditRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'get',
            path: '/v1/audit',
            summary: 'Audit trail of changes (who, when, before, after), newest first',
            tags: ['audit'],
            access: 'admin',
            query: pageQuery.extend({ entity: auditEntity.optional(), id: z.string().min(1).optional() }),
            response: {
                status: 200,
                description: 'Audit events of this org',
                schema: z.object({ items: z.array(auditEvent), nextCursor: z.string().nullable() })
            },
            handler: async ({ ctx, query }) => listAuditPage(deps, ctx, query)
        })
    ];
}
