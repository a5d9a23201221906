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
    app.use(express.json({ limit: deps.bodyLimit ?? '1mb', type: ['application/json', 'application/*+json'] }));
    app.use(express.text({ limit: deps.textBodyLimit ?? '25mb', type: ['text/*', 'message/rfc822'] }));

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
    for (const spec of routes) mount(spec.auth === 'public' ? publicRouter : v1, registry, spec);
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
    return new ApiError('internal', 'Internal error');
}
