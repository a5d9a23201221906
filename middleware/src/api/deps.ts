import type { ServiceDeps } from '../services/deps';
import type { ActingUserResolver } from './auth';

/** Everything the HTTP app needs; tests build it with a test store and the emulator. */
export interface AppDeps extends ServiceDeps {
    /** Defaults to the users table (X-Acting-User → Backstory user). */
    resolveActingUser?: ActingUserResolver;
    /** Body limit of endpoints without their own (default 1mb, BODY_LIMITS.json); imports set theirs (SEC-6). */
    bodyLimit?: string;
}
