import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorEnvelopeSchema } from './schemas/common';
import { forbidden, invalid, invalidMany } from './errors';
import { TextBody } from '../domain/text-body';
import { textPiecesReader } from './text-body-reader';
import { largeJsonReader } from './json-body-reader';
import { BODY_LIMITS, MAX_JSON_DEPTH, badTextReason, timeSlicer } from '../domain/limits';
import { getContext, type RequestContext } from './context';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a handler may return when it needs a status, headers or a non-JSON body. */
export interface Reply {
    status?: number;
    headers?: Record<string, string>;
    /** JSON-serialised unless `raw` is set. */
    body?: unknown;
    /** Sent as is (CSV, text). */
    raw?: string | Buffer;
}

export interface HandlerInput<P, Q, B> {
    params: P;
    query: Q;
    body: B;
    ctx: RequestContext;
    req: Request;
    res: Response;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
    method: Method;
    /** Express path, e.g. `/v1/profiles/:id`. */
    path: string;
    summary: string;
    description?: string;
    tags: string[];
    /** `public` skips authentication (healthz); `operator` takes only the operator key (TEN-1). Default `key`. */
    auth?: 'public' | 'key' | 'operator';
    /** `admin` refuses everyone but Backstory admins (403). Default `any`. */
    access?: 'admin' | 'any';
    params?: z.ZodType<P>;
    query?: z.ZodType<Q>;
    body?: z.ZodType<B>;
    /** Content type of the request body in the OpenAPI document (default application/json). */
    bodyContentType?: string;
    /**
     * Largest body this endpoint reads, in bytes (SEC-6); default the app's JSON limit. The body
     * is read only after authentication.
     */
    bodyLimit?: number;
    /**
     * SEC-6: a text body (.ics, .eml) arrives as a `TextBody` decoded a megabyte at a time and
     * never joined into one string, for endpoints that take files of many megabytes.
     */
    textPieces?: boolean;
    /** SEC-6: a JSON body over 1 MB is parsed in another thread (`largeJsonReader`). */
    jsonOffThread?: boolean;
    response: {
        status: number;
        description: string;
        schema?: z.ZodType;
        contentType?: string;
    };
    /** Extra error statuses worth documenting (401/400/500 are always listed). */
    errors?: number[];
    handler: (input: HandlerInput<P, Q, B>) => Promise<unknown>;
}

/** A route of any input types: route groups are arrays of these. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each spec is checked where `route()` builds it
export type AnyRoute = RouteSpec<any, any, any>;

/** Keep the zod types of one spec together (inference helper). */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
    spec: RouteSpec<P, Q, B>
): RouteSpec<P, Q, B> {
    return spec;
}

export function isReply(value: unknown): value is Reply {
    return typeof value === 'object' && value !== null && '__reply' in value;
}

/** Build a Reply (status, headers, raw body). */
export function reply(r: Reply): Reply {
    return Object.assign(Object.create(null) as object, r, { __reply: true }) as Reply;
}

const errorDescriptions: Record<number, string> = {
    400: 'validation_failed: the input is invalid; details name each field',
    401: 'unauthorized: missing or invalid API key',
    403: 'forbidden: the acting user may not do this',
    404: 'not_found',
    409: 'conflict: the change contradicts the current state',
    413: 'validation_failed: the body is larger than the limit',
    502: 'salesforce_error: Salesforce refused or did not answer',
    503: 'not ready: the database does not answer (details name it)',
    500: 'internal'
};

export interface MountOptions {
    /** Body limit of endpoints that do not set their own (bytes). */
    defaultBodyLimit?: number;
}

const TEXT_TYPES = ['text/*', 'message/rfc822'];

/**
 * JSON and text (CSV, .eml, .ics) body readers with this endpoint's limit. With `pieces` a text
 * body is read into a TextBody as it arrives (SEC-6), in the charset it names; with `offThread`
 * a JSON body is parsed in another thread.
 */
function bodyReaders(limit: number, options: { pieces: boolean; offThread: boolean }): RequestHandler[] {
    const jsonTypes = ['application/json', 'application/*+json'];
    return [
        options.offThread ? largeJsonReader(limit, jsonTypes) : express.json({ limit, type: jsonTypes }),
        options.pieces ? textPiecesReader(limit, TEXT_TYPES) : express.text({ limit, type: TEXT_TYPES })
    ];
}

/** Mount one spec on the router and describe it in the OpenAPI registry. */
export function mount(router: Router, registry: OpenAPIRegistry, spec: AnyRoute, options: MountOptions = {}): void {
    const openApiPath = spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const request: RouteConfig['request'] = {};
    if (spec.params) request.params = spec.params as never;
    if (spec.query) request.query = spec.query as never;
    if (spec.body) {
        request.body = {
            required: true,
            content: { [spec.bodyContentType ?? 'application/json']: { schema: spec.body } }
        };
    }
    const errorStatuses = new Set<number>([400, 500, ...(spec.errors ?? [])]);
    if (spec.auth !== 'public') errorStatuses.add(401);
    if (spec.access === 'admin' || spec.auth === 'operator') errorStatuses.add(403);
    const responses: RouteConfig['responses'] = {
        [spec.response.status]: {
            description: spec.response.description,
            ...(spec.response.schema
                ? { content: { [spec.response.contentType ?? 'application/json']: { schema: spec.response.schema } } }
                : {})
        }
    };
    for (const status of [...errorStatuses].sort()) {
        responses[status] = {
            description: errorDescriptions[status] ?? 'error',
            content: { 'application/json': { schema: errorEnvelopeSchema } }
        };
    }
    registry.registerPath({
        method: spec.method,
        path: openApiPath,
        summary: spec.summary,
        ...(spec.description ? { description: spec.description } : {}),
        tags: spec.tags,
        security: spec.auth === 'public' ? [] : [{ bearerAuth: [] }],
        request,
        responses
    });

    const readers =
        spec.method === 'get'
            ? []
            : bodyReaders(spec.bodyLimit ?? options.defaultBodyLimit ?? BODY_LIMITS.json, {
                  pieces: spec.textPieces === true,
                  offThread: spec.jsonOffThread === true
              });
    router[spec.method](spec.path, ...readers, async (req: Request, res: Response) => {
        const ctx = spec.auth === 'public' ? (undefined as unknown as RequestContext) : getContext(res);
        if (spec.auth === 'operator' && !ctx.isOperator) throw forbidden('Only the operator key may do this');
        if (spec.auth !== 'operator' && spec.auth !== 'public' && ctx.isOperator)
            throw forbidden('The operator key reads no tenant data: use an API key of the org');
        if (spec.access === 'admin' && !ctx.isAdmin) throw forbidden('Only Backstory admins may do this');
        // SEC-8: NUL bytes, lone surrogates and runaway nesting are refused before any schema or store sees them.
        checkInput(req.params, 'params');
        checkInput(req.query, 'query');
        if (typeof req.body === 'string' || req.body instanceof TextBody) await checkTextBody(req.body);
        else await checkInputSliced(req.body, 'body');
        const params = parse(spec.params, req.params, 'params');
        const query = parse(spec.query, req.query, 'query');
        // A TextBody is the file itself: the handler reads it (its schema documents it as a string).
        const body = req.body instanceof TextBody ? (req.body as never) : parse(spec.body, req.body, 'body');
        const result = await spec.handler({ params, query, body, ctx, req, res });
        if (isReply(result)) {
            for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
            res.status(result.status ?? spec.response.status);
            if (result.raw !== undefined) res.send(result.raw);
            else if (result.body !== undefined) res.json(result.body);
            else res.end();
            return;
        }
        res.status(spec.response.status);
        if (result === undefined || spec.response.status === 204) res.end();
        else res.json(result);
    });
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'params' | 'query' | 'body'): T {
    if (!schema) return undefined as T;
    const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
    if (!result.success) {
        // Body paths name the field as the caller wrote it (`matching.minScore`); params and
        // query paths say where they came from (`query.limit`).
        throw invalidMany(
            result.error.issues.map((issue) => {
                const inner = issue.path.map(String).join('.');
                const path = where === 'body' ? inner || 'body' : inner ? `${where}.${inner}` : where;
                return { path, message: issue.message };
            })
        );
    }
    return result.data;
}

/**
 * SEC-8 for a whole text body (CSV, .eml, .ics): refuse NUL bytes and lone surrogates with a
 * 400 naming the line. SEC-6: checked a megabyte-sized piece at a time, the event loop given
 * turns between (TextBody.findBadText); a body already in pieces is never joined.
 */
export async function checkTextBody(body: string | TextBody): Promise<void> {
    const bad = await (typeof body === 'string' ? TextBody.of(body) : body).findBadText(badTextReason);
    if (bad) throw invalid('body', `line ${bad.line}: ${bad.why}`);
}

/** checkInput's walk, a node at a time. */
function* inputWalk(value: unknown, where: 'params' | 'query' | 'body'): Generator<void> {
    const name = (path: string[]) =>
        where === 'body' ? path.join('.') || 'body' : path.length ? `${where}.${path.join('.')}` : where;
    const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
    while (stack.length > 0) {
        const { value: v, path } = stack.pop() as { value: unknown; path: string[] };
        yield;
        if (typeof v === 'string') {
            const why = badTextReason(v);
            if (why) throw invalid(name(path), why);
            continue;
        }
        if (typeof v !== 'object' || v === null) continue;
        if (path.length >= MAX_JSON_DEPTH) throw invalid(name(path), `is nested deeper than ${MAX_JSON_DEPTH} levels`);
        for (const [k, child] of Object.entries(v)) {
            const keyWhy = badTextReason(k);
            if (keyWhy) throw invalid(name([...path, '(key)']), `a key ${keyWhy}`);
            stack.push({ value: child, path: [...path, k] });
        }
    }
}

/**
 * SEC-8: walk a parsed input (iteratively: a hostile body can be deep) and refuse the first
 * string, key or value PostgreSQL could not store, or nesting beyond MAX_JSON_DEPTH, with a 400
 * naming the field as the schemas would (`participants.0.name`, `query.q`).
 */
export function checkInput(value: unknown, where: 'params' | 'query' | 'body'): void {
    for (const _ of inputWalk(value, where));
}

/** checkInput with turns of the event loop (SEC-6: a 25 MB batch has 25 MB of strings to check). */
export async function checkInputSliced(value: unknown, where: 'params' | 'query' | 'body'): Promise<void> {
    const slice = timeSlicer();
    for (const _ of inputWalk(value, where)) {
        const pause = slice.maybeYield();
        if (pause) await pause;
    }
}
