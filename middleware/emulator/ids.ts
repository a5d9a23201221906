const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Salesforce's 3-character checksum that turns a 15-character id into the 18-character one. */
export function to18(id15: string): string {
    let suffix = '';
    for (let chunk = 0; chunk < 3; chunk++) {
        let flags = 0;
        for (let i = 0; i < 5; i++) {
            const c = id15.charAt(chunk * 5 + i);
            if (c >= 'A' && c <= 'Z') flags |= 1 << i;
        }
        suffix += SUFFIX.charAt(flags);
    }
    return id15 + suffix;
}

/** The 18-character form of a 15- or 18-character id (case-sensitive 15 → case-safe 18). */
export function normalizeId(id: string): string | null {
    if (/^[a-zA-Z0-9]{18}$/.test(id)) return to18(id.slice(0, 15)) === id ? id : to18(id.slice(0, 15));
    if (/^[a-zA-Z0-9]{15}$/.test(id)) return to18(id);
    return null;
}

/** Ids: key prefix + pod "5g" + a base-62 counter, 18 characters. */
export class IdFactory {
    private counter = 0;
    next(prefix: string): string {
        this.counter += 1;
        let n = this.counter;
        let body = '';
        while (n > 0) {
            body = BASE62.charAt(n % 62) + body;
            n = Math.floor(n / 62);
        }
        return to18(`${prefix}5g${body.padStart(10, '0')}`);
    }
}
