import { get } from 'c/backstoryApi';
import { LABELS } from 'c/adminLabels';

/**
 * The org's fields for the profile editor's pickers (GET /v1/salesforce/fields: the describe as
 * the integration user, parent fields such as Account.Type included), one request per object per
 * page, and the operators and value inputs that fit each field type (CP-5, CP-6).
 */
const cache = new Map();

export function loadFields(object) {
    let pending = cache.get(object);
    if (!pending) {
        pending = get(`/v1/salesforce/fields?object=${encodeURIComponent(object)}`).then((r) => r.fields);
        // A failure is not cached: the next picker that opens asks again.
        pending.catch(() => cache.delete(object));
        cache.set(object, pending);
    }
    return pending;
}

/** For tests: forget every describe. */
export function resetFieldCache() {
    cache.clear();
}

const TEXT = ['string', 'email', 'phone', 'url', 'combobox', 'encryptedstring'];
const CHOICE = ['picklist', 'multipicklist'];
const ORDERED = ['int', 'double', 'currency', 'percent', 'date', 'datetime', 'time'];
const NUMERIC = ['int', 'double', 'currency', 'percent'];

const ALL_OPERATORS = [
    'equals',
    'not_equals',
    'in',
    'not_in',
    'contains',
    'starts_with',
    'greater_than',
    'less_than',
    'is_null',
    'is_not_null'
];

/** The operators the middleware accepts for a field of this type (domain/field-references operatorProblem). */
export function operatorsFor(type) {
    if (!type) return ALL_OPERATORS;
    if (type === 'boolean') return ['equals', 'not_equals'];
    if (type === 'textarea') return ['contains', 'starts_with', 'is_null', 'is_not_null'];
    if (TEXT.includes(type) || CHOICE.includes(type))
        return ['equals', 'not_equals', 'in', 'not_in', 'contains', 'starts_with', 'is_null', 'is_not_null'];
    if (ORDERED.includes(type))
        return ['equals', 'not_equals', 'in', 'not_in', 'greater_than', 'less_than', 'is_null', 'is_not_null'];
    return ['equals', 'not_equals', 'in', 'not_in', 'is_null', 'is_not_null'];
}

export function operatorOptions(type) {
    return operatorsFor(type).map((op) => ({ value: op, label: LABELS[`OP_${op.toUpperCase()}`] }));
}

export const isListOperator = (op) => op === 'in' || op === 'not_in';
export const takesNoValue = (op) => op === 'is_null' || op === 'is_not_null';

/**
 * How to ask for the value: none, a picklist choice or several, true/false, a number, a date,
 * a date-time, a list typed with commas, or text.
 */
export function valueInputFor(field, operator) {
    if (takesNoValue(operator)) return { kind: 'none' };
    const type = field?.type;
    const list = isListOperator(operator);
    if (CHOICE.includes(type) && field.picklistValues?.length && operator !== 'contains' && operator !== 'starts_with')
        return { kind: list ? 'choices' : 'choice', options: field.picklistValues };
    if (type === 'boolean') return { kind: 'boolean' };
    if (list) return { kind: 'list', numeric: NUMERIC.includes(type) };
    if (NUMERIC.includes(type)) return { kind: 'number' };
    if (type === 'date') return { kind: 'date' };
    if (type === 'datetime') return { kind: 'datetime' };
    return { kind: 'text' };
}

/** A typed value (from an input's string) in the shape the API takes for this field and operator. */
export function coerceValue(field, operator, raw) {
    const input = valueInputFor(field, operator);
    switch (input.kind) {
        case 'none':
            return undefined;
        case 'boolean':
            return raw === true || raw === 'true';
        case 'number':
            return raw === '' || raw === null || raw === undefined ? undefined : Number(raw);
        case 'choices':
            return Array.isArray(raw) ? raw : [];
        case 'list': {
            const parts = (Array.isArray(raw) ? raw : String(raw ?? '').split(','))
                .map((s) => String(s).trim())
                .filter(Boolean);
            return input.numeric ? parts.map(Number) : parts;
        }
        default:
            return raw === undefined || raw === null ? '' : String(raw);
    }
}

/** Field options for a combobox: `Label (Path)` so that two fields of one label can be told apart. */
export function fieldOptions(fields, filter = () => true) {
    return fields.filter(filter).map((f) => ({ value: f.path, label: `${f.label} (${f.path})` }));
}
