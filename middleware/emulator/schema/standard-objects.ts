import { activityObjects } from './standard-objects-activities';
import { permissionObjects } from './standard-objects-permissions';
import { salesObjects } from './standard-objects-sales';
import { setupObjects } from './standard-objects-setup';
import type { ObjectSchema } from './types';

/**
 * The standard objects the product touches, with their real API names, types, lengths,
 * relationships and picklist values (Salesforce Object Reference, API 62.0). Multi-currency-only
 * objects and fields are flagged `multiCurrencyOnly`; `loadOrgSchema` drops them unless asked.
 * Each call returns fresh objects, so callers may extend them.
 */
export function standardObjects(): ObjectSchema[] {
    return [...salesObjects(), ...activityObjects(), ...setupObjects(), ...permissionObjects()];
}

export {
    SYSTEM_PERMISSION_LABELS,
    SYSTEM_PERMISSIONS,
    OBJECT_RIGHTS,
    type SystemPermissionName
} from './standard-objects-permissions';
export {
    ACCOUNT_TYPES,
    CONTACT_ROLES,
    FORECAST_CATEGORIES,
    INDUSTRIES,
    LEAD_SOURCES,
    LEAD_STATUSES,
    OPPORTUNITY_STAGES,
    OPPORTUNITY_TYPES,
    TEAM_ROLES
} from './standard-objects-sales';
export { ACTIVITY_TYPES, TASK_PRIORITIES, TASK_STATUSES, TASK_SUBTYPES } from './standard-objects-activities';
export { ORG_WIDE_DEFAULTS, TIME_ZONES } from './standard-objects-setup';
export { CURRENCY_CODES } from './standard-objects-builders';
