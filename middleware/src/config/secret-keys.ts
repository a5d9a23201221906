import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeSecretKey, generateSecretKey, SecretBox } from '../crypto/secret-box';

export interface SecretKeyEnv {
    NODE_ENV?: string;
    DATA_DIR: string;
    BACKSTORY_SECRET_KEY?: string | undefined;
    BACKSTORY_SECRET_KEY_PREVIOUS?: string | undefined;
}

/**
 * The secret box of the environment (TEN-2): `BACKSTORY_SECRET_KEY` (and the previous key during
 * a rotation). Outside production, without the variable, a dev key is kept in `DATA_DIR/dev-secret-key`
 * (created once, mode 600) so connections survive restarts of `npm start`.
 */
export function secretBoxFromEnv(env: SecretKeyEnv): { box: SecretBox; source: string } {
    const previous = env.BACKSTORY_SECRET_KEY_PREVIOUS ? [decodeSecretKey(env.BACKSTORY_SECRET_KEY_PREVIOUS)] : [];
    if (env.BACKSTORY_SECRET_KEY) {
        return {
            box: new SecretBox(decodeSecretKey(env.BACKSTORY_SECRET_KEY), previous),
            source: 'BACKSTORY_SECRET_KEY'
        };
    }
    if (env.NODE_ENV === 'production') {
        throw new Error('BACKSTORY_SECRET_KEY: is required in production (32 random bytes, base64)');
    }
    if (env.DATA_DIR.startsWith('memory://')) {
        return { box: new SecretBox(decodeSecretKey(generateSecretKey()), previous), source: 'in memory (dev)' };
    }
    const file = path.resolve(env.DATA_DIR, 'dev-secret-key');
    if (existsSync(file)) {
        return { box: new SecretBox(decodeSecretKey(readFileSync(file, 'utf8')), previous), source: file };
    }
    mkdirSync(path.dirname(file), { recursive: true });
    const key = generateSecretKey();
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    return { box: new SecretBox(decodeSecretKey(key), previous), source: `${file} (new)` };
}
