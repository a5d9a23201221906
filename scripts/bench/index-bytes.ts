// `npm run bench:index-bytes`: how well the byte estimate of a matching index (INDEX_BYTES in
// replica-index.ts, what MATCH_CACHE_MB is counted in) fits the heap the index really takes.
// Builds indexes of generated orgs of several sizes from records parsed from JSON (as they come
// out of the store), measures the heap before and after with a forced GC, and prints measured
// bytes, estimated bytes and their ratio. Not a timed test.
import { spawnSync } from 'node:child_process';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { generateOrg } from '../seed/generate-org';
import { ReplicaIndex } from '../../middleware/src/domain/matching/replica-index';
import { rng, toReplica } from './matching-org';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const heap = (): number => {
    for (let i = 0; i < 4; i++) gc();
    return process.memoryUsage().heapUsed;
};

/** One size, measured in a process of its own (garbage of another size cannot blur the figure). */
function measure(accounts: number): string {
    const org = generateOrg({
        accounts,
        contactsPerAccount: 4,
        leads: Math.round(accounts / 2),
        opportunitiesPerAccount: 1.5,
        seed: accounts,
        today: new Date('2026-06-01T00:00:00Z')
    });
    // As JSON text, so that the index owns every string it holds (like records read from the store).
    const text = JSON.stringify(toReplica(org, rng(accounts), 20));
    const before = heap();
    const index = ReplicaIndex.build(JSON.parse(text) as Parameters<typeof ReplicaIndex.build>[0]);
    const measured = heap() - before;
    const records = index.size;
    const estimated = index.estimatedBytes;
    return `${records.toLocaleString('en-US').padStart(8)} records: measured ${(measured / records).toFixed(0)} B/record, estimated ${(estimated / records).toFixed(0)} B/record, estimate / measured ${(estimated / measured).toFixed(2)}`;
}

const one = process.argv[2];
if (one) process.stdout.write(`${measure(Number(one))}\n`);
else
    for (const accounts of (process.env.BENCH_SIZES ?? '250,2500,25000').split(',')) {
        const out = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, accounts], {
            encoding: 'utf8'
        });
        process.stdout.write(out.stdout || out.stderr);
    }
