import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { EmulatorState } from './server';

/**
 * The OAuth 2.0 pieces the connect flows of the middleware need (TEN-2), as Salesforce speaks
 * them:
 * - `GET /services/oauth2/authorize?response_type=code&client_id&redirect_uri&state&code_challenge`
 *   shows a login form; its `POST` takes `username` and `pw` (as Salesforce's login page) and
 *   redirects to `redirect_uri?code=&state=` (or `?error=access_denied` when denied);
 * - the token endpoint's `authorization_code` grant checks the PKCE verifier (S256 or plain),
 *   the client and the redirect URI; codes are single use and expire after 15 minutes;
 * - `refresh_token` grants are tracked, so revoking a refresh token also ends the sessions it gave;
 * - `POST /services/oauth2/revoke` (token = a refresh or access token) and
 *   `GET /services/oauth2/userinfo`;
 * - `POST /__emulator/oauth/revoke-user {username}`: what an admin's "Revoke" in Connected Apps
 *   OAuth Usage does: every refresh token and session of that user ends.
 * Requests this router does not handle (other grants) fall through to the token endpoint of server.ts.
 */
interface AuthCode {
    clientId: string;
    redirectUri: string;
    userId: string;
    challenge: string | null;
    challengeMethod: 'S256' | 'plain';
    expiresAt: number;
}

interface OAuthExtras {
    codes: Map<string, AuthCode>;
    /** refresh token → the access tokens issued from it */
    sessionsByRefresh: Map<string, Set<string>>;
}

const extras = new WeakMap<EmulatorState, OAuthExtras>();

function extrasOf(state: EmulatorState): OAuthExtras {
    let x = extras.get(state);
    if (!x) {
        x = { codes: new Map(), sessionsByRefresh: new Map() };
        extras.set(state, x);
    }
    return x;
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const CODE_TTL_MS = 15 * 60 * 1000;

function sendJson(res: Response, status: number, body: unknown): void {
    res.status(status).setHeader('Content-Type', JSON_TYPE);
    res.setHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify(body));
}

const oauthError = (res: Response, status: number, error: string, description: string): void =>
    sendJson(res, status, { error, error_description: description });

const escapeHtml = (s: string): string =>
    s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const AUTHORIZE_PARAMS = [
    'response_type',
    'client_id',
    'redirect_uri',
    'state',
    'scope',
    'code_challenge',
    'code_challenge_method',
    'prompt'
] as const;

function loginPage(params: Record<string, string>, error?: string): string {
    const hidden = AUTHORIZE_PARAMS.filter((k) => params[k] !== undefined)
        .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params[k] ?? '')}">`)
        .join('');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Login | Salesforce (local emulator)</title></head>
<body><main><h1>Log in to the local Salesforce emulator</h1>
<p>Backstory Companion (${escapeHtml(params.client_id ?? '')}) asks to access your data as you: api, refresh_token.</p>
${error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/services/oauth2/authorize">${hidden}
<label for="username">Username</label> <input id="username" name="username" autocomplete="username" required>
<label for="pw">Password</label> <input id="pw" name="pw" type="password" autocomplete="current-password" required>
<button type="submit" id="Login" name="action" value="allow">Log In and Allow</button>
<button type="submit" id="Deny" name="action" value="deny" formnovalidate>Deny</button>
</form></main></body></html>`;
}

function redirectWith(res: Response, redirectUri: string, params: Record<string, string | undefined>): void {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) target.searchParams.set(k, v);
    res.redirect(302, target.toString());
}

/** Refresh tokens this router issued, and the sessions that came from them. */
function issue(state: EmulatorState, userId: string, refresh: string | null) {
    const session = state.newSession(userId);
    if (refresh) {
        state.refreshTokens.set(refresh, userId);
        const x = extrasOf(state);
        const set = x.sessionsByRefresh.get(refresh) ?? new Set<string>();
        set.add(session.token);
        x.sessionsByRefresh.set(refresh, set);
    }
    return session;
}

function tokenResponse(state: EmulatorState, session: { token: string; userId: string }, refresh?: string) {
    return {
        access_token: session.token,
        ...(refresh ? { refresh_token: refresh } : {}),
        instance_url: state.url,
        id: `${state.url}/id/${state.org.orgId}/${session.userId}`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: randomBytes(32).toString('base64'),
        scope: 'api refresh_token'
    };
}

/** End a refresh token and every session issued from it. */
function revokeRefresh(state: EmulatorState, refresh: string): void {
    state.refreshTokens.delete(refresh);
    const x = extrasOf(state);
    for (const token of x.sessionsByRefresh.get(refresh) ?? []) state.sessions.delete(token);
    x.sessionsByRefresh.delete(refresh);
}

/** Every refresh token and session of one user (Connected Apps OAuth Usage → Revoke). */
export function revokeUserTokens(state: EmulatorState, userId: string): { refreshTokens: number; sessions: number } {
    let refreshTokens = 0;
    for (const [token, owner] of [...state.refreshTokens]) {
        if (owner === userId) {
            revokeRefresh(state, token);
            refreshTokens++;
        }
    }
    let sessions = 0;
    for (const [token, s] of [...state.sessions]) {
        if (s.userId === userId) {
            state.sessions.delete(token);
            sessions++;
        }
    }
    return { refreshTokens, sessions };
}

const safeEqual = (a: string, b: string): boolean => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
};

export function oauthFlows(state: EmulatorState): express.Router {
    const r = express.Router();

    r.get('/services/oauth2/authorize', (req: Request, res: Response) => {
        const params = Object.fromEntries(
            Object.entries(req.query).filter((e): e is [string, string] => typeof e[1] === 'string')
        );
        if (params.response_type !== 'code')
            return oauthError(res, 400, 'unsupported_response_type', 'response type not supported');
        if (!params.client_id || !state.apps.has(params.client_id))
            return oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
        if (!params.redirect_uri || !/^https?:\/\//.test(params.redirect_uri))
            return oauthError(res, 400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
        res.status(200).setHeader('Content-Type', 'text/html;charset=UTF-8');
        res.end(loginPage(params));
    });

    r.post('/services/oauth2/authorize', (req: Request, res: Response) => {
        const p = (req.body ?? {}) as Record<string, string>;
        if (p.response_type !== 'code' || !p.client_id || !state.apps.has(p.client_id) || !p.redirect_uri)
            return oauthError(res, 400, 'invalid_request', 'invalid authorization request');
        if (p.action === 'deny') {
            return redirectWith(res, p.redirect_uri, {
                error: 'access_denied',
                error_description: 'end-user denied authorization',
                state: p.state
            });
        }
        const user = state.userByUsername(p.username ?? '');
        if (!user || state.passwords.get(user.Id) !== p.pw || user.IsActive === false) {
            res.status(200).setHeader('Content-Type', 'text/html;charset=UTF-8');
            res.end(
                loginPage(
                    p,
                    'Please check your username and password. If you still can’t log in, contact your Salesforce administrator.'
                )
            );
            return;
        }
        const method = p.code_challenge_method === 'plain' ? 'plain' : 'S256';
        const code = `aPrx${randomBytes(24).toString('base64url')}`;
        extrasOf(state).codes.set(code, {
            clientId: p.client_id,
            redirectUri: p.redirect_uri,
            userId: user.Id,
            challenge: p.code_challenge ?? null,
            challengeMethod: method,
            expiresAt: Date.now() + CODE_TTL_MS
        });
        redirectWith(res, p.redirect_uri, { code, state: p.state });
    });

    r.post('/services/oauth2/token', (req: Request, res: Response, next) => {
        const p = (req.body ?? {}) as Record<string, string>;
        if (p.grant_type === 'authorization_code') {
            const x = extrasOf(state);
            const entry = x.codes.get(p.code ?? '');
            if (entry) x.codes.delete(p.code ?? ''); // single use, whatever happens next
            const app = p.client_id ? state.apps.get(p.client_id) : undefined;
            if (!app) return oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
            if (p.client_secret !== undefined && !safeEqual(p.client_secret, app.clientSecret))
                return oauthError(res, 400, 'invalid_client', 'invalid client credentials');
            if (!entry || entry.expiresAt <= Date.now() || entry.clientId !== app.clientId)
                return oauthError(res, 400, 'invalid_grant', 'invalid authorization code');
            if (entry.redirectUri !== p.redirect_uri)
                return oauthError(res, 400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
            if (entry.challenge !== null) {
                const verifier = p.code_verifier ?? '';
                const computed =
                    entry.challengeMethod === 'plain'
                        ? verifier
                        : createHash('sha256').update(verifier, 'ascii').digest('base64url');
                if (!verifier || !safeEqual(computed, entry.challenge))
                    return oauthError(res, 400, 'invalid_grant', 'invalid code verifier');
            } else if (p.client_secret === undefined) {
                return oauthError(res, 400, 'invalid_client', 'client secret or code verifier required');
            }
            const refresh = randomBytes(32).toString('base64url');
            const session = issue(state, entry.userId, refresh);
            return sendJson(res, 200, tokenResponse(state, session, refresh));
        }
        if (p.grant_type === 'refresh_token') {
            const app = p.client_id ? state.apps.get(p.client_id) : undefined;
            if (!app) return oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
            if (p.client_secret !== undefined && !safeEqual(p.client_secret, app.clientSecret))
                return oauthError(res, 400, 'invalid_client', 'invalid client credentials');
            const owner = state.refreshTokens.get(p.refresh_token ?? '');
            const user = owner ? state.org.tables.get('User')?.rows.get(owner) : undefined;
            if (!owner || !user || user.IsActive === false)
                return oauthError(res, 400, 'invalid_grant', 'expired access/refresh token');
            const session = issue(state, owner, p.refresh_token ?? '');
            return sendJson(res, 200, tokenResponse(state, session));
        }
        next();
    });

    r.post('/services/oauth2/revoke', (req: Request, res: Response) => {
        const token = String(((req.body ?? {}) as Record<string, unknown>).token ?? req.query.token ?? '');
        if (state.refreshTokens.has(token)) revokeRefresh(state, token);
        else if (state.sessions.has(token)) state.sessions.delete(token);
        else return oauthError(res, 400, 'unsupported_token_type', 'this token type is not supported');
        res.status(200).end();
    });

    const userinfo = (req: Request, res: Response) => {
        const token = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
        const session = token ? state.sessions.get(token) : undefined;
        const user = session && session.expiresAt > Date.now() ? state.org.get(session.userId) : undefined;
        if (!session || !user || user.IsActive === false) {
            res.status(403).setHeader('Content-Type', 'text/plain;charset=UTF-8');
            res.end('Bad_OAuth_Token');
            return;
        }
        sendJson(res, 200, {
            sub: `${state.url}/id/${state.org.orgId}/${user.Id}`,
            user_id: user.Id,
            organization_id: state.org.orgId,
            preferred_username: user.Username,
            nickname: user.Alias,
            name: user.Name,
            email: user.Email,
            email_verified: true,
            given_name: user.FirstName,
            family_name: user.LastName,
            active: user.IsActive,
            user_type: 'STANDARD',
            language: 'en_US',
            locale: 'en_US',
            utcOffset: 0
        });
    };
    r.get('/services/oauth2/userinfo', userinfo);
    r.post('/services/oauth2/userinfo', userinfo);

    r.post('/__emulator/oauth/revoke-user', (req: Request, res: Response) => {
        const username = ((req.body ?? {}) as Record<string, unknown>).username;
        const user = typeof username === 'string' ? state.userByUsername(username) : undefined;
        if (!user) return sendJson(res, 400, [{ errorCode: 'INVALID_FIELD', message: 'username: no such user', fields: ['username'] }]);
        sendJson(res, 200, revokeUserTokens(state, user.Id));
    });
    return r;
}
