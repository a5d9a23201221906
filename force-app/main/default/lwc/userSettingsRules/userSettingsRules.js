import { LightningElement } from 'lwc';
import Toast from 'lightning/toast';
import { get, post, put } from 'c/backstoryApi';
import { fieldMessages, messageUnder } from 'c/errorUtils';
import { LABELS, format } from 'c/adminLabels';

const clone = (value) => JSON.parse(JSON.stringify(value));
const PREVIEW_COLUMNS = [
    { label: LABELS.USER_NAME_COL, fieldName: 'name' },
    { label: LABELS.USER_EMAIL_COL, fieldName: 'email' },
    { label: LABELS.F_JOB_TITLE, fieldName: 'jobTitle' },
    { label: LABELS.F_TEAM_NAME, fieldName: 'teamName' },
    { label: LABELS.F_TEAM_MANAGER, fieldName: 'teamManagerEmail' },
    { label: LABELS.FILTER_PROFILE, fieldName: 'profileName' },
    { label: LABELS.RULE_EXISTING, fieldName: 'existingText', initialWidth: 130 }
];

/**
 * User Settings Rules (seed 002, USR-1..USR-7): the ordered list (drag and drop, or the move
 * buttons), the catch-all pinned last and never deleted, a rule editor that enforces USR-4/5,
 * and Save Rules for the whole list. Disabled, with the reason, in Manual mode (USR-1). "What
 * if" evaluates a sample; the preview shows which rule and profile every current Salesforce
 * user would get, with counts per rule and the users behind each count.
 */
export default class UserSettingsRules extends LightningElement {
    labels = LABELS;
    previewColumns = PREVIEW_COLUMNS;
    org;
    saved = [];
    rules = [];
    profiles = [];
    loading = false;
    saving = false;
    error;
    saveError;
    messages = {};
    editingIndex = null;
    editingNew = false;
    dragIndex = null;
    announcement = '';

    whatIf = { teamName: '', teamManagerEmail: '', jobTitle: '' };
    whatIfResult;
    whatIfError;

    preview;
    previewError;
    previewing = false;
    previewRuleId;

    connectedCallback() {
        this.load();
    }

    async load() {
        this.loading = true;
        this.error = undefined;
        try {
            const [org, rules, profiles] = await Promise.all([
                get('/v1/org'),
                get('/v1/user-settings-rules'),
                get('/v1/profiles?limit=500')
            ]);
            this.org = org;
            this.saved = rules.items;
            this.rules = clone(rules.items);
            this.profiles = profiles.items;
            this.messages = {};
            this.saveError = undefined;
        } catch (e) {
            this.error = e;
        } finally {
            this.loading = false;
        }
    }

    // ----- state

    get ready() {
        return !!this.org;
    }
    get manual() {
        return this.org?.mode !== 'automatic';
    }
    get dirty() {
        return JSON.stringify(this.rules) !== JSON.stringify(this.saved);
    }
    get saveDisabled() {
        return this.manual || !this.dirty || this.saving;
    }
    get onlyCatchAll() {
        return this.rules.length <= 1;
    }

    profileName(id) {
        return this.profiles.find((p) => p.id === id)?.name ?? id;
    }

    get rows() {
        const last = this.rules.length - 1;
        const counts = new Map((this.preview?.rules ?? []).map((r) => [r.ruleId, r]));
        return this.rules.map((r, i) => {
            const a = r.assignments;
            const count = counts.get(this.previewIdOf(r, i));
            return {
                key: r.id ?? `new-${i}`,
                index: i,
                position: i + 1,
                name: r.name,
                description: r.description,
                isCatchAll: r.isCatchAll,
                movable: !r.isCatchAll && !this.manual,
                draggable: r.isCatchAll || this.manual ? 'false' : 'true',
                filtersText: r.isCatchAll
                    ? LABELS.RULE_CATCH_ALL_WHEN
                    : r.filters
                          .map(
                              (f) =>
                                  `${LABELS[`F_${f.field.toUpperCase()}`]} ${LABELS[`OP_${f.operator.toUpperCase()}`]} ${
                                      Array.isArray(f.value) ? f.value.join(', ') : f.value
                                  }`
                          )
                          .join(' AND '),
                assignText: [
                    this.profileName(a.profileId),
                    LABELS[`ROLE_${a.role.toUpperCase()}`],
                    LABELS[`VIS_${a.visibility.toUpperCase()}`],
                    a.licenses.map((l) => LABELS[`LIC_${l.toUpperCase()}`]).join(', ')
                ]
                    .filter(Boolean)
                    .join(' · '),
                error: messageUnder(this.messages, `items.${i}`),
                upDisabled: this.manual || r.isCatchAll || i === 0,
                downDisabled: this.manual || r.isCatchAll || i >= last - 1,
                upLabel: format(LABELS.MOVE_UP, r.name),
                downLabel: format(LABELS.MOVE_DOWN, r.name),
                editLabel: `${LABELS.PROFILE_EDIT} ${r.name}`,
                deleteLabel: `${LABELS.DELETE_RULE} ${r.name}`,
                dragLabel: format(LABELS.MOVE_RULE_HINT, r.name),
                hasCount: !!count,
                countText: count ? format(LABELS.RULE_USERS, count.count) : '',
                previewId: count?.ruleId
            };
        });
    }

    /** The id the preview answers with: the rule's, or `new-<index>` for a rule not saved yet. */
    previewIdOf(rule, index) {
        return rule.id ?? `new-${index}`;
    }

    // ----- order (USR-6, USR-7: the catch-all never moves)

    move(from, to) {
        const last = this.rules.length - 1;
        if (this.manual || from === to || from >= last || to < 0 || to >= last) return;
        const next = [...this.rules];
        const [rule] = next.splice(from, 1);
        next.splice(to, 0, rule);
        this.rules = next;
        this.announcement = `${rule.name}: ${to + 1}`;
    }

    handleMoveUp(event) {
        const i = Number(event.target.dataset.index);
        this.move(i, i - 1);
    }

    handleMoveDown(event) {
        const i = Number(event.target.dataset.index);
        this.move(i, i + 1);
    }

    handleDragStart(event) {
        this.dragIndex = Number(event.currentTarget.dataset.index);
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', String(this.dragIndex));
    }

    handleDragOver(event) {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
    }

    handleDrop(event) {
        event.preventDefault();
        const to = Number(event.currentTarget.dataset.index);
        const from = this.dragIndex ?? Number(event.dataTransfer.getData('text/plain'));
        this.dragIndex = null;
        // Dropping on the catch-all puts the rule just above it.
        this.move(from, Math.min(to, this.rules.length - 2));
    }

    // ----- edit, add, delete

    get editing() {
        return this.editingIndex !== null;
    }
    get editingRule() {
        return this.editingNew
            ? {
                  name: '',
                  description: '',
                  isCatchAll: false,
                  filters: [{ field: 'job_title', operator: 'equals', value: '' }],
                  assignments: clone(this.rules[this.rules.length - 1].assignments)
              }
            : this.rules[this.editingIndex];
    }

    handleAdd() {
        this.editingNew = true;
        this.editingIndex = this.rules.length - 1;
    }

    handleEdit(event) {
        this.editingNew = false;
        this.editingIndex = Number(event.target.dataset.index);
    }

    handleEditDone(event) {
        const rule = event.detail.rule;
        const next = [...this.rules];
        // A new rule goes just above the catch-all, as the seed's list does.
        if (this.editingNew) next.splice(next.length - 1, 0, rule);
        else next[this.editingIndex] = rule;
        this.rules = next;
        this.editingIndex = null;
        this.editingNew = false;
    }

    handleEditCancel() {
        this.editingIndex = null;
        this.editingNew = false;
    }

    handleDelete(event) {
        const i = Number(event.target.dataset.index);
        if (this.rules[i]?.isCatchAll) return;
        this.rules = this.rules.filter((_, j) => j !== i);
    }

    handleRevert() {
        this.rules = clone(this.saved);
        this.messages = {};
        this.saveError = undefined;
    }

    async handleSave() {
        this.saving = true;
        this.saveError = undefined;
        this.messages = {};
        try {
            const result = await put('/v1/user-settings-rules', { items: this.rules });
            this.saved = result.items;
            this.rules = clone(result.items);
            this.preview = undefined;
            Toast.show({ label: LABELS.RULES_SAVED, variant: 'success' }, this);
        } catch (e) {
            this.saveError = e;
            this.messages = fieldMessages(e);
        } finally {
            this.saving = false;
        }
    }

    // ----- what if (USR-2 on one sample)

    handleWhatIfInput(event) {
        this.whatIf = { ...this.whatIf, [event.target.dataset.key]: event.detail.value };
    }

    async handleEvaluate() {
        this.whatIfError = undefined;
        const body = {};
        for (const [k, v] of Object.entries(this.whatIf)) if (v.trim()) body[k] = v.trim();
        try {
            const r = await post('/v1/user-settings-rules/evaluate', body);
            const rule = this.saved.find((x) => x.id === r.ruleId);
            const a = r.assignments;
            this.whatIfResult = {
                title: format(LABELS.WHAT_IF_RESULT, rule?.name ?? r.ruleId),
                detail: [
                    this.profileName(a.profileId),
                    LABELS[`ROLE_${a.role.toUpperCase()}`],
                    LABELS[`VIS_${a.visibility.toUpperCase()}`],
                    a.licenses.map((l) => LABELS[`LIC_${l.toUpperCase()}`]).join(', ')
                ].join(' · ')
            };
        } catch (e) {
            this.whatIfError = e;
            this.whatIfResult = undefined;
        }
    }

    // ----- preview over every Salesforce user

    async handlePreview() {
        this.previewing = true;
        this.previewError = undefined;
        try {
            this.preview = await post('/v1/user-settings-rules/preview', { items: this.rules });
        } catch (e) {
            this.previewError = e;
            this.preview = undefined;
        } finally {
            this.previewing = false;
        }
    }

    get hasPreview() {
        return !!this.preview;
    }

    get previewSummary() {
        return (this.preview?.rules ?? []).map((r) => ({
            key: r.ruleId,
            ruleId: r.ruleId,
            name: r.name,
            countText: format(LABELS.RULE_USERS, r.count)
        }));
    }

    handleShowUsers(event) {
        this.previewRuleId = event.currentTarget.dataset.ruleId;
    }

    handleHideUsers() {
        this.previewRuleId = undefined;
    }

    get showingUsers() {
        return !!this.previewRuleId;
    }

    get usersTitle() {
        const rule = this.preview?.rules.find((r) => r.ruleId === this.previewRuleId);
        return format(LABELS.RULE_PREVIEW_USERS, rule?.name ?? '');
    }

    get previewUsers() {
        return (this.preview?.users ?? [])
            .filter((u) => u.ruleId === this.previewRuleId)
            .map((u) => ({
                ...u,
                id: u.salesforceUserId,
                profileName: this.profileName(u.profileId),
                existingText: u.existing ? LABELS.RULE_EXISTING : ''
            }));
    }
}
