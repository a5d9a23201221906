import { EnvError, parseEnv } from './config/env';
import { StartOptionError } from './config/start-options';
import { createLogger } from './logger';
import { startMiddleware } from './main';

// The middleware alone (a real org by JWT, or no org). `npm start` runs the whole local stack.
async function main(): Promise<void> {
    let env;
    try {
        env = parseEnv();
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
    logger.info({ url: running.url }, 'middleware listening');
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

void main();
