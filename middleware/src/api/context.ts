import type { Response } from 'express';
import { ApiError } from '../errors';
import type { ActingUser, Caller } from '../services/caller';

export type { ActingUser };

/** What authentication leaves on a request: a service `Caller` plus where the call came from. */
export interface RequestContext extends Caller {
    requestId: string;
    apiKeyId: string;
}

export function setContext(res: Response, ctx: RequestContext): void {
    (res.locals as { ctx?: RequestContext }).ctx = ctx;
}

export function getContext(res: Response): RequestContext {
    const ctx = (res.locals as { ctx?: RequestContext }).ctx;
    if (!ctx) throw new ApiError('unauthorized', 'Missing or invalid API key');
    return ctx;
}
