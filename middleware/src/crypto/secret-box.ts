import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (TEN-2): AES-256-GCM under `BACKSTORY_SECRET_KEY`. A sealed value reads
 * `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url); the key id is a short hash of the key, so
 * a value sealed under the previous key (`BACKSTORY_SECRET_KEY_PREVIOUS`, during a rotation) is
 * still opened, and `needsReseal` tells the caller to write it again under the current key.
 * The associated data binds a value to where it is stored (`org:<id>:connection`): a sealed
 * value copied to another row or org does not open.
 */
export class SecretBox {
    private readonly keys: { id: string; key: Buffer }[];

    /** `current` first; `previous` keys only open old values. Each is 32 bytes. */
    constructor(current: Buffer, previous: Buffer[] = []) {
        this.keys = [current, ...previous].map((key, i) => {
            if (key.length !== 32) throw new RangeError(`secret key ${i} must be 32 bytes, got ${key.length}`);
            return { id: keyId(key), key };
        });
    }

    seal(plaintext: string, context: string): string {
        const { id, key } = this.keys[0]!;
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        cipher.setAAD(Buffer.from(context, 'utf8'));
        const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
        return ['v1', id, b64(iv), b64(data), b64(cipher.getAuthTag())].join('.');
    }

    /** The plaintext; throws SecretBoxError when no key opens it or it was tampered with. */
    open(sealed: string, context: string): string {
        const parts = sealed.split('.');
        if (parts.length !== 5 || parts[0] !== 'v1') throw new SecretBoxError('not a sealed value');
        const [, id, iv, data, tag] = parts as [string, string, string, string, string];
        const entry = this.keys.find((k) => k.id === id);
        if (!entry) throw new SecretBoxError('sealed under a key that is no longer configured');
        try {
            const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
            decipher.setAAD(Buffer.from(context, 'utf8'));
            decipher.setAuthTag(Buffer.from(tag, 'base64url'));
            return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
        } catch {
            throw new SecretBoxError('the sealed value does not open (tampered, or bound to another record)');
        }
    }

    /** True when the value was sealed under an older key. */
    needsReseal(sealed: string): boolean {
        return sealed.split('.')[1] !== this.keys[0]!.id;
    }
}

export class SecretBoxError extends Error {
    override name = 'SecretBoxError';
}

/** A fresh 32-byte key, base64 (what `BACKSTORY_SECRET_KEY` holds). */
export function generateSecretKey(): string {
    return randomBytes(32).toString('base64');
}

/** Decode a base64 key; throws naming the problem when it is not 32 bytes. */
export function decodeSecretKey(value: string): Buffer {
    const key = Buffer.from(value.trim(), 'base64');
    if (key.length !== 32) throw new RangeError(`must be 32 bytes in base64 (got ${key.length} bytes)`);
    return key;
}

function keyId(key: Buffer): string {
    return createHash('sha256').update('backstory-secret-key-id').update(key).digest('base64url').slice(0, 8);
}

const b64 = (b: Buffer): string => b.toString('base64url');
