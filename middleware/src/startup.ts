import type { Env } from './config/env';
import { secretBoxFromEnv } from './config/secret-keys';
import { checkStartOptions, StartOptionError } from './config/start-options';
import type { SecretBox } from './crypto/secret-box';
import type { JobOptions } from './jobs';
import { jwtAuthFromEnv, type SalesforceAuth } from './salesforce/connection';

/** What `startMiddleware` is given besides its logger: the parsed environment and its options. */
export interface StartInput {
    env: Env;
    apiKey: string;
    salesforceAuth?: SalesforceAuth | null;
    secrets?: SecretBox;
    oauthClient?: { clientId: string; clientSecret?: string | undefined } | null;
    jobs?: JobOptions | false;
}

/** The start-up options checked and the files they name read, ready to start with. */
export interface Startup {
    /** The Salesforce auth to connect the local org with at start-up (null: leave it as stored). */
    auth: SalesforceAuth | null;
    secrets: SecretBox;
}

const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;

/**
 * Every start-up option, checked before the store opens or the server listens: the options given
 * to `startMiddleware` (API key, OAuth client, job queue options), the JWT private key file and
 * the secret key. A bad one throws StartOptionError naming it, and nothing has been opened.
 * (The environment itself was checked by parseEnv; this reads the files it points at.)
 */
export function resolveStartup(input: StartInput): Startup {
    checkStartOptions(input);
    let auth: SalesforceAuth | null;
    if (input.salesforceAuth === undefined) {
        try {
            auth = jwtAuthFromEnv(input.env);
        } catch (error) {
            throw new StartOptionError('SF_PRIVATE_KEY_FILE', `cannot be read (${(error as Error).message})`);
        }
        if (auth?.kind === 'jwt' && !PEM_PRIVATE_KEY.test(auth.privateKey))
            throw new StartOptionError('SF_PRIVATE_KEY_FILE', 'is not a PEM private key (-----BEGIN PRIVATE KEY-----)');
    } else auth = input.salesforceAuth;
    let secrets = input.secrets;
    if (!secrets) {
        try {
            secrets = secretBoxFromEnv(input.env).box;
        } catch (error) {
            const message = (error as Error).message;
            const named = /^([A-Z][A-Z0-9_]+): ([\s\S]*)$/.exec(message);
            throw named
                ? new StartOptionError(named[1]!, named[2]!)
                : new StartOptionError(
                      'BACKSTORY_SECRET_KEY',
                      `is not set and the dev key in DATA_DIR cannot be used (${message})`
                  );
        }
    }
    return { auth, secrets };
}
