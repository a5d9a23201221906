import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import path from 'node:path';
import { LWC_DIR } from './paths';

/** An LWC the preview can show: build.ts bundles it, the server lists it in the navigation. */
export interface PreviewComponent {
    /** Bundle name, e.g. permissionChecker (the preview's route: #permissionChecker). */
    name: string;
    /** Custom element tag, e.g. c-permission-checker. */
    tag: string;
    /** The navigation label: the bundle's masterLabel without the "Backstory " prefix. */
    label: string;
}

// Record pages are left out: without a record the component would have nothing to show.
const PAGE_TARGETS = new Set(['lightning__AppPage', 'lightning__Tab', 'lightning__HomePage']);

/**
 * The LWCs a person can open: bundles that are exposed on a Lightning page or tab (js-meta.xml),
 * like the ones an admin could drop on a page in the org. Service modules (isExposed false) are not.
 */
export function previewComponents(): PreviewComponent[] {
    if (!existsSync(LWC_DIR)) return [];
    const parser = new XMLParser({ isArray: (name) => name === 'target' });
    return readdirSync(LWC_DIR)
        .filter((name) => existsSync(path.join(LWC_DIR, name, `${name}.js-meta.xml`)))
        .flatMap((name) => {
            const meta = (
                parser.parse(readFileSync(path.join(LWC_DIR, name, `${name}.js-meta.xml`), 'utf8')) as {
                    LightningComponentBundle?: {
                        isExposed?: boolean;
                        masterLabel?: string;
                        targets?: { target?: string[] };
                    };
                }
            ).LightningComponentBundle;
            const targets = meta?.targets?.target ?? [];
            if (meta?.isExposed !== true || !targets.some((t) => PAGE_TARGETS.has(t))) return [];
            const tag = `c-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
            const label = String(meta.masterLabel ?? name).replace(/^Backstory\s+/, '');
            return [{ name, tag, label }];
        })
        .sort((a, b) => a.label.localeCompare(b.label));
}

/** An LWC that sits on record pages (lightning__RecordPage), with the objects it is offered for. */
export interface RecordPageComponent {
    name: string;
    tag: string;
    objects: string[];
}

/** The record-page LWCs: the preview's record pages (#record/Opportunity/006…) show them with the record's id. */
export function recordPageComponents(): RecordPageComponent[] {
    if (!existsSync(LWC_DIR)) return [];
    const parser = new XMLParser({
        isArray: (name) => name === 'target' || name === 'object' || name === 'targetConfig'
    });
    return readdirSync(LWC_DIR)
        .filter((name) => existsSync(path.join(LWC_DIR, name, `${name}.js-meta.xml`)))
        .flatMap((name) => {
            const meta = (
                parser.parse(readFileSync(path.join(LWC_DIR, name, `${name}.js-meta.xml`), 'utf8')) as {
                    LightningComponentBundle?: {
                        isExposed?: boolean;
                        targets?: { target?: string[] };
                        targetConfigs?: { targetConfig?: { '@_targets'?: string; objects?: { object?: string[] } }[] };
                    };
                }
            ).LightningComponentBundle;
            if (meta?.isExposed !== true || !(meta.targets?.target ?? []).includes('lightning__RecordPage')) return [];
            const objects = (meta.targetConfigs?.targetConfig ?? []).flatMap((c) => c.objects?.object ?? []);
            const tag = `c-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
            return [{ name, tag, objects }];
        })
        .sort((a, b) => a.name.localeCompare(b.name));
}
