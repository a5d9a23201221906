import TITLE_VALIDATION from '@salesforce/label/c.Backstory_Error_Validation';
import TITLE_CONFLICT from '@salesforce/label/c.Backstory_Error_Conflict';
import TITLE_FORBIDDEN from '@salesforce/label/c.Backstory_Error_Forbidden';
import TITLE_NOT_FOUND from '@salesforce/label/c.Backstory_Error_Not_Found';
import TITLE_UNAUTHORIZED from '@salesforce/label/c.Backstory_Error_Unauthorized';
import TITLE_SALESFORCE from '@salesforce/label/c.Backstory_Error_Salesforce';
import TITLE_UNREACHABLE from '@salesforce/label/c.Backstory_Error_Unreachable';
import TITLE_UNKNOWN from '@salesforce/label/c.Backstory_Error_Unknown';

/**
 * The API's error envelope ({ status, code, message, details }, as c/backstoryApi normalises it)
 * in an admin's words: a title that says what kind of problem it is and what to do next, the
 * middleware's own sentence, and one line per field.
 */
const TITLES = {
    validation_failed: TITLE_VALIDATION,
    conflict: TITLE_CONFLICT,
    forbidden: TITLE_FORBIDDEN,
    not_found: TITLE_NOT_FOUND,
    unauthorized: TITLE_UNAUTHORIZED,
    salesforce_error: TITLE_SALESFORCE,
    unreachable: TITLE_UNREACHABLE
};

/** `activity.intakeData` → `Activity › Intake Data`-style words when a label is known, else the path. */
function labelFor(path, fieldLabels) {
    if (!path) return '';
    if (fieldLabels && fieldLabels[path]) return fieldLabels[path];
    return path;
}

export function describeError(error, fieldLabels) {
    if (!error) return null;
    const code = error.code ?? 'unknown';
    const details = Array.isArray(error.details) ? error.details : [];
    return {
        code,
        title: TITLES[code] ?? TITLE_UNKNOWN,
        message: error.message ?? '',
        details: details.map((d, index) => ({
            key: `${d.path ?? ''}-${index}`,
            path: d.path ?? '',
            field: labelFor(d.path, fieldLabels),
            message: d.message ?? ''
        }))
    };
}

/**
 * Field-level messages keyed by the API path (`name`, `matching.minScore`,
 * `items.2.filters.0.value`), to show beside the input that caused them.
 */
export function fieldMessages(error) {
    const out = {};
    for (const d of error?.details ?? []) {
        if (!d.path) continue;
        out[d.path] = out[d.path] ? `${out[d.path]}; ${d.message}` : d.message;
    }
    return out;
}

/** The first message whose path starts with `prefix` (a group, a row), or ''. */
export function messageUnder(messages, prefix) {
    const key = Object.keys(messages ?? {}).find((k) => k === prefix || k.startsWith(`${prefix}.`));
    return key ? messages[key] : '';
}
