import { startPreview } from './server';

// `npm run preview`: the LWC preview alone, against a running middleware
// (MIDDLEWARE_URL, BACKSTORY_API_KEY, PREVIEW_PORT). `npm start` runs it with everything else.
async function main(): Promise<void> {
    const middlewareUrl = process.env.MIDDLEWARE_URL ?? 'http://127.0.0.1:3000';
    const apiKey = process.env.BACKSTORY_API_KEY;
    if (!apiKey) {
        process.stderr.write('BACKSTORY_API_KEY: is required (the key npm start prints)\n');
        process.exit(78);
    }
    const port = Number(process.env.PREVIEW_PORT ?? 3001);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`PREVIEW_PORT: must be a port number, got ${process.env.PREVIEW_PORT}\n`);
        process.exit(78);
    }
    const preview = await startPreview({ port, middlewareUrl, apiKey, actingUser: process.env.PREVIEW_ACTING_USER });
    process.stdout.write(`LWC preview on ${preview.url} (middleware ${middlewareUrl})\n`);
    process.once('SIGINT', () => void preview.close().then(() => process.exit(0)));
}

void main();
