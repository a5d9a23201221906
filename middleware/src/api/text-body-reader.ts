import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Request, RequestHandler } from 'express';
import { TextBody, TextBodyBuilder, UnsupportedCharsetError } from '../domain/text-body';

/** An error the app's error handler maps as it maps body-parser's (status and type). */
export function readError(status: number, type: string, message: string): Error {
    return Object.assign(new Error(message), { status, type });
}

function decompressed(req: Request): Readable {
    const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
    switch (encoding) {
        case 'identity':
            return req;
        case 'gzip':
        case 'x-gzip':
            return req.pipe(createGunzip());
        case 'deflate':
            return req.pipe(createInflate());
        case 'br':
            return req.pipe(createBrotliDecompress());
        default:
            throw readError(415, 'encoding.unsupported', `unsupported content encoding "${encoding.slice(0, 40)}"`);
    }
}

/**
 * Read the request body (decompressed as its Content-Encoding says) chunk by chunk into
 * `onChunk`, refusing more than `limit` bytes after decompression (413, before reading when the
 * Content-Length already says so). A broken or aborted stream is a 400. The rest of a refused
 * body is left unread; Node discards it once the answer is sent.
 */
export function readBody(req: Request, limit: number, onChunk: (chunk: Buffer) => void): Promise<void> {
    const declared = Number(req.get('content-length'));
    if (Number.isFinite(declared) && declared > limit && !req.get('content-encoding'))
        return Promise.reject(readError(413, 'entity.too.large', 'request entity too large'));
    const stream = decompressed(req);
    return new Promise<void>((resolve, reject) => {
        let received = 0;
        const fail = (error: Error) => {
            stream.off('data', onData);
            if (stream !== req) {
                req.unpipe();
                stream.destroy();
            }
            req.pause();
            reject(error);
        };
        const onData = (chunk: Buffer) => {
            received += chunk.length;
            if (received > limit) return fail(readError(413, 'entity.too.large', 'request entity too large'));
            onChunk(chunk);
        };
        stream.on('data', onData);
        stream.once('end', () => resolve());
        stream.once('error', (error) =>
            fail(readError(400, req.readableAborted ? 'request.aborted' : 'stream.broken', String(error)))
        );
        req.once('aborted', () => fail(readError(400, 'request.aborted', 'request aborted')));
    });
}

/**
 * SEC-6: read a text body (`types`, e.g. text/calendar, message/rfc822) of up to `limit` bytes
 * (after decompression) into a TextBody as the bytes arrive: each chunk is decoded in the charset
 * the Content-Type names and the text kept in pieces of about a megabyte. Nothing ever holds the
 * whole body in one Buffer or one string, so no step has 25 MB to copy at once (body-parser joins
 * the chunks into one Buffer, then one string: 85–110 ms each for 25 MB). Other content types
 * pass through untouched. Errors are body-parser's: 413 too large, 415 encoding or charset, 400
 * a broken stream.
 */
export function textPiecesReader(limit: number, types: string[]): RequestHandler {
    return async (req, _res, next) => {
        if (req.body !== undefined || !req.is(types)) return next();
        const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1] ?? 'utf-8';
        let builder: TextBodyBuilder;
        try {
            builder = new TextBodyBuilder(charset);
        } catch (error) {
            if (!(error instanceof UnsupportedCharsetError)) throw error;
            throw readError(415, 'charset.unsupported', error.message);
        }
        await readBody(req, limit, (chunk) => builder.write(chunk));
        req.body = builder.end() satisfies TextBody;
        next();
    };
}
