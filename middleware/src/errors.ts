export type ErrorCode =
    'unauthorized' | 'forbidden' | 'not_found' | 'validation_failed' | 'conflict' | 'salesforce_error' | 'internal';

export const statusByCode: Record<ErrorCode, number> = {
    unauthorized: 401,
    forbidden: 403,
    not_found: 404,
    validation_failed: 400,
    conflict: 409,
    salesforce_error: 502,
    internal: 500
};

export interface ErrorDetail {
    path: string;
    message: string;
}

/** The one error type of the middleware; the error handler maps it to API.md's envelope. */
export class ApiError extends Error {
    readonly status: number;
    constructor(
        readonly code: ErrorCode,
        message: string,
        readonly details: ErrorDetail[] = [],
        status?: number
    ) {
        super(message);
        this.name = 'ApiError';
        this.status = status ?? statusByCode[code];
    }

    toBody(): { error: { code: ErrorCode; message: string; details: ErrorDetail[] } } {
        return { error: { code: this.code, message: this.message, details: this.details } };
    }
}

export const notFound = (what: string, id?: string): ApiError =>
    new ApiError('not_found', id === undefined ? `${what} not found` : `${what} ${id} not found`);

export const forbidden = (message = 'You do not have access to this resource'): ApiError =>
    new ApiError('forbidden', message);

export const conflict = (message: string, details: ErrorDetail[] = []): ApiError =>
    new ApiError('conflict', message, details);

/** A validation failure on one field: `path` is dotted (`matching.rankingGroups.0.kind`). */
export const invalid = (path: string, message: string): ApiError =>
    new ApiError('validation_failed', `${path}: ${message}`, [{ path, message }]);

export const invalidMany = (details: ErrorDetail[]): ApiError =>
    new ApiError(
        'validation_failed',
        details.map((d) => `${d.path}: ${d.message}`).join('; ') || 'Invalid input',
        details
    );
