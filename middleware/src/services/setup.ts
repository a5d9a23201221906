import { buildPermissionReport } from '../domain/permission-report';
import { readPermissionFacts } from '../salesforce/permission-check';
import { salesforceError } from '../salesforce/connection';
import type { Caller } from './caller';
import type { ServiceDeps } from './deps';

/** Setup: the permission check the wizard walks through. */

/** The integration user's permissions against the manifest (PERM-1..PERM-6). */
export async function checkPermissions(deps: ServiceDeps, caller: Caller) {
    const conn = await deps.salesforce.connection(caller.orgId);
    try {
        return buildPermissionReport(await readPermissionFacts(conn));
    } catch (error) {
        throw salesforceError(error, "Reading the integration user's permissions failed");
    }
}
