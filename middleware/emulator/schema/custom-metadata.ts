import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bool, field, object, owner, readOnly, ref, required } from './standard-objects-builders';
import { findMetadataDirs, isTrue, parseMetadata, withNamespace } from './project';
import type { ChildRelationshipSchema, FieldSchema, FieldType, ObjectSchema, PicklistValue } from './types';

/**
 * Custom objects and custom fields from force-app source (`objects/<Object>/<Object>.object-meta.xml`
 * and `objects/<Object>/fields/*.field-meta.xml`), named as a subscriber org sees them: with the
 * package namespace (`peopleai__Activity_Id__c`).
 */

interface ValueXml {
    fullName?: string;
    label?: string;
    default?: string;
    isActive?: string;
}

export interface CustomFieldXml {
    fullName?: string;
    label?: string;
    type?: string;
    length?: string;
    precision?: string;
    scale?: string;
    required?: string;
    externalId?: string;
    unique?: string;
    caseSensitive?: string;
    defaultValue?: string;
    formula?: string;
    referenceTo?: string;
    relationshipName?: string;
    deleteConstraint?: string;
    reparentableMasterDetail?: string;
    summarizedField?: string;
    summaryOperation?: string;
    valueSet?: {
        restricted?: string;
        valueSetName?: string;
        valueSetDefinition?: { value?: ValueXml[] };
    };
}

interface CustomObjectXml {
    label?: string;
    pluralLabel?: string;
    nameField?: { label?: string; type?: string; displayFormat?: string };
    sharingModel?: string;
    deploymentStatus?: string;
}

const FIELD_TYPES: Record<string, FieldType> = {
    AutoNumber: 'string',
    Checkbox: 'boolean',
    Currency: 'currency',
    Date: 'date',
    DateTime: 'datetime',
    Email: 'email',
    EncryptedText: 'encryptedstring',
    Html: 'textarea',
    Location: 'location',
    Lookup: 'reference',
    LongTextArea: 'textarea',
    MasterDetail: 'reference',
    MultiselectPicklist: 'multipicklist',
    Number: 'double',
    Percent: 'percent',
    Phone: 'phone',
    Picklist: 'picklist',
    Summary: 'double',
    Text: 'string',
    TextArea: 'textarea',
    Time: 'time',
    Url: 'url'
};

/** Describe lengths of custom field types that have no `<length>` in their XML. */
const FIXED_LENGTH: Partial<Record<string, number>> = {
    Email: 80,
    Phone: 40,
    Url: 255,
    TextArea: 255,
    Picklist: 255,
    MultiselectPicklist: 4099,
    AutoNumber: 30,
    EncryptedText: 175
};

/** `'Draft'` → Draft, `42` → 42; other default-value formulas are left to Salesforce (ignored here). */
function literalDefault(formula: string | undefined, type: FieldType): string | number | undefined {
    if (formula === undefined) return undefined;
    const text = formula.trim();
    const quoted = /^(['"])(.*)\1$/s.exec(text);
    if (quoted && quoted[2] !== undefined) return quoted[2];
    if (/^-?\d+(\.\d+)?$/.test(text) && ['double', 'currency', 'percent', 'int'].includes(type)) return Number(text);
    return undefined;
}

/** A resolver for global value sets (`valueSet.valueSetName`). */
export type GlobalValueSets = (name: string) => PicklistValue[] | undefined;

function picklistValues(f: CustomFieldXml, fileName: string, globalValueSets: GlobalValueSets): PicklistValue[] {
    const set = f.valueSet;
    if (!set) return [];
    if (set.valueSetName) {
        const values = globalValueSets(set.valueSetName);
        if (!values) throw new Error(`${fileName}: global value set ${set.valueSetName} is not in force-app`);
        return values;
    }
    return (set.valueSetDefinition?.value ?? []).map((v) => ({
        value: String(v.fullName),
        label: String(v.label ?? v.fullName),
        active: v.isActive !== 'false',
        defaultValue: v.default === 'true'
    }));
}

/** The parts of a custom field that depend on where it sits: its object and namespace. */
export interface ParsedCustomField {
    field: FieldSchema;
    /** For lookups and master-details: the relationship the parent object gains. */
    parent?: { object: string; relationship: ChildRelationshipSchema };
}

/** Read one `*.field-meta.xml` of `objectName` into the schema model. */
export function parseCustomField(
    xmlText: string,
    fileName: string,
    namespace: string,
    objectName = '',
    globalValueSets: GlobalValueSets = () => undefined
): ParsedCustomField {
    const f = parseMetadata<CustomFieldXml>(xmlText, 'CustomField', fileName);
    if (!f.fullName) throw new Error(`${fileName}: <fullName> is missing`);
    if (!f.type) throw new Error(`${fileName}: <type> is missing`);
    const type = FIELD_TYPES[f.type];
    if (!type) throw new Error(`${fileName}: field type ${f.type} is not supported by the emulator`);
    const name = withNamespace(f.fullName, namespace);
    const label = f.label ?? f.fullName;
    const calculated = f.formula !== undefined || f.type === 'Summary' || f.type === 'AutoNumber';
    const length =
        f.length !== undefined
            ? Number(f.length)
            : (FIXED_LENGTH[f.type] ?? (type === 'string' && f.formula !== undefined ? 1300 : undefined));
    const options: Partial<FieldSchema> = {
        label,
        custom: true,
        ...(length !== undefined ? { length } : {}),
        ...(f.precision !== undefined ? { precision: Number(f.precision) } : {}),
        ...(f.scale !== undefined ? { scale: Number(f.scale) } : {})
    };
    if (type === 'double' || type === 'currency' || type === 'percent') {
        options.precision ??= 18;
        options.scale ??= 0;
    }
    let result: FieldSchema;
    if (calculated) {
        result = readOnly(name, type, { ...options, defaultedOnCreate: f.type === 'AutoNumber' });
        if (f.type === 'AutoNumber') result.idLookup = true;
    } else if (type === 'boolean') {
        result = bool(name, f.defaultValue === 'true', options);
    } else {
        result = field(name, type, { ...options, nillable: !isTrue(f.required) });
    }
    if (isTrue(f.externalId)) {
        result.externalId = true;
        result.idLookup = true;
    }
    if (isTrue(f.unique)) {
        result.unique = true;
        result.idLookup = true;
        result.caseSensitive = isTrue(f.caseSensitive);
    }
    const values = picklistValues(f, fileName, globalValueSets);
    if (values.length > 0) {
        result.picklistValues = values;
        result.restrictedPicklist = isTrue(f.valueSet?.restricted);
        const byDefault = values.find((v) => v.defaultValue);
        if (byDefault) {
            result.defaultedOnCreate = true;
            result.defaultValue = byDefault.value;
        }
    }
    const literal = type === 'boolean' ? undefined : literalDefault(f.defaultValue, type);
    if (literal !== undefined) {
        result.defaultedOnCreate = true;
        result.defaultValue = literal;
    }
    if (type !== 'reference') return { field: result };

    if (!f.referenceTo) throw new Error(`${fileName}: a ${f.type} field needs <referenceTo>`);
    const target = withNamespace(f.referenceTo, namespace);
    const masterDetail = f.type === 'MasterDetail';
    const relationshipName = name.replace(/__c$/, '__r');
    const reference = ref(name, [target], relationshipName, {
        ...options,
        length: 18,
        nillable: !masterDetail && !isTrue(f.required),
        updateable: !masterDetail || isTrue(f.reparentableMasterDetail)
    });
    const parsed: ParsedCustomField = { field: reference };
    if (f.relationshipName && objectName) {
        parsed.parent = {
            object: target,
            relationship: {
                childSObject: objectName,
                field: name,
                relationshipName: withNamespace(`${f.relationshipName}__r`, namespace),
                cascadeDelete: masterDetail || f.deleteConstraint === 'Cascade'
            }
        };
    }
    return parsed;
}

/** Read one `<Object>.object-meta.xml` (a custom object) into an object without its custom fields. */
export function parseCustomObject(xmlText: string, fileName: string, apiName: string, keyPrefix: string): ObjectSchema {
    const o = parseMetadata<CustomObjectXml>(xmlText, 'CustomObject', fileName);
    const label = o.label ?? apiName;
    const autoNumber = o.nameField?.type === 'AutoNumber';
    const nameLabel = o.nameField?.label ?? `${label} Name`;
    // A detail object (sharingModel ControlledByParent) has no owner: its master decides access.
    const owned = o.sharingModel !== 'ControlledByParent';
    const schema = object(
        apiName,
        keyPrefix,
        [
            autoNumber
                ? readOnly('Name', 'string', {
                      label: nameLabel,
                      length: 80,
                      nameField: true,
                      nillable: false,
                      defaultedOnCreate: true,
                      idLookup: true
                  })
                : required('Name', 'string', { label: nameLabel, length: 80, nameField: true }),
            ...(owned ? [owner(['Group', 'User'])] : []),
            readOnly('LastViewedDate', 'datetime', { calculated: false }),
            readOnly('LastReferencedDate', 'datetime', { calculated: false })
        ],
        { label, labelPlural: o.pluralLabel ?? `${label}s`, searchable: true }
    );
    schema.custom = true;
    return schema;
}

/** Custom objects get key prefixes a00, a01 … a0z, a10 … in name order, as a packaging org would. */
function customKeyPrefix(index: number): string {
    const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    return `a${digits[Math.floor(index / 62) % 62] ?? '0'}${digits[index % 62] ?? '0'}`;
}

function loadGlobalValueSets(projectDir: string): GlobalValueSets {
    const sets = new Map<string, PicklistValue[]>();
    for (const dir of findMetadataDirs(projectDir, 'globalValueSets')) {
        for (const file of readdirSync(dir).filter((f) => f.endsWith('.globalValueSet-meta.xml'))) {
            const doc = parseMetadata<{ customValue?: ValueXml[] }>(
                readFileSync(path.join(dir, file), 'utf8'),
                'GlobalValueSet',
                file
            );
            sets.set(
                file.replace('.globalValueSet-meta.xml', ''),
                (doc.customValue ?? []).map((v) => ({
                    value: String(v.fullName),
                    label: String(v.label ?? v.fullName),
                    active: v.isActive !== 'false',
                    defaultValue: v.default === 'true'
                }))
            );
        }
    }
    return (name) => sets.get(name);
}

/** What force-app adds to the org: custom objects, custom fields per object, child relationships per parent. */
export interface ForceAppSchema {
    customObjects: ObjectSchema[];
    customFields: Map<string, FieldSchema[]>;
    childRelationships: Map<string, ChildRelationshipSchema[]>;
}

const isCustomObjectName = (name: string) => name.endsWith('__c');

/**
 * Every custom object and custom field in the project's package directories. A missing or empty
 * force-app gives an empty result; a malformed file throws, naming the file. Platform events,
 * custom metadata types and other `__x` folders are not objects the REST API serves, so skipped.
 */
export function loadForceAppSchema(projectDir: string, namespace: string): ForceAppSchema {
    const globalValueSets = loadGlobalValueSets(projectDir);
    const customObjects: ObjectSchema[] = [];
    const customFields = new Map<string, FieldSchema[]>();
    const childRelationships = new Map<string, ChildRelationshipSchema[]>();
    const objectDirs = findMetadataDirs(projectDir, 'objects').flatMap((dir) =>
        readdirSync(dir, { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => ({ folder: e.name, dir: path.join(dir, e.name) }))
    );
    const customNames = [
        ...new Set(objectDirs.filter((d) => isCustomObjectName(d.folder)).map((d) => d.folder))
    ].sort();
    for (const { folder, dir } of objectDirs) {
        if (folder.includes('__') && !isCustomObjectName(folder)) continue;
        const apiName = withNamespace(folder, namespace);
        const objectFile = path.join(dir, `${folder}.object-meta.xml`);
        if (isCustomObjectName(folder) && existsSync(objectFile) && !customObjects.some((o) => o.name === apiName)) {
            customObjects.push(
                parseCustomObject(
                    readFileSync(objectFile, 'utf8'),
                    objectFile,
                    apiName,
                    customKeyPrefix(customNames.indexOf(folder))
                )
            );
        }
        const fieldsDir = path.join(dir, 'fields');
        if (!existsSync(fieldsDir)) continue;
        const fields = customFields.get(apiName) ?? [];
        for (const file of readdirSync(fieldsDir)
            .filter((f) => f.endsWith('.field-meta.xml'))
            .sort()) {
            const fullPath = path.join(fieldsDir, file);
            const parsed = parseCustomField(
                readFileSync(fullPath, 'utf8'),
                fullPath,
                namespace,
                apiName,
                globalValueSets
            );
            if (fields.some((f) => f.name === parsed.field.name)) continue;
            fields.push(parsed.field);
            if (parsed.parent) {
                const list = childRelationships.get(parsed.parent.object) ?? [];
                list.push(parsed.parent.relationship);
                childRelationships.set(parsed.parent.object, list);
            }
        }
        customFields.set(apiName, fields);
    }
    // Salesforce defines Task and Event custom fields once, on Activity (objects/Activity/fields):
    // both objects carry every one of them.
    const activity = customFields.get('Activity');
    if (activity) {
        customFields.delete('Activity');
        for (const target of ['Event', 'Task']) {
            const fields = customFields.get(target) ?? [];
            for (const f of activity) if (!fields.some((g) => g.name === f.name)) fields.push({ ...f });
            customFields.set(target, fields);
        }
    }
    return { customObjects, customFields, childRelationships };
}
