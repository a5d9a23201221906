import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { SfError } from './errors';
import { Faults } from './faults';
import type { Org, SfRecord } from './org';

export const JSON_TYPE = 'application/json;charset=UTF-8';

export interface ConnectedApp {
    clientId: string;
    clientSecret: string;
    /** PEM public key (or certificate) that verifies JWT bearer assertions. */
    publicKey: string;
    /** client_credentials flow runs as this user. */
    runAsUserId: string;
    /** Callback URLs the authorization-code flow may redirect to (none registered: any http(s) URL). */
    callbackUrls: string[];
}

/** A refresh token (authorization-code flow): the grant its access tokens belong to. */
export interface RefreshGrant {
    token: string;
    userId: string;
    clientId: string;
}

/** An authorization code between the login form and the token endpoint (single use). */
export interface AuthorizationCode {
    code: string;
    clientId: string;
    redirectUri: string;
    userId: string;
    /** PKCE S256 challenge, when the client sent one. */
    codeChallenge: string | null;
    expiresAt: number;
}

export interface Session {
    token: string;
    userId: string;
    expiresAt: number;
    /** The refresh token this access token was issued under (revoking one revokes both). */
    refreshToken?: string;
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

export interface Cursor {
    rows: SfRecord[];
    render: (row: SfRecord) => Record<string, unknown>;
    position: number;
    totalSize: number;
    expiresAt: number;
}

export interface BulkJob {
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

/** A Bulk API 2.0 ingest job: its upload, then one result per row once processed. */
export interface IngestJob {
    id: string;
    object: string;
    operation: 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
    externalIdFieldName: string | null;
    createdById: string;
    createdDate: string;
    systemModstamp: string;
    state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
    lineEnding: 'LF' | 'CRLF';
    columnDelimiter: 'COMMA' | 'TAB' | 'PIPE' | 'SEMICOLON' | 'CARET' | 'BACKQUOTE';
    apiVersion: string;
    uploaded: boolean;
    columns: string[];
    rows: string[][];
    /** Per processed row: sf__Id, sf__Created, or sf__Error (index = row index). */
    results: ({ id: string | null; created: boolean; error: string | null } | null)[];
    processingMs: number;
    errorMessage?: string;
}

/** Everything the emulator process keeps beside the org's records. */
export class EmulatorState {
    readonly sessions = new Map<string, Session>();
    readonly refreshTokens = new Map<string, RefreshGrant>();
    readonly authorizationCodes = new Map<string, AuthorizationCode>();
    readonly passwords = new Map<string, string>(); // userId → password
    readonly apps = new Map<string, ConnectedApp>();
    readonly faults = new Faults();
    readonly requestLog: LoggedRequest[] = [];
    readonly notifications: Notification[] = [];
    readonly cursors = new Map<string, Cursor>();
    readonly bulkJobs = new Map<string, BulkJob>();
    readonly ingestJobs = new Map<string, IngestJob>();
    /** Bulk API batches today (each Bulk 2.0 upload and each Bulk 1.0 batch): DailyBulkApiBatches. */
    bulkBatches = 0;
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

    newSession(userId: string, refreshToken?: string): Session {
        const session: Session = {
            token: `${this.org.orgId.slice(0, 15)}!${randomBytes(24).toString('base64url')}`,
            userId,
            expiresAt: Date.now() + this.sessionTtlMs,
            ...(refreshToken ? { refreshToken } : {})
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

    /**
     * Revoke an access token or a refresh token (/services/oauth2/revoke, SOAP logout): the grant
     * goes with it, so the refresh token and every access token issued under it stop working.
     */
    revoke(token: string): boolean {
        const grant = this.sessions.get(token)?.refreshToken ?? (this.refreshTokens.has(token) ? token : undefined);
        const known = this.sessions.delete(token) || grant !== undefined;
        if (grant) {
            this.refreshTokens.delete(grant);
            for (const [t, s] of this.sessions) if (s.refreshToken === grant) this.sessions.delete(t);
        }
        return known;
    }

    userByUsername(username: string): SfRecord | undefined {
        return [...this.org.rows('User')].find(
            (u) => !u.IsDeleted && String(u.Username).toLowerCase() === username.toLowerCase()
        );
    }
}

export function sendJson(res: Response, status: number, body: unknown): void {
    // res.end, not res.send: express would rewrite the content type to `application/json; charset=utf-8`.
    res.status(status).setHeader('Content-Type', JSON_TYPE);
    res.end(body === undefined ? '' : JSON.stringify(body));
}

/**
 * The session of a call (`Authorization: Bearer|OAuth <token>`; the identity URL also takes
 * `?oauth_token=`), or 401 INVALID_SESSION_ID.
 */
export function authenticate(state: EmulatorState, req: Request, options: { queryToken?: boolean } = {}): Session {
    const header = req.get('authorization') ?? '';
    const fromQuery =
        options.queryToken && typeof req.query.oauth_token === 'string' ? req.query.oauth_token : undefined;
    const token = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header)?.[1] ?? req.get('x-sfdc-session') ?? fromQuery;
    const session = token ? state.sessions.get(token) : undefined;
    if (!session || session.expiresAt <= Date.now())
        throw new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    const user = state.org.tables.get('User')?.rows.get(session.userId);
    if (!user || user.IsActive === false) throw new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    return session;
}
