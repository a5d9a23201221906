import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { idParams, z } from '../schemas/common';
import { BATCH_LIMITS, BODY_LIMITS, timeSlicer } from '../../domain/limits';
import { invalidMany } from '../errors';
import {
    activityBatchBody,
    activityBody,
    batchResultSchema,
    activitySchema,
    importQuery,
    importResultSchema,
    intakeResultSchema,
    matchResultSchema,
    previewBody
} from '../schemas/matching';
import {
    captureActivities,
    captureActivity,
    explainMatch,
    getReadableActivity,
    importActivityFile,
    previewMatch
} from '../../services/activities';

export function activityRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'post',
            path: '/v1/activities',
            summary:
                'Capture an email or meeting (MATCH-1) and match it (MATCH-4); re-sending the same externalId updates it',
            description:
                'CP-4 per owner (the Backstory user with ownerEmail): Intake Data off, a suspended owner or a Data-role owner → 409 conflict naming ownerEmail, nothing stored; Transcript Intake off → the transcript is dropped (`transcript: "dropped"`). Non-admin callers may submit only their own activity. SEC-5: re-sending the externalId of an activity the caller may not write (not its owner, not an admin) → 409 conflict naming externalId, nothing changed.',
            tags: ['activities'],
            body: activityBody,
            errors: [403, 409],
            response: { status: 202, description: 'Stored and matched', schema: intakeResultSchema },
            handler: async ({ ctx, body }) => captureActivity(deps, ctx, body)
        }),
        route({
            method: 'post',
            path: '/v1/activities/batch',
            summary: `Capture up to ${BATCH_LIMITS.activities.toLocaleString('en-US')} emails or meetings in one call (SCALE-3), a result per item`,
            description:
                'Each item is an ActivityInput and gets the answer POST /v1/activities would give it: `status` 202 with `result`, or its 4xx `error` whose details name the field of that item (`ownerEmail`, `startsAt`, …); valid items are stored even when others fail. The items are written in one transaction with their write-back outbox rows; re-sending the same externalIds updates the same activities (idempotent). An externalId twice in one batch: the second is a 400 naming externalId. Each result also comes in `items` as `{externalId, id, status: created|updated|refused, error}`. The whole call fails only when the body is not `{ items: [...] }` (or, as before, `{ activities: [...] }`) with 1 to 1,000 items (400 naming the field), a string holds a NUL or lone surrogate (400 naming it, SEC-8), or the body is over 25 MB (413). A body over a megabyte is parsed in another thread (SEC-6).',
            tags: ['activities'],
            body: activityBatchBody,
            bodyLimit: BODY_LIMITS.activityBatch,
            jsonOffThread: true,
            response: { status: 200, description: 'A result per item, in order', schema: batchResultSchema },
            handler: async ({ ctx, body }) => {
                const list = body.items ?? body.activities ?? [];
                // Each item checked on its own, the event loop given turns between (SEC-6).
                const slice = timeSlicer();
                const checked = [];
                for (const item of list) {
                    const parsed = activityBody.safeParse(item);
                    checked.push(
                        parsed.success
                            ? parsed.data
                            : invalidMany(
                                  parsed.error.issues.map((issue) => ({
                                      path: issue.path.map(String).join('.') || 'body',
                                      message: issue.message
                                  }))
                              )
                    );
                    await slice.maybeYield();
                }
                const answer = await captureActivities(deps, ctx, checked);
                return {
                    ...answer,
                    // The shape of docs/api.md's contract: one entry per item, in order.
                    items: answer.results.map((r, i) => {
                        const externalId = (list[i] as { externalId?: unknown } | null)?.externalId;
                        return {
                            externalId: typeof externalId === 'string' ? externalId : null,
                            id: r.result?.id ?? null,
                            status: r.result ? (r.result.created ? 'created' : 'updated') : 'refused',
                            error: r.error
                        } as const;
                    })
                };
            }
        }),
        route({
            method: 'post',
            path: '/v1/activities/import',
            summary: 'Import an .eml (Content-Type: message/rfc822) or .ics (text/calendar) file (MATCH-1)',
            description:
                'The owner is `?ownerEmail=` when given, else the first address of the file that is a Backstory user (From, then To and Cc; ORGANIZER, then ATTENDEEs). One activity per message or per VEVENT; the same CP-4 gate and the same field caps as POST /v1/activities. A file that cannot be read is a 400 naming the header or property at fault. All or nothing (SEC-6): one bad or refused event and nothing of the file is stored; an externalId (Message-ID, UID) of an activity the caller may not write is a 409 (SEC-5). At most 25 MB, 1,000 events, MIME nesting 20.',
            tags: ['activities'],
            query: importQuery,
            body: z.string(),
            bodyContentType: 'message/rfc822',
            bodyLimit: BODY_LIMITS.activityImport,
            textPieces: true,
            errors: [403, 409, 415],
            response: { status: 202, description: 'Stored and matched', schema: importResultSchema },
            handler: async ({ ctx, req, query }) =>
                importActivityFile(deps, ctx, { contentType: req.get('content-type'), text: req.body }, query)
        }),
        route({
            method: 'get',
            path: '/v1/activities/:id',
            summary:
                'One activity with its stored match (hidden when the owner has Display Data off; UT-12 visibility)',
            tags: ['activities'],
            params: idParams,
            errors: [404],
            response: { status: 200, description: 'The activity', schema: activitySchema },
            handler: async ({ ctx, params }) => getReadableActivity(deps, ctx, params.id)
        }),
        route({
            method: 'get',
            path: '/v1/activities/:id/match',
            summary: 'Why an activity matched (MATCH-5): the picks and every candidate with signals and reasons',
            tags: ['activities'],
            params: idParams,
            errors: [404],
            response: { status: 200, description: 'The stored match', schema: matchResultSchema },
            handler: async ({ ctx, params }) => explainMatch(deps, ctx, params.id)
        }),
        route({
            method: 'post',
            path: '/v1/matching/preview',
            summary:
                'Dry-run matching of a sample activity under a saved or unsaved profile (MATCH-5); nothing is stored',
            tags: ['activities'],
            access: 'admin',
            body: previewBody,
            errors: [404],
            response: { status: 200, description: 'The match it would make', schema: matchResultSchema },
            handler: async ({ ctx, body }) => previewMatch(deps, ctx, body)
        })
    ];
}
