import path from 'node:path';
import { seed003Fields } from '../../test/fixtures/seed-003-fields';
import { loadOrgSchema, SYSTEM_PERMISSIONS, standardObjects, type ObjectSchema } from './index';

const projectDir = path.resolve(__dirname, '../../..');

/** Seed 003's required, recommended and inherited fields per object: the catalog must describe every one. */
const SEED_003_FIELDS = seed003Fields();

/** The objects issue 3 lists for describe. */
const PRODUCT_OBJECTS = [
    'Account',
    'Contact',
    'Lead',
    'Opportunity',
    'OpportunityContactRole',
    'OpportunityHistory',
    'OpportunityStage',
    'AccountTeamMember',
    'OpportunityTeamMember',
    'Event',
    'EventRelation',
    'Task',
    'TaskRelation',
    'User',
    'UserRole',
    'Profile',
    'UserLicense',
    'Group',
    'Organization',
    'Period',
    'FiscalYearSettings',
    'LeadStatus',
    'LeadHistory',
    'RecordType',
    'CurrencyType',
    'DatedConversionRate',
    'PermissionSet',
    'PermissionSetAssignment',
    'ObjectPermissions',
    'FieldPermissions',
    'UserPermissionAccess',
    'UserEntityAccess',
    'UserFieldAccess',
    'CustomNotificationType'
];

const multiCurrencyOrg = loadOrgSchema({ projectDir, multiCurrency: true });
const singleCurrencyOrg = loadOrgSchema({ projectDir });

function fieldOf(objectName: string, fieldName: string) {
    return multiCurrencyOrg.objects.get(objectName)?.fields.find((f) => f.name === fieldName);
}

describe('standard object catalog', () => {
    it('describes every object the product touches', () => {
        for (const name of PRODUCT_OBJECTS) expect(multiCurrencyOrg.objects.get(name)?.name).toBe(name);
    });

    it.each(Object.entries(SEED_003_FIELDS))('has every seed 003 field of %s', (objectName, fields) => {
        const schema = multiCurrencyOrg.objects.get(objectName);
        expect(schema).toBeDefined();
        const missing = fields.filter((f) => !schema?.fields.some((x) => x.name === f));
        expect(missing).toEqual([]);
    });

    it('has the real key prefixes, one object per prefix', () => {
        const prefixes: Record<string, string> = {
            Account: '001',
            Contact: '003',
            Lead: '00Q',
            Opportunity: '006',
            OpportunityContactRole: '00K',
            OpportunityHistory: '008',
            AccountTeamMember: '01M',
            OpportunityTeamMember: '00q',
            Event: '00U',
            Task: '00T',
            User: '005',
            UserRole: '00E',
            Profile: '00e',
            Group: '00G',
            Organization: '00D',
            RecordType: '012',
            PermissionSet: '0PS',
            PermissionSetAssignment: '0Pa',
            ObjectPermissions: '110',
            FieldPermissions: '01k',
            LeadStatus: '01J',
            CurrencyType: '01L',
            Period: '026',
            FiscalYearSettings: '022',
            UserLicense: '100'
        };
        for (const [name, prefix] of Object.entries(prefixes)) {
            expect(`${name} ${multiCurrencyOrg.objects.get(name)?.keyPrefix}`).toBe(`${name} ${prefix}`);
        }
        const all = [...multiCurrencyOrg.objects.values()].map((o) => o.keyPrefix);
        expect(new Set(all).size).toBe(all.length);
        for (const p of all) expect(p).toMatch(/^[0-9A-Za-z]{3}$/);
    });

    it('gives every object an Id field and unique field names', () => {
        for (const o of multiCurrencyOrg.objects.values()) {
            expect(o.fields[0]?.name).toBe('Id');
            const names = o.fields.map((f) => f.name);
            expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
        }
    });

    it('points every reference field at objects in the catalog', () => {
        const dangling: string[] = [];
        for (const o of multiCurrencyOrg.objects.values()) {
            for (const f of o.fields.filter((x) => x.type === 'reference')) {
                for (const target of f.referenceTo ?? []) {
                    if (!multiCurrencyOrg.objects.has(target)) dangling.push(`${o.name}.${f.name} → ${target}`);
                }
            }
        }
        expect(dangling).toEqual([]);
    });

    it('keeps parent relationship names unique per object and ending reference fields in Id', () => {
        for (const o of multiCurrencyOrg.objects.values()) {
            const names = o.fields.map((f) => f.relationshipName).filter((n): n is string => !!n);
            expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
            for (const f of o.fields.filter((x) => x.type === 'reference' && !x.custom)) {
                expect(f.name).toMatch(/Id$/);
            }
        }
    });

    it('keeps child relationship names unique per object and backed by a reference to the parent', () => {
        for (const o of multiCurrencyOrg.objects.values()) {
            const names = o.childRelationships.map((r) => r.relationshipName);
            expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
            for (const r of o.childRelationships) {
                const childField = fieldOf(r.childSObject, r.field);
                expect(`${o.name}.${r.relationshipName} ${childField?.type}`).toBe(
                    `${o.name}.${r.relationshipName} reference`
                );
                expect(childField?.referenceTo).toContain(o.name);
            }
        }
    });

    it('has the child relationships SOQL subqueries use', () => {
        const children = (name: string) =>
            multiCurrencyOrg.objects.get(name)?.childRelationships.map((r) => r.relationshipName) ?? [];
        expect(children('Account')).toEqual(
            expect.arrayContaining(['Contacts', 'Opportunities', 'AccountTeamMembers', 'ChildAccounts'])
        );
        expect(children('Opportunity')).toEqual(
            expect.arrayContaining(['OpportunityContactRoles', 'OpportunityTeamMembers', 'OpportunityHistories'])
        );
        expect(children('Event')).toContain('EventRelations');
        expect(children('Task')).toContain('TaskRelations');
        expect(children('PermissionSet')).toEqual(expect.arrayContaining(['Assignments', 'ObjectPerms', 'FieldPerms']));
        expect(children('User')).toContain('PermissionSetAssignments');
    });

    it('models compound addresses with their components', () => {
        for (const [objectName, compound, prefix] of [
            ['Account', 'BillingAddress', 'Billing'],
            ['Account', 'ShippingAddress', 'Shipping'],
            ['Contact', 'MailingAddress', 'Mailing'],
            ['Lead', 'Address', '']
        ] as const) {
            expect(fieldOf(objectName, compound)?.type).toBe('address');
            expect(fieldOf(objectName, compound)?.createable).toBe(false);
            for (const part of ['Street', 'City', 'State', 'PostalCode', 'Country', 'Latitude', 'Longitude']) {
                const component = fieldOf(objectName, `${prefix}${part}`);
                expect(component?.compoundFieldName).toBe(compound);
                expect(component?.createable).toBe(true);
            }
        }
    });

    it('has the standard picklist values and defaults', () => {
        const values = (o: string, f: string) => fieldOf(o, f)?.picklistValues?.map((v) => v.value) ?? [];
        expect(values('Opportunity', 'StageName')).toEqual(
            expect.arrayContaining(['Prospecting', 'Qualification', 'Negotiation/Review', 'Closed Won', 'Closed Lost'])
        );
        expect(values('Opportunity', 'Type')).toEqual(['Existing Business', 'New Business', 'Partner']);
        expect(values('Lead', 'Status')).toContain('Closed - Converted');
        expect(fieldOf('Lead', 'Status')?.defaultValue).toBe('Open - Not Contacted');
        expect(values('Task', 'Status')).toEqual(
            expect.arrayContaining(['Not Started', 'In Progress', 'Completed', 'Deferred'])
        );
        expect(fieldOf('Task', 'Priority')?.defaultValue).toBe('Normal');
        expect(values('Task', 'TaskSubtype')).toEqual(expect.arrayContaining(['Task', 'Email', 'Call']));
        expect(values('Event', 'Type')).toEqual(['Call', 'Email', 'Meeting', 'Other']);
        expect(values('Account', 'Type')).toContain('Channel Partner / Reseller');
        expect(values('Account', 'Industry')).toContain('Technology');
        expect(values('Account', 'Rating')).toEqual(['Hot', 'Warm', 'Cold']);
        expect(values('Account', 'Ownership')).toEqual(['Public', 'Private', 'Subsidiary', 'Other']);
        expect(values('OpportunityContactRole', 'Role')).toContain('Decision Maker');
        expect(values('Organization', 'DefaultLeadAccess')).toContain('ReadEditTransfer');
    });

    it('marks required, read-only and system fields as Salesforce does', () => {
        expect(fieldOf('Account', 'Name')).toMatchObject({ nillable: false, createable: true, nameField: true });
        expect(fieldOf('Contact', 'LastName')).toMatchObject({ nillable: false, length: 80 });
        expect(fieldOf('Contact', 'Name')).toMatchObject({ createable: false, updateable: false });
        expect(fieldOf('Lead', 'Company')?.nillable).toBe(false);
        expect(fieldOf('Lead', 'IsConverted')?.createable).toBe(false);
        expect(fieldOf('Lead', 'ConvertedAccountId')).toMatchObject({ createable: false, referenceTo: ['Account'] });
        expect(fieldOf('Opportunity', 'StageName')).toMatchObject({ nillable: false, restrictedPicklist: true });
        expect(fieldOf('Opportunity', 'ExpectedRevenue')).toMatchObject({ type: 'currency', createable: false });
        expect(fieldOf('Opportunity', 'OwnerId')).toMatchObject({ defaultedOnCreate: true, relationshipName: 'Owner' });
        expect(fieldOf('Task', 'TaskSubtype')).toMatchObject({ createable: true, updateable: false });
        expect(fieldOf('Task', 'WhoId')).toMatchObject({ referenceTo: ['Contact', 'Lead'], relationshipName: 'Who' });
        expect(fieldOf('User', 'Username')).toMatchObject({ unique: true, nillable: false, length: 80 });
        expect(fieldOf('OpportunityContactRole', 'OpportunityId')).toMatchObject({
            updateable: false,
            nillable: false
        });
        for (const o of multiCurrencyOrg.objects.values()) {
            for (const name of ['CreatedDate', 'SystemModstamp', 'LastModifiedDate', 'IsDeleted']) {
                const f = o.fields.find((x) => x.name === name);
                if (f)
                    expect(`${o.name}.${name} ${f.createable} ${f.updateable}`).toBe(`${o.name}.${name} false false`);
            }
        }
    });

    it('gives Profile, PermissionSet and UserPermissionAccess one boolean per system permission', () => {
        for (const name of ['ViewAllData', 'ApiEnabled', 'ViewAllUsers', 'ViewSetup', 'EditEvent', 'EditTask']) {
            expect(SYSTEM_PERMISSIONS).toContain(name);
        }
        expect(SYSTEM_PERMISSIONS).toEqual(expect.arrayContaining(['ManageUsers', 'ModifyAllData', 'ViewRoles']));
        for (const objectName of ['Profile', 'PermissionSet', 'UserPermissionAccess']) {
            for (const p of SYSTEM_PERMISSIONS) {
                expect(fieldOf(objectName, `Permissions${p}`)).toMatchObject({ type: 'boolean', nillable: false });
            }
        }
        expect(fieldOf('UserPermissionAccess', 'PermissionsViewAllData')?.createable).toBe(false);
        expect(multiCurrencyOrg.objects.get('UserPermissionAccess')?.createable).toBe(false);
    });

    it('adds CurrencyType, DatedConversionRate and CurrencyIsoCode only to multi-currency orgs', () => {
        expect(singleCurrencyOrg.objects.has('CurrencyType')).toBe(false);
        expect(singleCurrencyOrg.objects.has('DatedConversionRate')).toBe(false);
        const has = (org: typeof singleCurrencyOrg, o: string) =>
            org.objects.get(o)?.fields.some((f) => f.name === 'CurrencyIsoCode');
        for (const o of ['Account', 'Contact', 'Lead', 'Opportunity', 'Event', 'Task', 'User']) {
            expect(`${o} ${has(singleCurrencyOrg, o)}`).toBe(`${o} false`);
            expect(`${o} ${has(multiCurrencyOrg, o)}`).toBe(`${o} true`);
        }
        for (const o of singleCurrencyOrg.objects.values()) {
            expect(o.fields.filter((f) => f.multiCurrencyOnly)).toEqual([]);
        }
    });

    it('returns fresh objects on every call', () => {
        const a = standardObjects();
        (a[0] as ObjectSchema).fields.push({ ...(a[0]?.fields[0] as ObjectSchema['fields'][number]), name: 'X' });
        expect(standardObjects()[0]?.fields.some((f) => f.name === 'X')).toBe(false);
    });
});
