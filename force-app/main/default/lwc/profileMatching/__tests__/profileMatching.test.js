import { createElement } from '@lwc/engine-dom';
import ProfileMatching from 'c/profileMatching';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import { resetFieldCache } from 'c/fieldCatalog';
import { settle } from 'test/jest-utils/flushPromises';
import { apiError, routeApi } from 'test/jest-utils/apiRoutes';
import { FIELDS, fieldRoutes, profile } from 'test/jest-utils/fixtures';

const BASE = profile().matching;
const RANKED = {
    ...BASE,
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
        },
        {
            name: 'Big deals',
            recordType: 'Opportunity',
            kind: 'sort',
            conditions: [{ field: 'Amount', direction: 'desc' }]
        }
    ]
};

/** Mounts the tab and feeds every `change` back in, as the editor does. */
function mount(matching, messages = {}) {
    const element = createElement('c-profile-matching', { is: ProfileMatching });
    element.matching = matching;
    element.messages = messages;
    const changes = [];
    element.addEventListener('change', (e) => {
        changes.push(e.detail.matching);
        element.matching = e.detail.matching;
    });
    document.body.appendChild(element);
    return { element, changes };
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const $$ = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const change = (el, detail) => el.dispatchEvent(new CustomEvent('change', { detail }));

describe('c-profile-matching', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        resetFieldCache();
    });

    it('CP-5 shows each type as all / none / filtered', async () => {
        routeApi(send, fieldRoutes());
        const { element } = mount({
            ...BASE,
            eligibility: {
                Opportunity: {
                    mode: 'filtered',
                    groups: [{ name: 'NB', filters: [{ field: 'Type', operator: 'equals', value: 'New Business' }] }]
                },
                Account: { mode: 'filtered', groups: [] },
                Lead: { mode: 'all', groups: [] }
            }
        });
        await settle();
        expect($$(element, 'eligibility-mode').map((r) => [r.dataset.type, r.value])).toEqual([
            ['Opportunity', 'filtered'],
            ['Account', 'none'],
            ['Lead', 'all']
        ]);
        expect($$(element, 'group')).toHaveLength(1);
        await expect(element).toBeAccessible();
    });

    it('CP-5 adds an eligibility group with a picklist value, ANDs filters and ORs groups', async () => {
        routeApi(send, fieldRoutes());
        const { element, changes } = mount(BASE);
        await settle();
        const opportunity = $$(element, 'eligibility-mode')[0];
        change(opportunity, { value: 'filtered' });
        await settle();
        expect(changes.at(-1).eligibility.Opportunity).toEqual({
            mode: 'filtered',
            groups: [{ name: 'Opportunity group 1', filters: [{ field: '', operator: 'equals', value: '' }] }]
        });
        const row = $(element, 'filter');
        expect(row.fields).toEqual(FIELDS.Opportunity);
        change(row, { condition: { field: 'Account.Type', operator: 'equals', value: 'Partner' } });
        await settle();
        $(element, 'add-filter').click();
        await settle();
        $(element, 'add-group').click();
        await settle();
        const opp = changes.at(-1).eligibility.Opportunity;
        expect(opp.groups).toHaveLength(2);
        expect(opp.groups[0].filters).toEqual([
            { field: 'Account.Type', operator: 'equals', value: 'Partner' },
            { field: '', operator: 'equals', value: '' }
        ]);
        expect(element.shadowRoot.textContent).toContain('AND');
        expect(element.shadowRoot.textContent).toContain('OR');
        await expect(element).toBeAccessible();
    });

    it('CP-5 removing the last group leaves none eligible; "all" resets the type', async () => {
        routeApi(send, fieldRoutes());
        const { element, changes } = mount({
            ...BASE,
            eligibility: {
                ...BASE.eligibility,
                Lead: {
                    mode: 'filtered',
                    groups: [{ name: 'Open', filters: [{ field: 'Status', operator: 'equals', value: 'Open' }] }]
                }
            }
        });
        await settle();
        $(element, 'remove-group').click();
        await settle();
        expect(changes.at(-1).eligibility.Lead).toEqual({ mode: 'filtered', groups: [] });
        expect($$(element, 'eligibility-mode')[2].value).toBe('none');
        change($$(element, 'eligibility-mode')[2], { value: 'all' });
        await settle();
        expect(changes.at(-1).eligibility.Lead).toEqual({ mode: 'all', groups: [] });
    });

    it('CP-6 reorders ranking groups with the move buttons and announces the new priority', async () => {
        routeApi(send, fieldRoutes());
        const { element, changes } = mount(RANKED);
        await settle();
        expect($$(element, 'priority').map((p) => p.textContent)).toEqual([
            'c.Backstory_Priority',
            'c.Backstory_Priority',
            'c.Backstory_Priority'
        ]);
        expect($$(element, 'move-up')[0].disabled).toBe(true);
        expect($$(element, 'move-down')[2].disabled).toBe(true);
        $$(element, 'move-down')[0].click();
        await settle();
        expect(changes.at(-1).rankingGroups.map((g) => g.name)).toEqual([
            'Customers first',
            'Soonest close',
            'Big deals'
        ]);
        $$(element, 'move-up')[2].click();
        await settle();
        expect(changes.at(-1).rankingGroups.map((g) => g.name)).toEqual([
            'Customers first',
            'Big deals',
            'Soonest close'
        ]);
        expect($(element, 'announcement').textContent).toContain('Big deals');
        await expect(element).toBeAccessible();
    });

    it('CP-6 reorders by drag and drop', async () => {
        routeApi(send, fieldRoutes());
        const { element, changes } = mount(RANKED);
        await settle();
        const items = $$(element, 'ranking-group');
        const dataTransfer = { setData: jest.fn(), getData: () => '2', effectAllowed: '', dropEffect: '' };
        const drag = (el, type) => {
            const event = new CustomEvent(type, { bubbles: true, cancelable: true });
            event.dataTransfer = dataTransfer;
            el.dispatchEvent(event);
            return event;
        };
        drag(items[2], 'dragstart');
        expect(drag(items[0], 'dragover').defaultPrevented).toBe(true);
        drag(items[0], 'drop');
        await settle();
        expect(changes.at(-1).rankingGroups.map((g) => g.name)).toEqual([
            'Big deals',
            'Soonest close',
            'Customers first'
        ]);
    });

    it('CP-6 keeps one kind per group: switching the kind starts its conditions afresh', async () => {
        routeApi(send, fieldRoutes());
        const { element, changes } = mount(RANKED);
        await settle();
        const conditions = $$(element, 'ranking-condition');
        expect(conditions.map((c) => c.kind)).toEqual(['sort', 'select', 'sort']);
        expect(conditions[1].fields).toEqual(FIELDS.Account);
        change($$(element, 'ranking-kind')[0], { value: 'select' });
        await settle();
        expect(changes.at(-1).rankingGroups[0]).toMatchObject({
            kind: 'select',
            conditions: [{ field: '', operator: 'equals', value: '' }]
        });
        $$(element, 'add-condition')[0].click();
        await settle();
        expect(changes.at(-1).rankingGroups[0].conditions).toHaveLength(2);
        change($$(element, 'ranking-type')[0], { value: 'All' });
        await settle();
        // "All": the fields every type shares.
        expect($$(element, 'ranking-condition')[0].fields.map((f) => f.path)).toEqual(['Name']);
    });

    it('adds the first ranking group from the empty state and removes it again', async () => {
        routeApi(send, fieldRoutes());
        const { element, changes } = mount(BASE);
        await settle();
        expect($(element, 'ranking-empty')).not.toBeNull();
        $(element, 'add-ranking').click();
        await settle();
        expect(changes.at(-1).rankingGroups).toEqual([
            {
                name: 'Ranking group 1',
                recordType: 'Opportunity',
                kind: 'sort',
                conditions: [{ field: '', direction: 'asc' }]
            }
        ]);
        $(element, 'remove-ranking').click();
        await settle();
        expect(changes.at(-1).rankingGroups).toEqual([]);
    });

    it("shows the API's messages beside the minimum score, a group name and a condition", async () => {
        routeApi(send, fieldRoutes());
        const { element } = mount(RANKED, {
            'matching.minScore': 'must be at most 100',
            'matching.rankingGroups.1.name': 'is required',
            'matching.rankingGroups.1.conditions.0.value': 'Gold is not a value of the picklist Type'
        });
        await settle();
        expect($(element, 'min-score-error').textContent).toBe('must be at most 100');
        expect($$(element, 'ranking-group')[1].textContent).toContain('is required');
        expect($$(element, 'ranking-condition')[1].errors).toEqual({
            value: 'Gold is not a value of the picklist Type'
        });
        await expect(element).toBeAccessible();
    });

    it('changes the minimum score', async () => {
        routeApi(send, fieldRoutes());
        const { element, changes } = mount(BASE);
        await settle();
        change($(element, 'min-score'), { value: '65' });
        expect(changes.at(-1).minScore).toBe(65);
    });

    it('shows why the field pickers are empty when the describe fails', async () => {
        routeApi(send, {
            ...fieldRoutes(),
            'GET /v1/salesforce/fields?object=Lead': apiError(502, 'salesforce_error', 'describe Lead: down')
        });
        const { element } = mount(BASE);
        await settle();
        expect(element.shadowRoot.querySelector('c-error-panel').error.message).toBe('describe Lead: down');
        await expect(element).toBeAccessible();
    });
});
