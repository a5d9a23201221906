import type { Connection } from '@jsforce/jsforce-node';
import type { SalesforceFailure } from '../domain/writeback';

/**
 * Salesforce writes of the write-back (MATCH-6), as the integration user: sObject Collections
 * (200 records a call, `allOrNone: false`, one result per record) and Bulk API 2.0 ingest for
 * large backlogs. Whole-call failures (5xx, REQUEST_LIMIT_EXCEEDED, network) reject with a
 * `SalesforceCallError`; per-record failures come back in the results.
 */

export interface RecordResult {
    id: string | null;
    success: boolean;
    created?: boolean;
    errors: SalesforceFailure[];
}

export class SalesforceCallError extends Error {
    constructor(readonly failure: SalesforceFailure) {
        super(`${failure.code}: ${failure.message}`);
        this.name = 'SalesforceCallError';
    }
}

/** A jsforce / network error as a Salesforce failure (code, message, HTTP status when known). */
export function toFailure(error: unknown): SalesforceFailure {
    if (error instanceof SalesforceCallError) return error.failure;
    const e = (error ?? {}) as {
        errorCode?: string;
        name?: string;
        message?: string;
        code?: string;
        cause?: { code?: string; message?: string };
        data?: unknown;
    };
    const networkCode = e.cause?.code ?? e.code;
    if (!e.errorCode && (networkCode || e.message === 'fetch failed'))
        return { code: networkCode ?? 'NETWORK_ERROR', message: e.cause?.message ?? e.message ?? 'network error' };
    const code = e.errorCode ?? e.name ?? 'UNKNOWN_EXCEPTION';
    const http = /^ERROR_HTTP_(\d{3})$/.exec(code);
    const data = Array.isArray(e.data) ? (e.data[0] as { fields?: string[] } | undefined) : undefined;
    return {
        code,
        message: e.message ?? String(error),
        ...(data?.fields ? { fields: data.fields } : {}),
        ...(http ? { status: Number(http[1]) } : {})
    };
}

interface RawResult {
    id?: string | null;
    success: boolean;
    created?: boolean;
    errors?: { statusCode?: string; errorCode?: string; message?: string; fields?: string[] }[];
}

function results(raw: unknown, n: number): RecordResult[] {
    if (!Array.isArray(raw) || raw.length !== n)
        throw new SalesforceCallError({ code: 'UNKNOWN_EXCEPTION', message: 'unexpected collection response' });
    return (raw as RawResult[]).map((r) => ({
        id: r.id ?? null,
        success: r.success === true,
        ...(r.created !== undefined ? { created: r.created } : {}),
        errors: (r.errors ?? []).map((e) => ({
            code: e.statusCode ?? e.errorCode ?? 'UNKNOWN_EXCEPTION',
            message: e.message ?? '',
            fields: e.fields ?? []
        }))
    }));
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (error) {
        throw new SalesforceCallError(toFailure(error));
    }
}

/** PATCH /composite/sobjects/<sobject>/<externalIdField>: upsert ≤ 200 records, one result each. */
export async function upsertCollection(
    conn: Connection,
    sobject: string,
    externalIdField: string,
    records: Record<string, unknown>[]
): Promise<RecordResult[]> {
    const body = {
        allOrNone: false,
        records: records.map((r) => ({ attributes: { type: sobject }, ...r }))
    };
    const raw = await call(() =>
        conn.request({
            method: 'PATCH',
            url: `/composite/sobjects/${sobject}/${externalIdField}`,
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' }
        })
    );
    return results(raw, records.length);
}

/** PATCH /composite/sobjects: update ≤ 200 records by Id. */
export async function updateCollection(
    conn: Connection,
    sobject: string,
    records: ({ Id: string } & Record<string, unknown>)[]
): Promise<RecordResult[]> {
    const body = { allOrNone: false, records: records.map((r) => ({ attributes: { type: sobject }, ...r })) };
    const raw = await call(() =>
        conn.request({
            method: 'PATCH',
            url: '/composite/sobjects',
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' }
        })
    );
    return results(raw, records.length);
}

/** POST /composite/sobjects: create ≤ 200 records. */
export async function createCollection(
    conn: Connection,
    sobject: string,
    records: Record<string, unknown>[]
): Promise<RecordResult[]> {
    const body = { allOrNone: false, records: records.map((r) => ({ attributes: { type: sobject }, ...r })) };
    const raw = await call(() =>
        conn.request({
            method: 'POST',
            url: '/composite/sobjects',
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' }
        })
    );
    return results(raw, records.length);
}

/** One SOQL query, every page (each page is one API call). */
export async function queryRecords<T extends Record<string, unknown>>(
    conn: Connection,
    soql: string
): Promise<{ records: T[]; calls: number }> {
    return call(async () => {
        let page = await conn.query<T>(soql);
        const records = [...page.records];
        let calls = 1;
        while (!page.done && page.nextRecordsUrl) {
            page = await conn.queryMore<T>(page.nextRecordsUrl);
            records.push(...page.records);
            calls += 1;
        }
        return { records, calls };
    });
}

/** Quote a value for a SOQL string literal. */
export function soqlString(value: string): string {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** GET /limits: the org's daily API allowance. */
export async function readDailyLimit(conn: Connection): Promise<{ dailyLimit: number; remaining: number }> {
    const limits = (await call(() => conn.request('/limits'))) as {
        DailyApiRequests?: { Max: number; Remaining: number };
    };
    const d = limits.DailyApiRequests;
    if (!d) throw new SalesforceCallError({ code: 'UNKNOWN_EXCEPTION', message: '/limits has no DailyApiRequests' });
    return { dailyLimit: d.Max, remaining: d.Remaining };
}

/** The last `Sforce-Limit-Info` header jsforce saw on this connection (`api-usage=used/max`). */
export function lastLimitInfo(conn: Connection): { dailyLimit: number; remaining: number } | null {
    const usage = (conn as unknown as { limitInfo?: { apiUsage?: { used: number; limit: number } } }).limitInfo
        ?.apiUsage;
    if (!usage) return null;
    return { dailyLimit: usage.limit, remaining: Math.max(0, usage.limit - usage.used) };
}
