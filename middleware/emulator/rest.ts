import { actionsResource } from './actions';
import { bulkIngestResource } from './bulk2-ingest';
import { bulkQueryResource } from './bulk2-query';
import { compositeResource } from './composite';
import { notFound } from './errors';
import { limitsResource } from './limits';
import { queryResource } from './query';
import { parameterizedSearchResource, searchResource } from './search';
import type { RestRequest, RestResult } from './rest-context';
import { sobjectsResource } from './sobjects';
import type { EmulatorState } from './state';
import { versionResource } from './versions';

export type { RestRequest, RestResult } from './rest-context';

/** Route one REST call below /services/data/vXX.X (also used by /composite for its sub-requests). */
export async function dispatch(state: EmulatorState, req: RestRequest): Promise<RestResult> {
    const { version } = req;
    const segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    const [head, a] = segments;

    if (segments.length === 0) return { status: 200, body: versionResource(state, version, req.session.userId) };

    switch (head) {
        case 'limits':
            return { status: 200, body: limitsResource(state) };
        case 'query':
        case 'queryAll':
            return queryResource(state, req, head === 'queryAll', a);
        case 'sobjects':
            return sobjectsResource(state, req, segments.slice(1));
        case 'composite':
            return compositeResource(state, req, segments.slice(1), dispatch);
        case 'jobs':
            if (a === 'query') return bulkQueryResource(state, req, segments.slice(2));
            if (a === 'ingest') return bulkIngestResource(state, req, segments.slice(2));
            throw notFound();
        case 'search':
            if (a) throw notFound();
            return searchResource(state, req);
        case 'parameterizedSearch':
            if (a) throw notFound();
            return parameterizedSearchResource(state, req);
        case 'recent':
            // Recently viewed records: the emulator has no UI, so nothing was viewed.
            if (a || req.method !== 'GET') throw notFound();
            return { status: 200, body: [] };
        case 'actions':
            return actionsResource(state, req, segments.slice(1));
        default:
            throw notFound();
    }
}
