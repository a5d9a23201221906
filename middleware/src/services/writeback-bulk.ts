import { BULK_THRESHOLD, EXTERNAL_ID_FIELD } from '../domain/writeback';
import { SalesforceCallError, toFailure } from '../salesforce/writes';
import { dueBySobject, type Outcome } from '../store/outbox';
import type { FlushRun } from './writeback-flush';

/**
 * Bulk API 2.0 ingest for large backlogs (MATCH-6): more than BULK_THRESHOLD due records of one
 * sObject (a first connection, a re-sync, a long outage) are upserted on the same external id in
 * one ingest job (open, upload, close, poll, results: a handful of calls for up to
 * BULK_JOB_SIZE records), and every record's result is read back.
 *
 * An org (or emulator) without ingest answers NOT_FOUND on `jobs/ingest`: this process then
 * remembers it and the backlog goes through sObject Collections.
 */

/** Records per ingest job (Salesforce accepts up to 150 MB of CSV a job). */
export const BULK_JOB_SIZE = 50_000;
/** How often a running job is polled (ms). */
export const BULK_POLL_MS = 1000;

const noIngest = new Map<string, number>();

export async function canBulkUpsert(run: FlushRun, sobject: string, operation: 'upsert_event' | 'upsert_task') {
    const orgId = run.org;
    const until = noIngest.get(orgId);
    if (until !== undefined && until > Date.now()) return false;
    const due = await dueBySobject(run.store.db, orgId, [operation]);
    return (due.find((d) => d.sobject === sobject)?.n ?? 0) > BULK_THRESHOLD;
}

/** CSV of the records: every column of any record; null as Bulk 2.0's `#N/A`. */
export function toCsv(records: Record<string, unknown>[]): string {
    const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
    const cell = (v: unknown): string => {
        if (v === null || v === undefined) return '#N/A';
        const s = String(v);
        return /[",\r\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const lines = [columns.join(',')];
    for (const r of records) lines.push(columns.map((c) => cell(r[c])).join(','));
    return `${lines.join('\n')}\n`;
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
    // open + upload + close + results (3) + a first poll; more polls are reserved as they happen.
    if (!(await run.spend(7))) {
        await run.releaseItems(ready.map((r) => r.item));
        return 0;
    }
    const conn = run.connection;
    const job = conn.bulk2.createJob({ operation: 'upsert', object: sobject, externalIdFieldName: EXTERNAL_ID_FIELD });
    try {
        await job.open();
    } catch (error) {
        const f = toFailure(error);
        if (f.code === 'NOT_FOUND' || f.code === 'ERROR_HTTP_404') {
            noIngest.set(run.org, Date.now() + 60 * 60_000);
            await run.releaseItems(ready.map((r) => r.item));
            return 0;
        }
        await run.settleOutcomes(await Promise.all(ready.map((r) => run.failureOf(r.item, f))));
        return items.length;
    }
    let results: Awaited<ReturnType<typeof job.getAllResults>>;
    try {
        await job.uploadData(toCsv(ready.map((r) => r.record)));
        await job.close();
        let polls = 1;
        for (;;) {
            const info = await job.check();
            if (info.state === 'JobComplete') break;
            if (info.state === 'Failed' || info.state === 'Aborted')
                throw new SalesforceCallError({
                    code: 'UNKNOWN_EXCEPTION',
                    message: `Bulk ingest job ${job.id} ${info.state}: ${info.errorMessage ?? ''}`
                });
            polls += 1;
            if (polls > 1 && !(await run.spend(1))) {
                // Past the budget mid-job: the job finishes in Salesforce; the items are released and
                // written again later (an upsert on the same external id: no duplicate).
                await run.releaseItems(ready.map((r) => r.item));
                return 0;
            }
            await new Promise((resolve) => setTimeout(resolve, run.bulkPollMs));
        }
        results = await job.getAllResults();
    } catch (error) {
        await run.noteLimits();
        const f = toFailure(error);
        await run.settleOutcomes(await Promise.all(ready.map((r) => run.failureOf(r.item, f))));
        return items.length;
    }
    await run.noteLimits();
    const byKey = new Map<string, { id: string | null; error: string | null }>();
    for (const r of results.successfulResults as unknown as Record<string, string>[])
        byKey.set(String(r[EXTERNAL_ID_FIELD]), { id: r.sf__Id ?? null, error: null });
    for (const r of results.failedResults as unknown as Record<string, string>[])
        byKey.set(String(r[EXTERNAL_ID_FIELD]), { id: null, error: r.sf__Error ?? 'UNKNOWN_EXCEPTION:failed' });
    const outcomes: Outcome[] = [];
    for (const r of ready) {
        const got = byKey.get(r.activity.id);
        if (got && got.error === null)
            outcomes.push({ id: r.item.id, revision: r.item.revision, kind: 'written', recordId: got.id });
        else if (!got) outcomes.push({ id: r.item.id, revision: r.item.revision, kind: 'release' });
        else {
            // Bulk errors read `CODE:message --- fields`.
            const [code = 'UNKNOWN_EXCEPTION', ...rest] = got.error!.split(':');
            const message = rest.join(':').trim();
            const fields =
                /---\s*(.*)$/
                    .exec(message)?.[1]
                    ?.split(',')
                    .map((s) => s.trim()) ?? [];
            outcomes.push(await run.failureOf(r.item, { code, message, fields }));
        }
    }
    await run.afterActivityWrites(
        ready.map((r) => r.activity),
        outcomes
    );
    return items.length;
}
