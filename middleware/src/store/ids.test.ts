import { newId } from './ids';

describe('ids (SCALE-3)', () => {
    it('SCALE-3 ids are the prefix and 26 base32 characters, and 200,000 of them are distinct', () => {
        const ids = new Set<string>();
        for (let i = 0; i < 200_000; i++) ids.add(newId('act'));
        expect(ids.size).toBe(200_000);
        for (const id of [...ids].slice(0, 1000)) expect(id).toMatch(/^act_[2-7a-z]{26}$/);
    });

    it('SCALE-3 an id made in a later millisecond sorts after one made earlier (index inserts at the right edge)', () => {
        const realNow = Date.now;
        try {
            const times = [0, 1, 255, 256, 2 ** 24 - 1, 2 ** 24, 1_764_633_600_000, 1_764_633_600_001, 2 ** 47];
            const made = times.map((t) => {
                Date.now = () => t;
                return newId('wbi');
            });
            expect([...made].sort()).toEqual(made);
        } finally {
            Date.now = realNow;
        }
    });
});
