import { CompiledQuery } from 'kysely';
import type { Store } from './db';

interface SqlResult {
    rows: unknown[];
    rowCount: number;
}

/**
 * The store as pg-boss's `db` (the job queue runs on the store's own database, SPEC §1): each
 * statement waits for a connection of the store (on PGlite its single one, so it never lands
 * inside someone else's transaction); statements without parameters (pg-boss's migrations,
 * `BEGIN; …; COMMIT`) go through PGlite's multi-statement `exec`.
 */
export function queueDb(store: Store): { executeSql(text: string, values?: unknown[]): Promise<SqlResult> } {
    return {
        executeSql: (text, values) =>
            store.db.connection().execute(async (conn) => {
                if ((!values || values.length === 0) && store.pglite) {
                    const results = await store.pglite.exec(text);
                    const last = results.at(-1);
                    return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
                }
                const result = await conn.executeQuery(CompiledQuery.raw(text, values ?? []));
                return { rows: result.rows, rowCount: Number(result.numAffectedRows ?? result.rows.length) };
            })
    };
}

/** pg-boss's schema beside the store's own. */
export const queueSchema = (store: Store): string => (store.schema === 'public' ? 'pgboss' : `${store.schema}_pgboss`);
