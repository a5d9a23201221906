import { Worker } from 'node:worker_threads';
import type { RequestHandler } from 'express';
import { readBody, readError } from './text-body-reader';

/** Elements of a long array sent back in one message (SEC-6: a message is one task to read). */
const SLICE = 25;

/**
 * The thread that parses large JSON bodies. Inline CommonJS (`eval`), so it runs the same under
 * tsx, node and jest. It receives the body's bytes as transferred blocks (no copy), joins and
 * decodes them and parses, strict like body-parser (the top level is an object or an array).
 * A top-level object comes back as a shell whose long arrays are empty, and their elements
 * SLICE at a time as this thread is asked for them: reading one message of 25 MB would be one
 * long task on the event loop; 40 of a few hundred KB, asked one after another, are not.
 */
const PARSER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const SLICE = ${SLICE};
const held = new Map();
parentPort.on('message', (m) => {
    if (m.take !== undefined) {
        const value = held.get(m.id);
        parentPort.postMessage({ id: m.id, items: value[m.take].slice(m.from, m.from + SLICE) });
        return;
    }
    if (m.done) return void held.delete(m.id);
    try {
        const text = new TextDecoder().decode(Buffer.concat(m.blocks.map((b) => new Uint8Array(b))));
        const first = /^[\\x20\\x09\\x0a\\x0d]*(.)/.exec(text);
        if (first === null) return parentPort.postMessage({ id: m.id, value: {} });
        if (first[1] !== '{' && first[1] !== '[') throw new SyntaxError('the top level is not an object or an array');
        const value = JSON.parse(text);
        const long = value !== null && !Array.isArray(value) && typeof value === 'object'
            ? Object.keys(value).filter((k) => Array.isArray(value[k]) && value[k].length > SLICE)
            : [];
        if (long.length === 0) return parentPort.postMessage({ id: m.id, value });
        held.set(m.id, value);
        const shell = { ...value };
        const lengths = {};
        for (const k of long) {
            lengths[k] = value[k].length;
            shell[k] = [];
        }
        parentPort.postMessage({ id: m.id, value: shell, lengths });
    } catch (error) {
        parentPort.postMessage({ id: m.id, error: String(error && error.message) });
    }
});
`;

/** The thread's parse, in this thread (a body of one block). */
function parseStrict(block: ArrayBuffer | undefined): unknown {
    const text = block ? new TextDecoder().decode(block) : '';
    const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(text);
    if (first === null) return {};
    try {
        if (first[1] !== '{' && first[1] !== '[') throw new SyntaxError('the top level is not an object or an array');
        return JSON.parse(text) as unknown;
    } catch (error) {
        throw readError(400, 'entity.parse.failed', (error as Error).message);
    }
}

type Answer = { id: number; value?: unknown; lengths?: Record<string, number>; items?: unknown[]; error?: string };

/** The parser thread: started for a large body, stopped once no body waits for it. */
class JsonParserThread {
    private worker: Worker | null = null;
    private next = 0;
    private readonly pending = new Map<number, { resolve(answer: Answer): void; reject(e: Error): void }>();

    async parse(blocks: ArrayBuffer[]): Promise<unknown> {
        const worker = this.start();
        const id = this.next++;
        try {
            const first = await this.ask(worker, id, { id, blocks }, blocks);
            if (first.error !== undefined) throw readError(400, 'entity.parse.failed', first.error);
            const value = first.value as Record<string, unknown[]>;
            for (const [key, length] of Object.entries(first.lengths ?? {})) {
                const items: unknown[] = [];
                for (let from = 0; from < length; from += SLICE)
                    items.push(...((await this.ask(worker, id, { id, take: key, from })).items ?? []));
                value[key] = items;
            }
            return value;
        } finally {
            this.pending.delete(id);
            worker.postMessage({ id, done: true });
            this.stopIfIdle(worker);
        }
    }

    private ask(worker: Worker, id: number, message: object, transfer: ArrayBuffer[] = []): Promise<Answer> {
        return new Promise((resolve, reject) => {
            this.pending.set(id, { resolve, reject });
            worker.postMessage(message, transfer);
        });
    }

    // Idle: the thread goes (a thread left waiting would hold a stopping process up).
    private stopIfIdle(worker: Worker): void {
        if (this.pending.size > 0 || this.worker !== worker) return;
        this.worker = null;
        void worker.terminate();
    }

    private start(): Worker {
        if (this.worker) return this.worker;
        const worker = new Worker(PARSER_SOURCE, { eval: true });
        worker.on('message', (answer: Answer) => this.pending.get(answer.id)?.resolve(answer));
        // A thread that fails fails the bodies waiting for it (a stopped idle thread has none).
        const fail = (error: Error) => {
            if (this.worker !== worker) return;
            this.worker = null;
            for (const waiting of this.pending.values()) waiting.reject(error);
            this.pending.clear();
        };
        worker.on('error', fail);
        worker.on('exit', () => fail(new Error('the JSON parser thread stopped')));
        this.worker = worker;
        return worker;
    }
}

const parserThread = new JsonParserThread();

/**
 * SEC-6: read a JSON body and, when it is over a megabyte (up to a 25 MB batch), parse it in
 * another thread. body-parser would join the chunks into one string and `JSON.parse` it here,
 * holding the event loop for 250–400 ms at 25 MB; here the chunks are copied into megabyte
 * blocks as they arrive, the blocks are handed over without a copy, and only the parsed value
 * comes back (its strings copied once). Bodies of other types pass through. Errors are
 * body-parser's: 413, 415, 400 not valid JSON.
 */
export function largeJsonReader(limit: number, types: string[]): RequestHandler {
    return async (req, _res, next) => {
        if (req.body !== undefined || !req.is(types)) return next();
        const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1];
        if (charset && !/^utf-?8$/i.test(charset))
            throw readError(415, 'charset.unsupported', `unsupported charset "${charset.slice(0, 40).toUpperCase()}"`);
        const blocks: ArrayBuffer[] = [];
        let block = new Uint8Array(0);
        let used = 0;
        await readBody(req, limit, (chunk) => {
            for (let at = 0; at < chunk.length;) {
                if (used === block.length) {
                    if (block.length > 0) blocks.push(block.buffer as ArrayBuffer);
                    block = new Uint8Array(1024 * 1024);
                    used = 0;
                }
                const n = Math.min(block.length - used, chunk.length - at);
                block.set(chunk.subarray(at, at + n), used);
                used += n;
                at += n;
            }
        });
        if (used > 0) blocks.push(block.buffer.slice(0, used) as ArrayBuffer);
        // A body of one block (up to a megabyte, most batches) costs less to parse here than to send.
        req.body = blocks.length > 1 ? await parserThread.parse(blocks) : parseStrict(blocks[0]);
        next();
    };
}
