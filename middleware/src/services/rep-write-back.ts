import { directWriteBack, type WriteBack } from './activity-writes';
import { notifyMeeting } from './notifications';
import type { RepServiceDeps } from './rep-context';

/**
 * The write-back the rep features use: the direct writer, with the `created` meeting
 * notification (CP-7) sent once the meeting's Event exists in Salesforce.
 */
export function repWriteBack(deps: RepServiceDeps & { writeBack?: WriteBack | undefined }): WriteBack {
    if (deps.writeBack) return deps.writeBack;
    return directWriteBack(deps, async (orgId, activityId, eventId) => {
        await notifyMeeting(deps, orgId, activityId, 'created', eventId);
    });
}
