import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { idParams, listOf, pageQuery } from '../schemas/common';
import { createTeamBody, teamMembersBody, teamSchema, updateTeamBody } from '../schemas/users';
import { createTeam, deleteTeam, listVisibleTeams, setCustomTeamMembers, updateTeam } from '../../services/teams';

export function teamRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'get',
            path: '/v1/teams',
            summary:
                "Hierarchy teams and custom teams with their member counts (UT-4); filtered by the caller's visibility (SEC-2, UT-12)",
            tags: ['teams'],
            query: pageQuery,
            response: {
                status: 200,
                description: 'Teams: hierarchy first, then custom, by name',
                schema: listOf(teamSchema)
            },
            handler: async ({ ctx, query }) => listVisibleTeams(deps, ctx, query)
        }),
        route({
            method: 'post',
            path: '/v1/teams',
            summary:
                'Create a team (UT-4): a hierarchy team (nested under parentId) or a custom team (several per user)',
            tags: ['teams'],
            access: 'admin',
            body: createTeamBody,
            errors: [409],
            response: { status: 201, description: 'The new team', schema: teamSchema },
            handler: async ({ ctx, body }) => createTeam(deps, ctx, body)
        }),
        route({
            method: 'patch',
            path: '/v1/teams/:id',
            summary: 'Rename, move (no cycles) or set the manager of a team (UT-4)',
            tags: ['teams'],
            access: 'admin',
            params: idParams,
            body: updateTeamBody,
            errors: [404, 409],
            response: { status: 200, description: 'The updated team', schema: teamSchema },
            handler: async ({ ctx, params, body }) => updateTeam(deps, ctx, params.id, body)
        }),
        route({
            method: 'delete',
            path: '/v1/teams/:id',
            summary:
                'Delete a team (UT-4): a custom team at any time; a hierarchy team once it has no users and no sub-teams (409 otherwise)',
            tags: ['teams'],
            access: 'admin',
            params: idParams,
            errors: [404, 409],
            response: { status: 204, description: 'Deleted' },
            handler: async ({ ctx, params }) => deleteTeam(deps, ctx, params.id)
        }),
        route({
            method: 'put',
            path: '/v1/teams/:id/members',
            summary: 'Set the members of a custom team (UT-4: a user may be in several custom teams)',
            tags: ['teams'],
            access: 'admin',
            params: idParams,
            body: teamMembersBody,
            errors: [404],
            response: { status: 200, description: 'The team', schema: teamSchema },
            handler: async ({ ctx, params, body }) => setCustomTeamMembers(deps, ctx, params.id, body)
        })
    ];
}
