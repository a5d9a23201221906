import type { Connection } from '@jsforce/jsforce-node';
import { EXTERNAL_ID_FIELD, type SalesforceFailure } from '../domain/writeback';
import { SalesforceCallError, toFailure, type RecordResult } from '../salesforce/writes';
import { dueBySobject, type Outcome } from '../store/outbox';
import type { FlushRun } from './writeback-flush';

/**
 * Bulk API 2.0 ingest for large backlogs (MATCH-6): more than BULK_THRESHOLD due records of one
 * sObject (a first connection, a re-sync, a long outage) are upserted on the same external id in
 * one ingest job, and every record's result is read back. A job costs five calls whatever its
 * size (open, upload, close, one poll, successfulResults), one more when rows failed
 * (failedResults) and one per further poll; collections would cost one per 200 records.
 * Aggregates past AGGREGATE_BULK_MIN changed records of one sObject go as an update job (no
 * successfulResults needed: four calls).
 *
 * An org (or emulator) without ingest answers NOT_FOUND on `jobs/ingest`: this process then
 * remembers it for an hour and the backlog goes through sObject Collections.
 */

/** Records per ingest job (Salesforce accepts up to 150 MB of CSV a job). */
export const BULK_JOB_SIZE = 50_000;
/** The first poll of a running job comes after this (ms); later polls back off up to BULK_POLL_MAX_MS. */
export const BULK_POLL_MS = 1000;
const BULK_POLL_MAX_MS = 60_000;
/** Changed aggregates of one sObject past which an update job (4 calls) beats collections (1 per 200). */
export const AGGREGATE_BULK_MIN = 800;

const noIngest = new Map<string, number>();

/** False while this process knows the org has no Bulk API 2.0 ingest. */
export function ingestAvailable(orgId: string): boolean {
    const until = noIngest.get(orgId);
    return until === undefined || until <= Date.now();
}

export async function canBulkUpsert(run: FlushRun, sobject: string, operation: 'upsert_event' | 'upsert_task') {
    if (!ingestAvailable(run.org) || run.bulkThreshold === Infinity) return false;
    const due = await dueBySobject(run.store.db, run.org, [operation]);
    return (due.find((d) => d.sobject === sobject)?.n ?? 0) > run.bulkThreshold;
}

/**
 * CSV of the records: every column of any record. `null` is Bulk 2.0's `#N/A` (clear the field);
 * a column a record does not have stays empty (leave the field alone: a create-only field
 * omitted on a rewrite, say).
 */
export function toCsv(records: Record<string, unknown>[]): string {
    const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
    const cell = (v: unknown): string => {
        if (v === undefined) return '';
        if (v === null) return '#N/A';
        const s = String(v);
        return /[",\r\n]/.test(s) || s === '' || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const lines = [columns.join(',')];
    for (const r of records) lines.push(columns.map((c) => cell(r[c])).join(','));
    return `${lines.join('\n')}\n`;
}

/** Salesforce's `sf__Error`: `CODE:message:Field,Field --` (the message may hold colons). */
export function parseBulkError(text: string): SalesforceFailure {
    const body = text.replace(/\s*--\s*$/, '');
    const first = body.indexOf(':');
    if (first < 0) return { code: body || 'UNKNOWN_EXCEPTION', message: body };
    const code = body.slice(0, first);
    const rest = body.slice(first + 1);
    const last = rest.lastIndexOf(':');
    const fieldsText = last >= 0 ? rest.slice(last + 1) : '';
    const fields = fieldsText
        .split(',')
        .map((s) => s.trim())
        .filter((s) => /^[A-Za-z_][A-Za-z0-9_.]*$/.test(s));
    // The tail after the last colon is the field list only when it reads as one (or is empty).
    const isFieldList = last >= 0 && (fieldsText.trim() === '' || fields.length > 0);
    return { code, message: (isFieldList ? rest.slice(0, last) : rest).trim(), ...(fields.length ? { fields } : {}) };
}

type JobResultRow = Record<string, string>;

/**
 * How long to wait before polling a running job again. Once the job has processed some records,
 * its own rate so far predicts when it completes, so the next poll usually finds it complete (one
 * poll more, not a ladder of doubling ones: MATCH-13 counts every poll); before any record is
 * processed, the wait doubles. Always within [minMs, maxMs].
 */
export function nextPollWait(o: {
    previousMs: number;
    processed: number;
    total: number;
    elapsedMs: number;
    minMs: number;
    maxMs: number;
}): number {
    const clamp = (ms: number) => Math.min(o.maxMs, Math.max(o.minMs, Math.round(ms)));
    if (o.processed <= 0 || o.elapsedMs <= 0) return clamp(o.previousMs * 2);
    if (o.processed >= o.total) return clamp(o.minMs);
    // A tenth more than the estimate: arriving just after completion beats just before.
    return clamp(((o.elapsedMs * (o.total - o.processed)) / o.processed) * 1.1);
}

/**
 * Read a complete job's results, once more when the read fails (a connection closed under the
 * answer, say): the results stay in Salesforce, and reading them again costs one call where
 * running the job again would cost five. Null when the budget has no call left for it.
 */
async function readAgainOnce<T>(run: FlushRun, read: () => Promise<T>): Promise<T | null> {
    try {
        return await read();
    } catch (error) {
        if (!(await run.spend(1))) return null;
        const f = toFailure(error);
        run.logger.warn(
            { orgId: run.org, code: f.code, message: f.message },
            'reading a Bulk API 2.0 job result failed: read again'
        );
        return read();
    }
}

/**
 * One ingest job: open, upload, close, poll until complete, then the results. Every call past
 * the `reserved` ones is reserved against the budget as it comes; null when the budget stopped
 * it (the job finishes in Salesforce anyway: its writes are upserts on the external id, written
 * again later as rewrites). While the job runs, the lease on the claimed items is extended, so
 * that another worker does not take them and write them a second time.
 */
async function runJob(
    run: FlushRun,
    conn: Connection,
    spec: { object: string; operation: 'upsert' | 'update'; externalIdFieldName?: string },
    records: Record<string, unknown>[],
    wantSuccessful: boolean
): Promise<{ successful: JobResultRow[]; failed: JobResultRow[] } | null> {
    const job = conn.bulk2.createJob(spec as Parameters<typeof conn.bulk2.createJob>[0]);
    await job.open();
    await job.uploadData(toCsv(records));
    await job.close();
    const closedAt = Date.now();
    // The first wait is bulkPollMs (doubled from half of it).
    let wait = run.bulkPollMs / 2;
    for (;;) {
        const info = await job.check();
        if (info.state === 'JobComplete') {
            const failedCount = Number(info.numberRecordsFailed ?? 0);
            if (failedCount > 0 && !(await run.spend(1))) return null;
            const [successful, failed] = await Promise.all([
                wantSuccessful ? readAgainOnce(run, () => job.getSuccessfulResults()) : Promise.resolve([]),
                failedCount > 0 ? readAgainOnce(run, () => job.getFailedResults()) : Promise.resolve([])
            ]);
            if (successful === null || failed === null) return null;
            return {
                successful: successful as unknown as JobResultRow[],
                failed: failed as unknown as JobResultRow[]
            };
        }
        if (info.state === 'Failed' || info.state === 'Aborted')
            throw new SalesforceCallError({
                code: 'UNKNOWN_EXCEPTION',
                message: `Bulk ingest job ${job.id} ${info.state}: ${info.errorMessage ?? ''}`
            });
        if (!(await run.spend(1))) return null;
        wait = nextPollWait({
            previousMs: wait,
            processed: Number(info.numberRecordsProcessed ?? 0),
            total: records.length,
            elapsedMs: Date.now() - closedAt,
            minMs: run.bulkPollMs,
            maxMs: BULK_POLL_MAX_MS
        });
        await run.extendLeases(wait);
        await run.pause(wait);
    }
}

/**
 * A whole job that failed (a network error, a 5xx) is retried as one: every item of it comes due
 * again at the same moment (the longest of their jittered delays), so that the backlog goes as one
 * job again, not as a smaller job and a tail of collection calls as the jittered items come due.
 */
export function together(outcomes: Outcome[]): Outcome[] {
    const delay = Math.max(0, ...outcomes.filter((o) => o.kind === 'retry').map((o) => o.delaySeconds ?? 0));
    return outcomes.map((o) => (o.kind === 'retry' ? { ...o, delaySeconds: delay } : o));
}

function isNoIngest(f: SalesforceFailure): boolean {
    return f.code === 'NOT_FOUND' || f.code === 'ERROR_HTTP_404';
}

/** One ingest job over up to BULK_JOB_SIZE due items of the sObject; returns how many were handled. */
export async function bulkUpsert(
    run: FlushRun,
    sobject: 'Event' | 'Task',
    operation: 'upsert_event' | 'upsert_task'
): Promise<number> {
    const items = await run.claimFor(operation, sobject, BULK_JOB_SIZE);
    if (items.length === 0) return 0;
    const { ready } = await run.buildActivityRecords(items);
    if (ready.length === 0) return items.length;
    // open + upload + close + a first poll + successfulResults; the rest is reserved as it comes.
    if (!(await run.spend(5))) {
        await run.releaseItems(ready.map((r) => r.item));
        return 0;
    }
    let results: { successful: JobResultRow[]; failed: JobResultRow[] } | null;
    try {
        results = await runJob(
            run,
            run.connection,
            { object: sobject, operation: 'upsert', externalIdFieldName: EXTERNAL_ID_FIELD },
            ready.map((r) => r.record),
            true
        );
    } catch (error) {
        await run.noteLimits();
        const f = toFailure(error);
        if (isNoIngest(f)) {
            noIngest.set(run.org, Date.now() + 60 * 60_000);
            await run.releaseItems(ready.map((r) => r.item));
            return 0;
        }
        run.logger.warn(
            { orgId: run.org, sobject, records: ready.length, code: f.code, message: f.message },
            'Bulk API 2.0 ingest job failed as a whole: its records are retried as one job'
        );
        await run.settleOutcomes(together(await Promise.all(ready.map((r) => run.failureOf(r.item, f)))));
        return items.length;
    }
    await run.noteLimits();
    if (!results) {
        run.logger.warn(
            { orgId: run.org, sobject, records: ready.length, calls: run.calls },
            'Bulk API 2.0 ingest job stopped at the API budget: its records wait'
        );
        await run.releaseItems(ready.map((r) => r.item));
        return 0;
    }
    const byKey = new Map<string, { id: string | null; error: SalesforceFailure | null }>();
    for (const r of results.successful) byKey.set(String(r[EXTERNAL_ID_FIELD]), { id: r.sf__Id ?? null, error: null });
    for (const r of results.failed)
        byKey.set(String(r[EXTERNAL_ID_FIELD]), {
            id: null,
            error: parseBulkError(r.sf__Error ?? 'UNKNOWN_EXCEPTION:no error given: --')
        });
    const unprocessed = ready.filter((r) => !byKey.has(r.activity.id)).length;
    if (unprocessed > 0)
        run.logger.warn(
            { orgId: run.org, sobject, records: ready.length, unprocessed },
            'Bulk API 2.0 ingest job left records unprocessed: they are written again'
        );
    const outcomes: Outcome[] = [];
    for (const r of ready) {
        const got = byKey.get(r.activity.id);
        if (got && got.error === null)
            outcomes.push({ id: r.item.id, revision: r.item.revision, kind: 'written', recordId: got.id });
        // Not processed: back to pending, not an attempt.
        else if (!got) outcomes.push({ id: r.item.id, revision: r.item.revision, kind: 'release' });
        else outcomes.push(await run.failureOf(r.item, got.error!));
    }
    await run.afterActivityWrites(
        ready.map((r) => r.activity),
        outcomes
    );
    return items.length;
}

/**
 * Update records by Id in one ingest job (aggregates): results per record, in the order given,
 * as sObject Collections would answer. Null: no ingest in this org, or the budget stopped it.
 */
export async function bulkUpdate(
    run: FlushRun,
    sobject: string,
    records: (Record<string, unknown> & { Id: string })[]
): Promise<RecordResult[] | null> {
    // open + upload + close + a first poll.
    if (!(await run.spend(4))) return null;
    let results: { successful: JobResultRow[]; failed: JobResultRow[] } | null;
    try {
        results = await runJob(run, run.connection, { object: sobject, operation: 'update' }, records, false);
    } catch (error) {
        await run.noteLimits();
        const f = toFailure(error);
        if (isNoIngest(f)) {
            noIngest.set(run.org, Date.now() + 60 * 60_000);
            return null;
        }
        throw new SalesforceCallError(f);
    }
    await run.noteLimits();
    if (!results) return null;
    const failed = new Map<string, SalesforceFailure>();
    for (const r of results.failed)
        failed.set(String(r.Id ?? r.sf__Id), parseBulkError(r.sf__Error ?? 'UNKNOWN_EXCEPTION:no error given: --'));
    return records.map((r) => {
        const f = failed.get(r.Id);
        return f ? { id: r.Id, success: false, errors: [f] } : { id: r.Id, success: true, errors: [] };
    });
}
