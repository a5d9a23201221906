import { TextDecoder } from 'node:util';
import { timeSlicer } from './limits';

/** About the size of each piece, in characters. */
const PIECE_BYTES = 1024 * 1024;

/** The body names a charset this runtime has no decoder for. */
export class UnsupportedCharsetError extends Error {
    constructor(readonly charset: string) {
        super(`unsupported charset "${charset.slice(0, 40).toUpperCase()}"`);
    }
}

/**
 * SEC-6: a large text body (an .ics or .eml of up to 25 MB) as the pieces it was decoded in,
 * each about a megabyte, never joined into one string. V8 joins a string built piece by piece
 * the first time anything reads it, in one step: for 25 MB that step alone held the event loop
 * for over 100 ms. Readers go through `lines()` (or the pieces), a megabyte at a time.
 *
 * Pieces end on whole characters (a surrogate pair is never split between two pieces).
 */
export class TextBody {
    private constructor(readonly pieces: readonly string[]) {}

    /**
     * A string already in memory (a users CSV, a test), without a leading BOM, in pieces of
     * PIECE_BYTES characters (slices of it, not copies; a surrogate pair is never split).
     */
    static of(text: string): TextBody {
        const clean = text.replace(/^\uFEFF/, '');
        const pieces: string[] = [];
        for (let start = 0; start < clean.length;) {
            let end = Math.min(start + PIECE_BYTES, clean.length);
            const last = clean.charCodeAt(end - 1);
            if (end < clean.length && last >= 0xd800 && last <= 0xdbff) end++;
            pieces.push(clean.slice(start, end));
            start = end;
        }
        return new TextBody(pieces);
    }

    /** Pieces as they are (TextBodyBuilder). */
    static fromPieces(pieces: readonly string[]): TextBody {
        return new TextBody(pieces.filter((piece) => piece !== ''));
    }

    /** Characters in all (UTF-16 code units). */
    get length(): number {
        let n = 0;
        for (const piece of this.pieces) n += piece.length;
        return n;
    }

    /** Whether the body holds nothing but white space. */
    isBlank(): boolean {
        return this.pieces.every((piece) => piece.trim() === '');
    }

    /** Whether the text ends with `suffix` (at most one piece long). */
    endsWith(suffix: string): boolean {
        return (this.pieces[this.pieces.length - 1] ?? '').endsWith(suffix);
    }

    /**
     * The lines (split on LF; a CR before it is dropped), read lazily across pieces. A line
     * longer than `maxChars` comes cut to `maxChars + 1` characters, enough for the caller to
     * refuse it, so that a runaway line is never built whole. The last line comes even when
     * empty, as `split` gives it.
     */
    *lines(maxChars = Number.MAX_SAFE_INTEGER): Generator<string> {
        let carry = '';
        let cut = false;
        const add = (part: string) => {
            if (cut) return;
            if (carry.length + part.length > maxChars) {
                carry += part.slice(0, maxChars + 1 - carry.length);
                cut = true;
            } else carry += part;
        };
        const finish = () => {
            const line = !cut && carry.endsWith('\r') ? carry.slice(0, -1) : carry;
            carry = '';
            cut = false;
            return line;
        };
        for (const piece of this.pieces) {
            let pos = 0;
            for (let end = piece.indexOf('\n'); end !== -1; end = piece.indexOf('\n', pos)) {
                add(piece.slice(pos, end));
                yield finish();
                pos = end + 1;
            }
            add(piece.slice(pos));
        }
        yield finish();
    }

    /**
     * The line of the first NUL or lone surrogate (SEC-8, as `reason` tells) and why, or null;
     * checked a piece at a time with turns of the event loop.
     */
    async findBadText(reason: (text: string) => string | null): Promise<{ line: number; why: string } | null> {
        const slicer = timeSlicer();
        for (const [n, piece] of this.pieces.entries()) {
            const why = reason(piece);
            if (why) {
                // Lines are counted only for the answer: up to the first NUL or surrogate.
                const at = piece.search(/\u0000|[\uD800-\uDFFF]/);
                let line = 1;
                for (const [m, before] of this.pieces.entries()) {
                    const to = m < n ? before.length : m === n ? at : 0;
                    for (let i = before.indexOf('\n'); i !== -1 && i < to; i = before.indexOf('\n', i + 1)) line++;
                }
                return { line, why };
            }
            const pause = slicer.maybeYield();
            if (pause) await pause;
        }
        return null;
    }
}

/**
 * Decodes a body's bytes as they arrive (chunk by chunk, in the charset given; a BOM is dropped)
 * into a TextBody of pieces of about PIECE_BYTES characters.
 */
export class TextBodyBuilder {
    private readonly decoder: TextDecoder;
    private readonly pieces: string[] = [];
    private current = '';

    /** Throws UnsupportedCharsetError for a charset this runtime cannot decode. */
    constructor(charset = 'utf-8') {
        try {
            this.decoder = new TextDecoder(charset);
        } catch {
            throw new UnsupportedCharsetError(charset);
        }
    }

    write(bytes: Uint8Array): void {
        this.add(this.decoder.decode(bytes, { stream: true }));
    }

    end(): TextBody {
        this.add(this.decoder.decode());
        this.pieces.push(this.current);
        this.current = '';
        return TextBody.fromPieces(this.pieces);
    }

    private add(text: string): void {
        this.current += text;
        if (this.current.length >= PIECE_BYTES) {
            this.pieces.push(this.current);
            this.current = '';
        }
    }
}
