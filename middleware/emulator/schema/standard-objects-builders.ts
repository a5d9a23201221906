import type { ChildRelationshipSchema, FieldSchema, FieldType, ObjectSchema, PicklistValue } from './types';

/**
 * Small builders for the standard-object catalog. Lengths and flags follow what describe
 * returns in a Developer Edition org (Salesforce Object Reference, API 62.0).
 */

export type FieldOptions = Partial<Omit<FieldSchema, 'name' | 'type'>>;

const TEXT_LENGTH: Partial<Record<FieldType, number>> = {
    id: 18,
    reference: 18,
    string: 255,
    textarea: 32000,
    email: 80,
    phone: 40,
    url: 255,
    picklist: 255,
    multipicklist: 4099,
    combobox: 255,
    encryptedstring: 175
};

/** "AnnualRevenue" → "Annual Revenue", "OwnerId" → "Owner ID". */
export function labelFor(name: string): string {
    return name
        .replace(/Id$/, ' ID')
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/^Is /, '')
        .trim();
}

export function field(name: string, type: FieldType, options: FieldOptions = {}): FieldSchema {
    const notFilterable = type === 'textarea' || type === 'address' || type === 'location' || type === 'anyType';
    return {
        name,
        label: options.label ?? labelFor(name),
        type,
        length: TEXT_LENGTH[type] ?? 0,
        nillable: type !== 'boolean',
        createable: true,
        updateable: true,
        filterable: !notFilterable,
        sortable: !notFilterable && type !== 'multipicklist',
        groupable: !notFilterable && !['double', 'currency', 'percent', 'datetime', 'multipicklist'].includes(type),
        ...(type === 'boolean' ? { defaultedOnCreate: true, defaultValue: false } : {}),
        ...options
    };
}

/** A field the caller must give on create (nillable false, no default). */
export const required = (name: string, type: FieldType, options: FieldOptions = {}) =>
    field(name, type, { nillable: false, ...options });

/** A field Salesforce computes (formula, roll-up, system): never createable or updateable. */
export const readOnly = (name: string, type: FieldType, options: FieldOptions = {}) =>
    field(name, type, { createable: false, updateable: false, calculated: true, ...options });

export const bool = (name: string, defaultValue = false, options: FieldOptions = {}) =>
    field(name, 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue, ...options });

export const ref = (name: string, to: string[], relationshipName: string | null, options: FieldOptions = {}) =>
    field(name, 'reference', { referenceTo: to, relationshipName, ...options });

export function values(list: readonly string[], defaultValue?: string): PicklistValue[] {
    return list.map((value) => ({ value, label: value, active: true, defaultValue: value === defaultValue }));
}

export const picklist = (name: string, list: readonly string[], options: FieldOptions = {}) =>
    field(name, 'picklist', { picklistValues: values(list), restrictedPicklist: false, ...options });

/** A picklist every record has a value for: the default is applied when the caller omits it. */
export const defaultedPicklist = (
    name: string,
    list: readonly string[],
    defaultValue: string,
    options: FieldOptions = {}
) =>
    field(name, 'picklist', {
        picklistValues: values(list, defaultValue),
        nillable: false,
        defaultedOnCreate: true,
        defaultValue,
        ...options
    });

/** OwnerId: defaulted to the running user on create (nillable false but not required). */
export const owner = (to: string[] = ['User']) =>
    ref('OwnerId', to, 'Owner', { label: 'Owner ID', nillable: false, defaultedOnCreate: true });

/** The ISO codes of the demo org's active currencies (CurrencyType rows when multi-currency is on). */
export const CURRENCY_CODES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY'] as const;

/** CurrencyIsoCode, which every currency-bearing object has once multi-currency is activated. */
export const currencyIsoCode = () =>
    defaultedPicklist('CurrencyIsoCode', CURRENCY_CODES, 'USD', {
        label: 'Currency ISO Code',
        length: 3,
        restrictedPicklist: true,
        multiCurrencyOnly: true
    });

/**
 * A compound address (BillingAddress) and its components (BillingStreet …). The compound field
 * is read-only in the API; the components are written. `prefix` '' gives Lead's Street/City/….
 */
export function address(prefix: string, compoundName = `${prefix}Address`): FieldSchema[] {
    const part = (name: string, type: FieldType, options: FieldOptions) =>
        field(`${prefix}${name}`, type, { compoundFieldName: compoundName, ...options });
    return [
        readOnly(compoundName, 'address', { calculated: false, label: labelFor(compoundName) }),
        part('Street', 'textarea', { length: 255, filterable: true, sortable: true, groupable: true }),
        part('City', 'string', { length: 40 }),
        part('State', 'string', { length: 80 }),
        part('PostalCode', 'string', { length: 20 }),
        part('Country', 'string', { length: 80 }),
        part('Latitude', 'double', { precision: 18, scale: 15 }),
        part('Longitude', 'double', { precision: 18, scale: 15 }),
        part('GeocodeAccuracy', 'picklist', {
            picklistValues: values([
                'Address',
                'NearAddress',
                'Block',
                'Street',
                'ExtendedZip',
                'Zip',
                'Neighborhood',
                'City',
                'County',
                'State',
                'Unknown'
            ]),
            restrictedPicklist: true
        })
    ];
}

/** Which audit fields an object has. History objects only have the creation pair. */
export type Audit = 'full' | 'created' | 'modified' | 'modstamp' | 'none';

export interface ObjectOptions {
    label?: string;
    labelPlural?: string;
    createable?: boolean;
    updateable?: boolean;
    deletable?: boolean;
    searchable?: boolean;
    multiCurrencyOnly?: boolean;
    audit?: Audit;
    /** No IsDeleted (setup objects that are never in the Recycle Bin). */
    noIsDeleted?: boolean;
    children?: ChildRelationshipSchema[];
}

function auditFields(audit: Audit, noIsDeleted: boolean): FieldSchema[] {
    const userRef = (name: string, relationshipName: string) =>
        readOnly(name, 'reference', {
            referenceTo: ['User'],
            relationshipName,
            nillable: false,
            defaultedOnCreate: true
        });
    const datetime = (name: string) => readOnly(name, 'datetime', { nillable: false, defaultedOnCreate: true });
    const isDeleted =
        noIsDeleted || audit === 'none' || audit === 'modstamp' || audit === 'modified'
            ? []
            : [readOnly('IsDeleted', 'boolean', { label: 'Deleted', nillable: false, defaultValue: false })];
    switch (audit) {
        case 'none':
            return [];
        case 'modstamp':
            return [datetime('SystemModstamp')];
        case 'modified':
            return [
                datetime('LastModifiedDate'),
                userRef('LastModifiedById', 'LastModifiedBy'),
                datetime('SystemModstamp')
            ];
        case 'created':
            return [...isDeleted, datetime('CreatedDate'), userRef('CreatedById', 'CreatedBy')];
        case 'full':
            return [
                ...isDeleted,
                datetime('CreatedDate'),
                userRef('CreatedById', 'CreatedBy'),
                datetime('LastModifiedDate'),
                userRef('LastModifiedById', 'LastModifiedBy'),
                datetime('SystemModstamp')
            ];
    }
}

export function object(
    name: string,
    keyPrefix: string,
    fields: FieldSchema[],
    options: ObjectOptions = {}
): ObjectSchema {
    const label = options.label ?? labelFor(name);
    const writable = options.createable ?? true;
    return {
        name,
        label,
        labelPlural: options.labelPlural ?? `${label}s`,
        keyPrefix,
        queryable: true,
        createable: writable,
        updateable: options.updateable ?? writable,
        deletable: options.deletable ?? writable,
        retrieveable: true,
        searchable: options.searchable ?? false,
        ...(options.multiCurrencyOnly ? { multiCurrencyOnly: true } : {}),
        fields: [
            readOnly('Id', 'id', {
                label: `${label} ID`,
                nillable: false,
                idLookup: true,
                unique: true,
                calculated: true,
                defaultedOnCreate: true
            }),
            ...auditFields(options.audit ?? 'full', options.noIsDeleted ?? false),
            ...fields
        ],
        childRelationships: options.children ?? []
    };
}

export const child = (
    childSObject: string,
    fieldName: string,
    relationshipName: string,
    cascadeDelete = false
): ChildRelationshipSchema => ({ childSObject, field: fieldName, relationshipName, cascadeDelete });
