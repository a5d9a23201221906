import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { fetch } from 'undici';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildIsCurrent } from './cache';
import { previewComponents, type PreviewComponent } from './components';
import { OUT_DIR, ROOT } from './paths';

export interface PreviewOptions {
    port: number;
    middlewareUrl: string;
    apiKey: string;
    /** false: serve the last build as it is (default: build first; the build is skipped when nothing changed). */
    build?: boolean;
    /** Sent as X-Acting-User (the Salesforce user id Apex would take from UserInfo); none: the org key acts as admin. */
    actingUser?: string;
}

export interface RunningPreview {
    url: string;
    close(): Promise<void>;
}

/**
 * The rollup build runs in its own process: its plugins are ES modules, and it keeps the
 * CPU-heavy compile out of the server's event loop. It only runs when the sources changed (cache.ts).
 */
async function buildInChildProcess(): Promise<void> {
    const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    try {
        await promisify(execFile)(process.execPath, [tsx, path.join(__dirname, 'build.ts')], {
            cwd: ROOT,
            maxBuffer: 16 * 1024 * 1024
        });
    } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? '';
        throw new Error(`the LWC preview build failed:\n${stderr || String(error)}`);
    }
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The Backstory API path the bridge may call, normalised as the URL parser will send it
 * (`/v1/%2e%2e/` is `/`), or null: it must stay under /v1/ with no dot segments, empty
 * segments or backslashes, encoded or not.
 */
export function normaliseApiPath(apiPath: unknown): string | null {
    if (typeof apiPath !== 'string' || !apiPath.startsWith('/v1/')) return null;
    if (/[\\\u0000-\u001f]/.test(apiPath)) return null;
    const rawPath = apiPath.split('?')[0] as string;
    let decoded: string;
    try {
        decoded = decodeURIComponent(rawPath);
    } catch {
        return null;
    }
    if (decoded.split('/').some((seg) => seg === '.' || seg === '..') || /\/\/|\\/.test(decoded)) return null;
    let url: URL;
    try {
        url = new URL(apiPath, 'http://preview.invalid');
    } catch {
        return null;
    }
    // The URL parser must not have changed the path (it would resolve `%2e%2e` and backslashes).
    if (url.origin !== 'http://preview.invalid' || url.pathname !== rawPath) return null;
    return url.pathname + url.search;
}

/**
 * SEC-8 (preview): the bridge injects the admin key, so it answers only requests addressed to
 * it by name (Host 127.0.0.1:<port> or localhost:<port>: a DNS-rebound name is refused) and,
 * when a browser says where the request comes from, only its own origin.
 */
function sameOriginOnly(port: () => number): express.RequestHandler {
    return (req, res, next) => {
        const allowed = [`127.0.0.1:${port()}`, `localhost:${port()}`];
        const host = req.get('host') ?? '';
        if (!allowed.includes(host.toLowerCase()))
            return void res.status(403).type('text').send(`Host ${host} is not this preview (use ${allowed[0]})`);
        const origin = req.get('origin');
        if (origin !== undefined && origin !== `http://${host.toLowerCase()}`)
            return void res.status(403).type('text').send(`Origin ${origin} may not use this preview`);
        const site = req.get('sec-fetch-site');
        if (site !== undefined && site !== 'same-origin' && site !== 'none')
            return void res.status(403).type('text').send('Only same-origin requests may use this preview');
        next();
    };
}

/** The Apex error shape an LWC receives: { body: { message } }, message = the error JSON (as BackstoryApiProxy throws it). */
function apexError(status: number, code: string, message: string, details: unknown[] = []) {
    return { body: { message: JSON.stringify({ status, code, message, details }) } };
}

const escapeHtml = (text: string) =>
    text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A Lightning-like shell: the global header, the app's navigation bar, and the page body. */
function page(components: PreviewComponent[]): string {
    const tabs = components
        .map(
            (c) =>
                `<li class="slds-context-bar__item"><a class="slds-context-bar__label-action" href="#${escapeHtml(c.name)}" data-component="${escapeHtml(c.name)}" title="${escapeHtml(c.label)}"><span class="slds-truncate">${escapeHtml(c.label)}</span></a></li>`
        )
        .join('\n        ');
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Backstory Admin · local preview</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css">
<style>
  body { background: #b0c4df; min-height: 100vh; }
  .preview-header { background: #032d60; color: #fff; height: 3rem; padding: 0 1rem; }
  .preview-main { padding: 0.75rem; }
</style>
</head>
<body class="slds-scope">
<header>
  <div class="preview-header slds-grid slds-grid_align-spread slds-grid_vertical-align-center">
    <div class="slds-grid slds-grid_vertical-align-center">
      <span class="slds-icon_container slds-icon-standard-portal slds-m-right_small" title="Backstory">
        <svg class="slds-icon slds-icon_small" aria-hidden="true"><use href="/assets/icons/standard-sprite/svg/symbols.svg#portal"></use></svg>
      </span>
      <span class="slds-text-heading_medium">Backstory Admin</span>
    </div>
    <span class="slds-badge slds-badge_inverse">Local preview</span>
  </div>
</header>
<div class="slds-context-bar">
  <div class="slds-context-bar__primary">
    <div class="slds-context-bar__item slds-no-hover">
      <span class="slds-context-bar__label-action slds-context-bar__app-name"><span class="slds-truncate" title="Backstory Admin">Backstory Admin</span></span>
    </div>
  </div>
  <nav class="slds-context-bar__secondary" aria-label="Backstory Admin">
    <ul class="slds-grid">
        ${tabs}
    </ul>
  </nav>
</div>
<main id="main" class="preview-main"></main>
<script type="module" src="/app.js"></script>
</body>
</html>`;
}

/**
 * The local preview: the force-app LWCs compiled with lwc + lightning-base-components under SLDS,
 * with the Apex proxy bridged to a running middleware.
 */
export async function startPreview(options: PreviewOptions): Promise<RunningPreview> {
    if (options.build !== false && !buildIsCurrent()) await buildInChildProcess();
    const app = express();
    app.disable('x-powered-by');
    let listeningPort = options.port;
    app.use(sameOriginOnly(() => listeningPort));
    app.use(express.json({ limit: '2mb' }));
    app.use('/assets', express.static(path.join(ROOT, 'node_modules', '@salesforce-ux', 'design-system', 'assets')));
    app.get('/', (_req, res) => {
        res.type('html').send(page(previewComponents()));
    });
    app.post('/apex/BackstoryApiProxy.send', async (req, res) => {
        const {
            method,
            path: apiPath,
            body
        } = (req.body ?? {}) as { method?: string; path?: string; body?: string | null };
        const verb = String(method ?? '').toUpperCase();
        // The same refusals as BackstoryApiProxy.cls.
        if (!METHODS.has(verb))
            return void res
                .status(400)
                .json(
                    apexError(400, 'validation_failed', 'method must be one of GET, POST, PUT, PATCH, DELETE', [
                        { path: 'method', message: 'is not allowed' }
                    ])
                );
        const target = normaliseApiPath(apiPath);
        if (target === null || (typeof apiPath === 'string' && (apiPath.includes('..') || apiPath.includes('//')))) {
            return void res
                .status(400)
                .json(
                    apexError(400, 'validation_failed', 'path must be a /v1/ path of the Backstory API', [
                        { path: 'path', message: 'is not allowed' }
                    ])
                );
        }
        // Apex declares `String body`: anything else would not reach the class.
        if (body !== undefined && body !== null && typeof body !== 'string') {
            return void res
                .status(400)
                .json(
                    apexError(400, 'validation_failed', 'body must be a JSON string or null', [
                        { path: 'body', message: 'must be a string' }
                    ])
                );
        }
        try {
            const upstream = await fetch(new URL(target, options.middlewareUrl), {
                method: verb,
                headers: {
                    authorization: `Bearer ${options.apiKey}`,
                    accept: 'application/json',
                    ...(options.actingUser ? { 'x-acting-user': options.actingUser } : {}),
                    ...(body != null && verb !== 'GET' && verb !== 'DELETE'
                        ? { 'content-type': 'application/json' }
                        : {})
                },
                body: body != null && verb !== 'GET' && verb !== 'DELETE' ? body : undefined
            });
            const text = await upstream.text();
            if (upstream.ok) return void res.json({ result: text });
            let envelope: { error?: { code?: string; message?: string; details?: unknown[] } } = {};
            try {
                envelope = JSON.parse(text) as typeof envelope;
            } catch {
                envelope = {};
            }
            res.status(500).json(
                apexError(
                    upstream.status,
                    envelope.error?.code ?? 'internal',
                    envelope.error?.message ?? `The Backstory middleware answered ${upstream.status}`,
                    envelope.error?.details ?? []
                )
            );
        } catch (error) {
            res.status(500).json(
                apexError(
                    502,
                    'unreachable',
                    `The Backstory middleware could not be reached: ${error instanceof Error ? error.message : String(error)}`
                )
            );
        }
    });
    app.use(express.static(OUT_DIR, { index: false }));
    const server: Server = await new Promise((resolve, reject) => {
        const s = app.listen(options.port, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
    });
    listeningPort = (server.address() as AddressInfo).port;
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            })
    };
}
