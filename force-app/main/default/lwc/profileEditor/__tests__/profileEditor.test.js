import { createElement } from '@lwc/engine-dom';
import ProfileEditor from 'c/profileEditor';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import Toast from 'lightning/toast';
import { resetFieldCache } from 'c/fieldCatalog';
import { settle } from 'test/jest-utils/flushPromises';
import { apiError, routeApi } from 'test/jest-utils/apiRoutes';
import { DEFAULT_PROFILE, fieldRoutes, profile } from 'test/jest-utils/fixtures';

const SALES = profile();

function mount(profileId = 'prf_sales') {
    const element = createElement('c-profile-editor', { is: ProfileEditor });
    element.profileId = profileId;
    document.body.appendChild(element);
    return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const $$ = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const toggle = (element, key, checked) => {
    const input = $$(element, 'toggle').find((t) => t.dataset.key === key);
    input.checked = checked;
    input.dispatchEvent(new CustomEvent('change'));
};

describe('c-profile-editor', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        resetFieldCache();
    });

    it('CP-4 shows the eight toggles with their ON/OFF explanations in the seed order', async () => {
        routeApi(send, { 'GET /v1/profiles/prf_sales': SALES, ...fieldRoutes() });
        const element = mount();
        await settle();
        const toggles = $$(element, 'toggle');
        expect(toggles.map((t) => t.dataset.key)).toEqual([
            'intakeData',
            'transcriptIntake',
            'displayData',
            'pushData',
            'emailSync',
            'meetingSync',
            'contactCreation',
            'contactRoleCreation'
        ]);
        expect(toggles.map((t) => t.checked)).toEqual([true, false, false, true, false, false, false, false]);
        expect($$(element, 'toggle-row')[0].textContent).toContain('c.Backstory_T_intakeData_Help');
        expect($(element, 'title').textContent).toContain('Sales Team – Full Sync');
        expect($(element, 'save').disabled).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('saves only the changed section, says so and is clean again', async () => {
        const calls = routeApi(send, {
            'GET /v1/profiles/prf_sales': SALES,
            'PATCH /v1/profiles/prf_sales': (body) => ({ ...SALES, ...body }),
            ...fieldRoutes()
        });
        const element = mount();
        await settle();
        toggle(element, 'emailSync', true);
        await settle();
        expect($(element, 'dirty')).not.toBeNull();
        expect($(element, 'save').disabled).toBe(false);
        $(element, 'save').click();
        await settle();
        const saved = calls.find((c) => c.method === 'PATCH');
        expect(Object.keys(saved.body)).toEqual(['activity']);
        expect(saved.body.activity.emailSync).toBe(true);
        expect(Toast.show).toHaveBeenCalledWith(
            expect.objectContaining({ variant: 'success', label: 'c.Backstory_Profile_Saved' }),
            expect.anything()
        );
        expect($(element, 'dirty')).toBeNull();
    });

    it("shows the API's validation errors beside their fields and opens the tab of the first", async () => {
        routeApi(send, {
            'GET /v1/profiles/prf_sales': SALES,
            'PATCH /v1/profiles/prf_sales': apiError(400, 'validation_failed', 'two problems', [
                { path: 'notifications.followUpQuestions.0.field', message: 'Event.Id is not writable' },
                { path: 'notifications.meetingCategoryField', message: 'does not exist' }
            ]),
            ...fieldRoutes()
        });
        const element = mount();
        await settle();
        $(element, 'add-question').click();
        await settle();
        $(element, 'save').click();
        await settle();
        expect(element.shadowRoot.querySelector('lightning-tabset').activeTabValue).toBe('notifications');
        expect($(element, 'question-field-error').textContent).toBe('Event.Id is not writable');
        expect($(element, 'category-error').textContent).toBe('does not exist');
        expect($(element, 'save-error').error.code).toBe('validation_failed');
        expect($(element, 'dirty')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('CP-7 offers writable Event fields for the category and answers, and the category picklist', async () => {
        routeApi(send, { 'GET /v1/profiles/prf_sales': SALES, ...fieldRoutes() });
        const element = mount();
        await settle();
        const category = $(element, 'category-field');
        expect(category.options.map((o) => o.value)).toEqual([
            '',
            'Event.Subject',
            'Event.Type',
            'Event.peopleai__Next_Steps__c'
        ]);
        category.dispatchEvent(new CustomEvent('change', { detail: { value: 'Event.Type' } }));
        await settle();
        $(element, 'add-question').click();
        await settle();
        expect($(element, 'question-category').options.map((o) => o.value)).toEqual(['Demo', 'Discovery', 'Meeting']);
        expect($(element, 'question-category').value).toBe('Demo');
        expect($(element, 'question-field').options.map((o) => o.value)).not.toContain('Event.Id');
        $(element, 'question-text').dispatchEvent(
            new CustomEvent('change', { detail: { value: 'What are the next steps?' } })
        );
        await settle();
        expect($(element, 'question-text').value).toBe('What are the next steps?');
        $(element, 'remove-question').click();
        await settle();
        expect($(element, 'questions-empty')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('asks before leaving with unsaved changes: keep editing, or discard and close', async () => {
        routeApi(send, { 'GET /v1/profiles/prf_sales': SALES, ...fieldRoutes() });
        const element = mount();
        const close = jest.fn();
        element.addEventListener('close', close);
        await settle();
        toggle(element, 'meetingSync', true);
        await settle();
        expect(element.hasUnsavedChanges()).toBe(true);
        $(element, 'back').click();
        await settle();
        expect($(element, 'discard-modal').heading).toBe('c.Backstory_Discard_Title');
        expect(close).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();
        $(element, 'keep-editing').click();
        await settle();
        expect($(element, 'discard-modal')).toBeNull();
        $(element, 'back').click();
        await settle();
        $(element, 'discard').click();
        await settle();
        expect(close).toHaveBeenCalledTimes(1);
    });

    it('closes at once when nothing changed', async () => {
        routeApi(send, { 'GET /v1/profiles/prf_sales': SALES, ...fieldRoutes() });
        const element = mount();
        const close = jest.fn();
        element.addEventListener('close', close);
        await settle();
        $(element, 'back').click();
        expect(close).toHaveBeenCalledTimes(1);
    });

    it('CP-9 keeps the default profile toggles off and says why', async () => {
        routeApi(send, { 'GET /v1/profiles/prf_default': DEFAULT_PROFILE, ...fieldRoutes() });
        const element = mount('prf_default');
        await settle();
        expect($(element, 'default-badge')).not.toBeNull();
        expect($(element, 'default-locked').textContent).toContain('c.Backstory_Default_Locked');
        expect($$(element, 'toggle').every((t) => t.disabled)).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('shows a load failure with a retry', async () => {
        let fail = true;
        routeApi(send, {
            'GET /v1/profiles/prf_sales': () => {
                return fail ? apiError(404, 'not_found', 'Profile prf_sales not found') : SALES;
            },
            ...fieldRoutes()
        });
        const element = mount();
        await settle();
        const panel = element.shadowRoot.querySelector('c-error-panel');
        expect(panel.error.code).toBe('not_found');
        expect($(element, 'toggle')).toBeNull();
        fail = false;
        panel.dispatchEvent(new CustomEvent('retry'));
        await settle();
        expect($$(element, 'toggle')).toHaveLength(8);
    });

    it('passes matching changes from the Matching tab into the draft and the simulation', async () => {
        routeApi(send, {
            'GET /v1/profiles/prf_sales': SALES,
            'GET /v1/activities': apiError(404, 'not_found', 'no route'),
            'GET /v1/users': { items: [], nextCursor: null },
            ...fieldRoutes()
        });
        const element = mount();
        await settle();
        const matching = element.shadowRoot.querySelector('c-profile-matching');
        matching.dispatchEvent(
            new CustomEvent('matchingchange', { detail: { matching: { ...SALES.matching, minScore: 70 } } })
        );
        await settle();
        expect(element.shadowRoot.querySelector('c-matching-simulation').draft.matching.minScore).toBe(70);
        expect($(element, 'dirty')).not.toBeNull();
    });
});
