import { createElement } from '@lwc/engine-dom';
import PermissionSetAssign from 'c/permissionSetAssign';
import { flushPromises } from 'test/jest-utils/flushPromises';

const HELP = 'Backstory Integration User does not have the permission set “Backstory Standard Permissions”.';

function mount(props) {
    const element = createElement('c-permission-set-assign', { is: PermissionSetAssign });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-permission-set-assign', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('PERM-8 says what is missing and offers one click, which fires assign', async () => {
        const element = mount({ help: HELP });
        const assign = jest.fn();
        element.addEventListener('assign', assign);
        await flushPromises();
        expect($(element, 'assign-help').textContent).toBe(HELP);
        const button = $(element, 'assign-button');
        expect(button.label).toBe('c.Backstory_Assign_Permission_Set');
        expect(button.disabled).toBe(false);
        expect(element.shadowRoot.querySelector('lightning-spinner')).toBeNull();
        expect($(element, 'assign-error')).toBeNull();
        button.dispatchEvent(new CustomEvent('click'));
        expect(assign).toHaveBeenCalledTimes(1);
        await expect(element).toBeAccessible();
    });

    it('PERM-8 while Salesforce assigns: the button is disabled and a spinner says so', async () => {
        const element = mount({ help: HELP, busy: true });
        await flushPromises();
        expect($(element, 'assign-button').disabled).toBe(true);
        expect(element.shadowRoot.querySelector('lightning-spinner').alternativeText).toBe('c.Backstory_Assigning');
        await expect(element).toBeAccessible();
    });

    it('PERM-8 a refusal is shown as an alert beside the button', async () => {
        const element = mount({ help: HELP, errorText: 'Salesforce did not assign it: you lack the right.' });
        await flushPromises();
        const error = $(element, 'assign-error');
        expect(error.getAttribute('role')).toBe('alert');
        expect(error.textContent).toBe('Salesforce did not assign it: you lack the right.');
        expect($(element, 'assign-button').disabled).toBe(false);
        await expect(element).toBeAccessible();
    });
});
