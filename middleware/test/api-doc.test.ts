import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fetch } from 'undici';
import { documentedOperations, openApiOperations } from '../../scripts/api-doc';
import { startTestApp, type TestApp } from './helpers/app';

const apiMd = () => readFileSync(path.resolve(__dirname, '../../docs/api.md'), 'utf8');

describe('docs/api.md and GET /docs', () => {
    let app: TestApp;
    let openApi: { paths: Record<string, Record<string, unknown>> };
    beforeAll(async () => {
        app = await startTestApp();
        openApi = (await (await fetch(`${app.url}/openapi.json`)).json()) as typeof openApi;
    }, 120_000);
    afterAll(async () => app?.close());

    it('every path and method of /openapi.json is documented in docs/api.md (npm run docs:api)', () => {
        const documented = new Set(documentedOperations(apiMd()));
        const missing = openApiOperations(openApi).filter((op) => !documented.has(op));
        expect(missing).toEqual([]);
    });

    it('docs/api.md names no path or method that /openapi.json does not have', () => {
        const served = new Set(openApiOperations(openApi));
        const extra = documentedOperations(apiMd()).filter((op) => !served.has(op));
        expect(extra).toEqual([]);
        expect(documentedOperations(apiMd()).length).toBeGreaterThan(30);
    });

    it('GET /docs renders the reference from the local Scalar bundle and /openapi.json', async () => {
        const res = await fetch(`${app.url}/docs`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/text\/html/);
        const html = await res.text();
        expect(html).toContain("url: '/openapi.json'");
        const src = /<script src="([^"]+)"><\/script>/.exec(html)?.[1];
        expect(src).toMatch(/^\/docs\/assets\//); // served here, not from a CDN
        expect(html).not.toMatch(/https?:\/\//);
        const bundle = await fetch(`${app.url}${src}`);
        expect(bundle.status).toBe(200);
        expect(bundle.headers.get('content-type')).toMatch(/javascript/);
        expect(await bundle.text()).toContain('createApiReference');
    });
});
