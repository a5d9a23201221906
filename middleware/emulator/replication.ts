import { SfError } from './errors';
import { sfDateTime } from './org';
import { applyFaults, type RestRequest, type RestResult } from './rest-context';
import type { EmulatorState } from './state';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Salesforce keeps replication data for 30 days; deleted records stay 15 days in the recycle bin. */
const UPDATED_WINDOW_DAYS = 30;
const DELETED_WINDOW_DAYS = 15;
const MAX_IDS = 600_000;

const badDate = (message: string, field: string) => new SfError(400, 'INVALID_REPLICATION_DATE', message, [field]);

function dateParam(req: RestRequest, name: 'start' | 'end'): number {
    const raw = req.query.get(name);
    if (!raw) throw new SfError(400, 'MISSING_ARGUMENT', `${name} is required (an ISO 8601 date and time)`, [name]);
    const t = Date.parse(raw.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    if (Number.isNaN(t)) throw badDate(`${name}: not a date and time: ${raw}`, name);
    // Salesforce ignores seconds: the window runs on whole minutes.
    return Math.floor(t / 60_000) * 60_000;
}

/**
 * GET /sobjects/X/updated and /deleted with Salesforce's window rules: start and end required,
 * seconds ignored, start before end, start no more than 30 days ago (15 for deleted), an end in
 * the future covers up to now; `latestDateCovered` is the end of what was covered.
 */
export async function replicationResource(
    state: EmulatorState,
    req: RestRequest,
    object: string,
    kind: 'updated' | 'deleted'
): Promise<RestResult> {
    if (req.method !== 'GET')
        throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are GET`);
    const { org } = state;
    const start = dateParam(req, 'start');
    const end = dateParam(req, 'end');
    if (end <= start) throw badDate('end must be after start', 'end');
    // The org's clock: seeding stamps rows strictly increasing, which can run a little ahead of the wall clock.
    const now = org.clockMs();
    const window = (kind === 'updated' ? UPDATED_WINDOW_DAYS : DELETED_WINDOW_DAYS) * DAY_MS;
    if (start < now - window)
        throw badDate(
            `startDate cannot be more than ${kind === 'updated' ? UPDATED_WINDOW_DAYS : DELETED_WINDOW_DAYS} days ago`,
            'start'
        );
    await applyFaults(state, 'query', object, req.session);
    // An end in the future covers up to now (to the millisecond: a liberty, so tests need not wait a minute).
    const latest = Math.min(end, now);
    const access = org.access(req.session.userId);
    const inWindow = (stamp: unknown) => {
        const t = typeof stamp === 'string' ? Date.parse(stamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : NaN;
        // An end in the future covers everything written up to now, the last write included.
        return t >= start && (end > now ? t <= latest : t < latest);
    };
    if (kind === 'updated') {
        const ids: string[] = [];
        for (const r of org.rows(object))
            if (!r.IsDeleted && inWindow(r.SystemModstamp) && org.canSee(access, object, r)) ids.push(r.Id);
        if (ids.length > MAX_IDS)
            throw new SfError(400, 'EXCEEDED_ID_LIMIT', `more than ${MAX_IDS} ids: use a smaller window`);
        return { status: 200, body: { ids, latestDateCovered: sfDateTime(new Date(latest)) } };
    }
    const deletedRecords: { id: string; deletedDate: string }[] = [];
    let earliest: string | null = null;
    for (const r of org.rows(object)) {
        if (!r.IsDeleted) continue;
        const stamp = String(r.SystemModstamp);
        if (earliest === null || stamp < earliest) earliest = stamp;
        if (inWindow(r.SystemModstamp)) deletedRecords.push({ id: r.Id, deletedDate: stamp });
    }
    return {
        status: 200,
        body: {
            deletedRecords,
            earliestDateAvailable: earliest ?? sfDateTime(new Date(Math.floor((now - window) / 60_000) * 60_000)),
            latestDateCovered: sfDateTime(new Date(latest))
        }
    };
}
