import { z } from 'zod';
import { listAudit } from '../store/audit';
import { decodeCursor, encodeCursor } from './cursor';
import type { Caller } from './caller';
import type { ServiceDeps } from './deps';

export type AuditEntity = 'profile' | 'rule' | 'user' | 'team' | 'org';

/** Audit trail: who changed what, when, before and after. */
/** One page of the audit trail, newest first. */
export async function listAuditPage(
    deps: ServiceDeps,
    caller: Caller,
    query: { limit: number; cursor?: string | undefined; entity?: AuditEntity | undefined; id?: string | undefined }
) {
    const after = decodeCursor(query.cursor, z.object({ at: z.string(), id: z.string() }));
    const rows = await listAudit(deps.store.db, caller.orgId, {
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
        nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.at.toISOString(), id: last.id }) : null
    };
}
