import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Express, Request, Response } from 'express';

/**
 * GET /docs: a readable API reference rendered in the browser by Scalar's standalone bundle
 * (`@scalar/api-reference`, served from node_modules: no CDN, no network) from /openapi.json.
 */
export const DOCS_BUNDLE_PATH = '/docs/assets/scalar-standalone.js';

function bundleFile(): string {
    // The package's main entry sits in dist/; the browser bundle in dist/browser/.
    return path.join(path.dirname(require.resolve('@scalar/api-reference')), 'browser', 'standalone.js');
}

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Backstory Companion API reference</title>
</head>
<body>
<noscript>This reference needs JavaScript. The same content is in docs/api.md and at /openapi.json.</noscript>
<div id="app"></div>
<script src="${DOCS_BUNDLE_PATH}"></script>
<script>
Scalar.createApiReference('#app', { url: '/openapi.json', withDefaultFonts: false, hideClientButton: true });
</script>
</body>
</html>
`;

export function mountDocs(app: Express): void {
    const file = bundleFile();
    app.get('/docs', (_req: Request, res: Response) => {
        res.type('html').send(page);
    });
    app.get(DOCS_BUNDLE_PATH, (_req: Request, res: Response) => {
        if (!existsSync(file)) {
            res.status(500).json({
                error: { code: 'internal', message: 'The Scalar bundle is not installed', details: [] }
            });
            return;
        }
        res.type('application/javascript').setHeader('cache-control', 'public, max-age=3600');
        res.sendFile(file);
    });
}
