import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { idParams, listOf, pageQuery } from '../schemas/common';
import { createProfileBody, profileSchema, updateProfileBody } from '../schemas/profiles';
import {
    createProfile,
    deleteProfileById,
    getProfileById,
    listProfilesPage,
    updateProfileById
} from '../../services/profiles';

export function profileRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'get',
            path: '/v1/profiles',
            summary: 'Configuration profiles with their user counts (CP-1, CP-2: admins only)',
            tags: ['profiles'],
            access: 'admin',
            query: pageQuery,
            response: {
                status: 200,
                description: 'Profiles, the default first, then by name',
                schema: listOf(profileSchema)
            },
            handler: async ({ ctx, query }) => listProfilesPage(deps, ctx, query)
        }),
        route({
            method: 'post',
            path: '/v1/profiles',
            summary:
                'Create a profile (CP-3: unique name, case-insensitive; optionally copy every setting from another profile)',
            tags: ['profiles'],
            access: 'admin',
            body: createProfileBody,
            errors: [404, 409, 502],
            response: { status: 201, description: 'The new profile', schema: profileSchema },
            handler: async ({ ctx, body }) => createProfile(deps, ctx, body)
        }),
        route({
            method: 'get',
            path: '/v1/profiles/:id',
            summary: 'One profile with every setting (CP-8: the preview shown where its name appears)',
            tags: ['profiles'],
            access: 'admin',
            params: idParams,
            errors: [404],
            response: { status: 200, description: 'The profile', schema: profileSchema },
            handler: async ({ ctx, params }) => getProfileById(deps, ctx, params.id)
        }),
        route({
            method: 'patch',
            path: '/v1/profiles/:id',
            summary: 'Update a profile: a section given replaces that section',
            tags: ['profiles'],
            access: 'admin',
            params: idParams,
            body: updateProfileBody,
            errors: [404, 409, 502],
            response: { status: 200, description: 'The updated profile', schema: profileSchema },
            handler: async ({ ctx, params, body }) => updateProfileById(deps, ctx, params.id, body)
        }),
        route({
            method: 'delete',
            path: '/v1/profiles/:id',
            summary: 'Delete a profile (CP-10: refused while users remain; CP-9: never the default)',
            tags: ['profiles'],
            access: 'admin',
            params: idParams,
            errors: [404, 409],
            response: { status: 204, description: 'Deleted' },
            handler: async ({ ctx, params }) => deleteProfileById(deps, ctx, params.id)
        })
    ];
}
