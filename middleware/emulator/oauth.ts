import { randomBytes } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import { SfError } from './errors';
import { authenticate, sendJson, type ConnectedApp, type EmulatorState } from './state';

class OAuthError extends Error {
    constructor(
        readonly status: number,
        readonly error: string,
        readonly description: string
    ) {
        super(description);
    }
}

/** Login and identity: OAuth 2.0 token endpoint, SOAP login(), the identity URL. */
export function loginRouter(state: EmulatorState): express.Router {
    const { org } = state;
    const router = express.Router();
    router.post('/services/oauth2/token', (req, res) => {
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

    // SOAP login() (jsforce without an OAuth client)
    router.post(/^\/services\/Soap\/u\/(\d+\.\d)(\/.*)?$/, (req, res) => {
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

    router.get('/id/:orgId/:userId', (req, res) => {
        try {
            const session = authenticate(state, req);
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
    return router;
}
