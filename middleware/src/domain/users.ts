/**
 * Users (SPEC §3): the values a user carries, their names as admins write them (CSV, seed 001
 * and 002), and the rules every other part asks about a user.
 */

export const USER_ROLES = ['admin', 'manager', 'member', 'data'] as const;
export const VISIBILITIES = ['full', 'team', 'individual'] as const;
export const LICENSES = ['foundation', 'engagement_dashboard', 'forecasting', 'unified_enterprise'] as const;
export const USER_STATUSES = ['pending', 'onboarding', 'permission_error', 'active', 'suspended'] as const;
/** Statuses the onboarding pipeline reports; `suspended` has its own calls (UT-9). */
export const PROCESSING_STATUSES = ['pending', 'onboarding', 'permission_error', 'active'] as const;

export type UserRoleValue = (typeof USER_ROLES)[number];
export type VisibilityValue = (typeof VISIBILITIES)[number];
export type LicenseValue = (typeof LICENSES)[number];
export type UserStatusValue = (typeof USER_STATUSES)[number];
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];

/** Defaults of a user added without them (UT-7, UT-5 "default settings"); the profile is the org's default (CP-9). */
export const USER_DEFAULTS = {
    role: 'member' as UserRoleValue,
    visibility: 'team' as VisibilityValue,
    licenses: ['foundation'] as LicenseValue[]
};

export const ROLE_LABELS: Record<UserRoleValue, string> = {
    admin: 'Admin',
    manager: 'Manager',
    member: 'Member',
    data: 'Data'
};

export const VISIBILITY_LABELS: Record<VisibilityValue, string> = {
    full: 'Full',
    team: 'Team',
    individual: 'Individual'
};

/** The names a CSV uses (seed 001); export writes these, import reads them and their aliases. */
export const LICENSE_LABELS: Record<LicenseValue, string> = {
    foundation: 'Foundation',
    engagement_dashboard: 'Engagement Dashboard',
    forecasting: 'Forecasting',
    unified_enterprise: 'Unified Backstory Application Enterprise'
};

const key = (s: string) =>
    s
        .trim()
        .toLowerCase()
        .replace(/[\s_-]+/g, ' ');

const licenseAliases = new Map<string, LicenseValue>();
for (const l of LICENSES) {
    licenseAliases.set(key(l), l);
    licenseAliases.set(key(LICENSE_LABELS[l]), l);
}
// UT-11: seed 002 calls the enterprise licence "PeopleGlass Enterprise"; both names, one value.
licenseAliases.set(key('PeopleGlass Enterprise'), 'unified_enterprise');
licenseAliases.set(key('peopleglass_enterprise'), 'unified_enterprise');

/** A licence name as an admin writes it (label, API value or alias), or null. */
export function parseLicense(text: string): LicenseValue | null {
    return licenseAliases.get(key(text)) ?? null;
}

/** Licences once each, in the canonical order. */
export function normalizeLicenses(values: readonly LicenseValue[]): LicenseValue[] {
    const set = new Set(values);
    return LICENSES.filter((l) => set.has(l));
}

export function parseRole(text: string): UserRoleValue | null {
    const k = key(text);
    return USER_ROLES.find((r) => r === k || key(ROLE_LABELS[r]) === k) ?? null;
}

/** Full / Team / Individual, also as seed 002 names them (Full Visibility, Team Ownership). */
export function parseVisibility(text: string): VisibilityValue | null {
    const k = key(text);
    if (k === 'full visibility') return 'full';
    if (k === 'team ownership') return 'team';
    return VISIBILITIES.find((v) => v === k) ?? null;
}

/**
 * Whether Backstory may process this user's mail and calendar (UT-9, UT-10): never while
 * suspended, never for the Data role (views data, no capture of their own).
 */
export function isProcessingAllowed(user: { status: string; role: string }): boolean {
    return user.status !== 'suspended' && user.role !== 'data';
}

/**
 * UT-8: in automatic mode these come from Salesforce and cannot be edited. A user added by hand
 * (no Salesforce user) keeps editable names and title, but stays in the Unassigned group (UT-15),
 * so the team is read-only for everyone.
 */
export function readOnlyFieldsInAutomaticMode(user: { salesforceUserId: string | null }): string[] {
    return user.salesforceUserId ? ['firstName', 'lastName', 'jobTitle', 'teamId'] : ['teamId'];
}

const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character, case-insensitive form of a 15- or 18-character Salesforce id. */
export function toSalesforceId18(id: string): string {
    if (id.length === 18) return id.slice(0, 15) + id.slice(15).toUpperCase();
    let suffix = '';
    for (let block = 0; block < 3; block++) {
        let bits = 0;
        for (let i = 0; i < 5; i++) {
            const c = id.charAt(block * 5 + i);
            if (c >= 'A' && c <= 'Z') bits |= 1 << i;
        }
        suffix += SUFFIX.charAt(bits);
    }
    return id + suffix;
}
