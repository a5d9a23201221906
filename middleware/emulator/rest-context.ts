import { SfError, notFound } from './errors';
import { faultError, type Operation } from './faults';
import type { EmulatorState, Session } from './state';
import type { UnitOfWork, WriteContext } from './writes';

/** What every REST surface shares: the request and result of one call, faults, write context, errors. */

export const MAX_COLLECTION = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RestRequest {
    method: string;
    path: string;
    query: URLSearchParams;
    body: unknown;
    session: Session;
    version: string;
    headers?: Record<string, string | undefined>;
}

export interface RestResult {
    status: number;
    body?: unknown;
    raw?: string;
    contentType?: string;
    headers?: Record<string, string>;
}

export async function applyFaults(
    state: EmulatorState,
    operation: Operation,
    object: string | undefined,
    session: Session
): Promise<void> {
    const latency = state.faults.take(operation, object, ['LATENCY']);
    if (latency) await sleep(latency.latencyMs ?? 1000);
    const expiry = state.faults.take(operation, object, ['SESSION_EXPIRED']);
    if (expiry) {
        state.expireSessions(session.userId);
        throw new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    const f = state.faults.take(operation, object, ['UNABLE_TO_LOCK_ROW', 'REQUEST_LIMIT_EXCEEDED', 'SERVER_ERROR']);
    if (f) throw faultError(f);
}

export function writeContext(state: EmulatorState, session: Session, unit?: UnitOfWork): WriteContext {
    return {
        org: state.org,
        access: state.org.access(session.userId),
        ...(unit ? { unit } : {}),
        validate: (object, operation) => {
            const f = state.faults.take(operation, object, ['FIELD_CUSTOM_VALIDATION_EXCEPTION']);
            if (f) throw faultError(f);
        }
    };
}

export function collectionError(e: unknown): { statusCode: string; message: string; fields: string[] } {
    const err = e instanceof SfError ? e : new SfError(500, 'UNKNOWN_EXCEPTION', String(e));
    return { statusCode: err.errorCode, message: err.message, fields: err.fields };
}

export const ROLLED_BACK = {
    statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
    fields: [] as string[]
};

/** The canonical name of /sobjects/<name>: 404 NOT_FOUND when unknown or not readable by the user. */
export function sobjectName(state: EmulatorState, session: Session, name: string): string {
    let object: string;
    try {
        object = state.org.objectName(name);
    } catch {
        throw notFound();
    }
    if (!state.org.access(session.userId).object(object).read) throw notFound();
    return object;
}

/** Route one REST call below /services/data/vXX.X (passed to surfaces that nest calls). */
export type Dispatch = (state: EmulatorState, req: RestRequest) => Promise<RestResult>;
