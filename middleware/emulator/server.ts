import { generateKeyPairSync, randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import { stringify } from 'csv-stringify/sync';
import { adminRouter, type EmulatorAdmin } from './admin';
import { SfError, notFound } from './errors';
import { faultError, Faults, type Operation } from './faults';
import { normalizeId } from './ids';
import { sfDateTime, type Org, type SfRecord } from './org';
import { SYSTEM_PERMISSIONS } from './schema';
import { attributes, executeQuery } from './soql';
import { createRecord, deleteRecord, UnitOfWork, updateRecord, upsertRecord, type WriteContext } from './writes';

const JSON_TYPE = 'application/json;charset=UTF-8';
const PAGE_SIZE = 2000;
const MAX_COLLECTION = 200;

export interface ConnectedApp {
    clientId: string;
    clientSecret: string;
    /** PEM public key (or certificate) that verifies JWT bearer assertions. */
    publicKey: string;
    /** client_credentials flow runs as this user. */
    runAsUserId: string;
}

export interface Session {
    token: string;
    userId: string;
    expiresAt: number;
}

export interface LoggedRequest {
    at: string;
    method: string;
    path: string;
    status: number;
    userId: string | null;
    counted: boolean;
}

export interface Notification {
    at: string;
    customNotifTypeId: string;
    recipientIds: string[];
    title: string;
    body: string;
    targetId?: string;
    targetPageRef?: string;
    senderId: string;
}

interface Cursor {
    rows: SfRecord[];
    render: (row: SfRecord) => Record<string, unknown>;
    position: number;
    totalSize: number;
    expiresAt: number;
}

interface BulkJob {
    id: string;
    operation: 'query' | 'queryAll';
    query: string;
    createdById: string;
    createdDate: string;
    state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
    polls: number;
    columns: string[];
    rows: string[][];
    errorMessage?: string;
}

/** Everything the emulator process keeps beside the org's records. */
export class EmulatorState {
    readonly sessions = new Map<string, Session>();
    readonly refreshTokens = new Map<string, string>(); // token → userId
    readonly passwords = new Map<string, string>(); // userId → password
    readonly apps = new Map<string, ConnectedApp>();
    readonly faults = new Faults();
    readonly requestLog: LoggedRequest[] = [];
    readonly notifications: Notification[] = [];
    readonly cursors = new Map<string, Cursor>();
    readonly bulkJobs = new Map<string, BulkJob>();
    apiCalls = 0;
    apiLimit: number;
    sessionTtlMs = 2 * 60 * 60 * 1000;
    /** The JWT signing key of the demo connected app (tests sign assertions with it). */
    readonly demoKeys: { privateKey: string; publicKey: string };
    url = '';

    constructor(
        readonly org: Org,
        options: { apiLimit: number }
    ) {
        this.apiLimit = options.apiLimit;
        const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
        this.demoKeys = {
            privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
            publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()
        };
    }

    newSession(userId: string): Session {
        const session = {
            token: `${this.org.orgId.slice(0, 15)}!${randomBytes(24).toString('base64url')}`,
            userId,
            expiresAt: Date.now() + this.sessionTtlMs
        };
        this.sessions.set(session.token, session);
        return session;
    }

    expireSessions(userId?: string): number {
        let n = 0;
        for (const s of this.sessions.values()) {
            if (!userId || s.userId === userId) {
                s.expiresAt = 0;
                n++;
            }
        }
        return n;
    }

    userByUsername(username: string): SfRecord | undefined {
        return [...this.org.rows('User')].find(
            (u) => !u.IsDeleted && String(u.Username).toLowerCase() === username.toLowerCase()
        );
    }
}

class OAuthError extends Error {
    constructor(
        readonly status: number,
        readonly error: string,
        readonly description: string
    ) {
        super(description);
    }
}

function sendJson(res: Response, status: number, body: unknown): void {
    // res.end, not res.send: express would rewrite the content type to `application/json; charset=utf-8`.
    res.status(status).setHeader('Content-Type', JSON_TYPE);
    res.end(body === undefined ? '' : JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Build the emulator's HTTP app over one org. */
export function createEmulatorApp(state: EmulatorState, admin: EmulatorAdmin): express.Express {
    const { org } = state;
    const app = express();
    app.disable('x-powered-by');
    app.use(express.json({ limit: '100mb', type: ['application/json', 'application/*+json'] }));
    app.use(express.urlencoded({ extended: false, limit: '1mb' }));
    app.use(express.text({ limit: '10mb', type: ['text/xml', 'application/xml', 'text/csv', 'text/plain'] }));

    // ------------------------------------------------------------------------- OAuth 2.0
    app.post('/services/oauth2/token', (req, res) => {
        try {
            const p = (req.body ?? {}) as Record<string, string>;
            const appFor = (clientId?: string, secret?: string, needSecret = true): ConnectedApp => {
                const a = clientId ? state.apps.get(clientId) : undefined;
                if (!a) throw new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
                if (needSecret && a.clientSecret !== secret)
                    throw new OAuthError(400, 'invalid_client', 'invalid client credentials');
                return a;
            };
            let userId: string;
            let refresh: string | undefined;
            switch (p.grant_type) {
                case 'password': {
                    appFor(p.client_id, p.client_secret);
                    const user = state.userByUsername(p.username ?? '');
                    if (!user || state.passwords.get(user.Id) !== p.password || user.IsActive === false) {
                        throw new OAuthError(400, 'invalid_grant', 'authentication failure');
                    }
                    userId = user.Id;
                    refresh = randomBytes(24).toString('base64url');
                    break;
                }
                case 'client_credentials': {
                    userId = appFor(p.client_id, p.client_secret).runAsUserId;
                    break;
                }
                case 'refresh_token': {
                    appFor(p.client_id, p.client_secret, p.client_secret !== undefined);
                    const owner = state.refreshTokens.get(p.refresh_token ?? '');
                    if (!owner) throw new OAuthError(400, 'invalid_grant', 'expired access/refresh token');
                    userId = owner;
                    break;
                }
                case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
                    const decoded = jwt.decode(p.assertion ?? '') as {
                        iss?: string;
                        sub?: string;
                        prn?: string;
                        exp?: number;
                    } | null;
                    if (!decoded) throw new OAuthError(400, 'invalid_grant', 'invalid assertion');
                    const a = appFor(decoded.iss, undefined, false);
                    // Salesforce requires an expiry (at most a few minutes ahead).
                    if (typeof decoded.exp !== 'number')
                        throw new OAuthError(400, 'invalid_grant', 'invalid assertion: exp is required');
                    try {
                        jwt.verify(p.assertion ?? '', a.publicKey, {
                            algorithms: ['RS256'],
                            audience: [state.url, 'https://login.salesforce.com', 'https://test.salesforce.com']
                        });
                    } catch (error) {
                        throw new OAuthError(
                            400,
                            'invalid_grant',
                            `invalid assertion: ${error instanceof Error ? error.message : String(error)}`
                        );
                    }
                    const user = state.userByUsername(decoded.sub ?? decoded.prn ?? '');
                    if (!user || user.IsActive === false)
                        throw new OAuthError(400, 'invalid_grant', "user hasn't approved this consumer");
                    userId = user.Id;
                    break;
                }
                default:
                    throw new OAuthError(400, 'unsupported_grant_type', 'grant type not supported');
            }
            const session = state.newSession(userId);
            if (refresh) state.refreshTokens.set(refresh, userId);
            const issuedAt = String(Date.now());
            sendJson(res, 200, {
                access_token: session.token,
                ...(refresh ? { refresh_token: refresh } : {}),
                instance_url: state.url,
                id: `${state.url}/id/${org.orgId}/${userId}`,
                token_type: 'Bearer',
                issued_at: issuedAt,
                signature: randomBytes(32).toString('base64'),
                scope: 'api refresh_token'
            });
        } catch (error) {
            if (error instanceof OAuthError)
                sendJson(res, error.status, { error: error.error, error_description: error.description });
            else throw error;
        }
    });

    // ------------------------------------------------------------------------- SOAP login()
    app.post(/^\/services\/Soap\/u\/(\d+\.\d)(\/.*)?$/, (req, res) => {
        const xml = typeof req.body === 'string' ? req.body : '';
        const tag = (name: string) =>
            new RegExp(`<(?:\\w+:)?${name}>([\\s\\S]*?)</(?:\\w+:)?${name}>`).exec(xml)?.[1] ?? '';
        const unescape = (s: string) =>
            s
                .replace(/&lt;/g, '<')
                .replace(/&gt;/g, '>')
                .replace(/&quot;/g, '"')
                .replace(/&apos;/g, "'")
                .replace(/&amp;/g, '&');
        const user = state.userByUsername(unescape(tag('username')));
        res.setHeader('Content-Type', 'text/xml;charset=UTF-8');
        const version = req.params[0] ?? '62.0';
        if (
            !/<(?:\w+:)?login\b/.test(xml) ||
            !user ||
            state.passwords.get(user.Id) !== unescape(tag('password')) ||
            user.IsActive === false
        ) {
            res.status(500).send(
                `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
            );
            return;
        }
        const session = state.newSession(user.Id);
        res.status(200).send(
            `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com"><soapenv:Body><loginResponse><result><metadataServerUrl>${state.url}/services/Soap/m/${version}/${org.orgId}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>false</sandbox><serverUrl>${state.url}/services/Soap/u/${version}/${org.orgId}</serverUrl><sessionId>${session.token}</sessionId><userId>${user.Id}</userId><userInfo><organizationId>${org.orgId}</organizationId><organizationName>${String(org.organization().Name)}</organizationName><userEmail>${String(user.Email)}</userEmail><userFullName>${String(user.Name)}</userFullName><userId>${user.Id}</userId><userName>${String(user.Username)}</userName></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>`
        );
    });

    // ------------------------------------------------------------------------- emulator admin surface
    app.use('/__emulator', adminRouter(state, admin));

    // ------------------------------------------------------------------------- authenticated REST
    const authenticate = (req: Request): Session => {
        const header = req.get('authorization') ?? '';
        const token = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header)?.[1] ?? req.get('x-sfdc-session');
        const session = token ? state.sessions.get(token) : undefined;
        if (!session || session.expiresAt <= Date.now())
            throw new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
        const user = org.tables.get('User')?.rows.get(session.userId);
        if (!user || user.IsActive === false)
            throw new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
        return session;
    };

    app.get('/id/:orgId/:userId', (req, res) => {
        try {
            const session = authenticate(req);
            const user = org.get(String(req.params.userId));
            if (!user || req.params.orgId !== org.orgId || user.Id !== session.userId)
                throw new SfError(403, 'FORBIDDEN', 'Bad_Id');
            const base = `${state.url}/services/data/v{version}`;
            sendJson(res, 200, {
                id: `${state.url}/id/${org.orgId}/${user.Id}`,
                asserted_user: true,
                user_id: user.Id,
                organization_id: org.orgId,
                username: user.Username,
                nick_name: user.Alias,
                display_name: user.Name,
                email: user.Email,
                first_name: user.FirstName,
                last_name: user.LastName,
                active: user.IsActive,
                user_type: 'STANDARD',
                language: 'en_US',
                locale: 'en_US',
                utcOffset: 0,
                urls: {
                    rest: `${base}/`,
                    sobjects: `${base}/sobjects/`,
                    query: `${base}/query/`,
                    limits: `${base}/limits/`,
                    profile: `${state.url}/${user.Id}`
                }
            });
        } catch (error) {
            if (error instanceof SfError) sendJson(res, error.status, [error.toJSON()]);
            else throw error;
        }
    });

    app.get('/services/data', (_req, res) => {
        sendJson(
            res,
            200,
            ['58.0', '59.0', '60.0', '61.0', '62.0', '63.0', '64.0'].map((v) => ({
                label: `v${v}`,
                url: `/services/data/v${v}`,
                version: v
            }))
        );
    });

    app.all(/^\/services\/data\/v(\d+\.\d)(\/.*)?$/, async (req, res) => {
        const version = req.params[0] as string;
        const rest = (req.params[1] as string | undefined) ?? '/';
        let status = 500;
        let userId: string | null = null;
        let counted = false;
        try {
            const session = authenticate(req);
            userId = session.userId;
            // A user without "API Enabled" (profile or permission set) cannot call the API.
            if (!org.access(session.userId).permissions.has('ApiEnabled'))
                throw new SfError(403, 'API_CURRENTLY_DISABLED', 'API is disabled for this User');
            if (rest !== '/limits' && rest !== '/limits/') {
                if (state.apiCalls >= state.apiLimit)
                    throw new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
                state.apiCalls += 1;
                counted = true;
            }
            res.setHeader('Sforce-Limit-Info', `api-usage=${state.apiCalls}/${state.apiLimit}`);
            const url = new URL(req.originalUrl, 'http://emulator');
            const result = await dispatch(state, {
                method: req.method,
                path: rest,
                query: url.searchParams,
                body: req.body as unknown,
                session,
                version,
                headers: req.headers as Record<string, string | undefined>
            });
            status = result.status;
            for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
            if (result.raw !== undefined) {
                res.status(status).setHeader('Content-Type', result.contentType ?? 'text/csv;charset=UTF-8');
                res.send(result.raw);
            } else if (status === 204) res.status(204).end();
            else sendJson(res, status, result.body);
        } catch (error) {
            const e =
                error instanceof SfError
                    ? error
                    : new SfError(500, 'UNKNOWN_EXCEPTION', error instanceof Error ? error.message : String(error));
            status = e.status;
            if (e.status === 300)
                sendJson(
                    res,
                    300,
                    (e as SfError & { ids?: string[] }).ids?.map((id) => `/services/data/v${version}/sobjects/${id}`) ??
                        []
                );
            else sendJson(res, e.status, [e.toJSON()]);
        } finally {
            state.requestLog.push({
                at: new Date().toISOString(),
                method: req.method,
                path: req.originalUrl,
                status,
                userId,
                counted
            });
            if (state.requestLog.length > 5000) state.requestLog.splice(0, state.requestLog.length - 5000);
        }
    });

    app.use((req: Request, res: Response) =>
        sendJson(res, 404, [
            { message: `The requested resource does not exist: ${req.method} ${req.path}`, errorCode: 'NOT_FOUND' }
        ])
    );
    app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
        void next;
        const e = error as { type?: string; message?: string };
        if (e?.type === 'entity.parse.failed')
            return sendJson(res, 400, [
                { message: `JSON parser error: ${e.message ?? ''}`, errorCode: 'JSON_PARSER_ERROR' }
            ]);
        sendJson(res, 500, [{ message: e?.message ?? 'error', errorCode: 'UNKNOWN_EXCEPTION' }]);
    });
    return app;
}

// ============================================================================ REST dispatcher

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

async function applyFaults(
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

function writeContext(state: EmulatorState, session: Session, unit?: UnitOfWork): WriteContext {
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

function serialize(
    state: EmulatorState,
    session: Session,
    object: string,
    r: SfRecord,
    version: string,
    fields?: string[]
): Record<string, unknown> {
    const access = state.org.access(session.userId);
    const out: Record<string, unknown> = { attributes: attributes(state.org, object, r.Id, version) };
    const names = fields ?? state.org.table(object).schema.fields.map((f) => f.name);
    for (const name of names) {
        const f = state.org.field(object, name);
        if (!f || !access.fieldRead(object, f.name)) {
            if (fields)
                throw new SfError(
                    400,
                    'INVALID_FIELD',
                    `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
                );
            continue;
        }
        if (f.type === 'address') continue;
        out[f.name] = r[f.name] ?? null;
    }
    return out;
}

function describeObject(
    state: EmulatorState,
    session: Session,
    object: string,
    version: string
): Record<string, unknown> {
    const { org } = state;
    const access = org.access(session.userId);
    const t = org.table(object);
    const a = access.object(object);
    if (!a.read) throw notFound();
    const s = t.schema;
    return {
        name: s.name,
        label: s.label,
        labelPlural: s.labelPlural,
        keyPrefix: s.keyPrefix,
        custom: s.custom ?? false,
        queryable: s.queryable,
        createable: s.createable && a.create,
        updateable: s.updateable && a.edit,
        deletable: s.deletable && a.delete,
        retrieveable: true,
        searchable: s.searchable ?? true,
        layoutable: true,
        urls: {
            sobject: `/services/data/v${version}/sobjects/${s.name}`,
            describe: `/services/data/v${version}/sobjects/${s.name}/describe`,
            rowTemplate: `/services/data/v${version}/sobjects/${s.name}/{ID}`
        },
        childRelationships: s.childRelationships.map((c) => ({
            childSObject: c.childSObject,
            field: c.field,
            relationshipName: c.relationshipName,
            cascadeDelete: c.cascadeDelete ?? false,
            deprecatedAndHidden: false,
            restrictedDelete: false
        })),
        recordTypeInfos: [],
        fields: s.fields
            .filter((f) => access.fieldRead(object, f.name))
            .map((f) => ({
                name: f.name,
                label: f.label,
                type: f.type,
                soapType: soapType(f.type),
                length: f.length ?? 0,
                byteLength: (f.length ?? 0) * 3,
                precision: f.precision ?? 0,
                scale: f.scale ?? 0,
                digits: f.type === 'int' ? 9 : 0,
                nillable: f.nillable,
                createable: f.createable && access.fieldEdit(object, f.name),
                updateable: f.updateable && access.fieldEdit(object, f.name),
                defaultedOnCreate: f.defaultedOnCreate ?? false,
                defaultValue: f.defaultValue ?? null,
                calculated: f.calculated ?? false,
                unique: f.unique ?? false,
                externalId: f.externalId ?? false,
                caseSensitive: f.caseSensitive ?? false,
                idLookup: f.idLookup ?? false,
                nameField: f.nameField ?? false,
                custom: f.custom ?? false,
                filterable: f.filterable ?? true,
                sortable: f.sortable ?? true,
                groupable: f.groupable ?? f.type !== 'textarea',
                aggregatable: true,
                restrictedPicklist: f.restrictedPicklist ?? false,
                picklistValues: (f.picklistValues ?? []).map((p) => ({
                    value: p.value,
                    label: p.label ?? p.value,
                    active: p.active ?? true,
                    defaultValue: p.defaultValue ?? false,
                    validFor: null
                })),
                referenceTo: f.referenceTo ?? [],
                relationshipName: f.relationshipName ?? null,
                compoundFieldName: f.compoundFieldName ?? null,
                deprecatedAndHidden: false,
                permissionable: !f.calculated && f.nillable
            }))
    };
}

function soapType(type: string): string {
    return (
        (
            {
                id: 'tns:ID',
                reference: 'tns:ID',
                boolean: 'xsd:boolean',
                int: 'xsd:int',
                double: 'xsd:double',
                currency: 'xsd:double',
                percent: 'xsd:double',
                date: 'xsd:date',
                datetime: 'xsd:dateTime',
                address: 'urn:address',
                anyType: 'xsd:anyType'
            } as Record<string, string>
        )[type] ?? 'xsd:string'
    );
}

/**
 * Rows of the virtual access objects (UserPermissionAccess, UserEntityAccess, UserFieldAccess),
 * computed at query time for the session user and for every user id the query names (Salesforce
 * answers them for the running user unless the query filters on UserId / DurableId).
 */
function materializeVirtual(state: EmulatorState, object: string, userIds: string[]): void {
    const { org } = state;
    if (!['UserPermissionAccess', 'UserEntityAccess', 'UserFieldAccess'].includes(object)) return;
    const t = org.table(object);
    const rows: SfRecord[] = [];
    const nextId = () => `${t.schema.keyPrefix}${String(rows.length + 1).padStart(12, '0')}AAA`;
    for (const userId of userIds) {
        const access = org.access(userId);
        if (object === 'UserPermissionAccess') {
            const r: SfRecord = { Id: nextId() };
            for (const p of SYSTEM_PERMISSIONS)
                r[`Permissions${p}`] =
                    access.permissions.has(p) || (p === 'ViewAllData' && access.permissions.has('ModifyAllData'));
            rows.push(r);
            continue;
        }
        for (const [name, table] of org.tables) {
            if (table.schema.fields.length === 0) continue;
            const a = access.object(name);
            if (object === 'UserEntityAccess') {
                rows.push({
                    Id: nextId(),
                    DurableId: `${name}.${userId}`,
                    UserId: userId,
                    EntityDefinitionId: name,
                    IsReadable: a.read,
                    IsCreatable: a.create && table.schema.createable,
                    IsEditable: a.edit && table.schema.updateable,
                    IsDeletable: a.delete && table.schema.deletable,
                    IsViewAllRecords: a.viewAll,
                    IsModifyAllRecords: a.modifyAll
                });
                continue;
            }
            for (const f of table.schema.fields) {
                const readable = access.fieldRead(name, f.name);
                rows.push({
                    Id: nextId(),
                    DurableId: `${name}.${f.name}.${userId}`,
                    UserId: userId,
                    EntityDefinitionId: name,
                    FieldDefinitionId: `${name}.${f.name}`,
                    IsAccessible: readable,
                    IsCreatable: readable && f.createable && access.fieldEdit(name, f.name),
                    IsUpdatable: readable && f.updateable && access.fieldEdit(name, f.name)
                });
            }
        }
    }
    const known = new Set(t.schema.fields.map((f) => f.name));
    org.replaceRows(
        object,
        rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => known.has(k))) as SfRecord)
    );
}

function queryObjectName(soql: string): string | undefined {
    return /\bfrom\s+(\w+)/i.exec(soql.replace(/\([^()]*\)/g, ''))?.[1];
}

function runQuery(state: EmulatorState, session: Session, soql: string, all: boolean, version: string) {
    const object = queryObjectName(soql);
    if (object) {
        try {
            const named = [...soql.matchAll(/'(005[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?)'/g)]
                .map((m) => normalizeId(m[1]!))
                .filter((id): id is string => !!id && !!state.org.tables.get('User')?.rows.has(id));
            materializeVirtual(state, state.org.objectName(object), [...new Set([session.userId, ...named])]);
        } catch {
            // unknown objects fail in the query itself with INVALID_TYPE
        }
    }
    return executeQuery(state.org, state.org.access(session.userId), soql, { all, apiVersion: version });
}

/** One page of a result; the rest is kept behind a locator (records are rendered per page). */
function page(
    state: EmulatorState,
    cursor: Pick<Cursor, 'rows' | 'render' | 'totalSize'>,
    version: string,
    all: boolean,
    position = 0
): Record<string, unknown> {
    const { rows, render, totalSize } = cursor;
    const end = Math.min(position + PAGE_SIZE, rows.length);
    const done = end >= rows.length;
    let nextRecordsUrl: string | undefined;
    if (!done) {
        const locator = `01g${randomBytes(8).toString('hex')}-${end}`;
        state.cursors.set(locator, { rows, render, position: end, totalSize, expiresAt: Date.now() + 15 * 60 * 1000 });
        nextRecordsUrl = `/services/data/v${version}/${all ? 'queryAll' : 'query'}/${locator}`;
    }
    return {
        totalSize,
        done,
        ...(nextRecordsUrl ? { nextRecordsUrl } : {}),
        records: rows.slice(position, end).map(render)
    };
}

function collectionError(e: unknown): { statusCode: string; message: string; fields: string[] } {
    const err = e instanceof SfError ? e : new SfError(500, 'UNKNOWN_EXCEPTION', String(e));
    return { statusCode: err.errorCode, message: err.message, fields: err.fields };
}

const ROLLED_BACK = {
    statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
    fields: [] as string[]
};

/** Route one REST call (also used by /composite for its sub-requests). */
export async function dispatch(state: EmulatorState, req: RestRequest): Promise<RestResult> {
    const { org } = state;
    const { method, version, session } = req;
    const segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    const [head, a, b, c] = segments;
    const body = (req.body ?? {}) as Record<string, unknown>;

    if (segments.length === 0) {
        return {
            status: 200,
            body: Object.fromEntries(
                ['sobjects', 'query', 'queryAll', 'composite', 'limits', 'jobs'].map((k) => [
                    k,
                    `/services/data/v${version}/${k}`
                ])
            )
        };
    }

    switch (head) {
        case 'limits':
            return {
                status: 200,
                body: {
                    DailyApiRequests: { Max: state.apiLimit, Remaining: Math.max(0, state.apiLimit - state.apiCalls) },
                    DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 - state.bulkJobs.size },
                    DataStorageMB: { Max: 5, Remaining: 5 }
                }
            };

        case 'query':
        case 'queryAll': {
            const all = head === 'queryAll';
            if (method !== 'GET')
                throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET`);
            if (a) {
                const cursor = state.cursors.get(a);
                if (!cursor || cursor.expiresAt < Date.now())
                    throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
                state.cursors.delete(a);
                return {
                    status: 200,
                    body: page(state, cursor, version, all, cursor.position)
                };
            }
            const q = req.query.get('q');
            if (!q) throw new SfError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
            await applyFaults(state, 'query', queryObjectName(q), session);
            const result = runQuery(state, session, q, all, version);
            return { status: 200, body: page(state, result, version, all) };
        }

        case 'sobjects': {
            if (!a) {
                const access = org.access(session.userId);
                return {
                    status: 200,
                    body: {
                        encoding: 'UTF-8',
                        maxBatchSize: 200,
                        sobjects: [...org.tables.values()]
                            .filter((t) => access.object(t.schema.name).read)
                            .map((t) => ({
                                name: t.schema.name,
                                label: t.schema.label,
                                labelPlural: t.schema.labelPlural,
                                keyPrefix: t.schema.keyPrefix,
                                custom: t.schema.custom ?? false,
                                queryable: true,
                                createable: t.schema.createable && access.object(t.schema.name).create,
                                updateable: t.schema.updateable && access.object(t.schema.name).edit,
                                deletable: t.schema.deletable && access.object(t.schema.name).delete,
                                retrieveable: true,
                                searchable: t.schema.searchable ?? true,
                                urls: {
                                    sobject: `/services/data/v${version}/sobjects/${t.schema.name}`,
                                    describe: `/services/data/v${version}/sobjects/${t.schema.name}/describe`
                                }
                            }))
                    }
                };
            }
            // An unknown object, or one the user has no access to, is not there for the REST API.
            const object = sobjectName(state, session, a);
            if (b === 'describe' && !c) {
                await applyFaults(state, 'describe', object, session);
                return { status: 200, body: describeObject(state, session, object, version) };
            }
            if (!b) {
                if (method === 'POST') {
                    await applyFaults(state, 'create', object, session);
                    const r = createRecord(writeContext(state, session), object, body);
                    return { status: 201, body: { id: r.Id, success: true, errors: [] } };
                }
                if (method === 'GET') {
                    const d = describeObject(state, session, object, version);
                    return {
                        status: 200,
                        body: {
                            objectDescribe: { name: d.name, label: d.label, keyPrefix: d.keyPrefix, urls: d.urls },
                            recentItems: []
                        }
                    };
                }
                throw new SfError(
                    405,
                    'METHOD_NOT_ALLOWED',
                    `HTTP Method '${method}' not allowed. Allowed are GET,POST`
                );
            }
            if (c !== undefined) {
                // /sobjects/Object/ExternalIdField/value
                if (method === 'PATCH' || method === 'POST') {
                    await applyFaults(state, 'upsert', object, session);
                    const result = upsertRecord(writeContext(state, session), object, b, c, body);
                    return {
                        status: result.created ? 201 : 200,
                        body: { id: result.record.Id, success: true, errors: [], created: result.created }
                    };
                }
                if (method === 'GET') {
                    await applyFaults(state, 'retrieve', object, session);
                    const matches = org
                        .findByUnique(object, b, c)
                        .filter((r) => org.canSee(org.access(session.userId), object, r));
                    if (matches.length === 0) throw notFound();
                    if (matches.length > 1)
                        throw Object.assign(new SfError(300, 'MULTIPLE_CHOICES', 'several records'), {
                            ids: matches.map((m) => m.Id)
                        });
                    return { status: 200, body: serialize(state, session, object, matches[0]!, version) };
                }
                throw new SfError(
                    405,
                    'METHOD_NOT_ALLOWED',
                    `HTTP Method '${method}' not allowed. Allowed are GET,PATCH`
                );
            }
            // /sobjects/Object/id
            if (method === 'GET') {
                await applyFaults(state, 'retrieve', object, session);
                const id = normalizeId(b);
                const r = id ? org.table(object).rows.get(id) : undefined;
                if (!r || r.IsDeleted || !org.canSee(org.access(session.userId), object, r)) throw notFound();
                const fields = req.query
                    .get('fields')
                    ?.split(',')
                    .map((f) => f.trim())
                    .filter(Boolean);
                return { status: 200, body: serialize(state, session, object, r, version, fields) };
            }
            if (method === 'PATCH') {
                await applyFaults(state, 'update', object, session);
                updateRecord(writeContext(state, session), object, b, body);
                return { status: 204 };
            }
            if (method === 'DELETE') {
                await applyFaults(state, 'delete', object, session);
                deleteRecord(writeContext(state, session), object, b);
                return { status: 204 };
            }
            throw new SfError(
                405,
                'METHOD_NOT_ALLOWED',
                `HTTP Method '${method}' not allowed. Allowed are GET,PATCH,DELETE`
            );
        }

        case 'composite':
            return composite(state, req, segments.slice(1), body);

        case 'jobs':
            if (a === 'query') return bulkQuery(state, req, segments.slice(2), body);
            throw notFound();

        case 'actions': {
            if (a === 'standard' && b === 'customNotificationAction' && method === 'POST') {
                const inputs = (body.inputs ?? []) as Record<string, unknown>[];
                return {
                    status: 200,
                    body: inputs.map((input) => {
                        const errors: { statusCode: string; message: string }[] = [];
                        const typeId = String(input.customNotifTypeId ?? '');
                        const type = org.get(typeId);
                        if (!type || org.objectOfId(type.Id) !== 'CustomNotificationType')
                            errors.push({ statusCode: 'INVALID_ID_FIELD', message: 'Invalid customNotifTypeId' });
                        const recipients = Array.isArray(input.recipientIds) ? input.recipientIds.map(String) : [];
                        if (recipients.length === 0)
                            errors.push({ statusCode: 'REQUIRED_FIELD_MISSING', message: 'recipientIds is required' });
                        if (!input.title || !input.body)
                            errors.push({
                                statusCode: 'REQUIRED_FIELD_MISSING',
                                message: 'title and body are required'
                            });
                        if (!input.targetId && !input.targetPageRef)
                            errors.push({
                                statusCode: 'REQUIRED_FIELD_MISSING',
                                message: 'targetId or targetPageRef is required'
                            });
                        if (errors.length === 0) {
                            state.notifications.push({
                                at: new Date().toISOString(),
                                customNotifTypeId: typeId,
                                recipientIds: recipients,
                                title: String(input.title),
                                body: String(input.body),
                                ...(input.targetId ? { targetId: String(input.targetId) } : {}),
                                ...(input.targetPageRef ? { targetPageRef: String(input.targetPageRef) } : {}),
                                senderId: session.userId
                            });
                        }
                        return {
                            actionName: 'customNotificationAction',
                            errors: errors.length ? errors : null,
                            isSuccess: errors.length === 0,
                            outputValues: errors.length
                                ? null
                                : { SuccessMessage: 'Your custom notification is processed successfully.' }
                        };
                    })
                };
            }
            throw notFound();
        }
        default:
            throw notFound();
    }
}

/** The canonical name of /sobjects/<name>: 404 NOT_FOUND when unknown or not readable by the user. */
function sobjectName(state: EmulatorState, session: Session, name: string): string {
    let object: string;
    try {
        object = state.org.objectName(name);
    } catch {
        throw notFound();
    }
    if (!state.org.access(session.userId).object(object).read) throw notFound();
    return object;
}

// ---------------------------------------------------------------------------- composite

async function composite(
    state: EmulatorState,
    req: RestRequest,
    rest: string[],
    body: Record<string, unknown>
): Promise<RestResult> {
    const { org } = state;
    const { session, version, method } = req;
    const [kind, objectArg, extField] = rest;

    if (kind === 'sobjects') {
        const allOrNone = method === 'DELETE' ? req.query.get('allOrNone') === 'true' : body.allOrNone === true;
        if ((method === 'GET' || method === 'POST') && objectArg && !extField) {
            // Retrieve: GET ?ids=&fields= or POST {ids, fields} (jsforce uses the POST form).
            const object = org.objectName(objectArg);
            const ids =
                method === 'GET'
                    ? (req.query.get('ids') ?? '').split(',').filter(Boolean)
                    : ((body.ids ?? []) as string[]).map(String);
            const fields =
                method === 'GET'
                    ? (req.query.get('fields') ?? '').split(',').filter(Boolean)
                    : ((body.fields ?? []) as string[]).map(String);
            if (ids.length > MAX_COLLECTION)
                throw new SfError(400, 'EXCEEDED_ID_LIMIT', `Exceeded max limit of ${MAX_COLLECTION} ids`);
            await applyFaults(state, 'retrieve', object, session);
            return {
                status: 200,
                body: ids.map((id) => {
                    const n = normalizeId(id);
                    const r = n ? org.table(object).rows.get(n) : undefined;
                    return r && !r.IsDeleted && org.canSee(org.access(session.userId), object, r)
                        ? serialize(state, session, object, r, version, fields.length ? fields : undefined)
                        : null;
                })
            };
        }
        const records: Record<string, unknown>[] =
            method === 'DELETE'
                ? (req.query.get('ids') ?? '')
                      .split(',')
                      .filter(Boolean)
                      .map((Id) => ({ Id }))
                : ((body.records ?? []) as Record<string, unknown>[]);
        if (!Array.isArray(records)) throw new SfError(400, 'JSON_PARSER_ERROR', 'records must be an array');
        if (records.length > MAX_COLLECTION)
            throw new SfError(
                400,
                'EXCEEDED_ID_LIMIT',
                `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`
            );
        const unit = new UnitOfWork(org);
        const ctx = writeContext(state, session, unit);
        const operation: Operation =
            method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : extField ? 'upsert' : 'update';
        const results: Record<string, unknown>[] = [];
        let failed = false;
        for (const rec of records) {
            // Field names are case-insensitive in Salesforce (jsforce sends `id` in collection updates).
            const recordId = (rec.Id ?? rec.id) as string | undefined;
            const type = String(
                (rec.attributes as { type?: string } | undefined)?.type ??
                    objectArg ??
                    (method === 'DELETE' ? org.objectOfId(String(rec.Id)) : '')
            );
            try {
                await applyFaults(state, operation, type, session);
                if (method === 'POST') {
                    if (recordId)
                        throw new SfError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
                    const r = createRecord(ctx, type, rec);
                    results.push({ id: r.Id, success: true, errors: [] });
                } else if (method === 'PATCH' && extField) {
                    const object = org.objectName(objectArg ?? type);
                    const f = org.field(object, extField);
                    const value = f
                        ? (rec[f.name] ??
                          Object.entries(rec).find(([k]) => k.toLowerCase() === extField.toLowerCase())?.[1])
                        : undefined;
                    if (value === undefined || value === null)
                        throw new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${extField}]`, [
                            extField
                        ]);
                    const out = upsertRecord(
                        ctx,
                        object,
                        extField,
                        String(value),
                        Object.fromEntries(Object.entries(rec).filter(([k]) => k !== 'attributes'))
                    );
                    results.push({ id: out.record.Id, success: true, errors: [], created: out.created });
                } else if (method === 'PATCH') {
                    if (!recordId)
                        throw new SfError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
                    const r = updateRecord(ctx, type, String(recordId), rec);
                    results.push({ id: r.Id, success: true, errors: [] });
                } else if (method === 'DELETE') {
                    const object = org.objectOfId(normalizeId(String(recordId)) ?? '');
                    if (!object) throw new SfError(400, 'MALFORMED_ID', `malformed id ${String(recordId)}`);
                    deleteRecord(ctx, object, String(recordId));
                    results.push({ id: normalizeId(String(recordId)), success: true, errors: [] });
                } else {
                    throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed`);
                }
            } catch (error) {
                if (
                    error instanceof SfError &&
                    (error.status === 401 || error.errorCode === 'REQUEST_LIMIT_EXCEEDED' || error.status >= 500)
                ) {
                    unit.rollback();
                    throw error;
                }
                failed = true;
                results.push({
                    ...(recordId ? { id: recordId } : {}),
                    success: false,
                    errors: [collectionError(error)]
                });
                // allOrNone: Salesforce still validates the other records, so each invalid one
                // reports its own error; the valid ones are rolled back below.
            }
        }
        if (failed && allOrNone) {
            unit.rollback();
            return {
                status: 200,
                body: records.map((rec, i) => {
                    const r = results[i];
                    if (r && r.success === false) return r;
                    const id = method === 'POST' || extField ? undefined : normalizeId(String(rec.Id ?? rec.id ?? ''));
                    return { ...(id ? { id } : {}), success: false, errors: [ROLLED_BACK] };
                })
            };
        }
        return { status: 200, body: results };
    }

    if (kind === 'tree' && objectArg && method === 'POST') {
        const object = org.objectName(objectArg);
        const unit = new UnitOfWork(org);
        const ctx = writeContext(state, session, unit);
        const results: { referenceId: string; id: string }[] = [];
        const errors: { referenceId: string; errors: { statusCode: string; message: string; fields: string[] }[] }[] =
            [];
        const top = (body.records ?? []) as Record<string, unknown>[];
        let count = 0;
        const insert = (type: string, rec: Record<string, unknown>, parent?: { field: string; id: string }) => {
            count++;
            const ref = String((rec.attributes as { referenceId?: string } | undefined)?.referenceId ?? '');
            const fields: Record<string, unknown> = {};
            const children: [string, Record<string, unknown>[]][] = [];
            for (const [k, v] of Object.entries(rec)) {
                if (k === 'attributes') continue;
                if (v && typeof v === 'object' && Array.isArray((v as { records?: unknown }).records))
                    children.push([k, (v as { records: Record<string, unknown>[] }).records]);
                else fields[k] = v;
            }
            if (parent) fields[parent.field] = parent.id;
            try {
                const r = createRecord(ctx, type, fields);
                results.push({ referenceId: ref, id: r.Id });
                for (const [relName, childRecords] of children) {
                    const rel = org
                        .table(type)
                        .schema.childRelationships.find(
                            (c) => c.relationshipName.toLowerCase() === relName.toLowerCase()
                        );
                    if (!rel)
                        throw new SfError(400, 'INVALID_FIELD', `No such relationship ${relName} on ${type}`, [
                            relName
                        ]);
                    for (const child of childRecords) insert(rel.childSObject, child, { field: rel.field, id: r.Id });
                }
            } catch (error) {
                errors.push({ referenceId: ref, errors: [collectionError(error)] });
            }
        };
        for (const rec of top) insert(String((rec.attributes as { type?: string } | undefined)?.type ?? object), rec);
        if (count > MAX_COLLECTION) {
            unit.rollback();
            throw new SfError(400, 'INVALID_REQUEST', `A single request can contain up to ${MAX_COLLECTION} records`);
        }
        if (errors.length > 0) {
            unit.rollback();
            return { status: 400, body: { hasErrors: true, results: errors } };
        }
        return { status: 201, body: { hasErrors: false, results } };
    }

    if (kind === undefined && method === 'POST') {
        const subs = (body.compositeRequest ?? []) as {
            method: string;
            url: string;
            referenceId: string;
            body?: unknown;
        }[];
        if (!Array.isArray(subs) || subs.length > 25)
            throw new SfError(400, 'INVALID_REQUEST', 'compositeRequest must be an array of at most 25 subrequests');
        const allOrNone = body.allOrNone === true;
        const unit = new UnitOfWork(org);
        const byRef = new Map<string, unknown>();
        const responses: {
            body: unknown;
            httpHeaders: Record<string, string>;
            httpStatusCode: number;
            referenceId: string;
        }[] = [];
        const resolveRefs = (value: unknown): unknown => {
            if (typeof value === 'string') {
                return value.replace(/@\{([\w]+)((?:\.[\w]+|\[\d+\])+)\}/g, (_m, ref: string, path: string) => {
                    let cur: unknown = byRef.get(ref);
                    for (const part of path.match(/\.[\w]+|\[\d+\]/g) ?? []) {
                        const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1);
                        cur = (cur as Record<string | number, unknown> | undefined)?.[key];
                    }
                    if (cur === undefined)
                        throw new SfError(
                            400,
                            'INVALID_REFERENCE',
                            `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`
                        );
                    return String(cur);
                });
            }
            if (Array.isArray(value)) return value.map(resolveRefs);
            if (value && typeof value === 'object')
                return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v)]));
            return value;
        };
        let failed = false;
        for (const sub of subs) {
            if (failed && allOrNone) {
                responses.push({
                    body: [
                        {
                            errorCode: 'PROCESSING_HALTED',
                            message:
                                'The transaction was rolled back since another operation in the same transaction failed.'
                        }
                    ],
                    httpHeaders: {},
                    httpStatusCode: 400,
                    referenceId: sub.referenceId
                });
                continue;
            }
            try {
                const url = new URL(String(resolveRefs(sub.url)), 'http://emulator');
                const m = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(url.pathname);
                if (!m) throw new SfError(400, 'INVALID_REQUEST', `Invalid URL: ${sub.url}`);
                const result = await dispatchInUnit(
                    state,
                    {
                        method: sub.method.toUpperCase(),
                        path: m[2]!,
                        query: url.searchParams,
                        body: resolveRefs(sub.body),
                        session,
                        version: m[1]!
                    },
                    unit
                );
                byRef.set(sub.referenceId, result.body);
                responses.push({
                    body: result.body ?? null,
                    httpHeaders: {},
                    httpStatusCode: result.status,
                    referenceId: sub.referenceId
                });
            } catch (error) {
                failed = true;
                const e = error instanceof SfError ? error : new SfError(500, 'UNKNOWN_EXCEPTION', String(error));
                responses.push({
                    body: [e.toJSON()],
                    httpHeaders: {},
                    httpStatusCode: e.status,
                    referenceId: sub.referenceId
                });
            }
        }
        if (failed && allOrNone) {
            unit.rollback();
            for (const r of responses) {
                if (r.httpStatusCode < 300) {
                    r.body = [
                        {
                            errorCode: 'PROCESSING_HALTED',
                            message:
                                'The transaction was rolled back since another operation in the same transaction failed.'
                        }
                    ];
                    r.httpStatusCode = 400;
                }
            }
        }
        return { status: 200, body: { compositeResponse: responses } };
    }
    throw notFound();
}

/** /composite sub-requests that write join the composite's unit of work (for allOrNone). */
async function dispatchInUnit(state: EmulatorState, req: RestRequest, unit: UnitOfWork): Promise<RestResult> {
    const segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    const [head, a, b, c] = segments;
    if (head !== 'sobjects' || !a || req.method === 'GET') return dispatch(state, req);
    const object = sobjectName(state, req.session, a);
    const ctx = writeContext(state, req.session, unit);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!b && req.method === 'POST') {
        await applyFaults(state, 'create', object, req.session);
        const r = createRecord(ctx, object, body);
        return { status: 201, body: { id: r.Id, success: true, errors: [] } };
    }
    if (b && c !== undefined && req.method === 'PATCH') {
        await applyFaults(state, 'upsert', object, req.session);
        const r = upsertRecord(ctx, object, b, c, body);
        return {
            status: r.created ? 201 : 200,
            body: { id: r.record.Id, success: true, errors: [], created: r.created }
        };
    }
    if (b && req.method === 'PATCH') {
        await applyFaults(state, 'update', object, req.session);
        updateRecord(ctx, object, b, body);
        return { status: 204 };
    }
    if (b && req.method === 'DELETE') {
        await applyFaults(state, 'delete', object, req.session);
        deleteRecord(ctx, object, b);
        return { status: 204 };
    }
    return dispatch(state, req);
}

// ---------------------------------------------------------------------------- Bulk API 2.0 query

function jobInfo(job: BulkJob, version: string): Record<string, unknown> {
    return {
        id: job.id,
        operation: job.operation,
        object: queryObjectName(job.query) ?? '',
        createdById: job.createdById,
        createdDate: job.createdDate,
        systemModstamp: job.createdDate,
        state: job.state,
        concurrencyMode: 'Parallel',
        contentType: 'CSV',
        apiVersion: Number(version),
        jobType: 'V2Query',
        lineEnding: 'LF',
        columnDelimiter: 'COMMA',
        ...(job.state === 'JobComplete'
            ? { numberRecordsProcessed: job.rows.length, retries: 0, totalProcessingTime: 1 }
            : {}),
        ...(job.errorMessage ? { errorMessage: job.errorMessage } : {})
    };
}

function flatten(record: Record<string, unknown>, columns: string[]): string[] {
    return columns.map((path) => {
        let cur: unknown = record;
        for (const part of path.split('.'))
            cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : null;
        if (cur === null || cur === undefined) return '';
        return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
    });
}

async function bulkQuery(
    state: EmulatorState,
    req: RestRequest,
    rest: string[],
    body: Record<string, unknown>
): Promise<RestResult> {
    const { session, version, method } = req;
    const [jobId, sub] = rest;
    if (!jobId) {
        if (method === 'POST') {
            const operation = body.operation === 'queryAll' ? 'queryAll' : 'query';
            const query = String(body.query ?? '');
            if (!query) throw new SfError(400, 'INVALIDJOB', 'query is required');
            await applyFaults(state, 'bulk', queryObjectName(query), session);
            let result: ReturnType<typeof runQuery>;
            try {
                result = runQuery(state, session, query, operation === 'queryAll', version);
            } catch (error) {
                // Bulk API 2.0 checks the query when the job is created and answers 400 INVALIDJOB.
                if (error instanceof SfError && error.status === 400)
                    throw new SfError(400, 'INVALIDJOB', `${error.errorCode}: ${error.message}`);
                throw error;
            }
            if (result.subqueryCount > 0)
                throw new SfError(
                    400,
                    'INVALIDJOB',
                    'Bulk API 2.0 query jobs do not support child relationship sub-queries'
                );
            const id = state.org.ids.next('750');
            const job: BulkJob = {
                id,
                operation,
                query,
                createdById: session.userId,
                createdDate: sfDateTime(new Date()),
                state: 'UploadComplete',
                polls: 0,
                columns: result.columns,
                rows: result.records.map((r) => flatten(r, result.columns))
            };
            state.bulkJobs.set(id, job);
            return { status: 200, body: jobInfo(job, version) };
        }
        if (method === 'GET')
            return {
                status: 200,
                body: {
                    done: true,
                    records: [...state.bulkJobs.values()].map((j) => jobInfo(j, version)),
                    nextRecordsUrl: null
                }
            };
        throw new SfError(405, 'METHOD_NOT_ALLOWED', 'method not allowed');
    }
    const job = state.bulkJobs.get(jobId);
    if (!job) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (!sub) {
        if (method === 'GET') {
            // The result is computed at creation (UploadComplete); the first poll finds it complete,
            // as a small query on a real org does, so jsforce does not sleep its poll interval.
            job.polls += 1;
            if (job.state === 'UploadComplete' || job.state === 'InProgress') job.state = 'JobComplete';
            return { status: 200, body: jobInfo(job, version) };
        }
        if (method === 'PATCH') {
            if (body.state !== 'Aborted')
                throw new SfError(400, 'INVALIDJOBSTATE', 'A query job can only be changed to the state Aborted');
            if (job.state === 'JobComplete' || job.state === 'Failed')
                throw new SfError(400, 'INVALIDJOBSTATE', `Job is in state ${job.state} and cannot be aborted`);
            job.state = 'Aborted';
            return { status: 200, body: jobInfo(job, version) };
        }
        if (method === 'DELETE') {
            state.bulkJobs.delete(jobId);
            return { status: 204 };
        }
    }
    if (sub === 'results' && method === 'GET') {
        if (job.state !== 'JobComplete') throw new SfError(400, 'INVALIDJOBSTATE', `Job is in state ${job.state}`);
        // Without maxRecords Salesforce sizes pages itself (by bytes); the emulator answers the whole
        // result in one page, because jsforce 3 pipes consecutive pages into one CSV parser without
        // waiting for the previous body to drain, which interleaves rows of large pages.
        const requested = req.query.get('maxRecords');
        const maxRecords = requested === null ? Math.max(1, job.rows.length) : Number(requested);
        if (!Number.isInteger(maxRecords) || maxRecords < 1)
            throw new SfError(400, 'INVALIDPARAMETER', 'maxRecords must be a positive integer', ['maxRecords']);
        const start = Number(req.query.get('locator') ?? '0') || 0;
        const end = Math.min(start + maxRecords, job.rows.length);
        const csv = stringify([job.columns, ...job.rows.slice(start, end)], { record_delimiter: '\n' });
        return {
            status: 200,
            raw: csv,
            contentType: 'text/csv',
            headers: {
                'Sforce-Locator': end < job.rows.length ? String(end) : 'null',
                'Sforce-NumberOfRecords': String(end - start)
            }
        };
    }
    throw notFound();
}
