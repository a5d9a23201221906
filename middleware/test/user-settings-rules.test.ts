import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { storeEngines } from './helpers/store';
import { insertUser } from './helpers/users';

describe.each(storeEngines)('user settings rules over HTTP on %s (USR-1..USR-7)', (engine) => {
    let app: TestApp;
    let org: TestOrg;
    let defaultProfile: string;
    let salesProfile: string;
    beforeAll(async () => {
        app = await startTestApp({ engine });
    });
    beforeEach(async () => {
        org = await app.newOrg('Rules org');
        defaultProfile = (await call('GET', '/v1/profiles')).body.items[0].id;
        salesProfile = (await call('POST', '/v1/profiles', { name: 'Sales' })).body.id;
    });
    afterAll(() => app.close());
    const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
        app.call(org.apiKey, method, path, body, headers);
    const automatic = () =>
        app.store.db.updateTable('orgs').set({ mode: 'automatic' }).where('id', '=', org.org.id).execute();
    const sdrRule = () => ({
        name: 'SDRs',
        description: 'Sales development',
        filters: [{ field: 'job_title', operator: 'contains', value: 'Development' }],
        assignments: { profileId: salesProfile, role: 'member', visibility: 'individual', licenses: ['foundation'] }
    });
    const eastRule = () => ({
        name: 'East',
        filters: [{ field: 'team_name', operator: 'in', value: ['East', 'North East'] }],
        assignments: {
            profileId: salesProfile,
            role: 'manager',
            visibility: 'team',
            licenses: ['foundation', 'forecasting']
        }
    });

    it('USR-7 the catch-all always exists, last, with the recommended assignments', async () => {
        const res = await call('GET', '/v1/user-settings-rules');
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(1);
        expect(res.body.items[0]).toMatchObject({
            isCatchAll: true,
            filters: [],
            assignments: {
                profileId: defaultProfile,
                role: 'member',
                visibility: 'full',
                licenses: ['foundation', 'engagement_dashboard']
            }
        });
    });

    it('USR-1 rules can only be saved in automatic mode (409 with the reason), while evaluate works in both', async () => {
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const res = await call('PUT', '/v1/user-settings-rules', { items: [sdrRule(), catchAll] });
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/automatic mode/);
        expect((await call('GET', '/v1/user-settings-rules')).body.items).toHaveLength(1);
        const evaluated = await call('POST', '/v1/user-settings-rules/evaluate', { jobTitle: 'Engineer' });
        expect(evaluated.body).toEqual({ ruleId: catchAll.id, assignments: catchAll.assignments });
    });

    it('USR-6 saves the ordered list as a whole and keeps rule ids when reordered', async () => {
        await automatic();
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const saved = await call('PUT', '/v1/user-settings-rules', { items: [sdrRule(), eastRule(), catchAll] });
        expect(saved.status).toBe(200);
        const [sdr, east] = saved.body.items;
        expect(saved.body.items.map((r: { name: string }) => r.name)).toEqual(['SDRs', 'East', 'Catch-all']);
        const reordered = await call('PUT', '/v1/user-settings-rules', { items: [east, sdr, catchAll] });
        expect(reordered.body.items.map((r: { id: string }) => r.id)).toEqual([east.id, sdr.id, catchAll.id]);
        const dropped = await call('PUT', '/v1/user-settings-rules', { items: [sdr, catchAll] });
        expect(dropped.body.items.map((r: { id: string }) => r.id)).toEqual([sdr.id, catchAll.id]);
    });

    it('USR-2 evaluate applies the first matching rule, else the catch-all', async () => {
        await automatic();
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const saved = (await call('PUT', '/v1/user-settings-rules', { items: [sdrRule(), eastRule(), catchAll] })).body
            .items;
        expect(
            (
                await call('POST', '/v1/user-settings-rules/evaluate', {
                    teamName: 'East',
                    jobTitle: 'Business Development Rep'
                })
            ).body.ruleId
        ).toBe(saved[0].id);
        expect(
            (await call('POST', '/v1/user-settings-rules/evaluate', { teamName: 'north east', jobTitle: 'AE' })).body
        ).toEqual({ ruleId: saved[1].id, assignments: saved[1].assignments });
        expect((await call('POST', '/v1/user-settings-rules/evaluate', { teamName: 'West' })).body.ruleId).toBe(
            catchAll.id
        );
        expect((await call('POST', '/v1/user-settings-rules/evaluate', { team: 'West' })).status).toBe(400);
    });

    it('USR-3 saving rules never changes existing users', async () => {
        await automatic();
        const user = await insertUser(app.store.db, org.org.id, { profileId: defaultProfile });
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        await call('PUT', '/v1/user-settings-rules', {
            items: [
                { ...sdrRule(), filters: [{ field: 'team_name', operator: 'not_equals', value: 'Nobody' }] },
                { ...catchAll, assignments: { ...catchAll.assignments, profileId: salesProfile } }
            ]
        });
        const row = await app.store.db
            .selectFrom('users')
            .select(['profile_id', 'role'])
            .where('id', '=', user.id)
            .executeTakeFirstOrThrow();
        expect(row).toEqual({ profile_id: defaultProfile, role: 'member' });
    });

    it('USR-4 a rule has a name, description, filters that must all hold, and assignments', async () => {
        await automatic();
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const both = { ...eastRule(), name: 'East SDRs', filters: [...eastRule().filters, sdrRule().filters[0]] };
        const saved = (await call('PUT', '/v1/user-settings-rules', { items: [both, catchAll] })).body.items[0];
        expect(saved).toMatchObject({
            name: 'East SDRs',
            description: '',
            isCatchAll: false,
            assignments: { role: 'manager', visibility: 'team' }
        });
        expect(
            (await call('POST', '/v1/user-settings-rules/evaluate', { teamName: 'East', jobTitle: 'AE' })).body.ruleId
        ).toBe(catchAll.id);
        expect(
            (
                await call('POST', '/v1/user-settings-rules/evaluate', {
                    teamName: 'East',
                    jobTitle: 'Sales Development'
                })
            ).body.ruleId
        ).toBe(saved.id);
        const badField = await call('PUT', '/v1/user-settings-rules', {
            items: [{ ...both, filters: [{ field: 'department', operator: 'equals', value: 'x' }] }, catchAll]
        });
        expect(badField.status).toBe(400);
        expect(badField.body.error.details[0].path).toBe('items.0.filters.0.field');
        const badRole = await call('PUT', '/v1/user-settings-rules', {
            items: [{ ...both, assignments: { ...both.assignments, role: 'data' } }, catchAll]
        });
        expect(badRole.body.error.details[0].path).toBe('items.0.assignments.role');
    });

    it('USR-5 contains on job title takes exactly one value per filter', async () => {
        await automatic();
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const res = await call('PUT', '/v1/user-settings-rules', {
            items: [
                { ...sdrRule(), filters: [{ field: 'job_title', operator: 'contains', value: ['SDR', 'BDR'] }] },
                catchAll
            ]
        });
        expect(res.status).toBe(400);
        expect(res.body.error.details[0]).toEqual({
            path: 'items.0.filters.0.value',
            message: 'contains takes exactly one value (USR-5): add a rule per value'
        });
        expect((await call('GET', '/v1/user-settings-rules')).body.items).toHaveLength(1);
    });

    it('USR-7 the catch-all cannot be deleted or moved, only its assignments change', async () => {
        await automatic();
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const omitted = await call('PUT', '/v1/user-settings-rules', { items: [sdrRule()] });
        expect(omitted.status).toBe(400);
        expect(omitted.body.error.details.map((d: { message: string }) => d.message).join(' ')).toMatch(
            /cannot be deleted/
        );
        const moved = await call('PUT', '/v1/user-settings-rules', { items: [catchAll, sdrRule()] });
        expect(moved.status).toBe(400);
        expect(moved.body.error.details.map((d: { path: string }) => d.path)).toContain('items.0.isCatchAll');
        const demoted = await call('PUT', '/v1/user-settings-rules', {
            items: [
                { ...catchAll, isCatchAll: false, filters: sdrRule().filters },
                { ...catchAll, id: undefined }
            ]
        });
        expect(demoted.status).toBe(400);
        expect(demoted.body.error.details.map((d: { path: string }) => d.path)).toContain('items.0.isCatchAll');
        expect((await call('GET', '/v1/user-settings-rules')).body.items).toEqual([catchAll]);
        const renamed = await call('PUT', '/v1/user-settings-rules', {
            items: [{ ...catchAll, name: 'Everyone else' }]
        });
        expect(renamed.status).toBe(400);
        const reassigned = await call('PUT', '/v1/user-settings-rules', {
            items: [
                { ...catchAll, assignments: { ...catchAll.assignments, profileId: salesProfile, visibility: 'team' } }
            ]
        });
        expect(reassigned.status).toBe(200);
        expect(reassigned.body.items[0]).toMatchObject({
            id: catchAll.id,
            isCatchAll: true,
            assignments: { profileId: salesProfile, visibility: 'team' }
        });
    });

    it('refuses an unknown profile id in an assignment, naming it, and changes nothing', async () => {
        await automatic();
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const res = await call('PUT', '/v1/user-settings-rules', {
            items: [{ ...sdrRule(), assignments: { ...sdrRule().assignments, profileId: 'prf_nope' } }, catchAll]
        });
        expect(res.status).toBe(400);
        expect(res.body.error.details).toEqual([
            { path: 'items.0.assignments.profileId', message: 'no profile prf_nope in this org' }
        ]);
        expect((await call('GET', '/v1/user-settings-rules')).body.items).toEqual([catchAll]);
    });

    it('only admins may read or change rules, and every change is audited', async () => {
        await automatic();
        const member = await insertUser(app.store.db, org.org.id, { role: 'manager' });
        expect(
            (await call('GET', '/v1/user-settings-rules', undefined, { 'x-acting-user': member.salesforceUserId }))
                .status
        ).toBe(403);
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const saved = (await call('PUT', '/v1/user-settings-rules', { items: [sdrRule(), catchAll] })).body.items[0];
        const audit = await call('GET', `/v1/audit?entity=rule&id=${saved.id}`);
        expect(audit.body.items).toEqual([
            expect.objectContaining({
                action: 'create',
                entity: 'rule',
                before: null,
                after: expect.objectContaining({ name: 'SDRs', position: 0 })
            })
        ]);
    });

    it('USR-4 licences: PeopleGlass Enterprise (seed 002) is stored as unified_enterprise, once', async () => {
        await automatic();
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const res = await call('PUT', '/v1/user-settings-rules', {
            items: [
                {
                    ...sdrRule(),
                    assignments: {
                        ...sdrRule().assignments,
                        licenses: ['foundation', 'peopleglass_enterprise', 'unified_enterprise']
                    }
                },
                catchAll
            ]
        });
        expect(res.status).toBe(200);
        expect(res.body.items[0].assignments.licenses).toEqual(['foundation', 'unified_enterprise']);
        const bad = await call('PUT', '/v1/user-settings-rules', {
            items: [{ ...sdrRule(), assignments: { ...sdrRule().assignments, licenses: ['platinum'] } }, catchAll]
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details[0].path).toBe('items.0.assignments.licenses.0');
        expect((await call('GET', '/v1/user-settings-rules')).body.items).toEqual(res.body.items);
    });

    it('USR-4 in takes a non-empty list; equals and not_equals take one value; a rule needs a filter', async () => {
        await automatic();
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const withFilter = (filter: object) =>
            call('PUT', '/v1/user-settings-rules', { items: [{ ...sdrRule(), filters: [filter] }, catchAll] });
        const emptyIn = await withFilter({ field: 'team_name', operator: 'in', value: [] });
        expect(emptyIn.status).toBe(400);
        expect(emptyIn.body.error.details[0].path).toBe('items.0.filters.0.value');
        const listEquals = await withFilter({ field: 'team_name', operator: 'equals', value: ['East', 'West'] });
        expect(listEquals.status).toBe(400);
        const noFilters = await call('PUT', '/v1/user-settings-rules', {
            items: [{ ...sdrRule(), filters: [] }, catchAll]
        });
        expect(noFilters.status).toBe(400);
        expect(noFilters.body.error.details[0].path).toBe('items.0.filters');
        const badOperator = await withFilter({ field: 'job_title', operator: 'starts_with', value: 'VP' });
        expect(badOperator.body.error.details[0].path).toBe('items.0.filters.0.operator');
        expect((await call('GET', '/v1/user-settings-rules')).body.items).toEqual([catchAll]);
    });

    it('USR-6 reordering, editing and removing rules are audited with positions before and after', async () => {
        await automatic();
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const [sdr, east] = (await call('PUT', '/v1/user-settings-rules', { items: [sdrRule(), eastRule(), catchAll] }))
            .body.items;
        await call('PUT', '/v1/user-settings-rules', { items: [{ ...east, name: 'East coast' }, sdr, catchAll] });
        await call('PUT', '/v1/user-settings-rules', { items: [sdr, catchAll] });
        const eastAudit = (await call('GET', `/v1/audit?entity=rule&id=${east.id}`)).body.items;
        expect(eastAudit.map((e: { action: string }) => e.action)).toEqual(['delete', 'update', 'create']);
        expect(eastAudit[1].before).toMatchObject({ name: 'East', position: 1 });
        expect(eastAudit[1].after).toMatchObject({ name: 'East coast', position: 0 });
        expect(eastAudit[0]).toMatchObject({ before: { name: 'East coast' }, after: null });
        const sdrAudit = (await call('GET', `/v1/audit?entity=rule&id=${sdr.id}`)).body.items;
        // Moved below East once; removing East around it later is not a change of SDRs.
        expect(sdrAudit.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
        expect(sdrAudit[0].before.position).toBe(0);
        expect(sdrAudit[0].after.position).toBe(1);
        expect((await call('GET', `/v1/audit?entity=rule&id=${catchAll.id}`)).body.items).toEqual([]);
    });
});
