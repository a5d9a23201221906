import { startTestApp, type TestApp, type TestOrg } from './helpers/app';
import { startTestEmulator, type TestEmulator } from './helpers/emulator';
import { storeEngines } from './helpers/store';
import { insertUser } from './helpers/users';
import { json } from '../src/store/schema';

const toggles = {
    intakeData: true,
    transcriptIntake: true,
    displayData: true,
    pushData: true,
    emailSync: true,
    meetingSync: false,
    contactCreation: false,
    contactRoleCreation: true
};
const matching = {
    minScore: 60,
    eligibility: {
        Opportunity: {
            mode: 'filtered',
            groups: [
                { name: 'New business only', filters: [{ field: 'Type', operator: 'equals', value: 'New Business' }] }
            ]
        },
        Account: { mode: 'all', groups: [] },
        Lead: { mode: 'all', groups: [] }
    },
    rankingGroups: [
        {
            name: 'Soonest close',
            recordType: 'Opportunity',
            kind: 'sort',
            conditions: [{ field: 'CloseDate', direction: 'asc' }]
        },
        {
            name: 'Customers first',
            recordType: 'Account',
            kind: 'select',
            conditions: [{ field: 'Type', operator: 'equals', value: 'Customer' }]
        }
    ]
};
const notifications = {
    meetingCategoryField: 'Event.Type',
    onMeetingCreated: 'owner',
    onMeetingCompleted: 'all_participants',
    followUpQuestions: [{ category: 'Demo', text: 'What are the next steps?', field: 'Event.peopleai__Next_Steps__c' }]
};

describe.each(storeEngines)('configuration profiles over HTTP on %s (CP-1..CP-10)', (engine) => {
    let app: TestApp;
    let sf: TestEmulator;
    let org: TestOrg;
    beforeAll(async () => {
        [app, sf] = await Promise.all([startTestApp({ engine }), startTestEmulator()]);
    });
    beforeEach(async () => {
        org = await app.newOrg('Profiles org', sf.integrationAuth);
    });
    afterAll(async () => {
        await Promise.all([app.close(), sf.close()]);
    });
    const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
        app.call(org.apiKey, method, path, body, headers);

    it('CP-9 every org has the "Default - Intake Off" profile with everything off', async () => {
        const list = await call('GET', '/v1/profiles');
        expect(list.status).toBe(200);
        expect(list.body.items).toHaveLength(1);
        const def = list.body.items[0];
        expect(def).toMatchObject({ name: 'Default - Intake Off', isDefault: true, userCount: 0 });
        expect(Object.values(def.activity).every((v) => v === false)).toBe(true);
    });

    it('CP-9 the default profile can be neither deleted, renamed nor made to collect or sync', async () => {
        const def = (await call('GET', '/v1/profiles')).body.items[0];
        const del = await call('DELETE', `/v1/profiles/${def.id}`);
        expect(del.status).toBe(409);
        expect(del.body.error.message).toMatch(/default profile/);
        const rename = await call('PATCH', `/v1/profiles/${def.id}`, { name: 'Renamed' });
        expect(rename.status).toBe(409);
        expect((await call('GET', `/v1/profiles/${def.id}`)).body.name).toBe('Default - Intake Off');
        const { activity } = def;
        const syncing = await call('PATCH', `/v1/profiles/${def.id}`, {
            activity: { ...activity, intakeData: true, pushData: true }
        });
        expect(syncing.status).toBe(409);
        expect(syncing.body.error.message).toMatch(/blocks all collection and syncing/);
        expect(syncing.body.error.details.map((d: { path: string }) => d.path)).toEqual([
            'activity.intakeData',
            'activity.pushData'
        ]);
        const minScore = await call('PATCH', `/v1/profiles/${def.id}`, {
            matching: { ...def.matching, minScore: 70 }
        });
        expect(minScore.status).toBe(200);
        expect((await call('GET', `/v1/profiles/${def.id}`)).body).toEqual({
            ...def,
            matching: { ...def.matching, minScore: 70 }
        });
    });

    it('CP-3 creates a profile with the API defaults, and refuses a duplicate name case-insensitively', async () => {
        const created = await call('POST', '/v1/profiles', { name: 'Sales Team – Full Sync' });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({
            name: 'Sales Team – Full Sync',
            isDefault: false,
            userCount: 0,
            matching: { minScore: 50, rankingGroups: [] },
            notifications: { onMeetingCreated: 'owner' }
        });
        const dup = await call('POST', '/v1/profiles', { name: 'sales team – full sync' });
        expect(dup.status).toBe(409);
        expect(dup.body.error.details[0].path).toBe('name');
        expect((await call('GET', '/v1/profiles')).body.items).toHaveLength(2);
    });

    it('CP-3 copies every setting from an existing profile ("User Settings From"), then applies the sections given', async () => {
        const source = await call('POST', '/v1/profiles', {
            name: 'Source',
            activity: toggles,
            matching,
            notifications
        });
        expect(source.status).toBe(201);
        const copy = await call('POST', '/v1/profiles', {
            name: 'Copy',
            copyFrom: source.body.id,
            activity: { ...toggles, intakeData: false }
        });
        expect(copy.status).toBe(201);
        expect(copy.body.matching).toEqual(source.body.matching);
        expect(copy.body.notifications).toEqual(source.body.notifications);
        expect(copy.body.activity.intakeData).toBe(false);
        const missing = await call('POST', '/v1/profiles', { name: 'Orphan', copyFrom: 'prf_nope' });
        expect(missing.status).toBe(400);
        expect(missing.body.error.details[0].path).toBe('copyFrom');
    });

    it('CP-4 stores and returns all eight activity toggles; a missing or unknown toggle is refused', async () => {
        const p = await call('POST', '/v1/profiles', { name: 'Toggles', activity: toggles });
        expect(p.body.activity).toEqual(toggles);
        const { pushData: _omit, ...seven } = toggles;
        const bad = await call('PATCH', `/v1/profiles/${p.body.id}`, { activity: seven });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain('activity.pushData');
        const unknown = await call('PATCH', `/v1/profiles/${p.body.id}`, { activity: { ...toggles, telepathy: true } });
        expect(unknown.status).toBe(400);
        expect((await call('GET', `/v1/profiles/${p.body.id}`)).body.activity).toEqual(toggles);
    });

    it('CP-5 checks eligibility filters against the org: unknown field, operator that does not fit the type, picklist value', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'Eligibility' })).body;
        const withFilter = (filter: object) => ({
            matching: {
                ...matching,
                rankingGroups: [],
                eligibility: {
                    ...matching.eligibility,
                    Opportunity: {
                        mode: 'filtered',
                        groups: [
                            {
                                name: 'g',
                                filters: [{ field: 'Type', operator: 'equals', value: 'New Business' }, filter]
                            }
                        ]
                    }
                }
            }
        });
        const unknown = await call(
            'PATCH',
            `/v1/profiles/${p.id}`,
            withFilter({ field: 'Nope__c', operator: 'equals', value: 'x' })
        );
        expect(unknown.status).toBe(400);
        expect(unknown.body.error.code).toBe('validation_failed');
        expect(unknown.body.error.details).toEqual([
            {
                path: 'matching.eligibility.Opportunity.groups.0.filters.1.field',
                message: 'Opportunity.Nope__c does not exist or the integration user cannot read it'
            }
        ]);
        expect((await call('GET', `/v1/profiles/${p.id}`)).body).toEqual(p);
        const gtPicklist = await call(
            'PATCH',
            `/v1/profiles/${p.id}`,
            withFilter({ field: 'StageName', operator: 'greater_than', value: 'Prospecting' })
        );
        expect(gtPicklist.status).toBe(400);
        expect(gtPicklist.body.error.details[0].path).toBe(
            'matching.eligibility.Opportunity.groups.0.filters.1.operator'
        );
        const containsNumber = await call(
            'PATCH',
            `/v1/profiles/${p.id}`,
            withFilter({ field: 'Amount', operator: 'contains', value: '5' })
        );
        expect(containsNumber.status).toBe(400);
        const badValue = await call(
            'PATCH',
            `/v1/profiles/${p.id}`,
            withFilter({ field: 'StageName', operator: 'equals', value: 'Dreaming' })
        );
        expect(badValue.status).toBe(400);
        expect(badValue.body.error.details[0].path).toBe('matching.eligibility.Opportunity.groups.0.filters.1.value');
        const inNeedsList = await call(
            'PATCH',
            `/v1/profiles/${p.id}`,
            withFilter({ field: 'Amount', operator: 'in', value: 5 })
        );
        expect(inNeedsList.status).toBe(400);
        const ok = await call(
            'PATCH',
            `/v1/profiles/${p.id}`,
            withFilter({ field: 'Amount', operator: 'greater_than', value: 1000 })
        );
        expect(ok.status).toBe(200);
        expect(ok.body.matching.eligibility.Opportunity.groups[0].id).toMatch(/^elg_/);
    });

    it('CP-5 a type whose groups were all removed admits nothing until the admin resets it to all', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'No leads' })).body;
        const none = await call('PATCH', `/v1/profiles/${p.id}`, {
            matching: {
                ...matching,
                rankingGroups: [],
                eligibility: { ...matching.eligibility, Lead: { mode: 'filtered', groups: [] } }
            }
        });
        expect(none.status).toBe(200);
        expect(none.body.matching.eligibility.Lead).toEqual({ mode: 'filtered', groups: [] });
        const reset = await call('PATCH', `/v1/profiles/${p.id}`, {
            matching: {
                ...none.body.matching,
                eligibility: { ...none.body.matching.eligibility, Lead: { mode: 'all', groups: [] } }
            }
        });
        expect(reset.body.matching.eligibility.Lead).toEqual({ mode: 'all', groups: [] });
        const contradictory = await call('PATCH', `/v1/profiles/${p.id}`, {
            matching: {
                ...matching,
                eligibility: {
                    ...matching.eligibility,
                    Lead: {
                        mode: 'all',
                        groups: [{ name: 'x', filters: [{ field: 'Rating', operator: 'equals', value: 'Hot' }] }]
                    }
                }
            }
        });
        expect(contradictory.status).toBe(400);
        expect(contradictory.body.error.details[0].path).toBe('matching.eligibility.Lead.mode');
    });

    it('CP-6 refuses a ranking group that mixes sort-based and select-based conditions, naming it, and changes nothing', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'Ranking', matching })).body;
        const mixed = {
            ...matching,
            rankingGroups: [
                {
                    name: 'Mixed',
                    recordType: 'Opportunity',
                    kind: 'sort',
                    conditions: [
                        { field: 'CloseDate', direction: 'asc' },
                        { field: 'Type', operator: 'equals', value: 'New Business' }
                    ]
                }
            ]
        };
        const res = await call('PATCH', `/v1/profiles/${p.id}`, { matching: mixed });
        expect(res.status).toBe(400);
        expect(res.body.error.details[0].path).toBe('matching.rankingGroups.0.conditions.1');
        expect(res.body.error.details[0].message).toMatch(/ranking group "Mixed" mixes select-based and sort-based/);
        expect((await call('GET', `/v1/profiles/${p.id}`)).body.matching).toEqual(p.matching);
    });

    it('CP-6 keeps ranking groups in their priority order and checks their fields', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'Priorities', matching })).body;
        expect(p.matching.rankingGroups.map((g: { name: string }) => g.name)).toEqual([
            'Soonest close',
            'Customers first'
        ]);
        const reordered = await call('PATCH', `/v1/profiles/${p.id}`, {
            matching: { ...p.matching, rankingGroups: [p.matching.rankingGroups[1], p.matching.rankingGroups[0]] }
        });
        expect(reordered.body.matching.rankingGroups.map((g: { id: string }) => g.id)).toEqual([
            p.matching.rankingGroups[1].id,
            p.matching.rankingGroups[0].id
        ]);
        const unsortable = await call('PATCH', `/v1/profiles/${p.id}`, {
            matching: {
                ...matching,
                rankingGroups: [
                    {
                        name: 'By description',
                        recordType: 'Opportunity',
                        kind: 'sort',
                        conditions: [{ field: 'Description', direction: 'asc' }]
                    }
                ]
            }
        });
        expect(unsortable.status).toBe(400);
        expect(unsortable.body.error.details[0].path).toBe('matching.rankingGroups.0.conditions.0.field');
    });

    it('CP-7 validates notification fields: the meeting category and answer fields must be writable by the integration user', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'Notify', notifications })).body;
        expect(p.notifications.followUpQuestions[0]).toMatchObject({
            category: 'Demo',
            field: 'Event.peopleai__Next_Steps__c',
            id: expect.stringMatching(/^fuq_/)
        });
        const readOnly = await call('PATCH', `/v1/profiles/${p.id}`, {
            notifications: { ...notifications, meetingCategoryField: 'Event.CreatedDate' }
        });
        expect(readOnly.status).toBe(400);
        expect(readOnly.body.error.details[0].path).toBe('notifications.meetingCategoryField');
        const unknown = await call('PATCH', `/v1/profiles/${p.id}`, {
            notifications: {
                ...notifications,
                followUpQuestions: [{ category: 'Demo', text: 'Next?', field: 'Event.peopleai__Nope__c' }]
            }
        });
        expect(unknown.status).toBe(400);
        expect(unknown.body.error.details[0].path).toBe('notifications.followUpQuestions.0.field');
        const noObject = await call('PATCH', `/v1/profiles/${p.id}`, {
            notifications: { ...notifications, meetingCategoryField: 'Meeting__c.Category__c' }
        });
        expect(noObject.status).toBe(400);
        expect(noObject.body.error.details).toEqual([
            {
                path: 'notifications.meetingCategoryField',
                message: 'Meeting__c is not an object the integration user can read'
            }
        ]);
        const badWho = await call('PATCH', `/v1/profiles/${p.id}`, {
            notifications: { ...notifications, onMeetingCreated: 'everyone' }
        });
        expect(badWho.status).toBe(400);
        expect(badWho.body.error.details[0].path).toBe('notifications.onMeetingCreated');
        const notAText = await call('PATCH', `/v1/profiles/${p.id}`, {
            notifications: {
                ...notifications,
                followUpQuestions: [{ category: 'Demo', text: 'When?', field: 'Event.ActivityDateTime' }]
            }
        });
        expect(notAText.status).toBe(400);
        expect(notAText.body.error.details[0]).toEqual({
            path: 'notifications.followUpQuestions.0.field',
            message: 'Event.ActivityDateTime of type datetime cannot store a follow-up answer'
        });
        expect((await call('GET', `/v1/profiles/${p.id}`)).body).toEqual(p);
    });

    it('accepts PATCH sent as POST with X-HTTP-Method-Override (the Apex proxy)', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'Override' })).body;
        const res = await call(
            'POST',
            `/v1/profiles/${p.id}`,
            { activity: toggles },
            { 'x-http-method-override': 'PATCH' }
        );
        expect(res.status).toBe(200);
        expect(res.body.activity).toEqual(toggles);
    });

    it('CP-8 the profile preview returns every setting and its user count', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'Preview', activity: toggles })).body;
        await insertUser(app.store.db, org.org.id, { profileId: p.id });
        const preview = await call('GET', `/v1/profiles/${p.id}`);
        expect(preview.body).toMatchObject({ name: 'Preview', userCount: 1, activity: toggles });
        expect((await call('GET', '/v1/profiles/prf_missing')).status).toBe(404);
    });

    it('CP-1 every user is on exactly one profile: the list counts users per profile', async () => {
        const a = (await call('POST', '/v1/profiles', { name: 'A' })).body;
        await insertUser(app.store.db, org.org.id, { profileId: a.id });
        await insertUser(app.store.db, org.org.id, { profileId: a.id });
        await insertUser(app.store.db, org.org.id);
        const counts = Object.fromEntries(
            (await call('GET', '/v1/profiles')).body.items.map((p: { name: string; userCount: number }) => [
                p.name,
                p.userCount
            ])
        );
        expect(counts).toEqual({ 'Default - Intake Off': 1, A: 2 });
    });

    it('CP-10 refuses to delete a profile that still has users, saying how many to reassign', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'Busy' })).body;
        await insertUser(app.store.db, org.org.id, { profileId: p.id });
        await insertUser(app.store.db, org.org.id, { profileId: p.id });
        const res = await call('DELETE', `/v1/profiles/${p.id}`);
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/2 users are still assigned/);
        const empty = (await call('POST', '/v1/profiles', { name: 'Empty' })).body;
        expect((await call('DELETE', `/v1/profiles/${empty.id}`)).status).toBe(204);
        expect((await call('GET', `/v1/profiles/${empty.id}`)).status).toBe(404);
    });

    it('CP-2 only Backstory admins read or change profiles: a member acting user gets 403', async () => {
        const member = await insertUser(app.store.db, org.org.id, { role: 'member' });
        const admin = await insertUser(app.store.db, org.org.id, { role: 'admin' });
        const asMember = await call('GET', '/v1/profiles', undefined, { 'x-acting-user': member.salesforceUserId });
        expect(asMember.status).toBe(403);
        expect(asMember.body.error.code).toBe('forbidden');
        expect(
            (await call('POST', '/v1/profiles', { name: 'Sneaky' }, { 'x-acting-user': member.salesforceUserId }))
                .status
        ).toBe(403);
        expect((await call('GET', '/v1/profiles', undefined, { 'x-acting-user': admin.salesforceUserId })).status).toBe(
            200
        );
        expect((await call('GET', '/v1/profiles')).body.items.map((p: { name: string }) => p.name)).not.toContain(
            'Sneaky'
        );
    });

    it('records every change in the audit trail with who, when, before and after', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'Audited' })).body;
        await call('PATCH', `/v1/profiles/${p.id}`, { activity: toggles });
        await call('DELETE', `/v1/profiles/${p.id}`);
        const audit = await call('GET', `/v1/audit?entity=profile&id=${p.id}`);
        expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['delete', 'update', 'create']);
        const update = audit.body.items[1];
        expect(update.actor).toMatch(/^api-key:/);
        expect(update.before.activity.intakeData).toBe(false);
        expect(update.after.activity.intakeData).toBe(true);
    });

    it('a key of another org never sees these profiles', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'Private' })).body;
        const other = await app.newOrg('Other');
        expect((await app.call(other.apiKey, 'GET', `/v1/profiles/${p.id}`)).status).toBe(404);
        expect((await app.call(other.apiKey, 'DELETE', `/v1/profiles/${p.id}`)).status).toBe(404);
    });

    it('CP-5 a field hidden from the integration user by field-level security is refused like an unknown one', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'FLS' })).body;
        // Account.Rating exists in the org (the admin sees it) but the integration user's
        // permission set does not grant read, so the emulator leaves it out of its describe.
        const adminView = await (await sf.login(sf.emu.demo.adminUser.username)).sobject('Account').describe();
        expect(adminView.fields.map((f) => f.name)).toContain('Rating');
        const res = await call('PATCH', `/v1/profiles/${p.id}`, {
            matching: {
                ...matching,
                eligibility: {
                    ...matching.eligibility,
                    Account: {
                        mode: 'filtered',
                        groups: [{ name: 'Hot', filters: [{ field: 'Rating', operator: 'equals', value: 'Hot' }] }]
                    }
                }
            }
        });
        expect(res.status).toBe(400);
        expect(res.body.error.details).toEqual([
            {
                path: 'matching.eligibility.Account.groups.0.filters.0.field',
                message: 'Account.Rating does not exist or the integration user cannot read it'
            }
        ]);
        expect((await call('GET', `/v1/profiles/${p.id}`)).body).toEqual(p);
    });

    it('CP-5 filters may follow parent relationships like SOQL (Account.Type on an opportunity)', async () => {
        const viaAccount = {
            ...matching,
            eligibility: {
                ...matching.eligibility,
                Opportunity: {
                    mode: 'filtered',
                    groups: [
                        {
                            name: 'Partner accounts',
                            filters: [{ field: 'Account.Type', operator: 'equals', value: 'Technology Partner' }]
                        },
                        {
                            name: 'Enterprise deals of our team',
                            filters: [
                                { field: 'RecordType.DeveloperName', operator: 'equals', value: 'Enterprise' },
                                { field: 'Owner.Email', operator: 'contains', value: '@demo.backstory.local' }
                            ]
                        }
                    ]
                }
            }
        };
        const ok = await call('POST', '/v1/profiles', { name: 'Via account', matching: viaAccount });
        expect(ok.status).toBe(201);
        expect(ok.body.matching.eligibility.Opportunity.groups[0].filters[0].field).toBe('Account.Type');
        const hidden = await call('PATCH', `/v1/profiles/${ok.body.id}`, {
            matching: {
                ...viaAccount,
                eligibility: {
                    ...viaAccount.eligibility,
                    Opportunity: {
                        mode: 'filtered',
                        groups: [
                            { name: 'x', filters: [{ field: 'Account.Rating', operator: 'equals', value: 'Hot' }] }
                        ]
                    }
                }
            }
        });
        expect(hidden.status).toBe(400);
        expect(hidden.body.error.details[0]).toEqual({
            path: 'matching.eligibility.Opportunity.groups.0.filters.0.field',
            message: 'Account.Rating does not exist or the integration user cannot read it'
        });
    });

    it('CP-10 refuses to delete a profile that a User Settings Rule assigns, naming the rule', async () => {
        const p = (await call('POST', '/v1/profiles', { name: 'Assigned' })).body;
        await app.store.db.updateTable('orgs').set({ mode: 'automatic' }).where('id', '=', org.org.id).execute();
        const catchAll = (await call('GET', '/v1/user-settings-rules')).body.items[0];
        const saved = await call('PUT', '/v1/user-settings-rules', {
            items: [
                {
                    name: 'SDRs',
                    filters: [{ field: 'job_title', operator: 'contains', value: 'SDR' }],
                    assignments: { ...catchAll.assignments, profileId: p.id }
                },
                catchAll
            ]
        });
        expect(saved.status).toBe(200);
        const res = await call('DELETE', `/v1/profiles/${p.id}`);
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/assigned by User Settings Rule "SDRs"/);
        expect((await call('GET', `/v1/profiles/${p.id}`)).status).toBe(200);
    });

    it('without a connected Salesforce org, settings naming a new field are refused (409) and the rest can still be saved', async () => {
        const offline = await app.newOrg('Offline');
        const offlineCall = (method: string, path: string, body?: unknown) =>
            app.call(offline.apiKey, method, path, body);
        const res = await offlineCall('POST', '/v1/profiles', { name: 'Offline', matching });
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/No Salesforce org is connected/);
        expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([
            'matching.eligibility.Opportunity.groups.0.filters.0.field',
            'matching.rankingGroups.0.conditions.0.field',
            'matching.rankingGroups.1.conditions.0.field'
        ]);
        expect((await offlineCall('GET', '/v1/profiles')).body.items).toHaveLength(1);
        const plain = await offlineCall('POST', '/v1/profiles', { name: 'Plain', activity: toggles });
        expect(plain.status).toBe(201);

        // A profile whose references were checked while connected (stored directly here, as
        // if the org had been disconnected since) keeps them through edits that add none.
        const checked = (await call('POST', '/v1/profiles', { name: 'Checked', matching })).body;
        await app.store.db
            .updateTable('profiles')
            .set({ matching: json(checked.matching) })
            .where('id', '=', plain.body.id)
            .execute();
        const stored = (await offlineCall('GET', `/v1/profiles/${plain.body.id}`)).body;
        const reordered = await offlineCall('PATCH', `/v1/profiles/${plain.body.id}`, {
            matching: {
                ...stored.matching,
                minScore: 75,
                rankingGroups: [...stored.matching.rankingGroups].reverse()
            }
        });
        expect(reordered.status).toBe(200);
        expect(reordered.body.matching.minScore).toBe(75);
        const copy = await offlineCall('POST', '/v1/profiles', { name: 'Copy', copyFrom: plain.body.id });
        expect(copy.status).toBe(201);
        expect(copy.body.matching).toEqual(reordered.body.matching);
        const newField = await offlineCall('PATCH', `/v1/profiles/${plain.body.id}`, {
            matching: {
                ...reordered.body.matching,
                eligibility: {
                    ...reordered.body.matching.eligibility,
                    Lead: {
                        mode: 'filtered',
                        groups: [{ name: 'Open', filters: [{ field: 'Status', operator: 'equals', value: 'Open' }] }]
                    }
                }
            }
        });
        expect(newField.status).toBe(409);
        expect(newField.body.error.details).toEqual([
            {
                path: 'matching.eligibility.Lead.groups.0.filters.0.field',
                message: 'cannot be checked without a connected Salesforce org'
            }
        ]);
        expect((await offlineCall('GET', `/v1/profiles/${plain.body.id}`)).body).toEqual(reordered.body);
    });
});
