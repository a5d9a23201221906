import type { Connection } from '@jsforce/jsforce-node';
import { describeObjectFields, type DescribedField } from '../salesforce/field-list';

/** The caller of a use case: the org it acts in and who acts (for audit; unused by reads). */
export interface Caller {
    orgId: string;
    actor: string;
}

/** A field an admin can pick: a field of the object, or of a parent one relationship away (`Account.Type`). */
export interface PickerField {
    /** The reference the API takes: `Type`, or `Account.Type` for a parent's field. */
    path: string;
    /** `Type`, or `Account › Account Type` for a parent's field. */
    label: string;
    type: string;
    filterable: boolean;
    sortable: boolean;
    updateable: boolean;
    picklistValues: { value: string; label: string }[];
}

export interface PickerFields {
    object: string;
    label: string;
    fields: PickerField[];
}

/** Polymorphic lookups (Owner: User or Group) follow User, as field references do (domain/field-references). */
const targetOf = (f: DescribedField) => (f.referenceTo.includes('User') ? 'User' : (f.referenceTo[0] ?? null));
/** A parent described for every lookup would be dozens of calls on a wide object: the first ones are enough to pick from. */
export const MAX_PARENTS = 25;
const PREFERRED_PARENTS = ['Account', 'Owner', 'RecordType', 'ConvertedAccount', 'Parent'];
const AUDIT_PARENTS = ['CreatedBy', 'LastModifiedBy'];
const byLabel = (a: PickerField, b: PickerField) => a.label.localeCompare(b.label);

const pick = (f: DescribedField, path: string, label: string): PickerField => ({
    path,
    label,
    type: f.type,
    filterable: f.filterable,
    sortable: f.sortable,
    // A parent's field is never written through the child.
    updateable: path.includes('.') ? false : f.updateable,
    picklistValues: f.picklistValues
});

/**
 * CP-5..CP-7: the fields of `object` for the profile editor's field pickers, with the parent
 * fields one relationship away (`Account.Type` on Opportunity, `Owner.Name`), from the org's
 * describe as the integration user. null when the object is not readable.
 */
export async function listPickerFields(
    connection: () => Promise<Connection>,
    object: string
): Promise<PickerFields | null> {
    const conn = await connection();
    const own = await describeObjectFields(conn, object);
    if (!own) return null;
    const fields = own.fields.map((f) => pick(f, f.name, f.label)).sort(byLabel);
    // The parents an admin filters on first (the account, the owner, the record type); audit lookups last.
    const rank = (f: DescribedField) => {
        const i = PREFERRED_PARENTS.indexOf(f.relationshipName ?? '');
        if (i >= 0) return i;
        return AUDIT_PARENTS.includes(f.relationshipName ?? '') ? 1000 : 100;
    };
    const lookups = own.fields
        .filter((f) => f.type === 'reference' && f.relationshipName && targetOf(f))
        .sort((a, b) => rank(a) - rank(b))
        .slice(0, MAX_PARENTS);
    const targets = [...new Set(lookups.map((f) => targetOf(f)!))];
    const parents = new Map(
        await Promise.all(targets.map(async (t) => [t, await describeObjectFields(conn, t)] as const))
    );
    for (const f of lookups) {
        const parent = parents.get(targetOf(f)!);
        if (!parent) continue; // a parent the integration user cannot read offers nothing
        const relLabel = f.label.replace(/\s+ID$/i, '');
        const theirs = parent.fields
            .filter((pf) => pf.type !== 'reference' && pf.type !== 'id')
            .map((pf) => pick(pf, `${f.relationshipName}.${pf.name}`, `${relLabel} › ${pf.label}`));
        fields.push(...theirs.sort(byLabel));
    }
    return { object: own.name, label: own.label, fields };
}
