import { readFileSync } from 'node:fs';
import { Connection } from '@jsforce/jsforce-node';
import jwt from 'jsonwebtoken';
import { fetch } from 'undici';
import { ApiError } from '../errors';
import type { Logger } from '../logger';

/**
 * How the middleware signs in as an org's integration user.
 * - `jwt`: a real org, OAuth 2.0 JWT bearer flow (connected app + certificate).
 * - `password`: the local emulator's demo org (OAuth username-password flow); never used for
 *   real orgs.
 */
export type SalesforceAuth =
    | { kind: 'jwt'; loginUrl: string; clientId: string; username: string; privateKey: string }
    | {
          kind: 'password';
          loginUrl: string;
          clientId: string;
          clientSecret: string;
          username: string;
          password: string;
      };

export interface SalesforceGatewayOptions {
    /** The auth of an org, or null when the org has no connected Salesforce org. */
    authFor: (orgId: string) => Promise<SalesforceAuth | null> | SalesforceAuth | null;
    apiVersion: string;
    logger?: Logger;
}

/**
 * The one place jsforce connections are made (always with an explicit API version). One
 * connection per org is kept; jsforce refreshes it on INVALID_SESSION_ID through the refresh
 * function set here (username-password re-login, or a freshly signed JWT).
 */
export class SalesforceGateway {
    private readonly connections = new Map<string, Promise<Connection>>();

    constructor(private readonly options: SalesforceGatewayOptions) {}

    get apiVersion(): string {
        return this.options.apiVersion;
    }

    async isConnected(orgId: string): Promise<boolean> {
        return (await this.options.authFor(orgId)) !== null;
    }

    /** The org's integration-user connection; 409 when the org has no connected Salesforce org. */
    async connection(orgId: string): Promise<Connection> {
        let pending = this.connections.get(orgId);
        if (!pending) {
            pending = this.open(orgId);
            this.connections.set(orgId, pending);
            pending.catch(() => this.connections.delete(orgId));
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
        try {
            return await openConnection(auth, this.options.apiVersion);
        } catch (error) {
            this.options.logger?.warn({ orgId, err: describeError(error) }, 'salesforce login failed');
            throw new ApiError('salesforce_error', `Salesforce login failed: ${describeError(error)}`);
        }
    }
}

export async function openConnection(auth: SalesforceAuth, version: string): Promise<Connection> {
    if (auth.kind === 'password') {
        const conn = new Connection({
            version,
            loginUrl: auth.loginUrl,
            oauth2: { loginUrl: auth.loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret }
        });
        await conn.login(auth.username, auth.password);
        return conn;
    }
    const authorize = async (): Promise<{ accessToken: string; instanceUrl: string }> => {
        const assertion = jwt.sign({ prn: auth.username }, auth.privateKey, {
            algorithm: 'RS256',
            issuer: auth.clientId,
            audience: new URL(auth.loginUrl).origin,
            expiresIn: 180
        });
        const res = await fetch(new URL('/services/oauth2/token', auth.loginUrl), {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion })
        });
        const body = (await res.json()) as { access_token?: string; instance_url?: string; error_description?: string };
        if (!res.ok || !body.access_token || !body.instance_url) {
            throw new Error(body.error_description ?? `token endpoint answered ${res.status}`);
        }
        return { accessToken: body.access_token, instanceUrl: body.instance_url };
    };
    const first = await authorize();
    return new Connection({
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
        return [code, e.message].filter(Boolean).join(': ');
    }
    return String(error);
}

/** Map a Salesforce failure to the API's 502 envelope (jsforce errors never leak raw). */
export function salesforceError(error: unknown, what: string): ApiError {
    if (error instanceof ApiError) return error;
    return new ApiError('salesforce_error', `${what}: ${describeError(error)}`);
}
