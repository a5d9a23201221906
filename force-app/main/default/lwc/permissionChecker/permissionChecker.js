import { LightningElement } from 'lwc';
import { get, post } from 'c/backstoryApi';
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

const PERMISSION_CHECK = '/v1/setup/permission-check';
const CONNECTION = '/v1/org/connection';
const CONNECT_OAUTH = '/v1/org/connection/oauth';
const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

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
    }
};
// Anything the middleware may add later is shown as a failure rather than breaking the page.
const statusOf = (status) => STATUS[status] ?? STATUS.fail;

// The summary box: themed like a Lightning toast, with an icon that reads on its background.
const OVERALL = {
    ready: {
        text: SUMMARY_READY,
        box: 'slds-box slds-theme_success',
        icon: { icon: 'utility:success', variant: 'inverse', text: STATUS_PASS }
    },
    degraded: {
        text: SUMMARY_DEGRADED,
        box: 'slds-box slds-theme_warning',
        icon: { icon: 'utility:warning', variant: '', text: STATUS_WARN }
    },
    blocked: {
        text: SUMMARY_BLOCKED,
        box: 'slds-box slds-theme_error',
        icon: { icon: 'utility:error', variant: 'inverse', text: STATUS_FAIL }
    }
};

const CONNECTION_STATUS = {
    connected: { text: CONNECTION_CONNECTED, badge: 'slds-badge slds-theme_success slds-m-left_small' },
    not_connected: { text: CONNECTION_NOT_CONNECTED, badge: 'slds-badge slds-m-left_small' },
    error: { text: CONNECTION_ERROR, badge: 'slds-badge slds-theme_error slds-m-left_small' }
};

const PATHS = { view_all_data: PATH_VIEW_ALL_DATA, least_privilege: PATH_LEAST_PRIVILEGE };

/** `{0}`-style placeholders, as custom labels carry them. */
function format(label, ...values) {
    return label.replace(/\{(\d+)\}/g, (match, index) => (values[index] === undefined ? match : values[index]));
}

/**
 * The setup wizard (PERM-8): connect (TEN-2: OAuth sign-in as the integration user) → integration user → system permissions → object permissions and
 * sharing → field permissions → summary. Each failing item shows what to click in Setup;
 * "Check again" re-runs the check and keeps the admin on the step they are fixing.
 */
export default class PermissionChecker extends LightningElement {
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
        CONNECTING
    };
    report;
    error;
    loading = false;
    stepIndex = 0;
    connection;
    loginUrl;
    connectError;
    connecting = false;

    connectedCallback() {
        this.load();
    }

    /** The connection first: connected orgs go straight to the permission check; others stay on Connect. */
    async load() {
        this.loading = true;
        this.error = undefined;
        try {
            this.connection = await get(CONNECTION);
            this.loginUrl = this.loginUrl ?? this.connection.loginUrl ?? DEFAULT_LOGIN_URL;
        } catch (e) {
            this.error = e;
            this.loading = false;
            return;
        }
        if (this.isConnected) {
            if (this.stepIndex === 0) this.stepIndex = 1;
            await this.runCheck();
        } else {
            this.report = undefined;
            this.stepIndex = 0;
            this.loading = false;
        }
    }

    async runCheck() {
        this.loading = true;
        this.error = undefined;
        try {
            this.report = await get(PERMISSION_CHECK);
        } catch (e) {
            this.report = undefined;
            this.error = e;
        } finally {
            this.loading = false;
        }
    }

    // ----- state

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
        return loginUrl ? loginUrl.message : (this.connectError?.message ?? '');
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
        return !this.loading && !this.error && !!this.report;
    }

    get showError() {
        return !this.loading && !!this.error;
    }

    get errorMessage() {
        return this.error?.message ?? '';
    }

    get errorDetails() {
        return (this.error?.details ?? []).map((d, index) => ({
            key: `detail-${index}`,
            text: d.path ? `${d.path}: ${d.message}` : d.message
        }));
    }

    get hasErrorDetails() {
        return this.errorDetails.length > 0;
    }

    // ----- navigation

    get steps() {
        return STEPS.map((s) => ({ id: s.id, label: s.label }));
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
        return this.loading || this.stepIndex === 0;
    }

    get nextDisabled() {
        return !this.hasReport || !this.isConnected || this.stepIndex === STEPS.length - 1;
    }

    // ----- a step

    get stepData() {
        return this.report?.steps?.find((s) => s.id === this.currentStep);
    }

    get stepStatus() {
        return statusOf(this.stepData?.status);
    }

    get items() {
        return (this.stepData?.items ?? []).map((item, index) => {
            const status = statusOf(item.status);
            return {
                key: `${this.currentStep}-${index}`,
                name: item.name,
                icon: status.icon,
                variant: status.variant,
                statusText: status.text,
                kindText: item.required ? REQUIRED : RECOMMENDED,
                kindClass: item.required
                    ? 'slds-badge slds-m-left_x-small'
                    : 'slds-badge slds-badge_lightest slds-m-left_x-small',
                remedy: item.remedy,
                hasRemedy: item.status !== 'pass' && !!item.remedy
            };
        });
    }

    get hasItems() {
        return this.items.length > 0;
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

    get summarySteps() {
        // The report's steps (the Connect step is not one).
        return (this.report?.steps ?? []).map((s) => {
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

    // ----- handlers

    handleNext() {
        if (!this.nextDisabled) this.stepIndex += 1;
    }

    handleBack() {
        if (!this.backDisabled) this.stepIndex -= 1;
    }

    handleStepClick(event) {
        this.goTo(event.currentTarget.value);
    }

    handleReview(event) {
        this.goTo(event.currentTarget.dataset.step);
    }

    handleCheckAgain() {
        this.load();
    }

    goTo(stepId) {
        const index = STEPS.findIndex((s) => s.id === stepId);
        if (index === 0 && !this.loading) this.stepIndex = 0;
        else if (index >= 0 && this.hasReport) this.stepIndex = index;
    }
}
