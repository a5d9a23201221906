import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadOrgSchema, loadPermissionSets, type FieldSchema } from '../../middleware/emulator/schema';
import { DEMO_DIR } from './demo-org';
import { generateDemoOrg, treeRecords, PLAN_OBJECTS } from './generate-org';

const projectDir = path.resolve(__dirname, '../..');
const schema = loadOrgSchema({ projectDir });
const multiCurrency = loadOrgSchema({ projectDir, multiCurrency: true });

interface PlanEntry {
    sobject: string;
    saveRefs: boolean;
    resolveRefs: boolean;
    files: string[];
}
type TreeRecord = { attributes: { type: string; referenceId: string } } & Record<string, unknown>;

const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(DEMO_DIR, file), 'utf8')) as T;
const plan = readJson<PlanEntry[]>('demo-plan.json');
const records = new Map<string, TreeRecord[]>(
    plan.map((entry) => [entry.sobject, entry.files.flatMap((f) => readJson<{ records: TreeRecord[] }>(f).records)])
);
const all = (object: string) => records.get(object) ?? [];

describe('demo org data plan (scripts/seed/demo)', () => {
    it('loads Account, Contact, Lead, Opportunity and OpportunityContactRole in dependency order', () => {
        expect(plan.map((p) => p.sobject)).toEqual(PLAN_OBJECTS);
        for (const entry of plan) {
            expect(entry.saveRefs).toBe(true);
            expect(entry.resolveRefs).toBe(entry.sobject !== 'Account' && entry.sobject !== 'Lead');
            for (const file of entry.files)
                expect(readJson<{ records: TreeRecord[] }>(file).records.length).toBeLessThanOrEqual(200);
        }
    });

    it('has the demo sizes: 20 accounts, 60 contacts, 15 leads, 30 opportunities with contact roles', () => {
        expect(all('Account')).toHaveLength(20);
        expect(all('Contact')).toHaveLength(60);
        expect(all('Lead')).toHaveLength(15);
        expect(all('Opportunity')).toHaveLength(30);
        expect(all('OpportunityContactRole').length).toBeGreaterThanOrEqual(30);
    });

    it('is what the generator writes (regenerate with tsx scripts/seed/generate-org.ts --demo)', () => {
        const generated = generateDemoOrg();
        for (const object of PLAN_OBJECTS) {
            expect(all(object)).toEqual(JSON.parse(JSON.stringify(treeRecords(object, generated[object]))));
        }
    });

    it('resolves every @reference to a record saved earlier in the plan, of the field’s target type', () => {
        const saved = new Map<string, string>();
        for (const entry of plan) {
            for (const r of all(entry.sobject)) {
                expect(r.attributes.type).toBe(entry.sobject);
                for (const [name, value] of Object.entries(r)) {
                    if (typeof value !== 'string' || !value.startsWith('@')) continue;
                    const target = saved.get(value.slice(1));
                    const field = schema.objects.get(entry.sobject)?.fields.find((f) => f.name === name);
                    expect(`${entry.sobject}.${name} → ${target}`).toBe(
                        `${entry.sobject}.${name} → ${field?.referenceTo?.find((t) => t === target) ?? 'a known type'}`
                    );
                }
                expect(saved.has(r.attributes.referenceId)).toBe(false);
                saved.set(r.attributes.referenceId, entry.sobject);
            }
        }
    });

    it.each(PLAN_OBJECTS)(
        'uses only createable %s fields with valid values, in single- and multi-currency orgs',
        (object) => {
            for (const org of [schema, multiCurrency]) {
                const fields = new Map<string, FieldSchema>(
                    (org.objects.get(object)?.fields ?? []).map((f) => [f.name, f])
                );
                for (const r of all(object)) {
                    for (const [name, value] of Object.entries(r)) {
                        if (name === 'attributes') continue;
                        const f = fields.get(name);
                        expect(`${object}.${name} ${f?.createable}`).toBe(`${object}.${name} true`);
                        if (!f) continue;
                        if (f.type === 'picklist' && f.picklistValues) {
                            expect(f.picklistValues.map((v) => v.value)).toContain(value);
                        }
                        if (typeof value === 'string' && f.length && f.type !== 'reference') {
                            expect(value.length).toBeLessThanOrEqual(f.length);
                        }
                    }
                    for (const f of fields.values()) {
                        if (f.createable && !f.nillable && !f.defaultedOnCreate) {
                            expect(`${object}.${f.name} ${r[f.name] !== undefined}`).toBe(`${object}.${f.name} true`);
                        }
                    }
                }
            }
        }
    );

    it('puts contacts’ emails on their account’s website domain', () => {
        const domains = new Map(
            all('Account').map((a) => [
                a.attributes.referenceId,
                new URL(String(a.Website)).hostname.replace(/^www\./, '')
            ])
        );
        expect(new Set(domains.values()).size).toBe(20);
        for (const c of all('Contact')) {
            const domain = domains.get(String(c.AccountId).slice(1));
            expect(String(c.Email).endsWith(`@${domain}`)).toBe(true);
        }
        const emails = all('Contact').map((c) => c.Email);
        expect(new Set(emails).size).toBe(emails.length);
    });

    it('has open leads on free-mail and on company domains, some at an existing account', () => {
        const free = /@(gmail|yahoo|outlook|hotmail|icloud|aol)\.com$|@proton\.me$/;
        const leads = all('Lead');
        expect(leads.filter((l) => free.test(String(l.Email))).length).toBeGreaterThanOrEqual(5);
        const company = leads.filter((l) => !free.test(String(l.Email)));
        expect(company.length).toBeGreaterThanOrEqual(5);
        const accountDomains = all('Account').map((a) => new URL(String(a.Website)).hostname.replace(/^www\./, ''));
        expect(company.some((l) => accountDomains.some((d) => String(l.Email).endsWith(`@${d}`)))).toBe(true);
        for (const l of leads) expect(l.Status).not.toBe('Closed - Converted');
    });

    it('has opportunities of every type, on partner accounts too, closing before and after the plan date', () => {
        const opps = all('Opportunity');
        expect(new Set(opps.map((o) => o.Type))).toEqual(new Set(['New Business', 'Existing Business', 'Partner']));
        const partnerAccounts = new Set(
            all('Account')
                .filter((a) => String(a.Type).includes('Partner'))
                .map((a) => `@${a.attributes.referenceId}`)
        );
        expect(opps.some((o) => partnerAccounts.has(String(o.AccountId)))).toBe(true);
        const today = '2026-11-22';
        expect(opps.some((o) => String(o.CloseDate) < today)).toBe(true);
        expect(opps.some((o) => String(o.CloseDate) > today)).toBe(true);
        expect(opps.some((o) => o.StageName === 'Closed Won')).toBe(true);
        expect(opps.some((o) => !String(o.StageName).startsWith('Closed'))).toBe(true);
        // Each opportunity has exactly one primary contact role, on a contact of its account.
        const contactAccount = new Map(all('Contact').map((c) => [`@${c.attributes.referenceId}`, c.AccountId]));
        for (const o of opps) {
            const roles = all('OpportunityContactRole').filter(
                (r) => r.OpportunityId === `@${o.attributes.referenceId}`
            );
            expect(roles.filter((r) => r.IsPrimary === true)).toHaveLength(1);
            for (const r of roles) expect(contactAccount.get(String(r.ContactId))).toBe(o.AccountId);
        }
    });
});

interface OrgSetup {
    organizationId: string;
    organization: Record<string, unknown>;
    connectedApp: { clientId: string; clientSecret: string; runAs: string };
    licenses: { key: string; Name: string; LicenseDefinitionKey: string }[];
    profiles: { key: string; Name: string; license: string; access: string; permissions: string[] }[];
    roles: { key: string; Name: string; parent: string | null }[];
    users: ({
        key: string;
        profile: string;
        role: string | null;
        manager?: string | null;
        password?: string;
        permissionSets?: string[];
    } & Record<string, unknown>)[];
}

describe('demo org setup (scripts/seed/demo/org-setup.json)', () => {
    const setup = readJson<OrgSetup>('org-setup.json');
    const user = (username: string) => setup.users.find((u) => u.Username === username);

    it('is the Backstory Demo org with Public Read/Write org-wide defaults', () => {
        expect(setup.organizationId).toMatch(/^00D[0-9A-Za-z]{15}$/);
        expect(setup.organization.Name).toBe('Backstory Demo');
        for (const o of ['Account', 'Contact', 'Lead', 'Opportunity']) {
            expect(setup.organization[`Default${o}Access`]).toBe('Edit');
        }
        const org = schema.objects.get('Organization');
        for (const [name, value] of Object.entries(setup.organization)) {
            const f = org?.fields.find((x) => x.name === name);
            expect(`Organization.${name} ${f !== undefined}`).toBe(`Organization.${name} true`);
            if (f?.picklistValues) expect(f.picklistValues.map((v) => v.value)).toContain(value);
        }
    });

    it('has the connected app and the two documented logins', () => {
        expect(setup.connectedApp).toEqual({
            clientId: 'backstory-local',
            clientSecret: 'backstory-local-secret',
            runAs: 'integration@demo.backstory.local'
        });
        expect(user('integration@demo.backstory.local')).toMatchObject({
            FirstName: 'Backstory',
            LastName: 'Integration User',
            profile: 'minimum',
            role: 'ceo',
            password: 'demo-password',
            permissionSets: ['Backstory_Standard_Permissions']
        });
        expect(user('admin@demo.backstory.local')).toMatchObject({ profile: 'admin', password: 'demo-password' });
    });

    it('gives System Administrator every system permission and names real profiles', () => {
        expect(setup.profiles.map((p) => p.Name)).toEqual([
            'System Administrator',
            'Standard User',
            'Minimum Access - Salesforce'
        ]);
        const admin = setup.profiles.find((p) => p.key === 'admin');
        expect(admin?.permissions).toEqual(expect.arrayContaining(['ViewAllData', 'ModifyAllData', 'ApiEnabled']));
        const profileFields = new Set(schema.objects.get('Profile')?.fields.map((f) => f.name));
        for (const p of setup.profiles) {
            expect(setup.licenses.some((l) => l.key === p.license)).toBe(true);
            for (const perm of p.permissions) expect(profileFields.has(`Permissions${perm}`)).toBe(true);
        }
    });

    it('has a role hierarchy whose parents exist, with the integration user at its top', () => {
        const roles = new Map(setup.roles.map((r) => [r.key, r]));
        expect(roles.size).toBe(setup.roles.length);
        const tops = setup.roles.filter((r) => r.parent === null);
        expect(tops.map((r) => r.Name)).toEqual(['CEO']);
        for (const r of setup.roles) if (r.parent) expect(roles.has(r.parent)).toBe(true);
        const path = (key: string): string[] => {
            const r = roles.get(key);
            return r?.parent ? [...path(r.parent), r.Name] : [r?.Name ?? key];
        };
        expect(path('ae_east')).toEqual(['CEO', 'VP Sales', 'Sales Manager East', 'Account Executive East']);
        expect(path('sdr')).toEqual(['CEO', 'VP Marketing', 'SDR Team']);
        expect(roles.get('partner_manager')?.Name).toBe('Partner Manager');
    });

    it('has users with real User fields, known profiles, roles, managers and force-app permission sets', () => {
        expect(setup.users.length).toBeGreaterThanOrEqual(12);
        const keys = new Set(setup.users.map((u) => u.key));
        const usernames = setup.users.map((u) => u.Username);
        expect(new Set(usernames).size).toBe(usernames.length);
        const userFields = new Map((schema.objects.get('User')?.fields ?? []).map((f) => [f.name, f]));
        const permissionSets = new Set(loadPermissionSets(projectDir).map((p) => p.name));
        const meta = new Set(['key', 'profile', 'role', 'manager', 'password', 'permissionSets']);
        for (const u of setup.users) {
            expect(String(u.Username)).toMatch(/@demo\.backstory\.local$/);
            expect(setup.profiles.some((p) => p.key === u.profile)).toBe(true);
            if (u.role) expect(setup.roles.some((r) => r.key === u.role)).toBe(true);
            if (u.manager) expect(keys.has(u.manager)).toBe(true);
            for (const ps of u.permissionSets ?? []) expect(permissionSets.has(ps)).toBe(true);
            for (const [name, value] of Object.entries(u)) {
                if (meta.has(name)) continue;
                const f = userFields.get(name);
                expect(`User.${name} ${f?.createable}`).toBe(`User.${name} true`);
                if (f?.picklistValues) expect(f.picklistValues.map((v) => v.value)).toContain(value);
            }
            for (const f of userFields.values()) {
                if (f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'reference') {
                    expect(`${u.key} ${f.name} ${u[f.name] !== undefined}`).toBe(`${u.key} ${f.name} true`);
                }
            }
        }
    });
});

describe('scratch-org user definitions (config/users)', () => {
    const setup = readJson<OrgSetup>('org-setup.json');
    const dir = path.join(projectDir, 'config', 'users');
    const definitions = readdirSync(dir).map(
        (f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>
    );

    it('define every demo user except the System Administrator (a scratch org has its own) the same way', () => {
        const profileName = new Map(setup.profiles.map((p) => [p.key, p.Name]));
        const expected = setup.users.filter((u) => u.profile !== 'admin');
        expect(definitions.map((d) => d.Username).sort()).toEqual(expected.map((u) => u.Username).sort());
        for (const u of expected) {
            const d = definitions.find((x) => x.Username === u.Username);
            expect(d).toMatchObject({
                FirstName: u.FirstName,
                LastName: u.LastName,
                Email: u.Email,
                Alias: u.Alias,
                TimeZoneSidKey: u.TimeZoneSidKey,
                profileName: profileName.get(u.profile),
                permsets: u.permissionSets ?? []
            });
        }
    });
});
