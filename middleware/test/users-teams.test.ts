import { sql } from 'kysely';
import { json } from '../src/store/schema';
import { isProcessingAllowed } from '../src/domain/users';
import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { storeEngines } from './helpers/store';

type Json = Record<string, unknown> & { id: string };

describe.each(storeEngines)('users and teams in manual mode on %s', (engine) => {
    let app: TestApp;
    beforeAll(async () => {
        app = await startTestApp({ engine });
    });
    afterAll(async () => {
        await app.close();
    });

    const post = async (o: TestOrg, path: string, body: unknown, headers?: Record<string, string>) =>
        app.call(o.apiKey, 'POST', path, body, headers);
    const addUser = async (o: TestOrg, body: Record<string, unknown>): Promise<Json> => {
        const res = await post(o, '/v1/users', body);
        if (res.status !== 201) throw new Error(`POST /v1/users ${res.status}: ${res.text}`);
        return res.body as Json;
    };
    const addTeam = async (o: TestOrg, body: Record<string, unknown>): Promise<Json> => {
        const res = await post(o, '/v1/teams', body);
        if (res.status !== 201) throw new Error(`POST /v1/teams ${res.status}: ${res.text}`);
        return res.body as Json;
    };

    it('UT-1 starts every org in manual mode and always shows the mode', async () => {
        const o = await app.newOrg();
        const res = await app.call(o.apiKey, 'GET', '/v1/org');
        expect(res.body).toMatchObject({
            mode: 'manual',
            hierarchySource: 'role',
            syncIntervalMinutes: 30,
            lastSyncAt: null
        });
    });

    it('UT-4 creates, nests, renames and deletes teams, refusing cycles and non-empty deletes', async () => {
        const o = await app.newOrg();
        const sales = await addTeam(o, { name: 'Sales', kind: 'hierarchy' });
        const east = await addTeam(o, { name: 'East', parentId: sales.id, kind: 'hierarchy' });
        const eastAe = await addTeam(o, { name: 'East AEs', parentId: east.id });
        expect(eastAe).toMatchObject({ parentId: east.id, kind: 'hierarchy', memberCount: 0, salesforceRoleId: null });

        const cycle = await app.call(o.apiKey, 'PATCH', `/v1/teams/${sales.id}`, { parentId: eastAe.id });
        expect(cycle.status).toBe(400);
        expect(cycle.body.error.details).toEqual([{ path: 'parentId', message: expect.stringContaining('cycle') }]);
        const self = await app.call(o.apiKey, 'PATCH', `/v1/teams/${sales.id}`, { parentId: sales.id });
        expect(self.status).toBe(400);

        const dup = await post(o, '/v1/teams', { name: 'east', parentId: sales.id, kind: 'hierarchy' });
        expect(dup.status).toBe(409);
        expect(dup.body.error.details[0].path).toBe('name');

        const renamed = await app.call(o.apiKey, 'PATCH', `/v1/teams/${east.id}`, { name: 'East Coast' });
        expect(renamed.body).toMatchObject({ name: 'East Coast', parentId: sales.id });
        const moved = await app.call(o.apiKey, 'PATCH', `/v1/teams/${eastAe.id}`, { parentId: sales.id });
        expect(moved.body.parentId).toBe(sales.id);

        const manager = await addUser(o, {
            firstName: 'Mia',
            lastName: 'Manager',
            email: 'mia@x.test',
            teamId: east.id
        });
        const withManager = await app.call(o.apiKey, 'PATCH', `/v1/teams/${east.id}`, { managerUserId: manager.id });
        expect(withManager.body).toMatchObject({ managerUserId: manager.id, memberCount: 1 });

        const notEmpty = await app.call(o.apiKey, 'DELETE', `/v1/teams/${east.id}`);
        expect(notEmpty.status).toBe(409);
        expect(notEmpty.body.error.message).toContain('1 user');
        const hasChildren = await app.call(o.apiKey, 'DELETE', `/v1/teams/${sales.id}`);
        expect(hasChildren.status).toBe(409);
        expect(hasChildren.body.error.message).toContain('sub-team');
        expect((await app.call(o.apiKey, 'DELETE', `/v1/teams/${eastAe.id}`)).status).toBe(204);
        const teams = await app.call(o.apiKey, 'GET', '/v1/teams');
        expect(teams.body.items.map((t: Json) => t.name).sort()).toEqual(['East Coast', 'Sales']);

        const audit = await app.call(o.apiKey, 'GET', `/v1/audit?entity=team&id=${east.id}`);
        expect(audit.body.items.map((e: Json) => e.action)).toEqual(['update', 'update', 'create']);
    });

    it('UT-4 custom teams hold several members and a user may be in several', async () => {
        const o = await app.newOrg();
        const a = await addUser(o, { firstName: 'Ann', lastName: 'A', email: 'ann@x.test' });
        const b = await addUser(o, { firstName: 'Ben', lastName: 'B', email: 'ben@x.test' });
        const deal = await addTeam(o, { name: 'Deal desk', kind: 'custom' });
        const tiger = await addTeam(o, { name: 'Tiger team', kind: 'custom' });
        const put = await app.call(o.apiKey, 'PUT', `/v1/teams/${deal.id}/members`, { userIds: [a.id, b.id] });
        expect(put.body).toMatchObject({ kind: 'custom', memberCount: 2 });
        await app.call(o.apiKey, 'PUT', `/v1/teams/${tiger.id}/members`, { userIds: [a.id] });
        const ann = await app.call(o.apiKey, 'GET', `/v1/users/${a.id}`);
        expect(ann.body.customTeamIds.sort()).toEqual([deal.id, tiger.id].sort());
        const byTeam = await app.call(o.apiKey, 'GET', `/v1/users?teamId=${tiger.id}`);
        expect(byTeam.body.items.map((u: Json) => u.id)).toEqual([a.id]);

        const unknown = await app.call(o.apiKey, 'PUT', `/v1/teams/${deal.id}/members`, {
            userIds: [a.id, 'usr_nope']
        });
        expect(unknown.status).toBe(400);
        expect(unknown.body.error.details).toEqual([{ path: 'userIds.1', message: 'no user usr_nope in this org' }]);
        expect(
            (await app.call(o.apiKey, 'GET', `/v1/teams`)).body.items.find((t: Json) => t.id === deal.id).memberCount
        ).toBe(2);

        const nested = await post(o, '/v1/teams', { name: 'Nested', kind: 'custom', parentId: deal.id });
        expect(nested.status).toBe(400);
        const hierarchy = await addTeam(o, { name: 'Sales', kind: 'hierarchy' });
        const onHierarchy = await app.call(o.apiKey, 'PUT', `/v1/teams/${hierarchy.id}/members`, { userIds: [a.id] });
        expect(onHierarchy.status).toBe(400);
        // Custom teams go with their memberships; the users stay.
        expect((await app.call(o.apiKey, 'DELETE', `/v1/teams/${deal.id}`)).status).toBe(204);
        expect((await app.call(o.apiKey, 'GET', `/v1/users/${b.id}`)).body.customTeamIds).toEqual([]);
    });

    it('UT-7 adds a user with defaults: no profile means "Default - Intake Off"; the email is unique per org', async () => {
        const o = await app.newOrg();
        const other = await app.newOrg();
        const u = await addUser(o, { firstName: 'Dana', lastName: 'Doe', email: 'Dana.Doe@x.test' });
        const profiles = await app.call(o.apiKey, 'GET', '/v1/profiles');
        const def = profiles.body.items.find((p: Json) => p.isDefault);
        expect(def.name).toBe('Default - Intake Off');
        expect(u).toMatchObject({
            firstName: 'Dana',
            role: 'member',
            licenses: ['foundation'],
            visibility: 'team',
            profileId: def.id,
            teamId: null,
            customTeamIds: [],
            status: 'pending',
            source: 'manual',
            salesforceUserId: null
        });
        const dup = await post(o, '/v1/users', { firstName: 'D', lastName: 'D', email: 'dana.doe@X.TEST' });
        expect(dup.status).toBe(409);
        expect(dup.body.error.details).toEqual([{ path: 'email', message: 'is already taken' }]);
        // Another org may have the same email.
        expect(
            (await post(other, '/v1/users', { firstName: 'D', lastName: 'D', email: 'dana.doe@x.test' })).status
        ).toBe(201);

        const bad = await post(o, '/v1/users', {
            firstName: '',
            lastName: 'X',
            email: 'not-an-email',
            role: 'boss',
            profileId: 'prf_nope'
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
            'email',
            'firstName',
            'role'
        ]);
        const badRef = await post(o, '/v1/users', {
            firstName: 'A',
            lastName: 'B',
            email: 'ab@x.test',
            profileId: 'prf_nope',
            teamId: 'team_nope'
        });
        expect(badRef.status).toBe(400);
        expect(badRef.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['profileId', 'teamId']);
        const list = await app.call(o.apiKey, 'GET', '/v1/users');
        expect(list.body.items).toHaveLength(1);
    });

    it('UT-8 edits a user in manual mode, every field, and names each bad field', async () => {
        const o = await app.newOrg();
        const team = await addTeam(o, { name: 'Sales', kind: 'hierarchy' });
        const profile = await post(o, '/v1/profiles', { name: 'Sales profile' });
        const u = await addUser(o, { firstName: 'Eve', lastName: 'E', email: 'eve@x.test' });
        const res = await app.call(o.apiKey, 'PATCH', `/v1/users/${u.id}`, {
            firstName: 'Evelyn',
            jobTitle: 'AE',
            teamId: team.id,
            role: 'manager',
            visibility: 'individual',
            profileId: profile.body.id,
            licenses: ['forecasting', 'foundation', 'foundation'],
            salesforceUserId: '005000000000001',
            status: 'active'
        });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
            firstName: 'Evelyn',
            jobTitle: 'AE',
            teamId: team.id,
            role: 'manager',
            visibility: 'individual',
            profileId: profile.body.id,
            licenses: ['foundation', 'forecasting'],
            salesforceUserId: '005000000000001AAA',
            status: 'active'
        });
        const bad = await app.call(o.apiKey, 'PATCH', `/v1/users/${u.id}`, {
            visibility: 'some',
            licenses: [],
            extra: 1
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
            'body',
            'licenses',
            'visibility'
        ]);
        expect(bad.body.error.message).toContain('extra');
        const suspend = await app.call(o.apiKey, 'PATCH', `/v1/users/${u.id}`, { status: 'suspended' });
        expect(suspend.status).toBe(400);
        expect((await app.call(o.apiKey, 'GET', `/v1/users/${u.id}`)).body.firstName).toBe('Evelyn');
        expect((await app.call(o.apiKey, 'PATCH', `/v1/users/usr_nope`, { role: 'admin' })).status).toBe(404);
    });

    it('UT-9 suspension revokes access at once, keeps the data, stops processing; reactivation restores; delete removes activity for good', async () => {
        const o = await app.newOrg();
        const u = await addUser(o, {
            firstName: 'Sam',
            lastName: 'S',
            email: 'sam@x.test',
            salesforceUserId: '005000000000002AAA',
            role: 'member'
        });
        await app.call(o.apiKey, 'PATCH', `/v1/users/${u.id}`, { status: 'active' });
        const db = app.store.db;
        await db
            .insertInto('activities')
            .values({
                id: 'act_1',
                org_id: o.org.id,
                external_id: 'ext-1',
                type: 'email',
                source: 'api',
                owner_user_id: u.id,
                owner_email: 'sam@x.test',
                subject: 'Hello',
                body: null,
                starts_at: new Date().toISOString(),
                ends_at: null,
                participants: json([]),
                transcript: null,
                match: json(null),
                who_id: null,
                who_type: null,
                what_id: null,
                what_type: null,
                matched_at: null,
                match_revision: 0,
                synced_revision: null
            })
            .execute();
        const as = { 'x-acting-user': '005000000000002AAA' };
        expect((await app.call(o.apiKey, 'GET', '/v1/users', undefined, as)).status).toBe(200);

        const s = await post(o, `/v1/users/${u.id}/suspend`, {});
        expect(s.body).toMatchObject({ status: 'suspended', statusReason: 'manual' });
        expect(isProcessingAllowed(s.body)).toBe(false);
        const denied = await app.call(o.apiKey, 'GET', '/v1/users', undefined, as);
        expect(denied.status).toBe(403);
        const kept = await db.selectFrom('activities').select('id').where('owner_user_id', '=', u.id).execute();
        expect(kept).toHaveLength(1);

        const r = await post(o, `/v1/users/${u.id}/reactivate`, {});
        expect(r.body).toMatchObject({ status: 'active', statusReason: null });
        expect(isProcessingAllowed(r.body)).toBe(true);
        expect((await app.call(o.apiKey, 'GET', '/v1/users', undefined, as)).status).toBe(200);

        expect((await app.call(o.apiKey, 'DELETE', `/v1/users/${u.id}`)).status).toBe(204);
        const gone = await db.selectFrom('activities').select('id').where('org_id', '=', o.org.id).execute();
        expect(gone).toEqual([]);
        expect((await app.call(o.apiKey, 'GET', `/v1/users/${u.id}`)).status).toBe(404);
        expect((await app.call(o.apiKey, 'GET', '/v1/users', undefined, as)).status).toBe(403);
        const audit = await app.call(o.apiKey, 'GET', `/v1/audit?entity=user&id=${u.id}`);
        expect(audit.body.items.map((e: Json) => e.action)).toEqual(['delete', 'update', 'update', 'update', 'create']);
    });

    it('UT-10 only admins change users and teams; the Data role is never processed', async () => {
        const o = await app.newOrg();
        await addUser(o, {
            firstName: 'Al',
            lastName: 'Admin',
            email: 'al@x.test',
            role: 'admin',
            salesforceUserId: '005000000000003AAA'
        });
        await addUser(o, {
            firstName: 'Mo',
            lastName: 'Member',
            email: 'mo@x.test',
            role: 'member',
            salesforceUserId: '005000000000004AAA',
            visibility: 'full'
        });
        const member = { 'x-acting-user': '005000000000004AAA' };
        const admin = { 'x-acting-user': '005000000000003AAA' };
        expect((await post(o, '/v1/users', { firstName: 'X', lastName: 'Y', email: 'xy@x.test' }, member)).status).toBe(
            403
        );
        expect((await post(o, '/v1/teams', { name: 'T', kind: 'custom' }, member)).status).toBe(403);
        expect((await app.call(o.apiKey, 'GET', '/v1/users/export', undefined, member)).status).toBe(403);
        expect((await post(o, '/v1/users', { firstName: 'X', lastName: 'Y', email: 'xy@x.test' }, admin)).status).toBe(
            201
        );
        expect(isProcessingAllowed({ status: 'active', role: 'data' })).toBe(false);
        expect(isProcessingAllowed({ status: 'pending', role: 'member' })).toBe(true);
    });

    it('UT-11 accepts both names of the enterprise licence and stores one', async () => {
        const o = await app.newOrg();
        const u = await addUser(o, {
            firstName: 'Li',
            lastName: 'L',
            email: 'li@x.test',
            licenses: ['peopleglass_enterprise', 'unified_enterprise', 'engagement_dashboard']
        });
        expect(u.licenses).toEqual(['engagement_dashboard', 'unified_enterprise']);
        const bad = await post(o, '/v1/users', {
            firstName: 'L',
            lastName: 'L',
            email: 'l2@x.test',
            licenses: ['gold']
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details[0].path).toBe('licenses.0');
    });

    it('UT-12 members and managers see users by visibility: team and below, individual, full; stats agree with the list', async () => {
        const o = await app.newOrg();
        const sales = await addTeam(o, { name: 'Sales', kind: 'hierarchy' });
        const east = await addTeam(o, { name: 'East', kind: 'hierarchy', parentId: sales.id });
        const west = await addTeam(o, { name: 'West', kind: 'hierarchy', parentId: sales.id });
        const mk = (n: string, extra: Record<string, unknown>) =>
            addUser(o, { firstName: n, lastName: 'T', email: `${n}@x.test`, ...extra });
        const vp = await mk('vp', {
            teamId: sales.id,
            role: 'manager',
            visibility: 'team',
            salesforceUserId: '005000000000010AAA'
        });
        const e1 = await mk('e1', {
            teamId: east.id,
            role: 'manager',
            visibility: 'team',
            salesforceUserId: '005000000000011AAA'
        });
        const e2 = await mk('e2', {
            teamId: east.id,
            visibility: 'individual',
            salesforceUserId: '005000000000012AAA'
        });
        const w1 = await mk('w1', { teamId: west.id, visibility: 'full', salesforceUserId: '005000000000013AAA' });
        const loner = await mk('loner', {});
        const ids = async (sf: string, q = '') =>
            (await app.call(o.apiKey, 'GET', `/v1/users${q}`, undefined, { 'x-acting-user': sf })).body.items
                .map((u: Json) => u.id)
                .sort();
        expect(await ids('005000000000010AAA')).toEqual([vp.id, e1.id, e2.id, w1.id].sort());
        expect(await ids('005000000000011AAA')).toEqual([e1.id, e2.id].sort());
        expect(await ids('005000000000012AAA')).toEqual([e2.id]);
        expect(await ids('005000000000013AAA')).toEqual([vp.id, e1.id, e2.id, w1.id, loner.id].sort());
        // Someone the viewer cannot see is not found, not forbidden (nothing leaks).
        expect(
            (
                await app.call(o.apiKey, 'GET', `/v1/users/${w1.id}`, undefined, {
                    'x-acting-user': '005000000000011AAA'
                })
            ).status
        ).toBe(404);
        // Takes effect on the next request.
        await app.call(o.apiKey, 'PATCH', `/v1/users/${e2.id}`, { visibility: 'full' });
        expect(await ids('005000000000012AAA')).toHaveLength(5);
        // Stats count exactly the visible users.
        await post(o, `/v1/users/${e2.id}/suspend`, {});
        const stats = await app.call(o.apiKey, 'GET', '/v1/users/stats', undefined, {
            'x-acting-user': '005000000000011AAA'
        });
        expect(stats.body).toEqual({
            total: 2,
            pending: 1,
            onboarding: 0,
            permissionErrors: 0,
            active: 0,
            suspended: 1
        });
    });

    it('UT-13 status counts always equal what the list returns, for every filter', async () => {
        const o = await app.newOrg();
        const team = await addTeam(o, { name: 'Ops', kind: 'hierarchy' });
        const statuses = ['pending', 'onboarding', 'permission_error', 'active', 'active', 'pending'];
        const users: Json[] = [];
        for (const [i, status] of statuses.entries()) {
            const u = await addUser(o, {
                firstName: `U${i}`,
                lastName: i % 2 ? 'Odd' : 'Even',
                email: `u${i}@x.test`,
                teamId: i < 3 ? team.id : null
            });
            await app.call(o.apiKey, 'PATCH', `/v1/users/${u.id}`, { status });
            users.push(u);
        }
        await post(o, `/v1/users/${users[3]?.id}/suspend`, {});
        for (const filter of ['', `teamId=${team.id}`, 'q=odd', 'q=u1%40']) {
            const stats = (await app.call(o.apiKey, 'GET', `/v1/users/stats?${filter}`)).body;
            const count = async (status?: string) => {
                let n = 0;
                let cursor: string | null = null;
                do {
                    const qs: string = [
                        filter,
                        status ? `status=${status}` : '',
                        'limit=2',
                        cursor ? `cursor=${cursor}` : ''
                    ]
                        .filter(Boolean)
                        .join('&');
                    const page = (await app.call(o.apiKey, 'GET', `/v1/users?${qs}`)).body;
                    n += page.items.length;
                    cursor = page.nextCursor;
                } while (cursor);
                return n;
            };
            expect(stats).toEqual({
                total: await count(),
                pending: await count('pending'),
                onboarding: await count('onboarding'),
                permissionErrors: await count('permission_error'),
                active: await count('active'),
                suspended: await count('suspended')
            });
        }
        const all = (await app.call(o.apiKey, 'GET', '/v1/users/stats')).body;
        expect(all).toEqual({ total: 6, pending: 2, onboarding: 1, permissionErrors: 1, active: 1, suspended: 1 });
        expect((await app.call(o.apiKey, 'GET', '/v1/users?cursor=garbage')).status).toBe(400);
    });

    it('CP-8 assigns a profile to many users at once and names unknown users', async () => {
        const o = await app.newOrg();
        const p = await post(o, '/v1/profiles', { name: 'Bulk' });
        const a = await addUser(o, { firstName: 'A', lastName: 'A', email: 'a@x.test' });
        const b = await addUser(o, { firstName: 'B', lastName: 'B', email: 'b@x.test' });
        const bad = await post(o, '/v1/users/profile-assignments', { userIds: [a.id, 'usr_x'], profileId: p.body.id });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details).toEqual([{ path: 'userIds.1', message: 'no user usr_x in this org' }]);
        expect((await app.call(o.apiKey, 'GET', `/v1/users/${a.id}`)).body.profileId).not.toBe(p.body.id);
        const ok = await post(o, '/v1/users/profile-assignments', { userIds: [a.id, b.id], profileId: p.body.id });
        expect(ok.body).toEqual({ updated: 2 });
        expect((await app.call(o.apiKey, 'GET', `/v1/users?profileId=${p.body.id}`)).body.items).toHaveLength(2);
        expect((await app.call(o.apiKey, 'GET', `/v1/profiles/${p.body.id}`)).body.userCount).toBe(2);
        const again = await post(o, '/v1/users/profile-assignments', { userIds: [a.id], profileId: p.body.id });
        expect(again.body).toEqual({ updated: 0 });
        const count = await sql<{
            n: number;
        }>`select count(*)::int as n from audit_events where org_id = ${o.org.id} and entity = 'user' and action = 'update'`.execute(
            app.store.db
        );
        expect(count.rows[0]?.n).toBe(2);
    });
});
