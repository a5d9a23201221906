import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { invalid } from '../errors';
import { isStorableDate } from '../../domain/limits';

extendZodWithOpenApi(z);

export const errorEnvelopeSchema = z
    .object({
        error: z.object({
            code: z.enum([
                'unauthorized',
                'forbidden',
                'not_found',
                'validation_failed',
                'conflict',
                'salesforce_error',
                'internal'
            ]),
            message: z.string(),
            details: z.array(z.object({ path: z.string(), message: z.string() }))
        })
    })
    .openapi('Error');

export const idParams = z.object({ id: z.string().min(1).max(100) });

/** `?limit=` (max 500) and `?cursor=` of every list (API.md conventions). */
export const pageQuery = z.object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(500).optional()
});

export function listOf<T extends z.ZodType>(item: T) {
    return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export function encodeCursor(value: unknown): string {
    return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decode a cursor made by encodeCursor; `undefined` when absent, 400 naming `query.cursor` when garbled. */
export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
    if (cursor === undefined) return undefined;
    let raw: unknown;
    try {
        raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
        raw = undefined;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
        throw invalid('query.cursor', 'is not a cursor this API issued');
    }
    return parsed.data;
}

/** An ISO 8601 date-time with offset, within the dates the service stores (DATE_RANGE, SEC-8). */
export const isoDate = z.iso
    .datetime({ offset: true })
    .refine((v) => isStorableDate(Date.parse(v)), 'must be a date-time between 1900 and 2199');

export { z };
