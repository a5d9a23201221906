// The worker process of `npm run bench:writeback -- --faults`: flushes one org's outbox until
// nothing is pending, on the shared PostgreSQL schema. The benchmark kills it with SIGKILL
// mid-flush and starts it again.
import { openStore } from '../../middleware/src/store/db';
import { countByState } from '../../middleware/src/store/outbox';
import { flushWriteback } from '../../middleware/src/services/writeback-flush';
import { writebackDeps } from './writeback-setup';

async function main(): Promise<void> {
    const { DATABASE_URL, BENCH_SCHEMA, BENCH_ORG, BENCH_EMULATOR } = process.env;
    if (!DATABASE_URL || !BENCH_SCHEMA || !BENCH_ORG || !BENCH_EMULATOR)
        throw new Error('DATABASE_URL, BENCH_SCHEMA, BENCH_ORG and BENCH_EMULATOR are required');
    const store = await openStore({ databaseUrl: DATABASE_URL, schema: BENCH_SCHEMA, migrate: false });
    const deps = writebackDeps(store, BENCH_EMULATOR);
    const caller = { orgId: BENCH_ORG, actor: 'bench-worker' };
    try {
        for (;;) {
            await flushWriteback(deps, caller, {
                leaseSeconds: Number(process.env.BENCH_LEASE ?? 3),
                ...(process.env.BENCH_BULK_THRESHOLD ? { bulkThreshold: Number(process.env.BENCH_BULK_THRESHOLD) } : {})
            });
            if ((await countByState(store.db, BENCH_ORG)).pending === 0) break;
            // Retries come due after their backoff; leases of a killed worker run out.
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
    } finally {
        await store.close();
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
