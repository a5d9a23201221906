import { createElement } from '@lwc/engine-dom';
import PermissionChecker from 'c/permissionChecker';
import send from '@salesforce/apex/BackstoryApiProxy.send';
import canAssignPermissionSet from '@salesforce/apex/BackstoryPermissionSetup.canAssignPermissionSet';
import assignPermissionSet from '@salesforce/apex/BackstoryPermissionSetup.assignPermissionSet';
import fieldLabels from '@salesforce/apex/BackstoryPermissionSetup.fieldLabels';
import { flushPromises } from 'test/jest-utils/flushPromises';

// Custom labels render as their names under sfdx-lwc-jest (c.Backstory_…), except the two
// counting labels, given their real value here so the placeholder filling is tested too.
// The Apex proxy is force-app/test/jest-mocks/apex/BackstoryApiProxy.send.js (jest.config.js maps it).
jest.mock('@salesforce/label/c.Backstory_To_Fix', () => ({ default: '{0} to fix' }), { virtual: true });
jest.mock('@salesforce/label/c.Backstory_To_Review', () => ({ default: '{0} recommended missing' }), {
    virtual: true
});
// The labels with placeholders that the new states fill, with their real values.
jest.mock('@salesforce/label/c.Backstory_Last_Checked', () => ({ default: 'Last checked {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.Backstory_Step_Announcement', () => ({ default: 'Step {0} of {1}: {2}, {3}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Backstory_Err_Not_User_Title', () => ({ default: '{0} is not a Backstory user' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Backstory_Err_Salesforce_Text', () => ({ default: 'Salesforce answered: {0}' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Backstory_Err_Unreachable_Text',
    () => ({ default: 'Salesforce tried {0} and got no answer.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Backstory_Check_Timed_Out',
    () => ({ default: 'Salesforce did not answer within {0} seconds.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Backstory_Err_Key_Step_2',
    () => ({
        default:
            'Setup > Security > Named Credentials > External Credentials > Backstory Middleware: under Principals, edit Backstory and paste the key as ApiKey, Save.'
    }),
    { virtual: true }
);
// The one-click assignment's sentences, with their real values.
jest.mock(
    '@salesforce/label/c.Backstory_Assign_Help',
    () => ({ default: '{1} does not have the permission set “{0}”. You can assign it here.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.Backstory_Assigned',
    () => ({ default: '{0} now has “{1}”. Backstory checked again.' }),
    {
        virtual: true
    }
);
jest.mock('@salesforce/label/c.Backstory_Assign_Failed', () => ({ default: 'Not assigned: {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.Backstory_Permission_Set_Label', () => ({ default: 'Backstory Standard Permissions' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Backstory_Check_Announcement', () => ({ default: 'Check finished. {0} {1}' }), {
    virtual: true
});
// Finish navigates with lightning/navigation: the mock records where to.
const mockNavigate = jest.fn();
jest.mock(
    'lightning/navigation',
    () => {
        const Navigate = Symbol('Navigate');
        const NavigationMixin = (Base) =>
            class extends Base {
                [Navigate](ref) {
                    mockNavigate(ref);
                }
            };
        NavigationMixin.Navigate = Navigate;
        return { NavigationMixin };
    },
    { virtual: true }
);

const item = (name, status, required = true, remedy = null) => ({ name, status, required, remedy });
const STAGE_NAME_REMEDY =
    'Setup > Users > Permission Sets > Backstory Standard Permissions > Object Settings > Opportunity > Edit > Field Permissions: tick Read Access for StageName, Save. Backstory stops pulling Opportunity until it is readable.';
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

const CONNECTED = {
    status: 'connected',
    method: 'oauth',
    instanceUrl: 'https://acme.my.salesforce.com',
    salesforceOrgId: '00D000000000001AAA',
    username: 'integration@acme.example',
    connectedAt: '2026-11-01T10:00:00.000Z',
    lastError: null,
    loginUrl: 'https://acme.my.salesforce.com'
};
const NOT_CONNECTED = {
    status: 'not_connected',
    method: null,
    instanceUrl: null,
    salesforceOrgId: null,
    username: null,
    connectedAt: null,
    lastError: null,
    loginUrl: null
};
const IN_ERROR = {
    ...CONNECTED,
    status: 'error',
    lastError: 'invalid_grant: expired access/refresh token'
};

/** Answer each path: the connection, then the permission check (one answer per call, the last repeats). */
function route(connection, ...reports) {
    const queue = [...reports];
    send.mockImplementation(async ({ path }) => {
        if (path === '/v1/org/connection') return JSON.stringify(connection);
        if (path === '/v1/setup/permission-check') {
            const answer = queue.length > 1 ? queue.shift() : queue[0];
            if (answer instanceof Error || (answer && answer.body)) throw answer;
            return JSON.stringify(answer);
        }
        throw new Error(`unexpected ${path}`);
    });
}
const checkCalls = () => send.mock.calls.filter(([a]) => a.path === '/v1/setup/permission-check').length;

function mount() {
    const element = createElement('c-permission-checker', { is: PermissionChecker });
    document.body.appendChild(element);
    return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
/** A part of the one-click assignment (c-permission-set-assign) inside `scope`, or null when not shown. */
const assignPart = (scope, id) =>
    (scope.shadowRoot ?? scope)
        .querySelector('c-permission-set-assign')
        ?.shadowRoot.querySelector(`[data-id="${id}"]`) ?? null;
const $$ = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const texts = (element, id) => $$(element, id).map((n) => n.textContent.trim());

async function mountWith(report, connection = CONNECTED) {
    route(connection, report);
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

// Several sa11y passes per test: on busy shared cores one can outlast jest's default 10 s.
jest.setTimeout(30000);

describe('c-permission-checker', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        window.localStorage.clear();
        jest.clearAllMocks();
        // The BackstoryPermissionSetup Apex (force-app/test/jest-mocks/apex): no right, no labels, unless a test says.
        canAssignPermissionSet.mockReset();
        assignPermissionSet.mockReset();
        fieldLabels.mockReset();
        jest.useRealTimers();
    });

    /** The connection answers; the permission check never does (a slow org). */
    const checkNeverAnswers = async ({ path }) => {
        if (path === '/v1/org/connection') return JSON.stringify(CONNECTED);
        return new Promise(() => {});
    };
    /** The step the step list marks as current (aria-current="step"). */
    const currentStep = (element) =>
        $$(element, 'progress-step').find((b) => b.getAttribute('aria-current') === 'step')?.dataset.step;
    const stepButton = (element, id) => $$(element, 'progress-step').find((b) => b.dataset.step === id);
    const announcement = (element) => $(element, 'announcement').textContent.trim();

    describe('loading', () => {
        it('runs the check through the service module and shows a spinner with Cancel meanwhile', async () => {
            send.mockReturnValue(new Promise(() => {}));
            const element = mount();
            await flushPromises();
            expect(send).toHaveBeenCalledWith({ method: 'GET', path: '/v1/org/connection', body: null });
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
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Integration_User');
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Status_Pass');
            expect($(element, 'step-intro').textContent).toBe('c.Backstory_Intro_Integration_User');
            expect($(element, 'user-name').textContent.trim()).toBe('Backstory Integration User');
            expect($(element, 'user-username').textContent.trim()).toBe('integration@demo.backstory.local');
            expect($(element, 'user-profile').textContent.trim()).toBe('Minimum Access - Salesforce');
            expect($(element, 'user-role').textContent.trim()).toBe('CEO');
            expect(texts(element, 'item-kind')).toEqual(['c.Backstory_Required', 'c.Backstory_Recommended']);
            expect($$(element, 'item-status').map((i) => i.iconName)).toEqual(['utility:success', 'utility:success']);
            expect($$(element, 'item-remedy')).toHaveLength(0);
            expect($(element, 'back').disabled).toBe(false); // back to Connect
            expect($(element, 'next').disabled).toBe(false);
            expect(send).toHaveBeenCalledWith({ method: 'GET', path: '/v1/setup/permission-check', body: null });
            expect(currentStep(element)).toBe('integration_user');
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

    describe('PERM-8 the step list', () => {
        it('shows each step with its own result: failed and warning steps are not "complete"', async () => {
            const element = await mountWith({
                ...BLOCKED,
                steps: [
                    {
                        id: 'integration_user',
                        status: 'warn',
                        items: [item('At the top of the role hierarchy', 'warn', false)]
                    },
                    ...BLOCKED.steps.slice(1)
                ]
            });
            expect($$(element, 'progress-step').map((b) => b.dataset.step)).toEqual([
                'connect',
                'integration_user',
                'system_permissions',
                'object_permissions',
                'field_permissions',
                'summary'
            ]);
            expect($$(element, 'progress-status').map((i) => [i.iconName, i.alternativeText])).toEqual([
                ['utility:success', 'c.Backstory_Connection_Connected'],
                ['utility:warning', 'c.Backstory_Status_Warn'],
                ['utility:success', 'c.Backstory_Status_Pass'],
                ['utility:success', 'c.Backstory_Status_Pass'],
                ['utility:error', 'c.Backstory_Status_Fail'],
                ['utility:error', 'c.Backstory_Status_Fail']
            ]);
            await expect(element).toBeAccessible();
        });

        it('marks unchecked steps as not checked, and only Connect can be opened before the org is connected', async () => {
            const element = await mountWith(READY, NOT_CONNECTED);
            expect($$(element, 'progress-status').map((i) => i.alternativeText)).toEqual([
                'c.Backstory_Connection_Not_Connected',
                ...Array(5).fill('c.Backstory_Status_Not_Checked')
            ]);
            expect($$(element, 'progress-step').map((b) => b.disabled)).toEqual([false, true, true, true, true, true]);
        });
    });

    describe('PERM-8 navigation, focus and announcements', () => {
        it('walks system permissions, objects and sharing, field permissions and the summary with Next and Back', async () => {
            const element = await mountWith(READY);

            await next(element);
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_System_Permissions');
            expect(currentStep(element)).toBe('system_permissions');
            expect(texts(element, 'item-name')).toEqual(['API Enabled', 'View All Data']);
            expect($(element, 'integration-user')).toBeNull();
            expect($(element, 'back').disabled).toBe(false);
            await expect(element).toBeAccessible();

            await next(element);
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Object_Permissions');
            expect(texts(element, 'item-name')).toEqual(['Account: View All', 'Account: Edit']);

            await next(element);
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Field_Permissions');
            expect(texts(element, 'item-name')).toEqual(['60 of 60 required and recommended fields readable']);

            await next(element);
            expect(currentStep(element)).toBe('summary');
            expect($(element, 'summary')).not.toBeNull();
            expect($(element, 'next')).toBeNull();
            expect($(element, 'finish').disabled).toBe(false);

            $(element, 'back').click();
            await flushPromises();
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Field_Permissions');
        });

        it("moves the focus to the new step's heading and announces the step and its result", async () => {
            const element = await mountWith(BLOCKED);
            await next(element);
            const heading = $(element, 'step-title');
            expect(heading.getAttribute('tabindex')).toBe('-1');
            expect(element.shadowRoot.activeElement).toBe(heading);
            expect(announcement(element)).toBe(
                'Step 3 of 6: c.Backstory_Step_System_Permissions, c.Backstory_Status_Pass'
            );
            await next(element, 2);
            expect(element.shadowRoot.activeElement).toBe($(element, 'step-title'));
            expect(announcement(element)).toBe(
                'Step 5 of 6: c.Backstory_Step_Field_Permissions, c.Backstory_Status_Fail'
            );
            await next(element);
            expect(element.shadowRoot.activeElement).toBe($(element, 'step-title'));
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Summary');
            expect(announcement(element)).toBe('Step 6 of 6: c.Backstory_Step_Summary, c.Backstory_Status_Fail');
        });

        it('jumps to a step chosen in the step list', async () => {
            const element = await mountWith(READY);
            stepButton(element, 'object_permissions').click();
            await flushPromises();
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Object_Permissions');
            expect(texts(element, 'progress-label')).toEqual([
                '1. c.Backstory_Step_Connect',
                '2. c.Backstory_Step_Integration_User',
                '3. c.Backstory_Step_System_Permissions',
                '4. c.Backstory_Step_Object_Permissions',
                '5. c.Backstory_Step_Field_Permissions',
                '6. c.Backstory_Step_Summary'
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

    describe('failures first, remedies as steps', () => {
        const MIXED = withFields('blocked', {
            id: 'field_permissions',
            status: 'fail',
            items: [
                item('58 of 60 required and recommended fields readable', 'fail'),
                item('Account.Industry', 'warn', false, INDUSTRY_REMEDY),
                item('Account.Name', 'pass'),
                item('Opportunity.StageName', 'fail', true, STAGE_NAME_REMEDY)
            ]
        });

        it('lists failures, then warnings, then passes; "Show only problems" hides the passes', async () => {
            const element = await mountWith(MIXED);
            await next(element, 3);
            expect(texts(element, 'item-name')).toEqual([
                '58 of 60 required and recommended fields readable',
                'Opportunity.StageName',
                'Account.Industry',
                'Account.Name'
            ]);
            const toggle = $(element, 'only-problems');
            toggle.checked = true;
            toggle.dispatchEvent(new CustomEvent('change'));
            await flushPromises();
            expect(texts(element, 'item-name')).toEqual([
                '58 of 60 required and recommended fields readable',
                'Opportunity.StageName',
                'Account.Industry'
            ]);
            await expect(element).toBeAccessible();

            // A step with no problem says so; the summary keeps only the steps with problems.
            $(element, 'back').click();
            await flushPromises();
            expect($$(element, 'item')).toHaveLength(0);
            expect($(element, 'no-problems').textContent).toBe('c.Backstory_No_Problems');
            stepButton(element, 'summary').click();
            await flushPromises();
            expect(texts(element, 'summary-step-label')).toEqual(['c.Backstory_Step_Field_Permissions']);
            await expect(element).toBeAccessible();
        });

        it('gives a remedy as numbered steps, the Setup page a link into Lightning Setup', async () => {
            const element = await mountWith(BLOCKED);
            await next(element, 3);
            const stageName = $$(element, 'item').find((li) =>
                li.querySelector('[data-id="item-name"]').textContent.includes('Opportunity.StageName')
            );
            expect(stageName.querySelector('[data-id="item-status"]').iconName).toBe('utility:error');
            expect(stageName.querySelector('[data-id="item-kind"]').textContent).toBe('c.Backstory_Required');
            const steps = [...stageName.querySelectorAll('[data-id="fix-step"]')].map((li) => li.textContent.trim());
            expect(steps).toEqual([
                expect.stringMatching(
                    /^Setup › Users › Permission Sets.*> Backstory Standard Permissions > Object Settings > Opportunity > Edit > Field Permissions: tick Read Access for StageName, Save\.$/
                ),
                'Backstory stops pulling Opportunity until it is readable.'
            ]);
            const link = stageName.querySelector('[data-id="setup-link"]');
            expect(link.getAttribute('href')).toBe('/lightning/setup/PermSets/home');
            expect(link.getAttribute('target')).toBe('_blank');
            expect(stageName.querySelector('ol').tagName).toBe('OL');
            await expect(element).toBeAccessible();
        });
    });

    describe('PERM-8 summary and Finish', () => {
        it('says ready, on the View All Data path, with every step passed', async () => {
            const element = await mountWith(READY);
            await next(element, 4);
            expect($(element, 'summary-status').textContent.trim()).toBe('c.Backstory_Summary_Ready');
            expect($(element, 'summary-box').className).toContain('slds-theme_success');
            expect($(element, 'summary-path').textContent).toBe('c.Backstory_Path_View_All_Data');
            expect(texts(element, 'summary-step-status')).toEqual(Array(4).fill('c.Backstory_Status_Pass'));
            expect(texts(element, 'summary-step-detail')).toEqual(Array(4).fill('c.Backstory_All_Passed'));
            expect($(element, 'finish-help').textContent).toBe('c.Backstory_Finish_Help');
            await expect(element).toBeAccessible();
        });

        it('Finish hands over to the Configuration Profiles tab', async () => {
            const element = await mountWith(READY);
            await next(element, 4);
            $(element, 'finish').click();
            expect(mockNavigate).toHaveBeenCalledWith({
                type: 'standard__navItemPage',
                attributes: { apiName: 'peopleai__Backstory_Configuration_Profiles' }
            });
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

        it('blocked: failing steps first, Finish waits and says why; Review opens the failing step', async () => {
            const element = await mountWith(BLOCKED);
            await next(element, 4);
            expect($(element, 'summary-status').textContent.trim()).toBe('c.Backstory_Summary_Blocked');
            expect($(element, 'summary-box').className).toContain('slds-theme_error');
            expect(texts(element, 'summary-step-label')[0]).toBe('c.Backstory_Step_Field_Permissions');
            expect(texts(element, 'summary-step-detail')[0]).toBe('1 to fix');
            expect($(element, 'finish').disabled).toBe(true);
            expect($(element, 'finish-help').textContent).toBe('c.Backstory_Finish_Blocked');
            await expect(element).toBeAccessible();
            $$(element, 'review')
                .find((b) => b.dataset.step === 'field_permissions')
                .click();
            await flushPromises();
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Field_Permissions');
            expect(element.shadowRoot.activeElement).toBe($(element, 'step-title'));
        });

        it('degraded: a missing recommended field is a warning, and Finish is open', async () => {
            const element = await mountWith(DEGRADED);
            await next(element, 3);
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Status_Warn');
            expect($$(element, 'item-status').map((i) => i.iconName)).toEqual(['utility:warning', 'utility:warning']);
            expect(texts(element, 'fix-step')).toEqual([INDUSTRY_REMEDY]);
            await next(element);
            expect($(element, 'summary-status').textContent.trim()).toBe('c.Backstory_Summary_Degraded');
            expect($(element, 'summary-box').className).toContain('slds-theme_warning');
            expect(texts(element, 'summary-step-detail')[0]).toBe('1 recommended missing');
            expect($(element, 'finish').disabled).toBe(false);
            await expect(element).toBeAccessible();
        });
    });

    describe('Check again, Cancel, the timeout and the last check', () => {
        it('re-runs the check, keeps the admin on the step they are fixing, and focuses its heading', async () => {
            route(CONNECTED, BLOCKED, READY);
            const element = mount();
            await flushPromises();
            await next(element, 3);
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Status_Fail');

            $(element, 'check-again').click();
            await flushPromises();
            await flushPromises();
            expect(checkCalls()).toBe(2);
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Field_Permissions');
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Status_Pass');
            expect($$(element, 'item-remedy')).toHaveLength(0);
            expect(element.shadowRoot.activeElement).toBe($(element, 'step-title'));
            expect(announcement(element)).toBe('Check finished. c.Backstory_Summary_Ready');
        });

        it('keeps the last check with its time: a reload shows it without asking Salesforce again', async () => {
            const element = await mountWith(BLOCKED);
            expect($(element, 'last-checked').textContent).toMatch(/^Last checked .*\d/);
            document.body.removeChild(element);

            send.mockClear();
            route(CONNECTED, READY);
            const again = mount();
            await flushPromises();
            expect(checkCalls()).toBe(0);
            expect($(again, 'last-checked').textContent).toMatch(/^Last checked .*\d/);
            expect(stepButton(again, 'field_permissions').querySelector('lightning-icon').iconName).toBe(
                'utility:error'
            );
            await expect(again).toBeAccessible();
            // Check again asks afresh and keeps the new time.
            $(again, 'check-again').click();
            await flushPromises();
            await flushPromises();
            expect(checkCalls()).toBe(1);
            expect(stepButton(again, 'field_permissions').querySelector('lightning-icon').iconName).toBe(
                'utility:success'
            );
        });

        it('says a slow check is slow, offers Cancel, and keeps the last results when cancelled', async () => {
            window.localStorage.setItem(
                'backstory:permission-check:00D000000000001AAA',
                JSON.stringify({ report: BLOCKED, checkedAt: '2026-11-30T09:15:00.000Z' })
            );
            route(CONNECTED, BLOCKED);
            const element = mount();
            await flushPromises();
            jest.useFakeTimers();
            send.mockImplementation(checkNeverAnswers);
            $(element, 'check-again').click();
            for (let i = 0; i < 10; i++) await Promise.resolve(); // eslint-disable-line no-await-in-loop
            expect($(element, 'cancel')).not.toBeNull();
            expect($(element, 'slow')).toBeNull();
            // The results stay under the spinner.
            expect($(element, 'step-title')).not.toBeNull();
            jest.advanceTimersByTime(8000);
            await Promise.resolve();
            expect($(element, 'slow').textContent).toBe('c.Backstory_Check_Slow');
            jest.useRealTimers(); // sa11y needs them
            await expect(element).toBeAccessible();

            $(element, 'cancel').click();
            await Promise.resolve();
            await Promise.resolve();
            expect($(element, 'cancel')).toBeNull();
            expect($(element, 'notice').textContent.trim()).toBe('c.Backstory_Check_Cancelled');
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Status_Pass');
            expect($(element, 'last-checked').textContent).toContain('2026');
            expect($(element, 'check-again').disabled).toBe(false);
        });

        it('stops waiting after a minute and says so', async () => {
            route(CONNECTED, READY);
            jest.useFakeTimers();
            send.mockImplementation(checkNeverAnswers);
            const element = mount();
            for (let i = 0; i < 10; i++) await Promise.resolve(); // eslint-disable-line no-await-in-loop
            expect($(element, 'loading')).not.toBeNull();
            jest.advanceTimersByTime(60000);
            await Promise.resolve();
            await Promise.resolve();
            expect($(element, 'loading')).toBeNull();
            expect($(element, 'notice').textContent.trim()).toBe('Salesforce did not answer within 60 seconds.');
            expect($(element, 'check-again').disabled).toBe(false);
            jest.useRealTimers(); // sa11y needs them
            await expect(element).toBeAccessible();
        });
    });

    describe("errors in an admin's words", () => {
        const failWith = (envelope) => ({ body: { message: JSON.stringify(envelope) } });

        it('a wrong or revoked key names the Named Credential to fix, never the Authorization header', async () => {
            send.mockRejectedValue(
                failWith({
                    status: 401,
                    code: 'unauthorized',
                    message: 'Missing or invalid API key: send Authorization: Bearer <key>',
                    details: []
                })
            );
            const element = mount();
            await flushPromises();
            expect($(element, 'error').getAttribute('role')).toBe('alert');
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Err_Key_Title');
            expect($(element, 'error-message').textContent).toBe('c.Backstory_Err_Key_Text');
            expect(texts(element, 'error-step')).toEqual([
                'c.Backstory_Err_Key_Step_1',
                expect.stringMatching(
                    /^Setup › Security › Named Credentials › External Credentials.*Backstory Middleware/
                ),
                'c.Backstory_Err_Key_Step_3'
            ]);
            expect($(element, 'setup-link').getAttribute('href')).toBe('/lightning/setup/NamedCredential/home');
            expect(element.shadowRoot.textContent).not.toMatch(/Bearer/);
            expect($(element, 'next').disabled).toBe(true);
            expect($(element, 'back').disabled).toBe(true);
            expect(announcement(element)).toBe('c.Backstory_Err_Key_Title');
            await expect(element).toBeAccessible();
        });

        it('someone who is not a Backstory user is named, never by their Salesforce Id', async () => {
            send.mockRejectedValue(
                failWith({
                    status: 403,
                    code: 'forbidden',
                    message: 'Dana Admin (Salesforce user 005000000000009AAA) is not a Backstory user of this org',
                    details: []
                })
            );
            const element = mount();
            await flushPromises();
            expect($(element, 'step-title').textContent.trim()).toBe('Dana Admin is not a Backstory user');
            expect(element.shadowRoot.textContent).not.toContain('005000000000009AAA');
            await expect(element).toBeAccessible();
        });

        it('a Salesforce failure says what happened without codes or ErrorIds, and Try again re-runs it', async () => {
            route(
                CONNECTED,
                failWith({
                    status: 502,
                    code: 'salesforce_error',
                    message:
                        "Reading the integration user's permissions failed: UNKNOWN_EXCEPTION: An unexpected error occurred. Please include this ErrorId if you contact support: 1916291451-58473 (-1402341298)",
                    details: []
                }),
                READY
            );
            const element = mount();
            await flushPromises();
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Err_Salesforce_Title');
            expect($(element, 'error-message').textContent).toBe('Salesforce answered: An unexpected error occurred.');
            expect(element.shadowRoot.textContent).not.toMatch(/UNKNOWN_EXCEPTION|ErrorId|1916291451/);
            await expect(element).toBeAccessible();
            $(element, 'retry').click();
            await flushPromises();
            await flushPromises();
            expect(checkCalls()).toBe(2);
            expect($(element, 'error')).toBeNull();
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Integration_User');
        });

        it('an unreachable service names the URL Salesforce tried, never "fetch failed"', async () => {
            send.mockRejectedValue(
                failWith({
                    status: 502,
                    code: 'unreachable',
                    message: 'The Backstory middleware could not be reached: fetch failed',
                    details: [{ path: 'endpoint', message: 'https://backstory.example.com' }]
                })
            );
            const element = mount();
            await flushPromises();
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Err_Unreachable_Title');
            expect($(element, 'error-message').textContent).toBe(
                'Salesforce tried https://backstory.example.com and got no answer.'
            );
            expect(element.shadowRoot.textContent).not.toMatch(/fetch failed/);
            await expect(element).toBeAccessible();
        });

        it('any other error goes to c-error-panel with Try again', async () => {
            send.mockRejectedValue({ body: { message: 'Unable to tunnel through proxy.' } });
            const element = mount();
            await flushPromises();
            const panel = element.shadowRoot.querySelector('c-error-panel');
            expect(panel.error).toMatchObject({ code: 'unknown', message: 'Unable to tunnel through proxy.' });
            expect(panel.retryLabel).toBe('c.Backstory_Try_Again');
            await expect(element).toBeAccessible();
        });
    });

    describe('TEN-2 Connect step', () => {
        const realLocation = window.location;
        beforeEach(() => {
            delete window.location;
            window.location = {
                href: 'https://acme.lightning.force.com/lightning/n/Backstory_Setup',
                assign: jest.fn()
            };
        });
        afterEach(() => {
            window.location = realLocation;
        });

        it('opens on Connect when the org is not connected, runs no permission check, and Next waits', async () => {
            const element = await mountWith(READY, NOT_CONNECTED);
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Connect');
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Connection_Not_Connected');
            expect($(element, 'connection-message').textContent).toBe('c.Backstory_Not_Connected_Help');
            expect($(element, 'login-url').value).toBe('https://login.salesforce.com');
            expect($(element, 'connect-button').label).toBe('c.Backstory_Connect_Button');
            expect(currentStep(element)).toBe('connect');
            expect($(element, 'next').disabled).toBe(true);
            expect($(element, 'back').disabled).toBe(true);
            expect(checkCalls()).toBe(0);
            await expect(element).toBeAccessible();
        });

        it('"Connect to Salesforce" asks for the authorize URL with the login URL typed and opens it', async () => {
            const element = await mountWith(READY, NOT_CONNECTED);
            const input = $(element, 'login-url');
            input.value = 'https://acme.my.salesforce.com';
            input.dispatchEvent(new CustomEvent('change'));
            send.mockImplementation(async ({ path }) => {
                if (path === '/v1/org/connection/oauth') {
                    return JSON.stringify({
                        authorizeUrl: 'https://acme.my.salesforce.com/services/oauth2/authorize?x=1'
                    });
                }
                return JSON.stringify(NOT_CONNECTED);
            });
            $(element, 'connect-button').click();
            await flushPromises();
            expect(send).toHaveBeenCalledWith({
                method: 'POST',
                path: '/v1/org/connection/oauth',
                body: JSON.stringify({
                    loginUrl: 'https://acme.my.salesforce.com',
                    returnUrl: 'https://acme.lightning.force.com/lightning/n/Backstory_Setup'
                })
            });
            expect(window.location.assign).toHaveBeenCalledWith(
                'https://acme.my.salesforce.com/services/oauth2/authorize?x=1'
            );
        });

        it('names a refused login URL beside the input and stays', async () => {
            const element = await mountWith(READY, NOT_CONNECTED);
            send.mockRejectedValue({
                body: {
                    message: JSON.stringify({
                        status: 400,
                        code: 'validation_failed',
                        message: 'loginUrl: must be an https:// Salesforce login URL',
                        details: [{ path: 'loginUrl', message: 'must be an https:// Salesforce login URL' }]
                    })
                }
            });
            $(element, 'connect-button').click();
            await flushPromises();
            expect($(element, 'connect-error').textContent.trim()).toBe('must be an https:// Salesforce login URL');
            expect(window.location.assign).not.toHaveBeenCalled();
            expect($(element, 'connect-button').disabled).toBe(false);
            await expect(element).toBeAccessible();
        });

        it('says why a failed connection stopped, that jobs are paused, and offers Reconnect with the same login URL', async () => {
            const element = await mountWith(READY, IN_ERROR);
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Connection_Error');
            expect($(element, 'step-status').className).toContain('slds-theme_error');
            expect($(element, 'connection-message').textContent).toBe('c.Backstory_Reconnect_Help');
            expect($(element, 'connect-button').label).toBe('c.Backstory_Reconnect_Button');
            expect($(element, 'login-url').value).toBe('https://acme.my.salesforce.com');
            expect(checkCalls()).toBe(0);
            await expect(element).toBeAccessible();
        });

        it('a connected org goes straight to the permission check; Back shows who it is connected as', async () => {
            const element = await mountWith(READY);
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Integration_User');
            $(element, 'back').click();
            await flushPromises();
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Connect');
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Connection_Connected');
            expect($(element, 'connect-button').label).toBe('c.Backstory_Reconnect_Button');
            expect($(element, 'next').disabled).toBe(false);
            await next(element);
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_Integration_User');
        });
    });

    describe('PERM-8 one click: assign the permission set to the integration user', () => {
        const ASSIGN_REMEDY =
            'Setup > Users > Permission Sets > Backstory Standard Permissions > Manage Assignments > Add Assignment: select the integration user. The Backstory package installs this permission set with every permission below.';
        const VIEW_ALL_DATA_REMEDY =
            'Option C (standard profile): Setup > Users > Permission Sets > Backstory Standard Permissions > System Permissions > Edit, enable View All Data, Save.';
        const PERMISSION_SET_ITEM = 'Permission set "Backstory Standard Permissions" assigned (option C)';
        const UNASSIGNED = {
            ...READY,
            status: 'blocked',
            path: null,
            steps: [
                READY.steps[0],
                {
                    id: 'system_permissions',
                    status: 'fail',
                    items: [
                        item('API Enabled', 'pass'),
                        item('View All Data', 'fail', true, VIEW_ALL_DATA_REMEDY),
                        { ...item(PERMISSION_SET_ITEM, 'warn', false, ASSIGN_REMEDY), action: 'assign_permission_set' }
                    ]
                },
                READY.steps[2],
                READY.steps[3]
            ]
        };
        const DONE = {
            assigned: true,
            created: true,
            permissionSet: 'Backstory Standard Permissions',
            userName: 'Backstory Integration User'
        };
        const itemNamed = (element, name) =>
            $$(element, 'item').find((li) => li.querySelector('[data-id="item-name"]').textContent.trim() === name);

        it('where the admin may assign permission sets, the fix comes first as one click instead of numbered steps', async () => {
            canAssignPermissionSet.mockResolvedValue(true);
            const element = await mountWith(UNASSIGNED);
            await next(element);
            expect(canAssignPermissionSet).toHaveBeenCalledTimes(1);
            expect(texts(element, 'item-name')).toEqual([PERMISSION_SET_ITEM, 'View All Data', 'API Enabled']);
            const fix = itemNamed(element, PERMISSION_SET_ITEM);
            expect(assignPart(fix, 'assign-button').label).toBe('c.Backstory_Assign_Permission_Set');
            expect(assignPart(fix, 'assign-help').textContent.trim()).toBe(
                'Backstory Integration User does not have the permission set “Backstory Standard Permissions”. You can assign it here.'
            );
            expect(fix.querySelectorAll('[data-id="fix-step"]')).toHaveLength(0);
            // The other failure keeps its numbered steps.
            expect(itemNamed(element, 'View All Data').querySelectorAll('[data-id="fix-step"]')).toHaveLength(1);
            await expect(element).toBeAccessible();
        });

        it('without the right to assign, shows the numbered steps and no button', async () => {
            canAssignPermissionSet.mockResolvedValue(false);
            const element = await mountWith(UNASSIGNED);
            await next(element);
            expect(assignPart(element, 'assign-button')).toBeNull();
            const fix = itemNamed(element, PERMISSION_SET_ITEM);
            expect([...fix.querySelectorAll('[data-id="fix-step"]')].map((li) => li.textContent.trim())).toEqual([
                'Setup › Users › Permission SetsOpens in a new tab > Backstory Standard Permissions > Manage Assignments > Add Assignment: select the integration user.'.replace(
                    'Opens in a new tab',
                    'c.Backstory_Opens_In_New_Tab'
                ),
                'The Backstory package installs this permission set with every permission below.'
            ]);
            stepButton(element, 'summary').click();
            await flushPromises();
            expect(assignPart(element, 'assign-button')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('a failed check of the right counts as no right: the numbered steps stay', async () => {
            canAssignPermissionSet.mockRejectedValue({ body: { message: 'insufficient access' } });
            const element = await mountWith(UNASSIGNED);
            await next(element);
            expect(assignPart(element, 'assign-button')).toBeNull();
            expect(itemNamed(element, PERMISSION_SET_ITEM).querySelectorAll('[data-id="fix-step"]')).toHaveLength(2);
        });

        it('asks Salesforce for the right only when the report has something to assign', async () => {
            await mountWith(READY);
            expect(canAssignPermissionSet).not.toHaveBeenCalled();
        });

        it('one click assigns it to the integration user, checks again, announces both and focuses the step heading', async () => {
            canAssignPermissionSet.mockResolvedValue(true);
            assignPermissionSet.mockResolvedValue(DONE);
            route(CONNECTED, UNASSIGNED, READY);
            const element = mount();
            await flushPromises();
            await next(element);

            assignPart(element, 'assign-button').click();
            await flushPromises();
            expect(assignPermissionSet).toHaveBeenCalledWith({ userId: '005A' });
            expect(checkCalls()).toBe(2);
            expect($(element, 'assign-done').textContent.trim()).toBe(
                'Backstory Integration User now has “Backstory Standard Permissions”. Backstory checked again.'
            );
            expect($(element, 'step-title').textContent.trim()).toBe('c.Backstory_Step_System_Permissions');
            expect($(element, 'step-status').textContent).toBe('c.Backstory_Status_Pass');
            expect(element.shadowRoot.activeElement).toBe($(element, 'step-title'));
            expect(announcement(element)).toBe(
                'Backstory Integration User now has “Backstory Standard Permissions”. Backstory checked again. Check finished. c.Backstory_Summary_Ready'
            );
            expect(assignPart(element, 'assign-button')).toBeNull();
            await expect(element).toBeAccessible();

            // Check again clears the note.
            $(element, 'check-again').click();
            await flushPromises();
            expect($(element, 'assign-done')).toBeNull();
        });

        it("a refused assignment says why beside the button in an admin's words, and checks nothing again", async () => {
            canAssignPermissionSet.mockResolvedValue(true);
            assignPermissionSet.mockRejectedValue({
                body: {
                    message: JSON.stringify({
                        status: 400,
                        code: 'salesforce_error',
                        message:
                            "FIELD_INTEGRITY_EXCEPTION: Permission Set License doesn't match the user license 0PL5g000000CaPhGAK",
                        details: []
                    })
                }
            });
            const element = await mountWith(UNASSIGNED);
            await next(element);
            assignPart(element, 'assign-button').click();
            await flushPromises();
            expect(assignPart(element, 'assign-error').textContent.trim()).toBe(
                "Not assigned: Permission Set License doesn't match the user license"
            );
            expect(assignPart(element, 'assign-error').getAttribute('role')).toBe('alert');
            expect(announcement(element)).toBe("Not assigned: Permission Set License doesn't match the user license");
            expect(checkCalls()).toBe(1);
            expect(assignPart(element, 'assign-button').disabled).toBe(false);
            expect($(element, 'assign-done')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('the summary offers the same one click', async () => {
            canAssignPermissionSet.mockResolvedValue(true);
            assignPermissionSet.mockResolvedValue(DONE);
            route(CONNECTED, UNASSIGNED, READY);
            const element = mount();
            await flushPromises();
            stepButton(element, 'summary').click();
            await flushPromises();
            expect($(element, 'summary')).not.toBeNull();
            expect(assignPart(element, 'assign-help').textContent.trim()).toMatch(
                /^Backstory Integration User does not have/
            );
            assignPart(element, 'assign-button').click();
            await flushPromises();
            expect($(element, 'summary-status').textContent).toBe('c.Backstory_Summary_Ready');
            expect(assignPart(element, 'assign-button')).toBeNull();
            expect($(element, 'finish').disabled).toBe(false);
            await expect(element).toBeAccessible();
        });
    });

    describe('PERM-5 field labels with API names beside', () => {
        it('names a missing field by its label from Salesforce, its API name beside', async () => {
            fieldLabels.mockResolvedValue({ 'Opportunity.StageName': 'Stage' });
            const element = await mountWith(BLOCKED);
            // Only Object.Field names are looked up (not the tally line).
            expect(fieldLabels).toHaveBeenCalledWith({ fields: ['Opportunity.StageName'] });
            stepButton(element, 'field_permissions').click();
            await flushPromises();
            expect(texts(element, 'item-label')).toEqual(['Stage']);
            expect(texts(element, 'item-name')).toEqual([
                '59 of 60 required and recommended fields readable',
                'Opportunity.StageName'
            ]);
            // The remedy names it as Setup lists it: by label, the API name in brackets.
            expect(texts(element, 'fix-step')[0]).toContain('tick Read Access for Stage (StageName), Save.');
            const named = $(element, 'item-label').parentElement;
            expect(named.querySelector('.slds-assistive-text').textContent).toBe('c.Backstory_Api_Name');
            await expect(element).toBeAccessible();
        });

        it('shows the API name alone when Salesforce gives no label', async () => {
            fieldLabels.mockRejectedValue({ body: { message: 'boom' } });
            const element = await mountWith(DEGRADED);
            stepButton(element, 'field_permissions').click();
            await flushPromises();
            expect($$(element, 'item-label')).toHaveLength(0);
            expect(texts(element, 'item-name')).toEqual([
                '59 of 60 required and recommended fields readable',
                'Account.Industry'
            ]);
        });

        it('asks once per field: a check again with the same fields asks nothing new', async () => {
            fieldLabels.mockResolvedValue({ 'Opportunity.StageName': 'Stage' });
            const element = await mountWith(BLOCKED);
            $(element, 'check-again').click();
            await flushPromises();
            expect(checkCalls()).toBe(2);
            expect(fieldLabels).toHaveBeenCalledTimes(1);
        });
    });
});
