import { errorEnvelopeSchema, z, isoDate } from './common';
import { activitySettings, matchingSettings, notificationSettings } from '../../domain/profile';
import { ACTIVITY_LIMITS, BATCH_LIMITS } from '../../domain/limits';
import { syncSchema } from './writeback';

export const participantSchema = z
    .object({
        email: z.email('must be an email address').max(ACTIVITY_LIMITS.email),
        name: z.string().trim().max(ACTIVITY_LIMITS.participantName).optional(),
        role: z.enum(['from', 'to', 'cc', 'organizer', 'attendee']).optional()
    })
    .strict()
    .openapi('Participant');

const activityFields = {
    type: z.enum(['email', 'meeting']),
    ownerEmail: z.email('must be an email address').max(ACTIVITY_LIMITS.email),
    subject: z.string().max(ACTIVITY_LIMITS.subject),
    body: z.string().max(ACTIVITY_LIMITS.body).optional(),
    startsAt: isoDate,
    endsAt: isoDate.optional(),
    participants: z.array(participantSchema).min(1, 'needs at least one participant').max(ACTIVITY_LIMITS.participants),
    /** WebVTT (starts with `WEBVTT`) or plain text. */
    transcript: z.string().max(ACTIVITY_LIMITS.transcript).optional()
};

const endsAfterStart = (a: { startsAt: string; endsAt?: string | undefined }, ctx: z.RefinementCtx) => {
    if (a.endsAt && Date.parse(a.endsAt) < Date.parse(a.startsAt))
        ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must not be before startsAt' });
};

export const activityBody = z
    .object({ externalId: z.string().trim().min(1, 'is required').max(ACTIVITY_LIMITS.externalId), ...activityFields })
    .strict()
    .superRefine(endsAfterStart)
    .openapi('ActivityInput', {
        description: 'MATCH-1: an email or meeting; re-sending the same externalId updates it'
    });

export const intakeResultSchema = z
    .object({
        id: z.string(),
        externalId: z.string(),
        status: z.enum(['matched', 'unmatched']),
        created: z.boolean().openapi({ description: 'false when an activity with this externalId was updated' }),
        transcript: z
            .enum(['stored', 'dropped', 'none'])
            .openapi({ description: "dropped: the owner's profile has Transcript Intake off (CP-4)" })
    })
    .openapi('IntakeResult');

/** SCALE-3: each item is checked on its own (an ActivityInput), so one bad item fails alone. */
const batchItems = z
    .array(z.unknown().openapi({ description: 'an ActivityInput (POST /v1/activities)' }))
    .min(1, 'must hold at least one activity')
    .max(BATCH_LIMITS.activities, `must hold at most ${BATCH_LIMITS.activities} activities`);

export const activityBatchBody = z
    .object({
        items: batchItems.optional().openapi({ description: 'the activities (`activities` is accepted instead)' }),
        activities: batchItems.optional().openapi({ description: 'the activities, as `items` (earlier name)' })
    })
    .strict()
    .superRefine((body, ctx) => {
        if (body.items !== undefined && body.activities !== undefined)
            ctx.addIssue({
                code: 'custom',
                path: ['activities'],
                message: 'send the activities as items or as activities, not both'
            });
        else if (body.items === undefined && body.activities === undefined)
            ctx.addIssue({
                code: 'custom',
                path: ['items'],
                message: 'Invalid input: expected array, received undefined'
            });
    })
    .openapi('ActivityBatchInput');

export const batchResultSchema = z
    .object({
        stored: z.number().int().openapi({ description: 'items stored and matched' }),
        failed: z.number().int().openapi({ description: 'items refused: nothing of them was stored' }),
        results: z.array(
            z.object({
                index: z.number().int().openapi({ description: 'the position of the item in `items`' }),
                status: z
                    .number()
                    .int()
                    .openapi({ description: '202 stored, else the status POST /v1/activities answers for it' }),
                result: intakeResultSchema.nullable(),
                error: errorEnvelopeSchema.shape.error
                    .nullable()
                    .openapi({ description: 'the error envelope of that status; details name the field of the item' })
            })
        ),
        items: z.array(
            z.object({
                externalId: z.string().nullable().openapi({ description: 'as sent (null when the item had none)' }),
                id: z.string().nullable().openapi({ description: 'the stored activity; null when refused' }),
                status: z.enum(['created', 'updated', 'refused']),
                error: errorEnvelopeSchema.shape.error
                    .nullable()
                    .openapi({ description: 'why the item was refused (the same as in `results`)' })
            })
        )
    })
    .openapi('ActivityBatchResult');

export const importResultSchema = z.object({ items: z.array(intakeResultSchema) }).openapi('ImportResult');

export const importQuery = z.object({
    ownerEmail: z.email('must be an email address').optional()
});

const pickSchema = z
    .object({ recordId: z.string(), type: z.enum(['Contact', 'Lead', 'Opportunity', 'Account']), score: z.number() })
    .nullable();

export const matchResultSchema = z
    .object({
        who: pickSchema,
        what: pickSchema,
        candidates: z.array(
            z.object({
                recordId: z.string(),
                type: z.enum(['Contact', 'Lead', 'Opportunity', 'Account']),
                name: z.string(),
                score: z.number(),
                signals: z.array(z.object({ name: z.string(), points: z.number(), detail: z.string() })),
                eligible: z.boolean(),
                eligibilityReason: z.string(),
                rank: z.number().nullable(),
                rankingReason: z.string()
            })
        ),
        override: z.boolean().optional().openapi({ description: 'MATCH-10: true when who/what were set by Edit Match' })
    })
    .openapi('MatchResult', {
        description:
            'MATCH-4/MATCH-5: the best WhoId and WhatId and every candidate with its signals, eligibility verdict and ranking reason'
    });
export const activitySchema = z
    .object({
        id: z.string(),
        externalId: z.string(),
        type: z.enum(['email', 'meeting']),
        source: z.enum(['api', 'eml', 'ics']),
        ownerUserId: z.string(),
        ownerEmail: z.string(),
        subject: z.string(),
        body: z.string().nullable(),
        startsAt: z.string(),
        endsAt: z.string().nullable(),
        participants: z.array(participantSchema),
        transcript: z.string().nullable(),
        match: matchResultSchema.nullable(),
        matchedAt: z.string().nullable(),
        createdAt: z.string(),
        updatedAt: z.string(),
        /** The write-back state of the activity's Event/Task (MATCH-6). */
        sync: syncSchema
    })
    .openapi('Activity');

export const previewBody = z
    .object({
        activity: z
            .object({ externalId: z.string().max(ACTIVITY_LIMITS.externalId).optional(), ...activityFields })
            .strict()
            .superRefine(endsAfterStart),
        profileId: z.string().max(100).optional(),
        profile: z
            .object({
                activity: activitySettings.optional(),
                matching: matchingSettings.optional(),
                notifications: notificationSettings.optional()
            })
            .strict()
            .optional()
    })
    .strict()
    .openapi('MatchingPreviewInput', {
        description:
            "profile: unsaved sections, applied over profileId's (or the owner's) saved profile; nothing is stored"
    });

const objectResult = {
    object: z.string(),
    state: z.enum(['pending', 'ok', 'blocked', 'error']),
    pulled: z.number().int(),
    deleted: z.number().int(),
    missingRequiredFields: z.array(z.string()),
    skippedRecommendedFields: z.array(z.string()),
    mode: z.enum(['bulk', 'full', 'incremental']).nullable(),
    error: z.string().nullable()
};

export const pullResultSchema = z
    .object({
        objects: z.array(z.object(objectResult)),
        apiCalls: z.number().int().nullable().openapi({ description: 'Salesforce API calls the pull used' })
    })
    .openapi('CrmPullResult');

export const crmStatusSchema = z
    .object({
        objects: z.array(
            z.object({
                ...objectResult,
                watermark: z.string().nullable(),
                records: z.number().int(),
                lastPullAt: z.string().nullable()
            })
        ),
        replicaVersion: z.number().int()
    })
    .openapi('CrmStatus');
