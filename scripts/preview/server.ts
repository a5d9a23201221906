import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { fetch } from 'undici';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Connection } from '@jsforce/jsforce-node';
import { ApexFailure, assignPermissionSet, canAssignPermissionSet, fieldLabels } from './apex-permission-setup';
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
    /**
     * The "Acting as" switch: the Salesforce user ids of the demo rep and the demo admin. The
     * preview starts as the rep; the header's switch changes who Apex's UserInfo would be.
     */
    actingAs?: { rep: ActingAsUser; admin: ActingAsUser };
    /**
     * The org as the admin Apex runs as (a logged-in jsforce connection), for the Apex that works in
     * Salesforce itself (BackstoryPermissionSetup: the wizard's one-click permission set assignment,
     * field labels). None: that Apex answers as for an admin without the right.
     */
    salesforce?: Connection;
}

export interface ActingAsUser {
    salesforceUserId: string;
    name: string;
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

/**
 * Build the preview when its sources changed (a no-op otherwise). Browser tests call it in
 * `beforeAll`, so that no test's own time limit includes a cold build on a busy machine.
 */
export async function buildPreviewIfStale(): Promise<void> {
    if (!buildIsCurrent()) await buildInChildProcess();
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
 * when a browser says where the request comes from, only its own origin. One exception: a
 * top-level GET navigation to a page (the OAuth callback's redirect back to the wizard, a
 * notification's Salesforce link) may come from another site, as links into Lightning do; the
 * page it opens carries no key and another site cannot read it.
 */
function sameOriginOnly(port: () => number): express.RequestHandler {
    return (req, res, next) => {
        const allowed = [`127.0.0.1:${port()}`, `localhost:${port()}`];
        const host = req.get('host') ?? '';
        if (!allowed.includes(host.toLowerCase()))
            return void res.status(403).type('text').send(`Host ${host} is not this preview (use ${allowed[0]})`);
        if (isPageNavigation(req)) return void next();
        const origin = req.get('origin');
        if (origin !== undefined && origin !== `http://${host.toLowerCase()}`)
            return void res.status(403).type('text').send(`Origin ${origin} may not use this preview`);
        const site = req.get('sec-fetch-site');
        if (site !== undefined && site !== 'same-origin' && site !== 'none')
            return void res.status(403).type('text').send('Only same-origin requests may use this preview');
        next();
    };
}

/** A link followed or a URL typed: GET, for a document, outside the bridge and the preview's own API. */
function isPageNavigation(req: express.Request): boolean {
    return (
        req.method === 'GET' &&
        req.get('sec-fetch-mode') === 'navigate' &&
        req.get('sec-fetch-dest') === 'document' &&
        !req.path.startsWith('/apex/') &&
        !req.path.startsWith('/preview/')
    );
}

/** The Apex error shape an LWC receives: { body: { message } }, message = the error JSON (as BackstoryApiProxy throws it). */
function apexError(status: number, code: string, message: string, details: unknown[] = []) {
    return { body: { message: JSON.stringify({ status, code, message, details }) } };
}

const escapeHtml = (text: string) =>
    text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A Lightning-like shell: the global header, the app's navigation bar, and the page body. */
interface PageExtras {
    actingAs?: { current: 'rep' | 'admin'; rep: ActingAsUser; admin: ActingAsUser } | undefined;
    /** Record pages to open from the navigation (a sample record with Backstory activity). */
    records: { route: string; label: string }[];
}

function actingAsSwitch(extras: PageExtras): string {
    const a = extras.actingAs;
    if (!a) return '<span class="slds-badge slds-badge_inverse">Local preview</span>';
    const option = (who: 'rep' | 'admin', label: string) =>
        `<option value="${who}"${a.current === who ? ' selected' : ''}>${escapeHtml(label)}</option>`;
    return `<div class="slds-grid slds-grid_vertical-align-center">
      <label class="slds-m-right_x-small" for="acting-as">Acting as</label>
      <div class="slds-select_container"><select class="slds-select" id="acting-as" data-id="acting-as">
        ${option('rep', `Demo rep · ${a.rep.name}`)}
        ${option('admin', `Demo admin · ${a.admin.name}`)}
      </select></div>
      <span class="slds-badge slds-badge_inverse slds-m-left_small">Local preview</span>
    </div>
    <script>
      document.getElementById('acting-as').addEventListener('change', async (e) => {
        await fetch('/preview/acting-as', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ who: e.target.value }) });
        window.location.reload();
      });
    </script>`;
}

function page(components: PreviewComponent[], extras: PageExtras = { records: [] }): string {
    const recordTabs = extras.records.map(
        (r) =>
            `<li class="slds-context-bar__item"><a class="slds-context-bar__label-action" href="#${escapeHtml(r.route)}" data-component="${escapeHtml(r.route)}" title="${escapeHtml(r.label)}"><span class="slds-truncate">${escapeHtml(r.label)}</span></a></li>`
    );
    const tabs = components
        .map(
            (c) =>
                `<li class="slds-context-bar__item"><a class="slds-context-bar__label-action" href="#${escapeHtml(c.name)}" data-component="${escapeHtml(c.name)}" title="${escapeHtml(c.label)}"><span class="slds-truncate">${escapeHtml(c.label)}</span></a></li>`
        )
        .concat(recordTabs)
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
  .preview-header .slds-select { color: #181818; min-width: 14rem; }
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
    ${actingAsSwitch(extras)}
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

/** The LWC a Lightning tab shows (`peopleai__Backstory_Follow_Ups` → followUpQuestions), from force-app's tabs. */
function tabComponent(tab: string): string | null {
    const name = tab.replace(/^[a-z0-9]+__/, '');
    if (!/^[A-Za-z0-9_]+$/.test(name)) return null;
    const file = path.join(ROOT, 'force-app', 'main', 'default', 'tabs', `${name}.tab-meta.xml`);
    if (!existsSync(file)) return null;
    const tabXml = readFileSync(file, 'utf8');
    const lwc = /<lwcComponent>([A-Za-z0-9_]+)<\/lwcComponent>/.exec(tabXml)?.[1];
    if (lwc) return lwc;
    // A Lightning page tab: the first component on the page (the preview shows one per page).
    const flexiPage = /<flexiPage>([A-Za-z0-9_]+)<\/flexiPage>/.exec(tabXml)?.[1];
    const pageFile = flexiPage
        ? path.join(ROOT, 'force-app', 'main', 'default', 'flexipages', `${flexiPage}.flexipage-meta.xml`)
        : null;
    if (!pageFile || !existsSync(pageFile)) return null;
    return /<componentName>(?:c:)?([A-Za-z0-9_]+)<\/componentName>/.exec(readFileSync(pageFile, 'utf8'))?.[1] ?? null;
}

/** A sample opportunity with Backstory activity, for the navigation (none when there is no such activity yet). */
async function sampleRecords(options: PreviewOptions): Promise<{ route: string; label: string }[]> {
    try {
        const res = await fetch(new URL('/v1/activities?type=meeting&limit=50', options.middlewareUrl), {
            headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' }
        });
        if (!res.ok) return [];
        const body = (await res.json()) as {
            items: { what: { recordId: string; type: string; name: string | null } | null }[];
        };
        const what = body.items.find((i) => i.what?.type === 'Opportunity')?.what;
        return what ? [{ route: `record/Opportunity/${what.recordId}`, label: what.name ?? 'Sample opportunity' }] : [];
    } catch {
        return [];
    }
}

/**
 * The local preview: the force-app LWCs compiled with lwc + lightning-base-components under SLDS,
 * with the Apex proxy bridged to a running middleware.
 */
export async function startPreview(options: PreviewOptions): Promise<RunningPreview> {
    if (options.build !== false) await buildPreviewIfStale();
    const app = express();
    app.disable('x-powered-by');
    let listeningPort = options.port;
    app.use(sameOriginOnly(() => listeningPort));
    app.use(express.json({ limit: '2mb' }));
    app.use('/assets', express.static(path.join(ROOT, 'node_modules', '@salesforce-ux', 'design-system', 'assets')));
    let current: 'rep' | 'admin' = 'rep';
    const actingUser = (): string | undefined =>
        options.actingAs ? options.actingAs[current].salesforceUserId : options.actingUser;
    app.get('/', async (_req, res) => {
        res.type('html').send(
            page(previewComponents(), {
                actingAs: options.actingAs ? { current, ...options.actingAs } : undefined,
                records: await sampleRecords(options)
            })
        );
    });
    app.post('/preview/acting-as', (req, res) => {
        const who = (req.body as { who?: unknown } | undefined)?.who;
        if (!options.actingAs || (who !== 'rep' && who !== 'admin'))
            return void res.status(400).json({ error: 'who: must be rep or admin (and the preview must know both)' });
        current = who;
        res.json({ actingAs: who, salesforceUserId: options.actingAs[who].salesforceUserId });
    });
    // Salesforce's own URLs, as a notification's link opens them: a tab (`/lightning/n/<tab>?c__…`)
    // and a record (`/lightning/r/<Object>/<id>/view`) open the preview's page for them.
    app.get('/lightning/n/:tab', (req, res) => {
        const component = tabComponent(req.params.tab);
        if (!component) return void res.status(404).type('text').send(`No tab ${req.params.tab} in force-app`);
        const query = new URLSearchParams(req.query as Record<string, string>).toString();
        res.redirect(`/#${component}${query ? `?${query}` : ''}`);
    });
    app.get('/lightning/r/:object/:id/view', (req, res) => {
        res.redirect(`/#record/${encodeURIComponent(req.params.object)}/${encodeURIComponent(req.params.id)}`);
    });
    // BackstoryPermissionSetup.cls, against the org as the admin (apex-permission-setup.ts).
    // Acting as the demo rep, Apex runs as the rep: no session here, so no right to assign.
    const runsAs = (): Connection | undefined =>
        options.actingAs && current !== 'admin' ? undefined : options.salesforce;
    const permissionSetup: Record<string, (params: Record<string, unknown>) => Promise<unknown>> = {
        canAssignPermissionSet: () => canAssignPermissionSet(runsAs()),
        assignPermissionSet: (params) => assignPermissionSet(runsAs(), params.userId),
        fieldLabels: (params) => fieldLabels(runsAs(), params.fields)
    };
    app.post('/apex/BackstoryPermissionSetup.:method', async (req, res) => {
        const run = Object.hasOwn(permissionSetup, req.params.method) ? permissionSetup[req.params.method] : undefined;
        if (!run) return void res.status(404).json(apexError(404, 'not_found', `No Apex method ${req.params.method}`));
        try {
            res.json({ result: await run((req.body ?? {}) as Record<string, unknown>) });
        } catch (error) {
            if (error instanceof ApexFailure)
                return void res.status(500).json(apexError(error.status, error.code, error.message, error.details));
            res.status(500).json(
                apexError(500, 'salesforce_error', error instanceof Error ? error.message : String(error))
            );
        }
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
                    ...(actingUser() ? { 'x-acting-user': actingUser() as string } : {}),
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
                    `The Backstory middleware could not be reached: ${error instanceof Error ? error.message : String(error)}`,
                    // The URL tried, as the wizard tells the admin (Apex: the named credential's URL).
                    [{ path: 'endpoint', message: new URL(target, options.middlewareUrl).origin }]
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
