import type { Connection } from '@jsforce/jsforce-node';
import { describeError } from './connection';

/** One field of an object's describe, as a field picker needs it. */
export interface DescribedField {
    name: string;
    label: string;
    type: string;
    filterable: boolean;
    sortable: boolean;
    updateable: boolean;
    picklistValues: { value: string; label: string }[];
    relationshipName: string | null;
    referenceTo: string[];
}

export interface DescribedObject {
    name: string;
    label: string;
    fields: DescribedField[];
}

/**
 * An object's fields as the integration user sees them (field-level security removes the
 * others). null when the object does not exist or the integration user cannot read it.
 */
export async function describeObjectFields(conn: Connection, object: string): Promise<DescribedObject | null> {
    try {
        const d = await conn.sobject(object).describe();
        return {
            name: d.name,
            label: d.label,
            fields: d.fields.map((f) => ({
                name: f.name,
                label: f.label,
                type: f.type,
                filterable: f.filterable,
                sortable: f.sortable,
                updateable: f.updateable,
                picklistValues: (f.picklistValues ?? [])
                    .filter((p) => p.active)
                    .map((p) => ({ value: p.value, label: p.label ?? p.value })),
                relationshipName: f.relationshipName ?? null,
                referenceTo: (f.referenceTo ?? []).filter((r): r is string => typeof r === 'string')
            }))
        };
    } catch (error) {
        const code = (error as { errorCode?: string }).errorCode;
        if (code === 'NOT_FOUND' || code === 'INVALID_TYPE') return null;
        throw new Error(`describe ${object}: ${describeError(error)}`);
    }
}
