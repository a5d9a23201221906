import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { applyBulkRows, BULK_OPERATIONS, bulkErrorText, type BulkOperation } from './bulk-dml';
import { SfError, notFound } from './errors';
import { sfDateTime } from './org';
import { applyFaults, sobjectName, type RestRequest, type RestResult } from './rest-context';
import type { EmulatorState, IngestJob, Session } from './state';

const DELIMITERS: Record<IngestJob['columnDelimiter'], string> = {
    COMMA: ',',
    TAB: '\t',
    PIPE: '|',
    SEMICOLON: ';',
    CARET: '^',
    BACKQUOTE: '`'
};
/** jsforce (and Salesforce) write `#N/A` for "set this field to null"; an empty value leaves it alone. */
const NULL_VALUE = '#N/A';

const invalidJob = (message: string, field: string) => new SfError(400, 'INVALIDJOB', message, [field]);

function jobInfo(job: IngestJob, full: boolean): Record<string, unknown> {
    const processed = job.results.filter((r) => r !== null);
    return {
        id: job.id,
        operation: job.operation,
        object: job.object,
        createdById: job.createdById,
        createdDate: job.createdDate,
        systemModstamp: job.systemModstamp,
        state: job.state,
        ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
        concurrencyMode: 'Parallel',
        contentType: 'CSV',
        apiVersion: Number(job.apiVersion),
        ...(full ? { jobType: 'V2Ingest' } : {}),
        contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`,
        lineEnding: job.lineEnding,
        columnDelimiter: job.columnDelimiter,
        ...(full
            ? {
                  numberRecordsProcessed: processed.length,
                  numberRecordsFailed: processed.filter((r) => r.error !== null).length,
                  retries: 0,
                  totalProcessingTime: job.processingMs,
                  apiActiveProcessingTime: job.processingMs,
                  apexProcessingTime: 0
              }
            : {}),
        ...(job.errorMessage ? { errorMessage: job.errorMessage } : {})
    };
}

function createJob(state: EmulatorState, req: RestRequest, body: Record<string, unknown>): IngestJob {
    const { org } = state;
    if (typeof body.object !== 'string' || !body.object) throw invalidJob('InvalidJob : object is required', 'object');
    let object: string;
    try {
        object = sobjectName(state, req.session, body.object);
    } catch {
        throw invalidJob(`InvalidJob : Unable to find object: ${body.object}`, 'object');
    }
    const operation = body.operation as BulkOperation;
    if (!BULK_OPERATIONS.includes(operation))
        throw invalidJob(`InvalidJob : operation must be one of ${BULK_OPERATIONS.join(', ')}`, 'operation');
    let externalIdFieldName: string | null = null;
    if (operation === 'upsert') {
        const name = body.externalIdFieldName;
        if (typeof name !== 'string' || !name)
            throw invalidJob('InvalidJob : External ID was blank for upsert', 'externalIdFieldName');
        const field = org.field(object, name);
        if (!field || !(field.externalId || field.idLookup))
            throw invalidJob(
                `InvalidJob : Field name provided, ${name} does not match an External ID, Salesforce Id, or indexed field for ${object}`,
                'externalIdFieldName'
            );
        externalIdFieldName = field.name;
    }
    if (operation === 'hardDelete' && !org.access(req.session.userId).permissions.has('ModifyAllData'))
        throw new SfError(
            400,
            'FEATURENOTENABLED',
            'hardDelete operation requires special user profile permission, please contact your system administrator',
            ['operation']
        );
    if (body.contentType !== undefined && body.contentType !== 'CSV')
        throw invalidJob('InvalidJob : contentType must be CSV', 'contentType');
    const lineEnding = (body.lineEnding ?? 'LF') as IngestJob['lineEnding'];
    if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
        throw invalidJob('InvalidJob : lineEnding must be LF or CRLF', 'lineEnding');
    const columnDelimiter = (body.columnDelimiter ?? 'COMMA') as IngestJob['columnDelimiter'];
    if (!(columnDelimiter in DELIMITERS))
        throw invalidJob(
            `InvalidJob : columnDelimiter must be one of ${Object.keys(DELIMITERS).join(', ')}`,
            'columnDelimiter'
        );
    const now = sfDateTime(new Date());
    return {
        id: org.ids.next('750'),
        object,
        operation,
        externalIdFieldName,
        createdById: req.session.userId,
        createdDate: now,
        systemModstamp: now,
        state: 'Open',
        lineEnding,
        columnDelimiter,
        apiVersion: req.version,
        uploaded: false,
        columns: [],
        rows: [],
        results: [],
        processingMs: 0
    };
}

/** Process every row of a closed job (Bulk API 2.0 is never all-or-none: each row on its own). */
function processJob(state: EmulatorState, session: Session, job: IngestJob): void {
    const started = Date.now();
    const known = (column: string) => {
        const base = column.includes('.') ? column.slice(0, column.indexOf('.')) : column;
        if (column.includes('.'))
            return state.org
                .table(job.object)
                .schema.fields.some(
                    (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === base.toLowerCase()
                );
        return !!state.org.field(job.object, column);
    };
    const unknown = job.columns.find((c) => !known(c));
    if (unknown !== undefined) {
        job.state = 'Failed';
        job.errorMessage = `InvalidBatch : Field name not found : ${unknown}`;
        return;
    }
    const records = job.rows.map((row) => {
        const rec: Record<string, unknown> = {};
        job.columns.forEach((c, i) => {
            const v = row[i] ?? '';
            if (v === NULL_VALUE) rec[c] = null;
            else if (v !== '') rec[c] = v;
        });
        return rec;
    });
    const results = applyBulkRows(state, session, job.object, job.operation, job.externalIdFieldName, records);
    job.results = results.map((r) => ({
        id: r.id,
        created: r.created,
        error: r.error ? bulkErrorText(r.error) : null
    }));
    job.processingMs = Date.now() - started;
    job.state = 'JobComplete';
    job.systemModstamp = sfDateTime(new Date());
}

function csv(rows: string[][]): RestResult {
    return { status: 200, raw: stringify(rows, { record_delimiter: '\n' }), contentType: 'text/csv' };
}

/** /jobs/ingest: Bulk API 2.0 ingest jobs (insert, update, upsert, delete, hardDelete) over CSV. */
export async function bulkIngestResource(state: EmulatorState, req: RestRequest, rest: string[]): Promise<RestResult> {
    const { method, session } = req;
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const [jobId, sub] = rest;
    if (!jobId) {
        if (method === 'POST') {
            const job = createJob(state, req, body);
            await applyFaults(state, 'bulk', job.object, session);
            state.ingestJobs.set(job.id, job);
            return { status: 200, body: jobInfo(job, false) };
        }
        if (method === 'GET')
            return {
                status: 200,
                body: {
                    done: true,
                    records: [...state.ingestJobs.values()].map((j) => jobInfo(j, false)),
                    nextRecordsUrl: null
                }
            };
        throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,POST`);
    }
    const job = state.ingestJobs.get(jobId);
    if (!job) throw notFound();
    if (!sub) {
        if (method === 'GET') return { status: 200, body: jobInfo(job, true) };
        if (method === 'DELETE') {
            if (job.state === 'Open')
                throw new SfError(400, 'INVALIDJOBSTATE', 'An Open job cannot be deleted: close or abort it first');
            state.ingestJobs.delete(jobId);
            return { status: 204 };
        }
        if (method === 'PATCH') {
            const target = body.state;
            if (target === 'UploadComplete') {
                if (job.state !== 'Open')
                    throw new SfError(400, 'INVALIDJOBSTATE', `Job ${job.id} is in state ${job.state}, not Open`, [
                        'state'
                    ]);
                await applyFaults(state, 'bulk', job.object, session);
                job.state = 'UploadComplete';
                const answer = jobInfo(job, false);
                // Processed at once: the first poll finds the job complete.
                processJob(state, session, job);
                return { status: 200, body: answer };
            }
            if (target === 'Aborted') {
                if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted')
                    throw new SfError(
                        400,
                        'INVALIDJOBSTATE',
                        `Job ${job.id} is in state ${job.state} and cannot be aborted`,
                        ['state']
                    );
                job.state = 'Aborted';
                job.systemModstamp = sfDateTime(new Date());
                return { status: 200, body: jobInfo(job, false) };
            }
            throw new SfError(400, 'INVALIDJOBSTATE', 'state must be UploadComplete or Aborted', ['state']);
        }
        throw new SfError(
            405,
            'METHOD_NOT_ALLOWED',
            `HTTP Method '${method}' not allowed. Allowed are GET,PATCH,DELETE`
        );
    }
    if (sub === 'batches' && method === 'PUT') {
        if (job.state !== 'Open')
            throw new SfError(400, 'INVALIDJOBSTATE', `Job ${job.id} is in state ${job.state}, not Open`);
        if (job.uploaded)
            throw new SfError(
                400,
                'BULK_API_ERROR',
                `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`
            );
        if (typeof req.body !== 'string')
            throw new SfError(400, 'INVALIDBATCH', 'InvalidBatch : the upload must be CSV (Content-Type: text/csv)');
        await applyFaults(state, 'bulk', job.object, session);
        let table: string[][];
        try {
            table = parse(req.body, {
                delimiter: DELIMITERS[job.columnDelimiter],
                record_delimiter: job.lineEnding === 'CRLF' ? '\r\n' : '\n',
                relax_column_count: false,
                skip_empty_lines: true
            }) as string[][];
        } catch (error) {
            throw new SfError(
                400,
                'INVALIDBATCH',
                `InvalidBatch : ${error instanceof Error ? error.message : String(error)}`
            );
        }
        const [header, ...rows] = table;
        if (!header || header.length === 0)
            throw new SfError(400, 'INVALIDBATCH', 'InvalidBatch : the CSV has no header row');
        job.columns = header.map((h) => h.trim());
        job.rows = rows;
        job.uploaded = true;
        state.bulkBatches += 1;
        return { status: 201 };
    }
    if (method !== 'GET') throw notFound();
    if (sub === 'successfulResults') {
        const out: string[][] = [['sf__Id', 'sf__Created', ...job.columns]];
        job.results.forEach((r, i) => {
            if (r && r.error === null) out.push([r.id ?? '', String(r.created), ...job.rows[i]!]);
        });
        return csv(out);
    }
    if (sub === 'failedResults') {
        const out: string[][] = [['sf__Id', 'sf__Error', ...job.columns]];
        job.results.forEach((r, i) => {
            if (r && r.error !== null) out.push([r.id ?? '', r.error, ...job.rows[i]!]);
        });
        return csv(out);
    }
    if (sub === 'unprocessedrecords') {
        const out: string[][] = [job.columns];
        job.rows.forEach((row, i) => {
            if (!job.results[i]) out.push(row);
        });
        return csv(out);
    }
    throw notFound();
}
