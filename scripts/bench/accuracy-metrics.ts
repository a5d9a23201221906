// Scoring of `npm run bench:accuracy`: picks against the labelled truth.
import type { LabelledActivity, ScenarioKind } from './accuracy-scenarios';

export interface Picks {
    who: string | null;
    what: string | null;
}

export interface Rates {
    whatPrecision: number;
    whatRecall: number;
    whoPrecision: number;
    whoRecall: number;
    /** Of the activities whose truth is no WhoId and no WhatId: nothing picked. */
    correctNoMatch: number;
}

export interface KindScore {
    n: number;
    /** WhoId and WhatId both right (none when the truth is none). */
    right: number;
    whatRight: number;
    whoRight: number;
    /** WhatId confusion: right record, another record, none where one was right, one where none was. */
    what: { right: number; wrong: number; missed: number; spurious: number };
}

const whoRight = (a: LabelledActivity, p: Picks) =>
    p.who === null ? a.truth.who.length === 0 : a.truth.who.includes(p.who);
const whatRight = (a: LabelledActivity, p: Picks) => p.what === a.truth.what;

export function rates(activities: readonly LabelledActivity[], picks: readonly Picks[]): Rates {
    let whatPicked = 0;
    let whatCorrect = 0;
    let whatTruths = 0;
    let whoPicked = 0;
    let whoCorrect = 0;
    let whoTruths = 0;
    let none = 0;
    let noneRight = 0;
    activities.forEach((a, i) => {
        const p = picks[i]!;
        if (a.truth.what !== null) whatTruths++;
        if (p.what !== null) {
            whatPicked++;
            if (p.what === a.truth.what) whatCorrect++;
        }
        if (a.truth.who.length) whoTruths++;
        if (p.who !== null) {
            whoPicked++;
            if (a.truth.who.includes(p.who)) whoCorrect++;
        }
        if (a.truth.what === null && a.truth.who.length === 0) {
            none++;
            if (p.who === null && p.what === null) noneRight++;
        }
    });
    const ratio = (x: number, y: number) => (y === 0 ? NaN : x / y);
    return {
        whatPrecision: ratio(whatCorrect, whatPicked),
        whatRecall: ratio(whatCorrect, whatTruths),
        whoPrecision: ratio(whoCorrect, whoPicked),
        whoRecall: ratio(whoCorrect, whoTruths),
        correctNoMatch: ratio(noneRight, none)
    };
}

export function byKind(activities: readonly LabelledActivity[], picks: readonly Picks[]): Map<ScenarioKind, KindScore> {
    const out = new Map<ScenarioKind, KindScore>();
    activities.forEach((a, i) => {
        const p = picks[i]!;
        let s = out.get(a.kind);
        if (!s) {
            s = { n: 0, right: 0, whatRight: 0, whoRight: 0, what: { right: 0, wrong: 0, missed: 0, spurious: 0 } };
            out.set(a.kind, s);
        }
        s.n++;
        const wr = whatRight(a, p);
        const hr = whoRight(a, p);
        if (wr) s.whatRight++;
        if (hr) s.whoRight++;
        if (wr && hr) s.right++;
        if (p.what === null && a.truth.what !== null) s.what.missed++;
        else if (p.what !== null && a.truth.what === null) s.what.spurious++;
        else if (wr) s.what.right++;
        else s.what.wrong++;
    });
    return out;
}
