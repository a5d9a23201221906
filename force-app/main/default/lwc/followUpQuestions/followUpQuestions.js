import { LightningElement, api, wire } from 'lwc';
import { CurrentPageReference } from 'lightning/navigation';
import Toast from 'lightning/toast';
import { get, post } from 'c/backstoryApi';
import { fieldMessages } from 'c/errorUtils';
import { LABELS, format } from 'c/repLabels';

const TEXT_TYPES = new Set(['string', 'combobox', 'email', 'phone', 'url']);
const NUMBER_TYPES = new Set(['int', 'double', 'percent', 'currency']);

/**
 * Post-meeting follow-up questions (MATCH-8) for the rep who acts: on the Follow-ups tab, the
 * rep's open follow-ups newest first (a notification's link opens one: `c__activityId`); on an
 * Event record page, that meeting's questions. One input per question, chosen by the type of
 * the Salesforce field that stores the answer.
 */
export default class FollowUpQuestions extends LightningElement {
    /** The Event's id on an Event record page. */
    @api recordId;

    labels = LABELS;
    loading = true;
    saving = false;
    error;
    followUps = [];
    openCount = 0;
    selectedId;
    category;
    values = {};
    answerErrors = {};
    activityFromLink;
    connected = false;

    @wire(CurrentPageReference)
    handlePageReference(ref) {
        const activityId = ref?.state?.c__activityId;
        if (activityId && activityId !== this.activityFromLink) {
            this.activityFromLink = activityId;
            if (this.connected) this.load();
        }
    }

    connectedCallback() {
        this.connected = true;
        this.load();
    }

    get onRecordPage() {
        return !!this.recordId;
    }

    async load() {
        this.loading = true;
        this.error = undefined;
        try {
            const query = this.recordId
                ? `eventId=${encodeURIComponent(this.recordId)}`
                : this.activityFromLink
                  ? `activityId=${encodeURIComponent(this.activityFromLink)}`
                  : 'status=open';
            const result = await get(`/v1/follow-ups?${query}`);
            this.followUps = result.items;
            this.openCount = result.openCount;
            const only = this.recordId || this.activityFromLink ? result.items[0] : undefined;
            if (only) this.select(only.id);
            else if (!this.followUps.some((f) => f.id === this.selectedId)) this.selectedId = undefined;
        } catch (e) {
            this.error = e;
        } finally {
            this.loading = false;
        }
    }

    select(id) {
        const fu = this.followUps.find((f) => f.id === id);
        this.selectedId = id;
        this.category = fu?.category ?? fu?.categories?.[0] ?? null;
        const values = {};
        for (const a of fu?.answers ?? []) values[a.questionId] = a.value;
        this.values = values;
        this.answerErrors = {};
        this.error = undefined;
    }

    get title() {
        return this.onRecordPage ? LABELS.followUpsTitle : `${LABELS.followUpsTitle} (${this.openCount})`;
    }

    get current() {
        return this.followUps.find((f) => f.id === this.selectedId);
    }

    get currentStatusLabel() {
        return this.current?.status === 'answered' ? LABELS.answered : LABELS.open;
    }

    get currentStatusClass() {
        return this.current?.status === 'answered'
            ? 'slds-badge slds-theme_success slds-float_right'
            : 'slds-badge slds-float_right';
    }

    get showList() {
        return !this.current && this.followUps.length > 0;
    }

    get isEmpty() {
        return !this.loading && !this.error && this.followUps.length === 0;
    }

    get emptyText() {
        return this.onRecordPage ? LABELS.followUpNoneForMeeting : LABELS.followUpsEmpty;
    }

    get showBack() {
        return !this.onRecordPage && this.followUps.length > 0;
    }

    get listItems() {
        return this.followUps.map((f) => ({
            id: f.id,
            subject: f.meeting.subject,
            startsAt: f.meeting.startsAt,
            whatName: f.meeting.whatName,
            statusLabel: f.status === 'answered' ? LABELS.answered : LABELS.open,
            statusClass: f.status === 'answered' ? 'slds-badge slds-theme_success' : 'slds-badge',
            answerLabel: format(LABELS.answerMeeting, f.meeting.subject)
        }));
    }

    get hasCategories() {
        return (this.current?.categories?.length ?? 0) > 0;
    }

    get categoryOptions() {
        return (this.current?.categories ?? []).map((c) => ({ label: c, value: c }));
    }

    get categoryError() {
        return this.answerErrors.category;
    }

    get questions() {
        const fu = this.current;
        if (!fu) return [];
        return fu.questions
            .filter((q) => q.category === this.category)
            .map((q) => {
                const value = this.values[q.id];
                const text = typeof value === 'string' ? value : '';
                const isText = TEXT_TYPES.has(q.type);
                const isTextarea = q.type === 'textarea';
                return {
                    ...q,
                    value: value ?? (q.type === 'multipicklist' ? [] : ''),
                    checked: value === true,
                    inputType:
                        q.type === 'email' ? 'email' : q.type === 'url' ? 'url' : q.type === 'phone' ? 'tel' : 'text',
                    isText,
                    isTextarea,
                    isPicklist: q.type === 'picklist',
                    isMulti: q.type === 'multipicklist',
                    isCheckbox: q.type === 'boolean',
                    isDate: q.type === 'date',
                    isNumber: NUMBER_TYPES.has(q.type),
                    formatter: q.type === 'currency' ? 'currency' : q.type === 'percent' ? 'percent-fixed' : undefined,
                    step: q.type === 'int' ? '1' : 'any',
                    options: (q.picklistValues ?? []).map((v) => ({ label: v, value: v })),
                    hasCounter: (isText || isTextarea) && !!q.maxLength,
                    counter: q.maxLength ? format(LABELS.charactersUsed, text.length, q.maxLength) : '',
                    error: this.answerErrors[q.id],
                    errorId: `error-${q.id}`
                };
            });
    }

    get hasQuestions() {
        return this.questions.length > 0;
    }

    get showNoQuestions() {
        return !!this.category && !this.hasQuestions;
    }

    get saveDisabled() {
        return this.saving || (this.hasCategories && !this.category);
    }

    handleOpen(event) {
        this.select(event.currentTarget.dataset.followUp);
        this.focusFirstInput();
    }

    handleBack() {
        this.selectedId = undefined;
        this.answerErrors = {};
        this.error = undefined;
    }

    handleCategory(event) {
        this.category = event.detail.value;
        this.answerErrors = {};
    }

    handleInput(event) {
        const id = event.target.dataset.question;
        const type = event.target.dataset.type;
        let value;
        if (type === 'boolean') value = event.target.checked;
        else value = event.detail?.value ?? event.target.value;
        this.values = { ...this.values, [id]: value };
        if (this.answerErrors[id]) {
            const next = { ...this.answerErrors };
            delete next[id];
            this.answerErrors = next;
        }
    }

    async handleSave() {
        const fu = this.current;
        if (!fu) return;
        this.saving = true;
        this.error = undefined;
        this.answerErrors = {};
        const asked = this.questions;
        const body = {
            category: this.category ?? '',
            answers: asked.map((q) => ({
                questionId: q.id,
                value: this.values[q.id] ?? (q.type === 'boolean' ? false : null)
            }))
        };
        try {
            const saved = await post(`/v1/follow-ups/${encodeURIComponent(fu.id)}/answers`, body);
            const pending = saved.sync && saved.sync.state !== 'written';
            Toast.show(
                {
                    label: LABELS.answersSaved,
                    message: pending
                        ? format(LABELS.answersSavedPending, saved.sync.reason ?? saved.sync.state)
                        : format(LABELS.answersSavedDetail, fu.meeting.subject),
                    variant: pending ? 'warning' : 'success'
                },
                this
            );
            this.followUps = this.followUps.map((f) => (f.id === saved.id ? saved : f));
            this.openCount = this.followUps.filter((f) => f.status === 'open').length;
            if (!this.onRecordPage && !this.activityFromLink) this.selectedId = undefined;
        } catch (e) {
            // Field messages go beside the question that caused them (`answers.2.value` → question 2).
            const byPath = fieldMessages(e);
            const errors = {};
            for (const [path, message] of Object.entries(byPath)) {
                const m = /^answers\.(\d+)\./.exec(path);
                const q = m ? asked[Number(m[1])] : undefined;
                if (q) errors[q.id] = message;
                else if (path === 'category') errors.category = message;
            }
            this.answerErrors = errors;
            this.error = e;
        } finally {
            this.saving = false;
        }
    }

    handleRetry() {
        this.load();
    }

    focusFirstInput() {
        // After the form renders, move focus to the first field so keyboard and screen-reader users land in it.
        Promise.resolve().then(() => {
            const first = this.template.querySelector('[data-focus="first"]');
            if (first && typeof first.focus === 'function') first.focus();
        });
    }
}
