import type { SecretBox } from '../crypto/secret-box';
import type { ServiceDeps } from '../services/deps';
import type { WriteBack } from '../services/activity-writes';
import type { OAuthClient } from '../services/salesforce-connections';
import type { ActingUserResolver } from './auth';

/** Everything the HTTP app needs; tests build it with a test store and the emulator. */
export interface AppDeps extends ServiceDeps {
    /** Seals Salesforce secrets at rest (TEN-2). */
    secrets: SecretBox;
    /** The Backstory connected app of the OAuth connect flow; without it `POST /v1/org/connection/oauth` answers 409. */
    oauth?: OAuthClient | null;
    /** TEN-1 operator key (BACKSTORY_OPERATOR_KEY): creates and lists tenants, reads no tenant data. */
    operatorKey?: string | undefined;
    /** Defaults to the users table (X-Acting-User → Backstory user). */
    resolveActingUser?: ActingUserResolver;
    /** Body limit of endpoints without their own (default 1mb, BODY_LIMITS.json); imports set theirs (SEC-6). */
    bodyLimit?: string;
    /** Where rep features send changed activities and follow-up answers (default: the outbox, services/rep-write-back.ts). */
    writeBack?: WriteBack;
}
