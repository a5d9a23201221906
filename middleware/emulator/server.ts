import express, { type NextFunction, type Request, type Response } from 'express';
import { adminRouter, type EmulatorAdmin } from './admin';
import { bulkV1Router } from './bulk1';
import { notFound, SfError } from './errors';
import { identityRouter } from './identity';
import { oauthRouter } from './oauth';
import { dispatch } from './rest';
import { soapRouter } from './soap';
import { authenticate, sendJson, type EmulatorState } from './state';
import { API_VERSIONS } from './versions';

/** Build the emulator's HTTP app over one org: login, admin surface, then the REST API. */
export function createEmulatorApp(state: EmulatorState, admin: EmulatorAdmin): express.Express {
    const { org } = state;
    const app = express();
    app.disable('x-powered-by');
    // Salesforce answers `//services/data/...` as `/services/data/...` (the sf CLI stores instance URLs
    // with a trailing slash, and jsforce appends `/services/...` to them).
    app.use((req, _res, next) => {
        if (req.url.startsWith('//')) req.url = req.url.replace(/^\/+/, '/');
        next();
    });
    app.use(express.json({ limit: '100mb', type: ['application/json', 'application/*+json'] }));
    app.use(express.urlencoded({ extended: false, limit: '1mb' }));
    // Bulk API uploads are up to 150 MB of CSV (Bulk 2.0) or 10 MB per batch (Bulk 1.0).
    app.use(express.text({ limit: '150mb', type: ['text/xml', 'application/xml', 'text/csv', 'text/plain'] }));

    app.use(oauthRouter(state));
    app.use(soapRouter(state));
    app.use(identityRouter(state));
    app.use('/__emulator', adminRouter(state, admin));
    app.use(bulkV1Router(state));

    app.get('/services/data', (_req, res) => {
        sendJson(
            res,
            200,
            API_VERSIONS.map((v) => ({
                label: `v${v}`,
                url: `/services/data/v${v}`,
                version: v
            }))
        );
    });

    app.all(/^\/services\/data\/v(\d+\.\d)(\/.*)?$/, async (req, res) => {
        const version = req.params[0] as string;
        const rest = (req.params[1] as string | undefined) ?? '/';
        let status = 500;
        let userId: string | null = null;
        let counted = false;
        try {
            if (!API_VERSIONS.includes(version)) throw notFound();
            const session = authenticate(state, req);
            userId = session.userId;
            // A user without "API Enabled" (profile or permission set) cannot call the API.
            if (!org.access(session.userId).permissions.has('ApiEnabled'))
                throw new SfError(403, 'API_CURRENTLY_DISABLED', 'API is disabled for this User');
            if (rest !== '/limits' && rest !== '/limits/') {
                if (state.apiCalls >= state.apiLimit)
                    throw new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
                state.apiCalls += 1;
                counted = true;
            }
            res.setHeader('Sforce-Limit-Info', `api-usage=${state.apiCalls}/${state.apiLimit}`);
            const url = new URL(req.originalUrl, 'http://emulator');
            const result = await dispatch(state, {
                method: req.method,
                path: rest,
                query: url.searchParams,
                body: req.body as unknown,
                session,
                version,
                headers: req.headers as Record<string, string | undefined>
            });
            status = result.status;
            for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
            if (result.raw !== undefined) {
                res.status(status).setHeader('Content-Type', result.contentType ?? 'text/csv;charset=UTF-8');
                res.send(result.raw);
            } else if (status === 204) res.status(204).end();
            else sendJson(res, status, result.body);
        } catch (error) {
            const e =
                error instanceof SfError
                    ? error
                    : new SfError(500, 'UNKNOWN_EXCEPTION', error instanceof Error ? error.message : String(error));
            status = e.status;
            if (e.status === 300)
                sendJson(
                    res,
                    300,
                    (e as SfError & { ids?: string[] }).ids?.map((id) => `/services/data/v${version}/sobjects/${id}`) ??
                        []
                );
            else sendJson(res, e.status, [e.toJSON()]);
        } finally {
            state.requestLog.push({
                at: new Date().toISOString(),
                method: req.method,
                path: req.originalUrl,
                status,
                userId,
                counted
            });
            if (state.requestLog.length > 5000) state.requestLog.splice(0, state.requestLog.length - 5000);
        }
    });

    app.use((req: Request, res: Response) =>
        sendJson(res, 404, [
            { message: `The requested resource does not exist: ${req.method} ${req.path}`, errorCode: 'NOT_FOUND' }
        ])
    );
    app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
        void next;
        const e = error as { type?: string; message?: string };
        if (e?.type === 'entity.parse.failed')
            return sendJson(res, 400, [
                { message: `JSON parser error: ${e.message ?? ''}`, errorCode: 'JSON_PARSER_ERROR' }
            ]);
        sendJson(res, 500, [{ message: e?.message ?? 'error', errorCode: 'UNKNOWN_EXCEPTION' }]);
    });
    return app;
}
