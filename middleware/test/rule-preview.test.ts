import { startTestApp, type TestApp } from './helpers/app';
import { startTestEmulator, type TestEmulator } from './helpers/emulator';

interface PreviewUser {
    salesforceUserId: string;
    email: string;
    jobTitle: string | null;
    teamName: string | null;
    ruleId: string;
    profileId: string;
    existing: boolean;
}

// USR-2 over the whole org, read-only: which rule and profile every active Salesforce user of
// the emulator's demo org would get if the automatic sync created them now.
describe('POST /v1/user-settings-rules/preview (USR-2 over every Salesforce user)', () => {
    let app: TestApp;
    let sf: TestEmulator;
    beforeAll(async () => {
        [app, sf] = await Promise.all([startTestApp(), startTestEmulator()]);
    });
    afterAll(async () => {
        await Promise.all([app.close(), sf.close()]);
    });

    async function setup() {
        const org = await app.newOrg('Rules org', sf.integrationAuth);
        const call = (method: string, path: string, body?: unknown) => app.call(org.apiKey, method, path, body);
        const profiles = (await call('GET', '/v1/profiles')).body.items as { id: string; isDefault: boolean }[];
        const sales = await call('POST', '/v1/profiles', { name: 'Sales' });
        const rules = (await call('GET', '/v1/user-settings-rules')).body.items;
        return { call, sales: sales.body.id as string, defaultId: profiles[0]!.id, catchAll: rules[0] };
    }

    it('USR-2 gives every active user the first matching rule, else the catch-all, with counts per rule', async () => {
        const { call, sales, defaultId, catchAll } = await setup();
        const before = await call('POST', '/v1/user-settings-rules/preview', {});
        expect(before.status).toBe(200);
        const users = before.body.users as PreviewUser[];
        expect(users.length).toBeGreaterThan(1);
        // Only the catch-all yet: everyone lands on it.
        expect(before.body.rules).toEqual([
            expect.objectContaining({
                ruleId: catchAll.id,
                isCatchAll: true,
                count: users.length,
                newUsers: users.length
            })
        ]);
        expect(users.every((u) => u.ruleId === catchAll.id && u.profileId === defaultId)).toBe(true);
        // The integration user is never a Backstory user, so it is not previewed either.
        expect(users.some((u) => u.email.startsWith('integration@'))).toBe(false);

        // An unsaved rule on one user's job title (or team) takes that user and only the users like them.
        const someone = users.find((u) => u.jobTitle) ?? users[0]!;
        const filter = someone.jobTitle
            ? { field: 'job_title', operator: 'equals', value: someone.jobTitle }
            : { field: 'team_name', operator: 'equals', value: someone.teamName };
        const items = [
            {
                name: 'Them',
                description: '',
                isCatchAll: false,
                filters: [filter],
                assignments: {
                    profileId: sales,
                    role: 'member',
                    visibility: 'team',
                    licenses: ['peopleglass_enterprise']
                }
            },
            { ...catchAll }
        ];
        const after = await call('POST', '/v1/user-settings-rules/preview', { items });
        expect(after.status).toBe(200);
        const them = (after.body.users as PreviewUser[]).filter((u) => u.ruleId === 'new-0');
        expect(them.map((u) => u.salesforceUserId)).toContain(someone.salesforceUserId);
        expect(them.every((u) => u.profileId === sales)).toBe(true);
        const counts = after.body.rules as { ruleId: string; count: number }[];
        expect(counts.map((r) => r.ruleId)).toEqual(['new-0', catchAll.id]);
        expect(counts[0]!.count + counts[1]!.count).toBe(users.length);
        expect(counts[0]!.count).toBe(them.length);
        // Nothing was stored.
        expect((await call('GET', '/v1/user-settings-rules')).body.items).toHaveLength(1);
    });

    it('USR-7 refuses an unsaved list whose last rule is not the catch-all, naming the place', async () => {
        const { call, sales, catchAll } = await setup();
        const rule = {
            name: 'X',
            filters: [{ field: 'job_title', operator: 'contains', value: 'Sales' }],
            assignments: { profileId: sales, role: 'member', visibility: 'full', licenses: [] }
        };
        const res = await call('POST', '/v1/user-settings-rules/preview', { items: [catchAll, rule] });
        expect(res.status).toBe(400);
        expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['items.0.isCatchAll']);
        const bad = await call('POST', '/v1/user-settings-rules/preview', {
            items: [{ ...rule, filters: [{ field: 'job_title', operator: 'contains', value: ['a', 'b'] }] }, catchAll]
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details[0].path).toBe('items.0.filters.0.value');
    });

    it('USR-3 marks users who are already Backstory users (rules never change them)', async () => {
        const { call } = await setup();
        expect((await call('PUT', '/v1/org/mode', { mode: 'automatic' })).status).toBe(200);
        expect((await call('POST', '/v1/org/sync')).status).toBe(200);
        const res = await call('POST', '/v1/user-settings-rules/preview', {});
        const users = res.body.users as PreviewUser[];
        expect(users.length).toBeGreaterThan(0);
        expect(users.every((u) => u.existing)).toBe(true);
        expect(res.body.rules[0].newUsers).toBe(0);
    });

    it('answers 409 without a connected Salesforce org', async () => {
        const org = await app.newOrg('No Salesforce');
        const res = await app.call(org.apiKey, 'POST', '/v1/user-settings-rules/preview', {});
        expect(res.status).toBe(409);
    });
});
