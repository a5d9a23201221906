import { loadForceAppSchema } from './custom-metadata';
import { readNamespace } from './project';
import { currencyIsoCode } from './standard-objects-builders';
import { standardObjects } from './standard-objects';
import type { FieldSchema, ObjectSchema, OrgSchema } from './types';

export * from './types';
export * from './standard-objects';
export { loadForceAppSchema, parseCustomField, parseCustomObject, type ForceAppSchema } from './custom-metadata';
export { loadPermissionSets, parsePermissionSet, type PermissionSetDefinition } from './permission-sets';
export { readNamespace, packageDirectories, withNamespace } from './project';

export interface LoadOrgSchemaOptions {
    /** The SFDX project root (holds sfdx-project.json and force-app). */
    projectDir: string;
    /** Multi-currency orgs have CurrencyType, DatedConversionRate and CurrencyIsoCode fields. */
    multiCurrency?: boolean;
}

/**
 * The org's schema: the standard catalog plus every custom object and field in force-app,
 * namespaced from sfdx-project.json. Custom fields on standard objects outside the catalog are
 * ignored (the emulator does not serve those objects). A custom field that collides with an
 * existing field name throws: Salesforce would refuse to deploy it.
 */
export function loadOrgSchema(opts: LoadOrgSchemaOptions): OrgSchema {
    const namespace = readNamespace(opts.projectDir);
    const multiCurrency = opts.multiCurrency ?? false;
    const keep = (f: FieldSchema) => multiCurrency || !f.multiCurrencyOnly;
    const objects = new Map<string, ObjectSchema>();
    for (const o of standardObjects()) {
        if (o.multiCurrencyOnly && !multiCurrency) continue;
        objects.set(o.name, { ...o, fields: o.fields.filter(keep) });
    }
    const forceApp = loadForceAppSchema(opts.projectDir, namespace);
    for (const o of forceApp.customObjects) objects.set(o.name, o);
    for (const [objectName, fields] of forceApp.customFields) {
        const target = objects.get(objectName);
        if (!target) continue;
        for (const f of fields) {
            if (target.fields.some((existing) => existing.name === f.name)) {
                throw new Error(`force-app: ${objectName}.${f.name} is defined twice`);
            }
            target.fields.push(f);
        }
    }
    for (const [parent, relationships] of forceApp.childRelationships) {
        const target = objects.get(parent);
        if (!target) continue;
        for (const r of relationships) {
            if (objects.has(r.childSObject)) target.childRelationships.push(r);
        }
    }
    // In a multi-currency org every custom object has a CurrencyIsoCode, like the standard ones.
    if (multiCurrency) {
        for (const o of forceApp.customObjects) objects.get(o.name)?.fields.push(currencyIsoCode());
    }
    return { objects, namespace };
}
