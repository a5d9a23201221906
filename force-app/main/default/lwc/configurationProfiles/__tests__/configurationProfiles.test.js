import { createElement } from '@lwc/engine-dom';
import ConfigurationProfiles from 'c/configurationProfiles';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import Toast from 'lightning/toast';
import { resetFieldCache } from 'c/fieldCatalog';
import { flushPromises, settle } from 'test/jest-utils/flushPromises';
import { apiError, routeApi } from 'test/jest-utils/apiRoutes';
import { DEFAULT_PROFILE, fieldRoutes, profile } from 'test/jest-utils/fixtures';

const SALES = profile({ userCount: 2 });
const EMPTY = profile({ id: 'prf_empty', name: 'Unused', userCount: 0 });

function mount() {
    const element = createElement('c-configuration-profiles', { is: ConfigurationProfiles });
    document.body.appendChild(element);
    return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const rowAction = (element, name, id) =>
    $(element, 'table').dispatchEvent(new CustomEvent('rowaction', { detail: { action: { name }, row: { id } } }));
const change = (el, value) => el.dispatchEvent(new CustomEvent('change', { detail: { value } }));

describe('c-configuration-profiles', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        resetFieldCache();
    });

    it('CP-1 lists profiles with user counts, toggles at a glance and the default badge', async () => {
        routeApi(send, { 'GET /v1/profiles': { items: [DEFAULT_PROFILE, SALES], nextCursor: null } });
        const element = mount();
        await settle();
        const table = $(element, 'table');
        expect(table.data).toEqual([
            {
                id: 'prf_default',
                name: 'Default - Intake Off',
                userCount: 3,
                defaultText: 'c.Backstory_Profile_Default',
                togglesText: '0 / 8 c.Backstory_Toggle_On'
            },
            {
                id: 'prf_sales',
                name: 'Sales Team – Full Sync',
                userCount: 2,
                defaultText: '',
                togglesText: '2 / 8 c.Backstory_Toggle_On: c.Backstory_T_intakeData, c.Backstory_T_pushData'
            }
        ]);
        expect(table.columns.map((c) => c.fieldName ?? c.type)).toEqual([
            'button',
            'defaultText',
            'userCount',
            'togglesText',
            'action'
        ]);
        await expect(element).toBeAccessible();
    });

    it('shows the error with a retry when the list cannot load, then the list', async () => {
        let fail = true;
        routeApi(send, {
            'GET /v1/profiles': () => {
                return fail
                    ? apiError(502, 'salesforce_error', 'down')
                    : { items: [DEFAULT_PROFILE], nextCursor: null };
            }
        });
        const element = mount();
        await settle();
        const panel = element.shadowRoot.querySelector('c-error-panel');
        expect(panel.error).toMatchObject({ code: 'salesforce_error', message: 'down' });
        expect($(element, 'table')).toBeNull();
        await expect(element).toBeAccessible();
        fail = false;
        panel.dispatchEvent(new CustomEvent('retry'));
        await settle();
        expect($(element, 'table').data).toHaveLength(1);
    });

    it('shows the empty state when there is no profile', async () => {
        routeApi(send, { 'GET /v1/profiles': { items: [], nextCursor: null } });
        const element = mount();
        await settle();
        expect($(element, 'empty').textContent).toContain('c.Backstory_Profiles_Empty');
        await expect(element).toBeAccessible();
    });

    it('CP-3 creates a profile copied from another ("User Settings From") and opens it', async () => {
        const created = profile({ id: 'prf_new', name: 'SDR team' });
        const calls = routeApi(send, {
            'GET /v1/profiles': { items: [DEFAULT_PROFILE, SALES], nextCursor: null },
            'POST /v1/profiles': created,
            'GET /v1/profiles/prf_new': created,
            ...fieldRoutes()
        });
        const element = mount();
        await settle();
        $(element, 'new').click();
        await settle();
        expect($(element, 'create-modal').heading).toBe('c.Backstory_Profile_New_Title');
        expect($(element, 'copy-from').options.map((o) => o.value)).toEqual(['', 'prf_default', 'prf_sales']);
        await expect(element).toBeAccessible();
        change($(element, 'new-name'), '  SDR team ');
        change($(element, 'copy-from'), 'prf_sales');
        await flushPromises();
        $(element, 'create-save').click();
        await settle();
        expect(calls.find((c) => c.method === 'POST')).toEqual({
            method: 'POST',
            path: '/v1/profiles',
            body: { name: 'SDR team', copyFrom: 'prf_sales' }
        });
        expect(Toast.show).toHaveBeenCalledWith(
            expect.objectContaining({ variant: 'success', label: 'c.Backstory_Profile_Created' }),
            expect.anything()
        );
        expect($(element, 'create-modal')).toBeNull();
        expect(element.shadowRoot.querySelector('c-profile-editor').profileId).toBe('prf_new');
    });

    it('CP-3 shows a taken name beside the name field and keeps the modal open', async () => {
        routeApi(send, {
            'GET /v1/profiles': { items: [SALES], nextCursor: null },
            'POST /v1/profiles': apiError(409, 'conflict', 'A profile named "sales team – full sync" exists', [
                { path: 'name', message: 'is already taken' }
            ])
        });
        const element = mount();
        await settle();
        rowAction(element, 'clone', 'prf_sales');
        await settle();
        expect($(element, 'new-name').value).toBe('c.Backstory_Profile_Clone_Name');
        expect($(element, 'copy-from').value).toBe('prf_sales');
        $(element, 'create-save').click();
        await settle();
        expect($(element, 'name-error').textContent).toBe('is already taken');
        expect($(element, 'create-modal')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('CP-10 refuses to delete a profile with users and says how many to reassign', async () => {
        const calls = routeApi(send, { 'GET /v1/profiles': { items: [DEFAULT_PROFILE, SALES], nextCursor: null } });
        const element = mount();
        await settle();
        rowAction(element, 'delete', 'prf_sales');
        await settle();
        expect($(element, 'delete-blocked').textContent).toContain('c.Backstory_Profile_Delete_Blocked');
        expect($(element, 'delete-ok').disabled).toBe(true);
        await expect(element).toBeAccessible();
        $(element, 'delete-cancel').click();
        await settle();
        expect($(element, 'delete-modal')).toBeNull();
        expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    });

    it('CP-9 refuses to delete the default profile', async () => {
        routeApi(send, { 'GET /v1/profiles': { items: [DEFAULT_PROFILE], nextCursor: null } });
        const element = mount();
        await settle();
        rowAction(element, 'delete', 'prf_default');
        await settle();
        expect($(element, 'delete-blocked').textContent).toContain('c.Backstory_Profile_Delete_Default');
        expect($(element, 'delete-ok').disabled).toBe(true);
    });

    it('deletes an unused profile after confirmation and reloads the list', async () => {
        let items = [DEFAULT_PROFILE, EMPTY];
        const calls = routeApi(send, {
            'GET /v1/profiles': () => ({ items, nextCursor: null }),
            'DELETE /v1/profiles/prf_empty': () => {
                items = [DEFAULT_PROFILE];
                return null;
            }
        });
        const element = mount();
        await settle();
        rowAction(element, 'delete', 'prf_empty');
        await settle();
        expect($(element, 'delete-confirm').textContent).toBe('c.Backstory_Profile_Delete_Confirm');
        $(element, 'delete-ok').click();
        await settle();
        expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
        expect($(element, 'delete-modal')).toBeNull();
        expect($(element, 'table').data.map((r) => r.id)).toEqual(['prf_default']);
        expect(Toast.show).toHaveBeenCalledWith(expect.objectContaining({ variant: 'success' }), expect.anything());
    });

    it('CP-10 shows the API refusal when users were assigned since the list loaded', async () => {
        routeApi(send, {
            'GET /v1/profiles': { items: [EMPTY], nextCursor: null },
            'DELETE /v1/profiles/prf_empty': apiError(409, 'conflict', '1 user is still assigned to "Unused"')
        });
        const element = mount();
        await settle();
        rowAction(element, 'delete', 'prf_empty');
        await settle();
        $(element, 'delete-ok').click();
        await settle();
        const panel = $(element, 'delete-modal').querySelector('c-error-panel');
        expect(panel.error.message).toBe('1 user is still assigned to "Unused"');
        expect($(element, 'delete-modal')).not.toBeNull();
    });

    it('opens a profile in the editor and comes back to a fresh list on close', async () => {
        const calls = routeApi(send, {
            'GET /v1/profiles': { items: [SALES], nextCursor: null },
            'GET /v1/profiles/prf_sales': SALES,
            ...fieldRoutes()
        });
        const element = mount();
        await settle();
        rowAction(element, 'edit', 'prf_sales');
        await settle();
        const editor = element.shadowRoot.querySelector('c-profile-editor');
        expect(editor.profileId).toBe('prf_sales');
        expect($(element, 'list')).toBeNull();
        editor.dispatchEvent(new CustomEvent('close'));
        await settle();
        expect($(element, 'list')).not.toBeNull();
        expect(calls.filter((c) => c.path.startsWith('/v1/profiles?'))).toHaveLength(2);
    });
});
