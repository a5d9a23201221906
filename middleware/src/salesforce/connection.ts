import { readFileSync } from 'node:fs';
import { Connection } from '@jsforce/jsforce-node';
import jwt from 'jsonwebtoken';
import { fetch } from 'undici';
import { ApiError } from '../errors';
import type { Logger } from '../logger';

/**
 * How the middleware signs in as an org's integration user (TEN-2).
 * - `oauth`: the authorization-code flow (PKCE) gave a refresh token; access tokens come from it.
 * - `jwt`: OAuth 2.0 JWT bearer flow with the org's own connected app and certificate.
 * - `password`: the local emulator's demo org (OAuth username-password flow); never real orgs.
 */
export type SalesforceAuth =
    | {
          kind: 'oauth';
          loginUrl: string;
          clientId: string;
          clientSecret?: string | undefined;
          refreshToken: string;
      }
    | { kind: 'jwt'; loginUrl: string; clientId: string; username: string; privateKey: string }
    | {
          kind: 'password';
          loginUrl: string;
          clientId: string;
          clientSecret: string;
          username: string;
          password: string;
      };

/** What the token endpoint said: the access token and who it belongs to. */
export interface TokenGrant {
    accessToken: string;
    instanceUrl: string;
    /** `<host>/id/<orgId>/<userId>` */
    identityUrl: string;
    salesforceOrgId: string | null;
    salesforceUserId: string | null;
    /** Only when Salesforce rotates refresh tokens (or for the authorization-code grant). */
    refreshToken?: string;
}

/**
 * The org's connection is in `error` (a revoked token, a failed refresh): nothing is tried
 * until an admin reconnects. Jobs read it as "paused" (TEN-2, TEN-4).
 */
export class SalesforceConnectionError extends ApiError {
    constructor(readonly reason: string) {
        super(
            'conflict',
            `The Salesforce connection of this org failed: ${reason}. Reconnect it in the setup wizard (Connect), or with POST /v1/org/connection/oauth`
        );
        this.name = 'SalesforceConnectionError';
    }
}

/** Salesforce refused the credentials themselves (not a network or server hiccup). */
export class SalesforceAuthError extends Error {
    constructor(
        readonly code: string,
        message: string
    ) {
        super(message);
        this.name = 'SalesforceAuthError';
    }
}

export interface SalesforceGatewayOptions {
    /**
     * The auth of an org, or null when the org has no connected Salesforce org; throws
     * SalesforceConnectionError when its connection is in `error`.
     */
    authFor: (orgId: string) => Promise<SalesforceAuth | null> | SalesforceAuth | null;
    /** Salesforce refused the org's credentials: record it (the connection turns to `error`). */
    onAuthFailure?: (orgId: string, reason: string) => Promise<void>;
    /** Salesforce rotated the refresh token: store the new one. */
    onRefreshToken?: (orgId: string, refreshToken: string) => Promise<void>;
    apiVersion: string;
    logger?: Logger;
    /** At most this many jsforce connections are kept (least recently used go first; default 200). */
    maxConnections?: number;
}

/**
 * The one place jsforce connections are made (always with an explicit API version). One
 * connection per org is kept in a bounded cache (TEN-4); jsforce renews its access token through
 * the refresh function set here (refresh token, freshly signed JWT, or emulator password). When
 * Salesforce refuses the credentials, `onAuthFailure` records it and the cached connection goes.
 */
export class SalesforceGateway {
    private readonly connections = new Map<string, Promise<Connection>>();

    constructor(private readonly options: SalesforceGatewayOptions) {}

    get apiVersion(): string {
        return this.options.apiVersion;
    }

    /** How many jsforce connections are cached now. */
    get cachedConnections(): number {
        return this.connections.size;
    }

    /** True when the org has a working connection (not missing, not in `error`). */
    async isConnected(orgId: string): Promise<boolean> {
        try {
            return (await this.options.authFor(orgId)) !== null;
        } catch (error) {
            if (error instanceof SalesforceConnectionError) return false;
            throw error;
        }
    }

    /** The org's integration-user connection; 409 when the org has no (working) connected Salesforce org. */
    async connection(orgId: string): Promise<Connection> {
        let pending = this.connections.get(orgId);
        if (pending) {
            // Least recently used goes first: move this org to the end.
            this.connections.delete(orgId);
            this.connections.set(orgId, pending);
            return pending;
        }
        pending = this.open(orgId);
        this.connections.set(orgId, pending);
        pending.catch(() => {
            if (this.connections.get(orgId) === pending) this.connections.delete(orgId);
        });
        const max = this.options.maxConnections ?? 200;
        while (this.connections.size > max) {
            const oldest = this.connections.keys().next().value;
            if (oldest === undefined) break;
            this.connections.delete(oldest);
        }
        return pending;
    }

    /** Forget a cached connection (after a credential change). */
    forget(orgId: string): void {
        this.connections.delete(orgId);
    }

    private async open(orgId: string): Promise<Connection> {
        const auth = await this.options.authFor(orgId);
        if (!auth) throw new ApiError('conflict', 'This org has no connected Salesforce org');
        const authorize = async (): Promise<TokenGrant> => {
            try {
                const grant = await requestToken(auth);
                if (grant.refreshToken && auth.kind === 'oauth' && grant.refreshToken !== auth.refreshToken) {
                    auth.refreshToken = grant.refreshToken;
                    await this.options.onRefreshToken?.(orgId, grant.refreshToken);
                }
                return grant;
            } catch (error) {
                if (error instanceof SalesforceAuthError) {
                    this.forget(orgId);
                    const reason = `${error.code}: ${error.message}`;
                    this.options.logger?.warn({ orgId, reason }, 'salesforce refused the connection');
                    await this.options.onAuthFailure?.(orgId, reason);
                    throw new SalesforceConnectionError(reason);
                }
                throw error;
            }
        };
        try {
            return await connectionFor(auth, this.options.apiVersion, authorize);
        } catch (error) {
            if (error instanceof ApiError) throw error;
            this.options.logger?.warn({ orgId, err: describeError(error) }, 'salesforce login failed');
            throw new ApiError('salesforce_error', `Salesforce login failed: ${describeError(error)}`);
        }
    }
}

/** A jsforce connection whose access token comes from `authorize` (and is renewed by it). */
async function connectionFor(
    auth: SalesforceAuth,
    version: string,
    authorize: () => Promise<TokenGrant>
): Promise<Connection> {
    const first = await authorize();
    const conn = new Connection({
        version,
        loginUrl: auth.loginUrl,
        instanceUrl: first.instanceUrl,
        accessToken: first.accessToken,
        refreshFn: (_conn, callback) => {
            authorize().then(
                (next) => callback(null, next.accessToken),
                (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)))
            );
        }
    });
    // Who the connection runs as (jsforce keeps it only from its own login calls).
    if (first.salesforceUserId && first.salesforceOrgId) {
        conn.userInfo = { id: first.salesforceUserId, organizationId: first.salesforceOrgId, url: first.identityUrl };
    }
    return conn;
}

/** Open a connection without a gateway (scripts, the connect flows' trial login). */
export async function openConnection(auth: SalesforceAuth, version: string): Promise<Connection> {
    return connectionFor(auth, version, () => requestToken(auth));
}

/** One call to the token endpoint for this auth; SalesforceAuthError when the grant is refused. */
export async function requestToken(auth: SalesforceAuth): Promise<TokenGrant> {
    let params: Record<string, string>;
    switch (auth.kind) {
        case 'password':
            params = {
                grant_type: 'password',
                client_id: auth.clientId,
                client_secret: auth.clientSecret,
                username: auth.username,
                password: auth.password
            };
            break;
        case 'oauth':
            params = {
                grant_type: 'refresh_token',
                client_id: auth.clientId,
                refresh_token: auth.refreshToken,
                ...(auth.clientSecret ? { client_secret: auth.clientSecret } : {})
            };
            break;
        case 'jwt':
            params = {
                grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
                assertion: jwt.sign({ prn: auth.username }, auth.privateKey, {
                    algorithm: 'RS256',
                    issuer: auth.clientId,
                    audience: new URL(auth.loginUrl).origin,
                    subject: auth.username,
                    expiresIn: 180
                })
            };
            break;
    }
    return tokenCall(auth.loginUrl, params);
}

/** POST the token endpoint; refused grants (4xx with an OAuth error) become SalesforceAuthError. */
export async function tokenCall(loginUrl: string, params: Record<string, string>): Promise<TokenGrant> {
    const res = await fetch(new URL('/services/oauth2/token', loginUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(params)
    });
    let body: {
        access_token?: string;
        refresh_token?: string;
        instance_url?: string;
        id?: string;
        error?: string;
        error_description?: string;
    } = {};
    try {
        body = (await res.json()) as typeof body;
    } catch {
        body = {};
    }
    if (res.status >= 400 && res.status < 500 && body.error) {
        throw new SalesforceAuthError(body.error, body.error_description ?? body.error);
    }
    if (!res.ok || !body.access_token || !body.instance_url) {
        throw new Error(body.error_description ?? `token endpoint answered ${res.status}`);
    }
    const ids = /\/id\/([a-zA-Z0-9]{15,18})\/([a-zA-Z0-9]{15,18})\/?$/.exec(body.id ?? '');
    return {
        accessToken: body.access_token,
        instanceUrl: body.instance_url,
        identityUrl: body.id ?? '',
        salesforceOrgId: ids?.[1] ?? null,
        salesforceUserId: ids?.[2] ?? null,
        ...(body.refresh_token ? { refreshToken: body.refresh_token } : {})
    };
}

/** Read the JWT settings of API.md's "Local stack" (all four, or none). */
export function jwtAuthFromEnv(env: {
    SF_LOGIN_URL?: string | undefined;
    SF_CLIENT_ID?: string | undefined;
    SF_USERNAME?: string | undefined;
    SF_PRIVATE_KEY_FILE?: string | undefined;
}): SalesforceAuth | null {
    if (!env.SF_LOGIN_URL || !env.SF_CLIENT_ID || !env.SF_USERNAME || !env.SF_PRIVATE_KEY_FILE) return null;
    return {
        kind: 'jwt',
        loginUrl: env.SF_LOGIN_URL,
        clientId: env.SF_CLIENT_ID,
        username: env.SF_USERNAME,
        privateKey: readFileSync(env.SF_PRIVATE_KEY_FILE, 'utf8')
    };
}

/** A jsforce / Salesforce error as one line, without tokens. */
export function describeError(error: unknown): string {
    if (error && typeof error === 'object') {
        const e = error as { errorCode?: string; name?: string; message?: string };
        const code = e.errorCode ?? (e.name && e.name !== 'Error' ? e.name : undefined);
        return scrubSecrets([code, e.message].filter(Boolean).join(': '));
    }
    return scrubSecrets(String(error));
}

/**
 * Remove what may be a credential from a message (jsforce puts `oauth_token=` in some URLs;
 * Salesforce session ids read `<org id>!<token>`): logs and error answers never carry one.
 */
export function scrubSecrets(message: string): string {
    return message
        .replace(
            /\b((?:oauth_token|access_token|refresh_token|token|code|code_verifier|state|assertion|client_secret|password|pw)=)[^&\s"']+/gi,
            '$1[redacted]'
        )
        .replace(/\b00D[a-zA-Z0-9]{12,15}![\w.-]+/g, '[redacted]')
        .replace(/\b(Bearer|OAuth)\s+[\w.!-]+/gi, '$1 [redacted]');
}

/** Map a Salesforce failure to the API's 502 envelope (jsforce errors never leak raw). */
export function salesforceError(error: unknown, what: string): ApiError {
    if (error instanceof ApiError) return error;
    return new ApiError('salesforce_error', `${what}: ${describeError(error)}`);
}
