import { createElement } from '@lwc/engine-dom';
import RuleEditor from 'c/ruleEditor';
import { flushPromises } from 'test/jest-utils/flushPromises';

const PROFILES = [
    { id: 'prf_default', name: 'Default - Intake Off' },
    { id: 'prf_sales', name: 'Sales' }
];
const ASSIGN = { profileId: 'prf_sales', role: 'member', visibility: 'full', licenses: ['foundation'] };

function mount(rule, isNew = false) {
    const element = createElement('c-rule-editor', { is: RuleEditor });
    Object.assign(element, { rule, profiles: PROFILES, isNew });
    const done = jest.fn();
    element.addEventListener('done', (e) => done(e.detail.rule));
    document.body.appendChild(element);
    return { element, done };
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const $$ = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const change = (el, value) => el.dispatchEvent(new CustomEvent('change', { detail: { value } }));

describe('c-rule-editor', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('USR-4 edits name, filters and assignments, and sends a list for "in"', async () => {
        const { element, done } = mount(
            {
                name: '',
                description: '',
                isCatchAll: false,
                filters: [{ field: 'job_title', operator: 'equals', value: '' }],
                assignments: ASSIGN
            },
            true
        );
        await flushPromises();
        expect($(element, 'rule-modal').heading).toBe('c.Backstory_Rule_New_Title');
        await expect(element).toBeAccessible();
        change($(element, 'rule-name'), 'West AEs');
        change($(element, 'filter-field'), 'team_name');
        change($(element, 'filter-operator'), 'in');
        change($(element, 'filter-value'), 'West, Central ');
        $(element, 'add-rule-filter').click();
        await flushPromises();
        const [, second] = [$$(element, 'filter-value')[0], $$(element, 'filter-value')[1]];
        change(second, 'Account Executive');
        change($$(element, 'filter-operator')[1], 'contains');
        change($(element, 'rule-licenses'), ['foundation', 'forecasting']);
        await flushPromises();
        $(element, 'rule-done').click();
        expect(done).toHaveBeenCalledWith({
            name: 'West AEs',
            description: '',
            isCatchAll: false,
            filters: [
                { field: 'team_name', operator: 'in', value: ['West', 'Central'] },
                { field: 'job_title', operator: 'contains', value: 'Account Executive' }
            ],
            assignments: { ...ASSIGN, licenses: ['foundation', 'forecasting'] }
        });
    });

    it('USR-5 refuses several values for contains, and a rule without a name, filter or value', async () => {
        const { element, done } = mount(
            {
                name: 'X',
                description: '',
                isCatchAll: false,
                filters: [{ field: 'job_title', operator: 'contains', value: 'SDR, BDR' }],
                assignments: ASSIGN
            },
            false
        );
        await flushPromises();
        $(element, 'rule-done').click();
        await flushPromises();
        expect(done).not.toHaveBeenCalled();
        expect($(element, 'filter-error').textContent).toBe('c.Backstory_Contains_One');
        await expect(element).toBeAccessible();
        change($(element, 'rule-name'), '  ');
        $(element, 'clear-filters').click();
        await flushPromises();
        $(element, 'rule-done').click();
        await flushPromises();
        expect($(element, 'name-error').textContent).toBe('c.Backstory_Rule_Needs_Name');
        expect($(element, 'filters-error').textContent).toBe('c.Backstory_Rule_No_Filters');
        expect(done).not.toHaveBeenCalled();
    });

    it('USR-7 the catch-all edits only its assignments', async () => {
        const { element, done } = mount({
            id: 'usr_catch',
            name: 'Catch-all',
            description: '',
            isCatchAll: true,
            filters: [],
            assignments: { ...ASSIGN, profileId: 'prf_default' }
        });
        await flushPromises();
        expect($(element, 'rule-name')).toBeNull();
        expect($(element, 'add-rule-filter')).toBeNull();
        expect($(element, 'catch-all-note')).not.toBeNull();
        change($(element, 'rule-role'), 'manager');
        await flushPromises();
        $(element, 'rule-done').click();
        expect(done).toHaveBeenCalledWith(
            expect.objectContaining({
                id: 'usr_catch',
                isCatchAll: true,
                filters: [],
                assignments: expect.objectContaining({ role: 'manager' })
            })
        );
        await expect(element).toBeAccessible();
    });

    it('cancels on the button and on Escape', async () => {
        const { element } = mount({ name: 'X', isCatchAll: false, filters: [], assignments: ASSIGN });
        const cancel = jest.fn();
        element.addEventListener('cancel', cancel);
        await flushPromises();
        $(element, 'rule-cancel').click();
        $(element, 'rule-modal').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
        expect(cancel).toHaveBeenCalledTimes(2);
    });
});
