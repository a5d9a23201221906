import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { crmStatusSchema, pullResultSchema } from '../schemas/matching';
import { PULL_OBJECTS, pullCrm } from '../../salesforce/crm-pull';
import { salesforceError } from '../../salesforce/connection';
import { getPullStates, recordCounts, replicaVersion } from '../../store/crm';

export function crmRoutes(deps: AppDeps): AnyRoute[] {
    const db = deps.store.db;
    return [
        route({
            method: 'post',
            path: '/v1/crm/pull',
            summary: 'Pull the CRM into the replica now (MATCH-2, PERM-5), per object',
            description:
                'Incremental by SystemModstamp (queryAll: deletions leave the replica); a large first pull goes through Bulk API 2.0. An object with an unreadable required field is `blocked` with `missingRequiredFields` and resumes once they are readable.',
            tags: ['crm'],
            access: 'admin',
            errors: [409, 502],
            response: { status: 200, description: 'What each object pull did', schema: pullResultSchema },
            handler: async ({ ctx }) => {
                const conn = await deps.salesforce.connection(ctx.orgId);
                try {
                    return await pullCrm(conn, db, ctx.orgId);
                } catch (error) {
                    throw salesforceError(error, 'The CRM pull failed');
                }
            }
        }),
        route({
            method: 'get',
            path: '/v1/crm/status',
            summary: 'The replica per object: state, missing fields, watermark and record count',
            tags: ['crm'],
            access: 'admin',
            response: { status: 200, description: 'The replica status', schema: crmStatusSchema },
            handler: async ({ ctx }) => {
                const [states, counts, version] = await Promise.all([
                    getPullStates(db, ctx.orgId),
                    recordCounts(db, ctx.orgId),
                    replicaVersion(db, ctx.orgId)
                ]);
                return {
                    objects: PULL_OBJECTS.map((object) => {
                        const s = states.get(object);
                        return {
                            object,
                            state: s?.state ?? 'pending',
                            pulled: s?.lastPulled ?? 0,
                            deleted: s?.lastDeleted ?? 0,
                            missingRequiredFields: s?.missingRequiredFields ?? [],
                            skippedRecommendedFields: s?.skippedRecommendedFields ?? [],
                            mode: (s?.lastMode ?? null) as 'bulk' | 'full' | 'incremental' | null,
                            error: s?.lastError ?? null,
                            watermark: s?.watermark ?? null,
                            records: counts.get(object) ?? 0,
                            lastPullAt: s?.lastPullAt ? new Date(s.lastPullAt).toISOString() : null
                        };
                    }),
                    replicaVersion: version
                };
            }
        })
    ];
}
