import { SfError } from './errors';
import { faultError, type Operation } from './faults';
import { normalizeId } from './ids';
import type { Org } from './org';
import { writeContext } from './rest-context';
import type { EmulatorState, Session } from './state';
import { createRecord, deleteRecord, updateRecord, upsertRecord } from './writes';

/** The operations of a Bulk API ingest job (2.0) or batch (1.0). */
export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export const BULK_OPERATIONS: readonly BulkOperation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];

export interface RowResult {
    id: string | null;
    success: boolean;
    created: boolean;
    error: SfError | null;
}

/** The fault-surface operation a bulk row counts as. */
const FAULT_OPERATION: Record<BulkOperation, Operation> = {
    insert: 'create',
    update: 'update',
    upsert: 'upsert',
    delete: 'delete',
    hardDelete: 'delete'
};

/**
 * `Relationship.ExternalIdField` columns (`Account.External_Id__c`) name the parent by an external
 * id; turn them into the reference field (`AccountId`) with the parent's id.
 */
function resolveRelationships(org: Org, object: string, row: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
        const dot = key.indexOf('.');
        if (dot < 0) {
            out[key] = value;
            continue;
        }
        const relName = key.slice(0, dot);
        const extField = key.slice(dot + 1);
        const ref = org
            .table(object)
            .schema.fields.find(
                (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === relName.toLowerCase()
            );
        if (!ref) throw new SfError(400, 'INVALID_FIELD', `No such column '${key}' on entity '${object}'`, [key]);
        if (value === null || value === undefined || value === '') {
            out[ref.name] = value === '' ? undefined : null;
            continue;
        }
        const target = (ref.referenceTo ?? []).find((t) => org.tables.has(t) && org.field(t, extField));
        if (!target) throw new SfError(400, 'INVALID_FIELD', `No such column '${key}' on entity '${object}'`, [key]);
        const matches = org.findByUnique(target, org.requireField(target, extField).name, value);
        if (matches.length === 0)
            throw new SfError(
                400,
                'INVALID_FIELD',
                `Foreign key external ID: ${String(value)} not found for field ${extField} in entity ${target}`,
                [key]
            );
        if (matches.length > 1)
            throw new SfError(
                400,
                'INVALID_FIELD',
                `Foreign key external ID: ${String(value)} matched more than one record in entity ${target}`,
                [key]
            );
        out[ref.name] = matches[0]!.Id;
    }
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/**
 * Apply one bulk operation to rows, each on its own (Bulk API jobs are never all-or-none). Row
 * faults (UNABLE_TO_LOCK_ROW, SERVER_ERROR, REQUEST_LIMIT_EXCEEDED, and
 * FIELD_CUSTOM_VALIDATION_EXCEPTION through the write path) injected for the row's operation
 * fail that row, as a lock or a validation rule does on a real org.
 */
export function applyBulkRows(
    state: EmulatorState,
    session: Session,
    object: string,
    operation: BulkOperation,
    externalIdFieldName: string | null,
    rows: Record<string, unknown>[]
): RowResult[] {
    const { org } = state;
    const ctx = writeContext(state, session);
    const faultOperation = FAULT_OPERATION[operation];
    return rows.map((input) => {
        const idKey = Object.keys(input).find((k) => k.toLowerCase() === 'id');
        const givenId = idKey && input[idKey] ? String(input[idKey]) : null;
        try {
            const f = state.faults.take(faultOperation, object, [
                'UNABLE_TO_LOCK_ROW',
                'SERVER_ERROR',
                'REQUEST_LIMIT_EXCEEDED'
            ]);
            if (f) throw faultError(f);
            const row = resolveRelationships(org, object, input);
            switch (operation) {
                case 'insert': {
                    const r = createRecord(ctx, object, row);
                    return { id: r.Id, success: true, created: true, error: null };
                }
                case 'update': {
                    if (!givenId)
                        throw new SfError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
                    const { [idKey!]: _id, ...rest } = row;
                    const r = updateRecord(ctx, object, givenId, rest);
                    return { id: r.Id, success: true, created: false, error: null };
                }
                case 'upsert': {
                    const field = externalIdFieldName ?? 'Id';
                    const key = Object.keys(row).find((k) => k.toLowerCase() === field.toLowerCase());
                    const value = key ? row[key] : undefined;
                    if (value === undefined || value === null || value === '')
                        throw new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${field}]`, [
                            field
                        ]);
                    // The Id column only counts when it is the upsert key.
                    const body = Object.fromEntries(Object.entries(row).filter(([k]) => k.toLowerCase() !== 'id'));
                    const out = upsertRecord(ctx, object, field, String(value), body);
                    return { id: out.record.Id, success: true, created: out.created, error: null };
                }
                case 'delete':
                case 'hardDelete': {
                    if (!givenId)
                        throw new SfError(400, 'MISSING_ARGUMENT', 'Id not specified in a delete call', ['Id']);
                    const id = normalizeId(givenId);
                    if (!id || org.objectOfId(id) !== object)
                        throw new SfError(400, 'MALFORMED_ID', `bad id ${givenId}`, ['Id']);
                    deleteRecord(ctx, object, id);
                    if (operation === 'hardDelete') org.purge(object, id);
                    return { id, success: true, created: false, error: null };
                }
            }
        } catch (error) {
            const e =
                error instanceof SfError
                    ? error
                    : new SfError(500, 'UNKNOWN_EXCEPTION', error instanceof Error ? error.message : String(error));
            return { id: givenId ? normalizeId(givenId) : null, success: false, created: false, error: e };
        }
    });
}

/** Salesforce's `sf__Error` text: `CODE:message:field,field --`. */
export function bulkErrorText(e: SfError): string {
    return `${e.errorCode}:${e.message}:${e.fields.join(',')} --`;
}
