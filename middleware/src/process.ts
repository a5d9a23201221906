import { EnvError, parseEnv } from './config/env';
import { StartOptionError } from './config/start-options';
import { createLogger } from './logger';
import { startMiddleware, type Role } from './main';

/**
 * One middleware process (SCALE-1): `server.ts` and `worker.ts` (`npm run worker`) call this.
 * `forcedRole` is the role of the entry point (`npm run worker` is a worker); BACKSTORY_ROLE
 * may repeat it, but may not say otherwise. Every variable is checked before the store opens.
 */
export async function runProcess(forcedRole?: Role): Promise<void> {
    let env;
    try {
        env = parseEnv(
            forcedRole ? { ...process.env, BACKSTORY_ROLE: process.env.BACKSTORY_ROLE || forcedRole } : process.env
        );
        if (forcedRole && env.BACKSTORY_ROLE !== forcedRole)
            throw new EnvError(
                `Invalid environment variable(s):\n  BACKSTORY_ROLE: is ${env.BACKSTORY_ROLE}, but this command starts the ${forcedRole} role; unset it or set ${forcedRole}`
            );
    } catch (error) {
        if (error instanceof EnvError) {
            process.stderr.write(`${error.message}\n`);
            process.exit(78);
        }
        throw error;
    }
    if (!env.BACKSTORY_API_KEY) {
        process.stderr.write(
            'BACKSTORY_API_KEY: is required to run the middleware on its own (npm start makes a dev key)\n'
        );
        process.exit(78);
    }
    const logger = createLogger(env.LOG_LEVEL);
    let running;
    try {
        running = await startMiddleware({ env, apiKey: env.BACKSTORY_API_KEY, logger });
    } catch (error) {
        // A start-up option that cannot work (an unreadable key file, say): named, nothing opened.
        if (error instanceof StartOptionError) {
            process.stderr.write(`${error.message}\n`);
            process.exit(78);
        }
        throw error;
    }
    if (running.role === 'worker') logger.info({ role: running.role, health: running.url || null }, 'worker running');
    else logger.info({ role: running.role, url: running.url }, 'middleware listening');
    const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        running.close().then(
            () => process.exit(0),
            (error: unknown) => {
                logger.error({ err: error }, 'shutdown failed');
                process.exit(1);
            }
        );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
}
