import type { WriteBack, WriteOutcome } from './activity-writes';
import { notifyMeeting } from './notifications';
import type { RepServiceDeps } from './rep-context';
import {
    activitySync,
    enqueueActivityWrite,
    enqueueFieldWrite,
    writebackEvents,
    type WritebackScheduler
} from './writeback';

type Deps = RepServiceDeps & { writeBack?: WriteBack | undefined; writebackScheduler?: WritebackScheduler | undefined };

const ACTOR = 'system:reps';

/**
 * The rep features' write-back: the durable outbox (MATCH-6). Edit Match enqueues the activity's
 * Event/Task upsert; answers go as a `write_answers` item with every answered follow-up's fields
 * of the meeting merged (oldest first, so the latest answer wins), written once the Event exists.
 */
export function repWriteBack(deps: Deps): WriteBack {
    if (deps.writeBack) return deps.writeBack;
    const outcome = async (orgId: string, activityId: string): Promise<WriteOutcome> =>
        (await activitySync(deps, { orgId, actor: ACTOR }, [activityId])).get(activityId) ?? {
            state: 'not_synced',
            salesforceId: null,
            reason: null
        };
    return {
        activityChanged: async (orgId, activityId) => {
            await enqueueActivityWrite(deps, { orgId, actor: ACTOR }, activityId);
            return outcome(orgId, activityId);
        },
        answersChanged: async (orgId, activityId) => {
            const answered = await deps.store.db
                .selectFrom('follow_ups')
                .select('fields')
                .where('org_id', '=', orgId)
                .where('activity_id', '=', activityId)
                .where('status', '=', 'answered')
                .orderBy('answered_at', 'asc')
                .execute();
            const fields = Object.assign({}, ...answered.map((a) => a.fields)) as Record<string, unknown>;
            await enqueueFieldWrite(
                deps,
                { orgId, actor: ACTOR },
                {
                    activityId,
                    operation: 'write_answers',
                    sobject: 'Event',
                    fields
                }
            );
            return outcome(orgId, activityId);
        }
    };
}

const listening = new WeakSet<object>();
const inFlight = new Set<Promise<unknown>>();

/** Resolves once the `created` notifications this process started have been sent (or failed). */
export async function meetingNotificationsSettled(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

/**
 * CP-7 `onMeetingCreated`: when this process writes a meeting's Event, send its `created`
 * notification (once: notifications.ts claims it). A process that died in between is covered by
 * the follow-up job, which also sends the ones still missing for written Events.
 */
export function notifyWhenMeetingsAreWritten(deps: RepServiceDeps): void {
    if (!deps.store || listening.has(deps.store)) return; // (the OpenAPI generator builds routes without a store)
    listening.add(deps.store);
    writebackEvents.on('written', (e) => {
        if (e.operation !== 'upsert_event' || !e.activityId || !e.recordId) return;
        const sending = notifyMeeting(deps, e.orgId, e.activityId, 'created', e.recordId)
            .catch((error: unknown) =>
                deps.logger.warn({ orgId: e.orgId, err: String(error) }, 'meeting notification failed')
            )
            .finally(() => inFlight.delete(sending));
        inFlight.add(sending);
    });
}
