import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { sfDateTime, type Org, type SfRecord } from './org';
import { LEAD_STATUSES, loadPermissionSets, OPPORTUNITY_STAGES, SYSTEM_PERMISSIONS } from './schema';
import { dispatch } from './rest';
import type { EmulatorState } from './state';
import { derive } from './writes';

/** The emulator-only part of the demo org: org, licences, profiles, roles, users (scripts/seed/demo/org-setup.json). */
export interface OrgSetup {
    /** The org's fixed id (00D…); a new one per start when absent. */
    organizationId?: string;
    organization: Record<string, unknown>;
    connectedApp: { clientId: string; clientSecret: string; runAs: string; callbackUrls?: string[] };
    licenses: { key: string; Name: string; LicenseDefinitionKey: string }[];
    profiles: {
        key: string;
        Name: string;
        license: string;
        access: 'all' | 'standard' | 'none';
        permissions: string[];
    }[];
    roles: { key: string; Name: string; parent: string | null }[];
    users: {
        key: string;
        Username: string;
        FirstName: string;
        LastName: string;
        Email: string;
        Title?: string;
        /** Any other User field (Alias, Department, TimeZoneSidKey …). */
        [field: string]: unknown;
        profile: string;
        role: string | null;
        manager?: string | null;
        password?: string;
        permissionSets?: string[];
    }[];
}

const BUSINESS_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Event', 'Task'];

const templates = new WeakMap<object, Record<string, unknown>>();

/** Every field of the object at its default (false for checkboxes, else null), built once per schema. */
function template(org: Org, object: string): Record<string, unknown> {
    const schema = org.table(object).schema;
    let t = templates.get(schema);
    if (!t) {
        t = {};
        for (const f of schema.fields)
            t[f.name] = f.type === 'boolean' ? (f.defaultValue ?? false) : (f.defaultValue ?? null);
        templates.set(schema, t);
    }
    return t;
}

/**
 * Insert a record as the system (no permission checks); unset fields get their default, derived
 * fields (Name, IsClosed, IsWon …) are computed. `stamp` lets a bulk load share one timestamp.
 */
export function insertSystem(
    org: Org,
    object: string,
    values: Record<string, unknown>,
    userId: string,
    stamp = org.now()
): SfRecord {
    const schema = org.table(object).schema;
    const id = (values.Id as string | undefined) ?? org.ids.next(schema.keyPrefix);
    const r = {
        ...template(org, object),
        IsDeleted: false,
        CreatedDate: stamp,
        CreatedById: userId,
        LastModifiedDate: stamp,
        LastModifiedById: userId,
        SystemModstamp: stamp,
        ...values,
        Id: id
    } as SfRecord;
    if (!values.Name) derive(org, object, r);
    else if (object === 'Opportunity') derive(org, object, r);
    org.put(object, r);
    return r;
}

/** Build the org's setup data: organization, licences, profiles with their permission sets, roles, users, force-app permission sets. */
export function bootstrapOrg(
    state: EmulatorState,
    setup: OrgSetup,
    projectDir: string,
    options: { skipMissingPermissionSets?: boolean } = {}
): { users: Map<string, SfRecord> } {
    const { org } = state;
    const systemUser = org.ids.next('005');
    insertSystem(
        org,
        'Organization',
        {
            Id: org.orgId,
            IsSandbox: false,
            DefaultCaseAccess: 'Edit',
            DefaultCalendarAccess: 'HideDetailsInsert',
            DefaultLocaleSidKey: 'en_US',
            ...setup.organization
        },
        systemUser
    );
    const licenses = new Map(
        setup.licenses.map((l) => [
            l.key,
            insertSystem(
                org,
                'UserLicense',
                { Name: l.Name, LicenseDefinitionKey: l.LicenseDefinitionKey, Status: 'Active' },
                systemUser
            )
        ])
    );
    const profiles = new Map<string, SfRecord>();
    for (const p of setup.profiles) {
        const perms = Object.fromEntries(
            SYSTEM_PERMISSIONS.map((name) => [`Permissions${name}`, p.permissions.includes(name)])
        );
        const profile = insertSystem(
            org,
            'Profile',
            { Name: p.Name, UserLicenseId: licenses.get(p.license)?.Id ?? null, ...perms },
            systemUser
        );
        profiles.set(p.key, profile);
        const owned = insertSystem(
            org,
            'PermissionSet',
            {
                Name: `X00ex${profile.Id.slice(5, 15)}`,
                Label: p.Name,
                IsOwnedByProfile: true,
                ProfileId: profile.Id,
                ...perms
            },
            systemUser
        );
        if (p.access === 'standard') {
            for (const object of BUSINESS_OBJECTS) {
                insertSystem(
                    org,
                    'ObjectPermissions',
                    {
                        ParentId: owned.Id,
                        SobjectType: object,
                        PermissionsRead: true,
                        PermissionsCreate: true,
                        PermissionsEdit: true,
                        PermissionsDelete: true
                    },
                    systemUser
                );
                for (const f of org.table(object).schema.fields) {
                    if (f.calculated || f.compoundFieldName || f.name === 'Id') continue;
                    insertSystem(
                        org,
                        'FieldPermissions',
                        {
                            ParentId: owned.Id,
                            SobjectType: object,
                            Field: `${object}.${f.name}`,
                            PermissionsRead: true,
                            PermissionsEdit: f.createable || f.updateable
                        },
                        systemUser
                    );
                }
            }
        }
    }
    const roles = new Map<string, SfRecord>();
    for (const r of setup.roles) {
        roles.set(
            r.key,
            insertSystem(
                org,
                'UserRole',
                {
                    Name: r.Name,
                    DeveloperName: r.Name.replace(/[^A-Za-z0-9]+/g, '_'),
                    ParentRoleId: r.parent ? (roles.get(r.parent)?.Id ?? null) : null
                },
                systemUser
            )
        );
    }
    const permissionSets = new Map<string, SfRecord>();
    for (const def of loadPermissionSets(projectDir)) {
        const perms = Object.fromEntries(
            SYSTEM_PERMISSIONS.map((name) => [`Permissions${name}`, def.userPermissions.includes(name)])
        );
        const ps = insertSystem(
            org,
            'PermissionSet',
            {
                Name: def.name,
                Label: def.label,
                NamespacePrefix: def.namespace || null,
                IsOwnedByProfile: false,
                ...perms
            },
            systemUser
        );
        permissionSets.set(def.name, ps);
        for (const o of def.objectPermissions) {
            insertSystem(
                org,
                'ObjectPermissions',
                {
                    ParentId: ps.Id,
                    SobjectType: o.object,
                    PermissionsRead: o.allowRead,
                    PermissionsCreate: o.allowCreate,
                    PermissionsEdit: o.allowEdit,
                    PermissionsDelete: o.allowDelete,
                    PermissionsViewAllRecords: o.viewAllRecords,
                    PermissionsModifyAllRecords: o.modifyAllRecords
                },
                systemUser
            );
        }
        for (const f of def.fieldPermissions) {
            insertSystem(
                org,
                'FieldPermissions',
                {
                    ParentId: ps.Id,
                    SobjectType: f.field.split('.')[0],
                    Field: f.field,
                    PermissionsRead: f.readable,
                    PermissionsEdit: f.editable
                },
                systemUser
            );
        }
    }
    const users = new Map<string, SfRecord>();
    for (const u of setup.users) {
        const profile = profiles.get(u.profile);
        if (!profile) throw new Error(`org-setup: user ${u.key} has unknown profile ${u.profile}`);
        // Every other key of the entry is a User field (Alias, Department, TimeZoneSidKey …).
        const extra = Object.fromEntries(
            Object.entries(u).filter(
                ([k]) =>
                    !['key', 'profile', 'role', 'manager', 'password', 'permissionSets'].includes(k) &&
                    org.field('User', k) !== undefined
            )
        );
        const user = insertSystem(
            org,
            'User',
            {
                Alias: `${u.FirstName.charAt(0)}${u.LastName}`.slice(0, 8).toLowerCase(),
                TimeZoneSidKey: 'America/Los_Angeles',
                LocaleSidKey: 'en_US',
                EmailEncodingKey: 'UTF-8',
                LanguageLocaleKey: 'en_US',
                UserType: 'Standard',
                CompanyName: String(setup.organization.Name ?? ''),
                ...extra,
                Title: u.Title ?? null,
                IsActive: true,
                ProfileId: profile.Id,
                UserRoleId: u.role ? (roles.get(u.role)?.Id ?? null) : null
            },
            systemUser
        );
        users.set(u.key, user);
        if (u.password) state.passwords.set(user.Id, u.password);
        for (const name of u.permissionSets ?? []) {
            const ps = permissionSets.get(name);
            // The emulator's own demo users over another project: that project lacks our permission sets.
            if (!ps && options.skipMissingPermissionSets) continue;
            if (!ps)
                throw new Error(
                    `org-setup: permission set ${name} (user ${u.key}) is not in force-app/main/default/permissionsets`
                );
            insertSystem(org, 'PermissionSetAssignment', { AssigneeId: user.Id, PermissionSetId: ps.Id }, systemUser);
        }
    }
    for (const u of setup.users) {
        if (u.manager) org.put('User', { ...users.get(u.key)!, ManagerId: users.get(u.manager)?.Id ?? null });
    }
    const runAs = [...users.values()].find((u) => u.Username === setup.connectedApp.runAs);
    state.apps.set(setup.connectedApp.clientId, {
        clientId: setup.connectedApp.clientId,
        clientSecret: setup.connectedApp.clientSecret,
        publicKey: state.demoKeys.publicKey,
        runAsUserId: runAs?.Id ?? '',
        callbackUrls: setup.connectedApp.callbackUrls ?? []
    });

    // Metadata-like rows every org has.
    // The stages and lead statuses of the catalog's picklists (one sales process, as a new org has).
    OPPORTUNITY_STAGES.forEach(([name, probability, closed, won, forecast], i) =>
        insertSystem(
            org,
            'OpportunityStage',
            {
                ApiName: name,
                MasterLabel: name,
                IsActive: true,
                IsClosed: closed,
                IsWon: won,
                SortOrder: i + 1,
                DefaultProbability: probability,
                ForecastCategory: forecast,
                ForecastCategoryName: forecast
            },
            systemUser
        )
    );
    LEAD_STATUSES.forEach(([name, converted], i) =>
        insertSystem(
            org,
            'LeadStatus',
            {
                ApiName: name,
                MasterLabel: name,
                IsConverted: converted,
                IsDefault: i === 0,
                SortOrder: i + 1
            },
            systemUser
        )
    );
    const year = new Date().getUTCFullYear();
    const fy = insertSystem(
        org,
        'FiscalYearSettings',
        { Name: String(year), StartDate: `${year}-01-01`, EndDate: `${year}-12-31`, IsStandardYear: true },
        systemUser
    );
    for (let q = 0; q < 4; q++) {
        const start = new Date(Date.UTC(year, q * 3, 1));
        const end = new Date(Date.UTC(year, q * 3 + 3, 0));
        insertSystem(
            org,
            'Period',
            {
                StartDate: start.toISOString().slice(0, 10),
                EndDate: end.toISOString().slice(0, 10),
                Type: 'Quarter',
                Number: q + 1,
                FiscalYearSettingsId: fy.Id
            },
            systemUser
        );
    }
    for (const type of readNotificationTypes(projectDir, org.schema.namespace))
        insertSystem(org, 'CustomNotificationType', type, systemUser);
    return { users };
}

function readNotificationTypes(projectDir: string, namespace: string): Record<string, unknown>[] {
    const dir = path.join(projectDir, 'force-app', 'main', 'default', 'notificationtypes');
    if (!existsSync(dir)) return [];
    const parser = new XMLParser({ parseTagValue: false });
    return readdirSync(dir)
        .filter((f) => f.endsWith('.notiftype-meta.xml'))
        .map((f) => {
            const doc = parser.parse(readFileSync(path.join(dir, f), 'utf8')) as {
                CustomNotificationType?: {
                    customNotifTypeName?: string;
                    description?: string;
                    desktop?: string;
                    mobile?: string;
                };
            };
            const t = doc.CustomNotificationType ?? {};
            return {
                DeveloperName: f.replace('.notiftype-meta.xml', ''),
                CustomNotifTypeName: t.customNotifTypeName ?? f,
                Description: t.description ?? null,
                Desktop: t.desktop !== 'false',
                Mobile: t.mobile !== 'false',
                NamespacePrefix: namespace || null
            };
        });
}

/**
 * The currencies of a multi-currency org (USD corporate, EUR, GBP), added once when multi-currency
 * is turned on; the rates are Salesforce-style "1 USD = rate units".
 */
export function seedCurrencies(org: Org, userId: string): void {
    if (!org.tables.has('CurrencyType')) return;
    if ([...org.rows('CurrencyType')].some((r) => !r.IsDeleted)) return;
    const currencies: [string, number, boolean][] = [
        ['USD', 1, true],
        ['EUR', 0.92, false],
        ['GBP', 0.79, false]
    ];
    for (const [IsoCode, ConversionRate, IsCorporate] of currencies) {
        insertSystem(
            org,
            'CurrencyType',
            { IsoCode, ConversionRate, DecimalPlaces: 2, IsActive: true, IsCorporate },
            userId
        );
        if (org.tables.has('DatedConversionRate'))
            insertSystem(
                org,
                'DatedConversionRate',
                { IsoCode, ConversionRate, StartDate: '0001-01-01', NextStartDate: '9999-12-31' },
                userId
            );
    }
}

/** One entry of an `sf data tree` plan. */
interface PlanEntry {
    sobject: string;
    saveRefs?: boolean;
    resolveRefs?: boolean;
    files: string[];
}

/**
 * Load an `sf data tree` plan the way `sf data import tree --plan` does: each file is posted to
 * /composite/tree/<sobject> (in chunks of 200 records), `@Ref` values are replaced by the ids
 * saved from earlier files.
 */
export async function importPlan(
    state: EmulatorState,
    planFile: string,
    asUserId: string,
    version = '62.0'
): Promise<Map<string, string>> {
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as PlanEntry[];
    const refs = new Map<string, string>();
    const session = state.newSession(asUserId);
    try {
        for (const entry of plan) {
            for (const file of entry.files) {
                const data = JSON.parse(readFileSync(path.resolve(path.dirname(planFile), file), 'utf8')) as {
                    records: Record<string, unknown>[];
                };
                const records = data.records.map((r) => resolveRecordRefs(r, refs, file));
                for (let i = 0; i < records.length; i += 200) {
                    const result = await dispatch(state, {
                        method: 'POST',
                        path: `/composite/tree/${entry.sobject}`,
                        query: new URLSearchParams(),
                        body: { records: records.slice(i, i + 200) },
                        session,
                        version
                    });
                    const body = result.body as {
                        hasErrors: boolean;
                        results: { referenceId: string; id?: string; errors?: { message: string }[] }[];
                    };
                    if (body.hasErrors) {
                        const first = body.results[0];
                        throw new Error(
                            `${file}: ${first?.referenceId ?? '?'}: ${first?.errors?.map((e) => e.message).join('; ') ?? 'import failed'}`
                        );
                    }
                    for (const r of body.results) if (r.id) refs.set(r.referenceId, r.id);
                }
            }
        }
    } finally {
        state.sessions.delete(session.token);
    }
    return refs;
}

function resolveRecordRefs(
    record: Record<string, unknown>,
    refs: Map<string, string>,
    file: string
): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
        if (typeof v === 'string' && v.startsWith('@')) {
            const id = refs.get(v.slice(1));
            if (!id) throw new Error(`${file}: unresolved reference ${v}`);
            out[k] = id;
        } else if (
            v &&
            typeof v === 'object' &&
            !Array.isArray(v) &&
            k !== 'attributes' &&
            Array.isArray((v as { records?: unknown }).records)
        ) {
            out[k] = {
                records: (v as { records: Record<string, unknown>[] }).records.map((c) =>
                    resolveRecordRefs(c, refs, file)
                )
            };
        } else out[k] = v;
    }
    return out;
}

export { sfDateTime };
