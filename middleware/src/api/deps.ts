import type { Logger } from '../logger';
import type { SalesforceGateway } from '../salesforce/connection';
import type { Store } from '../store/db';
import type { WriteBack } from '../services/activity-writes';
import type { WritebackScheduler } from '../services/writeback';
import type { ActingUserResolver } from './auth';

/** Everything the HTTP app needs; tests build it with a test store and the emulator. */
export interface AppDeps {
    store: Store;
    logger: Logger;
    salesforce: SalesforceGateway;
    /** Defaults to the users table (X-Acting-User → Backstory user). */
    resolveActingUser?: ActingUserResolver;
    /** JSON body limit (default 1mb); text bodies (CSV, .eml, .ics) get `textBodyLimit` (default 25mb). */
    bodyLimit?: string;
    textBodyLimit?: string;
    clock?: () => Date;
    /** Asks the job queue for a write-back run soon after intake (set once the queue runs). */
    writebackScheduler?: WritebackScheduler | undefined;
    /** Where rep features send changed activities and follow-up answers (default: the outbox, services/rep-write-back.ts). */
    writeBack?: WriteBack;
}
