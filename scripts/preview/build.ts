import { readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import resolve from '@rollup/plugin-node-resolve';
import { XMLParser } from 'fast-xml-parser';
import { rollup, type Plugin } from 'rollup';

import { previewComponents, recordPageComponents, type PreviewComponent } from './components';
import { buildIsCurrent, markBuilt, sourceHash } from './cache';
import { APP_DIR, LABELS, LWC_DIR, OUT_DIR, ROOT } from './paths';

/** `@salesforce/label/c.Name` → the label's value from force-app's CustomLabels. */
function customLabels(): Plugin {
    const doc = new XMLParser({ isArray: (name) => name === 'labels' }).parse(readFileSync(LABELS, 'utf8')) as {
        CustomLabels: { labels: { fullName: string; value: string }[] };
    };
    const values = new Map(doc.CustomLabels.labels.map((l) => [`c.${l.fullName}`, String(l.value)]));
    return {
        name: 'backstory-custom-labels',
        resolveId(id) {
            return id.startsWith('@salesforce/label/c.') ? `\0label:${id.slice('@salesforce/label/'.length)}` : null;
        },
        load(id) {
            if (!id.startsWith('\0label:')) return null;
            const key = id.slice('\0label:'.length);
            const value = values.get(key);
            if (value === undefined) this.error(`custom label ${key} is not in CustomLabels.labels-meta.xml`);
            return `export default ${JSON.stringify(value)};`;
        }
    };
}

/** The Apex methods the preview server answers (server.ts), besides BackstoryApiProxy.send. */
const BRIDGED_APEX = new Set([
    'BackstoryPermissionSetup.canAssignPermissionSet',
    'BackstoryPermissionSetup.assignPermissionSet',
    'BackstoryPermissionSetup.fieldLabels'
]);

/** `@salesforce/apex/<Class>.<method>` → the bridge to the preview server. */
function apexBridge(): Plugin {
    const bridge = path.join(APP_DIR, 'apex-bridge.js');
    return {
        name: 'backstory-apex-bridge',
        resolveId(id, importer) {
            if (id === '@salesforce/apex/BackstoryApiProxy.send') return bridge;
            const method = id.startsWith('@salesforce/apex/') ? id.slice('@salesforce/apex/'.length) : '';
            if (BRIDGED_APEX.has(method)) return `\0apex:${method}`;
            // The npm base components do not ship force/navigation: the preview's hash routes stand in.
            if (id === 'lightning/navigation') return path.join(APP_DIR, 'navigation.js');
            // lightning-base-components map their own @salesforce/* imports; ours must be known here.
            if (
                id.startsWith('@salesforce/') &&
                importer?.startsWith(LWC_DIR) &&
                !id.startsWith('@salesforce/label/c.')
            )
                this.error(
                    `${id} (imported by ${path.relative(ROOT, importer)}): the preview provides only custom labels and ` +
                        'the bridged Apex methods; LWCs reach Apex through c/backstoryApi'
                );
            return null;
        },
        load(id) {
            if (!id.startsWith('\0apex:')) return null;
            const method = id.slice('\0apex:'.length);
            return `import { callApex } from ${JSON.stringify(bridge)};\nexport default (params) => callApex(${JSON.stringify(method)}, params);\n`;
        }
    };
}

/** `preview:components` → a module that imports every previewable LWC, for main.js to mount. */
function componentRegistry(components: PreviewComponent[]): Plugin {
    return {
        name: 'backstory-preview-components',
        resolveId: (id) => (id === 'preview:components' ? '\0preview:components' : null),
        load(id) {
            if (id !== '\0preview:components') return null;
            const imports = components.map((c, i) => `import C${i} from 'c/${c.name}';`);
            const entries = components.map(
                (c, i) =>
                    `    { name: ${JSON.stringify(c.name)}, tag: ${JSON.stringify(c.tag)}, label: ${JSON.stringify(c.label)}, ctor: C${i} }`
            );
            const records = recordPageComponents();
            const recordImports = records.map((c, i) => `import R${i} from 'c/${c.name}';`);
            const recordEntries = records.map(
                (c, i) =>
                    `    { name: ${JSON.stringify(c.name)}, tag: ${JSON.stringify(c.tag)}, objects: ${JSON.stringify(c.objects)}, ctor: R${i} }`
            );
            return (
                `${[...imports, ...recordImports].join('\n')}\nexport const COMPONENTS = [\n${entries.join(',\n')}\n];\n` +
                `export const RECORD_COMPONENTS = [\n${recordEntries.join(',\n')}\n];\n`
            );
        }
    };
}

/** Build the LWCs of force-app into .preview-build (skipped when the sources are unchanged). */
export async function buildPreview(options: { force?: boolean } = {}): Promise<{ built: boolean; ms: number }> {
    const started = Date.now();
    const hash = sourceHash();
    if (!options.force && buildIsCurrent(hash)) return { built: false, ms: Date.now() - started };
    // Built beside and swapped in at the end: a server still serving the old build never sees half a new one.
    // (under node_modules/.cache: ignored by git, eslint and prettier, on the same file system).
    const staging = path.join(ROOT, 'node_modules', '.cache', `backstory-preview-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    const bundles = readdirSync(LWC_DIR).filter((d) => statSync(path.join(LWC_DIR, d)).isDirectory());
    const components = previewComponents();
    try {
        const bundle = await rollup({
            input: path.join(APP_DIR, 'main.js'),
            plugins: [
                customLabels(),
                apexBridge(),
                componentRegistry(components),
                replace({
                    preventAssignment: true,
                    values: { 'process.env.NODE_ENV': JSON.stringify('production'), 'import.meta.env.SSR': 'false' }
                }),
                lwc({
                    rootDir: LWC_DIR,
                    modules: [
                        ...bundles.map((name) => ({ name: `c/${name}`, path: path.join(LWC_DIR, name, `${name}.js`) })),
                        { npm: 'lightning-base-components' }
                    ],
                    enableDynamicComponents: true,
                    enableSyntheticElementInternals: true
                }),
                resolve()
            ],
            onwarn: (warning, warn) => {
                if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
                // The base components' own template warnings (LWC1137 in lightning-card) are not ours to fix.
                if (warning.id?.includes(`${path.sep}lightning-base-components${path.sep}`)) return;
                warn(warning);
            }
        });
        await bundle.write({
            dir: staging,
            format: 'esm',
            entryFileNames: 'app.js',
            chunkFileNames: 'chunks/[name]-[hash].js'
        });
        await bundle.close();
    } catch (error) {
        rmSync(staging, { recursive: true, force: true });
        throw error;
    }
    rmSync(OUT_DIR, { recursive: true, force: true });
    renameSync(staging, OUT_DIR);
    markBuilt(hash);
    return { built: true, ms: Date.now() - started };
}

if (require.main === module) {
    buildPreview({ force: process.argv.includes('--force') }).then(
        (r) =>
            process.stdout.write(
                r.built ? `built .preview-build in ${(r.ms / 1000).toFixed(1)} s\n` : 'preview build is up to date\n'
            ),
        (error: unknown) => {
            process.stderr.write(`preview build failed: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exit(1);
        }
    );
}
