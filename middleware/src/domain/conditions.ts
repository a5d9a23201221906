import type { FilterCondition } from './profile';

/**
 * One filter condition against a record's field values (CP-5 filters, CP-6 select-based
 * ranking). Values compare by their kind: numbers numerically, ISO dates/datetimes as dates,
 * everything else as case-insensitive text. A missing value only satisfies `is_null` and
 * `not_equals` / `not_in`.
 */
export function matchesCondition(record: Record<string, unknown>, condition: FilterCondition): boolean {
    const actual = fieldValue(record, condition.field);
    const isNull = isEmpty(actual);
    switch (condition.operator) {
        case 'is_null':
            return isNull;
        case 'is_not_null':
            return !isNull;
        case 'equals':
            return !isNull && compare(actual, condition.value) === 0;
        case 'not_equals':
            return isNull || compare(actual, condition.value) !== 0;
        case 'in':
            return !isNull && asList(condition.value).some((v) => compare(actual, v) === 0);
        case 'not_in':
            return isNull || !asList(condition.value).some((v) => compare(actual, v) === 0);
        case 'contains':
            return !isNull && text(actual).includes(text(condition.value));
        case 'starts_with':
            return !isNull && text(actual).startsWith(text(condition.value));
        case 'greater_than':
            return !isNull && compare(actual, condition.value) > 0;
        case 'less_than':
            return !isNull && compare(actual, condition.value) < 0;
    }
}

/** A field's value; `Account.Type` follows a nested parent object when the record carries one. */
export function fieldValue(record: Record<string, unknown>, field: string): unknown {
    if (field in record) return record[field];
    let cur: unknown = record;
    for (const part of field.split('.')) {
        if (cur === null || typeof cur !== 'object') return undefined;
        cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
}

/** Salesforce treats an empty text value as null. */
export const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === '';

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const text = (v: unknown): string => String(v ?? '').toLowerCase();
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

const isNumeric = (v: unknown): boolean =>
    typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
const isDate = (v: unknown): v is string => typeof v === 'string' && ISO_DATE.test(v);
const toTime = (v: string): number => Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

/**
 * The order used by conditions and sort-based ranking, symmetric in its arguments: a number
 * against a number (or numeric text) compares numerically, booleans as false < true, two ISO
 * dates/date-times as instants, anything else as case-insensitive text (SOQL compares text
 * case-insensitively).
 */
export function compare(a: unknown, b: unknown): number {
    if ((typeof a === 'number' || typeof b === 'number') && isNumeric(a) && isNumeric(b)) {
        return Math.sign(Number(a) - Number(b));
    }
    if (typeof a === 'boolean' || typeof b === 'boolean')
        return Number(String(a) === 'true') - Number(String(b) === 'true');
    if (isDate(a) && isDate(b)) return Math.sign(toTime(a) - toTime(b));
    const x = text(a);
    const y = text(b);
    return x === y ? 0 : x < y ? -1 : 1;
}
