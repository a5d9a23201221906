import { BODY_LIMITS } from '../../domain/limits';
import { z } from 'zod';
import { route, reply, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { invalid } from '../errors';
import { idParams, listOf } from '../schemas/common';
import {
    createUserBody,
    importBody,
    importQuery,
    importResultSchema,
    profileAssignmentBody,
    updateUserBody,
    userListQuery,
    userSchema,
    userStatsQuery,
    userStatsSchema
} from '../schemas/users';
import {
    assignProfile,
    createUser,
    deleteUserById,
    getVisibleUser,
    listVisibleUsers,
    reactivateUser,
    suspendUser,
    updateUserById,
    userStats
} from '../../services/users';
import { exportUsersCsv, importUsersCsv } from '../../services/users-csv';

export function userRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'get',
            path: '/v1/users',
            summary:
                'Users by last name, filtered; members and managers see only the users their visibility allows (UT-12)',
            tags: ['users'],
            query: userListQuery,
            response: { status: 200, description: 'One page of users', schema: listOf(userSchema) },
            handler: async ({ ctx, query }) => listVisibleUsers(deps, ctx, query)
        }),
        route({
            method: 'get',
            path: '/v1/users/stats',
            summary:
                'Live counts by status (UT-13) over exactly the users GET /v1/users returns with the same teamId, profileId and q',
            tags: ['users'],
            query: userStatsQuery,
            response: { status: 200, description: 'Counts', schema: userStatsSchema },
            handler: async ({ ctx, query }) => userStats(deps, ctx, query)
        }),
        route({
            method: 'get',
            path: '/v1/users/export',
            summary: 'Every user as CSV, in the import format (UT-6); formula-like cells are neutralised',
            tags: ['users'],
            access: 'admin',
            response: { status: 200, description: 'text/csv', schema: z.string(), contentType: 'text/csv' },
            handler: async ({ ctx }) =>
                reply({
                    headers: {
                        'content-type': 'text/csv; charset=utf-8',
                        'content-disposition': 'attachment; filename="backstory-users.csv"'
                    },
                    raw: await exportUsersCsv(deps, ctx)
                })
        }),
        route({
            method: 'post',
            path: '/v1/users/import',
            summary:
                'Import users from CSV (UT-6): new emails are created, known ones updated; every bad row reported; all or nothing unless mode=apply_valid',
            description:
                'Body text/csv with a header row: First Name, Last Name, Email, Role, Licenses (`;` separated), Object Visibility, Team, Configuration Profile, Job Title, in any order. With all_or_nothing (the default) a file with any bad row changes nothing and answers 400 with the report and the error envelope.',
            tags: ['users'],
            access: 'admin',
            query: importQuery,
            body: importBody,
            bodyContentType: 'text/csv',
            bodyLimit: BODY_LIMITS.usersCsv,
            errors: [409],
            response: { status: 200, description: 'What was imported', schema: importResultSchema },
            handler: async ({ ctx, query, body }) => {
                const csv = typeof body === 'string' ? body : body?.csv;
                if (typeof csv !== 'string')
                    throw invalid(
                        'body',
                        'send the CSV as the request body with Content-Type: text/csv, or JSON {csv}'
                    );
                const result = await importUsersCsv(deps, ctx, csv, query.mode);
                if (query.mode === 'all_or_nothing' && result.errors.length > 0) {
                    const details = result.errors
                        .slice(0, 1000)
                        .map((e) => ({ path: `line ${e.line}${e.column ? ` ${e.column}` : ''}`, message: e.message }));
                    return reply({
                        status: 400,
                        body: {
                            ...result,
                            error: {
                                code: 'validation_failed',
                                message: `${result.errors.length} error${result.errors.length === 1 ? '' : 's'} in the file: nothing was imported`,
                                details
                            }
                        }
                    });
                }
                return result;
            }
        }),
        route({
            method: 'post',
            path: '/v1/users/profile-assignments',
            summary: 'Assign one profile to many users at once (CP-8)',
            tags: ['users'],
            access: 'admin',
            body: profileAssignmentBody,
            response: {
                status: 200,
                description: 'How many users changed profile',
                schema: z.object({ updated: z.number().int() })
            },
            handler: async ({ ctx, body }) => assignProfile(deps, ctx, body)
        }),
        route({
            method: 'post',
            path: '/v1/users',
            summary:
                'Add one user (UT-7): unique email; no profile → "Default - Intake Off"; in automatic mode the user sits in Unassigned (UT-15)',
            tags: ['users'],
            access: 'admin',
            body: createUserBody,
            errors: [409],
            response: { status: 201, description: 'The new user', schema: userSchema },
            handler: async ({ ctx, body }) => createUser(deps, ctx, body)
        }),
        route({
            method: 'get',
            path: '/v1/users/:id',
            summary: "One user (404 when the caller's visibility does not reach them)",
            tags: ['users'],
            params: idParams,
            errors: [404],
            response: { status: 200, description: 'The user', schema: userSchema },
            handler: async ({ ctx, params }) => getVisibleUser(deps, ctx, params.id)
        }),
        route({
            method: 'patch',
            path: '/v1/users/:id',
            summary:
                'Edit a user (UT-8): in automatic mode first name, last name, job title and team come from Salesforce and are read-only',
            tags: ['users'],
            access: 'admin',
            params: idParams,
            body: updateUserBody,
            errors: [404, 409],
            response: { status: 200, description: 'The updated user', schema: userSchema },
            handler: async ({ ctx, params, body }) => updateUserById(deps, ctx, params.id, body)
        }),
        route({
            method: 'delete',
            path: '/v1/users/:id',
            summary: 'Delete a user and, for good, their past activity data (UT-9); suspension keeps the data',
            tags: ['users'],
            access: 'admin',
            params: idParams,
            errors: [404, 409],
            response: { status: 204, description: 'Deleted' },
            handler: async ({ ctx, params }) => deleteUserById(deps, ctx, params.id)
        }),
        route({
            method: 'post',
            path: '/v1/users/:id/suspend',
            summary: 'Suspend (UT-9): access revoked at once, past data hidden, data kept, processing stops',
            tags: ['users'],
            access: 'admin',
            params: idParams,
            errors: [404],
            response: { status: 200, description: 'The suspended user', schema: userSchema },
            handler: async ({ ctx, params }) => suspendUser(deps, ctx, params.id)
        }),
        route({
            method: 'post',
            path: '/v1/users/:id/reactivate',
            summary: 'Reactivate a suspended user: the status before suspension comes back (UT-9)',
            tags: ['users'],
            access: 'admin',
            params: idParams,
            errors: [404, 409],
            response: { status: 200, description: 'The reactivated user', schema: userSchema },
            handler: async ({ ctx, params }) => reactivateUser(deps, ctx, params.id)
        })
    ];
}
