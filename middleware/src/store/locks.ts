import { sql } from 'kysely';
import type { Store } from './db';

/**
 * SCALE-1: one run at a time per (kind, org) across every process on the database. The queued
 * jobs are already one per org (pg-boss `stately` queues keyed by org); this lock also covers
 * the on-demand runs (POST /v1/crm/pull, POST /v1/org/sync) that do not go through the queue.
 *
 * On PostgreSQL it is a session advisory lock on a connection held for the run: a process that
 * dies mid-run drops its connection and PostgreSQL releases the lock at once (nothing to clean
 * up, nothing stuck). On PGlite (one process owns the database) an in-process lock does the same.
 */

export type LockKind = 'crm-pull' | 'user-sync';

/** Thrown by `withOrgLock` when another run of the same kind and org holds the lock. */
export class LockBusyError extends Error {
    constructor(
        readonly kind: LockKind,
        readonly orgId: string
    ) {
        super(`a ${kind} of org ${orgId} is already running`);
        this.name = 'LockBusyError';
    }
}

const held = new WeakMap<Store, Set<string>>();

/** Run `fn` holding the (kind, org) lock; throws LockBusyError at once when it is taken. */
export async function withOrgLock<T>(store: Store, kind: LockKind, orgId: string, fn: () => Promise<T>): Promise<T> {
    if (store.kind !== 'postgres') {
        let mine = held.get(store);
        if (!mine) held.set(store, (mine = new Set()));
        const key = `${kind}\u0000${orgId}`;
        if (mine.has(key)) throw new LockBusyError(kind, orgId);
        mine.add(key);
        try {
            return await fn();
        } finally {
            mine.delete(key);
        }
    }
    // Two 32-bit keys: the kind within this store's schema, and the org.
    const space = `backstory:${store.schema}:${kind}`;
    return store.db.connection().execute(async (conn) => {
        const got = await sql<{
            ok: boolean;
        }>`select pg_try_advisory_lock(hashtext(${space}), hashtext(${orgId})) as ok`.execute(conn);
        if (!got.rows[0]?.ok) throw new LockBusyError(kind, orgId);
        try {
            return await fn();
        } finally {
            await sql`select pg_advisory_unlock(hashtext(${space}), hashtext(${orgId}))`.execute(conn);
        }
    });
}
