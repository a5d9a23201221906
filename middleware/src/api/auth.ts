import type { NextFunction, Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import { timingSafeEqual } from 'node:crypto';
import { findOrgByApiKey, hashApiKey } from '../store/orgs';
import { ApiError, invalid } from './errors';
import { setContext, type ActingUser } from './context';

/** Resolves X-Acting-User to a Backstory user of the org; null when there is none. */
export type ActingUserResolver = (orgId: string, salesforceUserId: string) => Promise<ActingUser | null>;

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Default resolver: the users table, matched on the user's Salesforce id (15 or 18 chars). */
export function usersTableResolver(db: Kysely<Database>): ActingUserResolver {
    return async (orgId, salesforceUserId) => {
        const candidates = [salesforceUserId];
        if (salesforceUserId.length === 18) candidates.push(salesforceUserId.slice(0, 15));
        const row = await db
            .selectFrom('users')
            .select(['id', 'email', 'salesforce_user_id', 'role', 'visibility', 'team_id', 'status'])
            .where('org_id', '=', orgId)
            .where('salesforce_user_id', 'in', candidates)
            .executeTakeFirst();
        if (!row?.salesforce_user_id) return null;
        return {
            userId: row.id,
            email: row.email,
            salesforceUserId: row.salesforce_user_id,
            role: row.role,
            visibility: row.visibility,
            teamId: row.team_id,
            status: row.status
        };
    };
}

/**
 * API-key authentication (SEC-1): `Authorization: Bearer <key>` names the org; X-Acting-User,
 * when present, makes the call run as that Backstory user (SEC-2). Suspended users have no
 * access (UT-9).
 */
export function authenticate(db: Kysely<Database>, resolveActingUser: ActingUserResolver, operatorKey?: string) {
    const operatorHash = operatorKey ? Buffer.from(hashApiKey(operatorKey), 'hex') : null;
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
        const header = req.get('authorization') ?? '';
        const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
        if (!match?.[1])
            throw new ApiError('unauthorized', 'Missing or invalid API key: send Authorization: Bearer <key>');
        if (operatorHash && timingSafeEqual(Buffer.from(hashApiKey(match[1]), 'hex'), operatorHash)) {
            // TEN-1: the operator key names no org and acts as no user.
            setContext(res, {
                requestId: String(req.id),
                orgId: '',
                apiKeyId: 'operator',
                actingUser: null,
                isAdmin: false,
                isOperator: true,
                actor: 'operator'
            });
            next();
            return;
        }
        const found = await findOrgByApiKey(db, match[1]);
        if (!found) throw new ApiError('unauthorized', 'Missing or invalid API key: send Authorization: Bearer <key>');

        const acting = req.get('x-acting-user');
        let actingUser: ActingUser | null = null;
        if (acting !== undefined) {
            if (!SALESFORCE_ID.test(acting)) {
                throw invalid('headers.x-acting-user', 'must be a 15- or 18-character Salesforce user id');
            }
            actingUser = await resolveActingUser(found.orgId, acting);
            if (!actingUser)
                throw new ApiError('forbidden', `Salesforce user ${acting} is not a Backstory user of this org`);
            if (actingUser.status === 'suspended') throw new ApiError('forbidden', 'This Backstory user is suspended');
        }
        setContext(res, {
            requestId: String(req.id),
            orgId: found.orgId,
            apiKeyId: found.keyId,
            actingUser,
            isAdmin: actingUser === null || actingUser.role === 'admin',
            actor: actingUser ? `user:${actingUser.email}` : `api-key:${found.keyId}`
        });
        next();
    };
}
