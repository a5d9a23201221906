import type { Logger } from '../logger';
import type { SalesforceGateway } from '../salesforce/connection';
import type { Store } from '../store/db';
import type { WritebackScheduler } from './writeback';

/** What every service needs: the store, Salesforce and a logger. Routes and jobs pass the same. */
export interface ServiceDeps {
    store: Store;
    logger: Logger;
    salesforce: SalesforceGateway;
    clock?: () => Date;
    /** Asks the job queue for a write-back run soon after intake (set once the queue runs, MATCH-6). */
    writebackScheduler?: WritebackScheduler | undefined;
}
