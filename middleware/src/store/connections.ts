import { sql, type Kysely, type Selectable } from 'kysely';
import type { CreatedAt, Database, NullableTimestamp, Timestamp } from './schema';

export type ConnectionMethod = 'oauth' | 'jwt' | 'password';
export type StoredConnectionStatus = 'connected' | 'error';

/** One org's Salesforce connection (TEN-2). Secrets live only in `secret_ciphertext`, sealed. */
export interface SalesforceConnectionTable {
    org_id: string;
    method: ConnectionMethod;
    status: StoredConnectionStatus;
    login_url: string;
    instance_url: string | null;
    client_id: string;
    salesforce_org_id: string | null;
    salesforce_user_id: string | null;
    username: string | null;
    /** SecretBox-sealed JSON: the refresh token, the private key, or the emulator password. */
    secret_ciphertext: string;
    connected_at: CreatedAt;
    last_error: string | null;
    error_at: NullableTimestamp;
    updated_at: CreatedAt;
}

/** A started OAuth authorization (state hashed; the PKCE verifier sealed), single use, 10 minutes. */
export interface OAuthStateTable {
    state_hash: string;
    org_id: string;
    login_url: string;
    redirect_uri: string;
    return_url: string | null;
    verifier_ciphertext: string;
    actor: string;
    expires_at: Timestamp;
}

export interface TenancyTables {
    salesforce_connections: SalesforceConnectionTable;
    oauth_states: OAuthStateTable;
}

export type ConnectionRow = Selectable<SalesforceConnectionTable>;

export interface NewConnection {
    orgId: string;
    method: ConnectionMethod;
    loginUrl: string;
    instanceUrl: string | null;
    clientId: string;
    salesforceOrgId: string | null;
    salesforceUserId: string | null;
    username: string | null;
    secretCiphertext: string;
}

export async function findConnection(db: Kysely<Database>, orgId: string): Promise<ConnectionRow | undefined> {
    return db.selectFrom('salesforce_connections').selectAll().where('org_id', '=', orgId).executeTakeFirst();
}

/** Store (or replace) an org's connection as `connected`; the org row mirrors its Salesforce ids. */
export async function saveConnection(db: Kysely<Database>, c: NewConnection): Promise<void> {
    const values = {
        method: c.method,
        status: 'connected' as const,
        login_url: c.loginUrl,
        instance_url: c.instanceUrl,
        client_id: c.clientId,
        salesforce_org_id: c.salesforceOrgId,
        salesforce_user_id: c.salesforceUserId,
        username: c.username,
        secret_ciphertext: c.secretCiphertext,
        last_error: null,
        error_at: null
    };
    await db.transaction().execute(async (trx) => {
        await trx
            .insertInto('salesforce_connections')
            .values({ org_id: c.orgId, ...values })
            .onConflict((oc) =>
                oc.column('org_id').doUpdateSet({ ...values, connected_at: sql`now()`, updated_at: sql`now()` })
            )
            .execute();
        await trx
            .updateTable('orgs')
            .set({ salesforce_org_id: c.salesforceOrgId, instance_url: c.instanceUrl, updated_at: sql`now()` })
            .where('id', '=', c.orgId)
            .execute();
    });
}

/** Turn the connection to `error` with the reason (a revoked token, a failed refresh). */
export async function markConnectionError(db: Kysely<Database>, orgId: string, reason: string): Promise<boolean> {
    const result = await db
        .updateTable('salesforce_connections')
        .set({ status: 'error', last_error: reason.slice(0, 1000), error_at: sql`now()`, updated_at: sql`now()` })
        .where('org_id', '=', orgId)
        .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
}

/** Replace the sealed secret (a rotated refresh token, a value resealed under the current key). */
export async function updateConnectionSecret(
    db: Kysely<Database>,
    orgId: string,
    expectedCiphertext: string,
    secretCiphertext: string
): Promise<void> {
    await db
        .updateTable('salesforce_connections')
        .set({ secret_ciphertext: secretCiphertext, updated_at: sql`now()` })
        .where('org_id', '=', orgId)
        .where('secret_ciphertext', '=', expectedCiphertext)
        .execute();
}

export async function deleteConnection(db: Kysely<Database>, orgId: string): Promise<ConnectionRow | undefined> {
    return db.transaction().execute(async (trx) => {
        const row = await trx
            .deleteFrom('salesforce_connections')
            .where('org_id', '=', orgId)
            .returningAll()
            .executeTakeFirst();
        await trx
            .updateTable('orgs')
            .set({ instance_url: null, updated_at: sql`now()` })
            .where('id', '=', orgId)
            .execute();
        return row;
    });
}

export async function insertOAuthState(
    db: Kysely<Database>,
    s: Omit<Selectable<OAuthStateTable>, 'expires_at'> & { ttlSeconds: number }
): Promise<void> {
    await db
        .deleteFrom('oauth_states')
        .where('expires_at', '<', sql<Date>`now()`)
        .execute();
    await db
        .insertInto('oauth_states')
        .values({
            state_hash: s.state_hash,
            org_id: s.org_id,
            login_url: s.login_url,
            redirect_uri: s.redirect_uri,
            return_url: s.return_url,
            verifier_ciphertext: s.verifier_ciphertext,
            actor: s.actor,
            expires_at: sql<Date>`now() + ${s.ttlSeconds} * interval '1 second'`
        })
        .execute();
}

/** Take a state once: it is deleted whether or not it is still valid; expired ones return undefined. */
export async function takeOAuthState(
    db: Kysely<Database>,
    stateHash: string
): Promise<Selectable<OAuthStateTable> | undefined> {
    const row = await db
        .deleteFrom('oauth_states')
        .where('state_hash', '=', stateHash)
        .returningAll()
        .returning(sql<boolean>`expires_at > now()`.as('valid'))
        .executeTakeFirst();
    if (!row?.valid) return undefined;
    const { valid, ...state } = row;
    void valid;
    return state;
}
