import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';
import { authenticate } from './auth';
import { mountDocs } from './docs';
import { usersTableResolver } from '../services/auth';
import type { AppDeps } from './deps';
import { ApiError } from './errors';
import { createRegistry, generateOpenApi } from './openapi';
import { mount } from './route';
import { BODY_LIMITS } from '../domain/limits';
import { allRoutes } from './routes';

/** Build the Express app; `server.ts` only listens and shuts down. */
export function createApp(deps: AppDeps): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.set('query parser', 'extended');

    app.use(
        pinoHttp({
            logger: deps.logger,
            genReqId: (req, res) => {
                const incoming = req.headers['x-request-id'];
                const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
                res.setHeader('x-request-id', id);
                return id;
            },
            customLogLevel: (_req, res, err) =>
                err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'
        })
    );
    // Apex callouts that cannot send PATCH send POST with this header (BackstoryApiProxy).
    app.use((req: Request, _res: Response, next: NextFunction) => {
        if (req.method === 'POST' && req.get('x-http-method-override')?.toUpperCase() === 'PATCH') req.method = 'PATCH';
        next();
    });
    // SEC-6: no body is read here. Each route reads its own, with its own limit, after
    // authentication (route.ts), so an unauthenticated upload costs nothing.
    const defaultBodyLimit = deps.bodyLimit === undefined ? BODY_LIMITS.json : toBytes(deps.bodyLimit);

    const registry = createRegistry();
    const routes = allRoutes(deps);
    let openApiDocument: object | undefined;
    app.get('/openapi.json', (_req, res) => {
        openApiDocument ??= generateOpenApi(registry);
        res.json(openApiDocument);
    });

    mountDocs(app);

    const publicRouter = express.Router();
    const v1 = express.Router();
    v1.use(authenticate(deps, deps.resolveActingUser ?? usersTableResolver(deps.store.db)));
    for (const spec of routes) mount(spec.auth === 'public' ? publicRouter : v1, registry, spec, { defaultBodyLimit });
    app.use(publicRouter);
    app.use('/', v1);

    app.use((req: Request) => {
        throw new ApiError('not_found', `No route for ${req.method} ${req.path}`);
    });
    app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
        void next;
        const apiError = toApiError(error);
        if (apiError.status >= 500) req.log.error({ err: error }, 'request failed');
        res.status(apiError.status).json(apiError.toBody());
    });
    return app;
}

interface BodyParserError {
    type?: string;
    status?: number;
    message?: string;
}

/** `1mb`, `512kb`, `2048` → bytes (the BODY_LIMIT variable's forms). */
function toBytes(limit: string | number): number {
    if (typeof limit === 'number') return limit;
    const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
    if (!m) throw new Error(`BODY_LIMIT: "${limit}" is not a size (e.g. 1mb, 512kb)`);
    const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
    return Math.floor(Number(m[1]) * unit);
}

function toApiError(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    const e = error as BodyParserError;
    if (e?.type === 'entity.too.large') {
        return new ApiError(
            'validation_failed',
            'body: the request body is larger than the limit',
            [{ path: 'body', message: 'is larger than the limit' }],
            413
        );
    }
    if (e?.type === 'entity.parse.failed') {
        return new ApiError('validation_failed', 'body: is not valid JSON', [
            { path: 'body', message: 'is not valid JSON' }
        ]);
    }
    if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
        return new ApiError(
            'validation_failed',
            `body: ${e.message ?? 'unsupported encoding'}`,
            [{ path: 'body', message: e.message ?? 'unsupported encoding' }],
            415
        );
    }
    // SEC-8: `%ZZ` in a path parameter (Express's decoder throws a URIError marked 400).
    if (error instanceof URIError) {
        return new ApiError('validation_failed', 'path: has invalid percent-encoding', [
            { path: 'path', message: 'has invalid percent-encoding' }
        ]);
    }
    // SEC-8: any other refusal of the body reader (a broken gzip or deflate stream, a body
    // shorter than its Content-Length): the body could not be read.
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
        const why = e.type === 'request.aborted' ? 'was aborted' : 'could not be read (broken encoding or length)';
        return new ApiError('validation_failed', `body: ${why}`, [{ path: 'body', message: why }]);
    }
    return new ApiError('internal', 'Internal error');
}
