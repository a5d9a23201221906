import { createElement } from '@lwc/engine-dom';
import Modal from 'c/modal';
import { flushPromises } from 'test/jest-utils/flushPromises';

function mount(props) {
    const element = createElement('c-modal', { is: Modal });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}
const section = (element) => element.shadowRoot.querySelector('[data-id="modal-section"]');
const heading = (element) => element.shadowRoot.querySelector('[data-id="modal-heading"]');

describe('c-modal', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('is a modal dialog labelled by its heading', async () => {
        const element = mount({ heading: 'Delete profile' });
        await flushPromises();
        expect(section(element).getAttribute('role')).toBe('dialog');
        expect(section(element).getAttribute('aria-modal')).toBe('true');
        const labelledBy = section(element).getAttribute('aria-labelledby');
        expect(heading(element).getAttribute('id')).toBe(labelledBy);
        expect(heading(element).textContent.trim()).toBe('Delete profile');
        expect(section(element).className).toBe('slds-modal slds-fade-in-open');
        await expect(element).toBeAccessible();
    });

    it('takes a size and shows a spinner while busy', async () => {
        const element = mount({ heading: 'Rule', size: 'medium', busy: true, busyLabel: 'Saving' });
        await flushPromises();
        expect(section(element).className).toBe('slds-modal slds-fade-in-open slds-modal_medium');
        expect(element.shadowRoot.querySelector('lightning-spinner').alternativeText).toBe('Saving');
        element.busy = false;
        await flushPromises();
        expect(element.shadowRoot.querySelector('lightning-spinner')).toBeNull();
    });

    it('fires close on Escape, not on other keys', async () => {
        const element = mount({ heading: 'Rule' });
        const close = jest.fn();
        element.addEventListener('close', close);
        await flushPromises();
        element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
        expect(close).not.toHaveBeenCalled();
        element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
        expect(close).toHaveBeenCalledTimes(1);
    });

    it('moves focus to its heading on request', async () => {
        const element = mount({ heading: 'Edit match' });
        await flushPromises();
        element.focusHeading();
        expect(element.shadowRoot.activeElement).toBe(heading(element));
    });
});
