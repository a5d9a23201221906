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

export function sendJson(res: Response, status: number, body: unknown): void {
    // res.end, not res.send: express would rewrite the content type to `application/json; charset=utf-8`.
    res.status(status).setHeader('Content-Type', JSON_TYPE);
    res.end(body === undefined ? '' : JSON.stringify(body));
}

/** The session of a REST call (`Authorization: Bearer|OAuth <token>`), or 401 INVALID_SESSION_ID. */
export function authenticate(state: EmulatorState, req: Request): Session {
    const header = req.get('authorization') ?? '';
    const token = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header)?.[1] ?? req.get('x-sfdc-session');
    const session = token ? state.sessions.get(token) : undefined;
    if (!session || session.expiresAt <= Date.now())
        throw new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    const user = state.org.tables.get('User')?.rows.get(session.userId);
    if (!user || user.IsActive === false) throw new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    return session;
}
