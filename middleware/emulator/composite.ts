import { SfError, notFound } from './errors';
import type { Operation } from './faults';
import { normalizeId } from './ids';
import {
    applyFaults,
    collectionError,
    MAX_COLLECTION,
    ROLLED_BACK,
    sobjectName,
    writeContext,
    type Dispatch,
    type RestRequest,
    type RestResult
} from './rest-context';
import { serialize } from './sobjects';
import type { EmulatorState } from './state';
import { createRecord, deleteRecord, UnitOfWork, updateRecord, upsertRecord } from './writes';

export async function compositeResource(
    state: EmulatorState,
    req: RestRequest,
    rest: string[],
    dispatch: Dispatch
): Promise<RestResult> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { org } = state;
    const { session, version, method } = req;
    const [kind, objectArg, extField] = rest;

    if (kind === 'sobjects') {
        const allOrNone = method === 'DELETE' ? req.query.get('allOrNone') === 'true' : body.allOrNone === true;
        if ((method === 'GET' || method === 'POST') && objectArg && !extField) {
            // Retrieve: GET ?ids=&fields= or POST {ids, fields} (jsforce uses the POST form).
            const object = org.objectName(objectArg);
            const ids =
                method === 'GET'
                    ? (req.query.get('ids') ?? '').split(',').filter(Boolean)
                    : ((body.ids ?? []) as string[]).map(String);
            const fields =
                method === 'GET'
                    ? (req.query.get('fields') ?? '').split(',').filter(Boolean)
                    : ((body.fields ?? []) as string[]).map(String);
            if (ids.length > MAX_COLLECTION)
                throw new SfError(400, 'EXCEEDED_ID_LIMIT', `Exceeded max limit of ${MAX_COLLECTION} ids`);
            await applyFaults(state, 'retrieve', object, session);
            return {
                status: 200,
                body: ids.map((id) => {
                    const n = normalizeId(id);
                    const r = n ? org.table(object).rows.get(n) : undefined;
                    return r && !r.IsDeleted && org.canSee(org.access(session.userId), object, r)
                        ? serialize(state, session, object, r, version, fields.length ? fields : undefined)
                        : null;
                })
            };
        }
        const records: Record<string, unknown>[] =
            method === 'DELETE'
                ? (req.query.get('ids') ?? '')
                      .split(',')
                      .filter(Boolean)
                      .map((Id) => ({ Id }))
                : ((body.records ?? []) as Record<string, unknown>[]);
        if (!Array.isArray(records)) throw new SfError(400, 'JSON_PARSER_ERROR', 'records must be an array');
        if (records.length > MAX_COLLECTION)
            throw new SfError(
                400,
                'EXCEEDED_ID_LIMIT',
                `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`
            );
        const unit = new UnitOfWork(org);
        const ctx = writeContext(state, session, unit);
        const operation: Operation =
            method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : extField ? 'upsert' : 'update';
        const results: Record<string, unknown>[] = [];
        let failed = false;
        for (const rec of records) {
            // Field names are case-insensitive in Salesforce (jsforce sends `id` in collection updates).
            const recordId = (rec.Id ?? rec.id) as string | undefined;
            const type = String(
                (rec.attributes as { type?: string } | undefined)?.type ??
                    objectArg ??
                    (method === 'DELETE' ? org.objectOfId(String(rec.Id)) : '')
            );
            try {
                await applyFaults(state, operation, type, session);
                if (method === 'POST') {
                    if (recordId)
                        throw new SfError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
                    const r = createRecord(ctx, type, rec);
                    results.push({ id: r.Id, success: true, errors: [] });
                } else if (method === 'PATCH' && extField) {
                    const object = org.objectName(objectArg ?? type);
                    const f = org.field(object, extField);
                    const value = f
                        ? (rec[f.name] ??
                          Object.entries(rec).find(([k]) => k.toLowerCase() === extField.toLowerCase())?.[1])
                        : undefined;
                    if (value === undefined || value === null)
                        throw new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${extField}]`, [
                            extField
                        ]);
                    const out = upsertRecord(
                        ctx,
                        object,
                        extField,
                        String(value),
                        Object.fromEntries(Object.entries(rec).filter(([k]) => k !== 'attributes'))
                    );
                    results.push({ id: out.record.Id, success: true, errors: [], created: out.created });
                } else if (method === 'PATCH') {
                    if (!recordId)
                        throw new SfError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
                    const r = updateRecord(ctx, type, String(recordId), rec);
                    results.push({ id: r.Id, success: true, errors: [] });
                } else if (method === 'DELETE') {
                    const object = org.objectOfId(normalizeId(String(recordId)) ?? '');
                    if (!object) throw new SfError(400, 'MALFORMED_ID', `malformed id ${String(recordId)}`);
                    deleteRecord(ctx, object, String(recordId));
                    results.push({ id: normalizeId(String(recordId)), success: true, errors: [] });
                } else {
                    throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed`);
                }
            } catch (error) {
                if (
                    error instanceof SfError &&
                    (error.status === 401 || error.errorCode === 'REQUEST_LIMIT_EXCEEDED' || error.status >= 500)
                ) {
                    unit.rollback();
                    throw error;
                }
                failed = true;
                // Upsert results always say `created` (false when the record failed).
                results.push({
                    ...(recordId ? { id: recordId } : {}),
                    success: false,
                    errors: [collectionError(error)],
                    ...(extField ? { created: false } : {})
                });
                // allOrNone: Salesforce still validates the other records, so each invalid one
                // reports its own error; the valid ones are rolled back below.
            }
        }
        if (failed && allOrNone) {
            unit.rollback();
            return {
                status: 200,
                body: records.map((rec, i) => {
                    const r = results[i];
                    if (r && r.success === false) return r;
                    const id = method === 'POST' || extField ? undefined : normalizeId(String(rec.Id ?? rec.id ?? ''));
                    return {
                        ...(id ? { id } : {}),
                        success: false,
                        errors: [ROLLED_BACK],
                        ...(extField ? { created: false } : {})
                    };
                })
            };
        }
        return { status: 200, body: results };
    }

    if (kind === 'tree' && objectArg && method === 'POST') {
        const object = org.objectName(objectArg);
        const unit = new UnitOfWork(org);
        const ctx = writeContext(state, session, unit);
        const results: { referenceId: string; id: string }[] = [];
        const errors: { referenceId: string; errors: { statusCode: string; message: string; fields: string[] }[] }[] =
            [];
        const top = (body.records ?? []) as Record<string, unknown>[];
        let count = 0;
        const insert = (type: string, rec: Record<string, unknown>, parent?: { field: string; id: string }) => {
            count++;
            const ref = String((rec.attributes as { referenceId?: string } | undefined)?.referenceId ?? '');
            const fields: Record<string, unknown> = {};
            const children: [string, Record<string, unknown>[]][] = [];
            for (const [k, v] of Object.entries(rec)) {
                if (k === 'attributes') continue;
                if (v && typeof v === 'object' && Array.isArray((v as { records?: unknown }).records))
                    children.push([k, (v as { records: Record<string, unknown>[] }).records]);
                else fields[k] = v;
            }
            if (parent) fields[parent.field] = parent.id;
            try {
                const r = createRecord(ctx, type, fields);
                results.push({ referenceId: ref, id: r.Id });
                for (const [relName, childRecords] of children) {
                    const rel = org
                        .table(type)
                        .schema.childRelationships.find(
                            (c) => c.relationshipName.toLowerCase() === relName.toLowerCase()
                        );
                    if (!rel)
                        throw new SfError(400, 'INVALID_FIELD', `No such relationship ${relName} on ${type}`, [
                            relName
                        ]);
                    for (const child of childRecords) insert(rel.childSObject, child, { field: rel.field, id: r.Id });
                }
            } catch (error) {
                errors.push({ referenceId: ref, errors: [collectionError(error)] });
            }
        };
        for (const rec of top) insert(String((rec.attributes as { type?: string } | undefined)?.type ?? object), rec);
        if (count > MAX_COLLECTION) {
            unit.rollback();
            throw new SfError(400, 'INVALID_REQUEST', `A single request can contain up to ${MAX_COLLECTION} records`);
        }
        if (errors.length > 0) {
            unit.rollback();
            return { status: 400, body: { hasErrors: true, results: errors } };
        }
        return { status: 201, body: { hasErrors: false, results } };
    }

    if (kind === undefined && method === 'POST') {
        const subs = (body.compositeRequest ?? []) as {
            method: string;
            url: string;
            referenceId: string;
            body?: unknown;
        }[];
        if (!Array.isArray(subs) || subs.length > 25)
            throw new SfError(400, 'INVALID_REQUEST', 'compositeRequest must be an array of at most 25 subrequests');
        const allOrNone = body.allOrNone === true;
        const unit = new UnitOfWork(org);
        const byRef = new Map<string, unknown>();
        const responses: {
            body: unknown;
            httpHeaders: Record<string, string>;
            httpStatusCode: number;
            referenceId: string;
        }[] = [];
        const resolveRefs = (value: unknown): unknown => {
            if (typeof value === 'string') {
                return value.replace(/@\{([\w]+)((?:\.[\w]+|\[\d+\])+)\}/g, (_m, ref: string, path: string) => {
                    let cur: unknown = byRef.get(ref);
                    for (const part of path.match(/\.[\w]+|\[\d+\]/g) ?? []) {
                        const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1);
                        cur = (cur as Record<string | number, unknown> | undefined)?.[key];
                    }
                    if (cur === undefined)
                        throw new SfError(
                            400,
                            'INVALID_REFERENCE',
                            `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`
                        );
                    return String(cur);
                });
            }
            if (Array.isArray(value)) return value.map(resolveRefs);
            if (value && typeof value === 'object')
                return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v)]));
            return value;
        };
        let failed = false;
        for (const sub of subs) {
            if (failed && allOrNone) {
                responses.push({
                    body: [
                        {
                            errorCode: 'PROCESSING_HALTED',
                            message:
                                'The transaction was rolled back since another operation in the same transaction failed.'
                        }
                    ],
                    httpHeaders: {},
                    httpStatusCode: 400,
                    referenceId: sub.referenceId
                });
                continue;
            }
            try {
                const url = new URL(String(resolveRefs(sub.url)), 'http://emulator');
                const m = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(url.pathname);
                if (!m) throw new SfError(400, 'INVALID_REQUEST', `Invalid URL: ${sub.url}`);
                const result = await dispatchInUnit(
                    state,
                    {
                        method: sub.method.toUpperCase(),
                        path: m[2]!,
                        query: url.searchParams,
                        body: resolveRefs(sub.body),
                        session,
                        version: m[1]!
                    },
                    unit,
                    dispatch
                );
                byRef.set(sub.referenceId, result.body);
                responses.push({
                    body: result.body ?? null,
                    httpHeaders: {},
                    httpStatusCode: result.status,
                    referenceId: sub.referenceId
                });
            } catch (error) {
                failed = true;
                const e = error instanceof SfError ? error : new SfError(500, 'UNKNOWN_EXCEPTION', String(error));
                responses.push({
                    body: [e.toJSON()],
                    httpHeaders: {},
                    httpStatusCode: e.status,
                    referenceId: sub.referenceId
                });
            }
        }
        if (failed && allOrNone) {
            unit.rollback();
            for (const r of responses) {
                if (r.httpStatusCode < 300) {
                    r.body = [
                        {
                            errorCode: 'PROCESSING_HALTED',
                            message:
                                'The transaction was rolled back since another operation in the same transaction failed.'
                        }
                    ];
                    r.httpStatusCode = 400;
                }
            }
        }
        return { status: 200, body: { compositeResponse: responses } };
    }
    throw notFound();
}

/** /composite sub-requests that write join the composite's unit of work (for allOrNone). */
async function dispatchInUnit(
    state: EmulatorState,
    req: RestRequest,
    unit: UnitOfWork,
    dispatch: Dispatch
): Promise<RestResult> {
    const segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    const [head, a, b, c] = segments;
    if (head !== 'sobjects' || !a || req.method === 'GET') return dispatch(state, req);
    const object = sobjectName(state, req.session, a);
    const ctx = writeContext(state, req.session, unit);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!b && req.method === 'POST') {
        await applyFaults(state, 'create', object, req.session);
        const r = createRecord(ctx, object, body);
        return { status: 201, body: { id: r.Id, success: true, errors: [] } };
    }
    if (b && c !== undefined && req.method === 'PATCH') {
        await applyFaults(state, 'upsert', object, req.session);
        const r = upsertRecord(ctx, object, b, c, body);
        return {
            status: r.created ? 201 : 200,
            body: { id: r.record.Id, success: true, errors: [], created: r.created }
        };
    }
    if (b && req.method === 'PATCH') {
        await applyFaults(state, 'update', object, req.session);
        updateRecord(ctx, object, b, body);
        return { status: 204 };
    }
    if (b && req.method === 'DELETE') {
        await applyFaults(state, 'delete', object, req.session);
        deleteRecord(ctx, object, b);
        return { status: 204 };
    }
    return dispatch(state, req);
}
