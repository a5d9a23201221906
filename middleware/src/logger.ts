import { pino, type Logger } from 'pino';

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
            redact: { paths: redactPaths, censor: '[redacted]' }
        },
        destination ?? process.stdout
    );
}

export type { Logger };
