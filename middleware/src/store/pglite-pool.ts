import { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { timeSlicer } from '../domain/limits';

/**
 * Kysely's PostgresDialect talks to a `pg`-shaped pool. PGlite is one embedded connection, so
 * this pool hands that connection out to one borrower at a time (a transaction keeps it until
 * it releases it) and adapts PGlite's result shape to pg's.
 *
 * SEC-6: PGlite runs in this thread and its queries resolve as promises with no I/O between
 * them, so a chain of awaited queries (an import's transaction) would never give the event loop
 * back: the pool lets other work in (setImmediate) once queries have run YIELD_EVERY_MS without
 * a turn. Other borrowers still wait for the connection; only the event loop is freed.
 *
 * Written here rather than taken from npm: the PGlite dialects published for Kysely either pin
 * PGlite < 0.5 or bring a code-generation CLI with them; this is the whole adapter.
 */
export class PGlitePool implements PostgresPool {
    private busy = false;
    private readonly waiting: (() => void)[] = [];
    private readonly slice = timeSlicer();

    constructor(readonly pglite: PGlite) {}

    /** A borrower holds the connection (e.g. an import's transaction is running its queries). */
    get inUse(): boolean {
        return this.busy;
    }

    async connect(): Promise<PostgresPoolClient> {
        if (this.busy) {
            await new Promise<void>((resolve) => this.waiting.push(resolve));
        }
        this.busy = true;
        let released = false;
        const pglite = this.pglite;
        const slice = this.slice;
        const client = {
            query: async <R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> => {
                await slice.maybeYield();
                const result = await pglite.query<R>(sql, parameters as unknown[]);
                return {
                    command: commandOf(sql),
                    rowCount: result.affectedRows ?? result.rows.length,
                    rows: result.rows
                };
            },
            release: () => {
                if (released) return;
                released = true;
                const next = this.waiting.shift();
                if (next) next();
                else this.busy = false;
            }
        };
        return client as unknown as PostgresPoolClient;
    }

    async end(): Promise<void> {
        await this.pglite.close();
    }
}

function commandOf(sql: string): PostgresQueryResult<unknown>['command'] {
    const match = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge|select)\b/i.exec(sql);
    const word = (match?.[1] ?? 'select').toUpperCase();
    return word as PostgresQueryResult<unknown>['command'];
}
