import { notFound } from './errors';
import type { RestRequest, RestResult } from './rest-context';
import type { EmulatorState } from './state';

/** /actions/standard/customNotificationAction: custom notifications are recorded, not delivered. */
export function actionsResource(state: EmulatorState, req: RestRequest, segments: string[]): RestResult {
    const { org } = state;
    const { method, session } = req;
    const [a, b] = segments;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (a === 'standard' && b === 'customNotificationAction' && method === 'POST') {
        const inputs = (body.inputs ?? []) as Record<string, unknown>[];
        return {
            status: 200,
            body: inputs.map((input) => {
                const errors: { statusCode: string; message: string }[] = [];
                const typeId = String(input.customNotifTypeId ?? '');
                const type = org.get(typeId);
                if (!type || org.objectOfId(type.Id) !== 'CustomNotificationType')
                    errors.push({ statusCode: 'INVALID_ID_FIELD', message: 'Invalid customNotifTypeId' });
                const recipients = Array.isArray(input.recipientIds) ? input.recipientIds.map(String) : [];
                if (recipients.length === 0)
                    errors.push({ statusCode: 'REQUIRED_FIELD_MISSING', message: 'recipientIds is required' });
                if (!input.title || !input.body)
                    errors.push({
                        statusCode: 'REQUIRED_FIELD_MISSING',
                        message: 'title and body are required'
                    });
                if (!input.targetId && !input.targetPageRef)
                    errors.push({
                        statusCode: 'REQUIRED_FIELD_MISSING',
                        message: 'targetId or targetPageRef is required'
                    });
                if (errors.length === 0) {
                    state.notifications.push({
                        at: new Date().toISOString(),
                        customNotifTypeId: typeId,
                        recipientIds: recipients,
                        title: String(input.title),
                        body: String(input.body),
                        ...(input.targetId ? { targetId: String(input.targetId) } : {}),
                        ...(input.targetPageRef ? { targetPageRef: String(input.targetPageRef) } : {}),
                        senderId: session.userId
                    });
                }
                return {
                    actionName: 'customNotificationAction',
                    errors: errors.length ? errors : null,
                    isSuccess: errors.length === 0,
                    outputValues: errors.length
                        ? null
                        : { SuccessMessage: 'Your custom notification is processed successfully.' }
                };
            })
        };
    }
    throw notFound();
}
