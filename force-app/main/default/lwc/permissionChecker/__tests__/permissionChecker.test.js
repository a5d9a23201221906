import { createElement } from '@lwc/engine-dom';
import PermissionChecker from 'c/permissionChecker';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import { flushPromises } from 'test/jest-utils/flushPromises';

// Custom labels render as their names under sfdx-lwc-jest (c.Backstory_…), except the two
// counting labels, given their real value here so the placeholder filling is tested too.
// The Apex proxy is force-app/test/jest-mocks/apex/BackstoryApiProxy.send.js (jest.config.js maps it).
jest.mock('@salesforce/label/c.Backstory_To_Fix', () => ({ default: '{0} to fix' }), { virtual: true });
jest.mock('@salesforce/label/c.Backstory_To_Review', () => ({ default: '{0} recommended missing' }), {
    virtual: true
});

const item = (name, status, required = true, remedy = null) => ({ name, status, required, remedy });
const STAGE_NAME_REMEDY =
    "In Setup, open the integration user's profile or permission set > Object Settings > Opportunity > Edit, and tick Read Access for StageName.";
const INDUSTRY_REMEDY = 'Object Settings > Account > Edit, and tick Read Access for Industry.';

const READY = {
    status: 'ready',
    path: 'view_all_data',
    integrationUser: {
        id: '005A',
        name: 'Backstory Integration User',
        username: 'integration@demo.backstory.local',
        profile: 'Minimum Access - Salesforce',
        role: 'CEO'
    },
    steps: [
        {
            id: 'integration_user',
            status: 'pass',
            items: [
                item('Integration user integration@demo.backstory.local is active', 'pass'),
                item('At the top of the role hierarchy', 'pass', false)
            ]
        },
        {
            id: 'system_permissions',
            status: 'pass',
            items: [item('API Enabled', 'pass'), item('View All Data', 'pass')]
        },
        {
            id: 'object_permissions',
            status: 'pass',
            items: [item('Account: View All', 'pass'), item('Account: Edit', 'pass')]
        },
        {
            id: 'field_permissions',
            status: 'pass',
            items: [item('60 of 60 required and recommended fields readable', 'pass')]
        }
    ]
};
const withFields = (status, fieldStep) => ({
    ...READY,
    status,
    steps: [...READY.steps.slice(0, 3), fieldStep]
});
const BLOCKED = withFields('blocked', {
    id: 'field_permissions',
    status: 'fail',
    items: [
        item('59 of 60 required and recommended fields readable', 'fail'),
        item('Opportunity.StageName', 'fail', true, STAGE_NAME_REMEDY)
    ]
});
const DEGRADED = withFields('degraded', {
    id: 'field_permissions',
    status: 'warn',
    items: [
        item('59 of 60 required and recommended fields readable', 'warn'),
        item('Account.Industry', 'warn', false, INDUSTRY_REMEDY)
    ]
});

function mount() {
    const element = createElement('c-permission-checker', { is: PermissionChecker });
    document.body.appendChild(element);
    return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const $$ = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const texts = (element, id) => $$(element, id).map((n) => n.textContent.trim());

async function mountWith(report) {
    send.mockResolvedValue(JSON.stringify(report));
    const element = mount();
    await flushPromises();
    return element;
}
async function next(element, times = 1) {
    for (let i = 0; i < times; i++) {
        $(element, 'next').click();
        // eslint-disable-next-line no-await-in-loop
        await flushPromises();
    }
}

describe('c-permission-checker', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    describe('loading', () => {
        it('runs the check through the service module and shows a spinner meanwhile', async () => {
            send.mockReturnValue(new Promise(() => {}));
            const element = mount();
            await flushPromises();
            expect(send).toHaveBeenCalledWith({ method: 'GET', path: '/v1/setup/permission-check', body: null });
            expect($(element, 'loading')).not.toBeNull();
            expect($(element, 'loading').querySelector('lightning-spinner').alternativeText).toBe(
                'c.Backstory_Checking'
            );
            expect($(element, 'step-title')).toBeNull();
            expect($(element, 'next').disabled).toBe(true);
            expect($(element, 'back').disabled).toBe(true);
            expect($(element, 'check-again').disabled).toBe(true);
            await expect(element).toBeAccessible();
        });
    });

    describe('PERM-1 integration user step', () => {
        it('opens on the integration user with who the user is and each item with its status', async () => {
            const element = await mountWith(READY);
            expect($(element, 'loading')).toBeNull();
            expect($(element, 'step-title').textContent).toBe('c.Backstory_Step_Integration_User');
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Status_Pass');
            expect($(element, 'step-intro').textContent).toBe('c.Backstory_Intro_Integration_User');
            expect($(element, 'user-name').textContent.trim()).toBe('Backstory Integration User');
            expect($(element, 'user-username').textContent.trim()).toBe('integration@demo.backstory.local');
            expect($(element, 'user-profile').textContent.trim()).toBe('Minimum Access - Salesforce');
            expect($(element, 'user-role').textContent.trim()).toBe('CEO');
            expect(texts(element, 'item-kind')).toEqual(['c.Backstory_Required', 'c.Backstory_Recommended']);
            expect($$(element, 'item-status').map((i) => i.iconName)).toEqual(['utility:success', 'utility:success']);
            expect($$(element, 'item-remedy')).toHaveLength(0);
            expect($(element, 'back').disabled).toBe(true);
            expect($(element, 'next').disabled).toBe(false);
            expect(element.shadowRoot.querySelector('lightning-progress-indicator').currentStep).toBe(
                'integration_user'
            );
            await expect(element).toBeAccessible();
        });

        it('says None for a user without a profile or role', async () => {
            const element = await mountWith({
                ...READY,
                integrationUser: { ...READY.integrationUser, profile: null, role: null }
            });
            expect($(element, 'user-profile').textContent.trim()).toBe('c.Backstory_None');
            expect($(element, 'user-role').textContent.trim()).toBe('c.Backstory_None');
        });
    });

    describe('PERM-8 navigation', () => {
        it('walks system permissions, objects and sharing, field permissions and the summary with Next and Back', async () => {
            const element = await mountWith(READY);
            const indicator = element.shadowRoot.querySelector('lightning-progress-indicator');

            await next(element);
            expect($(element, 'step-title').textContent).toBe('c.Backstory_Step_System_Permissions');
            expect(indicator.currentStep).toBe('system_permissions');
            expect(texts(element, 'item-name')).toEqual(['API Enabled', 'View All Data']);
            expect($(element, 'integration-user')).toBeNull();
            expect($(element, 'back').disabled).toBe(false);
            await expect(element).toBeAccessible();

            await next(element);
            expect($(element, 'step-title').textContent).toBe('c.Backstory_Step_Object_Permissions');
            expect(texts(element, 'item-name')).toEqual(['Account: View All', 'Account: Edit']);
            await expect(element).toBeAccessible();

            await next(element);
            expect($(element, 'step-title').textContent).toBe('c.Backstory_Step_Field_Permissions');
            expect(texts(element, 'item-name')).toEqual(['60 of 60 required and recommended fields readable']);
            await expect(element).toBeAccessible();

            await next(element);
            expect(indicator.currentStep).toBe('summary');
            expect($(element, 'summary')).not.toBeNull();
            expect($(element, 'next').disabled).toBe(true);
            await next(element);
            expect(indicator.currentStep).toBe('summary');

            $(element, 'back').click();
            await flushPromises();
            expect($(element, 'step-title').textContent).toBe('c.Backstory_Step_Field_Permissions');
        });

        it('jumps to a step clicked in the progress indicator', async () => {
            const element = await mountWith(READY);
            $$(element, 'progress-step')
                .find((s) => s.value === 'object_permissions')
                .click();
            await flushPromises();
            expect($(element, 'step-title').textContent).toBe('c.Backstory_Step_Object_Permissions');
            expect($$(element, 'progress-step').map((s) => s.label)).toEqual([
                'c.Backstory_Step_Integration_User',
                'c.Backstory_Step_System_Permissions',
                'c.Backstory_Step_Object_Permissions',
                'c.Backstory_Step_Field_Permissions',
                'c.Backstory_Step_Summary'
            ]);
        });

        it('says so when a step has nothing to check', async () => {
            const element = await mountWith({
                ...READY,
                steps: READY.steps.map((s) => (s.id === 'system_permissions' ? { ...s, items: [] } : s))
            });
            await next(element);
            expect($(element, 'no-items').textContent).toBe('c.Backstory_No_Items');
            expect($$(element, 'item')).toHaveLength(0);
        });
    });

    describe('PERM-8 summary', () => {
        it('says ready, on the View All Data path, with every step passed', async () => {
            const element = await mountWith(READY);
            await next(element, 4);
            expect($(element, 'summary-status').textContent.trim()).toBe('c.Backstory_Summary_Ready');
            expect($(element, 'summary-box').className).toContain('slds-theme_success');
            expect($(element, 'summary-path').textContent).toBe('c.Backstory_Path_View_All_Data');
            expect(texts(element, 'summary-step-label')).toEqual([
                'c.Backstory_Step_Integration_User',
                'c.Backstory_Step_System_Permissions',
                'c.Backstory_Step_Object_Permissions',
                'c.Backstory_Step_Field_Permissions'
            ]);
            expect(texts(element, 'summary-step-status')).toEqual(Array(4).fill('c.Backstory_Status_Pass'));
            expect(texts(element, 'summary-step-detail')).toEqual(Array(4).fill('c.Backstory_All_Passed'));
            await expect(element).toBeAccessible();
        });

        it('PERM-3 says when the least-privilege path is used', async () => {
            const element = await mountWith({ ...READY, path: 'least_privilege' });
            await next(element, 4);
            expect($(element, 'summary-path').textContent).toBe('c.Backstory_Path_Least_Privilege');
        });

        it('PERM-3 says when neither path is granted', async () => {
            const element = await mountWith({ ...BLOCKED, path: null });
            await next(element, 4);
            expect($(element, 'summary-path').textContent).toBe('c.Backstory_Path_None');
        });

        it('opens a step from its Review button', async () => {
            const element = await mountWith(BLOCKED);
            await next(element, 4);
            $$(element, 'review')
                .find((b) => b.dataset.step === 'field_permissions')
                .click();
            await flushPromises();
            expect($(element, 'step-title').textContent).toBe('c.Backstory_Step_Field_Permissions');
            expect($(element, 'review')).toBeNull();
        });
    });

    describe('PERM-5 failing and missing fields', () => {
        it('shows a failing required field with its remedy, and a blocked summary', async () => {
            const element = await mountWith(BLOCKED);
            await next(element, 3);
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Status_Fail');
            const stageName = $$(element, 'item').find((li) =>
                li.querySelector('[data-id="item-name"]').textContent.includes('Opportunity.StageName')
            );
            expect(stageName.querySelector('[data-id="item-status"]').iconName).toBe('utility:error');
            expect(stageName.querySelector('[data-id="item-status"]').alternativeText).toBe('c.Backstory_Status_Fail');
            expect(stageName.querySelector('[data-id="item-kind"]').textContent).toBe('c.Backstory_Required');
            expect(stageName.querySelector('[data-id="item-remedy"]').textContent).toBe(STAGE_NAME_REMEDY);
            // The tally line has no remedy to show.
            expect($$(element, 'item-remedy')).toHaveLength(1);
            await expect(element).toBeAccessible();

            await next(element);
            expect($(element, 'summary-status').textContent.trim()).toBe('c.Backstory_Summary_Blocked');
            expect($(element, 'summary-box').className).toContain('slds-theme_error');
            expect(texts(element, 'summary-step-status')).toEqual([
                'c.Backstory_Status_Pass',
                'c.Backstory_Status_Pass',
                'c.Backstory_Status_Pass',
                'c.Backstory_Status_Fail'
            ]);
            expect(texts(element, 'summary-step-detail')[3]).toBe('1 to fix');
            await expect(element).toBeAccessible();
        });

        it('shows a missing recommended field as a warning, and a degraded summary', async () => {
            const element = await mountWith(DEGRADED);
            await next(element, 3);
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Status_Warn');
            expect($$(element, 'item-status').map((i) => i.iconName)).toEqual(['utility:warning', 'utility:warning']);
            expect(texts(element, 'item-kind')[1]).toBe('c.Backstory_Recommended');
            expect(texts(element, 'item-remedy')).toEqual([INDUSTRY_REMEDY]);
            await expect(element).toBeAccessible();

            await next(element);
            expect($(element, 'summary-status').textContent.trim()).toBe('c.Backstory_Summary_Degraded');
            expect($(element, 'summary-box').className).toContain('slds-theme_warning');
            expect(texts(element, 'summary-step-detail')[3]).toBe('1 recommended missing');
            await expect(element).toBeAccessible();
        });
    });

    describe('Check again', () => {
        it('re-runs the check and keeps the admin on the step they are fixing', async () => {
            send.mockResolvedValueOnce(JSON.stringify(BLOCKED)).mockResolvedValueOnce(JSON.stringify(READY));
            const element = mount();
            await flushPromises();
            await next(element, 3);
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Status_Fail');

            $(element, 'check-again').click();
            await flushPromises();
            expect(send).toHaveBeenCalledTimes(2);
            expect($(element, 'step-title').textContent).toBe('c.Backstory_Step_Field_Permissions');
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Status_Pass');
            expect($$(element, 'item-remedy')).toHaveLength(0);
        });
    });

    describe('errors', () => {
        it('shows the middleware error with its details and the navigation disabled', async () => {
            send.mockRejectedValue({
                body: {
                    message: JSON.stringify({
                        status: 409,
                        code: 'conflict',
                        message: 'No Salesforce org is connected',
                        details: [{ path: 'org', message: 'connect an org first' }]
                    })
                }
            });
            const element = mount();
            await flushPromises();
            expect($(element, 'error').getAttribute('role')).toBe('alert');
            expect($(element, 'error-message').textContent).toBe('No Salesforce org is connected');
            expect(texts(element, 'error-details')).toEqual(['org: connect an org first']);
            expect($(element, 'step-title')).toBeNull();
            expect($(element, 'next').disabled).toBe(true);
            expect($(element, 'back').disabled).toBe(true);
            await next(element);
            expect(element.shadowRoot.querySelector('lightning-progress-indicator').currentStep).toBe(
                'integration_user'
            );
            await expect(element).toBeAccessible();
        });

        it('shows a platform error that is not JSON as it came', async () => {
            send.mockRejectedValue({ body: { message: 'Unable to tunnel through proxy.' } });
            const element = mount();
            await flushPromises();
            expect($(element, 'error-message').textContent).toBe('Unable to tunnel through proxy.');
            expect($(element, 'error-details')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('retries with Try again and shows the report once the check runs', async () => {
            send.mockRejectedValueOnce({
                body: {
                    message: '{"status":502,"code":"salesforce_error","message":"Salesforce login failed","details":[]}'
                }
            }).mockResolvedValueOnce(JSON.stringify(READY));
            const element = mount();
            await flushPromises();
            expect($(element, 'error-message').textContent).toBe('Salesforce login failed');
            $(element, 'retry').click();
            await flushPromises();
            expect(send).toHaveBeenCalledTimes(2);
            expect($(element, 'error')).toBeNull();
            expect($(element, 'step-title').textContent).toBe('c.Backstory_Step_Integration_User');
        });
    });
});
