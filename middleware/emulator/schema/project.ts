import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

/** Reading an SFDX project: sfdx-project.json, its package directories and metadata XML. */

interface SfdxProject {
    namespace?: string;
    packageDirectories?: { path?: string; default?: boolean }[];
}

function readProject(projectDir: string): SfdxProject {
    const file = path.join(projectDir, 'sfdx-project.json');
    if (!existsSync(file)) return {};
    try {
        return JSON.parse(readFileSync(file, 'utf8')) as SfdxProject;
    } catch (error) {
        throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
    }
}

/** Namespace prefix of the package (sfdx-project.json `namespace`), '' when none. */
export function readNamespace(projectDir: string): string {
    return readProject(projectDir).namespace ?? '';
}

/** Absolute package directories from sfdx-project.json (force-app when the file names none). */
export function packageDirectories(projectDir: string): string[] {
    const dirs = (readProject(projectDir).packageDirectories ?? [])
        .map((d) => d.path)
        .filter((p): p is string => typeof p === 'string' && p.length > 0);
    return (dirs.length > 0 ? dirs : ['force-app']).map((d) => path.resolve(projectDir, d));
}

const SKIPPED_DIRS = new Set(['node_modules', '__tests__', '.sfdx', '.sf', 'jest-mocks', 'test']);

/**
 * Every folder named `name` inside the package directories (source format lets metadata sit
 * under any path, `main/default` is only the convention), in a stable order.
 */
export function findMetadataDirs(projectDir: string, name: string): string[] {
    const found: string[] = [];
    const walk = (dir: string, depth: number) => {
        if (depth > 6 || !existsSync(dir)) return;
        for (const entry of readdirSync(dir).sort()) {
            if (SKIPPED_DIRS.has(entry) || entry.startsWith('.')) continue;
            const full = path.join(dir, entry);
            if (!statSync(full).isDirectory()) continue;
            if (entry === name) found.push(full);
            else walk(full, depth + 1);
        }
    };
    for (const dir of packageDirectories(projectDir)) walk(dir, 0);
    return found;
}

/** Element names that repeat in the metadata types the emulator reads. */
const REPEATED = new Set([
    'value',
    'customValue',
    'fieldPermissions',
    'objectPermissions',
    'userPermissions',
    'customPermissions',
    'classAccesses',
    'tabSettings',
    'recordTypeVisibilities',
    'applicationVisibilities',
    'pageAccesses',
    'customMetadataTypeAccesses',
    'customSettingAccesses',
    'externalCredentialPrincipalAccesses',
    'flowAccesses'
]);

const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => REPEATED.has(name)
});

/** Parse one metadata file and return its root element (`CustomField`, `PermissionSet` …). */
export function parseMetadata<T>(xmlText: string, root: string, fileName: string): T {
    let doc: Record<string, unknown>;
    try {
        doc = parser.parse(xmlText, true) as Record<string, unknown>;
    } catch (error) {
        throw new Error(`${fileName}: not well-formed XML (${(error as Error).message})`);
    }
    const element = doc[root];
    if (element === undefined || element === null || typeof element !== 'object') {
        throw new Error(`${fileName}: expected a <${root}> document`);
    }
    return element as T;
}

export const isTrue = (value: unknown) => value === 'true';

/** `Foo__c` → `ns__Foo__c` (custom names only, and only once). */
export function withNamespace(apiName: string, namespace: string): string {
    if (!namespace || !/__(c|r)$/.test(apiName)) return apiName;
    // Already qualified: ns__Name__c has two double underscores.
    if (/^[A-Za-z][A-Za-z0-9]*__[A-Za-z0-9_]+__(c|r)$/.test(apiName) && apiName.split('__').length > 2) return apiName;
    return `${namespace}__${apiName}`;
}
