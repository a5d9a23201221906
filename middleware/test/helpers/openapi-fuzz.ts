/**
 * SEC-8 fuzzing helpers: the write operations of an OpenAPI document, a valid-looking sample for
 * each body schema, and the hostile values the fuzz suite puts into them. Everything is derived
 * from /openapi.json, so endpoints added later are fuzzed without touching the suite.
 */

type Schema = Record<string, any>;

export interface WriteOperation {
    method: string;
    /** OpenAPI path, e.g. `/v1/profiles/{id}`. */
    path: string;
    pathParams: string[];
    query: { name: string; schema: Schema }[];
    contentType: string | null;
    bodySchema: Schema | null;
}

export function writeOperations(doc: Schema): WriteOperation[] {
    const out: WriteOperation[] = [];
    for (const [path, ops] of Object.entries<Schema>(doc.paths ?? {})) {
        for (const [method, op] of Object.entries<Schema>(ops)) {
            if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
            const params: Schema[] = op.parameters ?? [];
            const content: Schema = op.requestBody?.content ?? {};
            const contentType = Object.keys(content)[0] ?? null;
            out.push({
                method: method.toUpperCase(),
                path,
                pathParams: params.filter((p) => p.in === 'path').map((p) => p.name as string),
                query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
                contentType,
                bodySchema: contentType ? (content[contentType]?.schema ?? {}) : null
            });
        }
    }
    return out;
}

/** A value that satisfies the schema as far as a generic reading can (refinements aside). */
export function sample(schema: Schema, doc: Schema, depth = 0): unknown {
    if (depth > 12) return null;
    if (schema.$ref) {
        const name = String(schema.$ref).split('/').pop() as string;
        return sample(doc.components?.schemas?.[name] ?? {}, doc, depth + 1);
    }
    if (schema.const !== undefined) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
        const list: Schema[] | undefined = schema[k];
        if (list?.length) {
            if (k === 'allOf') return Object.assign({}, ...list.map((s) => sample(s, doc, depth + 1)));
            const nonNull = list.find((s) => s.type !== 'null') ?? list[0];
            return sample(nonNull as Schema, doc, depth + 1);
        }
    }
    if (schema.default !== undefined) return schema.default;
    const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
    switch (type) {
        case 'object': {
            const out: Record<string, unknown> = {};
            const required = new Set<string>(schema.required ?? []);
            for (const [key, child] of Object.entries<Schema>(schema.properties ?? {}))
                if (required.has(key) || depth < 2) out[key] = sample(child, doc, depth + 1);
            return out;
        }
        case 'array': {
            const n = Math.max(1, schema.minItems ?? 1);
            return Array.from({ length: Math.min(n, 3) }, () => sample(schema.items ?? {}, doc, depth + 1));
        }
        case 'integer':
        case 'number':
            return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? Number(schema.exclusiveMinimum) + 1 : 1);
        case 'boolean':
            return true;
        case 'string':
            return sampleString(schema);
        default:
            return 'x';
    }
}

let counter = 0;
function sampleString(schema: Schema): string {
    counter++;
    switch (schema.format) {
        case 'email':
            return `fuzz${counter}@fuzz.test`;
        case 'date-time':
            return '2026-11-03T15:00:00Z';
        case 'date':
            return '2026-11-03';
        case 'uri':
        case 'url':
            return 'https://fuzz.test/x';
        case 'uuid':
            return '00000000-0000-4000-8000-000000000000';
    }
    const min = schema.minLength ?? 1;
    return `fuzz${counter}`.padEnd(min, 'x').slice(0, schema.maxLength ?? 100);
}

/** Strings no endpoint should answer with a 5xx. */
export const HOSTILE_STRINGS: string[] = [
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x\uDFFFy',
    '%ZZ',
    '%00',
    '../../../etc/passwd',
    '＝cmd|" /C calc"!A0',
    '=1+1',
    '9999-99-99T99:99:99Z',
    '275760-09-13T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '',
    ' ',
    "'; drop table users; --",
    '\r\n\r\n',
    '😀'.repeat(64),
    'x'.repeat(70_000)
];

/** Non-string values, and the marker the suite expands to 5,000 levels of nested arrays. */
export const DEEP = '__fuzz_deep__';
export const HOSTILE_VALUES: unknown[] = [
    null,
    true,
    -1,
    0,
    1e308,
    -1e308,
    2 ** 53 + 1,
    [],
    {},
    Array.from({ length: 5_000 }, () => 'x'),
    JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
    DEEP
];

/** Every path in a JSON value (`[]` is the root). */
export function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
    out.push(prefix);
    if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
    else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
    return out;
}

/** A copy of `value` with the node at `path` replaced (the root when the path is empty). */
export function replaceAt(value: unknown, path: (string | number)[], next: unknown): unknown {
    if (path.length === 0) return next;
    const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
    const [head, ...rest] = path as [string | number, ...(string | number)[]];
    copy[head] = replaceAt(copy[head], rest, next);
    return copy;
}

/** JSON text with the DEEP marker expanded (JSON.stringify itself would recurse that deep). */
export function toJsonText(value: unknown): string {
    return JSON.stringify(value).replaceAll(`"${DEEP}"`, '['.repeat(5_000) + ']'.repeat(5_000));
}
