import type { Kysely, Selectable, Transaction } from 'kysely';
import { newId } from './ids';
import { json, type AuditEventTable, type Database } from './schema';

export interface AuditEntry {
    orgId: string;
    actor: string;
    entity: AuditEventTable['entity'];
    entityId: string;
    action: AuditEventTable['action'];
    before: unknown;
    after: unknown;
}

/** Record one change; call it inside the transaction that makes the change. */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
    await db
        .insertInto('audit_events')
        .values({
            id: newId('aud'),
            org_id: entry.orgId,
            actor: entry.actor,
            entity: entry.entity,
            entity_id: entry.entityId,
            action: entry.action,
            before: json(entry.before ?? null),
            after: json(entry.after ?? null)
        })
        .execute();
}

export async function listAudit(
    db: Kysely<Database>,
    orgId: string,
    filter: {
        entity?: AuditEventTable['entity'] | undefined;
        entityId?: string | undefined;
        limit: number;
        after?: { at: string; id: string } | undefined;
    }
): Promise<Selectable<AuditEventTable>[]> {
    let q = db.selectFrom('audit_events').selectAll().where('org_id', '=', orgId);
    if (filter.entity) q = q.where('entity', '=', filter.entity);
    if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
    if (filter.after) {
        const { id } = filter.after;
        const at = new Date(filter.after.at);
        q = q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}
