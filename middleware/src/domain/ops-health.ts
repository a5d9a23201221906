/**
 * OPS-1: the health of what runs by itself, one verdict per area of the operations page, and
 * the remedy for a CRM field the integration user cannot read. Pure: no I/O.
 */

/** ok: nothing to do · warning: look at it · error: something stopped · idle: not in use. */
export type Health = 'ok' | 'warning' | 'error' | 'idle';

/** Backstory's share of the org's allowance used past this fraction turns the gauge to warning / error. */
export const BUDGET_WARNING = 0.75;
export const BUDGET_ERROR = 0.9;

export function connectionHealth(status: 'connected' | 'not_connected' | 'error'): Health {
    if (status === 'connected') return 'ok';
    return status === 'error' ? 'error' : 'warning';
}

/** Any object blocked or failing stops matching against it: error; never pulled yet: warning. */
export function crmPullHealth(states: ('pending' | 'ok' | 'blocked' | 'error')[]): Health {
    if (states.some((s) => s === 'blocked' || s === 'error')) return 'error';
    if (states.some((s) => s === 'pending')) return 'warning';
    return 'ok';
}

/** Manual mode has no sync (idle); a failed last run is an error; automatic without a run yet, a warning. */
export function userSyncHealth(mode: 'manual' | 'automatic', lastRun: { status: string } | null): Health {
    if (mode === 'manual') return 'idle';
    if (!lastRun) return 'warning';
    if (lastRun.status === 'error') return 'error';
    return 'ok';
}

/** Parked items need an admin (error); items waiting for the API budget, a warning. */
export function writebackHealth(q: { parked: number; waiting: boolean }): Health {
    if (q.parked > 0) return 'error';
    return q.waiting ? 'warning' : 'ok';
}

/**
 * The API budget (MATCH-13) as a gauge: how much of Backstory's allowance for today it used.
 * `allowance` is `share × (remaining + used)`; unknown until Salesforce reported its limits.
 */
export function budgetGauge(b: { dailyLimit: number | null; remaining: number | null; share: number; used: number }): {
    allowance: number | null;
    usedByOrg: number | null;
    percentUsed: number | null;
    health: Health;
} {
    if (b.dailyLimit === null || b.remaining === null)
        return { allowance: null, usedByOrg: null, percentUsed: null, health: 'idle' };
    const allowance = Math.floor(b.share * (b.remaining + b.used));
    const fraction = allowance > 0 ? Math.min(1, b.used / allowance) : 1;
    const health: Health = fraction >= BUDGET_ERROR ? 'error' : fraction >= BUDGET_WARNING ? 'warning' : 'ok';
    return {
        allowance,
        usedByOrg: Math.max(0, b.dailyLimit - b.remaining),
        percentUsed: Math.round(fraction * 1000) / 10,
        health
    };
}

/** Notifications that failed in the window need a look (warning); none sent or failed, idle. */
export function notificationHealth(n: { sent: number; failed: number }): Health {
    if (n.failed > 0) return 'warning';
    return n.sent > 0 ? 'ok' : 'idle';
}

/**
 * PERM-5: what to do about a field the integration user cannot read. Required fields block the
 * object's pull; recommended ones only leave detail out.
 */
export function fieldReadRemedy(object: string, field: string, required: boolean): string {
    return `In Setup > Permission Sets > Backstory Standard Permissions (or the integration user's profile) > Object Settings > ${object} > Edit > Field Permissions: tick Read Access for ${field}, Save. ${
        required
            ? `Backstory stops pulling ${object} until it is readable; the next pull resumes it.`
            : 'Backstory works without it, with less detail.'
    } The setup wizard's permission check lists every field Backstory needs.`;
}
