import { createElement } from '@lwc/engine-dom';
import ConditionRow from 'c/conditionRow';
import { flushPromises } from 'test/jest-utils/flushPromises';
import { FIELDS } from 'test/jest-utils/fixtures';

function mount(condition, props = {}) {
    const element = createElement('c-condition-row', { is: ConditionRow });
    Object.assign(element, { fields: FIELDS.Opportunity, condition, ...props });
    const changes = [];
    element.addEventListener('change', (e) => {
        changes.push(e.detail.condition);
        element.condition = e.detail.condition;
    });
    document.body.appendChild(element);
    return { element, changes };
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const change = (el, value) => el.dispatchEvent(new CustomEvent('change', { detail: { value } }));

describe('c-condition-row', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('CP-5 offers the picklist values of a picklist field, parent fields included', async () => {
        const { element } = mount({ field: 'Account.Type', operator: 'equals', value: 'Partner' });
        await flushPromises();
        expect($(element, 'field').options.map((o) => o.value)).toContain('Account.Type');
        expect($(element, 'value').tagName).toBe('LIGHTNING-COMBOBOX');
        expect($(element, 'value').options.map((o) => o.value)).toEqual(['Customer', 'Partner', 'Prospect']);
        await expect(element).toBeAccessible();
    });

    it('offers operators that fit the field type', async () => {
        const ops = async (field) => {
            const { element } = mount({ field, operator: 'equals', value: '' });
            await flushPromises();
            return $(element, 'operator').options.map((o) => o.value);
        };
        expect(await ops('IsPrivate')).toEqual(['equals', 'not_equals']);
        expect(await ops('CloseDate')).toContain('greater_than');
        expect(await ops('CloseDate')).not.toContain('contains');
        expect(await ops('Name')).toContain('starts_with');
        expect(await ops('Name')).not.toContain('less_than');
    });

    it('asks for the value in the input the type and operator need, and sends typed values', async () => {
        const { element, changes } = mount({ field: 'Amount', operator: 'greater_than', value: 1 });
        await flushPromises();
        expect($(element, 'value').type).toBe('number');
        change($(element, 'value'), '25000');
        expect(changes.at(-1)).toEqual({ field: 'Amount', operator: 'greater_than', value: 25000 });
        change($(element, 'operator'), 'in');
        await flushPromises();
        change($(element, 'value'), '10, 20');
        expect(changes.at(-1)).toEqual({ field: 'Amount', operator: 'in', value: [10, 20] });
        change($(element, 'operator'), 'is_null');
        await flushPromises();
        expect($(element, 'value')).toBeNull();
        expect(changes.at(-1)).toEqual({ field: 'Amount', operator: 'is_null' });
    });

    it('offers several picklist values for in, true/false for a checkbox, a date picker for a date', async () => {
        const { element, changes } = mount({ field: 'Type', operator: 'in', value: ['New Business'] });
        await flushPromises();
        expect($(element, 'value').tagName).toBe('LIGHTNING-CHECKBOX-GROUP');
        change($(element, 'value'), ['New Business', 'Existing Business']);
        expect(changes.at(-1).value).toEqual(['New Business', 'Existing Business']);
        change($(element, 'field'), 'IsPrivate');
        await flushPromises();
        expect(changes.at(-1)).toEqual({ field: 'IsPrivate', operator: 'equals', value: false });
        change($(element, 'value'), 'true');
        expect(changes.at(-1).value).toBe(true);
        change($(element, 'field'), 'CloseDate');
        await flushPromises();
        expect($(element, 'value').type).toBe('date');
    });

    it('CP-6 sort conditions take a sortable field and a direction', async () => {
        const { element, changes } = mount({ field: 'CloseDate', direction: 'asc' }, { kind: 'sort' });
        await flushPromises();
        expect($(element, 'operator')).toBeNull();
        change($(element, 'direction'), 'desc');
        expect(changes.at(-1)).toEqual({ field: 'CloseDate', direction: 'desc' });
        change($(element, 'field'), 'Amount');
        expect(changes.at(-1)).toEqual({ field: 'Amount', direction: 'desc' });
        await expect(element).toBeAccessible();
    });

    it('shows its messages beside the inputs and fires remove', async () => {
        const { element } = mount(
            { field: 'Gone__c', operator: 'equals', value: 'x' },
            { errors: { field: 'Opportunity.Gone__c does not exist', value: 'bad' } }
        );
        const remove = jest.fn();
        element.addEventListener('remove', remove);
        await flushPromises();
        // A field the describe no longer has stays visible so that the message makes sense.
        expect($(element, 'field').options[0]).toEqual({ value: 'Gone__c', label: 'Gone__c' });
        expect($(element, 'field-error').textContent).toBe('Opportunity.Gone__c does not exist');
        expect($(element, 'value-error').textContent).toBe('bad');
        $(element, 'remove').click();
        expect(remove).toHaveBeenCalled();
        await expect(element).toBeAccessible();
    });
});
