import { conflict, notFound } from '../errors';
import { listApiKeys, revokeApiKey, type ApiKeyRow } from '../store/api-keys';
import { recordAudit } from '../store/audit';
import type { Store } from '../store/db';
import { timingSafeEqual } from 'node:crypto';
import { addApiKey, createOrg, generateApiKey, hashApiKey } from '../store/orgs';
import type { Caller } from './salesforce-connections';

export interface TenantSummary {
    id: string;
    name: string;
    createdAt: string;
    connectionStatus: 'connected' | 'not_connected' | 'error';
}

/** TEN-1: a check of presented keys against the operator key (hashes compared in constant time). */
export function operatorKeyCheck(operatorKey: string | undefined): (key: string) => boolean {
    if (!operatorKey) return () => false;
    const expected = Buffer.from(hashApiKey(operatorKey), 'hex');
    return (key) => timingSafeEqual(Buffer.from(hashApiKey(key), 'hex'), expected);
}

/** TEN-1: the operator creates a tenant; its first admin key is returned once, only its hash is kept. */
export async function createTenant(
    store: Store,
    input: { name: string }
): Promise<{ org: { id: string; name: string }; apiKey: string }> {
    const org = await createOrg(store.db, { name: input.name });
    const apiKey = generateApiKey();
    await addApiKey(store.db, org.id, apiKey, 'First admin key');
    return { org: { id: org.id, name: org.name }, apiKey };
}

/** TEN-1: every tenant with its connection status; no tenant data beyond that. */
export async function listTenants(
    store: Store,
    page: { limit: number; after?: string | undefined }
): Promise<{ items: TenantSummary[]; nextCursor: string | null }> {
    let q = store.db
        .selectFrom('orgs')
        .leftJoin('salesforce_connections as c', 'c.org_id', 'orgs.id')
        .select(['orgs.id as id', 'orgs.name as name', 'orgs.created_at as created_at', 'c.status as status'])
        .orderBy('orgs.id')
        .limit(page.limit + 1);
    if (page.after) q = q.where('orgs.id', '>', page.after);
    const rows = await q.execute();
    const items = rows.slice(0, page.limit).map((r) => ({
        id: r.id,
        name: r.name,
        createdAt: r.created_at.toISOString(),
        connectionStatus: r.status ?? ('not_connected' as const)
    }));
    return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

export interface ApiKeySummary {
    id: string;
    label: string;
    prefix: string | null;
    createdAt: string;
    lastUsedAt: string | null;
    revokedAt: string | null;
}

const toSummary = (k: ApiKeyRow): ApiKeySummary => ({
    id: k.id,
    label: k.label,
    prefix: k.prefix,
    createdAt: k.created_at.toISOString(),
    lastUsedAt: k.last_used_at?.toISOString() ?? null,
    revokedAt: k.revoked_at?.toISOString() ?? null
});

/** TEN-3: the org's keys (prefix, label, created, last used, revoked), never the keys. */
export async function listKeys(store: Store, caller: Caller): Promise<ApiKeySummary[]> {
    return (await listApiKeys(store.db, caller.orgId)).map(toSummary);
}

/** TEN-3: issue a key; the key is in the answer once and never again. */
export async function issueKey(
    store: Store,
    caller: Caller,
    input: { label: string }
): Promise<{ id: string; key: string }> {
    const key = generateApiKey();
    const { id } = await addApiKey(store.db, caller.orgId, key, input.label);
    await recordAudit(store.db, {
        orgId: caller.orgId,
        actor: caller.actor,
        entity: 'org',
        entityId: caller.orgId,
        action: 'update',
        before: null,
        after: { apiKey: { id, label: input.label, issued: true } }
    });
    return { id, key };
}

/** TEN-3: revoke a key; the very next call with it answers 401 (every process reads the store). */
export async function revokeKey(store: Store, caller: Caller, keyId: string): Promise<void> {
    const outcome = await revokeApiKey(store.db, caller.orgId, keyId);
    if (outcome === 'not_found') throw notFound('API key', keyId);
    if (outcome === 'last_active') throw conflict('This is the last active key of the org: issue another one first');
    await recordAudit(store.db, {
        orgId: caller.orgId,
        actor: caller.actor,
        entity: 'org',
        entityId: caller.orgId,
        action: 'update',
        before: { apiKey: { id: keyId, revoked: false } },
        after: { apiKey: { id: keyId, revoked: true } }
    });
}
