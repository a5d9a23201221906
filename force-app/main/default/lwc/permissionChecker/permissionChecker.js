import { LightningElement } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { assignPermissionSet, canAssignPermissionSet, fieldLabels, get, post } from 'c/backstoryApi';
import { explainError, format, plainReason, remedySteps } from './wizardText';
import TITLE from '@salesforce/label/c.Backstory_Setup_Title';
import STEP_USER from '@salesforce/label/c.Backstory_Step_Integration_User';
import STEP_SYSTEM from '@salesforce/label/c.Backstory_Step_System_Permissions';
import STEP_OBJECTS from '@salesforce/label/c.Backstory_Step_Object_Permissions';
import STEP_FIELDS from '@salesforce/label/c.Backstory_Step_Field_Permissions';
import STEP_SUMMARY from '@salesforce/label/c.Backstory_Step_Summary';
import INTRO_USER from '@salesforce/label/c.Backstory_Intro_Integration_User';
import INTRO_SYSTEM from '@salesforce/label/c.Backstory_Intro_System_Permissions';
import INTRO_OBJECTS from '@salesforce/label/c.Backstory_Intro_Object_Permissions';
import INTRO_FIELDS from '@salesforce/label/c.Backstory_Intro_Field_Permissions';
import CHECK_AGAIN from '@salesforce/label/c.Backstory_Check_Again';
import NEXT from '@salesforce/label/c.Backstory_Next';
import BACK from '@salesforce/label/c.Backstory_Back';
import REVIEW from '@salesforce/label/c.Backstory_Review';
import REVIEW_STEP from '@salesforce/label/c.Backstory_Review_Step';
import CHECKING from '@salesforce/label/c.Backstory_Checking';
import CHECK_FAILED from '@salesforce/label/c.Backstory_Check_Failed';
import TRY_AGAIN from '@salesforce/label/c.Backstory_Try_Again';
import STATUS_PASS from '@salesforce/label/c.Backstory_Status_Pass';
import STATUS_WARN from '@salesforce/label/c.Backstory_Status_Warn';
import STATUS_FAIL from '@salesforce/label/c.Backstory_Status_Fail';
import REQUIRED from '@salesforce/label/c.Backstory_Required';
import RECOMMENDED from '@salesforce/label/c.Backstory_Recommended';
import HOW_TO_FIX from '@salesforce/label/c.Backstory_How_To_Fix';
import NO_ITEMS from '@salesforce/label/c.Backstory_No_Items';
import USER_NAME from '@salesforce/label/c.Backstory_User_Name';
import USER_USERNAME from '@salesforce/label/c.Backstory_User_Username';
import USER_PROFILE from '@salesforce/label/c.Backstory_User_Profile';
import USER_ROLE from '@salesforce/label/c.Backstory_User_Role';
import NONE from '@salesforce/label/c.Backstory_None';
import SUMMARY_READY from '@salesforce/label/c.Backstory_Summary_Ready';
import SUMMARY_DEGRADED from '@salesforce/label/c.Backstory_Summary_Degraded';
import SUMMARY_BLOCKED from '@salesforce/label/c.Backstory_Summary_Blocked';
import PATH_VIEW_ALL_DATA from '@salesforce/label/c.Backstory_Path_View_All_Data';
import PATH_LEAST_PRIVILEGE from '@salesforce/label/c.Backstory_Path_Least_Privilege';
import PATH_NONE from '@salesforce/label/c.Backstory_Path_None';
import COLUMN_STEP from '@salesforce/label/c.Backstory_Column_Step';
import COLUMN_STATUS from '@salesforce/label/c.Backstory_Column_Status';
import COLUMN_RESULT from '@salesforce/label/c.Backstory_Column_Result';
import ALL_PASSED from '@salesforce/label/c.Backstory_All_Passed';
import TO_FIX from '@salesforce/label/c.Backstory_To_Fix';
import TO_REVIEW from '@salesforce/label/c.Backstory_To_Review';
import STEP_CONNECT from '@salesforce/label/c.Backstory_Step_Connect';
import INTRO_CONNECT from '@salesforce/label/c.Backstory_Intro_Connect';
import CONNECT_BUTTON from '@salesforce/label/c.Backstory_Connect_Button';
import RECONNECT_BUTTON from '@salesforce/label/c.Backstory_Reconnect_Button';
import LOGIN_URL from '@salesforce/label/c.Backstory_Login_Url';
import LOGIN_URL_HELP from '@salesforce/label/c.Backstory_Login_Url_Help';
import CONNECTION_CONNECTED from '@salesforce/label/c.Backstory_Connection_Connected';
import CONNECTION_NOT_CONNECTED from '@salesforce/label/c.Backstory_Connection_Not_Connected';
import CONNECTION_ERROR from '@salesforce/label/c.Backstory_Connection_Error';
import CONNECTED_AS from '@salesforce/label/c.Backstory_Connected_As';
import NOT_CONNECTED_HELP from '@salesforce/label/c.Backstory_Not_Connected_Help';
import RECONNECT_HELP from '@salesforce/label/c.Backstory_Reconnect_Help';
import CONNECTING from '@salesforce/label/c.Backstory_Connecting';

import STEPS_NAV from '@salesforce/label/c.Backstory_Steps_Nav';
import STATUS_NOT_CHECKED from '@salesforce/label/c.Backstory_Status_Not_Checked';
import SHOW_ONLY_PROBLEMS from '@salesforce/label/c.Backstory_Show_Only_Problems';
import NO_PROBLEMS from '@salesforce/label/c.Backstory_No_Problems';
import CHECK_SLOW from '@salesforce/label/c.Backstory_Check_Slow';
import CHECK_CANCELLED from '@salesforce/label/c.Backstory_Check_Cancelled';
import CHECK_TIMED_OUT from '@salesforce/label/c.Backstory_Check_Timed_Out';
import CANCEL_CHECK from '@salesforce/label/c.Backstory_Cancel_Check';
import LAST_CHECKED from '@salesforce/label/c.Backstory_Last_Checked';
import STEP_ANNOUNCEMENT from '@salesforce/label/c.Backstory_Step_Announcement';
import CHECK_ANNOUNCEMENT from '@salesforce/label/c.Backstory_Check_Announcement';
import PROBLEMS_COUNT from '@salesforce/label/c.Backstory_Problems_Count';
import FINISH from '@salesforce/label/c.Backstory_Finish';
import FINISH_HELP from '@salesforce/label/c.Backstory_Finish_Help';
import FINISH_BLOCKED from '@salesforce/label/c.Backstory_Finish_Blocked';
import FIX_STEPS from '@salesforce/label/c.Backstory_Fix_Steps';
import OPENS_IN_NEW_TAB from '@salesforce/label/c.Backstory_Opens_In_New_Tab';
import ASSIGN_HELP from '@salesforce/label/c.Backstory_Assign_Help';
import ASSIGNED from '@salesforce/label/c.Backstory_Assigned';
import ASSIGN_FAILED from '@salesforce/label/c.Backstory_Assign_Failed';
import PERMISSION_SET_LABEL from '@salesforce/label/c.Backstory_Permission_Set_Label';
import API_NAME from '@salesforce/label/c.Backstory_Api_Name';

const PERMISSION_CHECK = '/v1/setup/permission-check';
const CONNECTION = '/v1/org/connection';
const CONNECT_OAUTH = '/v1/org/connection/oauth';
const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';
/** Finish hands over to this tab (force-app/main/default/tabs). */
const CONFIGURATION_PROFILES_TAB = 'peopleai__Backstory_Configuration_Profiles';
/** After this long the check says it is slow; after the timeout the wizard stops waiting (Apex's callout limit is 60 s). */
const SLOW_AFTER_MS = 8000;
const TIMEOUT_MS = 60000;
/** The report's one-click fix (API.md): assign the package's permission set, in Salesforce as the admin. */
const ASSIGN_ACTION = 'assign_permission_set';
/** A field as the report names it (`Opportunity.StageName`): its label is looked up in Salesforce. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/;
const openAction = (item) => item.action === ASSIGN_ACTION && item.status !== 'pass';
/** "tick Read Access for StageName" → "… for Stage (StageName)": Setup lists fields by label. */
const withLabel = (remedy, name, label) => {
    if (!label) return remedy;
    const field = name.split('.')[1];
    return remedy.split(`Read Access for ${field},`).join(`Read Access for ${label} (${field}),`);
};
/** The last check, per connected org, kept in the browser so that a reload shows it with its time. */
const STORAGE_PREFIX = 'backstory:permission-check:';

// PERM-8: the order the wizard walks. Connect first (TEN-2); the next four ids are the report's steps (API.md).
const STEPS = [
    { id: 'connect', label: STEP_CONNECT, intro: INTRO_CONNECT },
    { id: 'integration_user', label: STEP_USER, intro: INTRO_USER },
    { id: 'system_permissions', label: STEP_SYSTEM, intro: INTRO_SYSTEM },
    { id: 'object_permissions', label: STEP_OBJECTS, intro: INTRO_OBJECTS },
    { id: 'field_permissions', label: STEP_FIELDS, intro: INTRO_FIELDS },
    { id: 'summary', label: STEP_SUMMARY }
];

const STATUS = {
    pass: {
        icon: 'utility:success',
        variant: 'success',
        text: STATUS_PASS,
        badge: 'slds-badge slds-theme_success slds-m-left_small'
    },
    warn: {
        icon: 'utility:warning',
        variant: 'warning',
        text: STATUS_WARN,
        badge: 'slds-badge slds-theme_warning slds-m-left_small'
    },
    fail: {
        icon: 'utility:error',
        variant: 'error',
        text: STATUS_FAIL,
        badge: 'slds-badge slds-theme_error slds-m-left_small'
    },
    none: {
        icon: 'utility:record',
        variant: '',
        text: STATUS_NOT_CHECKED,
        badge: 'slds-badge slds-m-left_small'
    }
};
// Anything the middleware may add later is shown as a failure rather than breaking the page.
const statusOf = (status) => STATUS[status] ?? STATUS.fail;
const RANK = { fail: 0, warn: 1, pass: 2 };
const rankOf = (status) => RANK[status] ?? 0;

// The summary box: themed like a Lightning toast, with an icon that reads on its background.
const OVERALL = {
    ready: {
        text: SUMMARY_READY,
        status: 'pass',
        box: 'slds-box slds-theme_success',
        icon: { icon: 'utility:success', variant: 'inverse', text: STATUS_PASS }
    },
    degraded: {
        text: SUMMARY_DEGRADED,
        status: 'warn',
        box: 'slds-box slds-theme_warning',
        icon: { icon: 'utility:warning', variant: '', text: STATUS_WARN }
    },
    blocked: {
        text: SUMMARY_BLOCKED,
        status: 'fail',
        box: 'slds-box slds-theme_error',
        icon: { icon: 'utility:error', variant: 'inverse', text: STATUS_FAIL }
    }
};

const CONNECTION_STATUS = {
    connected: { text: CONNECTION_CONNECTED, status: 'pass', badge: 'slds-badge slds-theme_success slds-m-left_small' },
    not_connected: { text: CONNECTION_NOT_CONNECTED, status: 'none', badge: 'slds-badge slds-m-left_small' },
    error: { text: CONNECTION_ERROR, status: 'fail', badge: 'slds-badge slds-theme_error slds-m-left_small' }
};

const PATHS = { view_all_data: PATH_VIEW_ALL_DATA, least_privilege: PATH_LEAST_PRIVILEGE };

const formatTime = (iso) => {
    try {
        return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
    } catch {
        return iso;
    }
};

/**
 * The setup wizard as onboarding (PERM-8, TEN-2): connect → integration user → system
 * permissions → object permissions and sharing → field permissions → summary → Finish
 * (Configuration Profiles). The step list shows each step's result; failures come first with
 * their remedy as numbered steps linking into Setup; focus moves to each new step's heading and
 * results are announced. A slow check can be cancelled and gives up after a minute; the last
 * check is kept with its time.
 */
export default class PermissionChecker extends NavigationMixin(LightningElement) {
    labels = {
        TITLE,
        CHECK_AGAIN,
        NEXT,
        BACK,
        REVIEW,
        CHECKING,
        CHECK_FAILED,
        TRY_AGAIN,
        HOW_TO_FIX,
        NO_ITEMS,
        USER_NAME,
        USER_USERNAME,
        USER_PROFILE,
        USER_ROLE,
        COLUMN_STEP,
        COLUMN_STATUS,
        COLUMN_RESULT,
        LOGIN_URL,
        LOGIN_URL_HELP,
        CONNECTING,
        STEPS_NAV,
        SHOW_ONLY_PROBLEMS,
        NO_PROBLEMS,
        CHECK_SLOW,
        CANCEL_CHECK,
        FINISH,
        FIX_STEPS,
        OPENS_IN_NEW_TAB,
        API_NAME
    };
    report;
    checkedAt;
    error;
    /** The connection is being read. */
    loading = false;
    /** The permission check is running. */
    checking = false;
    slow = false;
    /** Why the results on screen are not fresh (cancelled, timed out). */
    notice;
    stepIndex = 0;
    connection;
    loginUrl;
    connectError;
    connecting = false;
    showOnlyProblems = false;
    announcement = '';
    checkToken = 0;
    timers = [];
    focusPending = false;
    /** The admin may assign permission sets (Salesforce said so); until then the numbered steps show. */
    canAssign = false;
    canAssignAsked = false;
    assigning = false;
    assignError;
    /** What the last one-click assignment did, shown until the next check the admin asks for. */
    assignedText = '';
    /** `Object.Field` → its label in the admin's language, from Salesforce describe. */
    fieldLabelMap = {};

    connectedCallback() {
        this.load({ initial: true });
    }

    disconnectedCallback() {
        this.clearTimers();
    }

    renderedCallback() {
        if (!this.focusPending) return;
        const heading = this.template.querySelector('[data-id="step-title"]');
        if (heading) {
            heading.focus();
            this.focusPending = false;
        }
    }

    /**
     * The connection first: a connected org goes to the permission check (the last one kept, or a
     * fresh one when there is none or the admin just came back from connecting); others stay on Connect.
     */
    async load({ initial = false, userAsked = false } = {}) {
        this.loading = true;
        this.error = undefined;
        try {
            this.connection = await get(CONNECTION);
            this.loginUrl = this.loginUrl ?? this.connection.loginUrl ?? DEFAULT_LOGIN_URL;
        } catch (e) {
            this.error = e;
            this.loading = false;
            this.announce(this.errorTitle);
            return;
        }
        this.loading = false;
        if (!this.isConnected) {
            this.report = undefined;
            this.checkedAt = undefined;
            this.stepIndex = 0;
            if (initial) this.announceStep();
            return;
        }
        const justConnected = initial && this.returnedFromConnect();
        const kept = initial && !justConnected ? this.restore() : false;
        if (initial && this.stepIndex === 0) this.stepIndex = 1;
        if (kept) {
            this.afterReport();
            this.announceStep();
            return;
        }
        await this.runCheck({ moveFocus: userAsked || justConnected });
    }

    async runCheck({ moveFocus = false, announceFirst = '' } = {}) {
        const token = ++this.checkToken;
        this.clearTimers();
        this.checking = true;
        this.slow = false;
        this.notice = undefined;
        this.error = undefined;
        /* eslint-disable @lwc/lwc/no-async-operation */
        this.timers = [
            setTimeout(() => {
                if (token === this.checkToken) this.slow = true;
            }, SLOW_AFTER_MS),
            setTimeout(() => {
                if (token === this.checkToken) this.stopWaiting(format(CHECK_TIMED_OUT, TIMEOUT_MS / 1000));
            }, TIMEOUT_MS)
        ];
        /* eslint-enable @lwc/lwc/no-async-operation */
        try {
            const report = await get(PERMISSION_CHECK);
            if (token !== this.checkToken) return;
            this.report = report;
            this.checkedAt = new Date().toISOString();
            this.save();
            this.afterReport();
            this.announce([announceFirst, this.checkAnnouncement].filter(Boolean).join(' '));
        } catch (e) {
            if (token !== this.checkToken) return;
            this.error = e;
            this.announce(this.errorTitle);
        } finally {
            if (token === this.checkToken) {
                this.checking = false;
                this.slow = false;
                this.clearTimers();
                if (moveFocus) this.focusPending = true;
            }
        }
    }

    /**
     * What a report needs from Salesforce itself, as the admin: whether the one-click fix may be
     * offered, and the labels of the fields it names. Neither holds up the results.
     */
    async afterReport() {
        const steps = this.report?.steps ?? [];
        const wantsRight = !this.canAssignAsked && steps.some((s) => s.items.some(openAction));
        const names = steps
            .filter((s) => s.id === 'field_permissions')
            .flatMap((s) => s.items.map((i) => i.name))
            .filter((name) => FIELD_NAME.test(name) && !(name in this.fieldLabelMap));
        const asks = [];
        if (wantsRight) {
            this.canAssignAsked = true;
            asks.push(
                canAssignPermissionSet().then((may) => {
                    this.canAssign = may;
                })
            );
        }
        if (names.length > 0) {
            asks.push(
                fieldLabels(names).then((labels) => {
                    this.fieldLabelMap = { ...this.fieldLabelMap, ...labels };
                })
            );
        }
        await Promise.all(asks);
    }

    /** Cancel, or the timeout: the answer still on its way is ignored; the last results stay. */
    stopWaiting(notice) {
        this.checkToken += 1;
        this.clearTimers();
        this.checking = false;
        this.slow = false;
        this.notice = notice;
        this.announce(notice);
    }

    clearTimers() {
        this.timers.forEach((t) => clearTimeout(t));
        this.timers = [];
    }

    returnedFromConnect() {
        try {
            return new URL(window.location.href).searchParams.has('connection');
        } catch {
            return false;
        }
    }

    get storageKey() {
        return `${STORAGE_PREFIX}${this.connection?.salesforceOrgId ?? 'org'}`;
    }

    save() {
        try {
            window.localStorage.setItem(
                this.storageKey,
                JSON.stringify({ report: this.report, checkedAt: this.checkedAt })
            );
        } catch {
            // Storage may be off (private mode): the check still shows, it is just not kept.
        }
    }

    restore() {
        try {
            const kept = JSON.parse(window.localStorage.getItem(this.storageKey) ?? 'null');
            if (!kept?.report?.steps || !kept.checkedAt) return false;
            this.report = kept.report;
            this.checkedAt = kept.checkedAt;
            return true;
        } catch {
            return false;
        }
    }

    announce(text) {
        // Cleared first so that the same sentence twice is read twice.
        this.announcement = '';
        Promise.resolve().then(() => {
            this.announcement = text;
        });
    }

    announceStep() {
        this.announce(
            format(
                STEP_ANNOUNCEMENT,
                this.stepIndex + 1,
                STEPS.length,
                this.current.label,
                this.statusFor(this.current.id).text
            )
        );
    }

    get checkAnnouncement() {
        const items = (this.report?.steps ?? []).flatMap((s) => s.items).filter((i) => i.remedy);
        const failed = items.filter((i) => i.status === 'fail').length;
        const warned = items.filter((i) => i.status === 'warn').length;
        return format(
            CHECK_ANNOUNCEMENT,
            this.overall.text,
            failed || warned ? format(PROBLEMS_COUNT, failed, warned) : ''
        ).trim();
    }

    // ----- state

    get busy() {
        return this.loading || this.checking;
    }

    get showLoadingBox() {
        return this.busy && !this.hasContent;
    }

    get showOverlay() {
        return this.busy && this.hasContent;
    }

    get hasContent() {
        return this.isConnectStep ? !!this.connection : !!this.report;
    }

    get lastCheckedText() {
        return this.checkedAt ? format(LAST_CHECKED, formatTime(this.checkedAt)) : '';
    }

    // ----- connect (TEN-2)

    get isConnected() {
        return this.connection?.status === 'connected';
    }

    get isConnectStep() {
        return this.currentStep === 'connect';
    }

    get connectionBadge() {
        return CONNECTION_STATUS[this.connection?.status] ?? CONNECTION_STATUS.not_connected;
    }

    get connectionMessage() {
        const c = this.connection ?? {};
        if (c.status === 'connected') return format(CONNECTED_AS, c.instanceUrl ?? '', c.username ?? '');
        if (c.status === 'error') return format(RECONNECT_HELP, c.lastError ?? '');
        return NOT_CONNECTED_HELP;
    }

    get connectLabel() {
        return this.connection?.status === 'not_connected' ? CONNECT_BUTTON : RECONNECT_BUTTON;
    }

    get connectErrorMessage() {
        const details = this.connectError?.details ?? [];
        const loginUrl = details.find((d) => d.path === 'loginUrl');
        if (loginUrl) return loginUrl.message;
        return this.explainedConnectError?.title ?? this.connectError?.message ?? '';
    }

    get explainedConnectError() {
        return explainError(this.connectError);
    }

    handleLoginUrlChange(event) {
        this.loginUrl = event.target.value;
        this.connectError = undefined;
    }

    /** Start the OAuth flow: the browser goes to the Salesforce login and comes back here. */
    async handleConnect() {
        this.connecting = true;
        this.connectError = undefined;
        try {
            const { authorizeUrl } = await post(CONNECT_OAUTH, {
                loginUrl: this.loginUrl,
                returnUrl: window.location.href.replace(/[?&]connection=[^&#]*/, '')
            });
            this.openAuthorizeUrl(authorizeUrl);
        } catch (e) {
            this.connectError = e;
            this.connecting = false;
        }
    }

    openAuthorizeUrl(url) {
        window.location.assign(url);
    }

    get hasReport() {
        return !this.error && !!this.report;
    }

    get showError() {
        return !this.busy && !!this.error;
    }

    /** The error in an admin's words with the next action, or null for c/errorPanel to show as it is. */
    get explained() {
        return explainError(this.error);
    }

    get showExplained() {
        return this.showError && !!this.explained;
    }

    get showErrorPanel() {
        return this.showError && !this.explained;
    }

    get errorTitle() {
        return this.explained?.title ?? CHECK_FAILED;
    }

    // ----- navigation

    statusFor(id) {
        if (id === 'connect') return { ...statusOf(this.connectionBadge.status), text: this.connectionBadge.text };
        if (!this.report) return STATUS.none;
        if (id === 'summary') return statusOf(this.overall.status);
        const step = this.report.steps?.find((s) => s.id === id);
        return step ? statusOf(step.status) : STATUS.none;
    }

    get steps() {
        return STEPS.map((s, index) => {
            const status = this.statusFor(s.id);
            const current = index === this.stepIndex;
            return {
                id: s.id,
                label: s.label,
                number: index + 1,
                icon: status.icon,
                variant: status.variant,
                statusText: status.text,
                ariaCurrent: current ? 'step' : null,
                buttonClass: current
                    ? 'slds-button slds-button_outline-brand wizard-step wizard-step_current'
                    : 'slds-button slds-button_neutral wizard-step',
                disabled: index !== 0 && (!this.hasReport || this.busy),
                showChevron: index < STEPS.length - 1
            };
        });
    }

    get current() {
        return STEPS[this.stepIndex];
    }

    get currentStep() {
        return this.current.id;
    }

    get isSummary() {
        return this.currentStep === 'summary';
    }

    get isUserStep() {
        return this.currentStep === 'integration_user';
    }

    get backDisabled() {
        return this.busy || this.stepIndex === 0;
    }

    get nextDisabled() {
        return this.busy || !this.hasReport || !this.isConnected || this.stepIndex === STEPS.length - 1;
    }

    get finishDisabled() {
        return this.busy || !this.hasReport || this.report.status === 'blocked';
    }

    get finishHelp() {
        return this.report?.status === 'blocked' ? FINISH_BLOCKED : FINISH_HELP;
    }

    // ----- a step

    get stepData() {
        return this.report?.steps?.find((s) => s.id === this.currentStep);
    }

    get stepStatus() {
        return statusOf(this.stepData?.status);
    }

    /** The one-click fix first, then failures, warnings and passes (the report's order within each). */
    get items() {
        const all = (this.stepData?.items ?? []).map((item, index) => ({ item, index }));
        const rank = (item) => (openAction(item) ? -1 : rankOf(item.status));
        all.sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index);
        const isFieldStep = this.currentStep === 'field_permissions';
        return all
            .filter(({ item }) => !this.showOnlyProblems || item.status !== 'pass')
            .map(({ item, index }) => {
                const status = statusOf(item.status);
                const key = `${this.currentStep}-${index}`;
                const hasRemedy = item.status !== 'pass' && !!item.remedy;
                const oneClick = openAction(item) && this.canAssign;
                const label = isFieldStep ? this.fieldLabelMap[item.name] : undefined;
                return {
                    key,
                    name: item.name,
                    label,
                    hasLabel: !!label,
                    oneClick,
                    icon: status.icon,
                    variant: status.variant,
                    statusText: status.text,
                    kindText: item.required ? REQUIRED : RECOMMENDED,
                    kindClass: item.required
                        ? 'slds-badge slds-m-left_x-small'
                        : 'slds-badge slds-badge_lightest slds-m-left_x-small',
                    remedy: item.remedy,
                    hasRemedy,
                    fixSteps: hasRemedy && !oneClick ? remedySteps(withLabel(item.remedy, item.name, label), key) : [],
                    fixLabel: `${HOW_TO_FIX}: ${item.name}`
                };
            });
    }

    get hasItems() {
        return this.items.length > 0;
    }

    get stepHasItems() {
        return (this.stepData?.items ?? []).length > 0;
    }

    get userDetails() {
        const u = this.report?.integrationUser ?? {};
        return {
            name: u.name || NONE,
            username: u.username || NONE,
            profile: u.profile || NONE,
            role: u.role || NONE
        };
    }

    // ----- summary

    get overall() {
        return OVERALL[this.report?.status] ?? OVERALL.blocked;
    }

    get overallIcon() {
        return this.overall.icon;
    }

    get pathText() {
        return PATHS[this.report?.path] ?? PATH_NONE;
    }

    /** The report's steps (the Connect step is not one), failing ones first. */
    get summarySteps() {
        return (this.report?.steps ?? [])
            .map((s, index) => ({ s, index }))
            .sort((a, b) => rankOf(a.s.status) - rankOf(b.s.status) || a.index - b.index)
            .filter(({ s }) => !this.showOnlyProblems || s.status !== 'pass')
            .map(({ s }) => {
                const step = STEPS.find((x) => x.id === s.id);
                const label = step ? step.label : s.id;
                const status = statusOf(s.status);
                // Items with a remedy are the ones to act on (the field step's tally line has none).
                const open = s.items.filter((i) => i.status !== 'pass' && i.remedy);
                const toFix = open.filter((i) => i.status === 'fail').length;
                const toReview = open.length - toFix;
                const parts = [];
                if (toFix) parts.push(format(TO_FIX, toFix));
                if (toReview) parts.push(format(TO_REVIEW, toReview));
                return {
                    id: s.id,
                    label,
                    icon: status.icon,
                    variant: status.variant,
                    statusText: status.text,
                    detail: parts.length ? parts.join(', ') : ALL_PASSED,
                    reviewText: format(REVIEW_STEP, label)
                };
            });
    }

    get hasSummarySteps() {
        return this.summarySteps.length > 0;
    }

    // ----- the one-click fix (PERM-8)

    /** On the summary: the fix offered where the admin may apply it. */
    get showSummaryAssign() {
        return this.canAssign && (this.report?.steps ?? []).some((s) => s.items.some(openAction));
    }

    get assignHelp() {
        return format(ASSIGN_HELP, PERMISSION_SET_LABEL, this.report?.integrationUser?.name ?? '');
    }

    get assignErrorText() {
        return this.assignError ? format(ASSIGN_FAILED, plainReason(this.assignError.message)) : '';
    }

    /**
     * Assign the package's permission set to the integration user, in Salesforce as the admin, then
     * check again: the steps it fixes pass, the focus goes to the step's heading and both are announced.
     */
    async handleAssign() {
        const userId = this.report?.integrationUser?.id;
        if (this.assigning || this.busy || !userId) return;
        this.assigning = true;
        this.assignError = undefined;
        this.assignedText = '';
        let result;
        try {
            result = await assignPermissionSet(userId);
        } catch (e) {
            this.assignError = e;
            this.assigning = false;
            this.announce(this.assignErrorText);
            return;
        }
        this.assigning = false;
        this.assignedText = format(
            ASSIGNED,
            result?.userName ?? this.report.integrationUser.name,
            result?.permissionSet ?? PERMISSION_SET_LABEL
        );
        await this.runCheck({ moveFocus: true, announceFirst: this.assignedText });
    }

    // ----- handlers

    handleNext() {
        if (!this.nextDisabled) this.moveTo(this.stepIndex + 1);
    }

    handleBack() {
        if (!this.backDisabled) this.moveTo(this.stepIndex - 1);
    }

    handleStepClick(event) {
        this.goTo(event.currentTarget.dataset.step);
    }

    handleReview(event) {
        this.goTo(event.currentTarget.dataset.step);
    }

    handleCheckAgain() {
        this.assignedText = '';
        this.assignError = undefined;
        this.load({ userAsked: true });
    }

    handleCancel() {
        this.stopWaiting(CHECK_CANCELLED);
        this.focusPending = true;
    }

    handleProblemsToggle(event) {
        this.showOnlyProblems = event.target.checked;
    }

    /** Finish: on to Configuration Profiles, the next thing an admin sets up. */
    handleFinish() {
        if (this.finishDisabled) return;
        this[NavigationMixin.Navigate]({
            type: 'standard__navItemPage',
            attributes: { apiName: CONFIGURATION_PROFILES_TAB }
        });
    }

    goTo(stepId) {
        const index = STEPS.findIndex((s) => s.id === stepId);
        if (index === 0 && !this.busy) this.moveTo(0);
        else if (index >= 0 && this.hasReport && !this.busy) this.moveTo(index);
    }

    /** A new step: its heading takes the focus and the step and its result are announced. */
    moveTo(index) {
        this.stepIndex = index;
        this.focusPending = true;
        this.announceStep();
    }
}
