import { SfError, notFound } from './errors';
import { normalizeId } from './ids';
import type { SfRecord } from './org';
import { applyFaults, sobjectName, writeContext, type RestRequest, type RestResult } from './rest-context';
import { replicationResource } from './replication';
import { attributes } from './soql';
import type { EmulatorState, Session } from './state';
import { createRecord, deleteRecord, updateRecord, upsertRecord } from './writes';

export function serialize(
    state: EmulatorState,
    session: Session,
    object: string,
    r: SfRecord,
    version: string,
    fields?: string[]
): Record<string, unknown> {
    const access = state.org.access(session.userId);
    const out: Record<string, unknown> = { attributes: attributes(state.org, object, r.Id, version) };
    const names = fields ?? state.org.table(object).schema.fields.map((f) => f.name);
    for (const name of names) {
        const f = state.org.field(object, name);
        if (!f || !access.fieldRead(object, f.name)) {
            if (fields)
                throw new SfError(
                    400,
                    'INVALID_FIELD',
                    `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
                );
            continue;
        }
        if (f.type === 'address') continue;
        out[f.name] = r[f.name] ?? null;
    }
    return out;
}

export function describeObject(
    state: EmulatorState,
    session: Session,
    object: string,
    version: string
): Record<string, unknown> {
    const { org } = state;
    const access = org.access(session.userId);
    const t = org.table(object);
    const a = access.object(object);
    if (!a.read) throw notFound();
    const s = t.schema;
    return {
        name: s.name,
        label: s.label,
        labelPlural: s.labelPlural,
        keyPrefix: s.keyPrefix,
        custom: s.custom ?? false,
        queryable: s.queryable,
        createable: s.createable && a.create,
        updateable: s.updateable && a.edit,
        deletable: s.deletable && a.delete,
        retrieveable: true,
        searchable: s.searchable ?? true,
        layoutable: true,
        urls: {
            sobject: `/services/data/v${version}/sobjects/${s.name}`,
            describe: `/services/data/v${version}/sobjects/${s.name}/describe`,
            rowTemplate: `/services/data/v${version}/sobjects/${s.name}/{ID}`
        },
        childRelationships: s.childRelationships.map((c) => ({
            childSObject: c.childSObject,
            field: c.field,
            relationshipName: c.relationshipName,
            cascadeDelete: c.cascadeDelete ?? false,
            deprecatedAndHidden: false,
            restrictedDelete: false
        })),
        recordTypeInfos: [],
        fields: s.fields
            .filter((f) => access.fieldRead(object, f.name))
            .map((f) => ({
                name: f.name,
                label: f.label,
                type: f.type,
                soapType: soapType(f.type),
                length: f.length ?? 0,
                byteLength: (f.length ?? 0) * 3,
                precision: f.precision ?? 0,
                scale: f.scale ?? 0,
                digits: f.type === 'int' ? 9 : 0,
                nillable: f.nillable,
                createable: f.createable && access.fieldEdit(object, f.name),
                updateable: f.updateable && access.fieldEdit(object, f.name),
                defaultedOnCreate: f.defaultedOnCreate ?? false,
                defaultValue: f.defaultValue ?? null,
                calculated: f.calculated ?? false,
                unique: f.unique ?? false,
                externalId: f.externalId ?? false,
                caseSensitive: f.caseSensitive ?? false,
                idLookup: f.idLookup ?? false,
                nameField: f.nameField ?? false,
                custom: f.custom ?? false,
                filterable: f.filterable ?? true,
                sortable: f.sortable ?? true,
                groupable: f.groupable ?? f.type !== 'textarea',
                aggregatable: true,
                restrictedPicklist: f.restrictedPicklist ?? false,
                picklistValues: (f.picklistValues ?? []).map((p) => ({
                    value: p.value,
                    label: p.label ?? p.value,
                    active: p.active ?? true,
                    defaultValue: p.defaultValue ?? false,
                    validFor: null
                })),
                referenceTo: f.referenceTo ?? [],
                relationshipName: f.relationshipName ?? null,
                compoundFieldName: f.compoundFieldName ?? null,
                deprecatedAndHidden: false,
                permissionable: !f.calculated && f.nillable
            }))
    };
}

function soapType(type: string): string {
    return (
        (
            {
                id: 'tns:ID',
                reference: 'tns:ID',
                boolean: 'xsd:boolean',
                int: 'xsd:int',
                double: 'xsd:double',
                currency: 'xsd:double',
                percent: 'xsd:double',
                date: 'xsd:date',
                datetime: 'xsd:dateTime',
                address: 'urn:address',
                anyType: 'xsd:anyType'
            } as Record<string, string>
        )[type] ?? 'xsd:string'
    );
}

/** Object sub-resources of the real API the emulator does not serve (answered 404 NOT_FOUND). */
export const NOT_EMULATED = new Set([
    'listviews',
    'quickActions',
    'layouts',
    'compactLayouts',
    'eventSchema',
    'relevantItems',
    'richTextImageFields',
    'platformaction'
]);

/** /sobjects: describeGlobal, describe, create, retrieve, update, delete, upsert and retrieve by external id. */
export async function sobjectsResource(
    state: EmulatorState,
    req: RestRequest,
    segments: string[]
): Promise<RestResult> {
    const { org } = state;
    const { method, version, session } = req;
    const [a, b, c] = segments;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!a) {
        const access = org.access(session.userId);
        return {
            status: 200,
            body: {
                encoding: 'UTF-8',
                maxBatchSize: 200,
                sobjects: [...org.tables.values()]
                    .filter((t) => access.object(t.schema.name).read)
                    .map((t) => ({
                        name: t.schema.name,
                        label: t.schema.label,
                        labelPlural: t.schema.labelPlural,
                        keyPrefix: t.schema.keyPrefix,
                        custom: t.schema.custom ?? false,
                        queryable: true,
                        createable: t.schema.createable && access.object(t.schema.name).create,
                        updateable: t.schema.updateable && access.object(t.schema.name).edit,
                        deletable: t.schema.deletable && access.object(t.schema.name).delete,
                        retrieveable: true,
                        searchable: t.schema.searchable ?? true,
                        urls: {
                            sobject: `/services/data/v${version}/sobjects/${t.schema.name}`,
                            describe: `/services/data/v${version}/sobjects/${t.schema.name}/describe`
                        }
                    }))
            }
        };
    }
    // An unknown object, or one the user has no access to, is not there for the REST API.
    const object = sobjectName(state, session, a);
    // Resources below an object the emulator does not answer: 404, never a misleading 400.
    if (segments.length > 3 || (b === 'describe' && c) || (b !== undefined && NOT_EMULATED.has(b))) throw notFound();
    if ((b === 'updated' || b === 'deleted') && !c) return replicationResource(state, req, object, b);
    if (b === 'describe' && !c) {
        await applyFaults(state, 'describe', object, session);
        return { status: 200, body: describeObject(state, session, object, version) };
    }
    if (!b) {
        if (method === 'POST') {
            await applyFaults(state, 'create', object, session);
            const r = createRecord(writeContext(state, session), object, body);
            return { status: 201, body: { id: r.Id, success: true, errors: [] } };
        }
        if (method === 'GET') {
            const d = describeObject(state, session, object, version);
            return {
                status: 200,
                body: {
                    objectDescribe: { name: d.name, label: d.label, keyPrefix: d.keyPrefix, urls: d.urls },
                    recentItems: []
                }
            };
        }
        throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,POST`);
    }
    if (c !== undefined) {
        // /sobjects/Object/ExternalIdField/value
        if (method === 'PATCH' || method === 'POST') {
            await applyFaults(state, 'upsert', object, session);
            const result = upsertRecord(writeContext(state, session), object, b, c, body);
            return {
                status: result.created ? 201 : 200,
                body: { id: result.record.Id, success: true, errors: [], created: result.created }
            };
        }
        if (method === 'GET') {
            // /sobjects/Object/<id>/<relationship> (not emulated) or an unknown external id field.
            const field = org.field(object, b);
            if (!field || !(field.externalId || field.idLookup))
                throw notFound(`Provided external ID field does not exist or is not accessible: ${b}`);
            await applyFaults(state, 'retrieve', object, session);
            const matches = org
                .findByUnique(object, b, c)
                .filter((r) => org.canSee(org.access(session.userId), object, r));
            if (matches.length === 0) throw notFound();
            if (matches.length > 1)
                throw Object.assign(new SfError(300, 'MULTIPLE_CHOICES', 'several records'), {
                    ids: matches.map((m) => m.Id)
                });
            return { status: 200, body: serialize(state, session, object, matches[0]!, version) };
        }
        throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,PATCH`);
    }
    // /sobjects/Object/id
    if (method === 'GET') {
        await applyFaults(state, 'retrieve', object, session);
        const id = normalizeId(b);
        const r = id ? org.table(object).rows.get(id) : undefined;
        if (!r || r.IsDeleted || !org.canSee(org.access(session.userId), object, r)) throw notFound();
        const fields = req.query
            .get('fields')
            ?.split(',')
            .map((f) => f.trim())
            .filter(Boolean);
        return { status: 200, body: serialize(state, session, object, r, version, fields) };
    }
    if (method === 'PATCH') {
        await applyFaults(state, 'update', object, session);
        updateRecord(writeContext(state, session), object, b, body);
        return { status: 204 };
    }
    if (method === 'DELETE') {
        await applyFaults(state, 'delete', object, session);
        deleteRecord(writeContext(state, session), object, b);
        return { status: 204 };
    }
    throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,PATCH,DELETE`);
}
