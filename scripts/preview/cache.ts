import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { APP_DIR, LABELS, LWC_DIR, OUT_DIR, ROOT } from './paths';

// The build cache: .preview-build is rebuilt only when what it is built from changed. Kept free of
// the compiler's imports so that `npm start` can check it in a few milliseconds.

const STAMP = path.join(OUT_DIR, '.source-hash');
// The compiler and the base components count too: an upgrade must rebuild.
const TOOLCHAIN = ['lwc', '@lwc/rollup-plugin', '@lwc/synthetic-shadow', 'lightning-base-components'];

function files(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
        const p = path.join(dir, f);
        if (f === '__tests__') return [];
        return statSync(p).isDirectory() ? files(p) : [p];
    });
}

/** A hash of the LWC sources, the custom labels, the preview app and build script, and the toolchain versions. */
export function sourceHash(): string {
    const h = createHash('sha256');
    const sources = [
        ...(existsSync(LWC_DIR) ? files(LWC_DIR) : []),
        ...files(APP_DIR),
        path.join(__dirname, 'build.ts'),
        ...(existsSync(LABELS) ? [LABELS] : [])
    ];
    for (const f of sources.sort()) h.update(path.relative(ROOT, f)).update(readFileSync(f));
    for (const pkg of TOOLCHAIN) h.update(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json')));
    return h.digest('hex');
}

/** True when .preview-build was built from exactly these sources. */
export function buildIsCurrent(hash = sourceHash()): boolean {
    return existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash;
}

export function markBuilt(hash: string): void {
    writeFileSync(STAMP, hash);
}
