import { randomBytes } from 'node:crypto';

/** Opaque, sortable-enough ids: a short type prefix and 16 random bytes (base32, lower case). */
export function newId(prefix: string): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    const bytes = randomBytes(16);
    let bits = 0;
    let value = 0;
    let out = '';
    for (const byte of bytes) {
        value = (value << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out += alphabet[(value >>> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
    return `${prefix}_${out}`;
}
