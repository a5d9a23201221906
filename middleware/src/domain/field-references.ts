import type { FilterCondition, MatchObjectType, ProfileSections } from './profile';

/** What validation needs to know of a field, from the org's describe as the integration user. */
export interface FieldInfo {
    name: string;
    type: string;
    updateable: boolean;
    sortable: boolean;
    filterable: boolean;
    /** Active picklist values (empty when not a picklist). */
    picklistValues: string[];
    /** For a lookup: the relationship name (`Account` for `AccountId`) and the objects it points to. */
    relationshipName?: string | null;
    referenceTo?: string[];
    /** The field's label, its length (text) and whether it may be empty (follow-up questions, MATCH-8). */
    label?: string;
    length?: number;
    nillable?: boolean;
}

/** The org's fields, as the integration user sees them: unreadable fields are absent (FLS). */
export interface FieldCatalog {
    /** null when the object does not exist or cannot be read. */
    fields(object: string): Promise<Map<string, FieldInfo> | null>;
}

export interface ReferenceProblem {
    path: string;
    message: string;
}

const TEXT = new Set(['string', 'textarea', 'email', 'phone', 'url', 'combobox']);
const CHOICE = new Set(['picklist', 'multipicklist']);
const IDS = new Set(['id', 'reference']);
const ORDERED = new Set(['int', 'double', 'currency', 'percent', 'date', 'datetime', 'time']);
const NUMERIC = new Set(['int', 'double', 'currency', 'percent']);
/** Field types a meeting category (one of a picklist's values) can be stored in. */
const CATEGORY_TYPES = new Set([
    'string',
    'textarea',
    'picklist',
    'multipicklist',
    'combobox',
    'email',
    'url',
    'phone'
]);
/** Field types a follow-up answer can be stored in: the inputs the rep's form offers (MATCH-8). */
export const ANSWER_TYPES = new Set([...CATEGORY_TYPES, 'boolean', 'date', 'int', 'double', 'currency', 'percent']);

/** Does this operator fit the field's type? (CP-5/CP-6: `greater_than` on a picklist, `contains` on a number are refused.) */
export function operatorProblem(field: FieldInfo, operator: FilterCondition['operator']): string | null {
    const t = field.type;
    switch (operator) {
        case 'equals':
        case 'not_equals':
        case 'in':
        case 'not_in':
            return t === 'textarea' || t === 'address' ? `cannot be compared with ${operator} (type ${t})` : null;
        case 'is_null':
        case 'is_not_null':
            return null;
        case 'contains':
        case 'starts_with':
            return TEXT.has(t) || CHOICE.has(t)
                ? null
                : `${operator} only applies to text fields, not to ${field.name} of type ${t}`;
        case 'greater_than':
        case 'less_than':
            return ORDERED.has(t)
                ? null
                : `${operator} only applies to number and date fields, not to ${field.name} of type ${t}`;
    }
}

function valueProblem(field: FieldInfo, condition: FilterCondition): string | null {
    if (condition.value === undefined) return null;
    const values = Array.isArray(condition.value) ? condition.value : [condition.value];
    for (const v of values) {
        if (NUMERIC.has(field.type) && (typeof v === 'boolean' || Number.isNaN(Number(v))))
            return `${String(v)} is not a number (${field.name} is of type ${field.type})`;
        if (field.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(String(v)))
            return `${String(v)} is not a date (YYYY-MM-DD)`;
        if (field.type === 'datetime' && Number.isNaN(Date.parse(String(v))))
            return `${String(v)} is not a date-time (ISO 8601)`;
        if (field.type === 'boolean' && typeof v !== 'boolean' && v !== 'true' && v !== 'false')
            return `${String(v)} is not true or false`;
        if (
            CHOICE.has(field.type) &&
            (condition.operator === 'equals' ||
                condition.operator === 'not_equals' ||
                condition.operator === 'in' ||
                condition.operator === 'not_in') &&
            field.picklistValues.length > 0 &&
            !field.picklistValues.some((p) => p.toLowerCase() === String(v).toLowerCase())
        ) {
            return `${String(v)} is not a value of the picklist ${field.name} (${field.picklistValues.join(', ')})`;
        }
    }
    return null;
}

/** SOQL allows five levels of parent relationships; so do field references. */
const MAX_HOPS = 5;

/**
 * Find a field as the integration user sees it. A dotted name follows parent relationships the
 * way SOQL does (`Account.Type` on Opportunity, `Owner.Name`, `RecordType.DeveloperName`); a
 * polymorphic lookup (Owner: User or Group) follows its first target, User when it is one.
 */
async function lookup(catalog: FieldCatalog, object: string, name: string): Promise<FieldInfo | string> {
    const parts = name.split('.');
    if (parts.length > MAX_HOPS + 1) return `${object}.${name} follows more than ${MAX_HOPS} relationships`;
    let current = object;
    for (let i = 0; i < parts.length; i++) {
        const part = parts[i] ?? '';
        const fields = await catalog.fields(current);
        if (!fields) return `${current} is not an object the integration user can read`;
        if (i === parts.length - 1) {
            const f = fields.get(part.toLowerCase());
            if (!f) return `${current}.${part} does not exist or the integration user cannot read it`;
            return f;
        }
        const rel = [...fields.values()].find(
            (f) => f.relationshipName?.toLowerCase() === part.toLowerCase() && (f.referenceTo ?? []).length > 0
        );
        if (!rel) return `${current}.${part} is not a relationship the integration user can read`;
        const targets = rel.referenceTo ?? [];
        current = targets.includes('User') ? 'User' : (targets[0] ?? '');
    }
    return `${object}.${name} is not a field`;
}

/**
 * Check every field reference of the given profile sections against the org (CP-5, CP-6, CP-7):
 * the field exists and the integration user can read it (filters, ranking) or write it (meeting
 * category, answer fields), and its type fits the operator. Paths name the place inside the
 * profile, e.g. `matching.eligibility.Opportunity.groups.0.filters.1.field`.
 */
export async function checkFieldReferences(
    sections: Partial<ProfileSections>,
    catalog: FieldCatalog
): Promise<ReferenceProblem[]> {
    const problems: ReferenceProblem[] = [];
    const checkCondition = async (object: string, c: FilterCondition, path: string) => {
        const f = await lookup(catalog, object, c.field);
        if (typeof f === 'string') return problems.push({ path: `${path}.field`, message: f });
        if (!f.filterable)
            return problems.push({ path: `${path}.field`, message: `${object}.${f.name} cannot be used in a filter` });
        const op = operatorProblem(f, c.operator);
        if (op) return problems.push({ path: `${path}.operator`, message: op });
        const val = valueProblem(f, c);
        if (val) problems.push({ path: `${path}.value`, message: val });
        return undefined;
    };
    const m = sections.matching;
    if (m) {
        for (const type of Object.keys(m.eligibility) as MatchObjectType[]) {
            const groups = m.eligibility[type].groups;
            for (let g = 0; g < groups.length; g++) {
                const filters = groups[g]!.filters;
                for (let i = 0; i < filters.length; i++)
                    await checkCondition(type, filters[i]!, `matching.eligibility.${type}.groups.${g}.filters.${i}`);
            }
        }
        for (let g = 0; g < m.rankingGroups.length; g++) {
            const group = m.rankingGroups[g]!;
            const objects: string[] =
                group.recordType === 'All' ? ['Opportunity', 'Account', 'Lead'] : [group.recordType];
            for (let i = 0; i < group.conditions.length; i++) {
                const path = `matching.rankingGroups.${g}.conditions.${i}`;
                for (const object of objects) {
                    if (group.kind === 'select') {
                        await checkCondition(object, group.conditions[i] as FilterCondition, path);
                    } else {
                        const s = group.conditions[i]!;
                        const f = await lookup(catalog, object, s.field);
                        if (typeof f === 'string') problems.push({ path: `${path}.field`, message: f });
                        else if (!f.sortable)
                            problems.push({
                                path: `${path}.field`,
                                message: `${object}.${f.name} of type ${f.type} cannot be sorted`
                            });
                    }
                }
            }
        }
    }
    const n = sections.notifications;
    if (n) {
        const writable = async (ref: string, path: string, what: string, types: Set<string>) => {
            const [object = '', name = ''] = ref.split('.');
            const f = await lookup(catalog, object, name);
            if (typeof f === 'string') return problems.push({ path, message: f });
            if (!f.updateable)
                return problems.push({ path, message: `${ref} is not writable by the integration user` });
            if (!types.has(f.type) || IDS.has(f.type))
                return problems.push({ path, message: `${ref} of type ${f.type} cannot store ${what}` });
            return undefined;
        };
        if (n.meetingCategoryField)
            await writable(
                n.meetingCategoryField,
                'notifications.meetingCategoryField',
                'a meeting category',
                CATEGORY_TYPES
            );
        for (let i = 0; i < n.followUpQuestions.length; i++)
            await writable(
                n.followUpQuestions[i]!.field,
                `notifications.followUpQuestions.${i}.field`,
                'a follow-up answer',
                ANSWER_TYPES
            );
    }
    return problems;
}

export interface FieldReference {
    /** Where in the profile, e.g. `matching.rankingGroups.0.conditions.1.field`. */
    path: string;
    /** What the check depends on: usage, object, field, operator and value. Equal keys pass or fail alike. */
    key: string;
}

/** Every field reference of the given sections, with a key that is equal when the check would be equal. */
export function listFieldReferences(sections: Partial<ProfileSections>): FieldReference[] {
    const refs: FieldReference[] = [];
    const filterKey = (object: string, c: FilterCondition) =>
        `filter|${object}|${c.field.toLowerCase()}|${c.operator}|${JSON.stringify(c.value ?? null)}`;
    const m = sections.matching;
    if (m) {
        for (const type of Object.keys(m.eligibility) as MatchObjectType[]) {
            m.eligibility[type].groups.forEach((g, gi) =>
                g.filters.forEach((f, i) =>
                    refs.push({
                        path: `matching.eligibility.${type}.groups.${gi}.filters.${i}.field`,
                        key: filterKey(type, f)
                    })
                )
            );
        }
        m.rankingGroups.forEach((group, gi) => {
            const objects = group.recordType === 'All' ? ['Opportunity', 'Account', 'Lead'] : [group.recordType];
            group.conditions.forEach((c, i) => {
                for (const object of objects)
                    refs.push({
                        path: `matching.rankingGroups.${gi}.conditions.${i}.field`,
                        key:
                            group.kind === 'select'
                                ? filterKey(object, c as FilterCondition)
                                : `sort|${object}|${c.field.toLowerCase()}`
                    });
            });
        });
    }
    const n = sections.notifications;
    if (n) {
        if (n.meetingCategoryField)
            refs.push({
                path: 'notifications.meetingCategoryField',
                key: `write|${n.meetingCategoryField.toLowerCase()}`
            });
        n.followUpQuestions.forEach((q, i) =>
            refs.push({ path: `notifications.followUpQuestions.${i}.field`, key: `write|${q.field.toLowerCase()}` })
        );
    }
    return refs;
}
