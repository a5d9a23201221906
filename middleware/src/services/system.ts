import { ApiError } from '../errors';
import type { ServiceDeps } from './deps';

/**
 * Readiness: the store answers (GET /healthz). SEC-6: on PGlite it does not wait behind a
 * running import, which holds the one embedded connection (`Store.ping`).
 */
export async function checkReady(deps: Pick<ServiceDeps, 'store'>): Promise<{ status: 'ok' }> {
    await deps.store.ping();
    return { status: 'ok' };
}

/**
 * SCALE-1 readiness (GET /readyz): the database answers within `timeoutMs`; otherwise 503, so a
 * load balancer sends no traffic to a process that cannot reach PostgreSQL.
 */
export async function readiness(deps: Pick<ServiceDeps, 'store'>, timeoutMs = 2000): Promise<{ status: 'ready' }> {
    let timer: NodeJS.Timeout | undefined;
    try {
        await Promise.race([
            checkReady(deps),
            new Promise((_resolve, reject) => {
                timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
            })
        ]);
        return { status: 'ready' };
    } catch (error) {
        const why = `not reachable: ${error instanceof Error ? error.message : String(error)}`;
        throw new ApiError('internal', `database: ${why}`, [{ path: 'database', message: why }], 503);
    } finally {
        clearTimeout(timer);
    }
}
