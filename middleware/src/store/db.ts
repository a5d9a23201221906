import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { PGlitePool } from './pglite-pool';
import { migrateToLatest } from './migrate';
import { configureMatchCache, DEFAULT_MATCH_CACHE_MB } from './replica-cache';
import type { Database } from './schema';

/** The database or an open transaction: what repositories and services take. */
export type Db = Kysely<Database> | Transaction<Database>;

export type StoreKind = 'pglite' | 'postgres';

export interface Store {
    db: Kysely<Database>;
    kind: StoreKind;
    /** The PostgreSQL schema the tables live in (always `public` on PGlite). */
    schema: string;
    /** The embedded database itself (PGlite only): the job queue runs its multi-statement SQL on it. */
    pglite?: PGlite;
    /**
     * Whether the database answers (GET /healthz, /readyz): `select 1` on PostgreSQL. PGlite is
     * one connection in this process: while a borrower holds it (an import's transaction), the
     * database is demonstrably answering that borrower, so the probe does not queue behind it.
     */
    ping(): Promise<void>;
    close(): Promise<void>;
}

export interface StoreOptions {
    /** PostgreSQL URL; without it the embedded PGlite is used. */
    databaseUrl?: string | undefined;
    /** PGlite directory; `memory://` keeps it in memory (tests). */
    dataDir?: string | undefined;
    /** PostgreSQL only: put every table in this schema (created when missing). Tests use it. */
    schema?: string | undefined;
    /** SCALE-2: byte budget of the matching index cache in MB (MATCH_CACHE_MB; default 512). */
    matchCacheMb?: number | undefined;
    /** Run migrations on open (default true). */
    migrate?: boolean;
    /** PostgreSQL only: connections in this process's pool (default 10; DATABASE_POOL_MAX). */
    poolMax?: number | undefined;
}

// int8 (counts) as numbers and date as the plain 'YYYY-MM-DD' string, the same on both engines.
const INT8 = 20;
const DATE = 1082;
const parseInt8 = (v: string): number => Number(v);
const keepDate = (v: string): string => v;

export async function openStore(options: StoreOptions = {}): Promise<Store> {
    const migrate = options.migrate ?? true;
    let store: Store;
    if (options.databaseUrl) {
        const schema = options.schema ?? 'public';
        if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name ${schema}`);
        const typeParsers = {
            getTypeParser: (oid: number, format?: 'text' | 'binary') => {
                if (oid === INT8) return parseInt8;
                if (oid === DATE) return keepDate;
                return pg.types.getTypeParser(oid, format);
            }
        };
        if (schema !== 'public') {
            const admin = new pg.Client({ connectionString: options.databaseUrl });
            await admin.connect();
            try {
                await admin.query(`create schema if not exists "${schema}"`);
            } finally {
                await admin.end();
            }
        }
        const pool = new pg.Pool({
            connectionString: options.databaseUrl,
            max: options.poolMax ?? 10,
            types: typeParsers,
            options: schema === 'public' ? undefined : `-c search_path="${schema}"`
        });
        // An idle connection that PostgreSQL ends (a restart, a failover, pg_terminate_backend) is
        // dropped from the pool and the next query opens a new one; without a listener pg would
        // throw it as an unhandled 'error' event and end the process.
        pool.on('error', () => undefined);
        store = {
            db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
            kind: 'postgres',
            schema,
            ping: async () => {
                await sql`select 1`.execute(store.db);
            },
            close: async () => {
                await store.db.destroy();
            }
        };
    } else {
        const dataDir = options.dataDir ?? '.data';
        const location = dataDir.startsWith('memory://') ? dataDir : path.resolve(dataDir, 'pglite');
        if (!location.startsWith('memory://')) mkdirSync(location, { recursive: true });
        const pglite = await PGlite.create(location, {
            parsers: { [INT8]: parseInt8, [DATE]: keepDate }
        });
        const pool = new PGlitePool(pglite);
        store = {
            db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
            kind: 'pglite',
            schema: 'public',
            pglite,
            ping: async () => {
                if (!pool.inUse) await sql`select 1`.execute(store.db);
            },
            close: async () => {
                await store.db.destroy();
            }
        };
    }
    if (migrate) await migrateToLatest(store.db, store.kind === 'postgres' ? store.schema : undefined);
    configureMatchCache(store.db, options.matchCacheMb ?? DEFAULT_MATCH_CACHE_MB);
    return store;
}
