import { pino, stdSerializers, type Logger } from 'pino';

/** Paths that may carry secrets; pino replaces their values (SEC-4). */
export const redactPaths = [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-api-key"]',
    'res.headers["set-cookie"]',
    '*.password',
    '*.accessToken',
    '*.refreshToken',
    '*.access_token',
    '*.refresh_token',
    '*.client_secret',
    '*.apiKey',
    '*.privateKey'
];

export function createLogger(level: string = 'info', destination?: NodeJS.WritableStream): Logger {
    return pino(
        {
            level,
            base: { service: 'backstory-middleware' },
            redact: { paths: redactPaths, censor: '[redacted]' },
            // Errors from HTTP clients may quote a URL with a token in it: scrub message and stack.
            serializers: {
                err: (error: unknown) => {
                    if (!(error instanceof Error)) return typeof error === 'string' ? scrub(error) : error;
                    const out = stdSerializers.err(error);
                    return { ...out, message: scrub(out.message ?? ''), stack: scrub(out.stack ?? '') };
                }
            }
        },
        destination ?? process.stdout
    );
}

/** The credential-looking parts of a string (same rules as salesforce/connection's scrubSecrets). */
function scrub(text: string): string {
    return text
        .replace(
            /\b((?:oauth_token|access_token|refresh_token|token|code|code_verifier|state|assertion|client_secret|password|pw)=)[^&\s"']+/gi,
            '$1[redacted]'
        )
        .replace(/\b00D[a-zA-Z0-9]{12,15}![\w.-]+/g, '[redacted]')
        .replace(/\b(Bearer|OAuth)\s+[\w.!-]+/gi, '$1 [redacted]');
}

export type { Logger };
