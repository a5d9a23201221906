import { z } from './common';
import { writebackOperationSchema } from './writeback';

const health = z
    .enum(['ok', 'warning', 'error', 'idle'])
    .describe(
        'ok: nothing to do · warning: worth a look · error: something stopped and needs an admin · idle: not in use'
    )
    .openapi('OpsHealth');
const when = z.string().nullable().describe('ISO 8601 UTC; null: never');

const missingField = z
    .object({
        field: z.string().describe('The field API name on the object'),
        required: z
            .boolean()
            .describe('true: the object is not pulled until it is readable (PERM-5); false: recommended, less detail'),
        remedy: z.string().describe('Where in Setup to grant Read Access')
    })
    .openapi('OpsMissingField');

const crmObject = z
    .object({
        object: z.string(),
        state: z
            .enum(['pending', 'ok', 'blocked', 'error'])
            .describe('pending: never pulled · blocked: a required field is unreadable · error: the last pull failed'),
        lastPullAt: when,
        pulled: z.number().int().describe('Records pulled by the last pull'),
        deleted: z.number().int().describe('Records the last pull removed from the replica'),
        records: z.number().int().describe('Records in the replica now'),
        error: z.string().nullable().describe('Why the last pull failed (state error)'),
        missingFields: z.array(missingField)
    })
    .openapi('OpsCrmObject');

const parkedItem = z
    .object({
        id: z.string().describe('Retry it with POST /v1/writeback/items/{id}/retry'),
        activityId: z.string().nullable(),
        operation: writebackOperationSchema,
        sobject: z.string(),
        recordId: z.string().nullable(),
        attempts: z.number().int(),
        code: z.string().nullable().describe("Salesforce's error code, e.g. FIELD_CUSTOM_VALIDATION_EXCEPTION"),
        reason: z.string().nullable().describe("Salesforce's message"),
        remedy: z.string().nullable().describe('What the admin does before Retry'),
        parkedAt: z.string()
    })
    .openapi('OpsParkedItem');

export const opsStatusSchema = z
    .object({
        generatedAt: z.string(),
        connection: z.object({
            health,
            status: z.enum(['connected', 'not_connected', 'error']),
            method: z.enum(['oauth', 'jwt', 'password']).nullable(),
            username: z.string().nullable().describe('The integration user Backstory works as'),
            salesforceOrgId: z.string().nullable(),
            instanceUrl: z.string().nullable(),
            connectedAt: when,
            lastError: z.string().nullable().describe('Why Salesforce refused the connection (status error)')
        }),
        crmPull: z.object({
            health,
            lastPullAt: when.describe('The most recent pull of any object'),
            objects: z.array(crmObject)
        }),
        userSync: z.object({
            health,
            mode: z.enum(['manual', 'automatic']).describe('The sync runs in automatic mode only (UT-2)'),
            intervalMinutes: z.number().int(),
            lastRun: z
                .object({
                    trigger: z.enum(['schedule', 'on_demand', 'enable']),
                    status: z.enum(['running', 'ok', 'error']),
                    startedAt: z.string(),
                    finishedAt: when,
                    usersFetched: z.number().int(),
                    created: z.number().int(),
                    updated: z.number().int(),
                    suspended: z.number().int(),
                    movedToTopLevel: z.number().int(),
                    error: z.string().nullable()
                })
                .nullable()
        }),
        writeback: z.object({
            health,
            pending: z.number().int(),
            written: z.number().int(),
            parked: z.number().int(),
            skipped: z.number().int(),
            waitingForBudget: z
                .boolean()
                .describe('Pending items wait because Backstory used its API share (MATCH-13)'),
            lastFlushAt: when,
            parkedItems: z
                .array(parkedItem)
                .describe(
                    'The 50 most recently parked items; page through all with GET /v1/writeback/items?state=parked'
                )
        }),
        apiBudget: z.object({
            health,
            dailyLimit: z.number().int().nullable().describe("The org's daily API request limit (null: not read yet)"),
            remaining: z.number().int().nullable(),
            usedByOrg: z.number().int().nullable().describe('dailyLimit − remaining: every client of the org'),
            share: z.number().describe('The share of the allowance Backstory may use (PUT /v1/writeback/settings)'),
            allowance: z
                .number()
                .int()
                .nullable()
                .describe("Backstory's calls allowed today: share × (remaining + used)"),
            usedByBackstoryToday: z.number().int(),
            percentUsed: z.number().nullable().describe('usedByBackstoryToday / allowance, 0–100, for a gauge'),
            waiting: z.boolean()
        }),
        notifications: z.object({
            health,
            windowHours: z.number().int().describe('The counts cover this many hours back'),
            sent: z.number().int(),
            failed: z.number().int(),
            skipped: z.number().int().describe('Nobody to notify (CP-7)'),
            sending: z.number().int(),
            lastSentAt: when,
            lastError: z.string().nullable()
        })
    })
    .openapi('OpsStatus');
