import { conflict, invalidMany, type ErrorDetail } from '../errors';
import {
    evaluateRules,
    type RuleAssignments,
    type RuleFilter,
    type UserSettingsRule
} from '../domain/user-settings-rules';
import { recordAudit } from '../store/audit';
import { newId } from '../store/ids';
import { getOrg } from '../store/orgs';
import { profileIdsExist } from '../store/profiles';
import { listRules, replaceRules } from '../store/rules';
import type { Caller } from './caller';
import type { ServiceDeps } from './deps';

export interface RuleInput {
    id?: string | undefined;
    name: string;
    description: string;
    isCatchAll: boolean;
    filters: RuleFilter[];
    assignments: Omit<RuleAssignments, 'licenses'> & { licenses: string[] };
}

export interface RuleSubject {
    teamName?: string | undefined;
    teamManagerEmail?: string | undefined;
    jobTitle?: string | undefined;
}

/** User Settings Rules (USR-1..USR-7): list, replace, evaluate. */

/** JSON with object keys sorted: jsonb does not keep the key order a rule was written with. */
const canonical = (v: unknown): unknown =>
    Array.isArray(v)
        ? v.map(canonical)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
                Object.entries(v as Record<string, unknown>)
                    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
                    .map(([k, x]) => [k, canonical(x)])
            )
          : v;
const sameJson = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** Store one name per licence (UT-11: PeopleGlass Enterprise is Unified Backstory Application Enterprise), once each. */
function normalizeAssignments(a: Omit<RuleAssignments, 'licenses'> & { licenses: string[] }): RuleAssignments {
    const licenses = [
        ...new Set(a.licenses.map((l) => (l === 'peopleglass_enterprise' ? 'unified_enterprise' : l)))
    ] as RuleAssignments['licenses'];
    return { profileId: a.profileId, role: a.role, visibility: a.visibility, licenses };
}

/** The ordered rules, catch-all last (USR-2, USR-7). */
export async function listSettingsRules(deps: ServiceDeps, caller: Caller) {
    const db = deps.store.db;
    return { items: await listRules(db, caller.orgId) };
}

/** Replace the whole ordered rule list (USR-1..USR-7); each change audited. */
export async function replaceSettingsRules(deps: ServiceDeps, caller: Caller, body: { items: RuleInput[] }) {
    const db = deps.store.db;
    const org = await getOrg(db, caller.orgId);
    if (org.mode !== 'automatic') {
        throw conflict(
            'User Settings Rules can only be saved in automatic mode (USR-1): they set up users the automatic sync creates. Switch the org to automatic mode first.'
        );
    }
    const current = await listRules(db, caller.orgId);
    const catchAll = current.find((r) => r.isCatchAll);
    if (!catchAll) throw new Error('USR-7: the stored rule list has no catch-all rule');
    const known = new Map(current.map((r) => [r.id, r]));
    const details: ErrorDetail[] = [];
    const items = body.items;
    const last = items.length - 1;
    items.forEach((item, i) => {
        if (item.isCatchAll && i !== last)
            details.push({
                path: `items.${i}.isCatchAll`,
                message: 'the catch-all rule is always last: it cannot be moved (USR-7)'
            });
        if (item.isCatchAll && item.id !== catchAll.id)
            details.push({ path: `items.${i}.id`, message: `the catch-all rule is ${catchAll.id}` });
        if (!item.isCatchAll && item.id === catchAll.id)
            details.push({
                path: `items.${i}.isCatchAll`,
                message: 'the catch-all rule must keep isCatchAll: true'
            });
        if (item.id !== undefined && !known.has(item.id))
            details.push({
                path: `items.${i}.id`,
                message: `no rule ${item.id}: leave id out for a new rule`
            });
    });
    const lastItem = items[last]!;
    if (!lastItem.isCatchAll)
        details.push({
            path: `items.${last}`,
            message: 'the catch-all rule must be present and last; it cannot be deleted (USR-7)'
        });
    else if (
        lastItem.id === catchAll.id &&
        (lastItem.name !== catchAll.name ||
            lastItem.description !== catchAll.description ||
            !sameJson(lastItem.filters, []))
    ) {
        details.push({
            path: `items.${last}`,
            message: 'only the assignments of the catch-all rule can change (USR-7)'
        });
    }
    const ids = items.map((r) => r.id).filter((id): id is string => id !== undefined);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) details.push({ path: 'items', message: `rule ${dup} appears twice` });
    const profiles = await profileIdsExist(db, caller.orgId, [...new Set(items.map((r) => r.assignments.profileId))]);
    items.forEach((item, i) => {
        if (!profiles.has(item.assignments.profileId))
            details.push({
                path: `items.${i}.assignments.profileId`,
                message: `no profile ${item.assignments.profileId} in this org`
            });
        if (!item.isCatchAll && item.filters.length === 0)
            details.push({
                path: `items.${i}.filters`,
                message: 'a rule needs at least one filter (only the catch-all matches everyone)'
            });
    });
    if (details.length > 0) throw invalidMany(details);

    const next: UserSettingsRule[] = items.map((item) => ({
        id: item.id ?? newId('usr'),
        name: item.isCatchAll ? catchAll.name : item.name,
        description: item.isCatchAll ? catchAll.description : item.description,
        isCatchAll: item.isCatchAll,
        filters: item.isCatchAll ? [] : item.filters,
        assignments: normalizeAssignments(item.assignments)
    }));
    await db.transaction().execute(async (trx) => {
        await replaceRules(trx, caller.orgId, next);
        const nextIds = new Set(next.map((r) => r.id));
        // A rule moved when its order among the rules kept changed; shifting because a
        // rule was added or removed around it is not a change of that rule.
        const keptBefore = current.filter((r) => nextIds.has(r.id)).map((r) => r.id);
        const keptAfter = next.filter((r) => known.has(r.id)).map((r) => r.id);
        for (const [position, rule] of next.entries()) {
            const before = known.get(rule.id);
            const oldPosition = current.findIndex((r) => r.id === rule.id);
            const moved = keptBefore.indexOf(rule.id) !== keptAfter.indexOf(rule.id);
            if (!before)
                await recordAudit(trx, {
                    orgId: caller.orgId,
                    actor: caller.actor,
                    entity: 'rule',
                    entityId: rule.id,
                    action: 'create',
                    before: null,
                    after: { ...rule, position }
                });
            else if (!sameJson(before, rule) || moved) {
                await recordAudit(trx, {
                    orgId: caller.orgId,
                    actor: caller.actor,
                    entity: 'rule',
                    entityId: rule.id,
                    action: 'update',
                    before: { ...before, position: oldPosition },
                    after: { ...rule, position }
                });
            }
        }
        for (const [position, rule] of current.entries()) {
            if (!nextIds.has(rule.id))
                await recordAudit(trx, {
                    orgId: caller.orgId,
                    actor: caller.actor,
                    entity: 'rule',
                    entityId: rule.id,
                    action: 'delete',
                    before: { ...rule, position },
                    after: null
                });
        }
    });
    return { items: await listRules(db, caller.orgId) };
}

/** Which rule a user with these attributes gets (USR-3). */
export async function evaluateSettingsRules(deps: ServiceDeps, caller: Caller, body: RuleSubject) {
    const db = deps.store.db;
    const rule = evaluateRules(await listRules(db, caller.orgId), body);
    return { ruleId: rule.id, assignments: rule.assignments };
}
