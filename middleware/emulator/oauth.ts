import { createHash, randomBytes } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import { identityUrl } from './identity';
import { sendJson, type ConnectedApp, type EmulatorState } from './state';

class OAuthError extends Error {
    constructor(
        readonly status: number,
        readonly error: string,
        readonly description: string
    ) {
        super(description);
    }
}

const CODE_TTL_MS = 15 * 60 * 1000;
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const escapeHtml = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The parameters of /services/oauth2/authorize that the login form carries through. */
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
        .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params[k]!)}">`)
        .join('\n      ');
    return `<!DOCTYPE html>
<html lang="en">
  <head><meta charset="utf-8"><title>Login | Salesforce (emulator)</title></head>
  <body>
    <form id="login_form" name="login" method="post" action="/services/oauth2/authorize">
      <h1>Log in to the Salesforce emulator</h1>
      ${error ? `<div id="error" class="loginError" role="alert">${escapeHtml(error)}</div>` : ''}
      <label for="username">Username</label>
      <input id="username" name="username" type="email" autocomplete="username" value="${escapeHtml(params.username ?? '')}">
      <label for="password">Password</label>
      <input id="password" name="pw" type="password" autocomplete="current-password">
      ${hidden}
      <input id="Login" type="submit" value="Log In">
    </form>
  </body>
</html>
`;
}

/** The redirect URI is one of the app's callback URLs (any http(s) URL when it registered none). */
function redirectAllowed(app: ConnectedApp, uri: string): boolean {
    if (app.callbackUrls.length > 0) return app.callbackUrls.includes(uri);
    try {
        const u = new URL(uri);
        return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
        return false;
    }
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/**
 * OAuth 2.0 as Salesforce: the authorization-code flow with PKCE behind a login form, the token
 * endpoint (authorization_code, refresh_token, password, client_credentials, JWT bearer) and
 * token revocation.
 */
export function oauthRouter(state: EmulatorState): express.Router {
    const router = express.Router();
    const appFor = (clientId?: string, secret?: string, needSecret = true): ConnectedApp => {
        const a = clientId ? state.apps.get(clientId) : undefined;
        if (!a) throw new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
        if ((needSecret || secret !== undefined) && a.clientSecret !== secret)
            throw new OAuthError(400, 'invalid_client', 'invalid client credentials');
        return a;
    };
    const params = (source: unknown): Record<string, string> =>
        Object.fromEntries(
            Object.entries((source ?? {}) as Record<string, unknown>).filter(
                (e): e is [string, string] => typeof e[1] === 'string'
            )
        );

    // ------------------------------------------------------------------ authorization-code flow
    /**
     * Check client and redirect URI first: a bad one gets an error page (no redirect to an
     * untrusted URI); the other request errors are redirected to the client as `error=`.
     */
    const checkAuthorize = (
        p: Record<string, string>,
        res: express.Response
    ): { app: ConnectedApp; redirect: (q: Record<string, string>) => void } | null => {
        const app = p.client_id ? state.apps.get(p.client_id) : undefined;
        const errorPage = (error: string, description: string) => {
            res.status(400)
                .type('text/html')
                .send(
                    `<!DOCTYPE html><html><body><h1>OAuth Error</h1><p id="error">error=${error}</p><p id="error_description">${escapeHtml(description)}</p></body></html>`
                );
            return null;
        };
        if (!app) return errorPage('invalid_client_id', 'client identifier invalid');
        if (!p.redirect_uri || !redirectAllowed(app, p.redirect_uri))
            return errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration');
        const redirect = (q: Record<string, string>) => {
            const url = new URL(p.redirect_uri!);
            for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
            if (p.state !== undefined) url.searchParams.set('state', p.state);
            res.redirect(302, url.toString());
        };
        if (p.response_type !== 'code') {
            redirect({ error: 'unsupported_response_type', error_description: 'response type not supported' });
            return null;
        }
        if (p.code_challenge !== undefined && (p.code_challenge_method ?? 'S256') !== 'S256') {
            redirect({ error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
            return null;
        }
        return { app, redirect };
    };

    router.get('/services/oauth2/authorize', (req, res) => {
        const p = params(req.query);
        if (!checkAuthorize(p, res)) return;
        res.status(200).type('text/html').send(loginPage(p));
    });

    router.post('/services/oauth2/authorize', (req, res) => {
        const p = params(req.body);
        const checked = checkAuthorize(p, res);
        if (!checked) return;
        const user = state.userByUsername(p.username ?? '');
        if (!user || state.passwords.get(user.Id) !== p.pw || user.IsActive === false) {
            res.status(200)
                .type('text/html')
                .send(
                    loginPage(
                        p,
                        'Please check your username and password. If you still can\u2019t log in, contact your Salesforce administrator.'
                    )
                );
            return;
        }
        const code = `aPr${randomBytes(30).toString('base64url')}`;
        state.authorizationCodes.set(code, {
            code,
            clientId: checked.app.clientId,
            redirectUri: p.redirect_uri!,
            userId: user.Id,
            codeChallenge: p.code_challenge ?? null,
            expiresAt: Date.now() + CODE_TTL_MS
        });
        checked.redirect({ code });
    });

    // ------------------------------------------------------------------ token endpoint
    router.post('/services/oauth2/token', (req, res) => {
        try {
            const p = params(req.body);
            let userId: string;
            let refresh: string | undefined;
            let grantToken: string | undefined;
            switch (p.grant_type) {
                case 'authorization_code': {
                    const entry = state.authorizationCodes.get(p.code ?? '');
                    // A code is good for one attempt.
                    if (entry) state.authorizationCodes.delete(entry.code);
                    // With PKCE the secret is optional (Salesforce: "Require Secret for Web Server Flow" off).
                    const app = appFor(p.client_id, p.client_secret, entry ? entry.codeChallenge === null : false);
                    if (!entry || entry.expiresAt < Date.now() || entry.clientId !== app.clientId)
                        throw new OAuthError(400, 'invalid_grant', 'invalid authorization code');
                    if (p.redirect_uri !== entry.redirectUri)
                        throw new OAuthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
                    if (entry.codeChallenge !== null) {
                        if (!p.code_verifier || s256(p.code_verifier) !== entry.codeChallenge)
                            throw new OAuthError(400, 'invalid_grant', 'invalid code verifier');
                    }
                    userId = entry.userId;
                    refresh = randomBytes(32).toString('base64url');
                    state.refreshTokens.set(refresh, { token: refresh, userId, clientId: app.clientId });
                    grantToken = refresh;
                    break;
                }
                case 'password': {
                    // Salesforce's username-password flow issues no refresh token.
                    appFor(p.client_id, p.client_secret);
                    const user = state.userByUsername(p.username ?? '');
                    if (!user || state.passwords.get(user.Id) !== p.password || user.IsActive === false) {
                        throw new OAuthError(400, 'invalid_grant', 'authentication failure');
                    }
                    userId = user.Id;
                    break;
                }
                case 'client_credentials': {
                    userId = appFor(p.client_id, p.client_secret).runAsUserId;
                    break;
                }
                case 'refresh_token': {
                    const app = appFor(p.client_id, p.client_secret, false);
                    const grant = state.refreshTokens.get(p.refresh_token ?? '');
                    if (!grant || grant.clientId !== app.clientId)
                        throw new OAuthError(400, 'invalid_grant', 'expired access/refresh token');
                    userId = grant.userId;
                    grantToken = grant.token;
                    break;
                }
                case JWT_GRANT: {
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
            const session = state.newSession(userId, grantToken);
            sendJson(res, 200, {
                access_token: session.token,
                ...(refresh ? { refresh_token: refresh } : {}),
                signature: randomBytes(32).toString('base64'),
                ...(grantToken ? { scope: 'refresh_token api' } : {}),
                instance_url: state.url,
                id: identityUrl(state, userId),
                token_type: 'Bearer',
                issued_at: String(Date.now())
            });
        } catch (error) {
            if (error instanceof OAuthError)
                sendJson(res, error.status, { error: error.error, error_description: error.description });
            else throw error;
        }
    });

    // ------------------------------------------------------------------ revocation
    const revoke = (req: express.Request, res: express.Response) => {
        const token = params(req.method === 'GET' ? req.query : req.body).token;
        if (!token || !state.revoke(token)) {
            sendJson(res, 400, {
                error: 'unsupported_token_type',
                error_description: 'this token type is not supported'
            });
            return;
        }
        res.status(200).end();
    };
    router.post('/services/oauth2/revoke', revoke);
    router.get('/services/oauth2/revoke', revoke);
    return router;
}
