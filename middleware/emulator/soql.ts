import {
    parseQuery,
    type Query,
    type WhereClause,
    type Condition,
    type FieldType as SoqlField,
    type OrderByClause
} from '@jetstreamapp/soql-parser-js';
import { SfError, invalidField, malformedQuery } from './errors';
import { normalizeId } from './ids';
import type { Org, SfRecord, UserAccess } from './org';
import type { FieldSchema } from './schema';
import { readOnly } from './schema/standard-objects-builders';

/**
 * SOQL evaluated on the AST of @jetstreamapp/soql-parser-js. The parser gives WHERE as a
 * right-leaning chain with parenthesis counts on each condition; `buildTree` turns that chain
 * into a proper expression tree (NOT binds tighter than AND, AND tighter than OR).
 */

export interface QueryOptions {
    /** queryAll: include deleted rows (IsDeleted = true). */
    all: boolean;
    apiVersion: string;
    now?: Date;
}

export interface QueryResult {
    /** The matching rows, in order; `render` turns one into the API's record shape (done per page). */
    rows: SfRecord[];
    render: (row: SfRecord) => Record<string, unknown>;
    /** Every row rendered (child sub-queries and Bulk results). */
    readonly records: Record<string, unknown>[];
    totalSize: number;
    /** Field paths in SELECT order (for Bulk CSV headers). */
    columns: string[];
    /** Child relationship sub-queries in SELECT (Bulk API 2.0 refuses them). */
    subqueryCount: number;
}

type Expr =
    { kind: 'and' | 'or'; left: Expr; right: Expr } | { kind: 'not'; expr: Expr } | { kind: 'cond'; cond: Condition };
type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | Condition;

export function parse(soql: string): Query {
    try {
        return parseQuery(soql) as Query;
    } catch (error) {
        throw malformedQuery(
            `unexpected token in query: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`
        );
    }
}

interface ChainNode {
    left?: (Condition & { openParen?: number; closeParen?: number }) | null;
    operator?: string;
    right?: ChainNode;
}

function linearize(where: WhereClause | undefined, out: Token[] = []): Token[] {
    if (!where) return out;
    const node = where as unknown as ChainNode;
    const left = node.left;
    if (left) {
        for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
        out.push(left);
        for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
    }
    if (node.operator) out.push(node.operator.toUpperCase() as 'AND' | 'OR' | 'NOT');
    if (node.right) linearize(node.right as unknown as WhereClause, out);
    return out;
}

export function buildTree(where: WhereClause | undefined): Expr | null {
    const tokens = linearize(where);
    if (tokens.length === 0) return null;
    let pos = 0;
    const peek = () => tokens[pos];
    const orExpr = (): Expr => {
        let left = andExpr();
        while (peek() === 'OR') {
            pos++;
            left = { kind: 'or', left, right: andExpr() };
        }
        return left;
    };
    const andExpr = (): Expr => {
        let left = notExpr();
        while (peek() === 'AND') {
            pos++;
            left = { kind: 'and', left, right: notExpr() };
        }
        return left;
    };
    const notExpr = (): Expr => {
        const t = peek();
        if (t === 'NOT') {
            pos++;
            return { kind: 'not', expr: notExpr() };
        }
        if (t === '(') {
            pos++;
            const e = orExpr();
            if (peek() !== ')') throw malformedQuery('unbalanced parentheses in WHERE');
            pos++;
            return e;
        }
        if (t === undefined || typeof t === 'string') throw malformedQuery(`unexpected ${String(t)} in WHERE`);
        pos++;
        return { kind: 'cond', cond: t };
    };
    const tree = orExpr();
    if (pos !== tokens.length) throw malformedQuery('unexpected token in WHERE');
    return tree;
}

// ---------------------------------------------------------------- values and date literals

const DAY = 86_400_000;

export function parseDateTime(value: string): number {
    const iso = value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
    const t = Date.parse(iso);
    if (Number.isNaN(t)) throw malformedQuery(`invalid datetime: ${value}`);
    return t;
}

const dayStart = (t: number) => Math.floor(t / DAY) * DAY;

/** A date literal as a half-open UTC range [start, end). */
export function dateLiteralRange(literal: string, n: number | undefined, now: Date): [number, number] {
    const today = dayStart(now.getTime());
    const d = new Date(today);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    const monthStart = (yy: number, mm: number) => Date.UTC(yy, mm, 1);
    const weekStart = today - d.getUTCDay() * DAY;
    const quarter = Math.floor(m / 3);
    const count = n ?? 0;
    const name = literal.split(':')[0]!.toUpperCase();
    switch (name) {
        case 'TODAY':
            return [today, today + DAY];
        case 'YESTERDAY':
            return [today - DAY, today];
        case 'TOMORROW':
            return [today + DAY, today + 2 * DAY];
        case 'LAST_WEEK':
            return [weekStart - 7 * DAY, weekStart];
        case 'THIS_WEEK':
            return [weekStart, weekStart + 7 * DAY];
        case 'NEXT_WEEK':
            return [weekStart + 7 * DAY, weekStart + 14 * DAY];
        case 'LAST_MONTH':
            return [monthStart(y, m - 1), monthStart(y, m)];
        case 'THIS_MONTH':
            return [monthStart(y, m), monthStart(y, m + 1)];
        case 'NEXT_MONTH':
            return [monthStart(y, m + 1), monthStart(y, m + 2)];
        case 'LAST_QUARTER':
            return [monthStart(y, (quarter - 1) * 3), monthStart(y, quarter * 3)];
        case 'THIS_QUARTER':
            return [monthStart(y, quarter * 3), monthStart(y, quarter * 3 + 3)];
        case 'NEXT_QUARTER':
            return [monthStart(y, quarter * 3 + 3), monthStart(y, quarter * 3 + 6)];
        case 'LAST_YEAR':
            return [Date.UTC(y - 1, 0, 1), Date.UTC(y, 0, 1)];
        case 'THIS_YEAR':
            return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
        case 'NEXT_YEAR':
            return [Date.UTC(y + 1, 0, 1), Date.UTC(y + 2, 0, 1)];
        case 'LAST_90_DAYS':
            return [today - 90 * DAY, today + DAY];
        case 'NEXT_90_DAYS':
            return [today + DAY, today + 91 * DAY];
        case 'LAST_N_DAYS':
            return [today - count * DAY, today + DAY];
        case 'NEXT_N_DAYS':
            return [today + DAY, today + (count + 1) * DAY];
        case 'N_DAYS_AGO':
            return [today - count * DAY, today - (count - 1) * DAY];
        case 'LAST_N_WEEKS':
            return [weekStart - count * 7 * DAY, weekStart];
        case 'NEXT_N_WEEKS':
            return [weekStart + 7 * DAY, weekStart + (count + 1) * 7 * DAY];
        case 'LAST_N_MONTHS':
            return [monthStart(y, m - count), monthStart(y, m)];
        case 'NEXT_N_MONTHS':
            return [monthStart(y, m + 1), monthStart(y, m + 1 + count)];
        case 'LAST_N_YEARS':
            return [Date.UTC(y - count, 0, 1), Date.UTC(y, 0, 1)];
        case 'NEXT_N_YEARS':
            return [Date.UTC(y + 1, 0, 1), Date.UTC(y + 1 + count, 0, 1)];
        default:
            throw malformedQuery(`date literal ${literal} is not supported by the emulator`);
    }
}

function unquote(v: string): string {
    if (v.startsWith("'") && v.endsWith("'")) {
        return v.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
    }
    return v;
}

function likeToRegex(pattern: string): RegExp {
    let re = '';
    for (const ch of pattern) {
        if (ch === '%') re += '.*';
        else if (ch === '_') re += '.';
        else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`, 'is');
}

// ---------------------------------------------------------------- field paths

interface Resolved {
    /** Field schema of the last segment. */
    field: FieldSchema;
    /** Objects along the path (first = the queried object). */
    objects: string[];
    /** Reference fields followed. */
    refs: FieldSchema[];
    /** Canonical output names of each relationship, then the field name. */
    names: string[];
    /** The last reference is polymorphic (Who, What, Owner): the field is one of the `Name` entity's. */
    polymorphic?: boolean;
}

/**
 * Salesforce's `Name` entity: what a polymorphic relationship (Task.Who, Task.What, Owner of
 * User-or-Queue) exposes, whatever the record's type. `Type` is the record's object (`Queue` for a
 * queue); a field the record's object lacks reads null.
 */
const NAME_ENTITY_FIELDS: FieldSchema[] = [
    readOnly('Id', 'id'),
    readOnly('Name', 'string', { length: 255, nameField: true }),
    readOnly('Type', 'picklist', { length: 40 }),
    readOnly('Alias', 'string', { length: 8 }),
    readOnly('Email', 'email', { length: 80 }),
    readOnly('FirstName', 'string', { length: 40 }),
    readOnly('LastName', 'string', { length: 80 }),
    readOnly('Username', 'string', { length: 80 }),
    readOnly('Title', 'string', { length: 80 }),
    readOnly('Phone', 'phone', { length: 40 }),
    readOnly('IsActive', 'boolean'),
    readOnly('UserRoleId', 'reference', { referenceTo: ['UserRole'] }),
    readOnly('ProfileId', 'reference', { referenceTo: ['Profile'] }),
    readOnly('RecordTypeId', 'reference', { referenceTo: ['RecordType'] }),
    readOnly('CommunityNickname', 'string', { length: 40 }),
    readOnly('NameOrAlias', 'string', { length: 255 }),
    readOnly('LastReferencedDate', 'datetime'),
    readOnly('LastViewedDate', 'datetime')
];

/** A `Name` entity field of one record (any object). */
export function nameEntityValue(org: Org, r: SfRecord, field: string): unknown {
    const object = org.objectOfId(r.Id);
    if (field === 'Type') return object === 'Group' && r.Type === 'Queue' ? 'Queue' : (object ?? null);
    if (field === 'NameOrAlias') return r.Name ?? r.Alias ?? null;
    const v = r[field];
    return v === undefined ? null : v;
}

export class Evaluator {
    constructor(
        readonly org: Org,
        readonly access: UserAccess,
        readonly now: Date,
        readonly apiVersion: string
    ) {}

    /** Resolve `Account.Owner.Email` from `object`, checking FLS on every step (INVALID_FIELD when unreadable). */
    private readonly resolved = new Map<string, Resolved>();
    /** Each WHERE condition's field, resolved on its first row (a condition belongs to one object). */
    private readonly conditionFields = new Map<Condition, Resolved>();

    resolve(object: string, path: string): Resolved {
        const cacheKey = `${object}\u0000${path.toLowerCase()}`;
        const cached = this.resolved.get(cacheKey);
        if (cached) return cached;
        const result = this.resolveUncached(object, path);
        this.resolved.set(cacheKey, result);
        return result;
    }

    private resolveUncached(object: string, path: string): Resolved {
        const segments = path.split('.');
        const objects = [object];
        const refs: FieldSchema[] = [];
        const names: string[] = [];
        let current = object;
        for (let i = 0; i < segments.length - 1; i++) {
            const seg = segments[i]!;
            const ref = this.org
                .table(current)
                .schema.fields.find(
                    (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === seg.toLowerCase()
                );
            if (!ref || !this.access.fieldRead(current, ref.name)) {
                throw new SfError(
                    400,
                    'INVALID_FIELD',
                    `Didn't understand relationship '${seg}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
                );
            }
            refs.push(ref);
            names.push(ref.relationshipName!);
            if ((ref.referenceTo?.length ?? 0) > 1) {
                // Polymorphic (Who, What, Owner): the path goes on in the `Name` entity, and ends there.
                if (i !== segments.length - 2)
                    throw new SfError(
                        400,
                        'INVALID_FIELD',
                        `Didn't understand relationship '${segments[i + 1]}' in field path: ${ref.relationshipName} is polymorphic (use TYPEOF)`
                    );
                const last = segments.at(-1)!;
                const field = NAME_ENTITY_FIELDS.find((f) => f.name.toLowerCase() === last.toLowerCase());
                if (!field) throw invalidField('Name', last);
                objects.push('Name');
                names.push(field.name);
                return { field, objects, refs, names, polymorphic: true };
            }
            current = ref.referenceTo?.[0] ?? current;
            if (!this.org.tables.has(current)) throw invalidField(objects[0]!, path);
            objects.push(current);
        }
        const last = segments.at(-1)!;
        const field = this.org.field(current, last);
        if (!field || !this.access.fieldRead(current, field.name)) throw invalidField(current, last);
        names.push(field.name);
        return { field, objects, refs, names };
    }

    /** The value at a resolved path for one record (null when a reference on the way is empty). */
    value(record: SfRecord, resolved: Resolved): unknown {
        let r: SfRecord | undefined = record;
        for (const ref of resolved.refs) {
            const id: unknown = r?.[ref.name];
            r = typeof id === 'string' ? this.org.get(id) : undefined;
            if (!r) return null;
        }
        if (resolved.polymorphic && r) return nameEntityValue(this.org, r, resolved.field.name);
        const v = r?.[resolved.field.name];
        return v === undefined ? null : v;
    }

    // ------------------------------------------------------------ WHERE

    matches(object: string, record: SfRecord, expr: Expr | null): boolean {
        if (!expr) return true;
        switch (expr.kind) {
            case 'and':
                return this.matches(object, record, expr.left) && this.matches(object, record, expr.right);
            case 'or':
                return this.matches(object, record, expr.left) || this.matches(object, record, expr.right);
            case 'not':
                return !this.matches(object, record, expr.expr);
            case 'cond':
                return this.condition(object, record, expr.cond);
        }
    }

    /**
     * Rows that can match `expr`, from an equality index when a top-level AND term is
     * `IndexedField = value`, `IndexedField IN (...)` or a semi-join on an indexed field (Id,
     * references, external ids); null means "scan the table". The full WHERE is still applied.
     */
    candidates(object: string, expr: Expr | null): SfRecord[] | null {
        if (!expr) return null;
        const terms: Condition[] = [];
        const collect = (e: Expr) => {
            if (e.kind === 'and') {
                collect(e.left);
                collect(e.right);
            } else if (e.kind === 'cond') terms.push(e.cond);
        };
        collect(expr);
        let best: SfRecord[] | null = null;
        for (const cond of terms) {
            const c = cond as Condition & {
                field?: string;
                operator: string;
                value?: string | string[];
                literalType?: string | string[];
                valueQuery?: Query;
            };
            const op = c.operator.toUpperCase();
            if (!c.field || c.field.includes('.') || (op !== '=' && op !== 'IN')) continue;
            const literalType = Array.isArray(c.literalType) ? c.literalType[0] : c.literalType;
            if (literalType === 'NULL' || literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') continue;
            const field = this.resolve(object, c.field).field;
            if (!this.org.indexable(object, field)) continue;
            let values: unknown[];
            if (c.valueQuery) {
                if (op !== 'IN') continue;
                values = [...this.semiJoinSet(cond, c.valueQuery)];
            } else {
                const raw = Array.isArray(c.value) ? c.value : [c.value ?? ''];
                values = raw.map((v) => this.literal(field, String(v), literalType));
            }
            const rows = this.org.lookup(object, field, values);
            if (!best || rows.length < best.length) best = rows;
            if (best.length === 0) break;
        }
        return best;
    }

    private semiJoinSet(cond: Condition, q: Query): Set<string> {
        let set = this.semiJoinCache.get(cond);
        if (!set) {
            set = this.semiJoin(q);
            this.semiJoinCache.set(cond, set);
        }
        return set;
    }

    private semiJoinCache = new Map<Condition, Set<string>>();
    private readonly regexes = new Map<Condition, RegExp>();
    private readonly literals = new Map<Condition, unknown>();

    private condition(object: string, record: SfRecord, cond: Condition): boolean {
        const c = cond as Condition & {
            field?: string;
            operator: string;
            value?: string | string[];
            literalType?: string | string[];
            valueQuery?: Query;
            dateLiteralVariable?: number;
        };
        if (!c.field) throw malformedQuery('only field conditions are supported by the emulator');
        let resolved = this.conditionFields.get(cond);
        if (!resolved) this.conditionFields.set(cond, (resolved = this.resolve(object, c.field)));
        const actual = this.value(record, resolved);
        const op = c.operator.toUpperCase();
        if (c.valueQuery) {
            const set = this.semiJoinSet(cond, c.valueQuery);
            const has = actual !== null && set.has(String(actual));
            return op === 'IN' ? has : !has;
        }
        const literalType = Array.isArray(c.literalType) ? c.literalType[0] : c.literalType;
        const raw = c.value;
        if (op === 'IN' || op === 'NOT IN') {
            const values = (Array.isArray(raw) ? raw : [raw ?? '']).map((v) =>
                this.literal(resolved.field, String(v), literalType, c.dateLiteralVariable)
            );
            const hit = values.some((v) => this.compare(resolved.field, actual, v) === 0);
            return op === 'IN' ? hit : !hit && actual !== null;
        }
        if (op === 'INCLUDES' || op === 'EXCLUDES') {
            const have = new Set(
                String(actual ?? '')
                    .split(';')
                    .map((s) => s.trim().toLowerCase())
                    .filter(Boolean)
            );
            const values = (Array.isArray(raw) ? raw : [raw ?? '']).map((v) => unquote(String(v)));
            const hit = values.some((v) => v.split(';').every((part) => have.has(part.trim().toLowerCase())));
            return op === 'INCLUDES' ? hit : !hit;
        }
        if (literalType === 'NULL') {
            if (op === '=') return actual === null || actual === '';
            if (op === '!=' || op === '<>') return actual !== null && actual !== '';
            throw malformedQuery(`operator ${op} cannot be used with null`);
        }
        if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') {
            if (actual === null) return op === '!=';
            const [start, end] = dateLiteralRange(String(raw), c.dateLiteralVariable, this.now);
            const t = this.timeOf(resolved.field, actual);
            switch (op) {
                case '=':
                    return t >= start && t < end;
                case '!=':
                case '<>':
                    return t < start || t >= end;
                case '<':
                    return t < start;
                case '<=':
                    return t < end;
                case '>':
                    return t >= end;
                case '>=':
                    return t >= start;
                default:
                    throw malformedQuery(`operator ${op} is not valid with a date literal`);
            }
        }
        if (op === 'LIKE') {
            if (actual === null) return false;
            let re = this.regexes.get(cond);
            if (!re) this.regexes.set(cond, (re = likeToRegex(unquote(String(raw)))));
            return re.test(String(actual));
        }
        let expected = this.literals.get(cond);
        if (expected === undefined) {
            expected = this.literal(resolved.field, String(raw), literalType, c.dateLiteralVariable);
            this.literals.set(cond, expected);
        }
        if (actual === null || expected === null) {
            if (op === '=') return actual === expected;
            if (op === '!=' || op === '<>') return actual !== expected;
            return false;
        }
        const cmp = this.compare(resolved.field, actual, expected);
        switch (op) {
            case '=':
                return cmp === 0;
            case '!=':
            case '<>':
                return cmp !== 0;
            case '<':
                return cmp < 0;
            case '<=':
                return cmp <= 0;
            case '>':
                return cmp > 0;
            case '>=':
                return cmp >= 0;
            default:
                throw malformedQuery(`operator ${op} is not supported by the emulator`);
        }
    }

    private semiJoin(q: Query): Set<string> {
        const object = this.org.objectName(q.sObject ?? '');
        const f = q.fields?.[0] as SoqlField | undefined;
        if (!f || f.type !== 'Field') throw malformedQuery('a semi-join selects exactly one field');
        const resolved = this.resolve(object, f.field);
        const tree = buildTree(q.where);
        const out = new Set<string>();
        for (const r of this.candidates(object, tree) ?? this.org.rows(object)) {
            if (r.IsDeleted || !this.org.canSee(this.access, object, r) || !this.matches(object, r, tree)) continue;
            const v = this.value(r, resolved);
            if (v !== null) out.add(String(v));
        }
        return out;
    }

    /** A literal converted to the field's representation. */
    private literal(field: FieldSchema, raw: string, literalType: string | undefined, _n?: number): unknown {
        if (literalType === 'NULL' || raw.toUpperCase() === 'NULL') return null;
        const v = unquote(raw);
        switch (field.type) {
            case 'boolean':
                return v.toUpperCase() === 'TRUE';
            case 'int':
            case 'double':
            case 'currency':
            case 'percent': {
                const n = Number(v);
                if (Number.isNaN(n))
                    throw malformedQuery(
                        `value ${raw} of type ${literalType ?? 'string'} does not match field ${field.name} of type ${field.type}`
                    );
                return n;
            }
            case 'date':
                if (literalType === 'STRING' || !/^\d{4}-\d{2}-\d{2}$/.test(v))
                    throw malformedQuery(
                        `value of filter criterion for field '${field.name}' must be of type date and should not be enclosed in quotes`
                    );
                return v;
            case 'datetime':
                if (literalType === 'DATE' || literalType === 'STRING')
                    throw malformedQuery(
                        `value of filter criterion for field '${field.name}' must be of type dateTime and should not be enclosed in quotes`
                    );
                return parseDateTime(v);
            case 'id':
            case 'reference':
                return normalizeId(v) ?? v;
            default:
                return v;
        }
    }

    private timeOf(field: FieldSchema, value: unknown): number {
        if (field.type === 'date') return Date.parse(`${String(value)}T00:00:00Z`);
        return parseDateTime(String(value));
    }

    /** A primitive that orders like `compare` (null for null and empty values). */
    sortKey(field: FieldSchema, v: unknown): string | number | null {
        if (v === null || v === undefined || v === '') return null;
        switch (field.type) {
            case 'int':
            case 'double':
            case 'currency':
            case 'percent':
                return Number(v);
            case 'boolean':
                return v === true ? 1 : 0;
            case 'datetime':
                return typeof v === 'number' ? v : parseDateTime(String(v));
            case 'id':
            case 'reference':
                return String(v);
            default:
                return String(v).toLowerCase();
        }
    }

    compare(field: FieldSchema, a: unknown, b: unknown): number {
        if (a === null && b === null) return 0;
        if (a === null) return -1;
        if (b === null) return 1;
        switch (field.type) {
            case 'int':
            case 'double':
            case 'currency':
            case 'percent':
                return Number(a) - Number(b);
            case 'boolean':
                return Number(a === true) - Number(b === true);
            case 'datetime':
                return (
                    (typeof a === 'number' ? a : parseDateTime(String(a))) -
                    (typeof b === 'number' ? b : parseDateTime(String(b)))
                );
            case 'id':
            case 'reference': {
                const x = String(a);
                const y = String(b);
                return x === y ? 0 : x < y ? -1 : 1;
            }
            default: {
                const x = String(a).toLowerCase();
                const y = String(b).toLowerCase();
                return x === y ? 0 : x < y ? -1 : 1;
            }
        }
    }
}

// ---------------------------------------------------------------- SELECT

export function executeQuery(org: Org, access: UserAccess, soql: string, options: QueryOptions): QueryResult {
    const query = parse(soql);
    const ev = new Evaluator(org, access, options.now ?? new Date(), options.apiVersion);
    return select(ev, query, options.all, null);
}

function select(
    ev: Evaluator,
    query: Query,
    all: boolean,
    parentFilter: { field: string; id: string } | null
): QueryResult {
    const org = ev.org;
    const object = org.objectName(query.sObject ?? '');
    if (!ev.access.object(object).read) {
        throw new SfError(
            400,
            'INVALID_TYPE',
            `sObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
        );
    }
    const fields = (query.fields ?? []) as SoqlField[];
    const isCount =
        fields.length === 1 &&
        fields[0]!.type === 'FieldFunctionExpression' &&
        (fields[0] as { functionName: string }).functionName.toUpperCase() === 'COUNT' &&
        ((fields[0] as { parameters?: unknown[] }).parameters ?? []).length === 0;
    const columns: { path: string; resolved: ReturnType<Evaluator['resolve']> }[] = [];
    const subqueries: { name: string; query: Query; childObject: string; field: string }[] = [];
    const typeofs: TypeofColumn[] = [];
    if (!isCount) {
        for (const f of fields) {
            if (f.type === 'Field' || f.type === 'FieldRelationship') {
                const path = f.type === 'Field' ? f.field : `${f.relationships.join('.')}.${f.field}`;
                const resolved = ev.resolve(object, path);
                if (resolved.field.type === 'address' || resolved.field.type === 'location') {
                    // compound fields are answered as objects built from their components
                }
                columns.push({ path, resolved });
            } else if (f.type === 'FieldTypeof') {
                typeofs.push(resolveTypeof(ev, object, f));
            } else if (f.type === 'FieldSubquery') {
                const rel = org
                    .table(object)
                    .schema.childRelationships.find(
                        (c) => c.relationshipName.toLowerCase() === (f.subquery.relationshipName ?? '').toLowerCase()
                    );
                if (!rel)
                    throw new SfError(
                        400,
                        'INVALID_TYPE',
                        `Didn't understand relationship '${f.subquery.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
                    );
                subqueries.push({
                    name: rel.relationshipName,
                    query: { ...f.subquery, sObject: rel.childSObject },
                    childObject: rel.childSObject,
                    field: rel.field
                });
            } else {
                throw malformedQuery(
                    `${(f as { rawValue?: string }).rawValue ?? f.type} is not supported by the emulator (only fields, parent paths, child subqueries and COUNT())`
                );
            }
        }
    }
    const tree = buildTree(query.where);
    const matched: SfRecord[] = [];
    let source: Iterable<SfRecord> | null = null;
    if (parentFilter) {
        const f = org.field(object, parentFilter.field);
        if (f && org.indexable(object, f)) source = org.lookup(object, f, [parentFilter.id]);
    }
    source ??= ev.candidates(object, tree) ?? org.rows(object);
    const orderBy = (
        Array.isArray(query.orderBy) ? query.orderBy : query.orderBy ? [query.orderBy] : []
    ) as OrderByClause[];
    // Without ORDER BY, a LIMIT ends the scan as soon as its rows are found.
    const enough =
        orderBy.length === 0 && !isCount && query.limit !== undefined ? (query.offset ?? 0) + query.limit : Infinity;
    for (const r of source) {
        if (matched.length >= enough) break;
        if (r.IsDeleted && !all) continue;
        if (parentFilter && r[parentFilter.field] !== parentFilter.id) continue;
        if (!org.canSee(ev.access, object, r)) continue;
        if (!ev.matches(object, r, tree)) continue;
        matched.push(r);
    }
    if (orderBy.length > 0) {
        const keys = orderBy.map((o) => {
            const ob = o as { field?: string; order?: string; nulls?: string };
            if (!ob.field) throw malformedQuery('ORDER BY supports fields only');
            const resolved = ev.resolve(object, ob.field);
            const desc = ob.order?.toUpperCase() === 'DESC';
            const nullsLast = ob.nulls ? ob.nulls.toUpperCase() === 'LAST' : desc;
            return { resolved, desc, nullsLast };
        });
        // Sort keys are computed once per row (lower-cased text, numbers, epoch milliseconds), one
        // array per key; the sort moves row indexes only (a third faster than sorting objects).
        const columnsOfKeys = keys.map((k) =>
            matched.map((r) => ev.sortKey(k.resolved.field, ev.value(r, k.resolved)))
        );
        const compare = (a: number, b: number): number => {
            for (let k = 0; k < keys.length; k++) {
                const key = keys[k]!;
                const column = columnsOfKeys[k]!;
                const x = column[a] ?? null;
                const y = column[b] ?? null;
                if (x === y) continue;
                if (x === null) return key.nullsLast ? 1 : -1;
                if (y === null) return key.nullsLast ? -1 : 1;
                const c = x < y ? -1 : 1;
                return key.desc ? -c : c;
            }
            return a - b;
        };
        const wanted = query.limit !== undefined ? (query.offset ?? 0) + query.limit : Infinity;
        let order: number[];
        if (wanted > 0 && wanted * 8 < matched.length) {
            // ORDER BY … LIMIT k over many rows: keep the k first in order (binary insertion)
            // instead of sorting them all.
            order = [];
            for (let i = 0; i < matched.length; i++) {
                if (order.length === wanted && compare(i, order[wanted - 1]!) >= 0) continue;
                let lo = 0;
                let hi = order.length;
                while (lo < hi) {
                    const mid = (lo + hi) >>> 1;
                    if (compare(order[mid]!, i) <= 0) lo = mid + 1;
                    else hi = mid;
                }
                order.splice(lo, 0, i);
                if (order.length > wanted) order.pop();
            }
        } else {
            order = Array.from({ length: matched.length }, (_, i) => i);
            order.sort(compare);
        }
        const rows = matched.slice();
        matched.length = order.length;
        for (let i = 0; i < order.length; i++) matched[i] = rows[order[i]!]!;
    }
    const offset = query.offset ?? 0;
    if (offset > 2000) throw new SfError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
    const limited = matched.slice(offset, query.limit !== undefined ? offset + query.limit : undefined);
    const columnNames = columns.map((c) => c.resolved.names.join('.'));
    if (isCount)
        return { rows: [], render: () => ({}), records: [], totalSize: limited.length, columns: [], subqueryCount: 0 };
    const render = (r: SfRecord): Record<string, unknown> => {
        const out: Record<string, unknown> = { attributes: attributes(org, object, r.Id, ev.apiVersion) };
        for (const c of columns) setPath(ev, out, r, c.resolved);
        for (const t of typeofs) renderTypeof(ev, out, r, t);
        for (const s of subqueries) {
            const child = select(ev, s.query, all, { field: s.field, id: r.Id });
            out[s.name] =
                child.rows.length === 0 ? null : { totalSize: child.totalSize, done: true, records: child.records };
        }
        return out;
    };
    return {
        rows: limited,
        render,
        get records() {
            return limited.map(render);
        },
        totalSize: limited.length,
        columns: columnNames,
        subqueryCount: subqueries.length
    };
}

interface TypeofColumn {
    ref: FieldSchema;
    name: string;
    /** Fields per object type (lower-cased object name), resolved on that object; `else` for the rest. */
    when: Map<string, Resolved[]>;
    otherwise: Resolved[] | null;
}

/** `TYPEOF What WHEN Account THEN Name, Phone … ELSE Name END`: the field lists are checked per object. */
function resolveTypeof(
    ev: Evaluator,
    object: string,
    f: { field: string; conditions: { type: string; objectType?: string; fieldList: string[] }[] }
): TypeofColumn {
    const ref = ev.org
        .table(object)
        .schema.fields.find(
            (x) => x.type === 'reference' && x.relationshipName?.toLowerCase() === f.field.toLowerCase()
        );
    if (!ref || (ref.referenceTo?.length ?? 0) < 2 || !ev.access.fieldRead(object, ref.name))
        throw new SfError(400, 'INVALID_FIELD', `TYPEOF: ${f.field} is not a polymorphic relationship of ${object}`);
    const when = new Map<string, Resolved[]>();
    let otherwise: Resolved[] | null = null;
    for (const c of f.conditions) {
        if (c.type === 'WHEN') {
            const type = ev.org.objectName(c.objectType ?? '');
            if (!(ref.referenceTo ?? []).includes(type))
                throw new SfError(400, 'INVALID_FIELD', `TYPEOF ${f.field}: ${type} is not one of its types`);
            when.set(
                type.toLowerCase(),
                c.fieldList.map((name) => ev.resolve(type, name))
            );
        } else {
            otherwise = c.fieldList.map((name) => {
                const field = NAME_ENTITY_FIELDS.find((x) => x.name.toLowerCase() === name.toLowerCase());
                if (!field) throw invalidField('Name', name);
                return { field, objects: ['Name'], refs: [], names: [field.name], polymorphic: true };
            });
        }
    }
    return { ref, name: ref.relationshipName!, when, otherwise };
}

function renderTypeof(ev: Evaluator, out: Record<string, unknown>, record: SfRecord, t: TypeofColumn): void {
    const id = record[t.ref.name];
    const target = typeof id === 'string' ? ev.org.get(id) : undefined;
    if (!target) {
        out[t.name] = null;
        return;
    }
    const type = ev.org.objectOfId(target.Id) ?? '';
    const list = t.when.get(type.toLowerCase()) ?? t.otherwise;
    if (!list) {
        out[t.name] = null;
        return;
    }
    const nested: Record<string, unknown> = { attributes: attributes(ev.org, type, target.Id, ev.apiVersion) };
    for (const resolved of list) setPath(ev, nested, target, resolved);
    out[t.name] = nested;
}

export function attributes(org: Org, object: string, id: string, apiVersion: string): { type: string; url: string } {
    void org;
    return { type: object, url: `/services/data/v${apiVersion}/sobjects/${object}/${id}` };
}

/** Write one selected path into the output record (nested objects for parent relationships). */
function setPath(
    ev: Evaluator,
    out: Record<string, unknown>,
    record: SfRecord,
    resolved: ReturnType<Evaluator['resolve']>
): void {
    let target = out;
    let r: SfRecord | undefined = record;
    for (let i = 0; i < resolved.refs.length; i++) {
        const ref = resolved.refs[i]!;
        const name = resolved.names[i]!;
        const id: unknown = r?.[ref.name];
        r = typeof id === 'string' ? ev.org.get(id) : undefined;
        if (!r) {
            if (!(name in target)) target[name] = null;
            return;
        }
        const existing = target[name];
        if (existing && typeof existing === 'object') target = existing as Record<string, unknown>;
        else {
            const type = ev.org.objectOfId(r.Id) ?? resolved.objects[i + 1]!;
            const next: Record<string, unknown> = { attributes: attributes(ev.org, type, r.Id, ev.apiVersion) };
            target[name] = next;
            target = next;
        }
    }
    target[resolved.field.name] =
        resolved.polymorphic && r
            ? nameEntityValue(ev.org, r, resolved.field.name)
            : outputValue(ev, r, resolved.field);
}

export function outputValue(ev: Evaluator, r: SfRecord | undefined, field: FieldSchema): unknown {
    if (!r) return null;
    if (field.type === 'address') {
        const prefix = field.name.replace(/Address$/, '');
        const parts = ['Street', 'City', 'State', 'PostalCode', 'Country'];
        if (parts.every((p) => r[`${prefix}${p}`] === undefined || r[`${prefix}${p}`] === null)) return null;
        const out: Record<string, unknown> = {};
        for (const p of parts) out[p.charAt(0).toLowerCase() + p.slice(1)] = r[`${prefix}${p}`] ?? null;
        return out;
    }
    void ev;
    const v = r[field.name];
    return v === undefined ? null : v;
}
