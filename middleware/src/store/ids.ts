import { randomFillSync } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const ID_BYTES = 16;
// Random bytes drawn 4 KB at a time: one call into the CSPRNG serves 256 ids (a batch of a
// thousand activities makes thousands of ids).
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** Opaque, sortable-enough ids: a short type prefix and 16 random bytes (base32, lower case). */
export function newId(prefix: string): string {
    if (offset + ID_BYTES > pool.length) {
        randomFillSync(pool);
        offset = 0;
    }
    let bits = 0;
    let value = 0;
    let out = '';
    for (let i = offset; i < offset + ID_BYTES; i++) {
        value = ((value << 8) | pool[i]!) & 0xffff;
        bits += 8;
        while (bits >= 5) {
            out += ALPHABET[(value >>> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    offset += ID_BYTES;
    if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
    return `${prefix}_${out}`;
}
