import { z } from 'zod';

/**
 * A start-up option that cannot work (a job interval of zero, a short API key, an unreadable
 * private key file): thrown before the store opens or the server listens. `option` names it as
 * the caller wrote it (`jobs.crmPullIntervalMinutes`, `SF_PRIVATE_KEY_FILE`).
 */
export class StartOptionError extends Error {
    constructor(
        readonly option: string,
        message: string
    ) {
        super(`${option}: ${message}`);
        this.name = 'StartOptionError';
    }
}

const positiveNumber = (what: string) =>
    z.number({ error: `must be ${what}` }).refine((n) => Number.isFinite(n) && n > 0, `must be ${what}`);
const positiveInteger = (what: string) =>
    z.number({ error: `must be ${what}` }).refine((n) => Number.isInteger(n) && n > 0, `must be ${what}`);

/** The job queue's options (`startJobs`, `startMiddleware({ jobs })`). */
export const jobOptionsSchema = z.strictObject({
    /** pg-boss polls at most every half second. */
    pollingIntervalSeconds: z
        .number({ error: 'must be a number of seconds, at least 0.5' })
        .refine((n) => Number.isFinite(n) && n >= 0.5, 'must be a number of seconds, at least 0.5')
        .optional(),
    crmPullIntervalMinutes: positiveNumber('a positive number of minutes').optional(),
    orgConcurrency: positiveInteger('a positive integer').optional(),
    /** SCALE-1: false in a web process (it sends jobs, takes none). */
    work: z.boolean({ error: 'must be true or false' }).optional(),
    /** SCALE-1: seconds before an active job of a killed process is retried elsewhere. */
    expireSeconds: positiveInteger('a positive whole number of seconds').optional(),
    writeback: z
        .strictObject({
            worker: z.string().min(1, 'must not be empty').optional(),
            leaseSeconds: positiveNumber('a positive number of seconds').optional(),
            random: z.custom<() => number>((v) => typeof v === 'function', 'must be a function').optional(),
            bulkPollMs: positiveNumber('a positive number of milliseconds').optional(),
            maxCalls: positiveInteger('a positive integer').optional()
        })
        .optional()
});

/** The options of `startMiddleware` besides the parsed environment (which parseEnv checked). */
export const startOptionsSchema = z.object({
    apiKey: z.string({ error: 'must be a string' }).min(16, 'must be at least 16 characters'),
    oauthClient: z
        .object({
            clientId: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
            clientSecret: z.string().min(1, 'must not be empty').optional()
        })
        .nullable()
        .optional(),
    /** `false` (HTTP only) or the job queue's options, checked by jobOptionsSchema. */
    jobs: z.unknown().optional()
});

function optionError(error: z.ZodError, prefix: string): StartOptionError {
    const issue = error.issues[0]!;
    const name = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'options';
    return issue.code === 'unrecognized_keys'
        ? new StartOptionError(name, `unknown option(s) ${issue.keys.join(', ')}`)
        : new StartOptionError(name, issue.message);
}

/** Check the job queue's options; throws StartOptionError naming the first bad one. */
export function checkJobOptions<T>(options: T, prefix = 'jobs'): T {
    const result = jobOptionsSchema.safeParse(options);
    if (!result.success) throw optionError(result.error, prefix);
    return options;
}

/** Check `startMiddleware`'s options (jobs included); throws StartOptionError naming the first bad one. */
export function checkStartOptions<T extends { jobs?: unknown }>(options: T): T {
    const result = startOptionsSchema.safeParse(options);
    if (!result.success) throw optionError(result.error, '');
    if (options.jobs !== undefined && options.jobs !== false) checkJobOptions(options.jobs, 'jobs');
    return options;
}
