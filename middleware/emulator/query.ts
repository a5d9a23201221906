import { randomBytes } from 'node:crypto';
import { SfError } from './errors';
import { normalizeId } from './ids';
import type { SfRecord } from './org';
import { applyFaults, type RestRequest, type RestResult } from './rest-context';
import { SYSTEM_PERMISSIONS } from './schema';
import { executeQuery, parse } from './soql';
import type { Cursor, EmulatorState, Session } from './state';

const PAGE_SIZE = 2000;

/**
 * Rows of the virtual access objects (UserPermissionAccess, UserEntityAccess, UserFieldAccess),
 * computed at query time for the session user and for every user id the query names (Salesforce
 * answers them for the running user unless the query filters on UserId / DurableId).
 */
function materializeVirtual(state: EmulatorState, object: string, userIds: string[]): void {
    const { org } = state;
    if (!['UserPermissionAccess', 'UserEntityAccess', 'UserFieldAccess'].includes(object)) return;
    const t = org.table(object);
    const rows: SfRecord[] = [];
    const nextId = () => `${t.schema.keyPrefix}${String(rows.length + 1).padStart(12, '0')}AAA`;
    for (const userId of userIds) {
        const access = org.access(userId);
        if (object === 'UserPermissionAccess') {
            const r: SfRecord = { Id: nextId() };
            for (const p of SYSTEM_PERMISSIONS)
                r[`Permissions${p}`] =
                    access.permissions.has(p) || (p === 'ViewAllData' && access.permissions.has('ModifyAllData'));
            rows.push(r);
            continue;
        }
        for (const [name, table] of org.tables) {
            if (table.schema.fields.length === 0) continue;
            const a = access.object(name);
            if (object === 'UserEntityAccess') {
                rows.push({
                    Id: nextId(),
                    DurableId: `${name}.${userId}`,
                    UserId: userId,
                    EntityDefinitionId: name,
                    IsReadable: a.read,
                    IsCreatable: a.create && table.schema.createable,
                    IsEditable: a.edit && table.schema.updateable,
                    IsDeletable: a.delete && table.schema.deletable,
                    IsViewAllRecords: a.viewAll,
                    IsModifyAllRecords: a.modifyAll
                });
                continue;
            }
            for (const f of table.schema.fields) {
                const readable = access.fieldRead(name, f.name);
                rows.push({
                    Id: nextId(),
                    DurableId: `${name}.${f.name}.${userId}`,
                    UserId: userId,
                    EntityDefinitionId: name,
                    FieldDefinitionId: `${name}.${f.name}`,
                    IsAccessible: readable,
                    IsCreatable: readable && f.createable && access.fieldEdit(name, f.name),
                    IsUpdatable: readable && f.updateable && access.fieldEdit(name, f.name)
                });
            }
        }
    }
    const known = new Set(t.schema.fields.map((f) => f.name));
    org.replaceRows(
        object,
        rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => known.has(k))) as SfRecord)
    );
}

export function queryObjectName(soql: string): string | undefined {
    return /\bfrom\s+(\w+)/i.exec(soql.replace(/\([^()]*\)/g, ''))?.[1];
}

export function runQuery(state: EmulatorState, session: Session, soql: string, all: boolean, version: string) {
    const object = queryObjectName(soql);
    if (object) {
        try {
            const named = [...soql.matchAll(/'(005[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?)'/g)]
                .map((m) => normalizeId(m[1]!))
                .filter((id): id is string => !!id && !!state.org.tables.get('User')?.rows.has(id));
            materializeVirtual(state, state.org.objectName(object), [...new Set([session.userId, ...named])]);
        } catch {
            // unknown objects fail in the query itself with INVALID_TYPE
        }
    }
    return executeQuery(state.org, state.org.access(session.userId), soql, { all, apiVersion: version });
}

/** One page of a result; the rest is kept behind a locator (records are rendered per page). */
export function page(
    state: EmulatorState,
    cursor: Pick<Cursor, 'rows' | 'render' | 'totalSize'>,
    version: string,
    all: boolean,
    position = 0
): Record<string, unknown> {
    const { rows, render, totalSize } = cursor;
    const end = Math.min(position + PAGE_SIZE, rows.length);
    const done = end >= rows.length;
    let nextRecordsUrl: string | undefined;
    if (!done) {
        const locator = `01g${randomBytes(8).toString('hex')}-${end}`;
        state.cursors.set(locator, { rows, render, position: end, totalSize, expiresAt: Date.now() + 15 * 60 * 1000 });
        nextRecordsUrl = `/services/data/v${version}/${all ? 'queryAll' : 'query'}/${locator}`;
    }
    return {
        totalSize,
        done,
        ...(nextRecordsUrl ? { nextRecordsUrl } : {}),
        records: rows.slice(position, end).map(render)
    };
}

/** GET /query?q= and /queryAll?q=, and their `nextRecordsUrl` locators. */
export async function queryResource(
    state: EmulatorState,
    req: RestRequest,
    all: boolean,
    locator?: string
): Promise<RestResult> {
    const { method, version, session } = req;
    if (method !== 'GET')
        throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET`);
    if (locator) {
        const cursor = state.cursors.get(locator);
        if (!cursor || cursor.expiresAt < Date.now())
            throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        state.cursors.delete(locator);
        return { status: 200, body: page(state, cursor, version, all, cursor.position) };
    }
    if (req.query.get('columns') === 'true' && req.query.get('q')) {
        // The column metadata the sf CLI asks for before it prints a result.
        const q = req.query.get('q')!;
        runQuery(state, session, q, all, version);
        return { status: 200, body: columnMetadata(state, q) };
    }
    const explain = req.query.get('explain');
    if (explain !== null && !all) {
        // The query plan, in Salesforce's shape: the emulator always scans the table, so one plan.
        const object = state.org.objectName(queryObjectName(explain) ?? '');
        const result = runQuery(state, session, explain, false, version);
        const size = [...state.org.rows(object)].filter((r) => !r.IsDeleted).length;
        return {
            status: 200,
            body: {
                plans: [
                    {
                        cardinality: result.totalSize,
                        fields: [],
                        leadingOperationType: 'TableScan',
                        notes: [],
                        relativeCost: size > 0 ? Math.max(0.01, result.totalSize / size) : 0,
                        sobjectCardinality: size,
                        sobjectType: object
                    }
                ],
                sourceQuery: explain
            }
        };
    }
    const q = req.query.get('q');
    if (!q) throw new SfError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    await applyFaults(state, 'query', queryObjectName(q), session);
    const result = runQuery(state, session, q, all, version);
    return { status: 200, body: page(state, result, version, all) };
}

interface ColumnMeta {
    aggregate: boolean;
    apexType: string | null;
    booleanType: boolean;
    columnName: string;
    custom: boolean;
    displayName: string;
    foreignKeyName: string | null;
    insertable: boolean;
    joinColumns: ColumnMeta[];
    numberType: boolean;
    textType: boolean;
    updatable: boolean;
}

function column(name: string, join: ColumnMeta[] = [], aggregate = false): ColumnMeta {
    return {
        aggregate,
        apexType: join.length > 0 ? null : 'String',
        booleanType: false,
        columnName: name,
        custom: name.endsWith('__c') || name.endsWith('__r'),
        displayName: name,
        foreignKeyName: null,
        insertable: false,
        joinColumns: join,
        numberType: false,
        textType: join.length === 0,
        updatable: false
    };
}

type AstField = {
    type: string;
    field?: string;
    relationships?: string[];
    subquery?: { relationshipName?: string; fields?: AstField[] };
    alias?: string;
    rawValue?: string;
};

function columnsOf(fields: AstField[]): ColumnMeta[] {
    let expr = 0;
    return fields.map((f) => {
        if (f.type === 'Field') return column(f.field ?? '');
        if (f.type === 'FieldRelationship') {
            // Account.Owner.Name → Account { Owner { Name } }
            const path = [...(f.relationships ?? []), f.field ?? ''];
            let c = column(path.at(-1)!);
            for (const rel of path.slice(0, -1).reverse()) c = column(rel, [c]);
            return c;
        }
        if (f.type === 'FieldSubquery')
            return column(f.subquery?.relationshipName ?? '', columnsOf(f.subquery?.fields ?? []), true);
        return column(f.alias ?? `expr${expr++}`, [], true);
    });
}

/** `query?q=…&columns=true`: Salesforce's column metadata of a query. */
function columnMetadata(state: EmulatorState, soql: string): Record<string, unknown> {
    const ast = parse(soql) as { sObject?: string; fields?: AstField[] };
    const object = state.org.objectName(ast.sObject ?? '');
    const fields = ast.fields ?? [];
    return {
        columnMetadata: columnsOf(fields),
        entityName: object,
        groupBy: false,
        idSelected: fields.some((f) => f.type === 'Field' && f.field?.toLowerCase() === 'id'),
        keyPrefix: state.org.table(object).schema.keyPrefix
    };
}
