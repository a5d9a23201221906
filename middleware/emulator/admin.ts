import { createPublicKey } from 'node:crypto';
import express, { type Response } from 'express';
import { SfError } from './errors';
import type { FaultKind, FaultSpec, Operation } from './faults';
import type { SfRecord } from './org';
import { insertSystem } from './seed';
import type { EmulatorState, LoggedRequest, Notification } from './state';

export type OrgWideDefaultObject = 'Account' | 'Contact' | 'Lead' | 'Opportunity';
/** Salesforce's access levels; 'Private' is stored as 'None' on Organization, as Salesforce does. */
export type OrgWideAccess = 'Private' | 'None' | 'Read' | 'Edit' | 'ReadEditTransfer' | 'ControlledByParent';

export interface ConnectedAppSpec {
    clientId: string;
    clientSecret?: string;
    /** PEM X.509 certificate or public key that verifies JWT bearer assertions (RS256). */
    certificate?: string;
    /** Username the client-credentials flow runs as. */
    runAsUsername?: string;
    /** Callback URLs the authorization-code flow may redirect to (none: any http(s) URL). */
    callbackUrls?: string[];
}

/** Tests and scripts inspect and steer the emulator through this; `/__emulator/*` offers the same over HTTP. */
export interface EmulatorAdmin {
    /** API calls counted against DailyApiRequests since start or the last reset. */
    apiCalls(): number;
    resetApiCalls(): void;
    /** Clear faults, the API-call counter, the request log and recorded notifications. */
    reset(): void;
    requestLog(): { method: string; path: string; status: number; counted: boolean; userId: string | null }[];
    clearRequestLog(): void;
    injectFault(spec: FaultSpec): { id: number };
    clearFaults(): void;
    /** Org-wide default of Account/Contact/Lead/Opportunity (read back on Organization.Default<Object>Access). */
    setOrgWideDefault(object: OrgWideDefaultObject, access: OrgWideAccess): void;
    /** Turn multi-currency on (CurrencyIsoCode fields, CurrencyType, DatedConversionRate) or off. */
    setMultiCurrency(enabled: boolean): void;
    /** Expire the sessions of one user (or all): their next call answers 401 INVALID_SESSION_ID. */
    expireSessions(userId?: string): number;
    notifications(): Notification[];
    setApiLimit(max: number): void;
    /** Insert records directly, without permission checks (bulk loads); system fields are filled. */
    insertRecords(object: string, records: Record<string, unknown>[], ownerUsername?: string): SfRecord[];
    /** The private key (PKCS#8 PEM) of the demo connected app's signing key, to sign JWT bearer assertions. */
    jwtPrivateKey(): string;
    /** Its public key (SPKI PEM), the one the token endpoint verifies with. */
    jwtPublicKey(): string;
    /** Add a connected app or change one (secret, certificate, run-as user). */
    registerConnectedApp(spec: ConnectedAppSpec): void;
    userId(username: string): string;
}

const OWD_OBJECTS: OrgWideDefaultObject[] = ['Account', 'Contact', 'Lead', 'Opportunity'];
const OWD_LEVELS: OrgWideAccess[] = ['Private', 'None', 'Read', 'Edit', 'ReadEditTransfer', 'ControlledByParent'];
const FAULT_KINDS: FaultKind[] = [
    'UNABLE_TO_LOCK_ROW',
    'REQUEST_LIMIT_EXCEEDED',
    'SERVER_ERROR',
    'LATENCY',
    'SESSION_EXPIRED',
    'FIELD_CUSTOM_VALIDATION_EXCEPTION'
];
const OPERATIONS: Operation[] = [
    'query',
    'describe',
    'create',
    'update',
    'delete',
    'upsert',
    'retrieve',
    'bulk',
    'any'
];

function bad(field: string, message: string): SfError {
    return new SfError(400, 'INVALID_FIELD', `${field}: ${message}`, [field]);
}

/** Check a fault spec coming from outside (HTTP or a test), naming the bad field. */
export function checkFaultSpec(spec: unknown): FaultSpec {
    if (!spec || typeof spec !== 'object') throw bad('kind', 'a fault is a JSON object with a kind');
    const s = spec as Record<string, unknown>;
    if (!FAULT_KINDS.includes(s.kind as FaultKind)) throw bad('kind', `must be one of ${FAULT_KINDS.join(', ')}`);
    if (s.operation !== undefined && !OPERATIONS.includes(s.operation as Operation))
        throw bad('operation', `must be one of ${OPERATIONS.join(', ')}`);
    if (s.object !== undefined && typeof s.object !== 'string') throw bad('object', 'must be an object name');
    for (const k of ['count', 'latencyMs', 'status'] as const) {
        if (s[k] !== undefined && (!Number.isInteger(s[k]) || (s[k] as number) < 0))
            throw bad(k, 'must be a non-negative integer');
    }
    if (s.status !== undefined && ((s.status as number) < 500 || (s.status as number) > 599))
        throw bad('status', 'must be a 5xx status');
    for (const k of ['message', 'field'] as const)
        if (s[k] !== undefined && typeof s[k] !== 'string') throw bad(k, 'must be a string');
    return s as unknown as FaultSpec;
}

/** The admin operations over one emulator's state (used by the handle and by the HTTP surface). */
export function createAdmin(
    state: EmulatorState,
    options: { reloadSchema: (multiCurrency: boolean) => void; defaultOwnerId: () => string }
): EmulatorAdmin {
    const { org } = state;
    const admin: EmulatorAdmin = {
        apiCalls: () => state.apiCalls,
        resetApiCalls: () => {
            state.apiCalls = 0;
        },
        reset: () => {
            state.apiCalls = 0;
            state.faults.clear();
            state.requestLog.length = 0;
            state.notifications.length = 0;
        },
        requestLog: () =>
            state.requestLog.map((r: LoggedRequest) => ({
                method: r.method,
                path: r.path,
                status: r.status,
                counted: r.counted,
                userId: r.userId
            })),
        clearRequestLog: () => {
            state.requestLog.length = 0;
        },
        injectFault: (spec) => state.faults.inject(checkFaultSpec(spec)),
        clearFaults: () => state.faults.clear(),
        setOrgWideDefault: (object, access) => {
            if (!OWD_OBJECTS.includes(object)) throw bad('object', `must be one of ${OWD_OBJECTS.join(', ')}`);
            if (!OWD_LEVELS.includes(access)) throw bad('access', `must be one of ${OWD_LEVELS.join(', ')}`);
            if (access === 'ControlledByParent' && object !== 'Contact')
                throw bad('access', 'ControlledByParent is only available for Contact');
            org.put('Organization', {
                ...org.organization(),
                [`Default${object}Access`]: access === 'Private' ? 'None' : access
            });
        },
        setMultiCurrency: (enabled) => options.reloadSchema(enabled),
        expireSessions: (userId) => state.expireSessions(userId),
        notifications: () => [...state.notifications],
        setApiLimit: (max) => {
            if (!Number.isInteger(max) || max < 0) throw bad('max', 'must be a non-negative integer');
            state.apiLimit = max;
        },
        insertRecords: (object, records, ownerUsername) => {
            const name = org.objectName(object);
            const owner = ownerUsername ? state.userByUsername(ownerUsername)?.Id : options.defaultOwnerId();
            if (!owner) throw bad('ownerUsername', `no user ${ownerUsername ?? ''}`);
            const hasOwner = org.table(name).fields.has('ownerid');
            const stamp = org.stamps(records.length);
            return records.map((r, i) =>
                insertSystem(
                    org,
                    name,
                    hasOwner && r.OwnerId === undefined ? { ...r, OwnerId: owner } : r,
                    options.defaultOwnerId(),
                    stamp(i)
                )
            );
        },
        jwtPrivateKey: () => state.demoKeys.privateKey,
        jwtPublicKey: () => state.demoKeys.publicKey,
        registerConnectedApp: (spec) => {
            if (!spec.clientId) throw bad('clientId', 'is required');
            const existing = state.apps.get(spec.clientId);
            let publicKey = existing?.publicKey ?? state.demoKeys.publicKey;
            if (spec.certificate !== undefined) {
                try {
                    publicKey = createPublicKey(spec.certificate).export({ type: 'spki', format: 'pem' }).toString();
                } catch {
                    throw bad('certificate', 'must be a PEM X.509 certificate or public key');
                }
            }
            let runAsUserId = existing?.runAsUserId ?? '';
            if (spec.runAsUsername !== undefined) {
                const u = state.userByUsername(spec.runAsUsername);
                if (!u) throw bad('runAsUsername', `no user ${spec.runAsUsername}`);
                runAsUserId = u.Id;
            }
            if (
                spec.callbackUrls !== undefined &&
                (!Array.isArray(spec.callbackUrls) ||
                    spec.callbackUrls.some((u) => typeof u !== 'string' || !/^https?:\/\/\S+$/.test(u)))
            )
                throw bad('callbackUrls', 'must be an array of http(s) URLs');
            state.apps.set(spec.clientId, {
                clientId: spec.clientId,
                clientSecret: spec.clientSecret ?? existing?.clientSecret ?? '',
                publicKey,
                runAsUserId,
                callbackUrls: spec.callbackUrls ?? existing?.callbackUrls ?? []
            });
        },
        userId: (username) => {
            const u = state.userByUsername(username);
            if (!u) throw new Error(`no user ${username}`);
            return u.Id;
        }
    };
    return admin;
}

const JSON_TYPE = 'application/json;charset=UTF-8';

function send(res: Response, status: number, body: unknown): void {
    res.status(status).setHeader('Content-Type', JSON_TYPE);
    res.end(JSON.stringify(body));
}

/** `/__emulator/*`: the same operations over HTTP, for an emulator running in another process. */
export function adminRouter(state: EmulatorState, admin: EmulatorAdmin): express.Router {
    const r = express.Router();
    const body = (req: express.Request): Record<string, unknown> =>
        req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    const handle =
        (fn: (req: express.Request) => [number, unknown]) => (req: express.Request, res: express.Response) => {
            try {
                const [status, out] = fn(req);
                send(res, status, out);
            } catch (error) {
                if (error instanceof SfError) send(res, error.status, [error.toJSON()]);
                else send(res, 500, [{ message: String(error), errorCode: 'UNKNOWN_EXCEPTION', fields: [] }]);
            }
        };
    r.get(
        '/state',
        handle(() => [
            200,
            {
                orgId: state.org.orgId,
                apiCalls: state.apiCalls,
                apiLimit: state.apiLimit,
                multiCurrency: state.org.tables.has('CurrencyType'),
                faults: state.faults.list(),
                notifications: state.notifications.length,
                records: Object.fromEntries(
                    [...state.org.tables].map(([n, t]) => [n, [...t.rows.values()].filter((x) => !x.IsDeleted).length])
                )
            }
        ])
    );
    r.post(
        '/reset',
        handle(() => {
            admin.reset();
            return [200, { reset: true }];
        })
    );
    r.get(
        '/api-calls',
        handle(() => [200, { apiCalls: admin.apiCalls(), apiLimit: state.apiLimit }])
    );
    r.post(
        '/api-calls/reset',
        handle(() => {
            admin.resetApiCalls();
            return [200, { apiCalls: 0 }];
        })
    );
    r.put(
        '/api-limit',
        handle((req) => {
            admin.setApiLimit(body(req).max as number);
            return [200, { apiLimit: state.apiLimit }];
        })
    );
    r.get(
        '/requests',
        handle(() => [200, state.requestLog])
    );
    r.delete(
        '/requests',
        handle(() => {
            admin.clearRequestLog();
            return [200, { cleared: true }];
        })
    );
    r.post(
        '/faults',
        handle((req) => [201, admin.injectFault(body(req) as unknown as FaultSpec)])
    );
    r.get(
        '/faults',
        handle(() => [200, state.faults.list()])
    );
    r.delete(
        '/faults',
        handle(() => {
            admin.clearFaults();
            return [200, { cleared: true }];
        })
    );
    r.post(
        '/sessions/expire',
        handle((req) => {
            const userId = body(req).userId;
            if (userId !== undefined && typeof userId !== 'string') throw bad('userId', 'must be a user id');
            return [200, { expired: admin.expireSessions(userId) }];
        })
    );
    r.put(
        '/org-wide-defaults',
        handle((req) => {
            const entries = Object.entries(body(req));
            // Check every entry first: a bad one changes nothing.
            for (const [object, access] of entries) {
                if (!OWD_OBJECTS.includes(object as OrgWideDefaultObject))
                    throw bad(object, `no org-wide default; use one of ${OWD_OBJECTS.join(', ')}`);
                if (!OWD_LEVELS.includes(access as OrgWideAccess))
                    throw bad(object, `access must be one of ${OWD_LEVELS.join(', ')}`);
            }
            for (const [object, access] of entries)
                admin.setOrgWideDefault(object as OrgWideDefaultObject, access as OrgWideAccess);
            const o = state.org.organization();
            return [200, Object.fromEntries(OWD_OBJECTS.map((x) => [x, o[`Default${x}Access`]]))];
        })
    );
    r.put(
        '/multi-currency',
        handle((req) => {
            const enabled = body(req).enabled;
            if (typeof enabled !== 'boolean') throw bad('enabled', 'must be true or false');
            admin.setMultiCurrency(enabled);
            return [200, { multiCurrency: enabled }];
        })
    );
    r.get(
        '/notifications',
        handle(() => [200, admin.notifications()])
    );
    r.get(
        '/connected-app',
        handle(() => {
            const app = state.apps.get('backstory-local');
            return [
                200,
                {
                    clientId: app?.clientId ?? null,
                    clientSecret: app?.clientSecret ?? null,
                    privateKey: admin.jwtPrivateKey(),
                    publicKey: app?.publicKey ?? null
                }
            ];
        })
    );
    r.put(
        '/connected-apps/:clientId',
        handle((req) => {
            const b = body(req);
            for (const k of ['clientSecret', 'certificate', 'runAsUsername'] as const)
                if (b[k] !== undefined && typeof b[k] !== 'string') throw bad(k, 'must be a string');
            admin.registerConnectedApp({
                clientId: String(req.params.clientId),
                ...(b as {
                    clientSecret?: string;
                    certificate?: string;
                    runAsUsername?: string;
                    callbackUrls?: string[];
                })
            });
            return [200, { clientId: req.params.clientId }];
        })
    );
    r.post(
        '/records/:object',
        handle((req) => {
            const records = body(req).records;
            if (!Array.isArray(records)) throw bad('records', 'must be an array of field maps');
            const ownerUsername = body(req).ownerUsername;
            const inserted = admin.insertRecords(
                String(req.params.object),
                records as Record<string, unknown>[],
                typeof ownerUsername === 'string' ? ownerUsername : undefined
            );
            return [201, { ids: inserted.map((x) => x.Id) }];
        })
    );
    return r;
}
