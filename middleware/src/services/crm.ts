import { conflict } from '../errors';
import { LockBusyError, withOrgLock } from '../store/locks';
export { LockBusyError } from '../store/locks';
import { PULL_OBJECTS, pullCrm } from '../salesforce/crm-pull';
import { salesforceError } from '../salesforce/connection';
import { getPullStates, orgsDueForCrmPull, recordCounts, replicaVersion } from '../store/crm';
import type { Caller } from './caller';
import type { ServiceDeps } from './deps';

/** CRM replica (MATCH-2, PERM-5): pull and status. */

/** The connected orgs whose replica is due a pull (never pulled, or older than `minutes`). */
export async function orgsDueForCrmPullNow(deps: ServiceDeps, minutes: number): Promise<string[]> {
    const due: string[] = [];
    for (const id of await orgsDueForCrmPull(deps.store.db, minutes))
        if (await deps.salesforce.isConnected(id)) due.push(id); // TEN-2: paused until reconnected
    return due;
}

/** Pull the CRM into the replica now (MATCH-2); the crm-pull job calls this too. */
export async function pullCrmNow(deps: ServiceDeps, caller: Caller) {
    try {
        return await pullCrmLocked(deps, caller.orgId);
    } catch (error) {
        if (error instanceof LockBusyError)
            throw conflict(
                'A CRM pull of this org is already running (scheduled or on demand); try again when it ends'
            );
        throw salesforceError(error, 'The CRM pull failed');
    }
}

/**
 * SCALE-1: one CRM pull per org at a time across processes, whether the job queue or
 * POST /v1/crm/pull started it; throws LockBusyError while another one runs.
 */
export async function pullCrmLocked(deps: Pick<ServiceDeps, 'store' | 'salesforce'>, orgId: string) {
    return withOrgLock(deps.store, 'crm-pull', orgId, async () =>
        pullCrm(await deps.salesforce.connection(orgId), deps.store.db, orgId)
    );
}

/** The replica per object: state, missing fields, watermark, record count. */
export async function crmStatus(deps: ServiceDeps, caller: Caller) {
    const db = deps.store.db;
    const [states, counts, version] = await Promise.all([
        getPullStates(db, caller.orgId),
        recordCounts(db, caller.orgId),
        replicaVersion(db, caller.orgId)
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
