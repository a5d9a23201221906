import type { EventEmitter } from 'node:events';
import type PgBoss from 'pg-boss';
import type { Taker } from './taker';
import { describeError } from '../salesforce/connection';
import { flushWriteback, type FlushOptions, type FlushResult } from '../services/writeback-flush';
import {
    nextWritebackDueAt,
    orgsDueForWriteback,
    type WritebackDeps,
    type WritebackScheduler
} from '../services/writeback';

/**
 * The write-back on the job queue (MATCH-6, TEN-4): one `writeback` job per org (stately, keyed
 * by org: at most one queued and one running, whichever process takes it), queued a couple of
 * seconds after intake, again when the next retry comes due, and by a minute tick for every org
 * with due items (so a crash, a restart or a budget wait never strands an item).
 */

export const WRITEBACK_QUEUE = 'writeback';
export const WRITEBACK_TICK_QUEUE = 'writeback-tick';
/** Seconds between intake and the write-back run (intake of a batch lands in one run). */
export const WRITEBACK_DELAY_SECONDS = 2;

export interface WritebackJobEvents {
    writebackFlushed: [{ orgId: string; result: FlushResult }];
    writebackFailed: [{ orgId: string; error: string }];
}

export async function startWritebackJobs(
    boss: PgBoss,
    taker: Taker,
    deps: WritebackDeps,
    events: EventEmitter<WritebackJobEvents>,
    options: { flush?: FlushOptions; expiry?: { expireInSeconds?: number } } = {}
): Promise<WritebackScheduler & { enqueueDueWritebacks(): Promise<string[]> }> {
    await boss.createQueue(WRITEBACK_TICK_QUEUE, { name: WRITEBACK_TICK_QUEUE, policy: 'singleton' });
    await boss.createQueue(WRITEBACK_QUEUE, {
        name: WRITEBACK_QUEUE,
        policy: 'stately',
        retryLimit: 3,
        retryDelay: 30,
        ...options.expiry
    });
    const schedule = async (orgId: string, delaySeconds = WRITEBACK_DELAY_SECONDS): Promise<void> => {
        await boss.send(
            WRITEBACK_QUEUE,
            { orgId },
            { singletonKey: orgId, startAfter: Math.max(0, Math.ceil(delaySeconds)) }
        );
    };
    const enqueueDueWritebacks = async (): Promise<string[]> => {
        const due = await orgsDueForWriteback(deps);
        for (const id of due) await schedule(id, 0);
        return due;
    };
    await taker.work(WRITEBACK_TICK_QUEUE, async () => {
        await enqueueDueWritebacks();
    });
    await taker.work<{ orgId: string }>(WRITEBACK_QUEUE, async ([job]) => {
        if (!job) return;
        const { orgId } = job.data;
        if (!(await deps.salesforce.isConnected(orgId))) return;
        let result: FlushResult;
        try {
            result = await flushWriteback(deps, { orgId, actor: 'system:writeback' }, options.flush ?? {});
        } catch (error) {
            deps.logger.warn({ orgId, err: describeError(error) }, 'write-back run failed');
            events.emit('writebackFailed', { orgId, error: describeError(error) });
            throw error;
        }
        events.emit('writebackFlushed', { orgId, result });
        // Come back when the next retry is due (the minute tick also covers budget waits).
        if (!result.waiting) {
            const next = await nextWritebackDueAt(deps, orgId);
            if (next) await schedule(orgId, Math.min(60, Math.max(1, (next.getTime() - Date.now()) / 1000)));
        }
    });
    await taker.schedule(WRITEBACK_TICK_QUEUE, '* * * * *');
    return { schedule, enqueueDueWritebacks };
}
