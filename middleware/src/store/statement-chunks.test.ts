import { jsonRowChunks, statementChunks, STATEMENT_LIMITS } from './statement-chunks';

describe('statement chunks (SEC-6)', () => {
    it('SEC-6 splits at STATEMENT_LIMITS.rows, keeping order and every item', () => {
        const items = Array.from({ length: STATEMENT_LIMITS.rows * 2 + 7 }, (_, i) => i);
        const runs = [...statementChunks(items, () => 1)];
        expect(runs.map((r) => r.length)).toEqual([STATEMENT_LIMITS.rows, STATEMENT_LIMITS.rows, 7]);
        expect(runs.flat()).toEqual(items);
    });

    it('SEC-6 splits at STATEMENT_LIMITS.chars; an item larger than the limit makes a run alone', () => {
        const half = STATEMENT_LIMITS.chars / 2;
        const sizes = [half, half, 1, STATEMENT_LIMITS.chars * 3, 1];
        const runs = [...statementChunks(sizes, (n) => n)];
        expect(runs).toEqual([[half, half], [1], [STATEMENT_LIMITS.chars * 3], [1]]);
    });

    it('SEC-6 yields nothing for no items', () => {
        expect([...statementChunks([], () => 1)]).toEqual([]);
        expect([...jsonRowChunks([], (x) => x)]).toEqual([]);
    });

    it('SEC-6 jsonRowChunks gives JSON arrays that together hold every row once, in order', () => {
        const items = Array.from({ length: 600 }, (_, i) => ({ n: i, text: 'x'.repeat(i) }));
        const arrays = [...jsonRowChunks(items, (item) => ({ ...item, twice: item.n * 2 }))];
        expect(arrays.length).toBeGreaterThan(2);
        const rows = arrays.flatMap((a) => JSON.parse(a) as { n: number; twice: number }[]);
        expect(rows.map((r) => r.n)).toEqual(items.map((i) => i.n));
        expect(rows.every((r) => r.twice === r.n * 2)).toBe(true);
    });
});
