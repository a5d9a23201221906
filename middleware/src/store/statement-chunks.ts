import { sql, type RawBuilder } from 'kysely';

/**
 * SEC-6: how big one multi-row statement may grow. PGlite runs each statement in this thread
 * without a break, so a 2,500-row insert (1.5 MB of JSON) held the event loop for hundreds of
 * milliseconds; statements of at most this many rows and characters keep each one short, and
 * the PGlite pool gives the loop a turn between them. The caller's transaction stays one
 * transaction (all or nothing), on PostgreSQL too.
 */
export const STATEMENT_LIMITS = { rows: 250, chars: 256 * 1024 } as const;

/**
 * Split items (read lazily, so work done per item happens between statements) into runs of at most STATEMENT_LIMITS.rows items and about STATEMENT_LIMITS.chars
 * characters (`sizeOf` each); an item larger than the limit alone makes a run. Order is kept.
 */
export function* statementChunks<T>(items: Iterable<T>, sizeOf: (item: T) => number): Generator<T[]> {
    let run: T[] = [];
    let chars = 0;
    for (const item of items) {
        const size = sizeOf(item);
        if (run.length > 0 && (run.length >= STATEMENT_LIMITS.rows || chars + size > STATEMENT_LIMITS.chars)) {
            yield run;
            run = [];
            chars = 0;
        }
        run.push(item);
        chars += size;
    }
    if (run.length > 0) yield run;
}

/**
 * Items as JSON arrays of rows (`toRow` each, lazily), one array a statement, for
 * `jsonb_to_recordset($1::jsonb)` inserts.
 */
export function* jsonRowChunks<T>(items: Iterable<T>, toRow: (item: T) => unknown): Generator<string> {
    function* rows() {
        for (const item of items) yield JSON.stringify(toRow(item));
    }
    for (const chunk of statementChunks(rows(), (r) => r.length)) yield `[${chunk.join(',')}]`;
}

/** How a column's values travel in `unnestRows`: as text (cast in the select) or as integers. */
export type UnnestKind = 'text' | 'int4' | 'timestamptz' | 'jsonb';

/**
 * SCALE-3: rows for `insert … select` as one array parameter per column,
 * `select u.a, u.b::jsonb … from unnest($1::text[], $2::text[], …) as u(a, b, …)`, instead of a
 * VALUES list of rows × columns parameters. The statement stays the same few lines whatever the
 * number of rows, so PostgreSQL plans (and copies the plan of) a short statement, and the driver
 * sends a parameter per column. jsonb values are given as JSON text, timestamps as ISO text.
 */
export function unnestRows(
    columns: readonly (readonly [name: string, kind: UnnestKind])[],
    rows: readonly Record<string, unknown>[]
): RawBuilder<unknown> {
    const arrays = columns.map(([name, kind]) => {
        const values = rows.map((row) => row[name] ?? null);
        return sql`${values}::${sql.raw(kind === 'int4' ? 'int4[]' : 'text[]')}`;
    });
    const picks = columns.map(([name, kind]) =>
        kind === 'text' || kind === 'int4' ? sql.ref(`u.${name}`) : sql`${sql.ref(`u.${name}`)}::${sql.raw(kind)}`
    );
    const names = columns.map(([name]) => sql.id(name));
    return sql`select ${sql.join(picks)} from unnest(${sql.join(arrays)}) as u(${sql.join(names)})`;
}
