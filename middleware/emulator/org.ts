import { SfError, invalidField, invalidType } from './errors';
import { IdFactory, normalizeId } from './ids';
import { SYSTEM_PERMISSIONS, type FieldSchema, type ObjectSchema, type OrgSchema } from './schema';

export type SfRecord = Record<string, unknown> & { Id: string };

interface Table {
    schema: ObjectSchema;
    fields: Map<string, FieldSchema>; // lower-case name → field
    rows: Map<string, SfRecord>;
    /** unique/external-id field → value key → ids (live rows only) */
    unique: Map<string, Map<string, Set<string>>>;
    /**
     * Equality indexes (Id-like, reference, external-id and unique fields), built on first use by a
     * query and kept up to date by every write afterwards: field → lower-cased value → ids (deleted
     * rows included, so queryAll can use them too).
     */
    eq: Map<string, Map<string, Set<string>>>;
}

/** Field types whose SOQL `=` is a plain (case-insensitive) string match, so an index lookup is exact. */
const INDEXABLE_TYPES = new Set(['id', 'reference', 'string', 'email', 'phone', 'url', 'picklist', 'combobox']);

export interface ObjectAccess {
    read: boolean;
    create: boolean;
    edit: boolean;
    delete: boolean;
    viewAll: boolean;
    modifyAll: boolean;
}

export interface UserAccess {
    userId: string;
    permissions: Set<string>;
    object(name: string): ObjectAccess;
    /** Field-level security: can the user read / edit Object.Field? */
    fieldRead(object: string, field: string): boolean;
    fieldEdit(object: string, field: string): boolean;
    /** Owner ids whose records the user sees under a Private org-wide default (own + role subordinates). */
    ownerIds: Set<string>;
}

/** Objects the org's users may read whatever their object permissions (setup and metadata-like objects). */
const SETUP_OBJECTS = new Set([
    'User',
    'UserRole',
    'Profile',
    'UserLicense',
    'Group',
    'Organization',
    'Period',
    'FiscalYearSettings',
    'LeadStatus',
    'OpportunityStage',
    'RecordType',
    'PermissionSet',
    'PermissionSetAssignment',
    'ObjectPermissions',
    'FieldPermissions',
    'UserPermissionAccess',
    'UserEntityAccess',
    'UserFieldAccess',
    'CustomNotificationType',
    'CurrencyType',
    'DatedConversionRate'
]);
/** Objects whose access follows a parent object (seed 003's "inherited" objects). */
const INHERITS: Record<string, string> = {
    OpportunityContactRole: 'Opportunity',
    OpportunityTeamMember: 'Opportunity',
    OpportunityHistory: 'Opportunity',
    AccountTeamMember: 'Account',
    LeadHistory: 'Lead',
    EventRelation: 'Event',
    TaskRelation: 'Task'
};
/** Objects whose fields are under field-level security in the emulator. */
const FLS_OBJECTS = new Set(['Account', 'Contact', 'Lead', 'Opportunity', 'Event', 'Task']);
const ALWAYS_READABLE = new Set([
    'Id',
    'IsDeleted',
    'CreatedDate',
    'CreatedById',
    'LastModifiedDate',
    'LastModifiedById',
    'SystemModstamp',
    // Lead conversion and opportunity status fields: Salesforce offers no field permission for
    // them (seed 003 lists them as inherited), so they are readable with the object.
    'IsConverted',
    'ConvertedDate',
    'ConvertedAccountId',
    'ConvertedContactId',
    'ConvertedOpportunityId',
    'IsClosed',
    'IsWon'
]);
function alwaysReadable(f: FieldSchema): boolean {
    if (f.custom) return false;
    return (!f.nillable && f.type !== 'boolean') || (f.calculated === true && f.type !== 'currency');
}

/** Org-wide default fields per object. */
const OWD_FIELD: Record<string, string> = {
    Account: 'DefaultAccountAccess',
    Contact: 'DefaultContactAccess',
    Lead: 'DefaultLeadAccess',
    Opportunity: 'DefaultOpportunityAccess'
};

/** Salesforce datetime format: 2024-01-01T00:00:00.000+0000 */
export function sfDateTime(d: Date): string {
    return d.toISOString().replace('Z', '+0000');
}

/** One org's data, schema and permission model, in memory. */
export class Org {
    readonly ids = new IdFactory();
    readonly tables = new Map<string, Table>();
    private readonly lowerNames = new Map<string, string>();
    private readonly byPrefix = new Map<string, string[]>();
    readonly orgId: string;
    private accessCache = new Map<string, UserAccess>();
    /** Bumped on every write; lets callers cache derived data. */
    version = 0;
    private lastStamp = 0;

    constructor(
        public schema: OrgSchema,
        orgId?: string
    ) {
        for (const o of schema.objects.values()) this.addTable(o);
        this.orgId = orgId ?? this.ids.next('00D');
    }

    private addTable(o: ObjectSchema): void {
        const fields = new Map(o.fields.map((f) => [f.name.toLowerCase(), f]));
        const unique = new Map<string, Map<string, Set<string>>>();
        for (const f of o.fields) if ((f.unique || f.externalId) && f.name !== 'Id') unique.set(f.name, new Map());
        const previous = this.tables.get(o.name);
        const table: Table = { schema: o, fields, rows: previous?.rows ?? new Map(), unique, eq: new Map() };
        this.tables.set(o.name, table);
        this.lowerNames.set(o.name.toLowerCase(), o.name);
        const sameprefix = this.byPrefix.get(o.keyPrefix) ?? [];
        if (!sameprefix.includes(o.name)) sameprefix.push(o.name);
        this.byPrefix.set(o.keyPrefix, sameprefix);
        if (previous) for (const r of table.rows.values()) this.index(table, r);
    }

    /**
     * Replace the schema (multi-currency on/off): records are kept, fields that disappear are
     * dropped from every record, new defaulted fields get their default.
     */
    setSchema(schema: OrgSchema): void {
        this.schema = schema;
        for (const name of [...this.tables.keys()]) {
            if (!schema.objects.has(name)) {
                this.tables.delete(name);
                this.lowerNames.delete(name.toLowerCase());
            }
        }
        this.byPrefix.clear();
        for (const o of schema.objects.values()) {
            const rows = this.tables.get(o.name)?.rows;
            if (rows) {
                const names = new Set(o.fields.map((f) => f.name));
                for (const r of rows.values()) {
                    for (const k of Object.keys(r)) if (!names.has(k)) Reflect.deleteProperty(r, k);
                    for (const f of o.fields)
                        if (!(f.name in r)) r[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
                }
            }
            this.addTable(o);
        }
        for (const o of schema.objects.values()) {
            if (!this.byPrefix.get(o.keyPrefix)?.includes(o.name))
                this.byPrefix.set(o.keyPrefix, [...(this.byPrefix.get(o.keyPrefix) ?? []), o.name]);
        }
        this.version += 1;
        this.accessCache.clear();
    }

    /** Canonical object name, or INVALID_TYPE. */
    objectName(name: string): string {
        const canonical = this.lowerNames.get(name.toLowerCase());
        if (!canonical) throw invalidType(name);
        return canonical;
    }

    table(name: string): Table {
        const t = this.tables.get(this.objectName(name));
        if (!t) throw invalidType(name);
        return t;
    }

    field(object: string, name: string): FieldSchema | undefined {
        return this.table(object).fields.get(name.toLowerCase());
    }

    requireField(object: string, name: string): FieldSchema {
        const f = this.field(object, name);
        if (!f) throw invalidField(object, name);
        return f;
    }

    /** The object an id belongs to, from its key prefix. */
    objectOfId(id: string): string | undefined {
        const names = this.byPrefix.get(id.slice(0, 3));
        if (!names) return undefined;
        if (names.length === 1) return names[0];
        return names.find((n) => this.tables.get(n)?.rows.has(id)) ?? names[0];
    }

    get(id: string): SfRecord | undefined {
        const norm = normalizeId(id);
        if (!norm) return undefined;
        const object = this.objectOfId(norm);
        return object ? this.tables.get(object)?.rows.get(norm) : undefined;
    }

    /** A strictly increasing timestamp (two writes in one millisecond still get distinct SystemModstamps). */
    /** The org's clock in ms: the wall clock, or the last SystemModstamp when a bulk load ran ahead of it. */
    clockMs(): number {
        return Math.max(Date.now(), this.lastStamp);
    }

    now(): string {
        const t = Math.max(Date.now(), this.lastStamp + 1);
        this.lastStamp = t;
        return sfDateTime(new Date(t));
    }

    /**
     * `n` strictly increasing timestamps for a bulk load, ending at the current time when the
     * clock allows (a 500,000-row load does not push SystemModstamp minutes into the future) and
     * never before an earlier write.
     */
    stamps(n: number): (i: number) => string {
        const start = Math.max(this.lastStamp + 1, Date.now() - Math.max(0, n - 1));
        this.lastStamp = Math.max(this.lastStamp, start + Math.max(0, n - 1));
        return (i) => sfDateTime(new Date(start + i));
    }

    /** Insert or replace a record as is (no validation): used by seeding, bulk loads and undo. */
    put(object: string, record: SfRecord): void {
        const t = this.table(object);
        const previous = t.rows.get(record.Id);
        if (previous) this.unindex(t, previous);
        t.rows.set(record.Id, record);
        this.index(t, record);
        this.touched(object);
    }

    /** Replace every row of a (computed) table at once. */
    replaceRows(object: string, rows: SfRecord[]): void {
        const t = this.table(object);
        t.rows.clear();
        for (const idx of t.eq.values()) idx.clear();
        for (const idx of t.unique.values()) idx.clear();
        for (const r of rows) {
            t.rows.set(r.Id, r);
            this.index(t, r);
        }
    }

    /** Remove a record for good (undo of a create). */
    purge(object: string, id: string): void {
        const t = this.table(object);
        const previous = t.rows.get(id);
        if (!previous) return;
        this.unindex(t, previous);
        t.rows.delete(id);
        this.touched(object);
    }

    private touched(object: string): void {
        this.version += 1;
        if (
            [
                'PermissionSet',
                'PermissionSetAssignment',
                'ObjectPermissions',
                'FieldPermissions',
                'Profile',
                'User',
                'UserRole',
                'Organization'
            ].includes(object)
        ) {
            this.accessCache.clear();
        }
    }

    private uniqueKey(field: FieldSchema, value: unknown): string {
        const s = String(value);
        return field.caseSensitive ? s : s.toLowerCase();
    }

    private eqKey(value: unknown): string | null {
        if (value === null || value === undefined || value === '') return null;
        return String(value).toLowerCase();
    }

    private index(t: Table, r: SfRecord): void {
        for (const [name, idx] of t.eq) {
            const key = this.eqKey(r[name]);
            if (key === null) continue;
            let ids = idx.get(key);
            if (!ids) idx.set(key, (ids = new Set()));
            ids.add(r.Id);
        }
        if (r.IsDeleted) return;
        for (const [name, idx] of t.unique) {
            const v = r[name];
            if (v === null || v === undefined || v === '') continue;
            const key = this.uniqueKey(t.fields.get(name.toLowerCase())!, v);
            let ids = idx.get(key);
            if (!ids) idx.set(key, (ids = new Set()));
            ids.add(r.Id);
        }
    }

    private unindex(t: Table, r: SfRecord): void {
        for (const [name, idx] of t.eq) {
            const key = this.eqKey(r[name]);
            if (key !== null) idx.get(key)?.delete(r.Id);
        }
        for (const [name, idx] of t.unique) {
            const v = r[name];
            if (v === null || v === undefined || v === '') continue;
            idx.get(this.uniqueKey(t.fields.get(name.toLowerCase())!, v))?.delete(r.Id);
        }
    }

    /** Live records whose unique/external-id field equals value. */
    findByUnique(object: string, fieldName: string, value: unknown): SfRecord[] {
        const t = this.table(object);
        const f = this.requireField(object, fieldName);
        const idx = t.unique.get(f.name);
        if (!idx) {
            return [...t.rows.values()].filter((r) => !r.IsDeleted && String(r[f.name]) === String(value));
        }
        return [...(idx.get(this.uniqueKey(f, value)) ?? [])].map((id) => t.rows.get(id)!).filter((r) => !r.IsDeleted);
    }

    /** Can `field = value` on this object be answered from an equality index? */
    indexable(object: string, field: FieldSchema): boolean {
        return (
            INDEXABLE_TYPES.has(field.type) &&
            (field.type === 'id' ||
                field.type === 'reference' ||
                field.externalId === true ||
                field.unique === true ||
                field.idLookup === true) &&
            this.table(object).fields.get(field.name.toLowerCase()) === field
        );
    }

    /**
     * Rows (deleted ones included) whose field equals one of the values, from the field's equality
     * index (built on first use). Callers still apply the full condition: this only narrows.
     */
    lookup(object: string, field: FieldSchema, values: unknown[]): SfRecord[] {
        const t = this.table(object);
        if (field.name === 'Id') {
            const out: SfRecord[] = [];
            for (const v of values) {
                const id = typeof v === 'string' ? normalizeId(v) : null;
                const r = id ? t.rows.get(id) : undefined;
                if (r && !out.includes(r)) out.push(r);
            }
            return out;
        }
        let idx = t.eq.get(field.name);
        if (!idx) {
            idx = new Map();
            t.eq.set(field.name, idx);
            for (const r of t.rows.values()) {
                const key = this.eqKey(r[field.name]);
                if (key === null) continue;
                let ids = idx.get(key);
                if (!ids) idx.set(key, (ids = new Set()));
                ids.add(r.Id);
            }
        }
        const ids = new Set<string>();
        for (const v of values) {
            const key = this.eqKey(v);
            if (key === null) continue;
            for (const id of idx.get(key) ?? []) ids.add(id);
        }
        const out: SfRecord[] = [];
        for (const id of ids) {
            const r = t.rows.get(id);
            if (r) out.push(r);
        }
        // Keep the table's insertion order, as a full scan would: ids are issued in increasing
        // order (IdFactory), so sorting by id is insertion order.
        if (out.length > 1) out.sort((x, y) => (x.Id < y.Id ? -1 : x.Id > y.Id ? 1 : 0));
        return out;
    }

    rows(object: string): IterableIterator<SfRecord> {
        return this.table(object).rows.values();
    }

    organization(): SfRecord {
        const org = this.tables.get('Organization')?.rows.get(this.orgId);
        if (!org) throw new SfError(500, 'UNKNOWN_EXCEPTION', 'The emulator org has no Organization record');
        return org;
    }

    /**
     * The org-wide default of an object, normalised: 'Private' (Salesforce stores it as 'None'),
     * 'Read', 'Edit' (also ReadEditTransfer), 'ControlledByParent'; objects without one are 'Edit'.
     */
    orgWideDefault(object: string): 'Private' | 'Read' | 'Edit' | 'ControlledByParent' {
        const f = OWD_FIELD[object];
        if (!f) return 'Edit';
        const v = String(this.organization()[f] ?? 'Edit');
        if (v === 'None' || v === 'Private') return 'Private';
        if (v === 'Read') return 'Read';
        if (v === 'ControlledByParent') return 'ControlledByParent';
        return 'Edit';
    }

    /** Is the org-wide default of this object Private? */
    isPrivate(object: string): boolean {
        return this.orgWideDefault(object) === 'Private';
    }

    private parentField(object: string, parent: string): FieldSchema | undefined {
        const t = this.table(object);
        return parent === 'Account' && t.fields.has('accountid')
            ? t.fields.get('accountid')
            : t.schema.fields.find((f) => f.referenceTo?.includes(parent));
    }

    /** The effective permissions of a user: profile + every assigned permission set. */
    access(userId: string): UserAccess {
        const cached = this.accessCache.get(userId);
        if (cached) return cached;
        const user = this.tables.get('User')?.rows.get(userId);
        const setIds = new Set<string>();
        if (user) {
            for (const ps of this.rows('PermissionSet')) {
                if (ps.IsOwnedByProfile && ps.ProfileId === user.ProfileId && !ps.IsDeleted) setIds.add(ps.Id);
            }
            for (const a of this.rows('PermissionSetAssignment')) {
                if (a.AssigneeId === userId && !a.IsDeleted) setIds.add(String(a.PermissionSetId));
            }
        }
        const permissions = new Set<string>();
        const profile = user ? this.tables.get('Profile')?.rows.get(String(user.ProfileId)) : undefined;
        for (const p of SYSTEM_PERMISSIONS) {
            if (profile?.[`Permissions${p}`] === true) permissions.add(p);
            for (const id of setIds)
                if (this.tables.get('PermissionSet')?.rows.get(id)?.[`Permissions${p}`] === true) permissions.add(p);
        }
        const objects = new Map<string, ObjectAccess>();
        for (const op of this.rows('ObjectPermissions')) {
            if (op.IsDeleted || !setIds.has(String(op.ParentId))) continue;
            const name = String(op.SobjectType);
            const a = objects.get(name) ?? {
                read: false,
                create: false,
                edit: false,
                delete: false,
                viewAll: false,
                modifyAll: false
            };
            a.read ||= op.PermissionsRead === true;
            a.create ||= op.PermissionsCreate === true;
            a.edit ||= op.PermissionsEdit === true;
            a.delete ||= op.PermissionsDelete === true;
            a.viewAll ||= op.PermissionsViewAllRecords === true;
            a.modifyAll ||= op.PermissionsModifyAllRecords === true;
            objects.set(name, a);
        }
        const fieldRead = new Set<string>();
        const fieldEdit = new Set<string>();
        const fieldDenied = new Set<string>();
        for (const fp of this.rows('FieldPermissions')) {
            if (fp.IsDeleted || !setIds.has(String(fp.ParentId))) continue;
            const key = String(fp.Field).toLowerCase();
            if (fp.PermissionsRead === true || fp.PermissionsEdit === true) fieldRead.add(key);
            if (fp.PermissionsEdit === true) fieldEdit.add(key);
            if (fp.PermissionsRead !== true) fieldDenied.add(key);
        }
        const modifyAllData = permissions.has('ModifyAllData');
        const viewAllData = permissions.has('ViewAllData') || modifyAllData;
        const none: ObjectAccess = {
            read: false,
            create: false,
            edit: false,
            delete: false,
            viewAll: false,
            modifyAll: false
        };
        const objectAccess = (name: string): ObjectAccess => {
            if (modifyAllData)
                return { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true };
            if (SETUP_OBJECTS.has(name)) {
                const manage = permissions.has('ManageUsers');
                return { read: true, create: manage, edit: manage, delete: manage, viewAll: true, modifyAll: manage };
            }
            const parent = INHERITS[name];
            if (parent) {
                // Salesforce: adding or removing a contact role, team member or relation takes Edit
                // on the parent record (those objects have no Create/Delete permission of their own).
                const p = objectAccess(parent);
                return { ...p, create: p.edit, delete: p.edit };
            }
            const a = objects.get(name) ?? none;
            const read = a.read || viewAllData;
            return { ...a, read, viewAll: a.viewAll || viewAllData };
        };
        const fieldKey = (object: string, field: string) => `${object}.${field}`.toLowerCase();
        const flsApplies = (object: string) => FLS_OBJECTS.has(object) || object.endsWith('__c');
        // A compound field (BillingAddress) and its components (BillingCity …) answer to each
        // other's grants: permission sets list either form.
        const granted = (set: Set<string>, object: string, f: FieldSchema): boolean => {
            if (set.has(fieldKey(object, f.name))) return true;
            if (f.compoundFieldName && set.has(fieldKey(object, f.compoundFieldName))) return true;
            if (f.type === 'address' || f.type === 'location') {
                return this.table(object).schema.fields.some(
                    (c) => c.compoundFieldName === f.name && set.has(fieldKey(object, c.name))
                );
            }
            return false;
        };
        const denied = (object: string, f: FieldSchema): boolean =>
            fieldDenied.has(fieldKey(object, f.name)) ||
            (!!f.compoundFieldName && fieldDenied.has(fieldKey(object, f.compoundFieldName)));
        const fieldReadFn = (object: string, field: string): boolean => {
            if (!objectAccess(object).read) return false;
            if (modifyAllData || !flsApplies(object) || ALWAYS_READABLE.has(field)) return true;
            const f = this.field(object, field);
            if (!f) return false;
            if (granted(fieldRead, object, f)) return true;
            // Salesforce keeps required and formula-like fields readable (no field permission exists
            // for them); the emulator still lets a test revoke one with an explicit
            // FieldPermissions row whose PermissionsRead is false.
            return alwaysReadable(f) && !denied(object, f);
        };
        const fieldEditFn = (object: string, field: string): boolean => {
            if (modifyAllData || !flsApplies(object)) return true;
            const f = this.field(object, field);
            if (!f) return false;
            if (granted(fieldEdit, object, f)) return true;
            // Required fields have no field permission in Salesforce: editable with the object.
            return alwaysReadable(f) && !denied(object, f);
        };
        const ownerIds = new Set<string>([userId]);
        if (user?.UserRoleId) {
            const subordinateRoles = new Set<string>();
            const walk = (roleId: string) => {
                for (const r of this.rows('UserRole')) {
                    if (r.ParentRoleId === roleId && !subordinateRoles.has(r.Id)) {
                        subordinateRoles.add(r.Id);
                        walk(r.Id);
                    }
                }
            };
            walk(String(user.UserRoleId));
            for (const u of this.rows('User'))
                if (u.UserRoleId && subordinateRoles.has(String(u.UserRoleId))) ownerIds.add(u.Id);
        }
        const result: UserAccess = {
            userId,
            permissions,
            object: objectAccess,
            fieldRead: fieldReadFn,
            fieldEdit: fieldEditFn,
            ownerIds
        };
        this.accessCache.set(userId, result);
        return result;
    }

    /**
     * Sharing for reading: object Read, then View All (or View All Data) sees everything; objects
     * that follow a parent (contact roles, team members, a Contact under ControlledByParent) follow
     * the parent's visibility; under a Private default only records owned by the user or by users
     * below them in the role hierarchy (Salesforce's "Grant Access Using Hierarchies").
     */
    canSee(access: UserAccess, object: string, record: SfRecord): boolean {
        const a = access.object(object);
        if (!a.read) return false;
        if (a.viewAll) return true;
        const parent =
            INHERITS[object] ?? (this.orgWideDefault(object) === 'ControlledByParent' ? 'Account' : undefined);
        if (parent) {
            const field = this.parentField(object, parent);
            const parentRecord = field ? this.get(String(record[field.name] ?? '')) : undefined;
            if (parentRecord) return this.canSee(access, parent, parentRecord);
            // No parent (a private contact): only its owner's hierarchy sees it.
            return !('OwnerId' in record) || access.ownerIds.has(String(record.OwnerId));
        }
        if (!this.isPrivate(object)) return true;
        return access.ownerIds.has(String(record.OwnerId));
    }

    /**
     * Sharing for editing and deleting: Modify All (or Modify All Data) edits everything; a
     * Public Read/Write default lets every reader edit; Public Read Only and Private leave editing
     * to the owner and the users above them in the role hierarchy; children follow their parent.
     */
    canModify(access: UserAccess, object: string, record: SfRecord): boolean {
        const a = access.object(object);
        if (a.modifyAll) return true;
        const parent =
            INHERITS[object] ?? (this.orgWideDefault(object) === 'ControlledByParent' ? 'Account' : undefined);
        if (parent) {
            const field = this.parentField(object, parent);
            const parentRecord = field ? this.get(String(record[field.name] ?? '')) : undefined;
            if (parentRecord) return this.canModify(access, parent, parentRecord);
            return !('OwnerId' in record) || access.ownerIds.has(String(record.OwnerId));
        }
        if (this.orgWideDefault(object) === 'Edit') return true;
        return access.ownerIds.has(String(record.OwnerId));
    }
}
