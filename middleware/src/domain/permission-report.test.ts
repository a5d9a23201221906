import { MANIFEST, type SystemPermission } from './manifest';
import { buildPermissionReport, type PermissionFacts, type PermissionReport } from './permission-report';

/** An integration user set up as seed 003 recommends: option C, View All Data, every field readable. */
function facts(change: (f: PermissionFacts) => void = () => undefined): PermissionFacts {
    const all = (v: boolean) => ({ read: v, create: v, edit: v, delete: v, viewAll: v, modifyAll: false });
    const f: PermissionFacts = {
        user: {
            id: '005000000000001AAA',
            name: 'Backstory Integration User',
            username: 'integration@example.com',
            isActive: true,
            profileName: 'Minimum Access - Salesforce',
            profileIsCustom: false,
            roleName: 'CEO',
            roleHasParent: false
        },
        systemPermissions: Object.fromEntries(
            (
                [
                    'ApiEnabled',
                    'ViewAllData',
                    'ViewAllUsers',
                    'EditEvent',
                    'EditTask',
                    'ViewSetup'
                ] as SystemPermission[]
            ).map((p) => [p, true])
        ),
        permissionSets: ['Backstory_Standard_Permissions'],
        objects: Object.fromEntries(MANIFEST.filter((o) => o.rights.length > 0).map((o) => [o.name, all(true)])),
        objectPermissionsReadable: true,
        readableFields: Object.fromEntries(
            MANIFEST.filter((o) => o.fields.length > 0).map((o) => [o.name, new Set(o.fields.map((x) => x.name))])
        ),
        orgWideDefaults: {
            Account: 'Edit',
            Contact: 'ControlledByParent',
            Lead: 'ReadEditTransfer',
            Opportunity: 'Edit'
        },
        multiCurrency: false
    };
    change(f);
    return f;
}

const failing = (r: PermissionReport) =>
    r.steps.flatMap((s) => s.items.filter((i) => i.status !== 'pass').map((i) => ({ step: s.id, ...i })));
const item = (r: PermissionReport, name: string) => r.steps.flatMap((s) => s.items).find((i) => i.name === name);

describe('buildPermissionReport', () => {
    it('PERM-2 a complete setup is ready on the View All Data path, with every step passing', () => {
        const r = buildPermissionReport(facts());
        expect(failing(r)).toEqual([]);
        expect(r).toMatchObject({ status: 'ready', path: 'view_all_data' });
        expect(r.integrationUser).toMatchObject({ topOfRoleHierarchy: true, profile: 'Minimum Access - Salesforce' });
        expect(r.steps.map((s) => [s.id, s.status])).toEqual([
            ['integration_user', 'pass'],
            ['system_permissions', 'pass'],
            ['object_permissions', 'pass'],
            ['field_permissions', 'pass']
        ]);
    });

    it('PERM-1 an inactive user blocks; a shared account or a role below the top only warns', () => {
        expect(buildPermissionReport(facts((f) => (f.user.isActive = false))).status).toBe('blocked');
        const r = buildPermissionReport(
            facts((f) => {
                f.user.name = 'Jane Admin';
                f.user.roleName = 'Sales Manager';
                f.user.roleHasParent = true;
            })
        );
        expect(r.status).toBe('degraded');
        expect(failing(r).map((i) => [i.name, i.status])).toEqual([
            ['A dedicated "Backstory Integration User"', 'warn'],
            ['At the top of the role hierarchy', 'warn']
        ]);
        expect(item(r, 'At the top of the role hierarchy')?.remedy).toMatch(/"Sales Manager" has a parent role/);
        expect(r.integrationUser.topOfRoleHierarchy).toBe(false);
    });

    it('PERM-2 a missing system permission names the option that fits a standard profile first (C), then A and B', () => {
        const r = buildPermissionReport(facts((f) => (f.systemPermissions.ViewAllUsers = false)));
        expect(r.status).toBe('blocked');
        const remedy = item(r, 'View All Users')?.remedy ?? '';
        expect(remedy).toMatch(/^The integration user's profile "Minimum Access - Salesforce" is a standard profile/);
        expect(remedy).toMatch(
            /Option C[^]*Permission Sets > Backstory Standard Permissions > System Permissions[^]*Option A[^]*System Administrator[^]*Option B/
        );
    });

    it('PERM-2 on a custom profile the remedy opens that profile (option B)', () => {
        const r = buildPermissionReport(
            facts((f) => {
                f.user.profileName = 'Backstory Integration';
                f.user.profileIsCustom = true;
                f.systemPermissions.ApiEnabled = false;
                f.readableFields.Opportunity?.delete('Amount');
            })
        );
        expect(item(r, 'API Enabled')?.remedy).toMatch(
            /^Option B \(custom profile\): Setup > Users > Profiles > Backstory Integration > System Permissions/
        );
        expect(item(r, 'Opportunity.Amount')?.remedy).toMatch(
            /^Setup > Users > Profiles > Backstory Integration > Object Settings > Opportunity/
        );
        // No permission-set item for a custom profile.
        expect(r.steps[1]?.items.some((i) => i.name.startsWith('Permission set'))).toBe(false);
    });

    it('PERM-2 on a standard profile, warns when Backstory Standard Permissions is not assigned', () => {
        const r = buildPermissionReport(facts((f) => (f.permissionSets = ['Other'])));
        expect(item(r, 'Permission set "Backstory Standard Permissions" assigned (option C)')).toMatchObject({
            status: 'warn',
            remedy: expect.stringMatching(/Manage Assignments/),
            action: 'assign_permission_set'
        });
        // Assigned: nothing to click.
        const ok = buildPermissionReport(facts((f) => (f.permissionSets = ['Backstory_Standard_Permissions'])));
        expect(item(ok, 'Permission set "Backstory Standard Permissions" assigned (option C)')).toEqual({
            name: 'Permission set "Backstory Standard Permissions" assigned (option C)',
            status: 'pass',
            required: false,
            remedy: null
        });
    });

    it('PERM-3 without View All Data, the least-privilege set is the least-privilege path and is ready', () => {
        const r = buildPermissionReport(facts((f) => (f.systemPermissions.ViewAllData = false)));
        expect(r).toMatchObject({ status: 'ready', path: 'least_privilege' });
        expect(item(r, 'View All Data')).toBeUndefined();
        expect(item(r, 'View Setup and Configuration')?.status).toBe('pass');
    });

    it('PERM-3 without View All Data and without View All on Event, neither path: View All Data fails with both alternatives', () => {
        const r = buildPermissionReport(
            facts((f) => {
                f.systemPermissions.ViewAllData = false;
                if (f.objects.Event) f.objects.Event.viewAll = false;
            })
        );
        expect(r).toMatchObject({ status: 'blocked', path: null });
        expect(item(r, 'View All Data')?.remedy).toMatch(/least-privilege alternative/);
        expect(item(r, 'Event: View All')?.status).toBe('fail');
    });

    it('PERM-3 View All Data stands in for View All on every object', () => {
        const r = buildPermissionReport(
            facts((f) => {
                for (const o of Object.values(f.objects)) o.viewAll = false;
            })
        );
        expect(r.status).toBe('ready');
    });

    it('PERM-4 a missing Contact Delete fails with the Object Settings remedy and the reason', () => {
        const r = buildPermissionReport(facts((f) => f.objects.Contact && (f.objects.Contact.delete = false)));
        expect(r.status).toBe('blocked');
        expect(failing(r)).toEqual([
            expect.objectContaining({
                step: 'object_permissions',
                name: 'Contact: Delete',
                remedy: expect.stringMatching(
                    /^Setup > Users > Permission Sets > Backstory Standard Permissions > Object Settings > Contact > Edit: enable Delete/
                )
            })
        ]);
    });

    it('PERM-4 a Private org-wide default requires Modify All on that object; Modify All Data satisfies it', () => {
        const r = buildPermissionReport(facts((f) => (f.orgWideDefaults.Opportunity = 'Private')));
        expect(failing(r)).toEqual([
            expect.objectContaining({
                name: 'Opportunity: Modify All (the org-wide default of Opportunity is Private)',
                status: 'fail',
                remedy: expect.stringMatching(/Sharing Settings has Opportunity as Private/)
            })
        ]);
        const withMad = buildPermissionReport(
            facts((f) => {
                f.orgWideDefaults.Opportunity = 'None';
                f.systemPermissions.ModifyAllData = true;
            })
        );
        expect(withMad.status).toBe('ready');
    });

    it('PERM-4 when object permissions cannot be read, View All is only known through View All Data', () => {
        const r = buildPermissionReport(
            facts((f) => {
                f.objectPermissionsReadable = false;
                f.systemPermissions.ViewAllData = false;
            })
        );
        expect(r.path).toBeNull();
        expect(item(r, 'Account: View All')?.remedy).toMatch(/View Setup and Configuration to check them/);
    });

    it('PERM-5 an unreadable required field blocks, naming object and field', () => {
        const r = buildPermissionReport(facts((f) => f.readableFields.Opportunity?.delete('StageName')));
        expect(r.status).toBe('blocked');
        expect(failing(r)).toEqual([
            expect.objectContaining({ step: 'field_permissions', status: 'fail', required: true }),
            expect.objectContaining({
                name: 'Opportunity.StageName',
                status: 'fail',
                required: true,
                remedy: expect.stringMatching(
                    /Object Settings > Opportunity > Edit > Field Permissions: tick Read Access for StageName[^]*stops pulling Opportunity/
                )
            })
        ]);
    });

    it('PERM-5 an unreadable recommended field degrades, with a warning', () => {
        const r = buildPermissionReport(facts((f) => f.readableFields.Account?.delete('Industry')));
        expect(r.status).toBe('degraded');
        expect(failing(r).map((i) => [i.name, i.status, i.required])).toEqual([
            [expect.stringMatching(/^\d+ of \d+ required and recommended fields readable$/), 'warn', true],
            ['Account.Industry', 'warn', false]
        ]);
    });

    it('PERM-5 compound address fields count as readable through their components', () => {
        const r = buildPermissionReport(
            facts((f) => {
                f.readableFields.Account?.delete('BillingAddress');
                f.readableFields.Account?.add('BillingStreet');
            })
        );
        expect(r.status).toBe('ready');
    });

    it('PERM-5 multi-currency objects are checked only when multi-currency is on', () => {
        const off = buildPermissionReport(facts((f) => delete f.readableFields.CurrencyType));
        expect(off.status).toBe('ready');
        const on = buildPermissionReport(
            facts((f) => {
                f.multiCurrency = true;
                delete f.readableFields.DatedConversionRate;
            })
        );
        expect(on.status).toBe('blocked');
        expect(item(on, 'DatedConversionRate (7 fields)')?.remedy).toMatch(/comes with View All Data/);
    });

    it('PERM-5 an object of a feature that is off (Account Teams) warns instead of blocking', () => {
        const r = buildPermissionReport(facts((f) => delete f.readableFields.AccountTeamMember));
        expect(r.status).toBe('degraded');
        expect(item(r, 'AccountTeamMember (7 fields)')).toMatchObject({
            status: 'warn',
            required: false,
            remedy: expect.stringMatching(/Enable Account Teams/)
        });
    });
});
