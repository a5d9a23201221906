import { Migrator, type Kysely } from 'kysely';
import { migrations } from './migrations';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<void> {
    const migrator = new Migrator({
        db,
        // Name the schema: Kysely otherwise looks for its bookkeeping tables in every schema.
        ...(schema ? { migrationTableSchema: schema } : {}),
        provider: { getMigrations: () => Promise.resolve(migrations) }
    });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error !== undefined || failed) {
        const name = failed ? ` (${failed.migrationName})` : '';
        throw new Error(`Database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
}
