import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
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

export { decodeCursor, encodeCursor } from '../../services/cursor';

/** An ISO 8601 date-time with offset, within the dates the service stores (DATE_RANGE, SEC-8). */
export const isoDate = z.iso
    .datetime({ offset: true })
    .refine((v) => isStorableDate(Date.parse(v)), 'must be a date-time between 1900 and 2199');

export { z };
