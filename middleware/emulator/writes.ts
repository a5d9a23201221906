import { SfError } from './errors';
import { normalizeId } from './ids';
import type { Org, SfRecord, UserAccess } from './org';
import type { FieldSchema } from './schema';

/** One change to undo when an all-or-none unit fails. */
type Undo = { object: string; id: string; previous: SfRecord | null };

/**
 * A unit of work: writes apply at once and are recorded so that an all-or-none failure can
 * restore every record it touched (sObject Collections, /composite, /composite/tree).
 */
export class UnitOfWork {
    private readonly log: Undo[] = [];
    constructor(readonly org: Org) {}

    record(object: string, id: string): void {
        const previous = this.org.table(object).rows.get(id);
        this.log.push({ object, id, previous: previous ? { ...previous } : null });
    }

    rollback(): void {
        for (const u of this.log.reverse()) {
            if (u.previous) this.org.put(u.object, u.previous);
            else this.org.purge(u.object, u.id);
        }
        this.log.length = 0;
    }
}

const CLOSED_WON = 'Closed Won';

/** Derived and formula-like fields Salesforce computes on every save. */
export function derive(org: Org, object: string, r: SfRecord): void {
    if (object === 'Contact' || object === 'Lead' || object === 'User') {
        r.Name = [r.FirstName, r.LastName].filter((v) => v !== null && v !== undefined && v !== '').join(' ');
    }
    if (object === 'Opportunity') {
        const stage = String(r.StageName ?? '');
        // IsClosed / IsWon follow the stage's OpportunityStage row (the org's sales process).
        let row: SfRecord | undefined;
        if (org.tables.has('OpportunityStage'))
            for (const s of org.rows('OpportunityStage'))
                if (s.ApiName === stage || s.MasterLabel === stage) {
                    row = s;
                    break;
                }
        r.IsClosed = row ? row.IsClosed === true : stage.startsWith('Closed');
        r.IsWon = row ? row.IsWon === true : stage === CLOSED_WON;
        const amount = typeof r.Amount === 'number' ? r.Amount : null;
        const probability = typeof r.Probability === 'number' ? r.Probability : null;
        r.ExpectedRevenue = amount !== null && probability !== null ? (amount * probability) / 100 : null;
    }
    if (object === 'OpportunityTeamMember') {
        const user = org.get(String(r.UserId ?? ''));
        r.Name = user?.Name ?? null;
        r.Title = user?.Title ?? null;
    }
    if (object === 'User' && (r.Alias === undefined || r.Alias === null)) {
        r.Alias = `${String(r.FirstName ?? '').charAt(0)}${String(r.LastName ?? '')}`.slice(0, 8) || 'user';
    }
}

function fail(status: number, code: string, message: string, fields: string[] = []): never {
    throw new SfError(status, code, message, fields);
}

/** Convert and check one incoming value against its field (type, length, picklist). */
function coerce(org: Org, object: string, field: FieldSchema, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    const bad = (type: string): never =>
        fail(
            400,
            'JSON_PARSER_ERROR',
            `Cannot deserialize instance of ${type} from ${typeof value === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${JSON.stringify(value)} or request may be missing a required field`,
            [field.name]
        );
    switch (field.type) {
        case 'boolean':
            if (typeof value === 'boolean') return value;
            if (value === 'true' || value === 'false') return value === 'true';
            return bad('boolean');
        case 'int': {
            const n = typeof value === 'number' ? value : Number(value);
            if (!Number.isInteger(n)) return bad('int');
            return n;
        }
        case 'double':
        case 'currency':
        case 'percent': {
            const n = typeof value === 'number' ? value : Number(value);
            if (Number.isNaN(n) || (typeof value === 'string' && value.trim() === '')) return bad('double');
            return n;
        }
        case 'date': {
            const s = String(value).slice(0, 10);
            if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) return bad('date');
            return s;
        }
        case 'datetime': {
            const t = Date.parse(String(value).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
            if (Number.isNaN(t)) return bad('datetime');
            return new Date(t).toISOString().replace('Z', '+0000');
        }
        case 'id':
        case 'reference': {
            if (value === '') return null;
            const id = normalizeId(String(value));
            if (!id)
                fail(400, 'MALFORMED_ID', `${field.label}: id value of incorrect type: ${String(value)}`, [field.name]);
            const targetType = org.objectOfId(id);
            const targets = field.referenceTo ?? [];
            if (targets.length > 0 && !targets.includes(targetType ?? '')) {
                // Targets the emulator does not model (e.g. a custom object elsewhere) are taken on trust.
                if (targets.some((t) => !org.tables.has(t))) return id;
                fail(400, 'FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${id}`, [
                    field.name
                ]);
            }
            const target = org.get(id);
            if (!target) fail(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
            if (target.IsDeleted) fail(400, 'ENTITY_IS_DELETED', 'entity is deleted', [field.name]);
            // Salesforce refuses an inactive user as a record's owner (no field named in the error).
            if (field.name === 'OwnerId' && targetType === 'User' && target.IsActive === false)
                fail(
                    400,
                    'INACTIVE_OWNER_OR_USER',
                    `operation performed with inactive user [${id}] as owner of ${object.toLowerCase()}`
                );
            return id;
        }
        default: {
            if (typeof value === 'object') return bad('String');
            const s = String(value);
            const max = field.length ?? 0;
            if (max > 0 && s.length > max && field.type !== 'picklist' && field.type !== 'multipicklist') {
                fail(
                    400,
                    'STRING_TOO_LONG',
                    `${field.label}: data value too large: ${s.slice(0, 40)}${s.length > 40 ? '...' : ''} (max length=${max})`,
                    [field.name]
                );
            }
            if (field.type === 'email' && s !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) {
                fail(400, 'INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${s}`, [field.name]);
            }
            if (field.type === 'multipicklist' && field.restrictedPicklist && field.picklistValues) {
                const badValue = s
                    .split(';')
                    .map((v) => v.trim())
                    .find((v) => v !== '' && !field.picklistValues?.some((p) => p.value === v));
                if (badValue !== undefined)
                    fail(
                        400,
                        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                        `${field.label}: bad value for restricted picklist field: ${badValue}`,
                        [field.name]
                    );
            }
            if (
                field.type === 'picklist' &&
                field.restrictedPicklist &&
                field.picklistValues &&
                !field.picklistValues.some((p) => p.value === s)
            ) {
                fail(
                    400,
                    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                    `${field.label}: bad value for restricted picklist field: ${s}`,
                    [field.name]
                );
            }
            return s;
        }
    }
}

export interface WriteContext {
    org: Org;
    access: UserAccess;
    unit?: UnitOfWork;
    /** Validation rules injected by the fault surface (FIELD_CUSTOM_VALIDATION_EXCEPTION). */
    validate?: (object: string, operation: 'create' | 'update' | 'upsert' | 'delete', record: SfRecord) => void;
}

function checkFields(
    ctx: WriteContext,
    object: string,
    body: Record<string, unknown>,
    mode: 'create' | 'update'
): Record<string, { field: FieldSchema; value: unknown }> {
    const out: Record<string, { field: FieldSchema; value: unknown }> = {};
    const refused: string[] = [];
    for (const [key, value] of Object.entries(body)) {
        if (key === 'attributes' || key.toLowerCase() === 'id') continue;
        const field = ctx.org.field(object, key);
        if (!field || (!ctx.access.fieldRead(object, field.name) && !ctx.access.fieldEdit(object, field.name))) {
            fail(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${object}`, [key]);
        }
        const allowed = mode === 'create' ? field.createable : field.updateable;
        if (!allowed || !ctx.access.fieldEdit(object, field.name)) {
            refused.push(field.name);
            continue;
        }
        out[field.name] = { field, value: coerce(ctx.org, object, field, value) };
    }
    if (refused.length > 0) {
        fail(
            400,
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            `Unable to create/update fields: ${refused.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
            refused
        );
    }
    return out;
}

function checkUnique(ctx: WriteContext, object: string, r: SfRecord): void {
    for (const f of ctx.org.table(object).schema.fields) {
        if (!(f.unique || f.externalId) || f.name === 'Id') continue;
        if (!f.unique) continue;
        const v = r[f.name];
        if (v === null || v === undefined || v === '') continue;
        const clash = ctx.org.findByUnique(object, f.name, v).find((other) => other.Id !== r.Id);
        if (clash)
            fail(
                400,
                'DUPLICATE_VALUE',
                `duplicate value found: ${f.name} duplicates value on record with id: ${clash.Id}`,
                [f.name]
            );
    }
}

function checkIntegrity(org: Org, object: string, r: SfRecord): void {
    if (
        (object === 'Task' || object === 'Event') &&
        r.WhoId &&
        r.WhatId &&
        org.objectOfId(String(r.WhoId)) === 'Lead'
    ) {
        fail(
            400,
            'FIELD_INTEGRITY_EXCEPTION',
            "Related To ID: You can't associate a lead with a Related To (WhatId) record: when Name (WhoId) is a lead, Related To must be empty.",
            ['WhatId']
        );
    }
}

export function createRecord(ctx: WriteContext, objectName: string, body: Record<string, unknown>): SfRecord {
    const { org, access } = ctx;
    const object = org.objectName(objectName);
    const schema = org.table(object).schema;
    if (!schema.createable || !access.object(object).create) {
        fail(
            400,
            'INSUFFICIENT_ACCESS_OR_READONLY',
            `insufficient access rights on object id: you cannot create ${object} records`
        );
    }
    const idKey = Object.keys(body).find((k) => k.toLowerCase() === 'id');
    if (idKey && body[idKey] !== null && body[idKey] !== undefined && body[idKey] !== '')
        fail(400, 'INVALID_FIELD', 'Id: cannot specify Id in an insert call', ['Id']);
    const values = checkFields(ctx, object, body, 'create');
    const now = org.now();
    const r: SfRecord = { Id: org.ids.next(schema.keyPrefix) };
    for (const f of schema.fields) {
        if (f.name === 'Id') continue;
        if (f.name in values) r[f.name] = values[f.name]!.value;
        else if (f.defaultedOnCreate && f.defaultValue !== undefined) r[f.name] = f.defaultValue;
        else if (f.type === 'boolean') r[f.name] = f.defaultValue ?? false;
        else r[f.name] = null;
    }
    if (schema.fields.some((f) => f.name === 'OwnerId') && !r.OwnerId) r.OwnerId = access.userId;
    Object.assign(r, {
        IsDeleted: false,
        CreatedDate: now,
        CreatedById: access.userId,
        LastModifiedDate: now,
        LastModifiedById: access.userId,
        SystemModstamp: now
    });
    const missing = schema.fields.filter(
        (f) =>
            !f.nillable &&
            f.createable &&
            !f.defaultedOnCreate &&
            f.type !== 'boolean' &&
            (r[f.name] === null || r[f.name] === '')
    );
    if (missing.length > 0)
        fail(
            400,
            'REQUIRED_FIELD_MISSING',
            `Required fields are missing: [${missing.map((f) => f.name).join(', ')}]`,
            missing.map((f) => f.name)
        );
    derive(org, object, r);
    checkIntegrity(org, object, r);
    checkUnique(ctx, object, r);
    ctx.validate?.(object, 'create', r);
    ctx.unit?.record(object, r.Id);
    org.put(object, r);
    return r;
}

function visibleRecord(ctx: WriteContext, object: string, id: string): SfRecord {
    const norm = normalizeId(id);
    if (!norm) fail(400, 'MALFORMED_ID', `malformed id ${id}`);
    const r = ctx.org.table(object).rows.get(norm);
    if (!r) fail(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (r.IsDeleted) fail(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
    // A record that is not shared with the user: DML answers as for one they cannot edit.
    if (!ctx.org.canSee(ctx.access, object, r))
        fail(400, 'INSUFFICIENT_ACCESS_OR_READONLY', `insufficient access rights on object id: ${r.Id}`);
    return r;
}

export function updateRecord(
    ctx: WriteContext,
    objectName: string,
    id: string,
    body: Record<string, unknown>
): SfRecord {
    const { org, access } = ctx;
    const object = org.objectName(objectName);
    const schema = org.table(object).schema;
    const existing = visibleRecord(ctx, object, id);
    if (!schema.updateable || !access.object(object).edit || !org.canModify(access, object, existing)) {
        fail(400, 'INSUFFICIENT_ACCESS_OR_READONLY', `insufficient access rights on object id: ${existing.Id}`);
    }
    const values = checkFields(ctx, object, body, 'update');
    const r: SfRecord = { ...existing };
    for (const [name, v] of Object.entries(values)) r[name] = v.value;
    const missing = schema.fields.filter(
        (f) =>
            !f.nillable &&
            f.updateable &&
            f.type !== 'boolean' &&
            f.name in values &&
            (r[f.name] === null || r[f.name] === '')
    );
    if (missing.length > 0)
        fail(
            400,
            'REQUIRED_FIELD_MISSING',
            `Required fields are missing: [${missing.map((f) => f.name).join(', ')}]`,
            missing.map((f) => f.name)
        );
    const now = org.now();
    Object.assign(r, { LastModifiedDate: now, LastModifiedById: access.userId, SystemModstamp: now });
    derive(org, object, r);
    checkIntegrity(org, object, r);
    checkUnique(ctx, object, r);
    ctx.validate?.(object, 'update', r);
    ctx.unit?.record(object, r.Id);
    org.put(object, r);
    return r;
}

export function deleteRecord(ctx: WriteContext, objectName: string, id: string): void {
    const { org, access } = ctx;
    const object = org.objectName(objectName);
    const schema = org.table(object).schema;
    const existing = visibleRecord(ctx, object, id);
    if (!schema.deletable || !access.object(object).delete || !org.canModify(access, object, existing)) {
        fail(400, 'INSUFFICIENT_ACCESS_OR_READONLY', `insufficient access rights on object id: ${existing.Id}`);
    }
    ctx.validate?.(object, 'delete', existing);
    const now = org.now();
    const tombstone = (o: string, r: SfRecord) => {
        ctx.unit?.record(o, r.Id);
        org.put(o, {
            ...r,
            IsDeleted: true,
            SystemModstamp: now,
            LastModifiedDate: now,
            LastModifiedById: access.userId
        });
    };
    tombstone(object, existing);
    // Cascade to master-detail-like children (contact roles, team members, relations).
    for (const rel of schema.childRelationships) {
        if (!rel.cascadeDelete) continue;
        for (const child of [...org.rows(rel.childSObject)]) {
            if (!child.IsDeleted && child[rel.field] === existing.Id) tombstone(rel.childSObject, child);
        }
    }
}

export interface UpsertResult {
    record: SfRecord;
    created: boolean;
}

/** Upsert by external id: 201 new, 200 existing; 300 when several records match. */
export function upsertRecord(
    ctx: WriteContext,
    objectName: string,
    externalField: string,
    value: string,
    body: Record<string, unknown>
): UpsertResult {
    const { org } = ctx;
    const object = org.objectName(objectName);
    const field = org.field(object, externalField);
    if (!field || !(field.externalId || field.idLookup) || !ctx.access.fieldRead(object, field.name)) {
        fail(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${externalField}`);
    }
    const matches =
        field.name === 'Id'
            ? [org.get(value)].filter((r): r is SfRecord => !!r && !r.IsDeleted)
            : org.findByUnique(object, field.name, value).filter((r) => org.canSee(ctx.access, object, r));
    if (matches.length > 1) {
        throw Object.assign(
            new SfError(
                300,
                'MULTIPLE_CHOICES',
                `more than one record found for external id field: ${matches.map((m) => m.Id).join(',')}`
            ),
            { ids: matches.map((m) => m.Id) }
        );
    }
    const bodyValue = Object.entries(body).find(([k]) => k.toLowerCase() === field.name.toLowerCase())?.[1];
    if (bodyValue !== undefined && String(bodyValue) !== value) {
        fail(
            400,
            'INVALID_FIELD',
            `The value for the external ID field (${field.name}) in the body does not match the value in the URL`,
            [field.name]
        );
    }
    const rest = Object.fromEntries(Object.entries(body).filter(([k]) => k.toLowerCase() !== field.name.toLowerCase()));
    const existing = matches[0];
    // Validation rules (and faults aimed at `upsert`) see the call as an upsert, whichever way it goes.
    const validate = ctx.validate;
    const inner: WriteContext = validate ? { ...ctx, validate: (o, _op, r) => validate(o, 'upsert', r) } : ctx;
    if (existing) return { record: updateRecord(inner, object, existing.Id, rest), created: false };
    return {
        record: createRecord(inner, object, field.name === 'Id' ? rest : { ...rest, [field.name]: value }),
        created: true
    };
}
