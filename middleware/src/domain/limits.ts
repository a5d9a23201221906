/**
 * SEC-6: every cap of the service in one place. The zod schemas of the JSON API and the .eml,
 * .ics and CSV parsers read the same numbers, so a file import can never store what the JSON
 * API would refuse.
 */

/** Field sizes of an activity (MATCH-1), in characters. */
export const ACTIVITY_LIMITS = {
    externalId: 255,
    subject: 1_000,
    body: 200_000,
    transcript: 900_000,
    participants: 500,
    email: 254,
    participantName: 200
} as const;

/** What one imported file may hold (SEC-6). */
export const IMPORT_LIMITS = {
    /** VEVENTs in one .ics (as many as one batch intake call, SCALE-3). */
    icsEvents: 1_000,
    /** VTIMEZONEs in one .ics. */
    icsTimezones: 50,
    /** BEGIN/END nesting in an .ics (VCALENDAR > VEVENT > VALARM is 3). */
    icsDepth: 8,
    /** One unfolded content line (a DESCRIPTION escapes newlines, so twice the body cap). */
    icsLineChars: 2 * ACTIVITY_LIMITS.body + 1_000,
    /** One VEVENT's text, all its lines together. */
    icsEventChars: 1_000_000,
    /** multipart nesting in an .eml. */
    mimeDepth: 20,
    /** Parts (every Content-Type header) in an .eml. */
    mimeParts: 500,
    /** Lines of a users CSV, blank lines included (10,000 users import in seconds). */
    csvLines: 20_000,
    /** One CSV cell. */
    csvCellChars: 1_000
} as const;

/** Request bodies per endpoint kind, in bytes (SEC-6): checked after authentication. */
export const BODY_LIMITS = {
    json: 1024 * 1024,
    usersCsv: 5 * 1024 * 1024,
    activityImport: 25 * 1024 * 1024,
    /** POST /v1/activities/batch (SCALE-3): up to BATCH_LIMITS.activities activities. */
    activityBatch: 25 * 1024 * 1024
} as const;

/** SCALE-3: items of one batch intake call. */
export const BATCH_LIMITS = { activities: 1_000 } as const;

/** JSON nesting accepted anywhere in a request (no schema of the API is deeper). */
export const MAX_JSON_DEPTH = 32;

/**
 * Dates the service stores: 1900-01-01 to 2199-12-31 (UTC). Beyond, JavaScript and PostgreSQL
 * disagree (year 275760 is a valid Date but no PostgreSQL timestamp), and no activity is there.
 */
export const DATE_RANGE = { min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) - 1 } as const;

export function isStorableDate(ms: number): boolean {
    return Number.isFinite(ms) && ms >= DATE_RANGE.min && ms <= DATE_RANGE.max;
}

/** How long a parser may run before it lets other requests in (SEC-6: no stall over 100 ms). */
export const YIELD_EVERY_MS = 20;

/**
 * A cooperative clock for long parsing loops: `await slice.maybeYield()` gives the event loop
 * back once the current slice has run YIELD_EVERY_MS. Pure apart from the timer it awaits.
 */
export function timeSlicer(budgetMs = YIELD_EVERY_MS): { maybeYield(): Promise<void> | undefined } {
    let started = performance.now();
    return {
        maybeYield() {
            if (performance.now() - started < budgetMs) return undefined;
            return new Promise<void>((resolve) =>
                setImmediate(() => {
                    started = performance.now();
                    resolve();
                })
            );
        }
    };
}

/** The first problem of a string that PostgreSQL or a JSON consumer cannot take: NUL, lone surrogate. */
export function badTextReason(value: string): string | null {
    if (value.includes('\u0000')) return 'must not contain NUL characters';
    // A high surrogate not followed by a low one, or a low one without a high one before it
    // (String.prototype.isWellFormed, ES2024, native in Node 22).
    if (!(value as unknown as { isWellFormed(): boolean }).isWellFormed())
        return 'must not contain lone UTF-16 surrogates';
    return null;
}
