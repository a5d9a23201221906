import type { ServiceDeps } from '../services/deps';
import type { ActingUserResolver } from './auth';

/** Everything the HTTP app needs; tests build it with a test store and the emulator. */
export interface AppDeps extends ServiceDeps {
    /** Defaults to the users table (X-Acting-User → Backstory user). */
    resolveActingUser?: ActingUserResolver;
    /** JSON body limit (default 1mb); text bodies (CSV, .eml, .ics) get `textBodyLimit` (default 25mb). */
    bodyLimit?: string;
    textBodyLimit?: string;
}
