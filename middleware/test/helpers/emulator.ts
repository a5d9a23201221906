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
