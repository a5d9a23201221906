import type { UserRole, UserStatus, Visibility } from '../store/schema';

/** The Backstory user a call from Salesforce acts as (X-Acting-User, SEC-1). */
export interface ActingUser {
    userId: string;
    email: string;
    salesforceUserId: string;
    role: UserRole;
    visibility: Visibility;
    teamId: string | null;
    status: UserStatus;
}

/**
 * Who asks a service to do something: the org, the acting user (role and visibility, SEC-2) and
 * the name the audit trail records. No HTTP types: routes pass their request context, jobs build
 * one with `systemCaller`.
 */
export interface Caller {
    orgId: string;
    /** Absent (null) for the org's own key and for jobs: they act as an admin. */
    actingUser: ActingUser | null;
    /** Backstory admins: the org's API key on its own, or an acting user whose role is admin. */
    isAdmin: boolean;
    /** Who did it, for the audit trail (`api-key:<id>`, `user:<email>`, `system:<job>`). */
    actor: string;
}

/** A job acting for the org (the scheduled sync, the CRM pull). */
export const systemCaller = (orgId: string, job: string): Caller => ({
    orgId,
    actingUser: null,
    isAdmin: true,
    actor: `system:${job}`
});
