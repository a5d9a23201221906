import { badTextReason } from './limits';
import { TextBody, TextBodyBuilder, UnsupportedCharsetError } from './text-body';

const MB = 1024 * 1024;

/** Bytes through a TextBodyBuilder in 64 KB chunks, as a request's body arrives. */
async function decode(bytes: Uint8Array, charset?: string): Promise<TextBody> {
    const builder = new TextBodyBuilder(charset);
    for (let at = 0; at < bytes.length; at += 64 * 1024) builder.write(bytes.subarray(at, at + 64 * 1024));
    return builder.end();
}

describe('TextBody (SEC-6)', () => {
    it('SEC-6 decodes a body of several megabytes into pieces of one to two megabytes that together are the text', async () => {
        // Multi-byte characters everywhere, so that megabyte boundaries fall inside some of them.
        const text = 'é😀 line of text\r\n'.repeat(300_000);
        const body = await decode(Buffer.from(text, 'utf8'));
        expect(body.pieces.length).toBeGreaterThan(3);
        for (const piece of body.pieces) expect(piece.length).toBeLessThanOrEqual(2 * MB);
        expect(body.pieces.every((piece) => badTextReason(piece) === null)).toBe(true);
        expect(body.pieces.join('')).toBe(text);
        expect(body.length).toBe(text.length);
    });

    it('SEC-6 drops a BOM, decodes the charset named, and refuses one it cannot decode', async () => {
        expect((await decode(Buffer.from('\uFEFFBEGIN:VCALENDAR', 'utf8'))).pieces).toEqual(['BEGIN:VCALENDAR']);
        expect((await decode(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'iso-8859-1')).pieces).toEqual(['café']);
        await expect(decode(Buffer.from('x'), 'no-such-charset')).rejects.toThrow(UnsupportedCharsetError);
        expect(TextBody.of('\uFEFFhello').pieces).toEqual(['hello']);
        // A long string comes in pieces too, a surrogate pair never split between two.
        const long = 'a'.repeat(MB - 1) + '😀' + 'b'.repeat(10);
        expect(TextBody.of(long).pieces.map((p) => p.length)).toEqual([MB + 1, 10]);
    });

    it('SEC-6 gives the lines as split would, across pieces, CR before LF dropped', async () => {
        const text = 'a\r\nbb\n\nccc\r\n' + 'x'.repeat(MB) + '\nlast';
        const body = await decode(Buffer.from(text, 'utf8'));
        expect(body.pieces.length).toBe(2);
        expect([...body.lines()]).toEqual(text.split('\n').map((l) => l.replace(/\r$/, '')));
        expect([...TextBody.of('ends with a newline\n').lines()]).toEqual(['ends with a newline', '']);
        expect([...TextBody.of('').lines()]).toEqual(['']);
    });

    it('SEC-6 cuts a runaway line just past the cap instead of building it', async () => {
        const body = await decode(Buffer.from('short\n' + 'y'.repeat(3 * MB) + '\nafter', 'utf8'));
        expect([...body.lines(100)]).toEqual(['short', 'y'.repeat(101), 'after']);
    });

    it('SEC-8 finds the line of a NUL in a later piece, and nothing in clean text', async () => {
        const clean = 'ok\n'.repeat(500_000);
        expect(await (await decode(Buffer.from(clean, 'utf8'))).findBadText(badTextReason)).toBeNull();
        const body = await decode(Buffer.from(clean + 'bad \u0000 here\n', 'utf8'));
        expect(await body.findBadText(badTextReason)).toEqual({
            line: 500_001,
            why: 'must not contain NUL characters'
        });
    });

    it('SEC-6 tells blank bodies and endings', () => {
        expect(TextBody.of(' \r\n\t').isBlank()).toBe(true);
        expect(TextBody.of('x').isBlank()).toBe(false);
        expect(TextBody.of('a\n').endsWith('\n')).toBe(true);
        expect(TextBody.of('a').endsWith('\n')).toBe(false);
    });
});
