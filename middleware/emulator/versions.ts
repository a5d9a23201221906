import { identityUrl } from './identity';
import type { EmulatorState } from './state';

/** Every REST API version the emulator serves (31.0 to 64.0, as an org of Winter '26 lists them). */
export const API_VERSIONS: readonly string[] = Array.from({ length: 64 - 31 + 1 }, (_, i) => `${31 + i}.0`);

/** The resources a real version resource (`GET /services/data/vXX.X`) names. */
const RESOURCES = [
    'tooling',
    'metadata',
    'eclair',
    'folders',
    'prechatForms',
    'contact-tracing',
    'chatter',
    'tabs',
    'appMenu',
    'quickActions',
    'queryAll',
    'commerce',
    'wave',
    'iot',
    'analytics',
    'search',
    'smartdatadiscovery',
    'composite',
    'parameterizedSearch',
    'fingerprint',
    'theme',
    'nouns',
    'domino',
    'event',
    'serviceTemplates',
    'recent',
    'connect',
    'licensing',
    'limits',
    'process',
    'async-queries',
    'query',
    'jobs',
    'match',
    'emailConnect',
    'compactLayouts',
    'knowledgeManagement',
    'sobjects',
    'actions',
    'support',
    'ui-api',
    'localizedvalue',
    'dedupe',
    'consent',
    'scheduling'
];

/** The version resource: every resource link, `identity` as the session user's identity URL. */
export function versionResource(state: EmulatorState, version: string, userId: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const r of RESOURCES) out[r] = `/services/data/v${version}/${r}`;
    out.identity = identityUrl(state, userId);
    return out;
}
