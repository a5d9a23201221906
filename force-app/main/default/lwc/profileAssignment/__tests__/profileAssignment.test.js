import { createElement } from '@lwc/engine-dom';
import ProfileAssignment from 'c/profileAssignment';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import Toast from 'lightning/toast';
import { flushPromises, settle } from 'test/jest-utils/flushPromises';
import { apiError, routeApi } from 'test/jest-utils/apiRoutes';
import { DEFAULT_PROFILE, profile } from 'test/jest-utils/fixtures';

const SALES = profile({ userCount: 0 });
const TEAMS = [
    {
        id: 'team_east',
        name: 'East',
        parentId: null,
        kind: 'hierarchy',
        managerUserId: null,
        salesforceRoleId: null,
        memberCount: 2
    },
    {
        id: 'team_west',
        name: 'West',
        parentId: null,
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
    visibility: 'full',
    profileId: 'prf_default',
    teamId,
    customTeamIds: [],
    status,
    source: 'manual'
});
const USERS = [
    user('usr_a', 'Ada', 'team_east'),
    user('usr_b', 'Bob', 'team_east'),
    user('usr_c', 'Cy', 'team_west', 'suspended')
];

function mount() {
    const element = createElement('c-profile-assignment', { is: ProfileAssignment });
    document.body.appendChild(element);
    return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const $$ = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const change = (el, value) => el.dispatchEvent(new CustomEvent('change', { detail: { value } }));
const check = (el, checked) => {
    el.checked = checked;
    el.dispatchEvent(new CustomEvent('change'));
};
const baseRoutes = (users = USERS) => ({
    'GET /v1/profiles': { items: [DEFAULT_PROFILE, SALES], nextCursor: null },
    'GET /v1/teams': { items: TEAMS, nextCursor: null },
    'GET /v1/users': (_, path) => {
        const q = new URLSearchParams(path.split('?')[1]);
        const items = users.filter(
            (u) =>
                (!q.get('teamId') || u.teamId === q.get('teamId')) &&
                (!q.get('status') || u.status === q.get('status')) &&
                (!q.get('q') || u.firstName.toLowerCase().includes(q.get('q').toLowerCase()))
        );
        return { items, nextCursor: null };
    }
});

describe('c-profile-assignment', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('CP-8 lists users with team, profile and status', async () => {
        routeApi(send, baseRoutes());
        const element = mount();
        await settle();
        expect($$(element, 'user-name').map((n) => n.textContent)).toEqual(['Ada Rep', 'Bob Rep', 'Cy Rep']);
        expect($$(element, 'user-team').map((n) => n.textContent)).toEqual(['East', 'East', 'West']);
        expect($$(element, 'profile-name')[0].textContent.trim()).toBe('Default - Intake Off');
        expect($(element, 'assign-selected').disabled).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('filters by team, status and search', async () => {
        const calls = routeApi(send, baseRoutes());
        const element = mount();
        await settle();
        change($(element, 'filter-team'), 'team_east');
        await settle();
        expect($$(element, 'user-name')).toHaveLength(2);
        change($(element, 'filter-status'), 'suspended');
        await settle();
        expect($(element, 'empty')).not.toBeNull();
        change($(element, 'filter-status'), '');
        change($(element, 'filter-team'), '');
        await settle();
        change($(element, 'search'), 'bo');
        $(element, 'search').dispatchEvent(new CustomEvent('commit'));
        await settle();
        expect($$(element, 'user-name').map((n) => n.textContent)).toEqual(['Bob Rep']);
        expect(calls.at(-1).path).toBe('/v1/users?limit=200&q=bo');
        await expect(element).toBeAccessible();
    });

    it('CP-8 assigns a profile to the selected users', async () => {
        const calls = routeApi(send, { ...baseRoutes(), 'POST /v1/users/profile-assignments': { updated: 2 } });
        const element = mount();
        await settle();
        const boxes = $$(element, 'select');
        check(boxes[0], true);
        check(boxes[2], true);
        await flushPromises();
        expect($(element, 'selected-count').textContent.trim()).toBe('c.Backstory_Selected');
        $(element, 'assign-selected').click();
        await settle();
        expect($(element, 'assign-modal')).not.toBeNull();
        expect($(element, 'assign-ok').disabled).toBe(true);
        await expect(element).toBeAccessible();
        change($(element, 'assign-profile'), 'prf_sales');
        await flushPromises();
        $(element, 'assign-ok').click();
        await settle();
        expect(calls.find((c) => c.method === 'POST').body).toEqual({
            userIds: ['usr_a', 'usr_c'],
            profileId: 'prf_sales'
        });
        expect(Toast.show).toHaveBeenCalledWith(
            expect.objectContaining({ variant: 'success', label: 'c.Backstory_Assign_Done' }),
            expect.anything()
        );
        expect($(element, 'assign-modal')).toBeNull();
        expect($$(element, 'select').every((b) => !b.checked)).toBe(true);
    });

    it('selects every shown user at once', async () => {
        routeApi(send, baseRoutes());
        const element = mount();
        await settle();
        check($(element, 'select-all'), true);
        await flushPromises();
        expect($$(element, 'select').every((b) => b.checked)).toBe(true);
        expect($(element, 'assign-selected').disabled).toBe(false);
    });

    it('CP-8 assigns a profile to a whole team', async () => {
        const calls = routeApi(send, { ...baseRoutes(), 'POST /v1/users/profile-assignments': { updated: 2 } });
        const element = mount();
        await settle();
        $(element, 'assign-team').click();
        await settle();
        change($(element, 'assign-team-choice'), 'team_east');
        change($(element, 'assign-profile'), 'prf_sales');
        await flushPromises();
        $(element, 'assign-ok').click();
        await settle();
        expect(calls.find((c) => c.method === 'POST').body).toEqual({
            userIds: ['usr_a', 'usr_b'],
            profileId: 'prf_sales'
        });
    });

    it('shows an assignment refusal in the modal', async () => {
        routeApi(send, {
            ...baseRoutes(),
            'POST /v1/users/profile-assignments': apiError(400, 'validation_failed', 'profileId: no profile', [
                { path: 'profileId', message: 'no profile prf_sales in this org' }
            ])
        });
        const element = mount();
        await settle();
        check($$(element, 'select')[0], true);
        await flushPromises();
        $(element, 'assign-selected').click();
        await settle();
        change($(element, 'assign-profile'), 'prf_sales');
        await flushPromises();
        $(element, 'assign-ok').click();
        await settle();
        expect($(element, 'assign-modal').textContent).toContain('no profile prf_sales in this org');
        await expect(element).toBeAccessible();
    });

    it("CP-8 previews a profile's settings when its name is hovered or focused", async () => {
        routeApi(send, baseRoutes([{ ...USERS[0], profileId: 'prf_sales' }]));
        const element = mount();
        await settle();
        const name = $(element, 'profile-name');
        name.dispatchEvent(new CustomEvent('mouseenter'));
        await flushPromises();
        const tip = $(element, 'profile-preview');
        expect(tip.getAttribute('role')).toBe('tooltip');
        expect(name.getAttribute('aria-describedby')).toBe(tip.id);
        const lines = [...tip.querySelectorAll('li')].map((li) => li.textContent);
        expect(lines[0]).toBe('c.Backstory_T_intakeDatac.Backstory_Toggle_On');
        expect(lines[1]).toBe('c.Backstory_T_transcriptIntakec.Backstory_Toggle_Off');
        await expect(element).toBeAccessible();
        name.dispatchEvent(new CustomEvent('mouseleave'));
        await flushPromises();
        expect($(element, 'profile-preview')).toBeNull();
        name.dispatchEvent(new CustomEvent('focus'));
        await flushPromises();
        expect($(element, 'profile-preview')).not.toBeNull();
    });

    it('shows a load failure with a retry', async () => {
        let fail = true;
        routeApi(send, {
            ...baseRoutes(),
            'GET /v1/teams': () => {
                return fail ? apiError(403, 'forbidden', 'admins only') : { items: TEAMS, nextCursor: null };
            }
        });
        const element = mount();
        await settle();
        const panel = element.shadowRoot.querySelector('c-error-panel');
        expect(panel.error.code).toBe('forbidden');
        await expect(element).toBeAccessible();
        fail = false;
        panel.dispatchEvent(new CustomEvent('retry'));
        await settle();
        expect($$(element, 'user-name')).toHaveLength(3);
    });
});
