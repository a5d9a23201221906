import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { conflict, notFound } from '../errors';
import { decodeCursor, encodeCursor, idParams } from '../schemas/common';
import {
    flushResultSchema,
    itemCursor,
    writebackItemList,
    writebackItemsQuery,
    writebackSettingsBody,
    writebackSettingsSchema,
    writebackStatusSchema
} from '../schemas/writeback';
import { salesforceError } from '../../salesforce/connection';
import {
    listWritebackItems,
    retryItem,
    updateWritebackSettings,
    writebackSettings,
    writebackStatus,
    type WritebackDeps,
    type WritebackItem
} from '../../services/writeback';
import { flushWriteback } from '../../services/writeback-flush';
import { z } from 'zod';

const iso = (d: Date | string | null): string | null => (d ? new Date(d).toISOString() : null);

function toApi(i: WritebackItem) {
    return {
        id: i.id,
        activityId: i.activity_id,
        operation: i.operation,
        sobject: i.sobject,
        recordId: i.record_id,
        state: i.state,
        reason: i.reason,
        attempts: i.attempts,
        nextAttemptAt: i.state === 'pending' ? iso(i.next_attempt_at) : null,
        lastError: i.last_error,
        updatedAt: new Date(i.updated_at).toISOString()
    };
}

/** Write-back (MATCH-6, 7, 12, 13; PERM-7): status, items, retry, flush, settings. Admins only. */
export function writebackRoutes(deps: AppDeps): AnyRoute[] {
    const wb: WritebackDeps = deps;
    const caller = (ctx: { orgId: string; actor: string }) => ({ orgId: ctx.orgId, actor: ctx.actor });
    return [
        route({
            method: 'get',
            path: '/v1/writeback/status',
            summary: 'The write-back queue: pending, written, parked, last flush and the API budget (MATCH-13)',
            description:
                '`budget.waiting` is true while items or meeting notifications wait because Backstory used its share of the daily API allowance; `deferredNotifications` counts the notifications waiting.',
            tags: ['writeback'],
            access: 'admin',
            response: { status: 200, description: 'Queue and budget', schema: writebackStatusSchema },
            handler: async ({ ctx }) => writebackStatus(wb, caller(ctx))
        }),
        route({
            method: 'get',
            path: '/v1/writeback/items',
            summary: 'Outbox items, newest change first; parked ones carry the reason and the remedy (MATCH-7, PERM-7)',
            tags: ['writeback'],
            access: 'admin',
            query: writebackItemsQuery,
            response: { status: 200, description: 'Items', schema: writebackItemList },
            handler: async ({ ctx, query }) => {
                const after = decodeCursor(query.cursor, itemCursor);
                const page = await listWritebackItems(wb, caller(ctx), {
                    state: query.state,
                    activityId: query.activityId,
                    limit: query.limit,
                    after
                });
                return { items: page.items.map(toApi), nextCursor: page.next ? encodeCursor(page.next) : null };
            }
        }),
        route({
            method: 'post',
            path: '/v1/writeback/items/:id/retry',
            summary: 'Retry a parked item now (after fixing its cause)',
            tags: ['writeback'],
            access: 'admin',
            params: idParams,
            errors: [404, 409],
            response: {
                status: 202,
                description: 'Queued',
                schema: z.object({ id: z.string(), state: z.literal('pending') })
            },
            handler: async ({ ctx, params }) => {
                const r = await retryItem(wb, caller(ctx), params.id);
                if (r === 'not_found') throw notFound('Write-back item', params.id);
                if (r === 'not_parked')
                    throw conflict(`Write-back item ${params.id} is not parked: only parked items are retried`);
                return { id: params.id, state: 'pending' as const };
            }
        }),
        route({
            method: 'post',
            path: '/v1/writeback/flush',
            summary: "Run this org's write-back now and wait for it",
            description:
                'Writes every due item within the API budget; `waiting: true` when the budget stopped it (the rest stays pending).',
            tags: ['writeback'],
            access: 'admin',
            errors: [409, 502],
            response: { status: 200, description: 'What the flush did', schema: flushResultSchema },
            handler: async ({ ctx }) => {
                try {
                    return await flushWriteback(wb, caller(ctx));
                } catch (error) {
                    throw salesforceError(error, 'The write-back flush failed');
                }
            }
        }),
        route({
            method: 'put',
            path: '/v1/writeback/settings',
            summary: 'Set the share of the daily API allowance Backstory may use (MATCH-13; default 0.5)',
            tags: ['writeback'],
            access: 'admin',
            body: writebackSettingsBody,
            response: { status: 200, description: 'The settings', schema: writebackSettingsSchema },
            handler: async ({ ctx, body }) => updateWritebackSettings(wb, caller(ctx), body)
        }),
        route({
            method: 'get',
            path: '/v1/writeback/settings',
            summary: 'The write-back settings',
            tags: ['writeback'],
            access: 'admin',
            response: { status: 200, description: 'The settings', schema: writebackSettingsSchema },
            handler: async ({ ctx }) => writebackSettings(wb, caller(ctx))
        })
    ];
}
