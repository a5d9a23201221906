import type { MatchKeyKind, ReplicaLookup } from './replica-index';
import type { CrmRecord, ReplicaObject } from './types';

/** The questions a run asked that the partial replica could not answer yet. */
export interface ReplicaMisses {
    keys: Map<MatchKeyKind, Set<string>>;
    records: Map<ReplicaObject, Set<string>>;
}

/**
 * A replica that knows only the answers fetched so far (SCALE-2): the SQL path of matching.
 * A pure, synchronous computation (the pipeline) runs against it; every question it cannot
 * answer yet is noted as a miss and answered "nothing" for now. The caller fetches all misses
 * in batches and runs again, until a run asks nothing new: that run saw exactly the records
 * the full index would have shown it, so its result is the same.
 */
export class PartialReplica implements ReplicaLookup {
    private readonly keys = new Map<MatchKeyKind, Map<string, readonly CrmRecord[]>>();
    private readonly records = new Map<ReplicaObject, Map<string, CrmRecord | null>>();
    private misses: ReplicaMisses = emptyMisses();

    /** Record what a key look-up returned (already in id order). */
    learnKey(kind: MatchKeyKind, key: string, found: readonly CrmRecord[]): void {
        let map = this.keys.get(kind);
        if (!map) {
            map = new Map();
            this.keys.set(kind, map);
        }
        map.set(key, found);
    }

    /** Record one record by id, or that there is none (null). */
    learnRecord(object: ReplicaObject, id: string, record: CrmRecord | null): void {
        let map = this.records.get(object);
        if (!map) {
            map = new Map();
            this.records.set(object, map);
        }
        map.set(id, record);
    }

    /** The misses since the last call, and a fresh list for the next run. */
    takeMisses(): ReplicaMisses {
        const out = this.misses;
        this.misses = emptyMisses();
        return out;
    }

    private key(kind: MatchKeyKind, key: string): readonly CrmRecord[] {
        const known = this.keys.get(kind)?.get(key);
        if (known) return known;
        let set = this.misses.keys.get(kind);
        if (!set) {
            set = new Set();
            this.misses.keys.set(kind, set);
        }
        set.add(key);
        return [];
    }

    contactsByEmail(email: string): readonly CrmRecord[] {
        return this.key('contact_email', email);
    }
    contactsByName(name: string): readonly CrmRecord[] {
        return this.key('contact_name', name);
    }
    leadsByEmail(email: string): readonly CrmRecord[] {
        return this.key('lead_email', email);
    }
    accountsByDomain(domain: string): readonly CrmRecord[] {
        return this.key('account_domain', domain);
    }
    opportunitiesByAccount(accountId: string): readonly CrmRecord[] {
        return this.key('opportunity_account', accountId);
    }
    contactRolesByContact(contactId: string): readonly CrmRecord[] {
        return this.key('role_contact', contactId);
    }
    accountTeam(accountId: string): readonly string[] {
        return this.key('account_team', accountId).map((m) => String(m.UserId));
    }
    opportunityTeam(opportunityId: string): readonly string[] {
        return this.key('opportunity_team', opportunityId).map((m) => String(m.UserId));
    }
    userIdByEmail(email: string): string | undefined {
        return this.key('user_email', email)[0]?.Id;
    }
    record(object: ReplicaObject, id: string): CrmRecord | undefined {
        const map = this.records.get(object);
        if (map?.has(id)) return map.get(id) ?? undefined;
        let set = this.misses.records.get(object);
        if (!set) {
            set = new Set();
            this.misses.records.set(object, set);
        }
        set.add(id);
        return undefined;
    }
}

function emptyMisses(): ReplicaMisses {
    return { keys: new Map(), records: new Map() };
}

/** True when a run asked nothing the replica did not know. */
export function noMisses(m: ReplicaMisses): boolean {
    return m.keys.size === 0 && m.records.size === 0;
}
