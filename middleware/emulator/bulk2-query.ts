import { stringify } from 'csv-stringify/sync';
import { SfError, notFound } from './errors';
import { sfDateTime } from './org';
import { queryObjectName, runQuery } from './query';
import { applyFaults, type RestRequest, type RestResult } from './rest-context';
import type { BulkJob, EmulatorState } from './state';

function jobInfo(job: BulkJob, version: string): Record<string, unknown> {
    return {
        id: job.id,
        operation: job.operation,
        object: queryObjectName(job.query) ?? '',
        createdById: job.createdById,
        createdDate: job.createdDate,
        systemModstamp: job.createdDate,
        state: job.state,
        concurrencyMode: 'Parallel',
        contentType: 'CSV',
        apiVersion: Number(version),
        jobType: 'V2Query',
        lineEnding: 'LF',
        columnDelimiter: 'COMMA',
        ...(job.state === 'JobComplete'
            ? { numberRecordsProcessed: job.rows.length, retries: 0, totalProcessingTime: 1 }
            : {}),
        ...(job.errorMessage ? { errorMessage: job.errorMessage } : {})
    };
}

function flatten(record: Record<string, unknown>, columns: string[]): string[] {
    return columns.map((path) => {
        let cur: unknown = record;
        for (const part of path.split('.'))
            cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : null;
        if (cur === null || cur === undefined) return '';
        return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
    });
}

/** /jobs/query: Bulk API 2.0 query jobs (the result is computed when the job is created). */
export async function bulkQueryResource(state: EmulatorState, req: RestRequest, rest: string[]): Promise<RestResult> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { session, version, method } = req;
    const [jobId, sub] = rest;
    if (!jobId) {
        if (method === 'POST') {
            const operation = body.operation === 'queryAll' ? 'queryAll' : 'query';
            const query = String(body.query ?? '');
            if (!query) throw new SfError(400, 'INVALIDJOB', 'query is required');
            await applyFaults(state, 'bulk', queryObjectName(query), session);
            let result: ReturnType<typeof runQuery>;
            try {
                result = runQuery(state, session, query, operation === 'queryAll', version);
            } catch (error) {
                // Bulk API 2.0 checks the query when the job is created and answers 400 INVALIDJOB.
                if (error instanceof SfError && error.status === 400)
                    throw new SfError(400, 'INVALIDJOB', `${error.errorCode}: ${error.message}`);
                throw error;
            }
            if (result.subqueryCount > 0)
                throw new SfError(
                    400,
                    'INVALIDJOB',
                    'Bulk API 2.0 query jobs do not support child relationship sub-queries'
                );
            const id = state.org.ids.next('750');
            const job: BulkJob = {
                id,
                operation,
                query,
                createdById: session.userId,
                createdDate: sfDateTime(new Date()),
                state: 'UploadComplete',
                polls: 0,
                columns: result.columns,
                rows: result.records.map((r) => flatten(r, result.columns))
            };
            state.bulkJobs.set(id, job);
            return { status: 200, body: jobInfo(job, version) };
        }
        if (method === 'GET')
            return {
                status: 200,
                body: {
                    done: true,
                    records: [...state.bulkJobs.values()].map((j) => jobInfo(j, version)),
                    nextRecordsUrl: null
                }
            };
        throw new SfError(405, 'METHOD_NOT_ALLOWED', 'method not allowed');
    }
    const job = state.bulkJobs.get(jobId);
    if (!job) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (!sub) {
        if (method === 'GET') {
            // The result is computed at creation (UploadComplete); the first poll finds it complete,
            // as a small query on a real org does, so jsforce does not sleep its poll interval.
            job.polls += 1;
            if (job.state === 'UploadComplete' || job.state === 'InProgress') job.state = 'JobComplete';
            return { status: 200, body: jobInfo(job, version) };
        }
        if (method === 'PATCH') {
            if (body.state !== 'Aborted')
                throw new SfError(400, 'INVALIDJOBSTATE', 'A query job can only be changed to the state Aborted');
            if (job.state === 'JobComplete' || job.state === 'Failed')
                throw new SfError(400, 'INVALIDJOBSTATE', `Job is in state ${job.state} and cannot be aborted`);
            job.state = 'Aborted';
            return { status: 200, body: jobInfo(job, version) };
        }
        if (method === 'DELETE') {
            state.bulkJobs.delete(jobId);
            return { status: 204 };
        }
    }
    if (sub === 'results' && method === 'GET') {
        if (job.state !== 'JobComplete') throw new SfError(400, 'INVALIDJOBSTATE', `Job is in state ${job.state}`);
        // Without maxRecords Salesforce sizes pages itself (by bytes); the emulator answers the whole
        // result in one page, because jsforce 3 pipes consecutive pages into one CSV parser without
        // waiting for the previous body to drain, which interleaves rows of large pages.
        const requested = req.query.get('maxRecords');
        const maxRecords = requested === null ? Math.max(1, job.rows.length) : Number(requested);
        if (!Number.isInteger(maxRecords) || maxRecords < 1)
            throw new SfError(400, 'INVALIDPARAMETER', 'maxRecords must be a positive integer', ['maxRecords']);
        const start = Number(req.query.get('locator') ?? '0') || 0;
        const end = Math.min(start + maxRecords, job.rows.length);
        const csv = stringify([job.columns, ...job.rows.slice(start, end)], { record_delimiter: '\n' });
        return {
            status: 200,
            raw: csv,
            contentType: 'text/csv',
            headers: {
                'Sforce-Locator': end < job.rows.length ? String(end) : 'null',
                'Sforce-NumberOfRecords': String(end - start)
            }
        };
    }
    throw notFound();
}
