import {
    budgetGauge,
    connectionHealth,
    crmPullHealth,
    fieldReadRemedy,
    notificationHealth,
    userSyncHealth,
    writebackHealth,
    type Health
} from '../domain/ops-health';
import { getOrg } from '../store/orgs';
import { latestSyncRun, notificationCounts } from '../store/ops';
import type { Caller } from './caller';
import { crmStatus } from './crm';
import type { ServiceDeps } from './deps';
import { connectionStatus } from './salesforce-connections';
import { listWritebackItems, writebackStatus } from './writeback';

/** How far back the notification counts of the operations page reach. */
export const NOTIFICATION_WINDOW_HOURS = 24;
/** Parked write-back items listed on the page (the rest: GET /v1/writeback/items?state=parked). */
export const PARKED_LISTED = 50;

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/**
 * OPS-1: the health of everything that runs by itself for this org, in one answer: the
 * Salesforce connection, the CRM pull per object (with a remedy per unreadable field), the
 * user sync, the write-back queue (parked items with reason and remedy), the API budget and the
 * notifications sent. Reads only: it calls no Salesforce API, so it costs none of the budget.
 */
export async function opsStatus(deps: ServiceDeps, caller: Caller) {
    const db = deps.store.db;
    const now = deps.clock?.() ?? new Date();
    const since = new Date(now.getTime() - NOTIFICATION_WINDOW_HOURS * 3_600_000);
    const [connection, crm, org, lastRun, queue, parked, notifications] = await Promise.all([
        connectionStatus(deps.store, caller.orgId),
        crmStatus(deps, caller),
        getOrg(db, caller.orgId),
        latestSyncRun(db, caller.orgId),
        writebackStatus(deps, caller),
        listWritebackItems(deps, caller, { state: 'parked', limit: PARKED_LISTED }),
        notificationCounts(db, caller.orgId, since)
    ]);

    const objects = crm.objects.map((o) => ({
        object: o.object,
        state: o.state,
        lastPullAt: o.lastPullAt,
        pulled: o.pulled,
        deleted: o.deleted,
        records: o.records,
        error: o.error,
        missingFields: [
            ...o.missingRequiredFields.map((field) => ({
                field,
                required: true,
                remedy: fieldReadRemedy(o.object, field, true)
            })),
            ...o.skippedRecommendedFields.map((field) => ({
                field,
                required: false,
                remedy: fieldReadRemedy(o.object, field, false)
            }))
        ]
    }));

    const gauge = budgetGauge({
        dailyLimit: queue.budget.dailyLimit,
        remaining: queue.budget.remaining,
        share: queue.budget.share,
        used: queue.budget.usedByBackstoryToday
    });

    return {
        generatedAt: now.toISOString(),
        connection: {
            health: connectionHealth(connection.status),
            status: connection.status,
            method: connection.method,
            username: connection.username,
            salesforceOrgId: connection.salesforceOrgId,
            instanceUrl: connection.instanceUrl,
            connectedAt: connection.connectedAt,
            lastError: connection.lastError
        },
        crmPull: {
            health: crmPullHealth(objects.map((o) => o.state)) as Health,
            lastPullAt: objects.reduce<string | null>(
                (latest, o) => (o.lastPullAt && (!latest || o.lastPullAt > latest) ? o.lastPullAt : latest),
                null
            ),
            objects
        },
        userSync: {
            health: userSyncHealth(org.mode, lastRun),
            mode: org.mode,
            intervalMinutes: org.sync_interval_minutes,
            lastRun: lastRun && {
                trigger: lastRun.trigger,
                status: lastRun.status,
                startedAt: lastRun.startedAt.toISOString(),
                finishedAt: iso(lastRun.finishedAt),
                usersFetched: lastRun.usersFetched,
                created: lastRun.created,
                updated: lastRun.updated,
                suspended: lastRun.suspended,
                movedToTopLevel: lastRun.movedToTopLevel,
                error: lastRun.error
            }
        },
        writeback: {
            health: writebackHealth({ parked: queue.parked, waiting: queue.budget.waiting }),
            pending: queue.pending,
            written: queue.written,
            parked: queue.parked,
            skipped: queue.skipped,
            waitingForBudget: queue.budget.waiting,
            lastFlushAt: queue.lastFlushAt,
            parkedItems: parked.items.map((i) => ({
                id: i.id,
                activityId: i.activity_id,
                operation: i.operation,
                sobject: i.sobject,
                recordId: i.record_id,
                attempts: i.attempts,
                code: i.last_error?.code ?? null,
                reason: i.last_error?.message ?? null,
                remedy: i.last_error?.remedy ?? null,
                parkedAt: new Date(i.updated_at).toISOString()
            }))
        },
        apiBudget: {
            health: gauge.health,
            dailyLimit: queue.budget.dailyLimit,
            remaining: queue.budget.remaining,
            usedByOrg: gauge.usedByOrg,
            share: queue.budget.share,
            allowance: gauge.allowance,
            usedByBackstoryToday: queue.budget.usedByBackstoryToday,
            percentUsed: gauge.percentUsed,
            waiting: queue.budget.waiting
        },
        notifications: {
            health: notificationHealth(notifications),
            windowHours: NOTIFICATION_WINDOW_HOURS,
            sent: notifications.sent,
            failed: notifications.failed,
            skipped: notifications.skipped,
            sending: notifications.sending,
            lastSentAt: iso(notifications.lastSentAt),
            lastError: notifications.lastError
        }
    };
}
