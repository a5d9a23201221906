import { normaliseDomain, normaliseEmail } from './domains';
import type { CrmRecord, ReplicaObject } from './types';

/**
 * What the pipeline asks of the replica (MATCH-2). `ReplicaIndex` answers from hash maps; the
 * benchmark's naive baseline answers the same questions by scanning every record, so both give
 * the same matches at very different costs.
 */
export interface ReplicaLookup {
    contactsByEmail(email: string): readonly CrmRecord[];
    /** Contacts by full name (`normaliseName`); optional: without it, free-mail participants are not matched by name. */
    contactsByName?(name: string): readonly CrmRecord[];
    /** Unconverted leads only (converted leads are never candidates, MATCH-3). */
    leadsByEmail(email: string): readonly CrmRecord[];
    /** Accounts whose normalised Website is exactly this domain. */
    accountsByDomain(domain: string): readonly CrmRecord[];
    opportunitiesByAccount(accountId: string): readonly CrmRecord[];
    contactRolesByContact(contactId: string): readonly CrmRecord[];
    /** User ids on the account's / opportunity's team. */
    accountTeam(accountId: string): readonly string[];
    opportunityTeam(opportunityId: string): readonly string[];
    /** A Salesforce user id by (lower-case) email. */
    userIdByEmail(email: string): string | undefined;
    record(object: ReplicaObject, id: string): CrmRecord | undefined;
}

const EMPTY: readonly never[] = Object.freeze([]);

/** Record ids in one order everywhere (the cached index and the SQL path): code-unit order. */
export const byId = (a: { Id: string }, b: { Id: string }): number => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0);

/**
 * A multimap whose lists stay sorted by record id, so that the order of candidates (which
 * decides ties in ranking) does not depend on the order records were pulled or updated in: a
 * rebuilt index, an incrementally updated one and the SQL look-ups all list them the same way.
 */
class MultiMap<V extends { Id: string }> {
    private readonly map = new Map<string, V[]>();
    get(key: string): readonly V[] {
        return this.map.get(key) ?? EMPTY;
    }
    add(key: string, value: V): void {
        const list = this.map.get(key);
        if (!list) {
            this.map.set(key, [value]);
            return;
        }
        let lo = 0;
        let hi = list.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (byId(list[mid]!, value) <= 0) lo = mid + 1;
            else hi = mid;
        }
        list.splice(lo, 0, value);
    }
    remove(key: string, id: string): void {
        const list = this.map.get(key);
        if (!list) return;
        const i = list.findIndex((v) => v.Id === id);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) this.map.delete(key);
    }
    get size(): number {
        return this.map.size;
    }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * A person's name as a key: lower case, accents, quotes and dots dropped, spaces collapsed
 * (`"José  O'Neil"` → `jose oneil`). Null below two words: one word names nobody for sure.
 */
export function normaliseName(value: unknown): string | null {
    if (typeof value !== 'string') return null;
    const key = value
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/["'’.]/g, '')
        .replace(/\s+/g, ' ')
        .trim();
    return key.includes(' ') ? key : null;
}

/** A Contact's full name: Name, else FirstName LastName. */
export function contactNameKey(r: CrmRecord): string | null {
    if (typeof r.Name === 'string' && r.Name) return normaliseName(r.Name);
    const parts = [r.FirstName, r.LastName].filter((p): p is string => typeof p === 'string' && p !== '');
    return normaliseName(parts.join(' '));
}

/** The secondary keys of the replica: what a record is looked up by (MATCH-2). */
export const MATCH_KEY_KINDS = [
    'contact_email',
    'contact_name',
    'lead_email',
    'account_domain',
    'opportunity_account',
    'role_contact',
    'account_team',
    'opportunity_team',
    'user_email'
] as const;
export type MatchKeyKind = (typeof MATCH_KEY_KINDS)[number];

export interface MatchKey {
    kind: MatchKeyKind;
    key: string;
}

/**
 * Every secondary key a record sits under. The in-memory index and the SQL look-ups
 * (`crm_match_keys`) are both built from this one function, so they agree on every key.
 */
export function recordKeys(object: ReplicaObject, r: CrmRecord): MatchKey[] {
    const out: MatchKey[] = [];
    const add = (kind: MatchKeyKind, key: string | null) => {
        if (key) out.push({ kind, key });
    };
    switch (object) {
        case 'Contact':
            add('contact_email', normaliseEmail(r.Email));
            add('contact_name', contactNameKey(r));
            break;
        case 'Lead':
            if (r.IsConverted !== true) add('lead_email', normaliseEmail(r.Email));
            break;
        case 'Account':
            add('account_domain', normaliseDomain(r.Website));
            break;
        case 'Opportunity':
            add('opportunity_account', str(r.AccountId));
            break;
        case 'OpportunityContactRole':
            add('role_contact', str(r.ContactId));
            break;
        case 'AccountTeamMember':
            add('account_team', str(r.AccountId));
            break;
        case 'OpportunityTeamMember':
            add('opportunity_team', str(r.OpportunityId));
            break;
        case 'User':
            add('user_email', normaliseEmail(r.Email));
            break;
        default:
            break;
    }
    return out;
}

/**
 * What one index costs on the heap, estimated from what it holds (bytes): per record a fixed
 * cost, per field a slot, per string value its characters (one byte each when Latin-1, else
 * two), per secondary key an entry and its characters. Counted as records are applied and
 * removed, so the figure stays current. Calibrated with `npm run bench:index-bytes` (heap used
 * before and after building indexes of generated orgs from JSON-parsed records, forced GC, one
 * process per size): the estimate errs high, by 15–40 %, so the cache stays under its budget.
 */
export const INDEX_BYTES = {
    /** The object's header and its entry in the by-id map. */
    record: 48,
    /** A property slot and, for a string, its share of a header (short values are interned by JSON.parse). */
    field: 16,
    /** A key's entry in its map and its list, and its string's header. */
    key: 40
} as const;

/** A string's characters: one byte each when all are Latin-1, else two. */
function charBytes(v: string): number {
    return /^[\u0000-\u00ff]*$/.test(v) ? v.length : 2 * v.length;
}

/** The estimated heap bytes of one record and its keys in an index (see INDEX_BYTES). */
export function recordBytes(r: CrmRecord, keys: readonly MatchKey[]): number {
    // Field names are shared by every record (interned), so they are not counted.
    let bytes = INDEX_BYTES.record;
    for (const value of Object.values(r)) {
        bytes += INDEX_BYTES.field;
        if (typeof value === 'string') bytes += charBytes(value);
        else if (value !== null && typeof value === 'object') bytes += charBytes(JSON.stringify(value));
    }
    // A key is counted as its own string, though most are the record's value (ids) or a copy of it.
    for (const k of keys) bytes += INDEX_BYTES.key + charBytes(k.key);
    return bytes;
}

/**
 * In-memory indexes over one org's replica (MATCH-2): email → contacts and leads, contact name →
 * contacts, domain →
 * accounts, account → opportunities, contact → contact roles, account/opportunity → team
 * members, user email → user id. Built once per org from the stored replica and kept current
 * by `apply` / `remove` after each pull, so matching an activity costs a handful of hash
 * look-ups whatever the size of the org.
 */
export class ReplicaIndex implements ReplicaLookup {
    private readonly byObject = new Map<ReplicaObject, Map<string, CrmRecord>>();
    private readonly maps = new Map<MatchKeyKind, MultiMap<CrmRecord>>(
        MATCH_KEY_KINDS.map((k) => [k, new MultiMap<CrmRecord>()])
    );
    private bytes = 0;

    static build(records: Iterable<{ object: ReplicaObject; record: CrmRecord }>): ReplicaIndex {
        const index = new ReplicaIndex();
        for (const { object, record } of records) index.apply(object, record);
        return index;
    }

    /** Add or replace one record (a pulled insert or update). */
    apply(object: ReplicaObject, record: CrmRecord): void {
        let table = this.byObject.get(object);
        if (!table) {
            table = new Map();
            this.byObject.set(object, table);
        }
        const previous = table.get(record.Id);
        if (previous) this.unindex(object, previous);
        table.set(record.Id, record);
        this.index(object, record);
    }

    /** Drop one record (deleted in Salesforce). */
    remove(object: ReplicaObject, id: string): void {
        const table = this.byObject.get(object);
        const previous = table?.get(id);
        if (!table || !previous) return;
        this.unindex(object, previous);
        table.delete(id);
    }

    /** Records held, all objects. */
    get size(): number {
        let n = 0;
        for (const table of this.byObject.values()) n += table.size;
        return n;
    }

    count(object: ReplicaObject): number {
        return this.byObject.get(object)?.size ?? 0;
    }

    /** Estimated heap bytes of this index (INDEX_BYTES). */
    get estimatedBytes(): number {
        return this.bytes;
    }

    private index(object: ReplicaObject, r: CrmRecord): void {
        const keys = recordKeys(object, r);
        for (const k of keys) this.maps.get(k.kind)!.add(k.key, r);
        this.bytes += recordBytes(r, keys);
    }

    private unindex(object: ReplicaObject, r: CrmRecord): void {
        const keys = recordKeys(object, r);
        for (const k of keys) this.maps.get(k.kind)!.remove(k.key, r.Id);
        this.bytes -= recordBytes(r, keys);
    }

    private get(kind: MatchKeyKind, key: string): readonly CrmRecord[] {
        return this.maps.get(kind)!.get(key);
    }

    contactsByEmail(email: string): readonly CrmRecord[] {
        return this.get('contact_email', email);
    }
    contactsByName(name: string): readonly CrmRecord[] {
        return this.get('contact_name', name);
    }
    leadsByEmail(email: string): readonly CrmRecord[] {
        return this.get('lead_email', email);
    }
    accountsByDomain(domain: string): readonly CrmRecord[] {
        return this.get('account_domain', domain);
    }
    opportunitiesByAccount(accountId: string): readonly CrmRecord[] {
        return this.get('opportunity_account', accountId);
    }
    contactRolesByContact(contactId: string): readonly CrmRecord[] {
        return this.get('role_contact', contactId);
    }
    accountTeam(accountId: string): readonly string[] {
        return this.get('account_team', accountId).map((m) => String(m.UserId));
    }
    opportunityTeam(opportunityId: string): readonly string[] {
        return this.get('opportunity_team', opportunityId).map((m) => String(m.UserId));
    }
    /** The user with this email; several users may share one: the lowest id, whatever the pull order. */
    userIdByEmail(email: string): string | undefined {
        return this.get('user_email', email)[0]?.Id;
    }
    record(object: ReplicaObject, id: string): CrmRecord | undefined {
        return this.byObject.get(object)?.get(id);
    }
}
