import { createElement } from '@lwc/engine-dom';
import ErrorPanel from 'c/errorPanel';
import { flushPromises } from 'test/jest-utils/flushPromises';

const VALIDATION = {
    status: 400,
    code: 'validation_failed',
    message: 'name: is already taken',
    details: [
        { path: 'name', message: 'is already taken' },
        { path: 'matching.minScore', message: 'must be at most 100' }
    ]
};

function mount(props) {
    const element = createElement('c-error-panel', { is: ErrorPanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}
const byId = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);

describe('c-error-panel', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('renders nothing without an error', async () => {
        const element = mount({});
        await flushPromises();
        expect(byId(element, 'error-panel')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('says what kind of problem it is, the sentence and every field message', async () => {
        const element = mount({ error: VALIDATION, fieldLabels: { 'matching.minScore': 'Minimum score' } });
        await flushPromises();
        expect(byId(element, 'error-panel').getAttribute('role')).toBe('alert');
        // Labels render as their names under sfdx-lwc-jest: the title is the validation one.
        expect(byId(element, 'error-title').textContent).toBe('c.Backstory_Error_Validation');
        expect(byId(element, 'error-message').textContent).toBe('name: is already taken');
        const items = [...byId(element, 'error-details').querySelectorAll('li')].map((li) => li.textContent.trim());
        expect(items).toEqual(['name: is already taken', 'Minimum score: must be at most 100']);
        await expect(element).toBeAccessible();
    });

    it.each([
        ['conflict', 'c.Backstory_Error_Conflict'],
        ['forbidden', 'c.Backstory_Error_Forbidden'],
        ['not_found', 'c.Backstory_Error_Not_Found'],
        ['unauthorized', 'c.Backstory_Error_Unauthorized'],
        ['salesforce_error', 'c.Backstory_Error_Salesforce'],
        ['unreachable', 'c.Backstory_Error_Unreachable'],
        ['internal', 'c.Backstory_Error_Unknown'],
        ['invalid_response', 'c.Backstory_Error_Unknown']
    ])('titles a %s error in an admin’s words', async (code, title) => {
        const element = mount({ error: { status: 409, code, message: 'why', details: [] } });
        await flushPromises();
        expect(byId(element, 'error-title').textContent).toBe(title);
        expect(byId(element, 'error-details')).toBeNull();
    });

    it('offers the next action when asked and fires retry', async () => {
        const element = mount({ error: { code: 'unreachable', message: 'down', details: [] }, retryLabel: 'Reload' });
        const retry = jest.fn();
        element.addEventListener('retry', retry);
        await flushPromises();
        const button = byId(element, 'error-retry');
        expect(button.label).toBe('Reload');
        button.click();
        expect(retry).toHaveBeenCalledTimes(1);
        await expect(element).toBeAccessible();
    });
});
