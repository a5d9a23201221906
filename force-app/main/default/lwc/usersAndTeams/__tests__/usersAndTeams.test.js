import { createElement } from '@lwc/engine-dom';
import UsersAndTeams from 'c/usersAndTeams';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import { settle } from 'test/jest-utils/flushPromises';
import { apiError, routeApi } from 'test/jest-utils/apiRoutes';
import { DEFAULT_PROFILE } from 'test/jest-utils/fixtures';

const ORG = (mode = 'manual') => ({
    id: 'org_1',
    salesforceOrgId: '00D000000000001',
    mode,
    hierarchySource: 'role',
    syncIntervalMinutes: 30,
    lastSyncAt: mode === 'automatic' ? '2026-12-01T10:00:00.000Z' : null
});
const TEAMS = [
    {
        id: 'team_sales',
        name: 'Sales',
        parentId: null,
        kind: 'hierarchy',
        managerUserId: null,
        salesforceRoleId: null,
        memberCount: 2
    },
    {
        id: 'team_east',
        name: 'East',
        parentId: 'team_sales',
        kind: 'hierarchy',
        managerUserId: null,
        salesforceRoleId: null,
        memberCount: 1
    }
];
const user = (id, firstName, teamId, status = 'active') => ({
    id,
    firstName,
    lastName: 'Rep',
    email: `${firstName.toLowerCase()}@demo.example`,
    jobTitle: null,
    salesforceUserId: null,
    role: 'member',
    licenses: ['foundation'],
    visibility: 'team',
    profileId: 'prf_default',
    teamId,
    customTeamIds: [],
    status,
    source: 'manual'
});
const USERS = [user('usr_a', 'Ada', 'team_east'), user('usr_b', 'Bob', 'team_sales', 'suspended')];
const STATS = { total: 2, pending: 0, onboarding: 0, permissionErrors: 0, active: 1, suspended: 1 };

function routes(overrides = {}) {
    return {
        'GET /v1/org': ORG(),
        'GET /v1/profiles': { items: [DEFAULT_PROFILE], nextCursor: null },
        'GET /v1/teams': { items: TEAMS, nextCursor: null },
        'GET /v1/users': { items: USERS, nextCursor: null },
        'GET /v1/users/stats': STATS,
        ...overrides
    };
}
function mount() {
    const element = createElement('c-users-and-teams', { is: UsersAndTeams });
    document.body.appendChild(element);
    return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const $$ = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const change = (el, value) => el.dispatchEvent(new CustomEvent('change', { detail: { value } }));
const click = (el) => el.dispatchEvent(new CustomEvent('click'));

describe('c-users-and-teams', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('UT-1 UT-13 shows the mode, the status tiles with counts and the users with team and profile', async () => {
        routeApi(send, routes());
        const element = mount();
        await settle();
        expect($(element, 'mode').textContent).toBe('c.Backstory_UT_Mode_Manual');
        expect($(element, 'active').textContent).toContain('1');
        expect($(element, 'suspended').textContent).toContain('c.Backstory_UT_Suspended');
        expect($(element, 'total').textContent).toContain('2');
        const rows = $(element, 'table').data;
        expect(rows.map((r) => [r.name, r.teamName, r.profileName, r.statusText])).toEqual([
            ['Ada Rep', 'East', 'Default - Intake Off', 'c.Backstory_UT_Active'],
            ['Bob Rep', 'Sales', 'Default - Intake Off', 'c.Backstory_UT_Suspended']
        ]);
        expect($(element, 'tree').items[0]).toMatchObject({ label: 'Sales (2)', items: [{ label: 'East (1)' }] });
        await expect(element).toBeAccessible();
    });

    it('UT-13 a tile filters by status; search and team filters go to the API; Load more follows the cursor', async () => {
        const calls = routeApi(
            send,
            routes({
                'GET /v1/users': (_, path) => {
                    if (path.includes('cursor=c2')) return { items: [user('usr_c', 'Cy', null)], nextCursor: null };
                    return { items: USERS, nextCursor: 'c2' };
                }
            })
        );
        const element = mount();
        await settle();
        click($(element, 'suspended'));
        await settle();
        expect(calls.at(-2).path).toBe('/v1/users?limit=50&status=suspended');
        expect($(element, 'suspended').getAttribute('aria-pressed')).toBe('true');
        change($(element, 'team-filter'), 'team_east');
        await settle();
        expect(calls.filter((c) => c.path.startsWith('/v1/users?')).at(-1).path).toBe(
            '/v1/users?limit=50&status=suspended&teamId=team_east'
        );
        click($(element, 'more'));
        await settle();
        expect($(element, 'table').data).toHaveLength(3);
        expect($(element, 'more')).toBeNull();
    });

    it('UT-7 adds a user and shows the API field message beside the field', async () => {
        let created;
        const calls = routeApi(
            send,
            routes({
                'POST /v1/users': (body) => {
                    if (body.email === 'ada@demo.example')
                        return apiError(409, 'conflict', 'email already used', [
                            { path: 'email', message: 'is already used' }
                        ]);
                    created = body;
                    return { ...user('usr_new', body.firstName, null), ...body };
                }
            })
        );
        const element = mount();
        await settle();
        click($(element, 'add-user'));
        await settle();
        change($(element, 'firstName'), 'Dee');
        change($(element, 'lastName'), 'New');
        change($(element, 'email'), 'ada@demo.example');
        click($(element, 'save-user'));
        await settle();
        expect($(element, 'email-message').textContent).toContain('is already used');
        expect($(element, 'dialog-error')).not.toBeNull();
        await expect(element).toBeAccessible();
        change($(element, 'email'), 'dee@demo.example');
        change($(element, 'teamId'), 'team_east');
        click($(element, 'save-user'));
        await settle();
        expect(created).toMatchObject({
            firstName: 'Dee',
            lastName: 'New',
            email: 'dee@demo.example',
            teamId: 'team_east',
            role: 'member',
            visibility: 'team',
            jobTitle: null,
            profileId: 'prf_default'
        });
        expect($(element, 'dialog')).toBeNull();
        expect(calls.some((c) => c.path === '/v1/users/stats')).toBe(true);
    });

    it('the dialog is the shared modal: titled, and Escape closes it without saving', async () => {
        const calls = routeApi(send, routes());
        const element = mount();
        await settle();
        click($(element, 'add-user'));
        await settle();
        const dialog = $(element, 'dialog');
        expect(dialog.heading).toBeTruthy();
        dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
        await settle();
        expect($(element, 'dialog')).toBeNull();
        expect(calls.some((c) => c.method === 'POST')).toBe(false);
    });

    it('UT-8 in Automatic mode a synced user has names, job title and team locked and not sent', async () => {
        let patched;
        const synced = { ...USERS[0], salesforceUserId: '005000000000001AAA' };
        routeApi(
            send,
            routes({
                'GET /v1/org': ORG('automatic'),
                'GET /v1/users': { items: [synced, USERS[1]], nextCursor: null },
                'PATCH /v1/users/usr_a': (body) => {
                    patched = body;
                    return { ...synced, ...body };
                }
            })
        );
        const element = mount();
        await settle();
        $(element, 'table').dispatchEvent(
            new CustomEvent('rowaction', { detail: { action: { name: 'edit' }, row: { id: 'usr_a' } } })
        );
        await settle();
        expect($(element, 'locked-help').textContent).toBe('c.Backstory_UT_Locked_Synced');
        for (const id of ['firstName', 'lastName', 'jobTitle', 'teamId']) expect($(element, id).disabled).toBe(true);
        expect($(element, 'email').disabled).toBeFalsy();
        await expect(element).toBeAccessible();
        change($(element, 'role'), 'manager');
        click($(element, 'save-user'));
        await settle();
        expect(patched).toEqual({
            email: 'ada@demo.example',
            role: 'manager',
            visibility: 'team',
            profileId: 'prf_default'
        });
    });

    it('UT-8 UT-15 in Automatic mode a user added by hand keeps editable names; only the team is locked', async () => {
        let patched;
        routeApi(
            send,
            routes({
                'GET /v1/org': ORG('automatic'),
                'PATCH /v1/users/usr_a': (body) => {
                    patched = body;
                    return { ...USERS[0], ...body };
                }
            })
        );
        const element = mount();
        await settle();
        $(element, 'table').dispatchEvent(
            new CustomEvent('rowaction', { detail: { action: { name: 'edit' }, row: { id: 'usr_a' } } })
        );
        await settle();
        expect($(element, 'locked-help').textContent).toBe('c.Backstory_UT_Locked_Manual_User');
        for (const id of ['firstName', 'lastName', 'jobTitle']) expect($(element, id).disabled).toBeFalsy();
        expect($(element, 'teamId').disabled).toBe(true);
        change($(element, 'firstName'), 'Adele');
        click($(element, 'save-user'));
        await settle();
        expect(patched).toMatchObject({ firstName: 'Adele', lastName: 'Rep', jobTitle: null });
        expect(patched).not.toHaveProperty('teamId');
    });

    it('UT-9 suspend, reactivate and delete each ask first and say what happens', async () => {
        const calls = routeApi(
            send,
            routes({
                'POST /v1/users/usr_a/suspend': { ...USERS[0], status: 'suspended' },
                'DELETE /v1/users/usr_b': null
            })
        );
        const element = mount();
        await settle();
        const table = $(element, 'table');
        const actions = [];
        table.columns.at(-1).typeAttributes.rowActions(USERS[1], (a) => actions.push(...a));
        expect(actions.map((a) => a.name)).toEqual(['edit', 'reactivate', 'delete']);

        table.dispatchEvent(
            new CustomEvent('rowaction', { detail: { action: { name: 'suspend' }, row: { id: 'usr_a' } } })
        );
        await settle();
        expect($(element, 'confirm-message').textContent).toBe('c.Backstory_UT_Suspend_Message');
        await expect(element).toBeAccessible();
        click($(element, 'confirm'));
        await settle();
        expect(calls.some((c) => c.method === 'POST' && c.path === '/v1/users/usr_a/suspend')).toBe(true);

        table.dispatchEvent(
            new CustomEvent('rowaction', { detail: { action: { name: 'delete' }, row: { id: 'usr_b' } } })
        );
        await settle();
        expect($(element, 'confirm-message').textContent).toBe('c.Backstory_UT_Delete_User_Message');
        click($(element, 'cancel'));
        await settle();
        expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    });

    it('UT-3 the switch names the consequences incl. saved views, and shows a refused prerequisite', async () => {
        routeApi(
            send,
            routes({
                'PUT /v1/org/mode': apiError(409, 'conflict', 'Automatic mode needs a connected Salesforce org')
            })
        );
        const element = mount();
        await settle();
        click($(element, 'mode-switch'));
        await settle();
        const text = $(element, 'consequences').textContent;
        // UT-3: the teams replaced, the saved-views warning, the top-level team, the read-only fields.
        for (const label of ['Teams', 'Saved_Views', 'Top_Level', 'Read_Only', 'Onboarding', 'Needs'])
            expect(text).toContain(`c.Backstory_UT_To_Auto_${label}`);
        click($(element, 'mode-confirm'));
        await settle();
        expect($(element, 'dialog-error')).not.toBeNull();
        expect($(element, 'mode').textContent).toBe('c.Backstory_UT_Mode_Manual');
        await expect(element).toBeAccessible();
    });

    it('UT-2 UT-14 in Automatic mode Sync now shows the last result; switching back lists what stays', async () => {
        let org = ORG('automatic');
        routeApi(
            send,
            routes({
                'GET /v1/org': () => org,
                'POST /v1/org/sync': { created: 3, updated: 1, suspended: 0, movedToTopLevel: 2 },
                'PUT /v1/org/mode': (body) => {
                    org = { ...org, mode: body.mode };
                    return org;
                }
            })
        );
        const element = mount();
        await settle();
        expect($(element, 'add-team')).toBeNull();
        click($(element, 'sync'));
        await settle();
        expect($(element, 'sync-result').textContent).toBe(
            '3 created, 1 updated, 0 suspended, 2 moved to the top-level team'
        );
        click($(element, 'mode-switch'));
        await settle();
        expect($(element, 'consequences').textContent).toContain('c.Backstory_UT_To_Manual_Stays');
        click($(element, 'mode-confirm'));
        await settle();
        expect($(element, 'mode').textContent).toBe('c.Backstory_UT_Mode_Manual');
        expect($(element, 'add-team')).not.toBeNull();
    });

    it('UT-6 checks a CSV first, lists line and column, then imports only the valid rows', async () => {
        const csv = 'First Name,Last Name,Email\nAnn,A,ann@x.test\nBob,B,nope\n';
        const calls = routeApi(
            send,
            routes({
                'POST /v1/users/import?mode=validate': {
                    created: 0,
                    updated: 0,
                    validRows: 1,
                    teamsCreated: [],
                    errors: [{ line: 3, column: 'Email', message: '"nope" is not an email address' }]
                },
                'POST /v1/users/import?mode=apply_valid': {
                    created: 1,
                    updated: 0,
                    teamsCreated: [],
                    errors: [{ line: 3, column: 'Email', message: '"nope" is not an email address' }]
                }
            })
        );
        const element = mount();
        await settle();
        click($(element, 'import-open'));
        await settle();
        const input = $(element, 'file');
        const file = new File([csv], 'users.csv', { type: 'text/csv' });
        if (!file.text) file.text = () => Promise.resolve(csv);
        Object.defineProperty(input, 'files', { value: [file] });
        input.dispatchEvent(new CustomEvent('change'));
        await settle(8);
        expect($(element, 'import-summary').textContent).toBe('1 row ready, 1 line with errors.');
        const cells = [...$$(element, 'import-error')[0].querySelectorAll('td')].map((td) => td.textContent);
        expect(cells).toEqual(['3', 'Email', '"nope" is not an email address']);
        expect($(element, 'apply-all').disabled).toBe(true);
        expect($(element, 'apply-valid').label).toBe('Import the valid row');
        await expect(element).toBeAccessible();
        click($(element, 'apply-valid'));
        await settle();
        expect(calls.find((c) => c.path === '/v1/users/import?mode=apply_valid').body).toEqual({ csv });
        expect($(element, 'import-result').textContent.trim()).toBe('1 created, 0 updated, 1 line skipped.');
    });

    it('UT-6 shows progress while the file is checked, then the review step', async () => {
        const csv = 'First Name,Last Name,Email\nAnn,A,ann@x.test\nBob,B,bob@x.test\n';
        routeApi(
            send,
            routes({
                'POST /v1/users/import?mode=validate': {
                    created: 0,
                    updated: 0,
                    validRows: 2,
                    teamsCreated: [],
                    errors: []
                }
            })
        );
        let release;
        const gate = new Promise((resolve) => {
            release = resolve;
        });
        const answer = send.getMockImplementation();
        send.mockImplementation(async (req) => {
            if (req.path.includes('mode=validate')) await gate;
            return answer(req);
        });
        const element = mount();
        await settle();
        click($(element, 'import-open'));
        await settle();
        expect($(element, 'import-steps').currentStep).toBe('choose');
        const input = $(element, 'file');
        const file = new File([csv], 'users.csv', { type: 'text/csv' });
        if (!file.text) file.text = () => Promise.resolve(csv);
        Object.defineProperty(input, 'files', { value: [file] });
        input.dispatchEvent(new CustomEvent('change'));
        await settle(8);
        expect($(element, 'import-progress').textContent).toContain('Checking 2 rows of users.csv');
        expect($(element, 'import-steps').currentStep).toBe('check');
        expect($(element, 'apply-all').disabled).toBe(true);
        await expect(element).toBeAccessible();
        release();
        await settle(8);
        expect($(element, 'import-progress')).toBeNull();
        expect($(element, 'import-steps').currentStep).toBe('review');
        expect($(element, 'apply-all').disabled).toBe(false);
    });

    it('UT-4 creates a team under the selected one, renames and moves it, and deletes it after confirming', async () => {
        const calls = routeApi(
            send,
            routes({
                'POST /v1/teams': (body) => ({ ...TEAMS[1], id: 'team_new', ...body, memberCount: 0 }),
                'PATCH /v1/teams/team_east': (body) => ({ ...TEAMS[1], ...body }),
                'DELETE /v1/teams/team_east': null
            })
        );
        const element = mount();
        await settle();
        expect($(element, 'team-actions')).toBeNull();
        $(element, 'tree').dispatchEvent(new CustomEvent('select', { detail: { name: 'team_sales' } }));
        await settle();
        expect($(element, 'selected-team').textContent).toContain('Team: Sales · 2 members');
        click($(element, 'add-team'));
        await settle();
        expect($(element, 'team-parent').value).toBe('team_sales');
        change($(element, 'team-name'), 'West');
        await expect(element).toBeAccessible();
        click($(element, 'save-team'));
        await settle();
        expect(calls.find((c) => c.method === 'POST' && c.path === '/v1/teams').body).toEqual({
            name: 'West',
            kind: 'hierarchy',
            parentId: 'team_sales'
        });

        $(element, 'tree').dispatchEvent(new CustomEvent('select', { detail: { name: 'team_east' } }));
        await settle();
        click($(element, 'team-edit'));
        await settle();
        expect($(element, 'dialog').heading).toContain('c.Backstory_UT_Edit_Team_Title');
        // Nesting never offers the team itself (no cycles).
        expect($(element, 'team-parent').options.map((o) => o.value)).toEqual(['', 'team_sales']);
        change($(element, 'team-name'), 'East Coast');
        change($(element, 'team-parent'), '');
        click($(element, 'save-team'));
        await settle();
        expect(calls.find((c) => c.method === 'PATCH').body).toEqual({ name: 'East Coast', parentId: null });

        click($(element, 'team-delete'));
        await settle();
        expect($(element, 'confirm-message').textContent).toBe('c.Backstory_UT_Delete_Team_Message');
        await expect(element).toBeAccessible();
        click($(element, 'confirm'));
        await settle();
        expect(calls.some((c) => c.method === 'DELETE' && c.path === '/v1/teams/team_east')).toBe(true);
        expect($(element, 'team-actions')).toBeNull();
    });

    it('UT-4 a refused team delete keeps the dialog open with the reason', async () => {
        routeApi(
            send,
            routes({
                'DELETE /v1/teams/team_sales': apiError(
                    409,
                    'conflict',
                    'Sales has 2 users and 1 sub-team: move them first'
                )
            })
        );
        const element = mount();
        await settle();
        $(element, 'tree').dispatchEvent(new CustomEvent('select', { detail: { name: 'team_sales' } }));
        await settle();
        click($(element, 'team-delete'));
        await settle();
        click($(element, 'confirm'));
        await settle();
        expect($(element, 'dialog-error')).not.toBeNull();
        expect($(element, 'dialog')).not.toBeNull();
    });

    it('UT-4 custom teams: create one, then add and remove members', async () => {
        const custom = {
            id: 'team_deal',
            name: 'Deal desk',
            parentId: null,
            kind: 'custom',
            managerUserId: null,
            salesforceRoleId: null,
            memberCount: 1
        };
        const members = [{ ...USERS[0], customTeamIds: ['team_deal'] }, USERS[1]];
        const calls = routeApi(
            send,
            routes({
                'GET /v1/org': ORG('automatic'),
                'GET /v1/teams': { items: [...TEAMS, custom], nextCursor: null },
                'GET /v1/users': { items: members, nextCursor: null },
                'POST /v1/teams': (body) => ({ ...custom, id: 'team_x', ...body, memberCount: 0 }),
                'PUT /v1/teams/team_deal/members': (body) => ({ ...custom, memberCount: body.userIds.length })
            })
        );
        const element = mount();
        await settle();
        click($(element, 'add-custom-team'));
        await settle();
        expect($(element, 'team-parent')).toBeNull();
        change($(element, 'team-name'), 'Renewals');
        click($(element, 'save-team'));
        await settle();
        expect(calls.find((c) => c.method === 'POST').body).toEqual({ name: 'Renewals', kind: 'custom' });

        click($$(element, 'custom-team')[0]);
        await settle();
        expect($(element, 'selected-team').textContent).toContain('Custom team: Deal desk');
        // Automatic mode: hierarchy teams are Salesforce's, custom teams still change here.
        expect($(element, 'team-edit')).not.toBeNull();
        click($(element, 'team-members'));
        await settle();
        const box = $(element, 'members');
        expect(box.value).toEqual(['usr_a']);
        expect(box.options.map((o) => o.value)).toEqual(['usr_a', 'usr_b']);
        await expect(element).toBeAccessible();
        box.dispatchEvent(new CustomEvent('change', { detail: { value: ['usr_b'] } }));
        click($(element, 'save-members'));
        await settle();
        expect(calls.find((c) => c.method === 'PUT').body).toEqual({ userIds: ['usr_b'] });
    });

    it('UT-2 in Automatic mode a hierarchy team offers no edit or delete', async () => {
        routeApi(send, routes({ 'GET /v1/org': ORG('automatic') }));
        const element = mount();
        await settle();
        $(element, 'tree').dispatchEvent(new CustomEvent('select', { detail: { name: 'team_sales' } }));
        await settle();
        expect($(element, 'team-actions')).not.toBeNull();
        expect($(element, 'team-edit')).toBeNull();
        expect($(element, 'team-delete')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('UT-5 imports the selected Salesforce roles once', async () => {
        let imported;
        routeApi(
            send,
            routes({
                'GET /v1/org/roles': {
                    items: [
                        {
                            id: '00E1',
                            name: 'CEO',
                            parentRoleId: null,
                            imported: false,
                            children: [
                                { id: '00E2', name: 'VP Sales', parentRoleId: '00E1', imported: false, children: [] }
                            ]
                        }
                    ]
                },
                'POST /v1/org/role-import': (body) => {
                    imported = body;
                    return { imported: 4 };
                }
            })
        );
        const element = mount();
        await settle();
        click($(element, 'roles-open'));
        await settle();
        const boxes = $$(element, 'role');
        expect(boxes.map((b) => b.label)).toEqual(['CEO', 'VP Sales']);
        expect($(element, 'roles-import').disabled).toBe(true);
        boxes[1].checked = true;
        boxes[1].dispatchEvent(new CustomEvent('change'));
        await settle();
        await expect(element).toBeAccessible();
        click($(element, 'roles-import'));
        await settle();
        expect(imported).toEqual({ roleIds: ['00E2'] });
    });

    it('shows the error with Try again when loading fails, and the empty state', async () => {
        routeApi(send, routes({ 'GET /v1/users/stats': apiError(0, 'unreachable', 'fetch failed') }));
        const element = mount();
        await settle();
        expect($(element, 'error')).not.toBeNull();
        await expect(element).toBeAccessible();
        routeApi(
            send,
            routes({
                'GET /v1/users': { items: [], nextCursor: null },
                'GET /v1/teams': { items: [], nextCursor: null }
            })
        );
        $(element, 'error').dispatchEvent(new CustomEvent('retry'));
        await settle();
        expect($(element, 'error')).toBeNull();
        expect($(element, 'empty').textContent).toBe('c.Backstory_UT_No_Users');
        expect($(element, 'no-teams')).not.toBeNull();
        await expect(element).toBeAccessible();
    });
});
