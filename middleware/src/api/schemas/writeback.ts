import { isoDate, listOf, pageQuery, z } from './common';

export const syncSchema = z
    .object({
        state: z.enum(['not_synced', 'pending', 'written', 'parked', 'skipped']),
        salesforceId: z.string().nullable(),
        reason: z.string().nullable()
    })
    .openapi('ActivitySync');

export const budgetSchema = z.object({
    dailyLimit: z.number().int().nullable(),
    remaining: z.number().int().nullable(),
    share: z.number(),
    usedByBackstoryToday: z.number().int(),
    waiting: z.boolean()
});

export const writebackStatusSchema = z
    .object({
        pending: z.number().int(),
        written: z.number().int(),
        parked: z.number().int(),
        skipped: z.number().int(),
        deferredNotifications: z
            .number()
            .int()
            .describe(
                'Meeting notifications (MATCH-8) waiting for the API budget: they count against it like the write-back and are sent once it allows'
            ),
        lastFlushAt: z.string().nullable(),
        budget: budgetSchema
    })
    .openapi('WritebackStatus');

/** What an outbox item writes (MATCH-6, MATCH-8). */
export const writebackOperationSchema = z.enum([
    'upsert_event',
    'upsert_task',
    'create_contact',
    'create_contact_role',
    'update_aggregates',
    'write_answers'
]);

export const writebackItemSchema = z
    .object({
        id: z.string(),
        activityId: z.string().nullable(),
        operation: writebackOperationSchema,
        sobject: z.string(),
        recordId: z.string().nullable(),
        state: z.enum(['pending', 'written', 'parked', 'skipped']),
        reason: z.string().nullable(),
        attempts: z.number().int(),
        nextAttemptAt: z.string().nullable(),
        lastError: z.object({ code: z.string(), message: z.string(), remedy: z.string().nullable() }).nullable(),
        updatedAt: z.string()
    })
    .openapi('WritebackItem');

export const writebackItemsQuery = pageQuery.extend({
    state: z.enum(['pending', 'written', 'parked', 'skipped']).optional(),
    activityId: z.string().min(1).max(100).optional()
});

export const writebackItemList = listOf(writebackItemSchema).openapi('WritebackItemList');

export const itemCursor = z.object({ updatedAt: isoDate, id: z.string() });

export const flushResultSchema = z
    .object({
        written: z.number().int(),
        parked: z.number().int(),
        pending: z.number().int(),
        apiCalls: z.number().int(),
        waiting: z.boolean()
    })
    .openapi('WritebackFlushResult');

export const writebackSettingsBody = z
    .object({
        maxDailyApiShare: z.number().min(0.05, 'must be between 0.05 and 1').max(1, 'must be between 0.05 and 1')
    })
    .strict();

export const writebackSettingsSchema = z.object({ maxDailyApiShare: z.number() }).openapi('WritebackSettings');
