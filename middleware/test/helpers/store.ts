import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/db';

/** The engines the store tests run on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const storeEngines: ('pglite' | 'postgres')[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/**
 * A fresh, migrated store: PGlite in memory, or a new schema of the DATABASE_URL database that
 * is dropped on close.
 */
export async function openTestStore(engine: 'pglite' | 'postgres' = 'pglite'): Promise<Store> {
    if (engine === 'pglite') return openStore({ dataDir: 'memory://' });
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is required for the PostgreSQL store tests');
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const store = await openStore({ databaseUrl: url, schema });
    const close = store.close;
    return {
        ...store,
        close: async () => {
            await close();
            const client = new pg.Client({ connectionString: url });
            await client.connect();
            try {
                await client.query(`drop schema if exists "${schema}" cascade`);
            } finally {
                await client.end();
            }
        }
    };
}
