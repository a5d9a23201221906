import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../middleware/src/api/openapi';

/**
 * docs/api.md from the OpenAPI document (`npm run docs:api`): one section per method and path.
 * `middleware/test/api-doc.test.ts` fails when a path is missing from docs/api.md or docs/api.md
 * names one that does not exist.
 */

interface Schema {
    $ref?: string;
    type?: string | string[];
    properties?: Record<string, Schema>;
    required?: string[];
    description?: string;
    items?: Schema;
    enum?: unknown[];
}
interface Operation {
    summary?: string;
    description?: string;
    tags?: string[];
    security?: unknown[];
    parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
    requestBody?: { content: Record<string, { schema: Schema }> };
    responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}
interface OpenApi {
    paths: Record<string, Record<string, Operation>>;
    components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export const headingOf = (method: string, p: string): string => `### \`${method.toUpperCase()} ${p}\``;

/** Every `METHOD /path` docs/api.md documents, as written in its headings. */
export function documentedOperations(markdown: string): string[] {
    return [...markdown.matchAll(/^### `(GET|POST|PUT|PATCH|DELETE) (\S+)`\s*$/gm)].map((m) => `${m[1]} ${m[2]}`);
}

export function openApiOperations(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
    return Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.keys(ops)
            .filter((m) => METHODS.includes(m))
            .map((m) => `${m.toUpperCase()} ${p}`)
    );
}

function resolve(doc: OpenApi, s: Schema | undefined): { schema: Schema | undefined; name: string | undefined } {
    if (!s?.$ref) return { schema: s, name: undefined };
    const name = s.$ref.split('/').pop() as string;
    return { schema: doc.components?.schemas?.[name], name };
}

function typeOf(doc: OpenApi, s: Schema | undefined): string {
    const { schema, name } = resolve(doc, s);
    if (name) return name;
    if (!schema) return 'any';
    if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
    if (schema.type === 'array') return `${typeOf(doc, schema.items)}[]`;
    return Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'object');
}

function fields(doc: OpenApi, s: Schema | undefined): string {
    const { schema } = resolve(doc, s);
    if (!schema?.properties) return typeOf(doc, s);
    const required = new Set(schema.required ?? []);
    return Object.entries(schema.properties)
        .map(([k, v]) => `\`${k}\`${required.has(k) ? '' : '?'} (${typeOf(doc, v)})`)
        .join(', ');
}

export function renderApiDoc(doc: OpenApi): string {
    const byTag = new Map<string, string[]>();
    for (const [p, ops] of Object.entries(doc.paths)) {
        for (const method of METHODS) {
            const op = ops[method];
            if (!op) continue;
            const lines = [headingOf(method, p), '', op.summary ?? ''];
            if (op.description) lines.push('', op.description);
            lines.push('');
            const pub = Array.isArray(op.security) && op.security.length === 0;
            lines.push(
                `- **Auth:** ${pub ? 'none (public)' : 'API key (`Authorization: Bearer <key>`), optionally `X-Acting-User`'}${op.responses['403'] ? '; 403 when the caller may not do this (e.g. admins only)' : ''}`
            );
            const params = op.parameters ?? [];
            const pathParams = params.filter((x) => x.in === 'path');
            const query = params.filter((x) => x.in === 'query');
            if (pathParams.length) lines.push(`- **Path:** ${pathParams.map((x) => `\`${x.name}\``).join(', ')}`);
            if (query.length)
                lines.push(
                    `- **Query:** ${query.map((x) => `\`${x.name}\`${x.required ? '' : '?'} (${typeOf(doc, x.schema)})`).join(', ')}`
                );
            for (const [type, c] of Object.entries(op.requestBody?.content ?? {}))
                lines.push(`- **Body** (\`${type}\`): ${fields(doc, c.schema)}`);
            const ok = Object.entries(op.responses).filter(([s]) => Number(s) < 400);
            for (const [status, r] of ok) {
                const c = Object.values(r.content ?? {})[0];
                lines.push(`- **Answer ${status}:** ${r.description}${c ? ` — ${fields(doc, c.schema)}` : ''}`);
            }
            const errors = Object.entries(op.responses).filter(([s]) => Number(s) >= 400);
            lines.push(`- **Errors:** ${errors.map(([s, r]) => `${s} ${r.description}`).join('; ')}`);
            const tag = op.tags?.[0] ?? 'other';
            byTag.set(tag, [...(byTag.get(tag) ?? []), lines.join('\n')]);
        }
    }
    const head = `# API reference

Every path the middleware serves, generated from its OpenAPI document (\`npm run docs:api\`;
\`middleware/test/api-doc.test.ts\` fails when this file and \`/openapi.json\` disagree). A running
middleware also serves the machine-readable document at \`GET /openapi.json\` and a browsable
reference at \`GET /docs\` (Scalar, served from \`node_modules\`, no network needed).

Conventions:

- **Auth:** \`Authorization: Bearer <org API key>\`. Calls from Salesforce add
  \`X-Acting-User: <Salesforce User Id>\` and then run as that Backstory user: role (UT-10) and
  object visibility (UT-12) decide what they may see and do (SEC-2). Without it the key acts as
  an admin.
- **Errors** share one envelope: \`{"error": {"code", "message", "details": [{"path", "message"}]}}\`;
  \`details[].path\` names the field at fault (\`body\` fields as written, \`query.limit\`,
  \`headers.x-acting-user\`). A bad input changes nothing.
- **Lists** take \`?limit=\` (1–500, default 100) and \`?cursor=\`, and answer
  \`{items, nextCursor}\`; pass \`nextCursor\` back until it is \`null\`.
- Apex callouts that cannot send PATCH send POST with \`X-HTTP-Method-Override: PATCH\`.
- \`?\` after a field marks it optional.
`;
    return `${head}\n${[...byTag.entries()].map(([tag, sections]) => `## ${tag}\n\n${sections.join('\n\n')}`).join('\n\n')}\n`;
}

export async function main(): Promise<void> {
    const doc = openApiDocument({} as never) as OpenApi;
    const file = path.resolve(__dirname, '../docs/api.md');
    writeFileSync(file, renderApiDoc(doc));
    process.stdout.write(`wrote ${file}\n`);
}

if (require.main === module) void main();
