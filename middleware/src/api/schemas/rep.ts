import { z, isoDate, listOf } from './common';
import { matchResultSchema, participantSchema } from './matching';

// Reps in Lightning: activity lists (MATCH-11), Edit Match (MATCH-10), the replica record search
// and follow-up questions (MATCH-8).

export const syncSchema = z
    .object({
        state: z.enum(['not_synced', 'pending', 'written', 'parked', 'skipped']),
        salesforceId: z.string().nullable(),
        reason: z.string().nullable()
    })
    .openapi('ActivitySync', { description: 'Where the activity stands in Salesforce; `skipped` names the toggle' });

const recordRef = z.object({ recordId: z.string(), type: z.string(), name: z.string().nullable() }).nullable();

export const activityItemSchema = z
    .object({
        id: z.string(),
        externalId: z.string(),
        type: z.enum(['email', 'meeting']),
        ownerUserId: z.string(),
        ownerEmail: z.string(),
        ownerName: z.string(),
        subject: z.string(),
        startsAt: z.string(),
        endsAt: z.string().nullable(),
        participants: z.array(participantSchema),
        who: recordRef,
        what: recordRef,
        match: matchResultSchema
            .extend({ override: z.boolean().openapi({ description: 'MATCH-10: set by Edit Match' }) })
            .nullable(),
        sync: syncSchema,
        canEditMatch: z.boolean().openapi({ description: "The caller is the activity's owner or an admin" }),
        updatedAt: z.string()
    })
    .openapi('ActivityListItem');

export const activityListSchema = listOf(activityItemSchema).openapi('ActivityList');

const salesforceId = z
    .string()
    .regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'must be a 15- or 18-character Salesforce id');

export const activityListQuery = z
    .object({
        recordId: salesforceId.optional(),
        ownerId: z.string().max(100).optional(),
        type: z.enum(['email', 'meeting']).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        cursor: z.string().max(500).optional()
    })
    .strict();

export const editMatchBody = z
    .object({ whoId: salesforceId.nullable().optional(), whatId: salesforceId.nullable().optional() })
    .strict()
    .openapi('EditMatchInput', { description: 'MATCH-10: omit a side to keep it, null to clear it' });

export const recordSearchQuery = z
    .object({
        q: z.string().trim().min(2, 'needs at least 2 characters').max(100).optional(),
        id: salesforceId.optional(),
        type: z
            .union([
                z.enum(['Contact', 'Lead', 'Opportunity', 'Account']),
                z.array(z.enum(['Contact', 'Lead', 'Opportunity', 'Account'])).max(4)
            ])
            .optional(),
        limit: z.coerce.number().int().min(1).max(50).default(20)
    })
    .strict()
    .superRefine((v, ctx) => {
        if (v.q === undefined && v.id === undefined)
            ctx.addIssue({ code: 'custom', path: ['q'], message: 'give q (at least 2 characters) or id' });
    });

export const recordSearchSchema = z
    .object({
        items: z.array(
            z.object({ recordId: z.string(), type: z.string(), name: z.string(), detail: z.string().nullable() })
        )
    })
    .openapi('RecordSearchResult');

export const questionSchema = z
    .object({
        id: z.string(),
        category: z.string(),
        text: z.string(),
        field: z.string(),
        label: z.string(),
        type: z.string().openapi({
            description:
                "The field's describe type: string, textarea, picklist, multipicklist, boolean, date, double, currency…"
        }),
        required: z.boolean(),
        picklistValues: z.array(z.string()).nullable(),
        maxLength: z.number().int().nullable()
    })
    .openapi('FollowUpQuestion');

export const followUpSchema = z
    .object({
        id: z.string(),
        activityId: z.string(),
        status: z.enum(['open', 'answered']),
        meeting: z.object({
            subject: z.string(),
            startsAt: z.string(),
            endsAt: z.string().nullable(),
            whatId: z.string().nullable(),
            whatName: z.string().nullable(),
            eventId: z.string().nullable()
        }),
        categoryField: z.string().nullable(),
        categories: z.array(z.string()),
        category: z.string().nullable(),
        questions: z.array(questionSchema),
        answers: z.array(z.object({ questionId: z.string(), value: z.unknown() })),
        createdAt: z.string(),
        answeredAt: z.string().nullable()
    })
    .openapi('FollowUp');

export const followUpListSchema = z
    .object({
        items: z.array(followUpSchema),
        nextCursor: z.string().nullable(),
        openCount: z.number().int().openapi({ description: "The caller's open follow-ups (the tab's count)" })
    })
    .openapi('FollowUpList');

export const followUpListQuery = z
    .object({
        status: z.enum(['open', 'answered']).optional(),
        activityId: z.string().max(100).optional(),
        eventId: salesforceId.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100)
    })
    .strict();

const answerValue = z.union([
    z.string().max(131_072),
    z.number(),
    z.boolean(),
    z.array(z.string().max(255)).max(100),
    z.null()
]);

export const answersBody = z
    .object({
        category: z.string().trim().min(1, 'is required').max(255),
        answers: z
            .array(z.object({ questionId: z.string().min(1).max(100), value: answerValue.optional() }).strict())
            .max(50)
    })
    .strict()
    .openapi('FollowUpAnswers');

export const answeredSchema = followUpSchema.extend({ sync: syncSchema }).openapi('FollowUpAnswered');
