// `npm run bench:accuracy`: matching accuracy on a labelled, seeded set of activities
// (accuracy-scenarios.ts), for the matcher and, on the same data in the same run, two
// baselines: the rule Salesforce's activity capture documents and domain only. Prints
// precision and recall of WhoId and WhatId, the correct "no match" rate, a confusion summary per
// scenario kind and the margins, and whether the targets are met. Not a timed test.
// BENCH_SHOW=<kind,...> also prints the activities of those kinds that were matched wrong.
import { defaultProfileSections } from '../../middleware/src/domain/profile-defaults';
import { matchActivity } from '../../middleware/src/domain/matching/pipeline';
import { ReplicaIndex } from '../../middleware/src/domain/matching/replica-index';
import { domainOnly, salesforceRule } from './accuracy-baselines';
import { byKind, rates, type KindScore, type Picks, type Rates } from './accuracy-metrics';
import { generateScenarios, NO_MATCH_KINDS, SCENARIO_KINDS, SCENARIO_MIX } from './accuracy-scenarios';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const SEED = env('BENCH_SEED', 7);
const ACCOUNTS = env('BENCH_ACCOUNTS', 3000);
const ACTIVITIES = env('BENCH_ACTIVITIES', 20_000);

const pct = (x: number) => (Number.isNaN(x) ? '   n/a' : `${(x * 100).toFixed(1).padStart(5)} %`);
const pts = (x: number, y: number) =>
    Number.isNaN(x) || Number.isNaN(y)
        ? '    n/a'
        : `${(x - y >= 0 ? '+' : '') + ((x - y) * 100).toFixed(1)}`.padStart(7);

function main(): void {
    const t0 = performance.now();
    const { records, activities } = generateScenarios({ seed: SEED, accounts: ACCOUNTS, activities: ACTIVITIES });
    const index = ReplicaIndex.build(records);
    const matching = defaultProfileSections().matching;
    const ours: Picks[] = [];
    const t1 = performance.now();
    for (const a of activities) {
        const r = matchActivity(a.activity, index, matching);
        ours.push({ who: r.who?.recordId ?? null, what: r.what?.recordId ?? null });
    }
    const matchMs = performance.now() - t1;
    const sf = activities.map((a) => salesforceRule(a.activity, index));
    const dom = activities.map((a) => domainOnly(a.activity, index));

    const r = { ours: rates(activities, ours), sf: rates(activities, sf), dom: rates(activities, dom) };
    const lines: string[] = [];
    const counts = (object: string) => records.filter((x) => x.object === object).length.toLocaleString('en-US');
    lines.push(
        `bench:accuracy: seed ${SEED}; org of ${counts('Account')} accounts, ${counts('Contact')} contacts, ${counts('Lead')} leads, ${counts('Opportunity')} opportunities, ${counts('OpportunityContactRole')} contact roles; ${activities.length.toLocaleString('en-US')} labelled activities in ${SCENARIO_KINDS.length} scenario kinds (generated in ${((t1 - t0) / 1000).toFixed(1)} s, matched at ${Math.round(activities.length / (matchMs / 1000)).toLocaleString('en-US')}/s)`,
        '',
        'overall                      ours   SF rule    domain     vs SF  vs domain',
        ...(
            [
                ['WhatId precision', 'whatPrecision'],
                ['WhatId recall', 'whatRecall'],
                ['WhoId precision', 'whoPrecision'],
                ['WhoId recall', 'whoRecall'],
                ['correct "no match"', 'correctNoMatch']
            ] as [string, keyof Rates][]
        ).map(
            ([label, key]) =>
                `${label.padEnd(22)} ${pct(r.ours[key])}  ${pct(r.sf[key])}  ${pct(r.dom[key])}  ${pts(r.ours[key], r.sf[key])}  ${pts(r.ours[key], r.dom[key])}`
        ),
        '',
        'per scenario kind: right = WhoId and WhatId both right ("none" is right when nothing is picked);',
        'ours WhatId confusion: right / other record / missed (none picked) / spurious (picked, truth none)',
        `${'kind'.padEnd(24)} share     n     ours   SF rule    domain   vs SF vs dom   WhatId r/o/m/s        WhoId ours`
    );
    const k = { ours: byKind(activities, ours), sf: byKind(activities, sf), dom: byKind(activities, dom) };
    const total = Object.values(SCENARIO_MIX).reduce((s, v) => s + v, 0);
    const behind: string[] = [];
    // Level at 100 %: the baseline is perfect on the kind too, so no one can be ahead of it.
    const level: string[] = [];
    const right = (s: KindScore | undefined) => (s ? s.right / s.n : NaN);
    for (const kind of SCENARIO_KINDS) {
        const o = k.ours.get(kind);
        if (!o) continue;
        const [x, y, z] = [right(o), right(k.sf.get(kind)), right(k.dom.get(kind))];
        const ahead = (b: number) => x > b || (x === 1 && b === 1);
        if (!ahead(y) || !ahead(z)) behind.push(kind);
        else if (y === 1 || z === 1) level.push(kind);
        lines.push(
            `${kind.padEnd(24)} ${String(((SCENARIO_MIX[kind] / total) * 100).toFixed(0)).padStart(3)} % ${String(o.n).padStart(5)}  ${pct(x)}  ${pct(y)}  ${pct(z)} ${pts(x, y)} ${pts(x, z)}   ${`${o.what.right}/${o.what.wrong}/${o.what.missed}/${o.what.spurious}`.padEnd(20)} ${pct(o.whoRight / o.n)}`
        );
    }
    // Correctly unmatched, per kind that must match nothing: each of them must reach 99 %.
    const unmatched = NO_MATCH_KINDS.map((kind) => {
        const picks = activities.map((a, i) => ({ a, p: ours[i]! })).filter(({ a }) => a.kind === kind);
        return { kind, rate: picks.filter(({ p }) => p.who === null && p.what === null).length / picks.length };
    });
    const targets: [string, boolean][] = [
        [
            `WhatId precision ${pct(r.ours.whatPrecision)} ≥ 95 % at recall ${pct(r.ours.whatRecall)} ≥ 90 %`,
            r.ours.whatPrecision >= 0.95 && r.ours.whatRecall >= 0.9
        ],
        [`WhoId precision ${pct(r.ours.whoPrecision)} ≥ 98 %`, r.ours.whoPrecision >= 0.98],
        [
            `correctly unmatched ≥ 99 % on each of ${unmatched.map((u) => `${u.kind} ${pct(u.rate).trim()}`).join(', ')}`,
            unmatched.every((u) => u.rate >= 0.99)
        ],
        [
            `WhatId precision over the Salesforce-style rule ${pts(r.ours.whatPrecision, r.sf.whatPrecision).trim()} points ≥ +10`,
            r.ours.whatPrecision - r.sf.whatPrecision >= 0.1
        ],
        [
            `ahead of both baselines on every scenario kind${behind.length ? ` (behind or level on: ${behind.join(', ')})` : ''}${level.length ? `; level at 100 % with a baseline that is perfect too on: ${level.join(', ')}` : ''}`,
            behind.length === 0
        ]
    ];
    lines.push('', 'targets', ...targets.map(([label, met]) => `  ${met ? 'met    ' : 'NOT MET'}  ${label}`));
    // BENCH_SHOW=recruiting,bulk: print the activities of those kinds we got wrong, with the picks.
    const show = (process.env.BENCH_SHOW ?? '').split(',').filter(Boolean);
    if (show.length) {
        lines.push('', `misses of ${show.join(', ')}:`);
        activities.forEach((a, i) => {
            if (!show.includes(a.kind)) return;
            const p = ours[i]!;
            const who = p.who === null ? a.truth.who.length === 0 : a.truth.who.includes(p.who);
            if (who && p.what === a.truth.what) return;
            lines.push(JSON.stringify({ kind: a.kind, truth: a.truth, ours: p, activity: a.activity }));
        });
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    if (targets.some(([, met]) => !met)) process.exitCode = 1;
}

main();
