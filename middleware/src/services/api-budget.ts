import type { Connection } from '@jsforce/jsforce-node';
import { lastLimitInfo, readDailyLimit } from '../salesforce/writes';
import type { Store } from '../store/db';
import { getSettings, recordLimits, reserveCalls } from '../store/outbox';
import { isWaiting } from './writeback';

/**
 * The org's Salesforce API budget (MATCH-13), one for every Backstory call that spends the org's
 * daily allowance: the write-back flush and the meeting notifications (MATCH-8) reserve their
 * calls here, in the same row (`writeback_settings.used_today`), so together they stay within
 * `maxDailyApiShare` of what the org has left.
 */

const STALE_MS = 15 * 60_000;

/**
 * Read `/limits` when the org's allowance was never read, is stale (15 minutes), or, when
 * `whileWaiting`, while past the budget: the allowance may have recovered (a new day, a raised
 * limit). The write-back does that at most once a minute (its tick); notifications do not, so a
 * burst of them never turns into a burst of `/limits` calls.
 */
export async function refreshLimits(
    store: Store,
    orgId: string,
    conn: Connection,
    options: { whileWaiting: boolean }
): Promise<void> {
    const s = await getSettings(store.db, orgId);
    const age = s.limits_read_at ? Date.now() - new Date(s.limits_read_at).getTime() : Infinity;
    if (s.remaining !== null && age < STALE_MS && !(options.whileWaiting && isWaiting(s))) return;
    const limits = await readDailyLimit(conn);
    await recordLimits(store.db, orgId, { ...limits, fromLimits: true });
}

/** Reserve `calls` of today's budget before making them; false: past the share, wait. */
export function spendCalls(store: Store, orgId: string, calls: number): Promise<boolean> {
    return reserveCalls(store.db, orgId, calls);
}

/** After a call: what its `Sforce-Limit-Info` header said of the allowance. */
export async function noteLimitInfo(store: Store, orgId: string, conn: Connection): Promise<void> {
    const info = lastLimitInfo(conn);
    if (info) await recordLimits(store.db, orgId, { ...info, fromLimits: false });
}
