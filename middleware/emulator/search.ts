import { SfError } from './errors';
import { queryObjectName, runQuery } from './query';
import { applyFaults, type RestRequest, type RestResult } from './rest-context';
import type { FieldSchema } from './schema';
import type { EmulatorState, Session } from './state';

/**
 * SOSL (`/search?q=FIND {…} IN … FIELDS RETURNING …`) and `/parameterizedSearch`, answered by
 * running one SOQL query per returned object whose WHERE matches the search term against the
 * field group (ALL, NAME, EMAIL, PHONE) — so sharing and field-level security apply as in a query.
 * Matching is "contains" per word (`*` and `?` wildcards), all words required; Salesforce's
 * tokeniser and relevance ranking are not emulated (records come in id order).
 */

type FieldGroup = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE';
interface Returning {
    object: string;
    fields: string[];
    where?: string;
    orderBy?: string;
    limit?: number;
    offset?: number;
}
interface SearchSpec {
    term: string;
    group: FieldGroup;
    returning: Returning[];
    limit: number;
}

const DEFAULT_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity'];
const MAX_LIMIT = 2000;
const malformed = (message: string) => new SfError(400, 'MALFORMED_SEARCH', message);

/** Split on commas outside parentheses and quotes. */
function splitTop(s: string): string[] {
    const out: string[] = [];
    let depth = 0;
    let quote = false;
    let cur = '';
    for (let i = 0; i < s.length; i++) {
        const ch = s[i]!;
        if (ch === "'" && s[i - 1] !== '\\') quote = !quote;
        if (!quote && ch === '(') depth++;
        if (!quote && ch === ')') depth--;
        if (!quote && depth === 0 && ch === ',') {
            out.push(cur.trim());
            cur = '';
        } else cur += ch;
    }
    if (cur.trim()) out.push(cur.trim());
    return out;
}

function parseReturning(item: string): Returning {
    const m = /^(\w+)\s*(?:\((.*)\))?\s*$/s.exec(item);
    if (!m) throw malformed(`unexpected token in RETURNING: ${item}`);
    const object = m[1]!;
    const inner = m[2]?.trim();
    if (!inner) return { object, fields: ['Id'] };
    const clause = /\s+(WHERE|ORDER\s+BY|LIMIT|OFFSET)\s+/i;
    const firstClause = clause.exec(` ${inner} `);
    const fieldPart = firstClause ? ` ${inner} `.slice(0, firstClause.index).trim() : inner;
    const rest = firstClause ? ` ${inner} `.slice(firstClause.index) : '';
    const r: Returning = {
        object,
        fields: fieldPart
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean)
    };
    const where = /\sWHERE\s+(.*?)(?=\sORDER\s+BY\s|\sLIMIT\s|\sOFFSET\s|$)/is.exec(rest);
    if (where) r.where = where[1]!.trim();
    const order = /\sORDER\s+BY\s+(.*?)(?=\sLIMIT\s|\sOFFSET\s|$)/is.exec(rest);
    if (order) r.orderBy = order[1]!.trim();
    const limit = /\sLIMIT\s+(\d+)/i.exec(rest);
    if (limit) r.limit = Number(limit[1]);
    const offset = /\sOFFSET\s+(\d+)/i.exec(rest);
    if (offset) r.offset = Number(offset[1]);
    return r;
}

export function parseSosl(sosl: string): SearchSpec {
    const m = /^\s*FIND\s+(?:\{((?:[^}\\]|\\.)*)\}|'((?:[^'\\]|\\.)*)')\s*(.*)$/is.exec(sosl);
    if (!m) throw malformed('No search term found. The search term must be enclosed in braces: FIND {term}');
    const term = (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1').trim();
    let rest = m[3] ?? '';
    let group: FieldGroup = 'ALL';
    const inMatch = /^IN\s+(ALL|NAME|EMAIL|PHONE|SIDEBAR)\s+FIELDS\s*/i.exec(rest);
    if (inMatch) {
        const g = inMatch[1]!.toUpperCase();
        group = g === 'SIDEBAR' ? 'ALL' : (g as FieldGroup);
        rest = rest.slice(inMatch[0].length);
    }
    let returning: Returning[] = [];
    const ret = /^RETURNING\s+(.*?)(?=\s+LIMIT\s+\d+\s*$|$)/is.exec(rest);
    if (ret) {
        returning = splitTop(ret[1]!).map(parseReturning);
        rest = rest.slice(ret[0].length);
    }
    let limit = MAX_LIMIT;
    const lim = /^\s*LIMIT\s+(\d+)\s*$/i.exec(rest);
    if (lim) {
        limit = Math.min(MAX_LIMIT, Number(lim[1]));
        rest = '';
    }
    if (rest.trim()) throw malformed(`unexpected token: ${rest.trim().split(/\s+/)[0]}`);
    if (term.replace(/[*?"]/g, '').trim().length < 2) throw malformed('search term must be longer than one character');
    return { term, group, returning, limit };
}

function searchFields(state: EmulatorState, session: Session, object: string, group: FieldGroup): FieldSchema[] {
    const access = state.org.access(session.userId);
    const fields = state.org
        .table(object)
        .schema.fields.filter((f) => access.fieldRead(object, f.name) && f.filterable !== false);
    switch (group) {
        case 'EMAIL':
            return fields.filter((f) => f.type === 'email');
        case 'PHONE':
            return fields.filter((f) => f.type === 'phone');
        case 'NAME':
            return fields.filter((f) => f.nameField === true || ['Name', 'FirstName', 'LastName'].includes(f.name));
        default:
            return fields.filter((f) => ['string', 'email', 'phone', 'picklist', 'url'].includes(f.type));
    }
}

const soqlString = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

/** The words of a term ("quoted phrases" stay whole; AND is implied; OR/AND NOT are not emulated). */
function words(term: string): string[] {
    const out: string[] = [];
    for (const m of term.matchAll(/"([^"]+)"|(\S+)/g)) {
        const w = (m[1] ?? m[2] ?? '').trim();
        if (w && !/^(AND|OR)$/i.test(w)) out.push(w);
    }
    return out;
}

function runSearch(state: EmulatorState, req: RestRequest, spec: SearchSpec): Record<string, unknown>[] {
    const { session, version } = req;
    const returning: Returning[] =
        spec.returning.length > 0
            ? spec.returning
            : DEFAULT_OBJECTS.filter(
                  (o) => state.org.tables.has(o) && state.org.access(session.userId).object(o).read
              ).map((object) => ({ object, fields: ['Id'] }));
    const out: Record<string, unknown>[] = [];
    for (const r of returning) {
        if (out.length >= spec.limit) break;
        let object: string;
        try {
            object = state.org.objectName(r.object);
        } catch {
            throw new SfError(400, 'INVALID_TYPE', `sObject type '${r.object}' is not supported.`);
        }
        const fields = searchFields(state, session, object, spec.group);
        if (fields.length === 0) continue;
        const match = words(spec.term)
            .map((w) => {
                const pattern = `%${soqlString(w).replace(/\*/g, '%').replace(/\?/g, '_')}%`;
                return `(${fields.map((f) => `${f.name} LIKE '${pattern}'`).join(' OR ')})`;
            })
            .join(' AND ');
        const limit = Math.min(r.limit ?? spec.limit, spec.limit - out.length);
        const soql =
            `SELECT ${r.fields.join(', ')} FROM ${object} WHERE ${match}` +
            (r.where ? ` AND (${r.where})` : '') +
            (r.orderBy ? ` ORDER BY ${r.orderBy}` : '') +
            ` LIMIT ${limit}` +
            (r.offset ? ` OFFSET ${r.offset}` : '');
        out.push(...runQuery(state, session, soql, false, version).records);
    }
    return out;
}

/** GET /search?q=<SOSL> */
export async function searchResource(state: EmulatorState, req: RestRequest): Promise<RestResult> {
    if (req.method !== 'GET')
        throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are GET`);
    const q = req.query.get('q');
    if (!q) throw new SfError(400, 'MISSING_ARGUMENT', 'q is required (a SOSL FIND statement)', ['q']);
    const spec = parseSosl(q);
    await applyFaults(state, 'query', spec.returning[0]?.object ?? queryObjectName(q), req.session);
    return { status: 200, body: { searchRecords: runSearch(state, req, spec) } };
}

const GROUPS: FieldGroup[] = ['ALL', 'NAME', 'EMAIL', 'PHONE'];

/** GET (query parameters) or POST (JSON) /parameterizedSearch */
export async function parameterizedSearchResource(state: EmulatorState, req: RestRequest): Promise<RestResult> {
    let q: unknown;
    let group: unknown;
    let defaultFields: string[] = ['Id'];
    let returning: Returning[] = [];
    let overallLimit: unknown;
    let defaultLimit: unknown;
    if (req.method === 'GET') {
        q = req.query.get('q');
        group = req.query.get('in') ?? undefined;
        const fields = req.query.get('fields');
        if (fields) defaultFields = fields.split(',').map((f) => f.trim());
        overallLimit = req.query.get('overallLimit') ?? undefined;
        defaultLimit = req.query.get('defaultLimit') ?? undefined;
        returning = req.query.getAll('sobject').map((object) => {
            const f = req.query.get(`${object}.fields`);
            const where = req.query.get(`${object}.where`);
            const limit = req.query.get(`${object}.limit`);
            return {
                object,
                fields: f ? f.split(',').map((x) => x.trim()) : defaultFields,
                ...(where ? { where } : {}),
                ...(limit ? { limit: Number(limit) } : {})
            };
        });
    } else if (req.method === 'POST') {
        const body = (req.body ?? {}) as Record<string, unknown>;
        q = body.q;
        group = body.in;
        if (Array.isArray(body.fields)) defaultFields = body.fields.map(String);
        overallLimit = body.overallLimit;
        defaultLimit = body.defaultLimit;
        if (body.sobjects !== undefined && !Array.isArray(body.sobjects))
            throw new SfError(400, 'INVALID_FIELD', 'sobjects must be an array', ['sobjects']);
        returning = ((body.sobjects ?? []) as Record<string, unknown>[]).map((s) => ({
            object: String(s.name ?? ''),
            fields: Array.isArray(s.fields) ? s.fields.map(String) : defaultFields,
            ...(typeof s.where === 'string' ? { where: s.where } : {}),
            ...(s.limit !== undefined ? { limit: Number(s.limit) } : {})
        }));
    } else
        throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are GET,POST`);
    if (typeof q !== 'string' || q.trim().length < 2)
        throw new SfError(400, 'MISSING_ARGUMENT', 'q is required (at least two characters)', ['q']);
    const g = String(group ?? 'ALL').toUpperCase() as FieldGroup;
    if (!GROUPS.includes(g)) throw new SfError(400, 'INVALID_FIELD', `in must be one of ${GROUPS.join(', ')}`, ['in']);
    const limitOf = (v: unknown, field: string): number | undefined => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1)
            throw new SfError(400, 'INVALID_FIELD', `${field} must be a positive integer`, [field]);
        return n;
    };
    const overall = limitOf(overallLimit, 'overallLimit') ?? MAX_LIMIT;
    const perObject = limitOf(defaultLimit, 'defaultLimit');
    for (const r of returning) {
        if (r.limit !== undefined && (!Number.isInteger(r.limit) || r.limit < 1))
            throw new SfError(400, 'INVALID_FIELD', `${r.object}.limit must be a positive integer`, [
                `${r.object}.limit`
            ]);
        if (r.limit === undefined && perObject !== undefined) r.limit = perObject;
    }
    const spec: SearchSpec = { term: q, group: g, returning, limit: Math.min(MAX_LIMIT, overall) };
    await applyFaults(state, 'query', returning[0]?.object, req.session);
    return { status: 200, body: { searchRecords: runSearch(state, req, spec) } };
}
