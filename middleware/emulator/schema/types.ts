/**
 * The emulator's schema model: what describe answers and what queries and writes are checked
 * against. Field types are Salesforce's describe `type` values.
 */
export type FieldType =
    | 'id'
    | 'string'
    | 'textarea'
    | 'email'
    | 'phone'
    | 'url'
    | 'picklist'
    | 'multipicklist'
    | 'combobox'
    | 'boolean'
    | 'int'
    | 'double'
    | 'currency'
    | 'percent'
    | 'date'
    | 'datetime'
    | 'time'
    | 'reference'
    | 'address'
    | 'location'
    | 'encryptedstring'
    | 'base64'
    | 'anyType';

export interface PicklistValue {
    value: string;
    label?: string;
    active?: boolean;
    defaultValue?: boolean;
}

export interface FieldSchema {
    name: string;
    label: string;
    type: FieldType;
    /** Text length (string, textarea, email, phone, url, picklist: 255 by default). */
    length?: number;
    precision?: number;
    scale?: number;
    /** true when null is allowed on create (false = required unless `defaultedOnCreate`). */
    nillable: boolean;
    createable: boolean;
    updateable: boolean;
    defaultedOnCreate?: boolean;
    /** Value used when a createable, non-nillable field is omitted and defaultedOnCreate. */
    defaultValue?: string | number | boolean | null;
    /** System fields maintained by the emulator (Id, CreatedDate, SystemModstamp, IsDeleted...). */
    calculated?: boolean;
    unique?: boolean;
    externalId?: boolean;
    caseSensitive?: boolean;
    idLookup?: boolean;
    nameField?: boolean;
    filterable?: boolean;
    sortable?: boolean;
    groupable?: boolean;
    picklistValues?: PicklistValue[];
    restrictedPicklist?: boolean;
    /** For reference fields: target objects and the parent relationship name (Account for AccountId). */
    referenceTo?: string[];
    relationshipName?: string | null;
    /** Compound fields (BillingAddress) list their component fields; the compound itself is not stored. */
    compoundFieldName?: string | null;
    custom?: boolean;
    /** Only present when the org has multi-currency on (CurrencyIsoCode). */
    multiCurrencyOnly?: boolean;
}

export interface ChildRelationshipSchema {
    childSObject: string;
    field: string;
    relationshipName: string;
    cascadeDelete?: boolean;
}

export interface ObjectSchema {
    name: string;
    label: string;
    labelPlural: string;
    /** The 3-character Id prefix (Account 001, Contact 003, Lead 00Q, Opportunity 006...). */
    keyPrefix: string;
    custom?: boolean;
    queryable: boolean;
    createable: boolean;
    updateable: boolean;
    deletable: boolean;
    retrieveable?: boolean;
    searchable?: boolean;
    /** Object only exists when the org has multi-currency on (CurrencyType, DatedConversionRate). */
    multiCurrencyOnly?: boolean;
    fields: FieldSchema[];
    childRelationships: ChildRelationshipSchema[];
}

/** Everything the emulator knows about an org's shape. */
export interface OrgSchema {
    objects: Map<string, ObjectSchema>;
    /** Namespace prefix of the package in force-app (from sfdx-project.json), e.g. `peopleai`. */
    namespace: string;
}
