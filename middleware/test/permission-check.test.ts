import type { Connection } from '@jsforce/jsforce-node';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { revokeFieldAccess, startTestEmulator, type TestEmulator } from './helpers/emulator';
import { insertUser } from './helpers/users';

interface Item {
    name: string;
    status: string;
    required: boolean;
    remedy: string | null;
    action?: string;
}
interface Report {
    status: string;
    path: string | null;
    integrationUser: { username: string };
    steps: { id: string; status: string; items: Item[] }[];
}

describe('GET /v1/setup/permission-check against the emulator (PERM-1..PERM-5)', () => {
    let app: TestApp;
    let sf: TestEmulator;
    let org: TestOrg;
    let admin: Connection;
    let permSetId: string;
    beforeAll(async () => {
        app = await startTestApp();
    });
    beforeEach(async () => {
        sf = await startTestEmulator();
        org = await app.newOrg('Setup org', sf.integrationAuth);
        admin = await sf.login('admin@demo.backstory.local');
        permSetId = (
            await admin.query<{ Id: string }>(
                "SELECT Id FROM PermissionSet WHERE Name = 'Backstory_Standard_Permissions'"
            )
        ).records[0]!.Id;
    });
    afterEach(() => sf.close());
    afterAll(() => app.close());

    const check = async (): Promise<Report> => {
        const res = await app.call(org.apiKey, 'GET', '/v1/setup/permission-check');
        expect(res.status).toBe(200);
        return res.body as Report;
    };
    const failing = (r: Report) =>
        r.steps.flatMap((s) => s.items.filter((i) => i.status !== 'pass').map((i) => ({ step: s.id, ...i })));
    /** Revoke read on a field for the integration user, as an admin would: on every grant that reaches it. */
    const revokeField = (field: string) => revokeFieldAccess(admin, sf.emu.demo.integrationUser.id, field);

    it('PERM-2 the demo integration user with full permissions is ready on the View All Data path', async () => {
        const report = await check();
        expect(failing(report)).toEqual([]);
        expect(report).toMatchObject({
            status: 'ready',
            path: 'view_all_data',
            integrationUser: { username: 'integration@demo.backstory.local' }
        });
        expect(report.steps.map((s) => s.id)).toEqual([
            'integration_user',
            'system_permissions',
            'object_permissions',
            'field_permissions'
        ]);
    });

    it('PERM-3 without View All Data but with the least-privilege set, it is ready on the least-privilege path', async () => {
        await admin.sobject('PermissionSet').update({ Id: permSetId, PermissionsViewAllData: false });
        const report = await check();
        expect(report.status).toBe('ready');
        expect(report.path).toBe('least_privilege');
        const view = (
            await admin.query<{ Id: string }>(
                `SELECT Id FROM ObjectPermissions WHERE ParentId = '${permSetId}' AND SobjectType = 'Task'`
            )
        ).records[0]!;
        await admin.sobject('ObjectPermissions').update({ Id: view.Id, PermissionsViewAllRecords: false });
        const neither = await check();
        expect(neither.status).toBe('blocked');
        expect(neither.path).toBeNull();
        const vad = failing(neither).find((i) => i.name === 'View All Data');
        expect(vad?.remedy).toMatch(/System Administrator profile[\s\S]*least-privilege alternative/);
    });

    it('PERM-5 a required field the integration user cannot read blocks, naming object and field', async () => {
        await revokeField('Opportunity.StageName');
        const report = await check();
        expect(report.status).toBe('blocked');
        const items = failing(report);
        expect(items).toEqual(
            expect.arrayContaining([
                expect.objectContaining({
                    step: 'field_permissions',
                    name: 'Opportunity.StageName',
                    status: 'fail',
                    required: true
                })
            ])
        );
        expect(items.find((i) => i.name === 'Opportunity.StageName')?.remedy).toMatch(
            /Object Settings > Opportunity[\s\S]*Read Access for StageName/
        );
    });

    it('PERM-5 a recommended field the integration user cannot read degrades, with a warning', async () => {
        await revokeField('Account.Industry');
        const report = await check();
        expect(report.status).toBe('degraded');
        expect(failing(report)).toEqual([
            expect.objectContaining({ step: 'field_permissions', status: 'warn' }),
            expect.objectContaining({
                step: 'field_permissions',
                name: 'Account.Industry',
                status: 'warn',
                required: false
            })
        ]);
    });

    it('PERM-4 an Account org-wide default of Private without Modify All fails with that remedy', async () => {
        sf.emu.admin.setOrgWideDefault('Account', 'Private');
        const report = await check();
        expect(report.status).toBe('blocked');
        const item = failing(report).find((i) => i.step === 'object_permissions');
        expect(item?.name).toBe('Account: Modify All (the org-wide default of Account is Private)');
        expect(item?.remedy).toMatch(/Sharing Settings has Account as Private/);
        const op = (
            await admin.query<{ Id: string }>(
                `SELECT Id FROM ObjectPermissions WHERE ParentId = '${permSetId}' AND SobjectType = 'Account'`
            )
        ).records[0]!;
        await admin.sobject('ObjectPermissions').update({ Id: op.Id, PermissionsModifyAllRecords: true });
        expect((await check()).status).toBe('ready');
    });

    it('PERM-8 without Backstory Standard Permissions the item offers the one-click assignment; once assigned it is ready', async () => {
        const userId = sf.emu.demo.integrationUser.id;
        const assignment = (
            await admin.query<{ Id: string }>(
                `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${userId}' AND PermissionSetId = '${permSetId}'`
            )
        ).records[0]!;
        await admin.sobject('PermissionSetAssignment').destroy(assignment.Id);
        const report = await check();
        expect(report.status).toBe('blocked');
        const fixable = report.steps.flatMap((s) => s.items.filter((i) => i.action));
        expect(fixable).toEqual([
            {
                name: 'Permission set "Backstory Standard Permissions" assigned (option C)',
                status: 'warn',
                required: false,
                remedy: expect.stringMatching(/Manage Assignments/),
                action: 'assign_permission_set'
            }
        ]);
        // What the wizard's one click does in Salesforce, as the admin.
        await admin.sobject('PermissionSetAssignment').create({ AssigneeId: userId, PermissionSetId: permSetId });
        const after = await check();
        expect(after.status).toBe('ready');
        expect(after.steps.flatMap((s) => s.items.filter((i) => i.action))).toEqual([]);
    });

    it('PERM-1 warns when the integration user is not at the top of the role hierarchy', async () => {
        const role = (await admin.query<{ Id: string }>("SELECT Id FROM UserRole WHERE Name = 'SDR Team'")).records[0]!;
        await admin.sobject('User').update({ Id: sf.emu.demo.integrationUser.id, UserRoleId: role.Id });
        const report = await check();
        expect(report.status).toBe('degraded');
        expect(failing(report)).toEqual([
            expect.objectContaining({
                step: 'integration_user',
                name: 'At the top of the role hierarchy',
                status: 'warn'
            })
        ]);
    });

    it('PERM-5 with multi-currency on, CurrencyType and DatedConversionRate fields are checked too', async () => {
        const before = (await check()).steps.find((s) => s.id === 'field_permissions')!.items[0]!.name;
        sf.emu.admin.setMultiCurrency(true);
        const report = await check();
        expect(report.status).toBe('ready');
        const total = (name: string) => Number(/of (\d+)/.exec(name)?.[1]);
        const after = report.steps.find((s) => s.id === 'field_permissions')!.items[0]!.name;
        expect(total(after) - total(before)).toBe(14); // 7 fields each (seed 003)
    });

    it('reads everything in two /composite requests (27 sub-requests: 5 queries, 22 describes)', async () => {
        await check(); // the first check also logs in
        sf.emu.admin.resetApiCalls();
        await check();
        // Password login gives jsforce the user id; a JWT connection adds one identity call.
        expect(sf.emu.admin.apiCalls()).toBe(2);
    });

    it('answers 502 salesforce_error when Salesforce fails, naming what failed', async () => {
        await check();
        sf.emu.admin.injectFault({ kind: 'SERVER_ERROR', operation: 'any', count: 1 });
        const res = await app.call(org.apiKey, 'GET', '/v1/setup/permission-check');
        expect(res.status).toBe(502);
        expect(res.body).toMatchObject({
            error: {
                code: 'salesforce_error',
                message: expect.stringMatching(/^Reading the integration user's permissions failed/)
            }
        });
        expect((await check()).status).toBe('ready');
    });

    it('answers 409 for an org without a connected Salesforce org, and 403 to a non-admin', async () => {
        const offline = await app.newOrg('Offline');
        const res = await app.call(offline.apiKey, 'GET', '/v1/setup/permission-check');
        expect(res.status).toBe(409);
        const member = await insertUser(app.store.db, org.org.id, { role: 'member' });
        const asMember = await app.call(org.apiKey, 'GET', '/v1/setup/permission-check', undefined, {
            'x-acting-user': member.salesforceUserId
        });
        expect(asMember.status).toBe(403);
    });
});
