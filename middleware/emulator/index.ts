import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { normalizeId } from './ids';
import { Org } from './org';
import { loadOrgSchema } from './schema';
import { bootstrapOrg, importPlan, seedCurrencies, type OrgSetup } from './seed';
import { createAdmin, type EmulatorAdmin } from './admin';
import { createEmulatorApp } from './server';
import { EmulatorState } from './state';

export type { FaultSpec, FaultKind, Operation } from './faults';
export type { SfRecord } from './org';
export type { EmulatorAdmin, ConnectedAppSpec, OrgWideAccess, OrgWideDefaultObject } from './admin';
export type { Notification } from './state';

export interface StartEmulatorOptions {
    /** 0 or undefined: a free port. */
    port?: number;
    host?: string;
    /** 'demo' (default): org setup + the demo data plan. 'empty': org setup (users, profiles, permission sets) only. */
    seed?: 'demo' | 'empty';
    /** Repo root (sfdx-project.json, force-app, scripts/seed); found from this file by default. */
    projectDir?: string;
    /**
     * Any SFDX project: its custom objects, custom fields (with its namespace) and permission sets
     * are loaded. Its `scripts/seed/demo/org-setup.json` sets up users when present, else the
     * emulator's own demo users do (without permission sets the project lacks). `seed` defaults to
     * 'empty' unless the project has `scripts/seed/demo/demo-plan.json`.
     */
    project?: string;
    multiCurrency?: boolean;
    /** DailyApiRequests Max (default 100000). */
    apiRequestLimit?: number;
}

export interface EmulatorHandle {
    url: string;
    port: number;
    orgId: string;
    close(): Promise<void>;
    demo: {
        integrationUser: { username: 'integration@demo.backstory.local'; password: 'demo-password'; id: string };
        adminUser: { username: 'admin@demo.backstory.local'; password: 'demo-password'; id: string };
        clientId: 'backstory-local';
        clientSecret: 'backstory-local-secret';
    };
    admin: EmulatorAdmin;
}

export function findProjectDir(start = __dirname): string {
    let dir = start;
    for (;;) {
        if (existsSync(path.join(dir, 'sfdx-project.json'))) return dir;
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error('sfdx-project.json not found above the emulator');
        dir = parent;
    }
}

/** Start a local Salesforce org (REST, SOAP login, Bulk API 2.0) that jsforce uses unchanged. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<EmulatorHandle> {
    if (options.project !== undefined && !existsSync(path.join(options.project, 'sfdx-project.json')))
        throw new Error(`project: ${options.project} has no sfdx-project.json`);
    const projectDir = options.project ? path.resolve(options.project) : (options.projectDir ?? findProjectDir());
    const ownSetup = path.join(findProjectDir(), 'scripts', 'seed', 'demo');
    const projectSetup = path.join(projectDir, 'scripts', 'seed', 'demo');
    const setupDir = existsSync(path.join(projectSetup, 'org-setup.json')) ? projectSetup : ownSetup;
    const schema = loadOrgSchema({ projectDir, multiCurrency: options.multiCurrency ?? false });
    const setup = JSON.parse(readFileSync(path.join(setupDir, 'org-setup.json'), 'utf8')) as OrgSetup;
    const orgId = setup.organizationId ? normalizeId(setup.organizationId) : null;
    const org = new Org(schema, orgId ?? undefined);
    const state = new EmulatorState(org, { apiLimit: options.apiRequestLimit ?? 100_000 });
    const { users } = bootstrapOrg(state, setup, projectDir, { skipMissingPermissionSets: setupDir !== projectSetup });
    const integration = [...users.values()].find((u) => u.Username === 'integration@demo.backstory.local');
    const adminUser = [...users.values()].find((u) => u.Username === 'admin@demo.backstory.local');
    if (!integration || !adminUser) throw new Error('org-setup.json must define the demo integration and admin users');

    const admin = createAdmin(state, {
        defaultOwnerId: () => adminUser.Id,
        reloadSchema: (multiCurrency) => {
            org.setSchema(loadOrgSchema({ projectDir, multiCurrency }));
            if (multiCurrency) seedCurrencies(org, adminUser.Id);
        }
    });
    if (options.multiCurrency) seedCurrencies(org, adminUser.Id);
    const app = createEmulatorApp(state, admin);
    const server: Server = await new Promise((resolve, reject) => {
        const s = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(s));
        s.once('error', reject);
    });
    // Keep idle connections longer than clients do (undici drops its idle sockets after 4 s), as
    // Salesforce's front end does: a server closing first races a client reusing the socket, and
    // the request fails with "other side closed" (UND_ERR_SOCKET) after a long synchronous step.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    const port = (server.address() as AddressInfo).port;
    state.url = `http://${options.host ?? '127.0.0.1'}:${port}`;
    const planFile = path.join(projectSetup, 'demo-plan.json');
    const defaultSeed = options.project && !existsSync(planFile) ? 'empty' : 'demo';
    if ((options.seed ?? defaultSeed) === 'demo') {
        try {
            await importPlan(state, planFile, adminUser.Id);
        } catch (error) {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
            throw error;
        }
    }
    const handle: EmulatorHandle = {
        url: state.url,
        port,
        orgId: org.orgId,
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
        demo: {
            integrationUser: {
                username: 'integration@demo.backstory.local',
                password: 'demo-password',
                id: integration.Id
            },
            adminUser: { username: 'admin@demo.backstory.local', password: 'demo-password', id: adminUser.Id },
            clientId: 'backstory-local',
            clientSecret: 'backstory-local-secret'
        },
        admin
    };
    return handle;
}
