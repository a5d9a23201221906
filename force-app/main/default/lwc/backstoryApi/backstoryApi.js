import send from '@salesforce/apex/BackstoryApiProxy.send';
import canAssignPermissionSetApex from '@salesforce/apex/BackstoryPermissionSetup.canAssignPermissionSet';
import assignPermissionSetApex from '@salesforce/apex/BackstoryPermissionSetup.assignPermissionSet';
import fieldLabelsApex from '@salesforce/apex/BackstoryPermissionSetup.fieldLabels';

/**
 * The one way LWCs reach the Backstory middleware: through the Apex proxy, which adds the API
 * key (named credential) and the acting user. Answers are parsed JSON; failures are normalised
 * to { status, code, message, details } whatever layer they came from.
 */
export async function request(method, path, body) {
    let text;
    try {
        text = await send({ method, path, body: body === undefined || body === null ? null : JSON.stringify(body) });
    } catch (error) {
        throw normalizeError(error);
    }
    if (!text) return null; // 204 No Content (DELETE)
    try {
        return JSON.parse(text);
    } catch {
        // Callers get the one error shape for every failure, never a SyntaxError.
        const invalid = {
            status: 0,
            code: 'invalid_response',
            message: 'The Backstory middleware did not answer JSON',
            details: []
        };
        throw invalid;
    }
}

/** A GET whose answer is not JSON (the users CSV export): the text as it came. */
export async function getText(path) {
    try {
        return (await send({ method: 'GET', path, body: null })) ?? '';
    } catch (error) {
        throw normalizeError(error);
    }
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const put = (path, body) => request('PUT', path, body);
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);

// PERM-8: what the setup wizard does in Salesforce itself, as the admin (not through the middleware,
// whose integration user cannot grant itself rights): BackstoryPermissionSetup.cls.

/** Whether the admin may assign permission sets; false when Salesforce cannot tell. */
export async function canAssignPermissionSet() {
    try {
        return (await canAssignPermissionSetApex()) === true;
    } catch {
        return false;
    }
}

/** Assign Backstory Standard Permissions to the integration user: { assigned, created, permissionSet, userName }. */
export async function assignPermissionSet(userId) {
    try {
        return await assignPermissionSetApex({ userId });
    } catch (error) {
        throw normalizeError(error);
    }
}

/** Labels of `Object.Field` names, in the admin's language ({ 'Opportunity.StageName': 'Stage' }); {} on failure. */
export async function fieldLabels(fields) {
    if (!fields || fields.length === 0) return {};
    try {
        return (await fieldLabelsApex({ fields })) ?? {};
    } catch {
        return {};
    }
}

/** An Apex/Aura error, a middleware error envelope or a plain Error, as one shape. */
export function normalizeError(error) {
    const raw = error?.body?.message ?? error?.message ?? String(error);
    try {
        const parsed = JSON.parse(raw);
        if (parsed && typeof parsed === 'object' && parsed.message) {
            return {
                status: parsed.status ?? 0,
                code: parsed.code ?? 'unknown',
                message: parsed.message,
                details: Array.isArray(parsed.details) ? parsed.details : []
            };
        }
    } catch {
        // not JSON: a platform error message
    }
    return { status: 0, code: 'unknown', message: raw, details: [] };
}
