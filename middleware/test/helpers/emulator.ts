import { Connection } from '@jsforce/jsforce-node';
import { startEmulator, type EmulatorHandle, type StartEmulatorOptions } from '../../emulator';
import type { SalesforceAuth } from '../../src/salesforce/connection';

export const API_VERSION = '62.0';

export interface TestEmulator {
    emu: EmulatorHandle;
    /** A logged-in jsforce connection (OAuth username-password flow). */
    login(username?: string): Promise<Connection>;
    /** The demo integration user's auth, for `app.newOrg(name, auth)`. */
    integrationAuth: SalesforceAuth;
    close(): Promise<void>;
}

/** Start the emulator in-process on a free port, with the demo org. */
export async function startTestEmulator(options: StartEmulatorOptions = {}): Promise<TestEmulator> {
    const emu = await startEmulator({ port: 0, ...options });
    return {
        emu,
        login: async (username = emu.demo.integrationUser.username) => {
            const conn = new Connection({
                version: API_VERSION,
                loginUrl: emu.url,
                oauth2: { loginUrl: emu.url, clientId: emu.demo.clientId, clientSecret: emu.demo.clientSecret }
            });
            await conn.login(username, 'demo-password');
            return conn;
        },
        integrationAuth: {
            kind: 'password',
            loginUrl: emu.url,
            clientId: emu.demo.clientId,
            clientSecret: emu.demo.clientSecret,
            username: emu.demo.integrationUser.username,
            password: emu.demo.integrationUser.password
        },
        close: () => emu.close()
    };
}

/** The Salesforce error a jsforce call rejected with (fails the test when it resolved). */
export async function sfError(
    promise: PromiseLike<unknown>
): Promise<{ errorCode: string; message: string; data?: unknown }> {
    try {
        await promise;
    } catch (error) {
        return error as { errorCode: string; message: string };
    }
    throw new Error('expected the Salesforce call to fail, it succeeded');
}

/**
 * The authorization-code flow as a browser would run it against the emulator: open jsforce's
 * authorization URL, post the login form (`username`, `pw`), and return the `code` and `state`
 * the emulator redirected to `redirect_uri` with.
 */
export async function authorizeInBrowser(
    authorizationUrl: string,
    username = 'integration@demo.backstory.local',
    password = 'demo-password'
): Promise<{ code: string; state: string | null; location: string }> {
    const { fetch } = await import('undici');
    const page = await fetch(authorizationUrl);
    if (page.status !== 200) throw new Error(`authorize page: ${page.status} ${await page.text()}`);
    const html = await page.text();
    const form = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
        form.set(
            m[1]!,
            m[2]!
                .replace(/&quot;/g, '"')
                .replace(/&#39;/g, "'")
                .replace(/&lt;/g, '<')
                .replace(/&gt;/g, '>')
                .replace(/&amp;/g, '&')
        );
    form.set('username', username);
    form.set('pw', password);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '/services/oauth2/authorize';
    const res = await fetch(new URL(action, authorizationUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
        redirect: 'manual'
    });
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) throw new Error(`login form: ${res.status} ${await res.text()}`);
    const url = new URL(location);
    const code = url.searchParams.get('code');
    if (!code) throw new Error(`no code in ${location}`);
    return { code, state: url.searchParams.get('state'), location };
}

/**
 * Take Read and Edit of one field away from a user, as an admin would through FieldPermissions DML:
 * on every grant that reaches the user (the assigned permission sets and the profile's). A field no
 * grant names (a required field, readable with its object) gets an explicit denying row on the
 * profile's permission set, which the emulator honours. Returns the undo.
 */
export async function revokeFieldAccess(
    admin: Connection,
    userId: string,
    field: string
): Promise<() => Promise<void>> {
    type Row = { Id: string; PermissionsRead: boolean; PermissionsEdit: boolean };
    const profileId = (await admin.query<{ ProfileId: string }>(`SELECT ProfileId FROM User WHERE Id = '${userId}'`))
        .records[0]!.ProfileId;
    const select = `SELECT Id, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE Field = '${field}'`;
    const rows = [
        ...(
            await admin.query<Row>(
                `${select} AND ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${userId}')`
            )
        ).records,
        ...(
            await admin.query<Row>(
                `${select} AND ParentId IN (SELECT Id FROM PermissionSet WHERE ProfileId = '${profileId}')`
            )
        ).records
    ];
    if (rows.length === 0) {
        const parentId = (
            await admin.query<{ Id: string }>(`SELECT Id FROM PermissionSet WHERE ProfileId = '${profileId}'`)
        ).records[0]!.Id;
        const created = (await admin.sobject('FieldPermissions').create({
            ParentId: parentId,
            SobjectType: field.split('.')[0],
            Field: field,
            PermissionsRead: false,
            PermissionsEdit: false
        })) as { id: string; success: boolean };
        if (!created.success) throw new Error(`could not deny ${field}`);
        return async () => {
            await admin.sobject('FieldPermissions').destroy(created.id);
        };
    }
    for (const r of rows)
        await admin.sobject('FieldPermissions').update({ Id: r.Id, PermissionsRead: false, PermissionsEdit: false });
    return async () => {
        for (const r of rows)
            await admin
                .sobject('FieldPermissions')
                .update({ Id: r.Id, PermissionsRead: r.PermissionsRead, PermissionsEdit: r.PermissionsEdit });
    };
}

/** A contact with an email and an account (the first by email), for activities that must match. */
export async function contactWithAccount(admin: Connection): Promise<{ Id: string; Email: string; AccountId: string }> {
    const found = await admin.query<{ Id: string; Email: string; AccountId: string }>(
        'SELECT Id, Email, AccountId FROM Contact WHERE AccountId != null AND Email != null ORDER BY Email LIMIT 1'
    );
    const contact = found.records[0];
    if (!contact) throw new Error('the demo org has no contact with an email and an account');
    return contact;
}
