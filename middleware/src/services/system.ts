import type { ServiceDeps } from './deps';

/** Readiness: the store answers a query (GET /healthz). */
export async function checkReady(deps: ServiceDeps): Promise<{ status: 'ok' }> {
    await deps.store.db.selectFrom('orgs').select('id').limit(1).execute();
    return { status: 'ok' };
}
