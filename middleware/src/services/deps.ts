import type { Logger } from '../logger';
import type { SalesforceGateway } from '../salesforce/connection';
import type { Store } from '../store/db';

/** What every service needs: the store, Salesforce and a logger. Routes and jobs pass the same. */
export interface ServiceDeps {
    store: Store;
    logger: Logger;
    salesforce: SalesforceGateway;
    clock?: () => Date;
}
