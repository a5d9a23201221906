import type { Connection } from '@jsforce/jsforce-node';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { startTestEmulator, type TestEmulator } from './helpers/emulator';

type Json = Record<string, any> & { id: string };

describe('users and teams in automatic mode, against the emulator', () => {
    let app: TestApp;
    let sf: TestEmulator;
    let admin: Connection;
    beforeAll(async () => {
        [app, sf] = await Promise.all([startTestApp(), startTestEmulator({ seed: 'empty' })]);
        admin = await sf.login('admin@demo.backstory.local');
    }, 240_000); // busy shared cores: starting the app and the emulator can take minutes
    afterAll(async () => {
        await Promise.all([app.close(), sf.close()]);
    });

    const connectedOrg = () => app.newOrg('Backstory Demo', sf.integrationAuth);
    const call = (o: TestOrg, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
        app.call(o.apiKey, method, path, body, headers);
    const users = async (o: TestOrg): Promise<Json[]> => (await call(o, 'GET', '/v1/users?limit=500')).body.items;
    const teams = async (o: TestOrg): Promise<Json[]> => (await call(o, 'GET', '/v1/teams?limit=500')).body.items;
    const byEmail = async (o: TestOrg, email: string) => (await users(o)).find((u) => u.email === email);
    const enable = async (o: TestOrg, hierarchySource?: 'role' | 'manager') => {
        if (!(await call(o, 'GET', '/v1/profiles')).body.items.some((p: Json) => !p.isDefault))
            await call(o, 'POST', '/v1/profiles', { name: 'Sales' });
        const res = await call(o, 'PUT', '/v1/org/mode', {
            mode: 'automatic',
            ...(hierarchySource ? { hierarchySource } : {})
        });
        if (res.status !== 200) throw new Error(`enable: ${res.status} ${res.text}`);
        return res.body;
    };
    const sync = async (o: TestOrg) => {
        const res = await call(o, 'POST', '/v1/org/sync');
        if (res.status !== 200) throw new Error(`sync: ${res.status} ${res.text}`);
        return res.body;
    };
    /** Active Salesforce people the sync manages: every active user but the integration user. */
    const sfPeople = async (conn: Connection = admin) =>
        (await conn.query('SELECT COUNT() FROM User WHERE IsActive = true')).totalSize - 1;
    const roleId = async (name: string) =>
        (
            (await admin.query<{ Id: string }>(`SELECT Id FROM UserRole WHERE Name = '${name}'`)).records[0] as {
                Id: string;
            }
        ).Id;
    const userId = async (username: string) => sf.emu.admin.userId(username);
    let seq = 0;
    const newSfUser = async (fields: Record<string, unknown>) => {
        seq++;
        const profile = (await admin.query<{ Id: string }>("SELECT Id FROM Profile WHERE Name = 'Standard User'"))
            .records[0];
        const res = (await admin.sobject('User').create({
            Username: `new${seq}@demo.backstory.local`,
            Email: `new${seq}@demo.backstory.local`,
            LastName: `New${seq}`,
            FirstName: 'Nina',
            Alias: `new${seq}`,
            ProfileId: profile?.Id,
            TimeZoneSidKey: 'America/Los_Angeles',
            LocaleSidKey: 'en_US',
            EmailEncodingKey: 'UTF-8',
            LanguageLocaleKey: 'en_US',
            ...fields
        })) as { id: string; success: boolean };
        return res.id;
    };

    it('UT-3 refuses automatic mode without a connected org or without profiles set up, naming the reason', async () => {
        const unconnected = await app.newOrg();
        await call(unconnected, 'POST', '/v1/profiles', { name: 'Sales' });
        const a = await call(unconnected, 'PUT', '/v1/org/mode', { mode: 'automatic' });
        expect(a.status).toBe(409);
        expect(a.body.error.message).toContain('connected Salesforce org');
        const noProfile = await connectedOrg();
        const b = await call(noProfile, 'PUT', '/v1/org/mode', { mode: 'automatic' });
        expect(b.status).toBe(409);
        expect(b.body.error.message).toContain('configuration profiles');
        expect((await call(noProfile, 'GET', '/v1/org')).body.mode).toBe('manual');
        expect(await users(noProfile)).toEqual([]);
        const sync = await call(noProfile, 'POST', '/v1/org/sync');
        expect(sync.status).toBe(409);
    });

    it('UT-3 replaces the teams with the role hierarchy and moves users absent from it to the top-level team, never suspended', async () => {
        const o = await connectedOrg();
        const old = (await call(o, 'POST', '/v1/teams', { name: 'Old team', kind: 'hierarchy' })).body;
        const custom = (await call(o, 'POST', '/v1/teams', { name: 'Deal desk', kind: 'custom' })).body;
        const outsider = (
            await call(o, 'POST', '/v1/users', {
                firstName: 'Out',
                lastName: 'Sider',
                email: 'out@elsewhere.test',
                teamId: old.id
            })
        ).body;
        const linked = (
            await call(o, 'POST', '/v1/users', {
                firstName: 'J',
                lastName: 'L',
                email: 'Jordan.Lee@demo.backstory.local',
                teamId: old.id
            })
        ).body;

        const org = await enable(o);
        expect(org).toMatchObject({ mode: 'automatic', hierarchySource: 'role' });
        expect(org.lastSyncAt).not.toBeNull();
        const t = await teams(o);
        const names = t
            .filter((x) => x.kind === 'hierarchy')
            .map((x) => x.name)
            .sort();
        expect(names).toEqual(
            [
                'Account Executive East',
                'Account Executive West',
                'CEO',
                'Partner Manager',
                'SDR Team',
                'Sales Manager East',
                'Sales Manager West',
                'VP Marketing',
                'VP Sales'
            ].sort()
        );
        expect(t.find((x) => x.id === old.id)).toBeUndefined();
        expect(t.find((x) => x.id === custom.id)).toBeDefined(); // custom teams are not the hierarchy: kept
        const ceo = t.find((x) => x.name === 'CEO');
        const vpSales = t.find((x) => x.name === 'VP Sales');
        expect(vpSales?.parentId).toBe(ceo?.id);
        expect(t.find((x) => x.name === 'Sales Manager East')?.parentId).toBe(vpSales?.id);
        expect(ceo?.salesforceRoleId).toBe(await roleId('CEO'));

        const all = await users(o);
        // The demo org's people (not the integration user), one of whom existed, and the outsider.
        expect(all).toHaveLength((await sfPeople()) + 1);
        expect(all.find((u) => u.email === 'integration@demo.backstory.local')).toBeUndefined();
        const out = all.find((u) => u.id === outsider.id);
        expect(out).toMatchObject({ teamId: ceo?.id, status: 'pending' });
        const jordan = all.find((u) => u.id === linked.id);
        expect(jordan).toMatchObject({
            firstName: 'Jordan',
            lastName: 'Lee',
            jobTitle: 'Sales Manager, East',
            teamId: t.find((x) => x.name === 'Sales Manager East')?.id,
            salesforceUserId: await userId('jordan.lee@demo.backstory.local'),
            source: 'manual'
        });
        const sam = all.find((u) => u.email === 'sam.patel@demo.backstory.local');
        expect(sam).toMatchObject({
            source: 'automatic',
            teamId: t.find((x) => x.name === 'Account Executive East')?.id,
            role: 'member',
            visibility: 'full',
            licenses: ['foundation', 'engagement_dashboard']
        });
        const audit = await call(o, 'GET', `/v1/audit?entity=team&id=${old.id}`);
        expect(audit.body.items[0]).toMatchObject({ action: 'delete' });
    });

    it('UT-2 USR-2 USR-3 the sync creates new users with the first matching rule, only at creation, and is incremental', async () => {
        const o = await connectedOrg();
        await enable(o);
        const ae = (await call(o, 'POST', '/v1/profiles', { name: 'AE profile' })).body;
        const rules = (await call(o, 'GET', '/v1/user-settings-rules')).body.items as Json[];
        const saved = await call(o, 'PUT', '/v1/user-settings-rules', {
            items: [
                {
                    name: 'AEs',
                    description: '',
                    isCatchAll: false,
                    filters: [{ field: 'job_title', operator: 'contains', value: 'account executive' }],
                    assignments: {
                        profileId: ae.id,
                        role: 'manager',
                        visibility: 'team',
                        licenses: ['peopleglass_enterprise']
                    }
                },
                rules[rules.length - 1]
            ]
        });
        expect(saved.status).toBe(200);
        // Existing users keep their settings (USR-3).
        expect(await sync(o)).toEqual({ created: 0, updated: 0, suspended: 0, movedToTopLevel: 0 });
        expect((await byEmail(o, 'sam.patel@demo.backstory.local'))?.role).toBe('member');

        const aeWest = await roleId('Account Executive West');
        await newSfUser({ Title: 'Enterprise Account Executive', UserRoleId: aeWest });
        await newSfUser({ Title: 'Solutions Engineer', UserRoleId: aeWest });
        sf.emu.admin.resetApiCalls();
        expect(await sync(o)).toEqual({ created: 2, updated: 0, suspended: 0, movedToTopLevel: 0 });
        const calls = sf.emu.admin.apiCalls();
        expect(calls).toBeLessThanOrEqual(4);
        const created = (await users(o)).filter((u) => u.email.startsWith('new'));
        const aeUser = created.find((u) => u.jobTitle === 'Enterprise Account Executive');
        const se = created.find((u) => u.jobTitle === 'Solutions Engineer');
        expect(aeUser).toMatchObject({
            profileId: ae.id,
            role: 'manager',
            visibility: 'team',
            licenses: ['unified_enterprise'],
            source: 'automatic'
        });
        expect(se).toMatchObject({ role: 'member', visibility: 'full' });
        expect(aeUser?.teamId).toBe((await teams(o)).find((t) => t.name === 'Account Executive West')?.id);
        // Nothing changed since: nothing to do.
        expect(await sync(o)).toEqual({ created: 0, updated: 0, suspended: 0, movedToTopLevel: 0 });
    });

    it('UT-2 UT-8 names, titles and teams follow Salesforce and are read-only here', async () => {
        const o = await connectedOrg();
        await enable(o);
        const taylor = await userId('taylor.brooks@demo.backstory.local');
        await admin.sobject('User').update({
            Id: taylor,
            Title: 'Regional Director',
            LastName: 'Brooks-Park',
            UserRoleId: await roleId('Sales Manager West')
        });
        const newRole = (await admin
            .sobject('UserRole')
            .create({ Name: 'Inside Sales', ParentRoleId: await roleId('VP Sales') })) as { id: string };
        await admin.sobject('UserRole').update({ Id: await roleId('SDR Team'), Name: 'Sales Development' });
        expect(await sync(o)).toEqual({ created: 0, updated: 1, suspended: 0, movedToTopLevel: 0 });
        const t = await teams(o);
        const u = await byEmail(o, 'taylor.brooks@demo.backstory.local');
        expect(u).toMatchObject({
            jobTitle: 'Regional Director',
            lastName: 'Brooks-Park',
            teamId: t.find((x) => x.name === 'Sales Manager West')?.id
        });
        expect(t.find((x) => x.name === 'Inside Sales')).toMatchObject({
            salesforceRoleId: newRole.id,
            parentId: t.find((x) => x.name === 'VP Sales')?.id
        });
        expect(t.find((x) => x.name === 'Sales Development')).toBeDefined();

        const edit = await call(o, 'PATCH', `/v1/users/${u?.id}`, {
            firstName: 'T',
            jobTitle: 'x',
            teamId: t[0]?.id,
            role: 'admin'
        });
        expect(edit.status).toBe(400);
        expect(edit.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
            'firstName',
            'jobTitle',
            'teamId'
        ]);
        expect((await byEmail(o, 'taylor.brooks@demo.backstory.local'))?.role).toBe('member');
        const ok = await call(o, 'PATCH', `/v1/users/${u?.id}`, {
            role: 'admin',
            visibility: 'individual',
            lastName: 'Brooks-Park'
        });
        expect(ok.body).toMatchObject({ role: 'admin', visibility: 'individual' });
        const rename = await call(o, 'PATCH', `/v1/teams/${t[0]?.id}`, { name: 'Mine' });
        expect(rename.status).toBe(400);
        expect((await call(o, 'POST', '/v1/teams', { name: 'Mine', kind: 'hierarchy' })).status).toBe(409);
        expect((await call(o, 'POST', '/v1/teams', { name: 'Mine', kind: 'custom' })).status).toBe(201);

        // A role deleted in Salesforce: its team goes, its users move up.
        const riley = await userId('riley.garcia@demo.backstory.local');
        await admin.sobject('User').update({ Id: riley, UserRoleId: null });
        await admin.sobject('UserRole').destroy(newRole.id);
        const r = await sync(o);
        expect(r).toMatchObject({ updated: 1 });
        expect((await teams(o)).find((x) => x.name === 'Inside Sales')).toBeUndefined();
        expect((await byEmail(o, 'riley.garcia@demo.backstory.local'))?.teamId).toBe(
            (await teams(o)).find((x) => x.name === 'CEO')?.id
        );
    });

    it('UT-13 suspends users Salesforce deactivated or whose licence changed; reactivation in Salesforce restores', async () => {
        const o = await connectedOrg();
        await enable(o);
        const dana = await userId('quinn.murphy@demo.backstory.local');
        const alex = await userId('alex.kim@demo.backstory.local');
        const platform = (
            await admin.query<{ Id: string }>("SELECT Id FROM UserLicense WHERE Name = 'Salesforce Platform'")
        ).records[0];
        // A new profile on another licence, made in Setup (the emulator's admin surface), then an ordinary DML change.
        const [profile] = sf.emu.admin.insertRecords('Profile', [
            { Name: 'Platform Only', UserLicenseId: platform?.Id }
        ]);
        await admin.sobject('User').update({ Id: dana, IsActive: false });
        await admin.sobject('User').update({ Id: alex, ProfileId: profile?.Id });
        expect(await sync(o)).toEqual({ created: 0, updated: 0, suspended: 2, movedToTopLevel: 0 });
        expect(await byEmail(o, 'quinn.murphy@demo.backstory.local')).toMatchObject({
            status: 'suspended',
            statusReason: 'salesforce_deactivated'
        });
        expect(await byEmail(o, 'alex.kim@demo.backstory.local')).toMatchObject({
            status: 'suspended',
            statusReason: 'salesforce_license_changed'
        });
        const stats = (await call(o, 'GET', '/v1/users/stats')).body;
        expect(stats).toMatchObject({ suspended: 2, total: (await sfPeople()) + 1 });
        const d = await byEmail(o, 'quinn.murphy@demo.backstory.local');
        expect((await call(o, 'POST', `/v1/users/${d?.id}/reactivate`)).status).toBe(409);
        // Deleting an active Salesforce user would bring them back next sync.
        const sam = await byEmail(o, 'sam.patel@demo.backstory.local');
        expect((await call(o, 'DELETE', `/v1/users/${sam?.id}`)).status).toBe(409);

        await admin.sobject('User').update({ Id: dana, IsActive: true });
        expect(await sync(o)).toMatchObject({ updated: 1, suspended: 0 });
        // UT-13: the status before the suspension (Onboarding: linked, no activity yet) comes back.
        expect(await byEmail(o, 'quinn.murphy@demo.backstory.local')).toMatchObject({
            status: 'onboarding',
            statusReason: null
        });
        // The licence change stays suspended until an admin reactivates.
        const a = await byEmail(o, 'alex.kim@demo.backstory.local');
        expect((await call(o, 'POST', `/v1/users/${a?.id}/reactivate`)).body).toMatchObject({ status: 'onboarding' });
        expect(await sync(o)).toEqual({ created: 0, updated: 0, suspended: 0, movedToTopLevel: 0 });
    });

    it('UT-15 a user added by hand in automatic mode sits in Unassigned and the sync leaves them there', async () => {
        const o = await connectedOrg();
        await enable(o);
        const someTeam = (await teams(o))[0];
        const refused = await call(o, 'POST', '/v1/users', {
            firstName: 'H',
            lastName: 'H',
            email: 'h@x.test',
            teamId: someTeam?.id
        });
        expect(refused.status).toBe(400);
        expect(refused.body.error.details[0].path).toBe('teamId');
        const hand = (
            await call(o, 'POST', '/v1/users', { firstName: 'Hand', lastName: 'Added', email: 'hand@x.test' })
        ).body;
        const unassigned = (await teams(o)).find((t) => t.name === 'Unassigned');
        expect(hand).toMatchObject({ teamId: unassigned?.id, source: 'manual' });
        await sync(o);
        expect((await call(o, 'GET', `/v1/users/${hand.id}`)).body.teamId).toBe(unassigned?.id);
        // Hand-added users keep editable names; the team stays.
        expect((await call(o, 'PATCH', `/v1/users/${hand.id}`, { firstName: 'Handy' })).body.firstName).toBe('Handy');
        expect((await call(o, 'PATCH', `/v1/users/${hand.id}`, { teamId: someTeam?.id })).status).toBe(400);
    });

    it('UT-14 back to manual: syncing stops, the hierarchy stays, manual tools return', async () => {
        const o = await connectedOrg();
        await enable(o);
        const before = await teams(o);
        const res = await call(o, 'PUT', '/v1/org/mode', { mode: 'manual' });
        expect(res.body.mode).toBe('manual');
        expect(await teams(o)).toEqual(before);
        expect((await call(o, 'POST', '/v1/org/sync')).status).toBe(409);
        await admin
            .sobject('User')
            .update({ Id: await userId('nia.johnson@demo.backstory.local'), Title: 'Changed while manual' });
        const quinn = await byEmail(o, 'nia.johnson@demo.backstory.local');
        expect(quinn?.jobTitle).toBe('Sales Development Representative');
        const ceo = before.find((t) => t.name === 'CEO');
        expect((await call(o, 'PATCH', `/v1/teams/${ceo?.id}`, { name: 'Leadership' })).body.name).toBe('Leadership');
        expect((await call(o, 'PATCH', `/v1/users/${quinn?.id}`, { jobTitle: 'Edited here' })).body.jobTitle).toBe(
            'Edited here'
        );
        expect((await call(o, 'POST', '/v1/teams', { name: 'Manual again', kind: 'hierarchy' })).status).toBe(201);
        await admin.sobject('User').update({
            Id: await userId('nia.johnson@demo.backstory.local'),
            Title: 'Sales Development Representative'
        });
    });

    it('UT-2 builds the hierarchy from manager chains when the org chooses the manager field', async () => {
        const o = await connectedOrg();
        await enable(o, 'manager');
        const t = await teams(o);
        const casey = t.find((x) => x.name === "Casey Chen's team");
        const morgan = t.find((x) => x.name === "Morgan Price's team");
        expect(casey?.parentId).toBeNull();
        expect(morgan?.parentId).toBe(casey?.id);
        const all = await users(o);
        const morganUser = all.find((u) => u.email === 'morgan.price@demo.backstory.local');
        expect(morgan?.managerUserId).toBe(morganUser?.id);
        expect(morganUser?.teamId).toBe(casey?.id);
        expect(all.find((u) => u.email === 'jordan.lee@demo.backstory.local')?.teamId).toBe(morgan?.id);
        // The Salesforce admin has no manager and manages nobody: top-level team.
        expect(all.find((u) => u.email === 'admin@demo.backstory.local')?.teamId).toBe(casey?.id);
        expect(t.some((x) => x.salesforceRoleId)).toBe(false);
    });

    it('UT-5 imports selected roles once: their users arrive with default settings and nothing syncs afterwards', async () => {
        const o = await connectedOrg();
        const tree = await call(o, 'GET', '/v1/org/roles');
        expect(tree.status).toBe(200);
        expect(tree.body.items.map((r: Json) => r.name)).toEqual(['CEO']);
        const vp = tree.body.items[0].children.find((r: Json) => r.name === 'VP Sales');
        const east = vp.children.find((r: Json) => r.name === 'Sales Manager East');
        const aeEast = east.children.find((r: Json) => r.name === 'Account Executive East');
        const bad = await call(o, 'POST', '/v1/org/role-import', { roleIds: [east.id, '00E000000000000AAA'] });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details[0].path).toBe('roleIds.1');
        const res = await call(o, 'POST', '/v1/org/role-import', { roleIds: [east.id, aeEast.id] });
        const expected = await admin.query(
            `SELECT COUNT() FROM User WHERE IsActive = true AND UserRoleId IN ('${east.id}', '${aeEast.id}')`
        );
        expect(expected.totalSize).toBeGreaterThan(1);
        expect(res.body).toEqual({ imported: expected.totalSize, teamsCreated: 2 });
        const t = await teams(o);
        const eastTeam = t.find((x) => x.name === 'Sales Manager East');
        expect(t.find((x) => x.name === 'Account Executive East')?.parentId).toBe(eastTeam?.id);
        const def = (await call(o, 'GET', '/v1/profiles')).body.items.find((p: Json) => p.isDefault);
        for (const u of await users(o))
            expect(u).toMatchObject({
                source: 'role_import',
                profileId: def.id,
                role: 'member',
                visibility: 'team',
                licenses: ['foundation'],
                status: 'onboarding' // UT-13: linked to an active Salesforce user
            });
        expect(
            (await call(o, 'GET', '/v1/org/roles')).body.items[0].children
                .find((r: Json) => r.name === 'VP Sales')
                .children.find((r: Json) => r.name === 'Sales Manager East').imported
        ).toBe(true);
        // Importing again adds nobody; Salesforce changes do not flow in (no sync in manual mode).
        expect((await call(o, 'POST', '/v1/org/role-import', { roleIds: [east.id] })).body).toEqual({
            imported: 0,
            teamsCreated: 0
        });
        await newSfUser({ UserRoleId: aeEast.id, Title: 'AE' });
        expect((await call(o, 'POST', '/v1/org/sync')).status).toBe(409);
        expect(await users(o)).toHaveLength(expected.totalSize);
    });

    it('UT-2 a sync of an org with 5,000 users and 300 roles costs a handful of API calls', async () => {
        const big = await startTestEmulator({ seed: 'empty' });
        try {
            const bigAdmin = await big.login('admin@demo.backstory.local');
            const profile = (
                await bigAdmin.query<{ Id: string }>("SELECT Id FROM Profile WHERE Name = 'Standard User'")
            ).records[0]?.Id;
            const roles: { Id: string }[] = [];
            for (let i = 0; i < 300; i++) {
                const parent = i === 0 ? null : roles[Math.floor((i - 1) / 3)]?.Id;
                roles.push(...big.emu.admin.insertRecords('UserRole', [{ Name: `Role ${i}`, ParentRoleId: parent }]));
            }
            big.emu.admin.insertRecords(
                'User',
                Array.from({ length: 5000 }, (_, i) => ({
                    Username: `u${i}@big.test`,
                    Email: `u${i}@big.test`,
                    FirstName: 'User',
                    LastName: `${i}`,
                    Alias: `u${i}`.slice(0, 8),
                    Title: i % 10 === 0 ? 'Manager' : 'Rep',
                    ProfileId: profile,
                    UserRoleId: roles[i % 300]?.Id
                }))
            );
            const o = await app.newOrg('Big org', big.integrationAuth);
            await call(o, 'POST', '/v1/profiles', { name: 'Sales' });
            big.emu.admin.resetApiCalls();
            const started = Date.now();
            const res = await call(o, 'PUT', '/v1/org/mode', { mode: 'automatic' });
            const ms = Date.now() - started;
            expect(res.status).toBe(200);
            const first = big.emu.admin.apiCalls();
            const stats = (await call(o, 'GET', '/v1/users/stats')).body;
            expect(stats.total).toBe(await sfPeople(bigAdmin));
            expect((await call(o, 'GET', '/v1/teams?limit=500')).body.items).toHaveLength(300 + 9 + 1); // two top roles: a top-level team above them
            big.emu.admin.resetApiCalls();
            const again = await sync(o);
            const incremental = big.emu.admin.apiCalls();
            expect(again).toEqual({ created: 0, updated: 0, suspended: 0, movedToTopLevel: 0 });
            process.stdout.write(
                `UT-2: first sync of ${stats.total} users / 309 roles: ${first} API calls, ${ms} ms; incremental sync with no change: ${incremental} API calls\n`
            );
            expect(first).toBeLessThanOrEqual(12);
            expect(incremental).toBeLessThanOrEqual(5);
        } finally {
            await big.close();
        }
    }, 180_000); // heavy: not a timed test, the limit only guards a loaded machine
});
