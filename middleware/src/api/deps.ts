import type { Logger } from '../logger';
import type { SalesforceGateway } from '../salesforce/connection';
import type { Store } from '../store/db';
import type { ActingUserResolver } from './auth';

/** Everything the HTTP app needs; tests build it with a test store and the emulator. */
export interface AppDeps {
    store: Store;
    logger: Logger;
    salesforce: SalesforceGateway;
    /** Defaults to the users table (X-Acting-User → Backstory user). */
    resolveActingUser?: ActingUserResolver;
    /** Body limit of endpoints without their own (default 1mb, BODY_LIMITS.json); imports set theirs (SEC-6). */
    bodyLimit?: string;
    clock?: () => Date;
}
