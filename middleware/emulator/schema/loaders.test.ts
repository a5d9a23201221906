import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrgSchema, loadPermissionSets, parseCustomField, readNamespace } from './index';

const fixture = path.join(__dirname, '__fixtures__', 'project');
const org = loadOrgSchema({ projectDir: fixture });
const field = (objectName: string, name: string) => org.objects.get(objectName)?.fields.find((f) => f.name === name);

describe('force-app custom metadata loader', () => {
    it('reads the namespace from sfdx-project.json', () => {
        expect(readNamespace(fixture)).toBe('acme');
        expect(org.namespace).toBe('acme');
    });

    it('adds custom fields to standard objects with the namespace prefix', () => {
        expect(field('Event', 'acme__Created_by_PeopleAI__c')).toMatchObject({
            type: 'boolean',
            label: 'Created by PeopleAI',
            custom: true,
            nillable: false,
            defaultedOnCreate: true,
            defaultValue: false,
            createable: true,
            updateable: true
        });
        expect(field('Event', 'Created_by_PeopleAI__c')).toBeUndefined();
    });

    it('reads a unique, case-sensitive text external id with its length', () => {
        expect(field('Event', 'acme__Activity_Id__c')).toMatchObject({
            type: 'string',
            length: 64,
            externalId: true,
            unique: true,
            caseSensitive: true,
            idLookup: true,
            nillable: true
        });
    });

    it('reads picklist values, defaults, inactive values and restriction', () => {
        const outcome = field('Event', 'acme__Outcome__c');
        expect(outcome).toMatchObject({
            type: 'picklist',
            label: 'Outcome & Follow-up',
            restrictedPicklist: true,
            defaultValue: 'Positive',
            defaultedOnCreate: true
        });
        expect(outcome?.picklistValues).toEqual([
            { value: 'Positive', label: 'Positive', active: true, defaultValue: true },
            { value: 'Neutral', label: 'Neutral', active: true, defaultValue: false },
            { value: 'Negative', label: 'Negative', active: false, defaultValue: false }
        ]);
    });

    it('resolves a global value set for a multi-select picklist', () => {
        const topics = field('Event', 'acme__Topics__c');
        expect(topics?.type).toBe('multipicklist');
        expect(topics?.picklistValues?.map((v) => [v.value, v.label])).toEqual([
            ['Pricing', 'Pricing'],
            ['Security', 'Security Review']
        ]);
    });

    it('maps long text, numbers and formulas to describe types', () => {
        expect(field('Event', 'acme__Notes__c')).toMatchObject({ type: 'textarea', length: 32768, filterable: false });
        expect(field('Account', 'acme__Meeting_Count__c')).toMatchObject({
            type: 'double',
            precision: 9,
            scale: 0,
            defaultValue: 0,
            defaultedOnCreate: true
        });
        expect(field('Account', 'acme__Engagement_Score__c')).toMatchObject({
            type: 'double',
            calculated: true,
            createable: false,
            updateable: false
        });
    });

    it('builds a custom object with an auto-number name and no owner under a master-detail', () => {
        const note = org.objects.get('acme__Meeting_Note__c');
        expect(note).toMatchObject({
            custom: true,
            label: 'Meeting Note',
            labelPlural: 'Meeting Notes',
            createable: true,
            queryable: true
        });
        expect(note?.keyPrefix).toMatch(/^a[0-9A-Za-z]{2}$/);
        expect(note?.fields.find((f) => f.name === 'Name')).toMatchObject({
            label: 'Note Number',
            createable: false,
            nameField: true
        });
        expect(note?.fields.some((f) => f.name === 'OwnerId')).toBe(false);
        for (const system of ['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'SystemModstamp']) {
            expect(note?.fields.some((f) => f.name === system)).toBe(true);
        }
        expect(field('acme__Meeting_Note__c', 'acme__Summary__c')).toMatchObject({
            nillable: false,
            length: 200,
            defaultValue: 'Pending'
        });
    });

    it('turns lookups and master-details into references with both relationship names', () => {
        expect(field('acme__Meeting_Note__c', 'acme__Opportunity__c')).toMatchObject({
            type: 'reference',
            referenceTo: ['Opportunity'],
            relationshipName: 'acme__Opportunity__r',
            nillable: false,
            updateable: false
        });
        expect(field('acme__Meeting_Note__c', 'acme__Contact__c')).toMatchObject({
            referenceTo: ['Contact'],
            relationshipName: 'acme__Contact__r',
            nillable: true,
            updateable: true
        });
        expect(org.objects.get('Opportunity')?.childRelationships).toContainEqual({
            childSObject: 'acme__Meeting_Note__c',
            field: 'acme__Opportunity__c',
            relationshipName: 'acme__Meeting_Notes__r',
            cascadeDelete: true
        });
        expect(org.objects.get('Contact')?.childRelationships).toContainEqual({
            childSObject: 'acme__Meeting_Note__c',
            field: 'acme__Contact__c',
            relationshipName: 'acme__Meeting_Notes__r',
            cascadeDelete: false
        });
    });

    it('skips objects outside the catalog and non-object folders such as platform events', () => {
        expect(org.objects.has('Case')).toBe(false);
        expect([...org.objects.keys()].some((name) => name.includes('Sync_Event'))).toBe(false);
    });

    it('gives custom objects a CurrencyIsoCode in a multi-currency org', () => {
        const multi = loadOrgSchema({ projectDir: fixture, multiCurrency: true });
        expect(multi.objects.get('acme__Meeting_Note__c')?.fields.some((f) => f.name === 'CurrencyIsoCode')).toBe(true);
        expect(org.objects.get('acme__Meeting_Note__c')?.fields.some((f) => f.name === 'CurrencyIsoCode')).toBe(false);
    });

    it('loads the real force-app: Event and Task carry Created_by_PeopleAI__c and the Activity_Id__c upsert key', () => {
        const real = loadOrgSchema({ projectDir: path.resolve(__dirname, '../../..') });
        expect(real.namespace).toBe('peopleai');
        for (const objectName of ['Event', 'Task']) {
            const fields = real.objects.get(objectName)?.fields ?? [];
            expect(fields.find((f) => f.name === 'peopleai__Created_by_PeopleAI__c')?.type).toBe('boolean');
            expect(fields.find((f) => f.name === 'peopleai__Activity_Id__c')).toMatchObject({
                externalId: true,
                unique: true
            });
        }
    });

    describe('with a project that has no force-app', () => {
        let dir = '';
        beforeAll(() => {
            dir = mkdtempSync(path.join(tmpdir(), 'emulator-schema-'));
        });
        afterAll(() => rmSync(dir, { recursive: true, force: true }));

        it('gives the standard catalog alone, with no namespace, when sfdx-project.json is missing too', () => {
            const empty = loadOrgSchema({ projectDir: dir });
            expect(empty.namespace).toBe('');
            expect(empty.objects.get('Account')?.fields.some((f) => f.custom)).toBe(false);
            expect(loadPermissionSets(dir)).toEqual([]);
        });

        it('accepts empty objects and permissionsets folders', () => {
            writeFileSync(path.join(dir, 'sfdx-project.json'), JSON.stringify({ namespace: 'x' }));
            mkdirSync(path.join(dir, 'force-app', 'main', 'default', 'objects', 'Account', 'fields'), {
                recursive: true
            });
            mkdirSync(path.join(dir, 'force-app', 'main', 'default', 'permissionsets'), { recursive: true });
            expect(loadOrgSchema({ projectDir: dir }).namespace).toBe('x');
            expect(loadPermissionSets(dir)).toEqual([]);
        });

        it('names the file when a field is malformed', () => {
            const file = path.join(
                dir,
                'force-app',
                'main',
                'default',
                'objects',
                'Account',
                'fields',
                'Bad__c.field-meta.xml'
            );
            writeFileSync(file, '<CustomField><fullName>Bad__c</fullName><type>Hologram</type></CustomField>');
            expect(() => loadOrgSchema({ projectDir: dir })).toThrow(/Bad__c\.field-meta\.xml: field type Hologram/);
            rmSync(file);
        });
    });

    it('refuses XML that is not a CustomField, or a field without a type or lookup target', () => {
        expect(() => parseCustomField('<CustomObject/>', 'X.field-meta.xml', '')).toThrow(/expected a <CustomField>/);
        expect(() => parseCustomField('<CustomField><fullName>A__c</fullName></CustomField>', 'A', '')).toThrow(
            /<type> is missing/
        );
        expect(() =>
            parseCustomField('<CustomField><fullName>A__c</fullName><type>Lookup</type></CustomField>', 'A', '')
        ).toThrow(/needs <referenceTo>/);
        expect(() => parseCustomField('<CustomField><fullName>A__c</fullName', 'A', '')).toThrow(/A: /);
    });
});

describe('permission set loader', () => {
    const sets = loadPermissionSets(fixture);
    const standard = sets.find((s) => s.name === 'Backstory_Standard_Permissions');

    it('reads every permission set, sorted by name', () => {
        expect(sets.map((s) => s.name)).toEqual(['Backstory_Rep', 'Backstory_Standard_Permissions']);
        expect(standard).toMatchObject({
            label: 'Backstory Standard Permissions',
            namespace: 'acme',
            description: 'Fixture: what the integration user needs.'
        });
    });

    it('keeps only enabled user and custom permissions', () => {
        expect(standard?.userPermissions).toEqual(['ApiEnabled', 'ViewAllData']);
        expect(standard?.customPermissions).toEqual(['Backstory_Sync']);
        expect(sets.find((s) => s.name === 'Backstory_Rep')).toMatchObject({
            userPermissions: ['EditEvent'],
            objectPermissions: [],
            fieldPermissions: [],
            customPermissions: []
        });
    });

    it('reads object permissions with View All and Modify All, namespacing custom objects', () => {
        expect(standard?.objectPermissions).toEqual([
            {
                object: 'Account',
                allowRead: true,
                allowCreate: false,
                allowEdit: true,
                allowDelete: false,
                viewAllRecords: true,
                modifyAllRecords: false
            },
            {
                object: 'acme__Meeting_Note__c',
                allowRead: true,
                allowCreate: true,
                allowEdit: true,
                allowDelete: true,
                viewAllRecords: true,
                modifyAllRecords: true
            }
        ]);
    });

    it('reads field permissions as Object.Field with namespaced custom names', () => {
        expect(standard?.fieldPermissions).toEqual([
            { field: 'Account.Industry', readable: true, editable: false },
            { field: 'Event.acme__Created_by_PeopleAI__c', readable: true, editable: true },
            { field: 'acme__Meeting_Note__c.acme__Summary__c', readable: true, editable: true }
        ]);
    });

    it('reads the real Backstory_Standard_Permissions with the system permissions of seed 003 option C', () => {
        const real = loadPermissionSets(path.resolve(__dirname, '../../..')).find(
            (s) => s.name === 'Backstory_Standard_Permissions'
        );
        expect(real?.namespace).toBe('peopleai');
        expect(real?.userPermissions).toEqual(
            expect.arrayContaining(['ApiEnabled', 'EditEvent', 'EditTask', 'ViewAllData', 'ViewAllUsers'])
        );
        const schema = loadOrgSchema({ projectDir: path.resolve(__dirname, '../../..') });
        for (const p of real?.fieldPermissions ?? []) {
            const [objectName = '', fieldName = ''] = p.field.split('.');
            expect(`${p.field} ${schema.objects.get(objectName)?.fields.some((f) => f.name === fieldName)}`).toBe(
                `${p.field} true`
            );
        }
    });
});
