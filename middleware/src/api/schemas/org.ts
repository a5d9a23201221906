import { z } from 'zod';
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
