import { EnvError, parseEnv } from './env';

describe('parseEnv', () => {
    it('applies the documented defaults', () => {
        const env = parseEnv({});
        expect(env).toMatchObject({ PORT: 3000, SF_EMULATOR_PORT: 4010, PREVIEW_PORT: 3001, DATA_DIR: '.data' });
        expect(env.DATABASE_URL).toBeUndefined();
    });

    it('stops on a bad variable with a message naming it', () => {
        expect(() => parseEnv({ PORT: 'abc' })).toThrow(EnvError);
        expect(() => parseEnv({ PORT: 'abc' })).toThrow(/PORT/);
        expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
        expect(() => parseEnv({ BACKSTORY_API_KEY: 'short' })).toThrow(/BACKSTORY_API_KEY/);
    });

    it('SCALE-2 takes MATCH_CACHE_MB as whole megabytes (default 512, 0 turns the cache off) and names it when bad', () => {
        expect(parseEnv({}).MATCH_CACHE_MB).toBe(512);
        expect(parseEnv({ MATCH_CACHE_MB: '256' }).MATCH_CACHE_MB).toBe(256);
        expect(parseEnv({ MATCH_CACHE_MB: '0' }).MATCH_CACHE_MB).toBe(0);
        for (const bad of ['-1', '1.5', '256MB', 'lots'])
            expect(() => parseEnv({ MATCH_CACHE_MB: bad })).toThrow(
                /MATCH_CACHE_MB: must be a whole number of megabytes/
            );
    });

    it('needs all four JWT variables or none, naming the missing ones', () => {
        expect(() => parseEnv({ SF_USERNAME: 'a@b.c' })).toThrow(
            /SF_LOGIN_URL[\s\S]*SF_CLIENT_ID[\s\S]*SF_PRIVATE_KEY_FILE/
        );
        const env = parseEnv({
            SF_LOGIN_URL: 'https://login.salesforce.com',
            SF_CLIENT_ID: 'id',
            SF_USERNAME: 'a@b.c',
            SF_PRIVATE_KEY_FILE: '/tmp/key.pem'
        });
        expect(env.SF_USERNAME).toBe('a@b.c');
    });

    it('treats empty variables as unset', () => {
        expect(parseEnv({ PORT: '', DATABASE_URL: '' }).PORT).toBe(3000);
    });

    it('SCALE-1 BACKSTORY_ROLE is web, worker or all (default all); web and worker need DATABASE_URL; HOST defaults to loopback', () => {
        expect(parseEnv({})).toMatchObject({ BACKSTORY_ROLE: 'all', HOST: '127.0.0.1', DATABASE_POOL_MAX: 10 });
        expect(() => parseEnv({ BACKSTORY_ROLE: 'scheduler' })).toThrow(/BACKSTORY_ROLE: must be web, worker or all/);
        expect(() => parseEnv({ BACKSTORY_ROLE: 'web' })).toThrow(/BACKSTORY_ROLE: web needs DATABASE_URL/);
        expect(parseEnv({ BACKSTORY_ROLE: 'worker', DATABASE_URL: 'postgres://x@h/db' }).BACKSTORY_ROLE).toBe('worker');
        expect(parseEnv({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
        expect(() => parseEnv({ HOST: 'not a host/' })).toThrow(/HOST: must be a host name or an IP address/);
        expect(() => parseEnv({ JOB_EXPIRE_SECONDS: '0' })).toThrow(/JOB_EXPIRE_SECONDS/);
        expect(() => parseEnv({ WRITEBACK_LEASE_SECONDS: '1' })).toThrow(/WRITEBACK_LEASE_SECONDS/);
        expect(parseEnv({}).WRITEBACK_LEASE_SECONDS).toBe(120);
        expect(() => parseEnv({ DATABASE_POOL_MAX: 'lots' })).toThrow(/DATABASE_POOL_MAX/);
    });
});
