import { LightningElement, api } from 'lwc';
import { LABELS } from 'c/adminLabels';
import { coerceValue, fieldOptions, operatorOptions, operatorsFor, valueInputFor } from 'c/fieldCatalog';

/**
 * One condition of an eligibility group or a ranking group (CP-5, CP-6): a field from the org's
 * describe, then an operator that fits its type and a value input that fits both (picklist
 * values offered) — or, for a sort-based ranking group, a direction. Fires `change` with the
 * whole new condition and `remove`.
 */
export default class ConditionRow extends LightningElement {
    labels = LABELS;
    /** Picker fields (c/fieldCatalog loadFields). */
    @api fields = [];
    /** { field, operator, value } or, with kind "sort", { field, direction }. */
    @api condition = {};
    /** "filter" (default) or "sort". */
    @api kind = 'filter';
    /** Messages from the API for this condition: { field, operator, value, direction }. */
    @api errors = {};
    /** Position, for the accessible names of the inputs. */
    @api index = 0;
    @api disabled = false;

    get isSort() {
        return this.kind === 'sort';
    }

    get selectedField() {
        return (this.fields ?? []).find((f) => f.path === this.condition?.field);
    }

    get fieldChoices() {
        const usable = this.isSort ? (f) => f.sortable : (f) => f.filterable;
        const options = fieldOptions(this.fields ?? [], usable);
        // A saved field the describe no longer offers stays visible (the API says why on save).
        if (this.condition?.field && !options.some((o) => o.value === this.condition.field))
            options.unshift({ value: this.condition.field, label: this.condition.field });
        return options;
    }

    get operatorChoices() {
        return operatorOptions(this.selectedField?.type);
    }

    get directionChoices() {
        return [
            { value: 'asc', label: LABELS.ASCENDING },
            { value: 'desc', label: LABELS.DESCENDING }
        ];
    }

    get input() {
        return valueInputFor(this.selectedField, this.condition?.operator);
    }

    get showText() {
        return this.input.kind === 'text';
    }
    get showList() {
        return this.input.kind === 'list';
    }
    get showNumber() {
        return this.input.kind === 'number';
    }
    get showDate() {
        return this.input.kind === 'date';
    }
    get showDatetime() {
        return this.input.kind === 'datetime';
    }
    get showChoice() {
        return this.input.kind === 'choice';
    }
    get showChoices() {
        return this.input.kind === 'choices';
    }
    get showBoolean() {
        return this.input.kind === 'boolean';
    }

    get picklistChoices() {
        return (this.input.options ?? []).map((p) => ({ value: p.value, label: p.label }));
    }

    get booleanChoices() {
        return [
            { value: 'true', label: 'True' },
            { value: 'false', label: 'False' }
        ];
    }

    get textValue() {
        const v = this.condition?.value;
        if (Array.isArray(v)) return v.join(', ');
        return v === undefined || v === null ? '' : String(v);
    }

    get listValue() {
        return Array.isArray(this.condition?.value) ? this.condition.value.map(String) : [];
    }

    get fieldLabel() {
        return `${LABELS.FIELD} ${this.index + 1}`;
    }
    get operatorLabel() {
        return `${LABELS.OPERATOR} ${this.index + 1}`;
    }
    get valueLabel() {
        return `${LABELS.VALUE} ${this.index + 1}`;
    }
    get directionLabel() {
        return `${LABELS.DIRECTION} ${this.index + 1}`;
    }
    get removeLabel() {
        return `${LABELS.REMOVE} ${this.condition?.field || this.fieldLabel}`;
    }

    emit(next) {
        this.dispatchEvent(new CustomEvent('change', { detail: { condition: next } }));
    }

    handleField(event) {
        const path = event.detail.value;
        if (this.isSort) {
            this.emit({ field: path, direction: this.condition?.direction ?? 'asc' });
            return;
        }
        const field = (this.fields ?? []).find((f) => f.path === path);
        const allowed = operatorsFor(field?.type);
        const operator = allowed.includes(this.condition?.operator) ? this.condition.operator : allowed[0];
        // A new field starts with an empty value of the right shape (a picklist value from the old field would not fit).
        this.emit(this.withValue({ field: path, operator }, field, undefined));
    }

    handleOperator(event) {
        const operator = event.detail.value;
        this.emit(this.withValue({ field: this.condition.field, operator }, this.selectedField, this.condition.value));
    }

    handleDirection(event) {
        this.emit({ field: this.condition.field, direction: event.detail.value });
    }

    handleValue(event) {
        const raw = event.detail.value ?? event.target.value;
        this.emit(this.withValue({ ...this.condition }, this.selectedField, raw));
    }

    withValue(base, field, raw) {
        const value = coerceValue(field, base.operator, raw);
        const next = { field: base.field, operator: base.operator };
        if (value !== undefined) next.value = value;
        return next;
    }

    handleRemove() {
        this.dispatchEvent(new CustomEvent('remove'));
    }
}
