import type { UserStatusValue } from './users';

/**
 * UT-13: how a user moves between Pending, Onboarding, Active and Permission Errors. Suspended is
 * UT-9's (an admin, or Salesforce deactivating the user in automatic mode) and no event here
 * changes it. The rules, as docs/users-and-teams.md states them:
 *
 * - A new user is Pending, or Onboarding when linked to a Salesforce user Backstory knows to be
 *   active (the sync, a role import, or a link the last sync saw active).
 * - Pending → Onboarding: linked to an active Salesforce user.
 * - Pending or Onboarding → Active: their first activity is captured.
 * - Pending, Onboarding or Active → Permission Errors: linked to a Salesforce user Backstory knows
 *   to be inactive, or a write-back with them as owner is refused because of the owner.
 * - Permission Errors → back: a write-back as owner succeeds (→ Active), or the admin links an
 *   active Salesforce user (→ Active if they have captured activity, else Onboarding), or
 *   unlinks them (→ Active with activity, else Pending).
 * - Onboarding → Pending: the Salesforce link is removed before any activity came in.
 */
export type LifecycleEvent =
    /** Linked to a Salesforce user; `salesforceActive` null: Backstory has not seen that user. */
    | { kind: 'linked'; salesforceActive: boolean | null }
    | { kind: 'unlinked' }
    | { kind: 'activity_captured' }
    | { kind: 'owner_refused' }
    | { kind: 'owner_accepted' };

export interface LifecycleFacts {
    /** At least one activity of theirs is stored. */
    hasActivity: boolean;
}

/** The status a user starts with. */
export function initialStatus(link: { salesforceActive: boolean | null } | null): UserStatusValue {
    if (!link || link.salesforceActive === null) return 'pending';
    return link.salesforceActive ? 'onboarding' : 'permission_error';
}

/** Whether the event may need `hasActivity` (the caller looks it up only then). */
export function needsActivityFact(current: UserStatusValue, event: LifecycleEvent): boolean {
    return current === 'permission_error' && (event.kind === 'linked' || event.kind === 'unlinked');
}

/** The status after `event`; the same status when the event changes nothing (idempotent). */
export function nextStatus(current: UserStatusValue, event: LifecycleEvent, facts: LifecycleFacts): UserStatusValue {
    if (current === 'suspended') return current;
    switch (event.kind) {
        case 'linked':
            if (event.salesforceActive === null) return current;
            if (!event.salesforceActive) return 'permission_error';
            if (current === 'pending') return 'onboarding';
            if (current === 'permission_error') return facts.hasActivity ? 'active' : 'onboarding';
            return current;
        case 'unlinked':
            if (current === 'onboarding') return 'pending';
            if (current === 'permission_error') return facts.hasActivity ? 'active' : 'pending';
            return current;
        case 'activity_captured':
            return current === 'pending' || current === 'onboarding' ? 'active' : current;
        case 'owner_refused':
            return 'permission_error';
        case 'owner_accepted':
            return current === 'permission_error' ? 'active' : current;
    }
}

/** Why the status changed, in an admin's words (kept in the audit record). */
export function lifecycleCause(event: LifecycleEvent): string {
    switch (event.kind) {
        case 'linked':
            return event.salesforceActive
                ? 'linked to an active Salesforce user'
                : 'linked to an inactive Salesforce user';
        case 'unlinked':
            return 'the Salesforce user link was removed';
        case 'activity_captured':
            return 'an activity of theirs was captured';
        case 'owner_refused':
            return 'Salesforce refused them as the owner of a written activity';
        case 'owner_accepted':
            return 'an activity was written to Salesforce with them as owner';
    }
}
