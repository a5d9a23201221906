import { LightningElement, api } from 'lwc';
import Toast from 'lightning/toast';
import { get, patch } from 'c/backstoryApi';
import { fieldMessages } from 'c/errorUtils';
import { LABELS, format } from 'c/adminLabels';
import { loadFields, fieldOptions } from 'c/fieldCatalog';

/** CP-4, in the seed's order, with its ON/OFF explanation. */
const TOGGLES = [
    'intakeData',
    'transcriptIntake',
    'displayData',
    'pushData',
    'emailSync',
    'meetingSync',
    'contactCreation',
    'contactRoleCreation'
];
const SECTIONS = ['activity', 'matching', 'notifications'];
const clone = (value) => JSON.parse(JSON.stringify(value));
const sectionsOf = (p) => ({ activity: p.activity, matching: p.matching, notifications: p.notifications });
/** Field types a meeting category or a follow-up answer can be stored in (as the middleware checks, CP-7). */
const ANSWER_TYPES = ['string', 'textarea', 'picklist', 'multipicklist', 'combobox', 'email', 'url', 'phone'];

/**
 * One configuration profile in the seed's tabs: Activity Data (the eight CP-4 toggles),
 * Matching (c-profile-matching, and the MATCH-5 simulation) and Notifications (CP-7). Save
 * PATCHes the changed sections and shows the API's validation errors beside their fields;
 * leaving with unsaved changes asks first. Fires `close` (after the guard) and `saved`.
 */
export default class ProfileEditor extends LightningElement {
    labels = LABELS;
    @api profileId;

    profile;
    draft;
    loading = true;
    saving = false;
    loadError;
    saveError;
    messages = {};
    eventFields = [];
    eventFieldsError;
    confirmingLeave = false;
    activeTab = 'activity';

    connectedCallback() {
        this.load();
        loadFields('Event')
            .then((fields) => {
                this.eventFields = fields;
            })
            .catch((error) => {
                this.eventFieldsError = error;
            });
        this.beforeUnload = (event) => {
            if (this.dirty) {
                event.preventDefault();
                event.returnValue = '';
            }
        };
        window.addEventListener('beforeunload', this.beforeUnload);
    }

    disconnectedCallback() {
        window.removeEventListener('beforeunload', this.beforeUnload);
    }

    async load() {
        this.loading = true;
        this.loadError = undefined;
        try {
            this.profile = await get(`/v1/profiles/${encodeURIComponent(this.profileId)}`);
            this.draft = clone(sectionsOf(this.profile));
            this.messages = {};
            this.saveError = undefined;
        } catch (e) {
            this.loadError = e;
        } finally {
            this.loading = false;
        }
    }

    /** The admin-facing name of each field path, for the error panel. */
    get fieldLabels() {
        const out = {};
        for (const t of TOGGLES) out[`activity.${t}`] = LABELS[`T_${t.toUpperCase()}`];
        out['matching.minScore'] = LABELS.MIN_SCORE;
        out['notifications.meetingCategoryField'] = LABELS.CATEGORY_FIELD;
        return out;
    }

    // ----- state

    get ready() {
        return !!this.profile && !!this.draft;
    }
    get title() {
        return this.profile?.name ?? '';
    }
    get isDefault() {
        return !!this.profile?.isDefault;
    }
    get changedSections() {
        if (!this.ready) return [];
        return SECTIONS.filter((s) => JSON.stringify(this.draft[s]) !== JSON.stringify(this.profile[s]));
    }
    get dirty() {
        return this.changedSections.length > 0;
    }
    get saveDisabled() {
        return !this.dirty || this.saving;
    }
    get userCountText() {
        return `${this.profile?.userCount ?? 0} ${LABELS.PROFILE_USERS}`;
    }

    // ----- Activity Data (CP-4)

    get toggles() {
        return TOGGLES.map((t) => ({
            key: t,
            label: LABELS[`T_${t.toUpperCase()}`],
            help: LABELS[`T_${t.toUpperCase()}_HELP`],
            checked: !!this.draft?.activity?.[t],
            error: this.messages[`activity.${t}`] ?? ''
        }));
    }

    handleToggle(event) {
        const key = event.target.dataset.key;
        const checked = event.target.checked;
        this.draft = { ...this.draft, activity: { ...this.draft.activity, [key]: checked } };
    }

    // ----- Matching

    handleMatching(event) {
        this.draft = { ...this.draft, matching: event.detail.matching };
    }

    // ----- Notifications (CP-7)

    get categoryFieldOptions() {
        const options = fieldOptions(this.eventFields, (f) => f.updateable && ANSWER_TYPES.includes(f.type)).map(
            (o) => ({ value: `Event.${o.value}`, label: o.label })
        );
        const current = this.draft?.notifications?.meetingCategoryField;
        if (current && !options.some((o) => o.value === current)) options.unshift({ value: current, label: current });
        return [{ value: '', label: LABELS.CATEGORY_NONE }, ...options];
    }

    get answerFieldOptions() {
        return this.categoryFieldOptions.slice(1);
    }

    get categoryValue() {
        return this.draft?.notifications?.meetingCategoryField ?? '';
    }

    get categories() {
        const ref = this.draft?.notifications?.meetingCategoryField ?? '';
        const field = this.eventFields.find((f) => `Event.${f.path}` === ref);
        return (field?.picklistValues ?? []).map((p) => ({ value: p.value, label: p.label }));
    }

    get hasCategories() {
        return this.categories.length > 0;
    }

    get notifyOptions() {
        return [
            { value: 'owner', label: LABELS.OWNER_ONLY },
            { value: 'all_participants', label: LABELS.ALL_PARTICIPANTS }
        ];
    }

    get notificationErrors() {
        const m = this.messages;
        return {
            category: m['notifications.meetingCategoryField'] ?? '',
            created: m['notifications.onMeetingCreated'] ?? '',
            completed: m['notifications.onMeetingCompleted'] ?? ''
        };
    }

    get questions() {
        return (this.draft?.notifications?.followUpQuestions ?? []).map((q, i) => {
            const at = (k) => this.messages[`notifications.followUpQuestions.${i}.${k}`] ?? '';
            const categoryOptions = [...this.categories];
            if (q.category && !categoryOptions.some((c) => c.value === q.category))
                categoryOptions.unshift({ value: q.category, label: q.category });
            return {
                key: `q-${i}`,
                index: i,
                category: q.category,
                text: q.text,
                field: q.field,
                categoryOptions,
                categoryLabel: `${LABELS.QUESTION_CATEGORY} ${i + 1}`,
                textLabel: `${LABELS.QUESTION_TEXT} ${i + 1}`,
                fieldLabel: `${LABELS.QUESTION_FIELD} ${i + 1}`,
                removeLabel: `${LABELS.REMOVE} ${LABELS.QUESTION_TEXT} ${i + 1}`,
                categoryError: at('category'),
                textError: at('text'),
                fieldError: at('field')
            };
        });
    }

    get hasQuestions() {
        return this.questions.length > 0;
    }

    updateNotifications(mutate) {
        const next = clone(this.draft.notifications);
        mutate(next);
        this.draft = { ...this.draft, notifications: next };
    }

    handleCategoryField(event) {
        const value = event.detail.value || null;
        this.updateNotifications((n) => {
            n.meetingCategoryField = value;
        });
    }

    handleNotify(event) {
        const key = event.target.dataset.key;
        const value = event.detail.value;
        this.updateNotifications((n) => {
            n[key] = value;
        });
    }

    handleAddQuestion() {
        this.updateNotifications((n) =>
            n.followUpQuestions.push({ category: this.categories[0]?.value ?? '', text: '', field: '' })
        );
    }

    handleQuestion(event) {
        const { index, key } = event.target.dataset;
        const value = event.detail.value;
        this.updateNotifications((n) => {
            n.followUpQuestions[Number(index)][key] = value;
        });
    }

    handleRemoveQuestion(event) {
        const index = Number(event.target.dataset.index);
        this.updateNotifications((n) => n.followUpQuestions.splice(index, 1));
    }

    // ----- save, cancel, leave

    handleTab(event) {
        this.activeTab = event.target.value;
    }

    async handleSave() {
        const body = {};
        for (const s of this.changedSections) body[s] = this.draft[s];
        this.saving = true;
        this.saveError = undefined;
        this.messages = {};
        try {
            this.profile = await patch(`/v1/profiles/${encodeURIComponent(this.profileId)}`, body);
            this.draft = clone(sectionsOf(this.profile));
            Toast.show({ label: format(LABELS.PROFILE_SAVED, this.profile.name), variant: 'success' }, this);
            this.dispatchEvent(new CustomEvent('saved', { detail: { profile: this.profile } }));
        } catch (e) {
            this.saveError = e;
            this.messages = fieldMessages(e);
            this.showTabOfFirstError();
        } finally {
            this.saving = false;
        }
    }

    /** The first field the API blames may sit on another tab: open that one. */
    showTabOfFirstError() {
        const first = Object.keys(this.messages)[0];
        const section = first?.split('.')[0];
        if (SECTIONS.includes(section)) this.activeTab = section;
    }

    handleReset() {
        this.draft = clone(sectionsOf(this.profile));
        this.messages = {};
        this.saveError = undefined;
    }

    handleBack() {
        if (this.dirty) {
            this.confirmingLeave = true;
            return;
        }
        this.close();
    }

    handleKeepEditing() {
        this.confirmingLeave = false;
    }

    handleDiscard() {
        this.confirmingLeave = false;
        this.draft = clone(sectionsOf(this.profile));
        this.close();
    }

    renderedCallback() {
        if (this.confirmingLeave && !this.focusedModal) {
            this.focusedModal = true;
            this.template.querySelector('[data-id="keep-editing"]')?.focus();
        } else if (!this.confirmingLeave) {
            this.focusedModal = false;
        }
    }

    close() {
        this.dispatchEvent(new CustomEvent('close'));
    }

    /** For the page holding the editor: true when leaving would lose changes. */
    @api
    hasUnsavedChanges() {
        return this.dirty;
    }
}
