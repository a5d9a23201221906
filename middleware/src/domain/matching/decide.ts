import type { RankingGroup } from '../profile';
import { rankingGroupAppliesTo } from '../ranking';
import type { ActivityExclusion } from './activity-kind';
import type { MatchCandidate, MatchPick } from './types';

/**
 * The picks (MATCH-4, MATCH-9): which ranked candidate becomes the WhoId and which the WhatId,
 * or none. Pure; every decision leaves a sentence in the candidates' ranking reasons (MATCH-5).
 *
 * 1. Bulk mail, auto-replies and recruiting match nothing (activity-kind.ts).
 * 2. With a ranking group for Opportunity, Account, Lead or All, the ranked order decides, as
 *    CP-6 says: the best-ranked Contact or Lead and the best-ranked Opportunity or Account.
 * 3. Otherwise the company first: the account that carries most of the external participants
 *    (weighted by role: To, From, organizer and attendees 1, Cc 0.5) is chosen when it carries
 *    at least half of them and clearly more than the next (SPLIT_GAP); else no WhatId (split).
 *    Then MATCH-9 within it: the open opportunity the subject names; else the open opportunity
 *    a participant is a contact role on (the one most participants are contact roles on; when
 *    several tie and the owner and close date do not tell them apart, no WhatId: the evidence
 *    is split); else the account's only open opportunity; else, among
 *    several, the one the activity owner owns, else the one closing clearly nearest; else
 *    the account. The WhoId is the best-ranked contact of that account; a lead only when no
 *    account is in play (Salesforce refuses a WhatId next to a lead).
 */

/** The chosen account must lead the next one by this much participant weight. */
export const SPLIT_GAP = 0.25;
/** ... and carry at least this share of all the participants that name an account. */
export const MIN_SHARE = 0.5;

export interface DecisionFacts {
    /** Account id → weighted participants that name it (by a contact of it, or by its domain). */
    accountSupport: ReadonlyMap<string, number>;
    accountNames: ReadonlyMap<string, string>;
    /** Contact id → its AccountId. */
    contactAccount: ReadonlyMap<string, string | null>;
    /** Opportunity id → AccountId and whether it is open. */
    /** Opportunity id → AccountId, whether it is open, and days between its CloseDate and the activity. */
    opportunities: ReadonlyMap<string, { accountId: string | null; open: boolean; closeDays: number | null }>;
    /** Groups of accounts that share one website domain (duplicates, or a parent and a subsidiary). */
    sameDomain: readonly (readonly string[])[];
    exclusion: ActivityExclusion | null;
    rankingGroups: readonly RankingGroup[];
}

export interface Decision {
    who: MatchPick | null;
    what: MatchPick | null;
    /** Ranked candidates (picks first within their kind), then the unranked ones, as given. */
    candidates: MatchCandidate[];
}

const isWho = (c: MatchCandidate) => c.type === 'Contact' || c.type === 'Lead';
const pickOf = (c: MatchCandidate): MatchPick => ({ recordId: c.recordId, type: c.type, score: c.score });

export function decide(ordered: MatchCandidate[], facts: DecisionFacts): Decision {
    const ranked = ordered.filter((c) => c.rank !== null);
    const notes = new Map<string, string>();
    const note = (c: MatchCandidate | undefined, text: string) => {
        if (c) notes.set(c.recordId, text);
    };

    let who: MatchCandidate | undefined;
    let what: MatchCandidate | undefined;
    if (facts.exclusion) {
        for (const c of ranked) note(c, `not picked: ${facts.exclusion.reason}`);
    } else if (
        facts.rankingGroups.some((g) =>
            (['Opportunity', 'Account', 'Lead'] as const).some((t) => rankingGroupAppliesTo(g, t))
        )
    ) {
        who = ranked.find(isWho);
        what = ranked.find((c) => !isWho(c));
    } else {
        ({ who, what } = byCompany(ranked, facts, note));
    }
    // MATCH-4: Salesforce forbids a WhatId when the WhoId is a lead.
    if (who?.type === 'Lead' && what) {
        note(what, 'not picked: the WhoId is a lead, and Salesforce refuses a WhatId next to a lead');
        what = undefined;
    }

    const whoOrder = reorder(ranked.filter(isWho), who);
    const whatOrder = reorder(
        ranked.filter((c) => !isWho(c)),
        what
    );
    const out: MatchCandidate[] = [];
    for (const c of ranked) {
        const next = (isWho(c) ? whoOrder : whatOrder).shift()!;
        const extra = notes.get(next.recordId);
        out.push({
            ...next,
            rank: out.length + 1,
            rankingReason: extra ? `${next.rankingReason}; ${extra}` : next.rankingReason
        });
    }
    for (const c of ordered) if (c.rank === null) out.push(c);
    return { who: who ? pickOf(who) : null, what: what ? pickOf(what) : null, candidates: out };
}

function reorder(list: MatchCandidate[], first: MatchCandidate | undefined): MatchCandidate[] {
    if (!first) return list;
    return [first, ...list.filter((c) => c !== first)];
}

function byCompany(
    ranked: MatchCandidate[],
    facts: DecisionFacts,
    note: (c: MatchCandidate | undefined, text: string) => void
): { who: MatchCandidate | undefined; what: MatchCandidate | undefined } {
    let total = 0;
    let best: string | null = null;
    let bestWeight = 0;
    let secondWeight = 0;
    let second: string | null = null;
    for (const [id, weight] of facts.accountSupport) {
        total += weight;
        if (weight > bestWeight) {
            second = best;
            secondWeight = bestWeight;
            best = id;
            bestWeight = weight;
        } else if (weight > secondWeight) {
            second = id;
            secondWeight = weight;
        }
    }
    const nameOf = (id: string | null) => (id ? (facts.accountNames.get(id) ?? id) : '');
    const accountCandidate = (id: string | null) => ranked.find((c) => c.type === 'Account' && c.recordId === id);

    if (best === null) {
        // No account in play: a contact without an account, or a lead.
        return { who: ranked.find(isWho), what: undefined };
    }
    // Accounts on one domain (duplicates, a parent and its subsidiary) share a domain-only
    // participant equally; between them the one with open opportunities, then the higher score
    // (the owner's own account), takes the lead.
    let tieBreak = '';
    const group = facts.sameDomain.find((g) => g.includes(best!) && second !== null && g.includes(second));
    if (group && bestWeight - secondWeight < SPLIT_GAP) {
        const tied = group.filter((id) => bestWeight - (facts.accountSupport.get(id) ?? 0) < SPLIT_GAP);
        const openCount = (id: string) => {
            let k = 0;
            for (const o of facts.opportunities.values()) if (o.open && o.accountId === id) k++;
            return k;
        };
        const scoreOf = (id: string) => accountCandidate(id)?.score ?? -1;
        tied.sort((a, b) => openCount(b) - openCount(a) || scoreOf(b) - scoreOf(a));
        const [first, next] = tied;
        if (first && next && (openCount(first) > openCount(next) || scoreOf(first) > scoreOf(next))) {
            best = first;
            second = null;
            secondWeight = 0;
            for (const [id, weight] of facts.accountSupport)
                if (!group.includes(id) && weight > secondWeight) {
                    second = id;
                    secondWeight = weight;
                }
            bestWeight = group.reduce((sum, id) => sum + (facts.accountSupport.get(id) ?? 0), 0);
            tieBreak = `; ahead of the other accounts on its domain by ${openCount(first) > openCount(next) ? 'its open opportunities' : 'score'}`;
        }
    }
    const share = bestWeight / total;
    if (share < MIN_SHARE || bestWeight - secondWeight < SPLIT_GAP) {
        const why = `not picked: the participants are split between ${nameOf(best)} (${fmt(bestWeight)}) and ${nameOf(second)} (${fmt(secondWeight)}) of ${fmt(total)}`;
        for (const c of ranked) if (!isWho(c)) note(c, why);
        for (const c of ranked) if (isWho(c)) note(c, why);
        return { who: undefined, what: undefined };
    }
    const account = best;
    const carried = `${nameOf(account)} carries ${fmt(bestWeight)} of ${fmt(total)} participant weight${tieBreak}`;

    const who = ranked.find((c) => c.type === 'Contact' && facts.contactAccount.get(c.recordId) === account);
    if (who) note(who, `picked: the first-ranked contact of ${nameOf(account)}`);

    const open = ranked.filter((c) => {
        if (c.type !== 'Opportunity') return false;
        const o = facts.opportunities.get(c.recordId);
        return o?.open === true && o.accountId === account;
    });
    const has = (c: MatchCandidate, name: string) => c.signals.some((s) => s.name === name);
    const named = open.filter((c) => has(c, 'subject_mentions_name'));
    const roles = open.filter((c) => has(c, 'contact_role'));
    let what: MatchCandidate | undefined;
    let why = '';
    const apart = (list: MatchCandidate[], among: string) => {
        const told = tellApart(list, facts);
        if (told) {
            what = told.pick;
            why = `${among}; ${told.why}`;
        }
    };
    if (named.length === 1) {
        what = named[0];
        why = 'the subject names this open opportunity';
    } else if (named.length > 1) {
        apart(named, `the subject names ${named.length} open opportunities`);
    } else if (roles.length === 1) {
        what = roles[0];
        why = 'a participant is a contact role on this open opportunity';
    } else if (roles.length > 1) {
        const count = (c: MatchCandidate) => c.signals.filter((s) => s.name === 'contact_role').length;
        const most = Math.max(...roles.map(count));
        const top = roles.filter((c) => count(c) === most);
        if (top.length === 1) {
            what = top[0];
            why = `${most} participants are contact roles on this open opportunity, fewer on the others`;
        } else {
            apart(top, `participants are contact roles on ${top.length} open opportunities`);
            // Split evidence between deals: no WhatId rather than a guess (the WhoId stands).
            if (!what) {
                const split = `not picked: participants are contact roles on ${top.length} open opportunities of ${nameOf(account)} and nothing tells them apart`;
                for (const c of ranked) if (!isWho(c)) note(c, split);
                return { who, what: undefined };
            }
        }
    } else if (open.length === 1) {
        what = open[0];
        why = `the only open opportunity of ${nameOf(account)}`;
    } else if (open.length > 1) {
        apart(open, `${open.length} open opportunities`);
    }
    if (!what) {
        what = accountCandidate(account);
        why =
            open.length > 1
                ? `the account: ${open.length} open opportunities and nothing tells them apart`
                : 'the account: no open opportunity of it is a candidate';
        if (!what && open.length > 0) {
            what = open[0];
            why = 'the account is not a candidate; its first-ranked open opportunity';
        }
    }
    note(what, `MATCH-9 picked as the WhatId: ${why} (${carried})`);
    return { who, what };
}

/**
 * Tells one of several open opportunities apart, in this order: the only one the activity owner
 * owns (of those, when the owner owns several), then the one whose CloseDate is clearly the
 * nearest to the activity (within CLOSE_WITHIN days, the next one at least CLOSE_MARGIN days
 * further). None when nothing does.
 */
export const CLOSE_WITHIN = 30;
export const CLOSE_MARGIN = 14;

function tellApart(list: MatchCandidate[], facts: DecisionFacts): { pick: MatchCandidate; why: string } | undefined {
    const owned = list.filter((c) => c.signals.some((s) => s.name === 'owner_owns_record'));
    if (owned.length === 1) return { pick: owned[0]!, why: 'the activity owner owns this one' };
    const pool = owned.length > 1 ? owned : list;
    const days = (c: MatchCandidate) => facts.opportunities.get(c.recordId)?.closeDays ?? Infinity;
    const byDate = [...pool].sort((a, b) => days(a) - days(b));
    const [first, next] = byDate;
    if (first && days(first) <= CLOSE_WITHIN && (!next || days(next) - days(first) >= CLOSE_MARGIN))
        return {
            pick: first,
            why: `it closes ${days(first)} days from the activity${next && Number.isFinite(days(next)) ? `, the next one ${days(next)} days` : ''}`
        };
    return undefined;
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, ''));
