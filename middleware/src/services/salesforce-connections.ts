import { createHash, randomBytes } from 'node:crypto';
import { fetch } from 'undici';
import { ApiError, conflict, invalid } from '../errors';
import type { SecretBox } from '../crypto/secret-box';
import type { Logger } from '../logger';
import {
    describeError,
    requestToken,
    SalesforceAuthError,
    SalesforceConnectionError,
    tokenCall,
    type SalesforceAuth,
    type SalesforceGateway,
    type SalesforceGatewayOptions,
    type TokenGrant
} from '../salesforce/connection';
import { recordAudit } from '../store/audit';
import {
    deleteConnection,
    findConnection,
    insertOAuthState,
    markConnectionError,
    saveConnection,
    takeOAuthState,
    updateConnectionSecret,
    type ConnectionMethod,
    type ConnectionRow
} from '../store/connections';
import type { Store } from '../store/db';

/** Who asks (a route's caller, or the system at start-up). */
export interface Caller {
    orgId: string;
    actor: string;
}

/** The Backstory connected app the authorization-code flow runs as, and where Salesforce sends the code back. */
export interface OAuthClient {
    clientId: string;
    clientSecret?: string | undefined;
    /** `<public url>/oauth/callback`, registered as the connected app's callback URL. */
    callbackUrl: string;
}

export interface ConnectionDeps {
    store: Store;
    secrets: SecretBox;
    salesforce: SalesforceGateway;
    logger: Logger;
    oauth?: OAuthClient | null;
}

export const OAUTH_STATE_TTL_SECONDS = 600;

/** What is sealed in `secret_ciphertext`, per method. */
type SealedSecret =
    | { refreshToken: string; clientSecret?: string }
    | { privateKey: string }
    | { password: string; clientSecret: string };

const sealContext = (orgId: string): string => `org:${orgId}:salesforce-connection`;

// ------------------------------------------------------------------------------ read side

export interface ConnectionStatus {
    status: 'connected' | 'not_connected' | 'error';
    method: ConnectionMethod | null;
    instanceUrl: string | null;
    salesforceOrgId: string | null;
    username: string | null;
    connectedAt: string | null;
    lastError: string | null;
    /** The login URL the connection was made with (the wizard offers it again when reconnecting). */
    loginUrl: string | null;
}

function toStatus(row: ConnectionRow | undefined): ConnectionStatus {
    if (!row) {
        return {
            status: 'not_connected',
            method: null,
            instanceUrl: null,
            salesforceOrgId: null,
            username: null,
            connectedAt: null,
            lastError: null,
            loginUrl: null
        };
    }
    return {
        status: row.status,
        method: row.method,
        instanceUrl: row.instance_url,
        salesforceOrgId: row.salesforce_org_id,
        username: row.username,
        connectedAt: row.connected_at.toISOString(),
        lastError: row.last_error,
        loginUrl: row.login_url
    };
}

/**
 * The org's connection as API.md's `GET /v1/org/connection` shows it (never a secret). Jobs
 * (CRM pull, user sync, write-back) run only while it is `connected` (TEN-2, TEN-4).
 */
export async function connectionStatus(store: Store, orgId: string): Promise<ConnectionStatus> {
    return toStatus(await findConnection(store.db, orgId));
}

/** Decrypt a stored connection into what the gateway signs in with. */
function toAuth(secrets: SecretBox, row: ConnectionRow): SalesforceAuth {
    const secret = JSON.parse(secrets.open(row.secret_ciphertext, sealContext(row.org_id))) as SealedSecret;
    switch (row.method) {
        case 'oauth': {
            const s = secret as { refreshToken: string; clientSecret?: string };
            return {
                kind: 'oauth',
                loginUrl: row.login_url,
                clientId: row.client_id,
                clientSecret: s.clientSecret,
                refreshToken: s.refreshToken
            };
        }
        case 'jwt':
            return {
                kind: 'jwt',
                loginUrl: row.login_url,
                clientId: row.client_id,
                username: row.username ?? '',
                privateKey: (secret as { privateKey: string }).privateKey
            };
        case 'password': {
            const s = secret as { password: string; clientSecret: string };
            return {
                kind: 'password',
                loginUrl: row.login_url,
                clientId: row.client_id,
                clientSecret: s.clientSecret,
                username: row.username ?? '',
                password: s.password
            };
        }
    }
}

/**
 * The gateway's view of the stored connections: each org signs in with its own (TEN-4); a
 * refused credential turns the connection to `error`; a rotated refresh token is stored sealed;
 * a value sealed under the previous secret key is resealed under the current one.
 */
export function storedConnections(
    store: Store,
    secrets: SecretBox
): Pick<SalesforceGatewayOptions, 'authFor' | 'onAuthFailure' | 'onRefreshToken'> {
    return {
        authFor: async (orgId) => {
            const row = await findConnection(store.db, orgId);
            if (!row) return null;
            if (row.status === 'error') throw new SalesforceConnectionError(row.last_error ?? 'unknown error');
            const auth = toAuth(secrets, row);
            if (secrets.needsReseal(row.secret_ciphertext)) {
                const resealed = secrets.seal(
                    secrets.open(row.secret_ciphertext, sealContext(orgId)),
                    sealContext(orgId)
                );
                await updateConnectionSecret(store.db, orgId, row.secret_ciphertext, resealed);
            }
            return auth;
        },
        onAuthFailure: async (orgId, reason) => {
            await markConnectionError(store.db, orgId, reason);
        },
        onRefreshToken: async (orgId, refreshToken) => {
            const row = await findConnection(store.db, orgId);
            if (row?.method !== 'oauth') return;
            const secret = JSON.parse(secrets.open(row.secret_ciphertext, sealContext(orgId))) as {
                refreshToken: string;
                clientSecret?: string;
            };
            const sealed = secrets.seal(JSON.stringify({ ...secret, refreshToken }), sealContext(orgId));
            await updateConnectionSecret(store.db, orgId, row.secret_ciphertext, sealed);
        }
    };
}

// ------------------------------------------------------------------------------ connecting

/** Who the token belongs to: the org and user ids, and the username from `userinfo`. */
async function whoAmI(grant: TokenGrant): Promise<{ salesforceOrgId: string; userId: string; username: string }> {
    const res = await fetch(new URL('/services/oauth2/userinfo', grant.instanceUrl), {
        headers: { authorization: `Bearer ${grant.accessToken}`, accept: 'application/json' }
    });
    if (!res.ok) throw new Error(`userinfo answered ${res.status}`);
    const info = (await res.json()) as { organization_id?: string; user_id?: string; preferred_username?: string };
    if (!info.organization_id || !info.user_id) throw new Error('userinfo did not name the org and user');
    return {
        salesforceOrgId: info.organization_id,
        userId: info.user_id,
        username: info.preferred_username ?? grant.salesforceUserId ?? info.user_id
    };
}

async function store(
    deps: ConnectionDeps,
    caller: Caller,
    method: ConnectionMethod,
    input: { loginUrl: string; clientId: string; grant: TokenGrant; secret: SealedSecret }
): Promise<ConnectionStatus> {
    const who = await whoAmI(input.grant);
    await saveConnection(deps.store.db, {
        orgId: caller.orgId,
        method,
        loginUrl: input.loginUrl,
        instanceUrl: input.grant.instanceUrl,
        clientId: input.clientId,
        salesforceOrgId: who.salesforceOrgId,
        salesforceUserId: who.userId,
        username: who.username,
        secretCiphertext: deps.secrets.seal(JSON.stringify(input.secret), sealContext(caller.orgId))
    });
    deps.salesforce.forget(caller.orgId);
    await recordAudit(deps.store.db, {
        orgId: caller.orgId,
        actor: caller.actor,
        entity: 'org',
        entityId: caller.orgId,
        action: 'update',
        before: null,
        after: { connection: { method, username: who.username, salesforceOrgId: who.salesforceOrgId } }
    });
    deps.logger.info({ orgId: caller.orgId, method, salesforceOrgId: who.salesforceOrgId }, 'salesforce connected');
    return connectionStatus(deps.store, caller.orgId);
}

/** A refused grant is the caller's input (400 on the named field); anything else is Salesforce's (502). */
function connectFailure(error: unknown, field: string): ApiError {
    if (error instanceof ApiError) return error;
    if (error instanceof SalesforceAuthError)
        return invalid(field, `Salesforce refused it: ${error.code}: ${error.message}`);
    return new ApiError('salesforce_error', `Connecting to Salesforce failed: ${describeError(error)}`);
}

/** The local emulator's demo org by username and password (start-up only, never real orgs). */
export async function connectWithPassword(
    deps: ConnectionDeps,
    caller: Caller,
    auth: Extract<SalesforceAuth, { kind: 'password' }>
): Promise<ConnectionStatus> {
    let grant: TokenGrant;
    try {
        grant = await requestToken(auth);
    } catch (error) {
        throw connectFailure(error, 'password');
    }
    return store(deps, caller, 'password', {
        loginUrl: auth.loginUrl,
        clientId: auth.clientId,
        grant,
        secret: { password: auth.password, clientSecret: auth.clientSecret }
    }).then(withUsername(deps, caller, auth.username));
}

/** Password and JWT flows name the user they sign in as; keep that name. */
function withUsername(deps: ConnectionDeps, caller: Caller, username: string) {
    return async (status: ConnectionStatus): Promise<ConnectionStatus> => {
        if (status.username === username) return status;
        await deps.store.db
            .updateTable('salesforce_connections')
            .set({ username })
            .where('org_id', '=', caller.orgId)
            .execute();
        return { ...status, username };
    };
}

/** JWT bearer with the org's own connected app (TEN-2): the login is tried before anything is stored. */
export async function connectWithJwt(
    deps: ConnectionDeps,
    caller: Caller,
    input: { loginUrl: string; clientId: string; username: string; privateKey: string }
): Promise<ConnectionStatus> {
    const auth: SalesforceAuth = { kind: 'jwt', ...input };
    let grant: TokenGrant;
    try {
        grant = await requestToken(auth);
    } catch (error) {
        if (error instanceof SalesforceAuthError && error.code === 'invalid_client_id')
            throw connectFailure(error, 'clientId');
        throw connectFailure(
            error,
            error instanceof SalesforceAuthError && /user/i.test(error.message) ? 'username' : 'privateKey'
        );
    }
    return store(deps, caller, 'jwt', {
        loginUrl: input.loginUrl,
        clientId: input.clientId,
        grant,
        secret: { privateKey: input.privateKey }
    }).then(withUsername(deps, caller, input.username));
}

const hashState = (state: string): string => createHash('sha256').update(state, 'utf8').digest('hex');

/**
 * Start the authorization-code flow with PKCE (TEN-2): a single-use `state` bound to the org,
 * valid 10 minutes; the verifier is kept sealed, only its S256 challenge leaves.
 */
export async function startOAuth(
    deps: ConnectionDeps,
    caller: Caller,
    input: { loginUrl: string; returnUrl?: string | undefined }
): Promise<{ authorizeUrl: string }> {
    const client = deps.oauth;
    if (!client) {
        throw conflict(
            'OAuth connect is not configured: set SF_OAUTH_CLIENT_ID (and BACKSTORY_PUBLIC_URL) to the Backstory connected app'
        );
    }
    const state = randomBytes(32).toString('base64url');
    const verifier = randomBytes(48).toString('base64url');
    const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
    await insertOAuthState(deps.store.db, {
        state_hash: hashState(state),
        org_id: caller.orgId,
        login_url: input.loginUrl,
        redirect_uri: client.callbackUrl,
        return_url: input.returnUrl ?? null,
        verifier_ciphertext: deps.secrets.seal(verifier, `oauth-state:${hashState(state)}`),
        actor: caller.actor,
        ttlSeconds: OAUTH_STATE_TTL_SECONDS
    });
    const url = new URL('/services/oauth2/authorize', input.loginUrl);
    url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: client.callbackUrl,
        scope: 'api refresh_token',
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        prompt: 'login consent'
    }).toString();
    return { authorizeUrl: url.toString() };
}

/**
 * The callback: `state` authenticates (single use, unexpired, bound to the org that started it);
 * the code is exchanged with the PKCE verifier; the connection is stored. Returns where to send
 * the browser.
 */
export async function completeOAuth(
    deps: ConnectionDeps,
    input: {
        code?: string | undefined;
        state?: string | undefined;
        error?: string | undefined;
        errorDescription?: string | undefined;
    }
): Promise<{ orgId: string; returnUrl: string | null; status: ConnectionStatus }> {
    const client = deps.oauth;
    if (!client) throw conflict('OAuth connect is not configured');
    if (!input.state) throw invalid('query.state', 'is required');
    const row = await takeOAuthState(deps.store.db, hashState(input.state));
    if (!row)
        throw new ApiError('unauthorized', 'This sign-in link has expired or was already used: start Connect again');
    if (input.error) {
        throw new ApiError(
            'forbidden',
            `Salesforce did not authorize the connection: ${input.error}${input.errorDescription ? `: ${input.errorDescription}` : ''}`
        );
    }
    if (!input.code) throw invalid('query.code', 'is required');
    const verifier = deps.secrets.open(row.verifier_ciphertext, `oauth-state:${row.state_hash}`);
    let grant: TokenGrant;
    try {
        grant = await tokenCall(row.login_url, {
            grant_type: 'authorization_code',
            code: input.code,
            client_id: client.clientId,
            redirect_uri: row.redirect_uri,
            code_verifier: verifier,
            ...(client.clientSecret ? { client_secret: client.clientSecret } : {})
        });
    } catch (error) {
        throw connectFailure(error, 'query.code');
    }
    if (!grant.refreshToken) {
        throw new ApiError(
            'salesforce_error',
            'Salesforce issued no refresh token: give the connected app the "refresh_token, offline_access" scope'
        );
    }
    const status = await store(deps, { orgId: row.org_id, actor: row.actor }, 'oauth', {
        loginUrl: row.login_url,
        clientId: client.clientId,
        grant,
        secret: {
            refreshToken: grant.refreshToken,
            ...(client.clientSecret ? { clientSecret: client.clientSecret } : {})
        }
    });
    return { orgId: row.org_id, returnUrl: row.return_url, status };
}

/** Revoke the token at Salesforce (best effort) and forget the connection. */
export async function disconnect(deps: ConnectionDeps, caller: Caller): Promise<void> {
    const row = await findConnection(deps.store.db, caller.orgId);
    if (!row) return;
    if (row.method === 'oauth') {
        try {
            const auth = toAuth(deps.secrets, row) as Extract<SalesforceAuth, { kind: 'oauth' }>;
            await fetch(new URL('/services/oauth2/revoke', row.login_url), {
                method: 'POST',
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams({ token: auth.refreshToken })
            });
        } catch (error) {
            deps.logger.warn({ orgId: caller.orgId, err: describeError(error) }, 'revoking the refresh token failed');
        }
    }
    await deleteConnection(deps.store.db, caller.orgId);
    deps.salesforce.forget(caller.orgId);
    await recordAudit(deps.store.db, {
        orgId: caller.orgId,
        actor: caller.actor,
        entity: 'org',
        entityId: caller.orgId,
        action: 'update',
        before: { connection: { method: row.method, username: row.username } },
        after: { connection: null }
    });
}
