import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import type { RequestContext } from '../context';
import { decodeCursor, encodeCursor, idParams, z } from '../schemas/common';
import {
    activityItemSchema,
    activityListQuery,
    activityListSchema,
    answeredSchema,
    answersBody,
    editMatchBody,
    followUpListQuery,
    followUpListSchema,
    followUpSchema,
    recordSearchQuery,
    recordSearchSchema
} from '../schemas/rep';
import { answerFollowUp, getFollowUp, listFollowUps } from '../../services/follow-ups';
import { editMatch, listActivities, searchRecords } from '../../services/rep-activities';
import type { RepCaller } from '../../services/rep-context';
import { notifyWhenMeetingsAreWritten, repWriteBack } from '../../services/rep-write-back';

const cursorSchema = z.object({ startsAt: z.string(), id: z.string() });

function caller(ctx: RequestContext): RepCaller {
    return { orgId: ctx.orgId, actor: ctx.actor, isAdmin: ctx.isAdmin, actingUser: ctx.actingUser };
}

/** Reps in Lightning: activity lists, Edit Match, record search, follow-up questions. */
export function repRoutes(deps: AppDeps): AnyRoute[] {
    const writeBack = repWriteBack(deps);
    notifyWhenMeetingsAreWritten(deps);
    return [
        route({
            method: 'get',
            path: '/v1/activities',
            summary: 'Activities by record, owner and time, newest first (MATCH-11)',
            description:
                "Filtered by the caller's visibility (UT-12) and the owner's Display Data (CP-4). `recordId` lists what touches the record: its WhoId or WhatId, and for an account the activities of its contacts and opportunities. Each item carries `match` (with `override`, MATCH-10) and `sync`.",
            tags: ['activities'],
            query: activityListQuery,
            response: { status: 200, description: 'A page of activities', schema: activityListSchema },
            handler: async ({ ctx, query }) => {
                const page = await listActivities(deps, caller(ctx), {
                    ...query,
                    cursor: decodeCursor(query.cursor, cursorSchema)
                });
                return { items: page.items, nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null };
            }
        }),
        route({
            method: 'put',
            path: '/v1/activities/:id/match',
            summary: "Edit an activity's match (MATCH-10): owner or admin",
            description:
                'Any candidate, or any record of the replica the caller may see. A manual override: kept across re-sends, pulls and rematches, audited (entity `activity`), and written back to the Event or Task. 403 for anyone but the owner or an admin; 404 when the caller may not read the activity.',
            tags: ['activities'],
            params: idParams,
            body: editMatchBody,
            errors: [403, 404],
            response: { status: 200, description: 'The activity with match.override true', schema: activityItemSchema },
            handler: async ({ ctx, params, body }) => editMatch(deps, writeBack, caller(ctx), params.id, body)
        }),
        route({
            method: 'get',
            path: '/v1/crm/records',
            summary: 'Search the CRM replica by name or email, or read one record by id (the Edit Match dialog)',
            description:
                "Contacts, leads, opportunities and accounts the caller may see (UT-12: records owned within the caller's visibility; admins and Full visibility: all). Converted leads are left out.",
            tags: ['crm'],
            query: recordSearchQuery,
            response: { status: 200, description: 'Matching records', schema: recordSearchSchema },
            handler: async ({ ctx, query }) => {
                const types = query.type
                    ? Array.isArray(query.type)
                        ? query.type
                        : [query.type]
                    : (['Contact', 'Lead', 'Opportunity', 'Account'] as const);
                return {
                    items: await searchRecords(deps, caller(ctx), {
                        q: query.q ?? '',
                        id: query.id,
                        types: [...types],
                        limit: query.limit
                    })
                };
            }
        }),
        route({
            method: 'get',
            path: '/v1/follow-ups',
            summary: "The acting user's own follow-ups, newest meeting first (MATCH-8)",
            description:
                "Questions come from the meeting owner's profile (CP-7); labels, types, picklists, lengths and required flags from the field's describe. Needs X-Acting-User. `activityId` or `eventId` (the Event record page) narrow it to one meeting.",
            tags: ['follow-ups'],
            query: followUpListQuery,
            response: { status: 200, description: 'Follow-ups', schema: followUpListSchema },
            handler: async ({ ctx, query }) => {
                const result = await listFollowUps(deps, caller(ctx), query);
                return { items: result.items, nextCursor: null, openCount: result.openCount };
            }
        }),
        route({
            method: 'get',
            path: '/v1/follow-ups/:id',
            summary: 'One of your follow-ups (404 for anyone else)',
            tags: ['follow-ups'],
            params: idParams,
            errors: [404],
            response: { status: 200, description: 'The follow-up', schema: followUpSchema },
            handler: async ({ ctx, params }) => getFollowUp(deps, caller(ctx), params.id)
        }),
        route({
            method: 'post',
            path: '/v1/follow-ups/:id/answers',
            summary: 'Answer a follow-up (MATCH-8): validated against the describe, written to the Event',
            description:
                "A category outside the category field's picklist, an answer the field's describe refuses (not in the picklist, too long, wrong type) or a missing required answer → 400 naming the question, nothing stored. The category and answers go to the meeting's Event (`write_answers`); `sync` says whether they reached it. Only the follow-up's own user may answer (else 404).",
            tags: ['follow-ups'],
            params: idParams,
            body: answersBody,
            errors: [404],
            response: { status: 200, description: 'The follow-up, answered', schema: answeredSchema },
            handler: async ({ ctx, params, body }) => answerFollowUp(deps, writeBack, caller(ctx), params.id, body)
        })
    ];
}
