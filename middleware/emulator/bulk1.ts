import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import express from 'express';
import { XMLParser } from 'fast-xml-parser';
import { applyBulkRows, BULK_OPERATIONS, bulkErrorText, type BulkOperation } from './bulk-dml';
import { SfError } from './errors';
import { sfDateTime } from './org';
import { runQuery } from './query';
import { applyFaults, sobjectName } from './rest-context';
import { authenticate, type EmulatorState, type Session } from './state';
import { API_VERSIONS } from './versions';

/**
 * Bulk API 1.0 (`/services/async/<version>/job`): jobs in XML or JSON, batches in CSV, XML or
 * JSON, batch results in the job's content type; query jobs answer a result list. jsforce's
 * `conn.bulk.load(...)` and `find(...).update()/destroy()` over 200 records use it.
 */

type ContentType = 'CSV' | 'XML' | 'JSON';
type Format = 'xml' | 'json';
const NS = 'http://www.force.com/2009/06/asyncapi/dataload';

interface V1Batch {
    id: string;
    jobId: string;
    state: 'Queued' | 'InProgress' | 'Completed' | 'Failed' | 'NotProcessed';
    stateMessage?: string;
    createdDate: string;
    systemModstamp: string;
    results: { id: string | null; success: boolean; created: boolean; error: string | null }[];
    /** Query batches: the CSV of the result. */
    queryCsv?: string;
    processingMs: number;
}

interface V1Job {
    id: string;
    operation: BulkOperation | 'query' | 'queryAll';
    object: string;
    externalIdFieldName: string | null;
    contentType: ContentType;
    createdById: string;
    createdDate: string;
    systemModstamp: string;
    state: 'Open' | 'Closed' | 'Aborted' | 'Failed';
    apiVersion: string;
    batches: V1Batch[];
}

/** Bulk API 1.0 errors: `<error><exceptionCode>…` (JSON: `{exceptionCode, exceptionMessage}`), status 400. */
class AsyncError extends Error {
    constructor(
        readonly exceptionCode: string,
        message: string,
        readonly status = 400
    ) {
        super(message);
    }
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

function toXml(root: string, fields: Record<string, unknown>): string {
    const body = Object.entries(fields)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
        .join('');
    return `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${NS}">${body}</${root}>`;
}

function jobInfo(job: V1Job): Record<string, unknown> {
    const count = (s: V1Batch['state']) => job.batches.filter((b) => b.state === s).length;
    const processed = job.batches.flatMap((b) => b.results);
    return {
        id: job.id,
        operation: job.operation,
        object: job.object,
        createdById: job.createdById,
        createdDate: job.createdDate,
        systemModstamp: job.systemModstamp,
        state: job.state,
        externalIdFieldName: job.externalIdFieldName ?? undefined,
        concurrencyMode: 'Parallel',
        contentType: job.contentType,
        numberBatchesQueued: count('Queued'),
        numberBatchesInProgress: count('InProgress'),
        numberBatchesCompleted: count('Completed'),
        numberBatchesFailed: count('Failed'),
        numberBatchesTotal: job.batches.length,
        numberRecordsProcessed: processed.length,
        numberRetries: 0,
        apiVersion: Number(job.apiVersion).toFixed(1),
        numberRecordsFailed: processed.filter((r) => !r.success).length,
        totalProcessingTime: job.batches.reduce((n, b) => n + b.processingMs, 0),
        apiActiveProcessingTime: job.batches.reduce((n, b) => n + b.processingMs, 0),
        apexProcessingTime: 0
    };
}

function batchInfo(b: V1Batch): Record<string, unknown> {
    return {
        id: b.id,
        jobId: b.jobId,
        state: b.state,
        stateMessage: b.stateMessage,
        createdDate: b.createdDate,
        systemModstamp: b.systemModstamp,
        numberRecordsProcessed: b.results.length,
        numberRecordsFailed: b.results.filter((r) => !r.success).length,
        totalProcessingTime: b.processingMs,
        apiActiveProcessingTime: b.processingMs,
        apexProcessingTime: 0
    };
}

/** The records of a batch body, as field maps of strings (CSV, XML) or JSON values. */
function batchRecords(contentType: ContentType, body: unknown): Record<string, unknown>[] {
    if (contentType === 'JSON') {
        if (!Array.isArray(body))
            throw new AsyncError('InvalidBatch', 'InvalidBatch : a JSON batch is an array of records');
        return body as Record<string, unknown>[];
    }
    if (typeof body !== 'string')
        throw new AsyncError('InvalidBatch', `InvalidBatch : the batch must be ${contentType}`);
    if (contentType === 'XML') {
        const doc = xmlParser.parse(body) as { sObjects?: { sObject?: unknown } };
        const list = doc.sObjects?.sObject;
        const records = (Array.isArray(list) ? list : list ? [list] : []) as Record<string, unknown>[];
        // <Field xsi:nil="true"/> parses to '' here; Bulk 1.0 XML clears a field with it.
        return records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === '' ? null : v])));
    }
    let table: string[][];
    try {
        table = parseCsv(body, { skip_empty_lines: true }) as string[][];
    } catch (error) {
        throw new AsyncError(
            'InvalidBatch',
            `InvalidBatch : ${error instanceof Error ? error.message : String(error)}`
        );
    }
    const [header, ...rows] = table;
    if (!header) throw new AsyncError('InvalidBatch', 'InvalidBatch : the CSV has no header row');
    return rows.map((row) => {
        const rec: Record<string, unknown> = {};
        header.forEach((h, i) => {
            const v = row[i] ?? '';
            if (v === '#N/A') rec[h.trim()] = null;
            else if (v !== '') rec[h.trim()] = v;
        });
        return rec;
    });
}

function processBatch(state: EmulatorState, session: Session, job: V1Job, batch: V1Batch, body: unknown): void {
    const started = Date.now();
    try {
        if (job.operation === 'query' || job.operation === 'queryAll') {
            const soql = typeof body === 'string' ? body : '';
            const result = runQuery(state, session, soql, job.operation === 'queryAll', job.apiVersion);
            const rows = result.records.map((r) =>
                result.columns.map((c) => {
                    let cur: unknown = r;
                    for (const part of c.split('.'))
                        cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : null;
                    return cur === null || cur === undefined
                        ? ''
                        : typeof cur === 'object'
                          ? JSON.stringify(cur)
                          : String(cur);
                })
            );
            batch.queryCsv = stringify([result.columns, ...rows], { record_delimiter: '\n' });
        } else {
            const records = batchRecords(job.contentType, body);
            if (records.length > 10_000)
                throw new AsyncError('InvalidBatch', 'InvalidBatch : Records in a batch cannot exceed 10000');
            batch.results = applyBulkRows(
                state,
                session,
                job.object,
                job.operation,
                job.externalIdFieldName,
                records
            ).map((r) => ({
                id: r.id,
                success: r.success,
                created: r.created,
                error: r.error ? bulkErrorText(r.error) : null
            }));
        }
        batch.state = 'Completed';
    } catch (error) {
        batch.state = 'Failed';
        batch.stateMessage = error instanceof Error ? error.message : String(error);
    }
    batch.processingMs = Date.now() - started;
    batch.systemModstamp = sfDateTime(new Date());
}

export function bulkV1Router(state: EmulatorState): express.Router {
    const router = express.Router();
    const jobs = new Map<string, V1Job>();

    router.all(
        /^\/services\/async\/(\d+\.\d)\/job(?:\/([^/]+))?(?:\/batch)?(?:\/([^/]+))?(?:\/(result))?(?:\/([^/]+))?$/,
        async (req, res) => {
            const version = req.params[0] as string;
            const format: Format = /json/i.test(req.get('content-type') ?? '') ? 'json' : 'xml';
            let answerFormat: Format = format;
            const send = (status: number, root: string, fields: Record<string, unknown>) => {
                if (answerFormat === 'json') {
                    res.status(status).type('application/json').send(JSON.stringify(fields));
                } else res.status(status).type('application/xml').send(toXml(root, fields));
            };
            let counted = false;
            let status = 500;
            let userId: string | null = null;
            try {
                if (!API_VERSIONS.includes(version)) throw new AsyncError('InvalidUrl', 'Invalid URL', 404);
                let session: Session;
                try {
                    session = authenticate(state, req);
                } catch {
                    throw new AsyncError('InvalidSessionId', 'Invalid session id');
                }
                userId = session.userId;
                if (state.apiCalls >= state.apiLimit)
                    throw new AsyncError('ExceededQuota', 'TotalRequests Limit exceeded.', 403);
                state.apiCalls += 1;
                counted = true;
                const jobId = req.params[1] as string | undefined;
                const isBatch = /\/batch(\/|$)/.test(req.path);
                const batchId = req.params[2] as string | undefined;
                const wantsResult = req.params[3] === 'result';
                const resultId = req.params[4] as string | undefined;

                if (!jobId) {
                    if (req.method !== 'POST') throw new AsyncError('InvalidUrl', 'Invalid URL', 404);
                    const spec =
                        format === 'json'
                            ? ((req.body ?? {}) as Record<string, unknown>)
                            : ((
                                  xmlParser.parse(typeof req.body === 'string' ? req.body : '') as {
                                      jobInfo?: Record<string, unknown>;
                                  }
                              ).jobInfo ?? {});
                    const operation = String(spec.operation ?? '') as V1Job['operation'];
                    if (![...BULK_OPERATIONS, 'query', 'queryAll'].includes(operation))
                        throw new AsyncError('InvalidJob', `InvalidJob : Invalid operation: ${operation}`);
                    let object: string;
                    try {
                        object = sobjectName(state, session, String(spec.object ?? ''));
                    } catch {
                        throw new AsyncError(
                            'InvalidJob',
                            `InvalidJob : Unable to find object: ${String(spec.object ?? '')}`
                        );
                    }
                    const contentType = String(spec.contentType ?? 'XML') as ContentType;
                    if (!['CSV', 'XML', 'JSON'].includes(contentType))
                        throw new AsyncError('InvalidJob', `InvalidJob : Invalid contentType: ${contentType}`);
                    let externalIdFieldName: string | null = null;
                    if (operation === 'upsert') {
                        const f = state.org.field(object, String(spec.externalIdFieldName ?? ''));
                        if (!f || !(f.externalId || f.idLookup))
                            throw new AsyncError(
                                'InvalidJob',
                                'InvalidJob : External ID was blank or not an external id field'
                            );
                        externalIdFieldName = f.name;
                    }
                    if (
                        operation === 'hardDelete' &&
                        !state.org.access(session.userId).permissions.has('ModifyAllData')
                    )
                        throw new AsyncError(
                            'FeatureNotEnabled',
                            'hardDelete operation requires special user profile permission'
                        );
                    await applyFaults(state, 'bulk', object, session);
                    const now = sfDateTime(new Date());
                    const job: V1Job = {
                        id: state.org.ids.next('750'),
                        operation,
                        object,
                        externalIdFieldName,
                        contentType,
                        createdById: session.userId,
                        createdDate: now,
                        systemModstamp: now,
                        state: 'Open',
                        apiVersion: version,
                        batches: []
                    };
                    jobs.set(job.id, job);
                    status = 201;
                    return send(201, 'jobInfo', jobInfo(job));
                }
                const job = jobs.get(jobId);
                if (!job) throw new AsyncError('InvalidJob', `InvalidJob : Invalid job id: ${jobId}`);
                answerFormat = job.contentType === 'JSON' ? 'json' : 'xml';
                if (!isBatch) {
                    if (req.method === 'GET') {
                        status = 200;
                        return send(200, 'jobInfo', jobInfo(job));
                    }
                    if (req.method === 'POST') {
                        answerFormat = format;
                        const spec =
                            format === 'json'
                                ? ((req.body ?? {}) as Record<string, unknown>)
                                : ((
                                      xmlParser.parse(typeof req.body === 'string' ? req.body : '') as {
                                          jobInfo?: Record<string, unknown>;
                                      }
                                  ).jobInfo ?? {});
                        const target = spec.state;
                        if (target !== 'Closed' && target !== 'Aborted')
                            throw new AsyncError('InvalidJob', 'InvalidJob : state must be Closed or Aborted');
                        if (job.state !== 'Open')
                            throw new AsyncError('InvalidJobState', `InvalidJobState : Job is ${job.state}`);
                        job.state = target;
                        if (target === 'Aborted')
                            for (const b of job.batches) if (b.state === 'Queued') b.state = 'NotProcessed';
                        job.systemModstamp = sfDateTime(new Date());
                        status = 200;
                        return send(200, 'jobInfo', jobInfo(job));
                    }
                    throw new AsyncError('InvalidUrl', 'Invalid URL', 404);
                }
                if (!batchId) {
                    if (req.method === 'GET') {
                        status = 200;
                        if (answerFormat === 'json')
                            return send(200, 'batchInfoList', { batchInfo: job.batches.map(batchInfo) });
                        res.status(200)
                            .type('application/xml')
                            .send(
                                `<?xml version="1.0" encoding="UTF-8"?><batchInfoList xmlns="${NS}">${job.batches
                                    .map((b) =>
                                        toXml('batchInfo', batchInfo(b))
                                            .replace(/^<\?xml[^>]*\?>/, '')
                                            .replace(` xmlns="${NS}"`, '')
                                    )
                                    .join('')}</batchInfoList>`
                            );
                        return;
                    }
                    if (req.method !== 'POST') throw new AsyncError('InvalidUrl', 'Invalid URL', 404);
                    if (job.state !== 'Open')
                        throw new AsyncError(
                            'InvalidJobState',
                            `InvalidJobState : Job is ${job.state}, batches cannot be added`
                        );
                    await applyFaults(state, 'bulk', job.object, session);
                    const now = sfDateTime(new Date());
                    const batch: V1Batch = {
                        id: state.org.ids.next('751'),
                        jobId: job.id,
                        state: 'Queued',
                        createdDate: now,
                        systemModstamp: now,
                        results: [],
                        processingMs: 0
                    };
                    job.batches.push(batch);
                    state.bulkBatches += 1;
                    const answer = batchInfo(batch);
                    // Processed at once: the first poll finds the batch Completed (or Failed).
                    processBatch(state, session, job, batch, req.body);
                    status = 201;
                    return send(201, 'batchInfo', answer);
                }
                const batch = job.batches.find((b) => b.id === batchId);
                if (!batch) throw new AsyncError('InvalidBatch', `InvalidBatch : Invalid batch id: ${batchId}`);
                if (req.method !== 'GET') throw new AsyncError('InvalidUrl', 'Invalid URL', 404);
                status = 200;
                if (!wantsResult) return send(200, 'batchInfo', batchInfo(batch));
                if (batch.state !== 'Completed' && batch.state !== 'Failed')
                    throw new AsyncError('InvalidBatch', `InvalidBatch : Batch not completed`);
                if (batch.queryCsv !== undefined) {
                    const rid = `752${batch.id.slice(3)}`;
                    if (resultId) {
                        if (resultId !== rid) throw new AsyncError('InvalidBatch', 'InvalidBatch : Invalid result id');
                        res.status(200).type('text/csv').send(batch.queryCsv);
                        return;
                    }
                    if (answerFormat === 'json') return send(200, 'result-list', { result: [rid] });
                    res.status(200)
                        .type('application/xml')
                        .send(
                            `<?xml version="1.0" encoding="UTF-8"?><result-list xmlns="${NS}"><result>${rid}</result></result-list>`
                        );
                    return;
                }
                if (job.contentType === 'JSON') {
                    res.status(200)
                        .type('application/json')
                        .send(
                            JSON.stringify(
                                batch.results.map((r) => ({
                                    success: r.success,
                                    created: r.created,
                                    id: r.id,
                                    errors: r.error
                                        ? [{ message: r.error, statusCode: r.error.split(':')[0], fields: [] }]
                                        : []
                                }))
                            )
                        );
                    return;
                }
                if (job.contentType === 'XML') {
                    const items = batch.results
                        .map(
                            (r) =>
                                `<result>${r.id ? `<id>${r.id}</id>` : '<id xsi:nil="true"/>'}<success>${r.success}</success><created>${r.created}</created>${
                                    r.error
                                        ? `<errors><message>${xmlEscape(r.error)}</message><statusCode>${r.error.split(':')[0]}</statusCode></errors>`
                                        : ''
                                }</result>`
                        )
                        .join('');
                    res.status(200)
                        .type('application/xml')
                        .send(
                            `<?xml version="1.0" encoding="UTF-8"?><results xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${items}</results>`
                        );
                    return;
                }
                res.status(200)
                    .type('text/csv')
                    .send(
                        stringify(
                            [
                                ['Id', 'Success', 'Created', 'Error'],
                                ...batch.results.map((r) => [
                                    r.id ?? '',
                                    String(r.success),
                                    String(r.created),
                                    r.error ?? ''
                                ])
                            ],
                            { record_delimiter: '\n', quoted: true }
                        )
                    );
            } catch (error) {
                const e =
                    error instanceof AsyncError
                        ? error
                        : error instanceof SfError
                          ? new AsyncError(
                                error.status === 401 ? 'InvalidSessionId' : error.errorCode,
                                error.message,
                                error.status === 401 ? 400 : error.status
                            )
                          : new AsyncError(
                                'ServerUnavailable',
                                error instanceof Error ? error.message : String(error),
                                500
                            );
                status = e.status;
                send(e.status, 'error', { exceptionCode: e.exceptionCode, exceptionMessage: e.message });
            } finally {
                state.requestLog.push({
                    at: new Date().toISOString(),
                    method: req.method,
                    path: req.originalUrl,
                    status,
                    userId,
                    counted
                });
            }
        }
    );
    return router;
}
