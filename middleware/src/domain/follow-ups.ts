import type { FieldInfo } from './field-references';
import type { FollowUpQuestion, NotificationSettings } from './profile';

/**
 * Follow-up questions and meeting notifications (MATCH-8, CP-7): pure rules, no I/O.
 *
 * A question's form input follows the describe of the field that stores its answer; an answer
 * is checked against that same describe before anything is stored or written.
 */

/** What the rep's form needs of a question: the field's label, type, picklist, length, required. */
export interface QuestionView {
    id: string;
    category: string;
    text: string;
    field: string;
    label: string;
    type: string;
    required: boolean;
    picklistValues: string[] | null;
    maxLength: number | null;
}

const TEXT_TYPES = new Set(['string', 'textarea', 'combobox', 'email', 'url', 'phone']);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);

export function questionView(q: FollowUpQuestion, field: FieldInfo | null): QuestionView {
    const name = q.field.split('.')[1] ?? q.field;
    if (!field)
        return {
            id: q.id,
            category: q.category,
            text: q.text,
            field: q.field,
            label: name,
            type: 'string',
            required: false,
            picklistValues: null,
            maxLength: null
        };
    const choice = field.type === 'picklist' || field.type === 'multipicklist';
    return {
        id: q.id,
        category: q.category,
        text: q.text,
        field: q.field,
        label: field.label ?? field.name,
        type: field.type,
        // A checkbox always has a value; anything else is required when the field may not be empty.
        required: field.type !== 'boolean' && field.nillable === false,
        picklistValues: choice ? field.picklistValues : null,
        maxLength: TEXT_TYPES.has(field.type) && field.length ? field.length : null
    };
}

/** Is this value empty (no answer given)? */
export function isBlank(value: unknown): boolean {
    return (
        value === null ||
        value === undefined ||
        (typeof value === 'string' && value.trim() === '') ||
        (Array.isArray(value) && value.length === 0)
    );
}

/**
 * Why the field's describe refuses this answer, or null when it fits. Values arrive as JSON:
 * strings for text, picklists and dates (YYYY-MM-DD), an array of strings (or `a;b`) for a
 * multi-select picklist, a boolean for a checkbox, a number (or numeric string) for numbers.
 */
export function answerProblem(q: QuestionView, value: unknown): string | null {
    if (isBlank(value)) return q.required ? 'is required' : null;
    const t = q.type;
    if (t === 'boolean') return typeof value === 'boolean' ? null : 'must be true or false';
    if (NUMBER_TYPES.has(t)) {
        const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
        if (typeof value === 'boolean' || !Number.isFinite(n)) return 'must be a number';
        if (t === 'int' && !Number.isInteger(n)) return 'must be a whole number';
        return null;
    }
    if (t === 'date') {
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'must be a date (YYYY-MM-DD)';
        const d = new Date(`${value}T00:00:00Z`);
        return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? 'is not a real date' : null;
    }
    if (t === 'multipicklist') {
        const values = multiValues(value);
        if (!values) return 'must be a list of values';
        const allowed = q.picklistValues ?? [];
        const bad = values.filter((v) => !allowed.includes(v));
        if (bad.length > 0) return `${bad.join(', ')} is not a value of the picklist (${allowed.join(', ')})`;
        return null;
    }
    if (typeof value !== 'string') return 'must be text';
    if (t === 'picklist') {
        const allowed = q.picklistValues ?? [];
        return allowed.includes(value) ? null : `${value} is not a value of the picklist (${allowed.join(', ')})`;
    }
    if (q.maxLength !== null && value.length > q.maxLength)
        return `is ${value.length} characters long; at most ${q.maxLength} fit`;
    if (t === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return 'must be an email address';
    return null;
}

function multiValues(value: unknown): string[] | null {
    if (typeof value === 'string')
        return value
            .split(';')
            .map((v) => v.trim())
            .filter(Boolean);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    return null;
}

/** The answer as Salesforce stores it: `a;b` for a multi-select picklist, numbers as numbers. */
export function salesforceValue(q: QuestionView, value: unknown): unknown {
    if (isBlank(value)) return q.type === 'boolean' ? false : null;
    if (q.type === 'multipicklist') return (multiValues(value) ?? []).join(';');
    if (NUMBER_TYPES.has(q.type)) return Number(value);
    if (typeof value === 'string') return value.trim() === value ? value : value.trim();
    return value;
}

/** A participant or owner who may receive a notification: a linked, active Backstory user. */
export interface NotifiableUser {
    userId: string;
    email: string;
    salesforceUserId: string | null;
    status: string;
}

/**
 * CP-7: who is notified. `owner`: the meeting's owner; `all_participants`: the owner and every
 * participant who is a Backstory user. Only users linked to a Salesforce user and not suspended
 * can receive a Salesforce notification; each appears once, the owner first.
 */
export function notificationRecipients(
    who: NotificationSettings['onMeetingCreated'],
    owner: NotifiableUser,
    participants: NotifiableUser[]
): NotifiableUser[] {
    const list = who === 'owner' ? [owner] : [owner, ...participants];
    const seen = new Set<string>();
    return list.filter((u) => {
        if (!u.salesforceUserId || u.status === 'suspended' || seen.has(u.userId)) return false;
        seen.add(u.userId);
        return true;
    });
}

/** Does the profile ask anything after a meeting (a category to pick or a question)? */
export function asksFollowUp(n: NotificationSettings): boolean {
    return n.meetingCategoryField !== null || n.followUpQuestions.length > 0;
}

/**
 * The follow-up page of a meeting as a Lightning page reference (the `targetPageRef` of the
 * custom notification): the Follow-ups tab with the meeting's activity in its state.
 */
export function followUpPageRef(tabApiName: string, activityId: string): string {
    return JSON.stringify({
        type: 'standard__navItemPage',
        attributes: { apiName: tabApiName },
        state: { c__activityId: activityId }
    });
}
