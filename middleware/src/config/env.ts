import { z } from 'zod';

/** Thrown when an environment variable is missing or malformed; the message names it. */
export class EnvError extends Error {}

const port = z.coerce.number().int().min(0).max(65535);
const secretKey = z
    .string()
    .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v.trim()) && Buffer.from(v.trim(), 'base64').length === 32, {
        message: 'must be 32 random bytes in base64 (openssl rand -base64 32)'
    });

/**
 * Every environment variable the middleware honours (API.md, "Local stack").
 * Parsed once at start-up; a bad value stops start-up with a message naming the variable.
 */
export const envSchema = z
    .object({
        NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
        PORT: port.default(3000),
        /** SCALE-1: the address HTTP binds to; 0.0.0.0 (or ::) behind a load balancer. */
        HOST: z
            .string()
            .regex(/^[A-Za-z0-9.:%[\]-]+$/, 'must be a host name or an IP address, e.g. 127.0.0.1 or 0.0.0.0')
            .default('127.0.0.1'),
        /** SCALE-1: web serves HTTP, worker runs the job queue, all does both (one process). */
        BACKSTORY_ROLE: z.enum(['web', 'worker', 'all'], { error: 'must be web, worker or all' }).default('all'),
        /** SCALE-1: a worker answers GET /healthz and /readyz on this port when set (no HTTP otherwise). */
        HEALTH_PORT: port.optional(),
        /** Connections per process to PostgreSQL (docs/deploy.md sizes it). */
        /** SCALE-1: a job still active this long is taken for dead (its process killed) and retried. */
        JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
        /** SCALE-1: how long a worker holds write-back items it is writing; a killed worker's items are taken over after it. */
        WRITEBACK_LEASE_SECONDS: z.coerce.number().int().min(5).max(3_600).default(120),
        DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
        SF_EMULATOR_PORT: port.default(4010),
        PREVIEW_PORT: port.default(3001),
        BACKSTORY_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
        /** TEN-1: the operator key creates and lists tenants and reads none of their data. */
        BACKSTORY_OPERATOR_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
        /** TEN-2: encrypts refresh tokens and private keys at rest (AES-256-GCM). */
        BACKSTORY_SECRET_KEY: secretKey.optional(),
        /** The key before the last rotation: still opens values sealed under it. */
        BACKSTORY_SECRET_KEY_PREVIOUS: secretKey.optional(),
        /** Where browsers reach the middleware (the OAuth callback URL); default http://127.0.0.1:PORT. */
        BACKSTORY_PUBLIC_URL: z.url().optional(),
        /** The Backstory connected app (or External Client App) the OAuth connect flow uses. */
        SF_OAUTH_CLIENT_ID: z.string().min(1).optional(),
        SF_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
        DATA_DIR: z.string().min(1).default('.data'),
        DATABASE_URL: z
            .string()
            .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
            .optional(),
        SF_LOGIN_URL: z.url().optional(),
        SF_CLIENT_ID: z.string().min(1).optional(),
        SF_USERNAME: z.string().min(1).optional(),
        SF_PRIVATE_KEY_FILE: z.string().min(1).optional(),
        SF_API_VERSION: z
            .string()
            .regex(/^\d{2}\.0$/, 'must look like 62.0')
            .default('62.0'),
        LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** SCALE-2: the byte budget of the in-memory matching indexes, in MB; 0 matches every org by SQL. */
        MATCH_CACHE_MB: z
            .string()
            .regex(/^\d{1,7}$/, 'must be a whole number of megabytes (0 turns the cache off)')
            .transform(Number)
            .default(512),
        BODY_LIMIT: z
            .string()
            .regex(/^\d+(b|kb|mb)$/i, 'must look like 1mb or 512kb')
            .default('1mb')
    })
    .superRefine((env, ctx) => {
        if (env.BACKSTORY_ROLE !== 'all' && !env.DATABASE_URL)
            ctx.addIssue({
                code: 'custom',
                path: ['BACKSTORY_ROLE'],
                message: `${env.BACKSTORY_ROLE} needs DATABASE_URL: separate web and worker processes share one PostgreSQL (the embedded PGlite belongs to one process; use all)`
            });
        const jwt = ['SF_LOGIN_URL', 'SF_CLIENT_ID', 'SF_USERNAME', 'SF_PRIVATE_KEY_FILE'] as const;
        const given = jwt.filter((k) => env[k] !== undefined);
        if (given.length > 0 && given.length < jwt.length) {
            for (const k of jwt.filter((name) => env[name] === undefined)) {
                ctx.addIssue({
                    code: 'custom',
                    path: [k],
                    message: `is required when ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set (JWT bearer flow needs all four)`
                });
            }
        }
    });

export type Env = z.infer<typeof envSchema>;

/** Parse the environment once; throws EnvError naming every bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
    const cleaned: Record<string, string> = {};
    for (const [k, v] of Object.entries(source)) {
        if (v !== undefined && v !== '') cleaned[k] = v;
    }
    const result = envSchema.safeParse(cleaned);
    if (!result.success) {
        const lines = result.error.issues.map((issue) => {
            const name = issue.path.join('.') || 'environment';
            return `  ${name}: ${issue.message}`;
        });
        throw new EnvError(`Invalid environment variable(s):\n${lines.join('\n')}`);
    }
    return result.data;
}
