import { z } from 'zod';
import { route, type AnyRoute } from '../route';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { salesforceError } from '../../salesforce/connection';
import { listPickerFields } from '../../services/field-picker';

const pickerField = z
    .object({
        path: z.string().describe('the reference profiles take: `Type`, or `Account.Type` for a parent field'),
        label: z.string(),
        type: z.string().describe("the describe's field type: string, picklist, date, reference, …"),
        filterable: z.boolean(),
        sortable: z.boolean(),
        updateable: z.boolean().describe('writable by the integration user (never for a parent field)'),
        picklistValues: z.array(z.object({ value: z.string(), label: z.string() }))
    })
    .openapi('PickerField');

const pickerFields = z
    .object({ object: z.string(), label: z.string(), fields: z.array(pickerField) })
    .openapi('PickerFields');

export function salesforceFieldRoutes(deps: AppDeps): AnyRoute[] {
    return [
        route({
            method: 'get',
            path: '/v1/salesforce/fields',
            summary:
                "An object's fields and its parents' (one relationship away, e.g. Account.Type on Opportunity), as the integration user sees them: the profile editor's field pickers (CP-5..CP-7)",
            tags: ['profiles'],
            access: 'admin',
            query: z.object({
                object: z
                    .string()
                    .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'must be a Salesforce object API name')
                    .describe('Opportunity, Account, Lead, Event, …')
            }),
            errors: [404, 409, 502],
            response: { status: 200, description: 'The fields, own fields first', schema: pickerFields },
            handler: async ({ ctx, query }) => {
                let result;
                try {
                    result = await listPickerFields(() => deps.salesforce.connection(ctx.orgId), query.object);
                } catch (error) {
                    throw salesforceError(error, `Describing ${query.object} failed`);
                }
                if (!result) throw notFound('Salesforce object', query.object);
                return result;
            }
        })
    ];
}
