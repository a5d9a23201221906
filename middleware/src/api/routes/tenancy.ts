import { reply, route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { idParams, listOf, pageQuery } from '../schemas/common';
import {
    apiKeySchema,
    connectionSchema,
    createTenantBody,
    issueKeyBody,
    issuedKeySchema,
    jwtConnectBody,
    oauthCallbackQuery,
    oauthStartBody,
    oauthStartedSchema,
    tenantCreatedSchema,
    tenantSchema
} from '../schemas/tenancy';
import {
    completeOAuth,
    connectionStatus,
    connectWithJwt,
    disconnect,
    startOAuth,
    type ConnectionDeps
} from '../../services/salesforce-connections';
import { createTenant, issueKey, listKeys, listTenants, revokeKey } from '../../services/tenants';

/** TEN-1..3: tenants (operator key), the org's API keys, and its Salesforce connection. */
export function tenancyRoutes(deps: AppDeps): AnyRoute[] {
    const connection = (): ConnectionDeps => ({
        store: deps.store,
        secrets: deps.secrets,
        salesforce: deps.salesforce,
        logger: deps.logger,
        oauth: deps.oauth ?? null
    });
    const caller = (ctx: { orgId: string; actor: string }) => ({ orgId: ctx.orgId, actor: ctx.actor });
    return [
        route({
            method: 'post',
            path: '/v1/orgs',
            summary: 'TEN-1 Create a tenant (operator key); its first admin API key is in the answer, once',
            tags: ['tenancy'],
            auth: 'operator',
            body: createTenantBody,
            errors: [403],
            response: { status: 201, description: 'The tenant and its first admin key', schema: tenantCreatedSchema },
            handler: async ({ body }) => createTenant(deps.store, body)
        }),
        route({
            method: 'get',
            path: '/v1/orgs',
            summary: 'TEN-1 List tenants (operator key): names and connection status, no tenant data',
            tags: ['tenancy'],
            auth: 'operator',
            query: pageQuery,
            errors: [403],
            response: {
                status: 200,
                description: 'Tenants, by id',
                schema: listOf(tenantSchema).openapi('TenantList')
            },
            handler: async ({ query }) => listTenants(deps.store, { limit: query.limit, after: query.cursor })
        }),
        route({
            method: 'get',
            path: '/v1/org/keys',
            summary: "TEN-3 The org's API keys: prefix, label, created, last used, revoked (never the key)",
            tags: ['tenancy'],
            access: 'admin',
            response: {
                status: 200,
                description: 'Every key of the org, oldest first',
                schema: listOf(apiKeySchema).openapi('ApiKeyList')
            },
            handler: async ({ ctx }) => ({ items: await listKeys(deps.store, caller(ctx)), nextCursor: null })
        }),
        route({
            method: 'post',
            path: '/v1/org/keys',
            summary: 'TEN-3 Issue an API key (shown once)',
            tags: ['tenancy'],
            access: 'admin',
            body: issueKeyBody,
            response: { status: 201, description: 'The new key, shown once', schema: issuedKeySchema },
            handler: async ({ ctx, body }) => issueKey(deps.store, caller(ctx), body)
        }),
        route({
            method: 'delete',
            path: '/v1/org/keys/:id',
            summary: 'TEN-3 Revoke an API key: the next call with it answers 401 (409 for the last active key)',
            tags: ['tenancy'],
            access: 'admin',
            params: idParams,
            errors: [404, 409],
            response: { status: 204, description: 'Revoked' },
            handler: async ({ ctx, params }) => revokeKey(deps.store, caller(ctx), params.id)
        }),
        route({
            method: 'get',
            path: '/v1/org/connection',
            summary: "TEN-2 The org's Salesforce connection: status, method, who, and the last error (never a secret)",
            tags: ['tenancy'],
            access: 'admin',
            response: { status: 200, description: 'The connection', schema: connectionSchema },
            handler: async ({ ctx }) => connectionStatus(deps.store, ctx.orgId)
        }),
        route({
            method: 'post',
            path: '/v1/org/connection/oauth',
            summary: 'TEN-2 Start connecting with OAuth 2.0 authorization code + PKCE: the URL to open',
            description:
                'The `state` in the URL is bound to this org, single use and valid 10 minutes; Salesforce sends the browser to `GET /oauth/callback`.',
            tags: ['tenancy'],
            access: 'admin',
            body: oauthStartBody,
            errors: [409],
            response: { status: 200, description: 'The authorize URL', schema: oauthStartedSchema },
            handler: async ({ ctx, body }) => startOAuth(connection(), caller(ctx), body)
        }),
        route({
            method: 'get',
            path: '/oauth/callback',
            summary: 'TEN-2 OAuth callback: `state` authenticates; exchanges the code and stores the connection',
            description:
                'Redirects to the `returnUrl` given when the flow started (with `?connection=connected`), or answers a small HTML page.',
            tags: ['tenancy'],
            auth: 'public',
            query: oauthCallbackQuery,
            errors: [401, 403, 409, 502],
            response: { status: 302, description: 'Connected: back to the returnUrl (or 200 with an HTML page)' },
            handler: async ({ query }) => {
                const done = await completeOAuth(connection(), {
                    code: query.code,
                    state: query.state,
                    error: query.error,
                    errorDescription: query.error_description
                });
                if (done.returnUrl) {
                    const target = new URL(done.returnUrl);
                    target.searchParams.set('connection', done.status.status);
                    return reply({ status: 302, headers: { location: target.toString() } });
                }
                return reply({
                    status: 200,
                    headers: { 'content-type': 'text/html; charset=utf-8' },
                    raw: connectedPage(done.status.username ?? '', done.status.salesforceOrgId ?? '')
                });
            }
        }),
        route({
            method: 'put',
            path: '/v1/org/connection/jwt',
            summary:
                "TEN-2 Connect with JWT bearer and the org's own connected app; the login is tried before it is stored",
            tags: ['tenancy'],
            access: 'admin',
            body: jwtConnectBody,
            errors: [502],
            response: { status: 200, description: 'The connection', schema: connectionSchema },
            handler: async ({ ctx, body }) => connectWithJwt(connection(), caller(ctx), body)
        }),
        route({
            method: 'delete',
            path: '/v1/org/connection',
            summary: 'TEN-2 Revoke the token at Salesforce and forget the connection',
            tags: ['tenancy'],
            access: 'admin',
            response: { status: 204, description: 'Disconnected' },
            handler: async ({ ctx }) => disconnect(connection(), caller(ctx))
        })
    ];
}

const escapeHtml = (s: string): string =>
    s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function connectedPage(username: string, orgId: string): string {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Connected to Salesforce</title></head><body><main><h1>Connected to Salesforce</h1><p>Backstory now works as ${escapeHtml(username)} in org ${escapeHtml(orgId)}. You can close this window and go back to the setup wizard.</p></main></body></html>`;
}
