import type { Connection } from '@jsforce/jsforce-node';
import type { FieldCatalog, FieldInfo } from '../domain/field-references';
import { describeError } from './connection';

/**
 * The org's fields as the integration user sees them, from describe (field-level security
 * removes unreadable fields). One describe per object per catalog: a catalog lives for one
 * request.
 */
export function describeCatalog(connection: () => Promise<Connection>): FieldCatalog {
    const cache = new Map<string, Promise<Map<string, FieldInfo> | null>>();
    return {
        fields: (object) => {
            let pending = cache.get(object);
            if (!pending) {
                pending = (async () => {
                    const conn = await connection();
                    try {
                        const d = await conn.sobject(object).describe();
                        return new Map(
                            d.fields.map((f) => [
                                f.name.toLowerCase(),
                                {
                                    name: f.name,
                                    type: f.type,
                                    updateable: f.updateable,
                                    sortable: f.sortable,
                                    filterable: f.filterable,
                                    picklistValues: (f.picklistValues ?? [])
                                        .filter((p) => p.active)
                                        .map((p) => p.value),
                                    relationshipName: f.relationshipName ?? null,
                                    referenceTo: (f.referenceTo ?? []).filter(
                                        (r): r is string => typeof r === 'string'
                                    ),
                                    label: f.label,
                                    length: f.length,
                                    nillable: f.nillable
                                }
                            ])
                        );
                    } catch (error) {
                        const code = (error as { errorCode?: string }).errorCode;
                        if (code === 'NOT_FOUND' || code === 'INVALID_TYPE') return null;
                        throw new Error(`describe ${object}: ${describeError(error)}`);
                    }
                })();
                cache.set(object, pending);
            }
            return pending;
        }
    };
}
