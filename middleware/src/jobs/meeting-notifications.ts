import type PgBoss from 'pg-boss';
import type { Taker } from './taker';
import { describeError } from '../salesforce/connection';
import { orgsForFollowUps, runCompletedMeetings } from '../services/notifications';
import type { ServiceDeps } from '../services/deps';

export const FOLLOW_UP_TICK_QUEUE = 'follow-up-tick';
export const FOLLOW_UP_QUEUE = 'follow-ups';

/**
 * MATCH-8 on the job queue: a tick every minute enqueues one `follow-ups` job per connected org
 * (stately, keyed by org: one queued and one running per org, TEN-4); the job opens the
 * follow-ups of meetings that ended and sends their `completed` notification, once
 * (services/notifications.ts claims each notification before sending it).
 */
export async function startFollowUpJobs(
    boss: PgBoss,
    taker: Taker,
    deps: Pick<ServiceDeps, 'store' | 'salesforce' | 'logger'>,
    cron: string,
    expiry: { expireInSeconds?: number } = {}
): Promise<void> {
    await boss.createQueue(FOLLOW_UP_TICK_QUEUE, { name: FOLLOW_UP_TICK_QUEUE, policy: 'singleton' });
    await boss.createQueue(FOLLOW_UP_QUEUE, {
        name: FOLLOW_UP_QUEUE,
        policy: 'stately',
        retryLimit: 2,
        retryDelay: 60,
        ...expiry
    });
    await taker.work(FOLLOW_UP_TICK_QUEUE, async () => {
        for (const id of await orgsForFollowUps(deps)) {
            await boss.send(FOLLOW_UP_QUEUE, { orgId: id }, { singletonKey: id });
        }
    });
    await taker.work<{ orgId: string }>(FOLLOW_UP_QUEUE, async ([job]) => {
        if (!job) return;
        try {
            await runCompletedMeetings(deps, job.data.orgId);
        } catch (error) {
            deps.logger.warn({ orgId: job.data.orgId, err: describeError(error) }, 'follow-up run failed');
            throw error;
        }
    });
    await taker.schedule(FOLLOW_UP_TICK_QUEUE, cron);
}
