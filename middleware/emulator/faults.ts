import { SfError } from './errors';

export type FaultKind =
    | 'UNABLE_TO_LOCK_ROW'
    | 'REQUEST_LIMIT_EXCEEDED'
    | 'SERVER_ERROR'
    | 'LATENCY'
    | 'SESSION_EXPIRED'
    | 'FIELD_CUSTOM_VALIDATION_EXCEPTION';

export type Operation = 'query' | 'describe' | 'create' | 'update' | 'delete' | 'upsert' | 'retrieve' | 'bulk' | 'any';

export interface FaultSpec {
    kind: FaultKind;
    /** Only calls on this object (any object when omitted). */
    object?: string;
    operation?: Operation;
    /** How many matching calls fail (default 1). */
    count?: number;
    /** LATENCY: milliseconds to wait. SERVER_ERROR: the status (default 500). */
    latencyMs?: number;
    status?: number;
    /** FIELD_CUSTOM_VALIDATION_EXCEPTION: the rule's message and field. */
    message?: string;
    field?: string;
}

interface ActiveFault extends FaultSpec {
    id: number;
    remaining: number;
}

/** Faults injected through the admin surface, consumed by matching calls. */
export class Faults {
    private faults: ActiveFault[] = [];
    private nextId = 1;

    inject(spec: FaultSpec): { id: number } {
        const id = this.nextId++;
        this.faults.push({ ...spec, id, remaining: spec.count ?? 1 });
        return { id };
    }

    clear(): void {
        this.faults = [];
    }

    list(): ActiveFault[] {
        return this.faults.map((f) => ({ ...f }));
    }

    /** Take the first fault matching this call (decrements its count). */
    take(operation: Operation, object: string | undefined, kinds?: FaultKind[]): ActiveFault | undefined {
        const f = this.faults.find(
            (x) =>
                x.remaining > 0 &&
                (!kinds || kinds.includes(x.kind)) &&
                (x.operation === undefined || x.operation === 'any' || x.operation === operation) &&
                (x.object === undefined || object === undefined || x.object.toLowerCase() === object.toLowerCase())
        );
        if (!f) return undefined;
        f.remaining -= 1;
        if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
        return f;
    }
}

/** The error a fault produces (LATENCY and SESSION_EXPIRED are handled by the caller). */
export function faultError(f: FaultSpec): SfError {
    switch (f.kind) {
        case 'UNABLE_TO_LOCK_ROW':
            return new SfError(
                400,
                'UNABLE_TO_LOCK_ROW',
                'unable to obtain exclusive access to this record or 1 records'
            );
        case 'REQUEST_LIMIT_EXCEEDED':
            return new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
        case 'SERVER_ERROR':
            return new SfError(
                f.status ?? 500,
                'UNKNOWN_EXCEPTION',
                'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)'
            );
        case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
            return new SfError(
                400,
                'FIELD_CUSTOM_VALIDATION_EXCEPTION',
                f.message ?? 'Blocked by a validation rule',
                f.field ? [f.field] : []
            );
        default:
            return new SfError(500, 'UNKNOWN_EXCEPTION', `fault ${f.kind}`);
    }
}
