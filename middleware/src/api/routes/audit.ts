import { z } from 'zod';
import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { listAudit } from '../../store/audit';
import { decodeCursor, encodeCursor, pageQuery } from '../schemas/common';

const auditEntity = z.enum(['profile', 'rule', 'user', 'team', 'org', 'activity', 'follow_up']);

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
            handler: async ({ query, ctx }) => {
                const after = decodeCursor(query.cursor, z.object({ at: z.string(), id: z.string() }));
                const rows = await listAudit(deps.store.db, ctx.orgId, {
                    entity: query.entity,
                    entityId: query.id,
                    limit: query.limit + 1,
                    after
                });
                const page = rows.slice(0, query.limit);
                const last = page.at(-1);
                return {
                    items: page.map((r) => ({
                        at: r.at.toISOString(),
                        actor: r.actor,
                        entity: r.entity,
                        entityId: r.entity_id,
                        action: r.action,
                        before: r.before ?? null,
                        after: r.after ?? null
                    })),
                    nextCursor:
                        rows.length > query.limit && last
                            ? encodeCursor({ at: last.at.toISOString(), id: last.id })
                            : null
                };
            }
        })
    ];
}
