import type { Response } from 'express';
import type { UserRole, UserStatus, Visibility } from '../store/schema';
import { ApiError } from './errors';

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

export interface RequestContext {
    requestId: string;
    orgId: string;
    apiKeyId: string;
    /** Present when the call carries X-Acting-User; absent for the org's own key (an admin). */
    actingUser: ActingUser | null;
    /** Backstory admins: the org's API key on its own, or an acting user whose role is admin. */
    isAdmin: boolean;
    /** The operator key (TEN-1): only the tenant routes; `orgId` is empty. */
    isOperator?: boolean;
    /** Who did it, for the audit trail. */
    actor: string;
}

export function setContext(res: Response, ctx: RequestContext): void {
    (res.locals as { ctx?: RequestContext }).ctx = ctx;
}

export function getContext(res: Response): RequestContext {
    const ctx = (res.locals as { ctx?: RequestContext }).ctx;
    if (!ctx) throw new ApiError('unauthorized', 'Missing or invalid API key');
    return ctx;
}
