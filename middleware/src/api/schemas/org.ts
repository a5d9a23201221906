import { z } from 'zod';
import type { Org } from '../../store/orgs';
import './common';

export const orgSchema = z
    .object({
        id: z.string(),
        salesforceOrgId: z.string().nullable(),
        mode: z.enum(['manual', 'automatic']).describe('UT-1: always shown'),
        hierarchySource: z.enum(['role', 'manager']),
        syncIntervalMinutes: z.number().int(),
        lastSyncAt: z.string().nullable()
    })
    .openapi('Org');

export type OrgDto = z.infer<typeof orgSchema>;

export function toOrgDto(org: Org): OrgDto {
    return {
        id: org.id,
        salesforceOrgId: org.salesforce_org_id,
        mode: org.mode,
        hierarchySource: org.hierarchy_source,
        syncIntervalMinutes: org.sync_interval_minutes,
        lastSyncAt: org.last_sync_at ? org.last_sync_at.toISOString() : null
    };
}
