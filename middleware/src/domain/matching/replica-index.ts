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

/** A multimap whose lists can lose one record by id (incremental updates). */
class MultiMap<V extends { Id: string }> {
    private readonly map = new Map<string, V[]>();
    get(key: string): readonly V[] {
        return this.map.get(key) ?? EMPTY;
    }
    add(key: string, value: V): void {
        const list = this.map.get(key);
        if (list) list.push(value);
        else this.map.set(key, [value]);
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
    private readonly contactEmail = new MultiMap<CrmRecord>();
    private readonly contactName = new MultiMap<CrmRecord>();
    private readonly leadEmail = new MultiMap<CrmRecord>();
    private readonly accountDomain = new MultiMap<CrmRecord>();
    private readonly accountOpps = new MultiMap<CrmRecord>();
    private readonly contactRoles = new MultiMap<CrmRecord>();
    private readonly accountTeamMembers = new MultiMap<CrmRecord>();
    private readonly opportunityTeamMembers = new MultiMap<CrmRecord>();
    private readonly userEmail = new Map<string, string>();

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

    count(object: ReplicaObject): number {
        return this.byObject.get(object)?.size ?? 0;
    }

    private index(object: ReplicaObject, r: CrmRecord): void {
        this.keys(object, r, (map, key) => map.add(key, r));
        if (object === 'User') {
            const email = normaliseEmail(r.Email);
            if (email) this.userEmail.set(email, r.Id);
        }
    }

    private unindex(object: ReplicaObject, r: CrmRecord): void {
        this.keys(object, r, (map, key) => map.remove(key, r.Id));
        if (object === 'User') {
            const email = normaliseEmail(r.Email);
            if (email && this.userEmail.get(email) === r.Id) this.userEmail.delete(email);
        }
    }

    /** Every secondary key a record sits under. */
    private keys(object: ReplicaObject, r: CrmRecord, visit: (map: MultiMap<CrmRecord>, key: string) => void): void {
        switch (object) {
            case 'Contact': {
                const email = normaliseEmail(r.Email);
                if (email) visit(this.contactEmail, email);
                const name = contactNameKey(r);
                if (name) visit(this.contactName, name);
                return;
            }
            case 'Lead': {
                const email = normaliseEmail(r.Email);
                if (email && r.IsConverted !== true) visit(this.leadEmail, email);
                return;
            }
            case 'Account': {
                const domain = normaliseDomain(r.Website);
                if (domain) visit(this.accountDomain, domain);
                return;
            }
            case 'Opportunity': {
                const account = str(r.AccountId);
                if (account) visit(this.accountOpps, account);
                return;
            }
            case 'OpportunityContactRole': {
                const contact = str(r.ContactId);
                if (contact) visit(this.contactRoles, contact);
                return;
            }
            case 'AccountTeamMember': {
                const account = str(r.AccountId);
                if (account) visit(this.accountTeamMembers, account);
                return;
            }
            case 'OpportunityTeamMember': {
                const opportunity = str(r.OpportunityId);
                if (opportunity) visit(this.opportunityTeamMembers, opportunity);
                return;
            }
            default:
                return;
        }
    }

    contactsByEmail(email: string): readonly CrmRecord[] {
        return this.contactEmail.get(email);
    }
    contactsByName(name: string): readonly CrmRecord[] {
        return this.contactName.get(name);
    }
    leadsByEmail(email: string): readonly CrmRecord[] {
        return this.leadEmail.get(email);
    }
    accountsByDomain(domain: string): readonly CrmRecord[] {
        return this.accountDomain.get(domain);
    }
    opportunitiesByAccount(accountId: string): readonly CrmRecord[] {
        return this.accountOpps.get(accountId);
    }
    contactRolesByContact(contactId: string): readonly CrmRecord[] {
        return this.contactRoles.get(contactId);
    }
    accountTeam(accountId: string): readonly string[] {
        return this.accountTeamMembers.get(accountId).map((m) => String(m.UserId));
    }
    opportunityTeam(opportunityId: string): readonly string[] {
        return this.opportunityTeamMembers.get(opportunityId).map((m) => String(m.UserId));
    }
    userIdByEmail(email: string): string | undefined {
        return this.userEmail.get(email);
    }
    record(object: ReplicaObject, id: string): CrmRecord | undefined {
        return this.byObject.get(object)?.get(id);
    }
}
