import { z } from 'zod';
import './common';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL, or null: zod 4 runs refinements even after `.url()` failed, so they must not throw. */
const parseUrl = (v: string): URL | null => (URL.canParse(v) ? new URL(v) : null);

/** A Salesforce login URL: https (My Domain, login, test), or http on this machine (the local emulator). */
export const loginUrlSchema = z
    .url()
    .max(2000)
    .refine(
        (v) => {
            const u = parseUrl(v);
            return u !== null && (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname)));
        },
        { message: 'must be an https:// Salesforce login URL (http:// only for the local emulator on this machine)' }
    )
    .transform((v) => new URL(v).origin)
    .describe('https://login.salesforce.com, https://test.salesforce.com or the org’s My Domain URL');

export const createTenantBody = z
    .object({ name: z.string().trim().min(1).max(200) })
    .strict()
    .openapi('CreateTenant');

export const tenantCreatedSchema = z
    .object({
        org: z.object({ id: z.string(), name: z.string() }),
        apiKey: z.string().describe('The first admin key, shown once')
    })
    .openapi('TenantCreated');

export const tenantSchema = z
    .object({
        id: z.string(),
        name: z.string(),
        createdAt: z.string(),
        connectionStatus: z.enum(['connected', 'not_connected', 'error'])
    })
    .openapi('Tenant');

export const apiKeySchema = z
    .object({
        id: z.string(),
        label: z.string(),
        prefix: z.string().nullable().describe('The first characters of the key (null for keys made before TEN-3)'),
        createdAt: z.string(),
        lastUsedAt: z.string().nullable().describe('To the minute'),
        revokedAt: z.string().nullable()
    })
    .openapi('ApiKey');

export const issueKeyBody = z
    .object({ label: z.string().trim().min(1).max(200) })
    .strict()
    .openapi('IssueApiKey');

export const issuedKeySchema = z
    .object({ id: z.string(), key: z.string().describe('Shown once; only its hash is stored') })
    .openapi('IssuedApiKey');

export const connectionSchema = z
    .object({
        status: z.enum(['connected', 'not_connected', 'error']),
        method: z.enum(['oauth', 'jwt', 'password']).nullable(),
        instanceUrl: z.string().nullable(),
        salesforceOrgId: z.string().nullable(),
        username: z.string().nullable(),
        connectedAt: z.string().nullable(),
        lastError: z.string().nullable().describe('Why the connection is in error (a revoked token, a failed refresh)'),
        loginUrl: z.string().nullable().describe('The login URL it was made with (offered again to reconnect)')
    })
    .openapi('SalesforceConnection');

export const oauthStartBody = z
    .object({
        loginUrl: loginUrlSchema,
        returnUrl: z
            .url()
            .max(2000)
            .refine((v) => /^https?:$/.test(parseUrl(v)?.protocol ?? ''), { message: 'must be an http(s) URL' })
            .optional()
            .describe('Where the browser goes after the callback (the setup wizard)')
    })
    .strict()
    .openapi('OAuthConnectStart');

export const oauthStartedSchema = z
    .object({ authorizeUrl: z.string().describe('Open it in the browser: Salesforce login and consent') })
    .openapi('OAuthConnectStarted');

export const oauthCallbackQuery = z.object({
    code: z.string().max(2000).optional(),
    state: z.string().max(200).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(2000).optional()
});

export const jwtConnectBody = z
    .object({
        loginUrl: loginUrlSchema,
        clientId: z.string().trim().min(1).max(300).describe("The consumer key of the org's own connected app"),
        username: z.string().trim().min(3).max(200).describe('The integration user, pre-authorized for the app'),
        privateKey: z
            .string()
            .max(20000)
            .regex(/-----BEGIN (?:RSA )?PRIVATE KEY-----/, 'must be a PEM private key')
            .describe('PEM; stored encrypted, never returned')
    })
    .strict()
    .openapi('JwtConnect');
