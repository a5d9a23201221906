import type { NextFunction, Request, Response } from 'express';
import { orgOfApiKey, salesforceUserName, type ActingUserResolver } from '../services/auth';
import { operatorKeyCheck } from '../services/tenants';
import type { ServiceDeps } from '../services/deps';
import { ApiError, invalid } from './errors';
import { setContext, type ActingUser } from './context';

export type { ActingUserResolver };

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * API-key authentication (SEC-1): `Authorization: Bearer <key>` names the org; X-Acting-User,
 * when present, makes the call run as that Backstory user (SEC-2). Suspended users have no
 * access (UT-9).
 */
export function authenticate(deps: ServiceDeps, resolveActingUser: ActingUserResolver, operatorKey?: string) {
    const isOperatorKey = operatorKeyCheck(operatorKey);
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
        const header = req.get('authorization') ?? '';
        const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
        if (!match?.[1])
            throw new ApiError('unauthorized', 'Missing or invalid API key: send Authorization: Bearer <key>');
        if (isOperatorKey(match[1])) {
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
        const found = await orgOfApiKey(deps.store.db, match[1]);
        if (!found) throw new ApiError('unauthorized', 'Missing or invalid API key: send Authorization: Bearer <key>');

        const acting = req.get('x-acting-user');
        let actingUser: ActingUser | null = null;
        if (acting !== undefined) {
            if (!SALESFORCE_ID.test(acting)) {
                throw invalid('headers.x-acting-user', 'must be a 15- or 18-character Salesforce user id');
            }
            actingUser = await resolveActingUser(found.orgId, acting);
            if (!actingUser) {
                // Named when the user sync knows them: the setup wizard tells the admin who it is.
                const name = await salesforceUserName(deps.store.db, found.orgId, acting);
                throw new ApiError(
                    'forbidden',
                    name
                        ? `${name} (Salesforce user ${acting}) is not a Backstory user of this org`
                        : `Salesforce user ${acting} is not a Backstory user of this org`
                );
            }
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
