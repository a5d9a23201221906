import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
    MANIFEST,
    SYSTEM_PERMISSIONS,
    objectSpec,
    objectsInScope,
    pullableFields,
    recommendedFields,
    requiredFields,
    standardPermissionSet,
    standardPermissionSetXml,
    type FieldSpec
} from './manifest';
import { SEED_INHERITED_FIELDS, SEED_RECOMMENDED, SEED_REQUIRED } from '../../test/fixtures/seed-003-fields';

// Seed 003 ("Salesforce Permissions"), table by table, as data. The manifest must say exactly
// this, plus the product's own additions listed (with their reason) in PRODUCT_ADDITIONS.

/** "Object Permissions": View All / Edit / Create / Delete per object. */
const SEED_OBJECT_PERMISSIONS: Record<string, string[]> = {
    Account: ['viewAll', 'edit'],
    Contact: ['viewAll', 'edit', 'create', 'delete'],
    Lead: ['viewAll', 'edit', 'create'],
    Opportunity: ['viewAll', 'edit']
};

/** "Inherited Object Permissions": object → what it inherits from. */
const SEED_INHERITED_OBJECTS: Record<string, string> = {
    AccountTeamMember: 'Account',
    EventRelation: 'Edit Events',
    FiscalYearSettings: 'View All Data',
    Group: 'Manage Users',
    LeadHistory: 'Lead',
    LeadStatus: 'Lead',
    OpportunityContactRole: 'Opportunity',
    OpportunityHistory: 'Opportunity',
    OpportunityStage: 'Opportunity',
    OpportunityTeamMember: 'Opportunity',
    Organization: 'View All Data',
    Profile: 'Manage Users',
    TaskRelation: 'Edit Tasks',
    User: 'Manage Users',
    UserLicense: 'Manage Users',
    UserRole: 'Manage Users'
};

/** "Field Permissions": objects whose fields should all be readable. */
const SEED_READ_ALL_FIELDS = ['Account', 'Contact', 'Event', 'Lead', 'Opportunity', 'Period', 'Task'];

const AGGREGATES = ['peopleai__Last_Activity_Date__c', 'peopleai__Email_Count__c', 'peopleai__Meeting_Count__c'];

/** What the product needs beyond seed 003, and why. Anything else in the manifest fails the tests. */
const PRODUCT_ADDITIONS: Record<FieldSpec['kind'], Record<string, string[]>> = {
    // Matching needs emails; write-back upserts Events and Tasks by the package's external id.
    required: {
        Contact: ['Email'],
        Lead: ['Email'],
        Event: ['peopleai__Activity_Id__c'],
        Task: ['peopleai__Activity_Id__c']
    },
    // What the write-back sets (readable to check, editable in the permission set).
    recommended: {
        Account: AGGREGATES,
        // Contact Creation (MATCH-12) writes the names of the contacts it creates.
        Contact: [...AGGREGATES, 'FirstName', 'LastName'],
        Lead: AGGREGATES,
        Opportunity: AGGREGATES,
        Event: [
            'Subject',
            'StartDateTime',
            'EndDateTime',
            'ActivityDateTime',
            'DurationInMinutes',
            'Description',
            'Location',
            'WhoId',
            'WhatId',
            'peopleai__Next_Steps__c',
            'peopleai__Meeting_Outcome__c'
        ],
        Task: ['Subject', 'ActivityDate', 'Description']
    },
    // Lead conversion state the pull reads with the other conversion fields.
    inherited: { Lead: ['IsConverted'] }
};

const sorted = (names: Iterable<string>) => [...new Set(names)].sort();
const fieldsOf = (object: string, kind: FieldSpec['kind']) =>
    sorted((objectSpec(object)?.fields ?? []).filter((f) => f.kind === kind).map((f) => f.name));
const additions = (kind: FieldSpec['kind'], object: string) => PRODUCT_ADDITIONS[kind][object] ?? [];

describe('the integration manifest equals seed 003', () => {
    it.each(Object.entries(SEED_OBJECT_PERMISSIONS))('PERM-4 object permissions of %s', (object, rights) => {
        const spec = objectSpec(object);
        expect(sorted(spec?.rights.filter((r) => r !== 'read') ?? [])).toEqual(sorted(rights));
        expect(spec?.modifyAllWhenPrivate).toBe(true);
    });

    it('PERM-4 only Account, Contact, Lead and Opportunity need Modify All when Private', () => {
        expect(sorted(MANIFEST.filter((o) => o.modifyAllWhenPrivate).map((o) => o.name))).toEqual(
            sorted(Object.keys(SEED_OBJECT_PERMISSIONS))
        );
    });

    it('PERM-4 the inherited objects and what each inherits from', () => {
        const inherited = Object.fromEntries(
            MANIFEST.filter((o) => o.inheritsFrom && !o.multiCurrencyOnly).map((o) => [o.name, o.inheritsFrom])
        );
        expect(inherited).toEqual(SEED_INHERITED_OBJECTS);
        for (const name of Object.keys(SEED_INHERITED_OBJECTS)) expect(objectSpec(name)?.rights).toEqual([]);
    });

    it('PERM-4 the objects granted directly are the ones whose fields should all be readable', () => {
        expect(sorted(MANIFEST.filter((o) => o.rights.length > 0).map((o) => o.name))).toEqual(
            sorted(SEED_READ_ALL_FIELDS)
        );
        for (const name of SEED_READ_ALL_FIELDS) expect(objectSpec(name)?.rights).toContain('read');
    });

    it.each(Object.entries(SEED_REQUIRED))('PERM-5 required fields of %s', (object, fields) => {
        expect(fieldsOf(object, 'required')).toEqual(sorted([...fields, ...additions('required', object)]));
    });

    it.each(Object.entries(SEED_RECOMMENDED))('PERM-5 recommended fields of %s', (object, fields) => {
        expect(fieldsOf(object, 'recommended')).toEqual(sorted([...fields, ...additions('recommended', object)]));
    });

    it.each(Object.entries(SEED_INHERITED_FIELDS))('PERM-5 inherited fields of %s', (object, fields) => {
        // A field seed 003 lists as both required and inherited (Contact.AccountId) is kept once, as required.
        const expected = fields.filter((f) => !fieldsOf(object, 'required').includes(f));
        expect(fieldsOf(object, 'inherited')).toEqual(sorted([...expected, ...additions('inherited', object)]));
        expect(requiredFields(object)).toEqual(expect.arrayContaining(fields));
    });

    it('PERM-5 no object carries fields seed 003 does not list, beyond the declared additions', () => {
        const seedObjects = new Set([
            ...Object.keys(SEED_REQUIRED),
            ...Object.keys(SEED_RECOMMENDED),
            ...Object.keys(SEED_INHERITED_FIELDS)
        ]);
        for (const o of MANIFEST) if (o.fields.length > 0) expect(seedObjects).toContain(o.name);
    });

    it('PERM-5 multi-currency objects have fields only when multi-currency is on', () => {
        expect(sorted(MANIFEST.filter((o) => o.multiCurrencyOnly).map((o) => o.name))).toEqual([
            'CurrencyType',
            'DatedConversionRate'
        ]);
        expect(requiredFields('CurrencyType', { multiCurrency: false })).toEqual([]);
        expect(sorted(requiredFields('CurrencyType', { multiCurrency: true }))).toEqual(
            sorted(SEED_INHERITED_FIELDS.CurrencyType ?? [])
        );
        expect(objectsInScope(false).map((o) => o.name)).not.toContain('DatedConversionRate');
        expect(objectsInScope(true).map((o) => o.name)).toContain('DatedConversionRate');
    });

    it('PERM-2 the View All Data path: View All Data, API Enabled, View All Users (plus Edit Events/Tasks of option C)', () => {
        const onPath = SYSTEM_PERMISSIONS.filter((p) => p.paths.includes('view_all_data')).map((p) => p.name);
        expect(sorted(onPath)).toEqual(sorted(['ViewAllData', 'ApiEnabled', 'ViewAllUsers', 'EditEvent', 'EditTask']));
    });

    it('PERM-3 the least-privilege path: View All on six objects, Edit Events, Edit Tasks, View Setup and Configuration', () => {
        const onPath = SYSTEM_PERMISSIONS.filter((p) => p.paths.includes('least_privilege')).map((p) => p.name);
        expect(onPath).not.toContain('ViewAllData');
        expect(onPath).toEqual(expect.arrayContaining(['EditEvent', 'EditTask', 'ViewSetup', 'ApiEnabled']));
        expect(sorted(MANIFEST.filter((o) => o.leastPrivilegeViewAll).map((o) => o.name))).toEqual(
            sorted(['Account', 'Contact', 'Lead', 'Opportunity', 'Task', 'Event'])
        );
    });
});

describe('the helpers the CRM pull uses', () => {
    it('PERM-5 the pull selects required fields and only the readable recommended ones', () => {
        const readable = new Set([...requiredFields('Opportunity'), 'Amount']);
        readable.delete('StageName');
        const plan = pullableFields('Opportunity', readable);
        expect(plan.missingRequired).toEqual(['StageName']);
        expect(plan.fields).toContain('Amount');
        expect(plan.fields).not.toContain('StageName');
        expect(plan.skippedRecommended).toContain('Probability');
        expect(plan.skippedRecommended).not.toContain('Amount');
    });

    it('PERM-5 a compound field counts as readable through its components', () => {
        const plan = pullableFields('Account', new Set([...requiredFields('Account'), 'BillingStreet']));
        expect(plan.missingRequired).toEqual([]);
        expect(plan.fields).toContain('BillingAddress');
        expect(plan.skippedRecommended).toContain('ShippingAddress');
    });

    it('PERM-5 objects outside the manifest have no fields to require', () => {
        expect(requiredFields('Campaign')).toEqual([]);
        expect(recommendedFields('Campaign')).toEqual([]);
    });
});

describe('the Backstory Standard Permissions permission set', () => {
    it('PERM-2 carries option C: Edit Events, Edit Tasks, API Enabled, View All Data, View All Users (+ PERM-3 View Setup)', () => {
        expect(standardPermissionSet().userPermissions).toEqual(
            expect.arrayContaining(['EditEvent', 'EditTask', 'ApiEnabled', 'ViewAllData', 'ViewAllUsers', 'ViewSetup'])
        );
        expect(standardPermissionSet().label).toBe('Backstory Standard Permissions');
    });

    it('PERM-3/PERM-4 grants the object permissions of the manifest and View All on the least-privilege objects', () => {
        const objects = new Map(standardPermissionSet().objectPermissions.map((o) => [o.object, o]));
        for (const [object, rights] of Object.entries(SEED_OBJECT_PERMISSIONS)) {
            const o = objects.get(object);
            expect(o).toMatchObject({ read: true, viewAll: true, edit: rights.includes('edit') });
            expect(o?.create).toBe(rights.includes('create'));
            expect(o?.delete).toBe(rights.includes('delete'));
        }
        for (const object of ['Task', 'Event']) expect(objects.get(object)?.viewAll).toBe(true);
    });

    it('PERM-5 grants read on every required and recommended field that field permissions can carry', () => {
        const fields = new Set(standardPermissionSet().fieldPermissions.map((f) => f.field));
        for (const f of [
            'Account.Industry',
            'Account.BillingStreet',
            'Opportunity.Amount',
            'Task.WhoId',
            'Contact.Title'
        ])
            expect(fields).toContain(f);
        expect(fields).toContain('Event.peopleai__Created_by_PeopleAI__c');
    });

    it('PERM-6 the permission set XML in force-app equals the manifest (regenerate with npm run generate:permset)', () => {
        const file = path.resolve(
            __dirname,
            '../../../force-app/main/default/permissionsets/Backstory_Standard_Permissions.permissionset-meta.xml'
        );
        expect(readFileSync(file, 'utf8')).toBe(standardPermissionSetXml());
    });
});
