import ERR_KEY_TITLE from '@salesforce/label/c.Backstory_Err_Key_Title';
import ERR_KEY_TEXT from '@salesforce/label/c.Backstory_Err_Key_Text';
import ERR_KEY_STEP_1 from '@salesforce/label/c.Backstory_Err_Key_Step_1';
import ERR_KEY_STEP_2 from '@salesforce/label/c.Backstory_Err_Key_Step_2';
import ERR_KEY_STEP_3 from '@salesforce/label/c.Backstory_Err_Key_Step_3';
import ERR_NOT_USER_TITLE from '@salesforce/label/c.Backstory_Err_Not_User_Title';
import ERR_NOT_USER_YOU from '@salesforce/label/c.Backstory_Err_Not_User_You';
import ERR_NOT_USER_TEXT from '@salesforce/label/c.Backstory_Err_Not_User_Text';
import ERR_NOT_USER_STEP_1 from '@salesforce/label/c.Backstory_Err_Not_User_Step_1';
import ERR_NOT_USER_STEP_2 from '@salesforce/label/c.Backstory_Err_Not_User_Step_2';
import ERR_SF_TITLE from '@salesforce/label/c.Backstory_Err_Salesforce_Title';
import ERR_SF_TEXT from '@salesforce/label/c.Backstory_Err_Salesforce_Text';
import ERR_SF_STEP_1 from '@salesforce/label/c.Backstory_Err_Salesforce_Step_1';
import ERR_SF_STEP_2 from '@salesforce/label/c.Backstory_Err_Salesforce_Step_2';
import ERR_SF_UNKNOWN from '@salesforce/label/c.Backstory_Err_Salesforce_Unknown';
import ERR_UNREACHABLE_TITLE from '@salesforce/label/c.Backstory_Err_Unreachable_Title';
import ERR_UNREACHABLE_TEXT from '@salesforce/label/c.Backstory_Err_Unreachable_Text';
import ERR_UNREACHABLE_URL_UNKNOWN from '@salesforce/label/c.Backstory_Err_Unreachable_Url_Unknown';
import ERR_UNREACHABLE_STEP_1 from '@salesforce/label/c.Backstory_Err_Unreachable_Step_1';
import ERR_UNREACHABLE_STEP_2 from '@salesforce/label/c.Backstory_Err_Unreachable_Step_2';
import ERR_NOT_CONNECTED_TITLE from '@salesforce/label/c.Backstory_Err_Not_Connected_Title';
import ERR_NOT_CONNECTED_STEP_1 from '@salesforce/label/c.Backstory_Err_Not_Connected_Step_1';

/**
 * The wizard's words: remedies as numbered steps with links into Lightning Setup, and the errors
 * an admin meets (a refused key, an unknown user, Salesforce failing, the service unreachable)
 * as what happened and what to do next, never the developer's wording of the API.
 */

/** `{0}`-style placeholders, as custom labels carry them. */
export function format(label, ...values) {
    return label.replace(/\{(\d+)\}/g, (match, index) => (values[index] === undefined ? match : values[index]));
}

/** The Setup pages remedies name, longest first, with their Lightning Setup paths. */
const SETUP_PAGES = [
    ['Setup > Security > Named Credentials > External Credentials', '/lightning/setup/NamedCredential/home'],
    ['Setup > Security > Named Credentials', '/lightning/setup/NamedCredential/home'],
    ['Setup > Security > Sharing Settings', '/lightning/setup/SecuritySharing/home'],
    ['Setup > Users > Permission Sets', '/lightning/setup/PermSets/home'],
    ['Setup > Users > Profiles', '/lightning/setup/EnhancedProfiles/home'],
    ['Setup > Users > Users', '/lightning/setup/ManageUsers/home'],
    ['Setup > Users > Roles', '/lightning/setup/Roles/home']
];

/** One sentence as parts: plain text, and the Setup page it names as a link. */
function linkParts(sentence, key) {
    for (const [crumb, href] of SETUP_PAGES) {
        const at = sentence.indexOf(crumb);
        if (at >= 0) {
            return [
                { key: `${key}-a`, text: sentence.slice(0, at), isLink: false },
                { key: `${key}-l`, text: crumb.replace(/ > /g, ' › '), href, isLink: true },
                { key: `${key}-b`, text: sentence.slice(at + crumb.length), isLink: false }
            ].filter((p) => p.text);
        }
    }
    return [{ key: `${key}-a`, text: sentence, isLink: false }];
}

/**
 * A remedy ("Setup > Users > Permission Sets > … : select the integration user. Or …") as
 * numbered steps: one per sentence, the Setup page in each a link.
 */
export function remedySteps(remedy, keyPrefix = 'r') {
    if (!remedy) return [];
    return remedy
        .split(/(?<=[.!?])\s+(?=[A-Z(“"])/)
        .map((s) => s.trim())
        .filter(Boolean)
        .map((sentence, index) => ({
            key: `${keyPrefix}-${index}`,
            number: index + 1,
            parts: linkParts(sentence, `${keyPrefix}-${index}`)
        }));
}

/** Steps given as label texts (the error remedies). */
function steps(keyPrefix, ...texts) {
    return texts.map((text, index) => ({
        key: `${keyPrefix}-${index}`,
        number: index + 1,
        parts: linkParts(text, `${keyPrefix}-${index}`)
    }));
}

/** What Salesforce said, without error codes, support ids or record ids an admin cannot act on. */
export function plainReason(message) {
    const reason = String(message ?? '')
        .replace(/^[^:]*permissions failed:\s*/i, '')
        .replace(/\s*Please include this ErrorId[\s\S]*$/i, '')
        .replace(/\s*\(?ErrorId[\s\S]*$/i, '')
        .replace(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b:?\s*/g, '')
        .replace(/\b(?=[a-zA-Z0-9]*\d)[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?\b/g, '')
        .replace(/\s{2,}/g, ' ')
        .replace(/^[\s:;,-]+|[\s:;,-]+$/g, '')
        .trim();
    return reason || ERR_SF_UNKNOWN;
}

/** The name in "Jane Admin (Salesforce user 005…) is not a Backstory user", when the middleware knew it. */
function userName(error) {
    const detail = (error.details ?? []).find((d) => d.path === 'headers.x-acting-user' && d.name);
    if (detail) return detail.name;
    const named = /^(.+?) \(Salesforce user [^)]*\) is not a Backstory user/.exec(error.message ?? '');
    return named ? named[1] : ERR_NOT_USER_YOU;
}

/** The URL the call was sent to, when the bridge said (detail `endpoint`, or a URL in the message). */
function urlTried(error) {
    const detail = (error.details ?? []).find((d) => d.path === 'endpoint');
    if (detail?.message) return detail.message;
    const inMessage = /https?:\/\/[^\s"')]+/.exec(error.message ?? '');
    return inMessage ? inMessage[0].replace(/[.,;]$/, '') : ERR_UNREACHABLE_URL_UNKNOWN;
}

/**
 * An error the wizard knows how to explain: { kind, title, text, steps }. Others (a validation
 * message, an unknown code) return null and go to c/errorPanel as they are.
 */
export function explainError(error) {
    if (!error) return null;
    const message = error.message ?? '';
    switch (error.code) {
        case 'unauthorized':
            return {
                kind: 'key',
                title: ERR_KEY_TITLE,
                text: ERR_KEY_TEXT,
                steps: steps('key', ERR_KEY_STEP_1, ERR_KEY_STEP_2, ERR_KEY_STEP_3)
            };
        case 'forbidden':
            if (!/not a Backstory user/i.test(message)) return null;
            return {
                kind: 'not_user',
                title: format(ERR_NOT_USER_TITLE, userName(error)),
                text: ERR_NOT_USER_TEXT,
                steps: steps('user', ERR_NOT_USER_STEP_1, ERR_NOT_USER_STEP_2)
            };
        case 'salesforce_error':
            return {
                kind: 'salesforce',
                title: ERR_SF_TITLE,
                text: format(ERR_SF_TEXT, plainReason(message)),
                steps: steps('sf', ERR_SF_STEP_1, ERR_SF_STEP_2)
            };
        case 'unreachable':
            return {
                kind: 'unreachable',
                title: ERR_UNREACHABLE_TITLE,
                text: format(ERR_UNREACHABLE_TEXT, urlTried(error)),
                steps: steps('down', ERR_UNREACHABLE_STEP_1, ERR_UNREACHABLE_STEP_2)
            };
        case 'conflict':
            if (!/connect/i.test(message)) return null;
            return {
                kind: 'not_connected',
                title: ERR_NOT_CONNECTED_TITLE,
                text: plainReason(message),
                steps: steps('connect', ERR_NOT_CONNECTED_STEP_1)
            };
        default:
            return null;
    }
}
