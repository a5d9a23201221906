import type { z } from 'zod';
import { invalid } from '../errors';

/** List cursors (API.md conventions): opaque base64url JSON the service issues and reads back. */
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
