import { LightningElement, api } from 'lwc';
import { LABELS } from 'c/adminLabels';

const RULE_FIELDS = ['team_name', 'team_manager', 'job_title'];
const RULE_OPERATORS = ['equals', 'not_equals', 'in', 'contains'];
const LICENSES = ['foundation', 'engagement_dashboard', 'forecasting', 'unified_enterprise'];
const clone = (value) => JSON.parse(JSON.stringify(value));

/** A filter's value as the API takes it: a list for `in`, one value otherwise (USR-5: one for `contains`). */
function valueFor(operator, text) {
    if (operator === 'in')
        return String(text ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
    return String(text ?? '').trim();
}

/**
 * The rule editor (USR-4, USR-5, USR-7) in a modal: name, description, filters on team name,
 * team manager or job title (equals, not equals, in, contains; every filter must hold) and the
 * assignments: profile, permission, visibility, licences. The catch-all's name, description and
 * filters are fixed; only its assignments change. Fires `done` with the rule, or `cancel`.
 */
export default class RuleEditor extends LightningElement {
    labels = LABELS;
    /** The rule to edit (a copy is edited). */
    @api
    get rule() {
        return this.draft;
    }
    set rule(value) {
        const r = clone(value ?? {});
        this.draft = {
            ...r,
            name: r.name ?? '',
            description: r.description ?? '',
            isCatchAll: !!r.isCatchAll,
            assignments: r.assignments ?? { profileId: '', role: 'member', visibility: 'full', licenses: [] }
        };
        // Values are edited as text: a list for `in` as "a, b".
        this.filters = (r.filters ?? []).map((f) => ({
            field: f.field,
            operator: f.operator,
            text: Array.isArray(f.value) ? f.value.join(', ') : (f.value ?? '')
        }));
    }
    /** Profiles for the assignment ({ id, name }). */
    @api profiles = [];
    @api isNew = false;

    draft = {};
    filters = [];
    problems = {};

    get title() {
        return this.isNew ? LABELS.RULE_NEW_TITLE : LABELS.RULE_EDIT_TITLE;
    }
    get isCatchAll() {
        return this.draft.isCatchAll;
    }
    get fieldOptions() {
        return RULE_FIELDS.map((f) => ({ value: f, label: LABELS[`F_${f.toUpperCase()}`] }));
    }
    get operatorOptions() {
        return RULE_OPERATORS.map((o) => ({ value: o, label: LABELS[`OP_${o.toUpperCase()}`] }));
    }
    get profileOptions() {
        return (this.profiles ?? []).map((p) => ({ value: p.id, label: p.name }));
    }
    get roleOptions() {
        return ['admin', 'manager', 'member'].map((r) => ({ value: r, label: LABELS[`ROLE_${r.toUpperCase()}`] }));
    }
    get visibilityOptions() {
        return ['full', 'team', 'individual'].map((v) => ({ value: v, label: LABELS[`VIS_${v.toUpperCase()}`] }));
    }
    get licenseOptions() {
        return LICENSES.map((l) => ({ value: l, label: LABELS[`LIC_${l.toUpperCase()}`] }));
    }
    get filterRows() {
        return this.filters.map((f, i) => ({
            key: `f-${i}`,
            index: i,
            ...f,
            fieldLabel: `${LABELS.FIELD} ${i + 1}`,
            operatorLabel: `${LABELS.OPERATOR} ${i + 1}`,
            valueLabel: `${LABELS.VALUE} ${i + 1}`,
            removeLabel: `${LABELS.REMOVE} ${LABELS.FIELD} ${i + 1}`,
            help:
                f.operator === 'in' ? LABELS.RULE_VALUE_HELP_IN : f.operator === 'contains' ? LABELS.CONTAINS_ONE : '',
            error: this.problems[`filters.${i}`] ?? ''
        }));
    }
    get hasFilters() {
        return this.filters.length > 0;
    }
    get nameError() {
        return this.problems.name ?? '';
    }
    get filtersError() {
        return this.problems.filters ?? '';
    }
    get profileError() {
        return this.problems.profileId ?? '';
    }

    handleText(event) {
        this.draft = { ...this.draft, [event.target.dataset.key]: event.detail.value };
    }

    handleAssignment(event) {
        const key = event.target.dataset.key;
        this.draft = { ...this.draft, assignments: { ...this.draft.assignments, [key]: event.detail.value } };
    }

    handleFilter(event) {
        const { index, key } = event.target.dataset;
        const next = [...this.filters];
        next[Number(index)] = { ...next[Number(index)], [key]: event.detail.value };
        this.filters = next;
    }

    handleAddFilter() {
        this.filters = [...this.filters, { field: 'job_title', operator: 'equals', text: '' }];
    }

    handleRemoveFilter(event) {
        const index = Number(event.target.dataset.index);
        this.filters = this.filters.filter((_, i) => i !== index);
    }

    handleClearFilters() {
        this.filters = [];
    }

    /** USR-4 and USR-5 before anything leaves the modal; the API checks the same on save. */
    validate() {
        const problems = {};
        if (!this.isCatchAll) {
            if (!this.draft.name.trim()) problems.name = LABELS.RULE_NEEDS_NAME;
            if (this.filters.length === 0) problems.filters = LABELS.RULE_NO_FILTERS;
            this.filters.forEach((f, i) => {
                const value = valueFor(f.operator, f.text);
                if (value.length === 0) problems[`filters.${i}`] = LABELS.RULE_NEEDS_VALUE;
                else if (f.operator === 'contains' && f.text.includes(','))
                    problems[`filters.${i}`] = LABELS.CONTAINS_ONE;
            });
        }
        if (!this.draft.assignments.profileId) problems.profileId = LABELS.RULE_NEEDS_VALUE;
        this.problems = problems;
        return Object.keys(problems).length === 0;
    }

    handleDone() {
        if (!this.validate()) return;
        const rule = {
            ...this.draft,
            name: this.draft.name.trim(),
            filters: this.isCatchAll
                ? []
                : this.filters.map((f) => ({
                      field: f.field,
                      operator: f.operator,
                      value: valueFor(f.operator, f.text)
                  }))
        };
        this.dispatchEvent(new CustomEvent('done', { detail: { rule } }));
    }

    handleCancel() {
        this.dispatchEvent(new CustomEvent('cancel'));
    }

    connectedCallback() {
        this.needsFocus = true;
    }

    renderedCallback() {
        if (!this.needsFocus) return;
        this.needsFocus = false;
        this.template.querySelector(this.isCatchAll ? '[data-id="rule-profile"]' : '[data-id="rule-name"]')?.focus();
    }
}
