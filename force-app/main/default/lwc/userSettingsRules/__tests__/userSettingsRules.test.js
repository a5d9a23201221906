import { createElement } from '@lwc/engine-dom';
import UserSettingsRules from 'c/userSettingsRules';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import Toast from 'lightning/toast';
import { flushPromises, settle } from 'test/jest-utils/flushPromises';
import { apiError, routeApi } from 'test/jest-utils/apiRoutes';
import { DEFAULT_PROFILE, profile } from 'test/jest-utils/fixtures';

const ASSIGN = { profileId: 'prf_sales', role: 'member', visibility: 'full', licenses: ['foundation'] };
const rule = (id, name, value) => ({
    id,
    name,
    description: '',
    isCatchAll: false,
    filters: [{ field: 'job_title', operator: 'contains', value }],
    assignments: ASSIGN
});
const CATCH_ALL = {
    id: 'usr_catch',
    name: 'Catch-all',
    description: 'Applied when no other rule matches a new user.',
    isCatchAll: true,
    filters: [],
    assignments: { ...ASSIGN, profileId: 'prf_default', licenses: ['foundation', 'engagement_dashboard'] }
};
const RULES = [rule('usr_ae', 'AEs', 'Account Executive'), rule('usr_sdr', 'SDRs', 'SDR'), CATCH_ALL];
const org = (mode) => ({
    id: 'org_1',
    salesforceOrgId: null,
    mode,
    hierarchySource: 'role',
    syncIntervalMinutes: 30,
    lastSyncAt: null
});
const routes = (mode = 'automatic', extra = {}) => ({
    'GET /v1/org': org(mode),
    'GET /v1/user-settings-rules': { items: RULES },
    'GET /v1/profiles': { items: [DEFAULT_PROFILE, profile({ name: 'Sales' })], nextCursor: null },
    ...extra
});

function mount() {
    const element = createElement('c-user-settings-rules', { is: UserSettingsRules });
    document.body.appendChild(element);
    return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const $$ = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const names = (element) => $$(element, 'rule-name').map((n) => n.textContent.trim());

describe('c-user-settings-rules', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('USR-7 lists the rules in order with the catch-all pinned last, unmovable and undeletable', async () => {
        routeApi(send, routes());
        const element = mount();
        await settle();
        expect(names(element)).toEqual(['AEs', 'SDRs', 'Catch-allc.Backstory_Rule_Catch_All']);
        const last = $$(element, 'rule')[2];
        expect(last.querySelector('[data-id="rule-up"]')).toBeNull();
        expect(last.querySelector('[data-id="rule-delete"]')).toBeNull();
        expect(last.querySelector('[data-id="rule-edit"]')).not.toBeNull();
        expect(last.getAttribute('draggable')).toBe('false');
        expect($$(element, 'rule-down')[1].disabled).toBe(true);
        expect($(element, 'save-rules').disabled).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('USR-1 is disabled with the reason in Manual mode', async () => {
        routeApi(send, routes('manual'));
        const element = mount();
        await settle();
        expect($(element, 'manual').textContent).toContain('c.Backstory_Rules_Manual');
        expect($(element, 'add-rule').disabled).toBe(true);
        expect($(element, 'rule-up')).toBeNull();
        expect($$(element, 'rule-edit').every((b) => b.disabled)).toBe(true);
        await expect(element).toBeAccessible();
    });

    it('USR-6 reorders with the move buttons and by drag and drop, then saves the whole list', async () => {
        const calls = routeApi(send, routes('automatic', { 'PUT /v1/user-settings-rules': (body) => body }));
        const element = mount();
        await settle();
        $$(element, 'rule-down')[0].click();
        await flushPromises();
        expect(names(element).slice(0, 2)).toEqual(['SDRs', 'AEs']);
        expect($(element, 'announcement').textContent).toBe('AEs: 2');
        const items = $$(element, 'rule');
        const dataTransfer = { setData: jest.fn(), getData: () => '1', effectAllowed: '', dropEffect: '' };
        const drag = (el, type) => {
            const event = new CustomEvent(type, { bubbles: true, cancelable: true });
            event.dataTransfer = dataTransfer;
            el.dispatchEvent(event);
        };
        drag(items[1], 'dragstart');
        drag(items[2], 'dragover');
        drag(items[2], 'drop'); // onto the catch-all: just above it, never below
        await flushPromises();
        expect(names(element).slice(0, 2)).toEqual(['SDRs', 'AEs']);
        drag(items[0], 'dragstart');
        drag(items[1], 'drop');
        await flushPromises();
        expect(names(element).slice(0, 2)).toEqual(['AEs', 'SDRs']);
        $$(element, 'rule-up')[1].click();
        await flushPromises();
        expect($(element, 'dirty')).not.toBeNull();
        $(element, 'save-rules').click();
        await settle();
        expect(calls.find((c) => c.method === 'PUT').body.items.map((r) => r.id)).toEqual([
            'usr_sdr',
            'usr_ae',
            'usr_catch'
        ]);
        expect(Toast.show).toHaveBeenCalledWith(expect.objectContaining({ variant: 'success' }), expect.anything());
        expect($(element, 'dirty')).toBeNull();
    });

    it('adds a rule above the catch-all, deletes one, and shows save errors beside the rule', async () => {
        routeApi(
            send,
            routes('automatic', {
                'PUT /v1/user-settings-rules': apiError(
                    400,
                    'validation_failed',
                    'items.0.assignments.profileId: no profile',
                    [{ path: 'items.0.assignments.profileId', message: 'no profile prf_gone in this org' }]
                )
            })
        );
        const element = mount();
        await settle();
        $(element, 'add-rule').click();
        await flushPromises();
        const editor = element.shadowRoot.querySelector('c-rule-editor');
        expect(editor.isNew).toBe(true);
        expect(editor.rule.assignments).toEqual(CATCH_ALL.assignments);
        editor.dispatchEvent(new CustomEvent('done', { detail: { rule: rule(undefined, 'New one', 'VP') } }));
        await flushPromises();
        expect(names(element)).toEqual(['AEs', 'SDRs', 'New one', 'Catch-allc.Backstory_Rule_Catch_All']);
        $$(element, 'rule-delete')[1].click();
        await flushPromises();
        expect(names(element)).toEqual(['AEs', 'New one', 'Catch-allc.Backstory_Rule_Catch_All']);
        $(element, 'save-rules').click();
        await settle();
        expect($(element, 'rule-error').textContent).toBe('no profile prf_gone in this org');
        expect($(element, 'save-error').error.code).toBe('validation_failed');
        await expect(element).toBeAccessible();
    });

    it('USR-2 "What if" names the rule a sample would get', async () => {
        const calls = routeApi(
            send,
            routes('automatic', { 'POST /v1/user-settings-rules/evaluate': { ruleId: 'usr_sdr', assignments: ASSIGN } })
        );
        const element = mount();
        await settle();
        $(element, 'what-if-title').dispatchEvent(new CustomEvent('change', { detail: { value: 'Senior SDR' } }));
        $(element, 'evaluate').click();
        await settle();
        expect(calls.at(-1).body).toEqual({ jobTitle: 'Senior SDR' });
        expect($(element, 'what-if-result').textContent).toContain('c.Backstory_What_If_Result');
        expect($(element, 'what-if-result').textContent).toContain('Sales');
    });

    it('previews every Salesforce user with counts per rule and the users behind a count', async () => {
        const calls = routeApi(
            send,
            routes('automatic', {
                'POST /v1/user-settings-rules/preview': {
                    rules: [
                        { ruleId: 'usr_ae', name: 'AEs', isCatchAll: false, count: 1, newUsers: 1 },
                        { ruleId: 'usr_sdr', name: 'SDRs', isCatchAll: false, count: 0, newUsers: 0 },
                        { ruleId: 'usr_catch', name: 'Catch-all', isCatchAll: true, count: 1, newUsers: 0 }
                    ],
                    users: [
                        {
                            salesforceUserId: '005A',
                            name: 'Ada',
                            email: 'ada@x',
                            jobTitle: 'Account Executive',
                            teamName: 'East',
                            teamManagerEmail: null,
                            ruleId: 'usr_ae',
                            profileId: 'prf_sales',
                            existing: false
                        },
                        {
                            salesforceUserId: '005B',
                            name: 'Bob',
                            email: 'bob@x',
                            jobTitle: 'CEO',
                            teamName: 'CEO',
                            teamManagerEmail: null,
                            ruleId: 'usr_catch',
                            profileId: 'prf_default',
                            existing: true
                        }
                    ]
                }
            })
        );
        const element = mount();
        await settle();
        $(element, 'preview-all').click();
        await settle();
        expect(calls.at(-1).body.items.map((r) => r.id)).toEqual(['usr_ae', 'usr_sdr', 'usr_catch']);
        expect($$(element, 'rule-count').map((b) => b.dataset.ruleId)).toEqual(['usr_ae', 'usr_sdr', 'usr_catch']);
        $$(element, 'preview-count')[2].click();
        await flushPromises();
        const table = $(element, 'users-modal').querySelector('lightning-datatable');
        expect(table.data).toEqual([
            expect.objectContaining({
                name: 'Bob',
                profileName: 'Default - Intake Off',
                existingText: 'c.Backstory_Rule_Existing'
            })
        ]);
        await expect(element).toBeAccessible();
        $(element, 'users-close').click();
        await flushPromises();
        expect($(element, 'users-modal')).toBeNull();
    });
});
