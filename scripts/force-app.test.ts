import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { MANIFEST } from '../middleware/src/domain/manifest';

/**
 * The force-app package, read as files: what the middleware and the LWCs rely on is really there
 * (`sf project convert source` checks that the XML is well-formed metadata; this checks content).
 */
const root = path.resolve(__dirname, '../force-app/main/default');
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });
const xml = (file: string) => parser.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;
const list = <T>(value: T | T[] | undefined): T[] =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Where force-app defines a custom field of `object` (Task and Event fields live on Activity). */
const fieldFile = (object: string, field: string) =>
    path.join(
        'objects',
        object === 'Event' || object === 'Task' ? 'Activity' : object,
        'fields',
        `${field}.field-meta.xml`
    );

describe('force-app', () => {
    it('PERM-6 defines every peopleai__ field the manifest names', () => {
        const named = MANIFEST.flatMap((o) =>
            o.fields.filter((f) => f.name.startsWith('peopleai__')).map((f) => [o.name, f.name.slice(10)] as const)
        );
        expect(named.length).toBeGreaterThan(10);
        for (const [object, field] of named) expect(existsSync(path.join(root, fieldFile(object, field)))).toBe(true);
    });

    it('defines Task and Event custom fields on Activity, as the Metadata API requires', () => {
        expect(existsSync(path.join(root, 'objects/Event'))).toBe(false);
        expect(existsSync(path.join(root, 'objects/Task'))).toBe(false);
        const id = xml(fieldFile('Event', 'Activity_Id__c')).CustomField as Record<string, string>;
        expect(id).toMatchObject({ type: 'Text', length: '255', externalId: 'true', unique: 'true' });
        const flag = xml(fieldFile('Task', 'Created_by_PeopleAI__c')).CustomField as Record<string, string>;
        expect(flag).toMatchObject({ type: 'Checkbox', defaultValue: 'false' });
    });

    it('sends the API key as a bearer token through the external credential', () => {
        const ec = xml('externalCredentials/Backstory_Middleware.externalCredential-meta.xml').ExternalCredential as {
            externalCredentialParameters: Record<string, string>[];
        };
        const header = ec.externalCredentialParameters.find((p) => p.parameterType === 'AuthHeader');
        expect(header).toMatchObject({ parameterName: 'Authorization' });
        // Exactly this (a formatter once turned it into "{! ' Bearer ' …" across lines, a broken header).
        expect(header?.parameterValue).toBe("{!'Bearer ' & $Credential.Backstory_Middleware.ApiKey}");
        const principal = ec.externalCredentialParameters.find((p) => p.parameterType === 'NamedPrincipal');
        const nc = xml('namedCredentials/Backstory_Middleware.namedCredential-meta.xml').NamedCredential as {
            namedCredentialParameters: Record<string, string>[];
        };
        expect(nc.namedCredentialParameters).toEqual(
            expect.arrayContaining([expect.objectContaining({ externalCredential: 'Backstory_Middleware' })])
        );
        // Both permission sets that call the proxy may use the principal.
        for (const ps of ['Backstory_Admin', 'Backstory_Rep']) {
            const set = xml(`permissionsets/${ps}.permissionset-meta.xml`).PermissionSet as Record<string, unknown>;
            expect(list(set.externalCredentialPrincipalAccesses as Record<string, string>[])).toEqual([
                { enabled: 'true', externalCredentialPrincipal: `Backstory_Middleware-${principal?.parameterName}` }
            ]);
            expect(list(set.classAccesses as Record<string, string>[])).toContainEqual({
                apexClass: 'BackstoryApiProxy',
                enabled: 'true'
            });
        }
    });

    it('gives admins the Backstory_Admin custom permission, the app and the setup tab', () => {
        const set = xml('permissionsets/Backstory_Admin.permissionset-meta.xml').PermissionSet as Record<
            string,
            unknown
        >;
        expect(list(set.customPermissions as Record<string, string>[])).toContainEqual({
            enabled: 'true',
            name: 'Backstory_Admin'
        });
        expect(existsSync(path.join(root, 'customPermissions/Backstory_Admin.customPermission-meta.xml'))).toBe(true);
        expect(list(set.tabSettings as Record<string, string>[])).toEqual(
            [
                'Backstory_Configuration_Profiles',
                'Backstory_Operations',
                'Backstory_Profile_Assignment',
                'Backstory_Setup',
                'Backstory_User_Settings_Rules',
                'Backstory_Users_And_Teams'
            ].map((tab) => ({ tab, visibility: 'Visible' }))
        );
        const rep = xml('permissionsets/Backstory_Rep.permissionset-meta.xml').PermissionSet as Record<string, unknown>;
        expect(rep.customPermissions).toBeUndefined();
    });

    it('PERM-8 the Backstory Admin app opens the setup tab, a page holding the permissionChecker wizard', () => {
        const app = xml('applications/Backstory_Admin.app-meta.xml').CustomApplication as Record<string, unknown>;
        expect(app.label).toBe('Backstory Admin');
        expect(list(app.tabs as string[])).toContain('Backstory_Setup');
        const tab = xml('tabs/Backstory_Setup.tab-meta.xml').CustomTab as Record<string, string>;
        const page = xml(`flexipages/${tab.flexiPage}.flexipage-meta.xml`).FlexiPage as Record<string, unknown>;
        expect(JSON.stringify(page)).toContain('"componentName":"permissionChecker"');
        const meta = xml('lwc/permissionChecker/permissionChecker.js-meta.xml').LightningComponentBundle as {
            isExposed: string;
            targets: { target: string[] };
        };
        expect(meta.isExposed).toBe('true');
        expect(list(meta.targets.target)).toContain('lightning__AppPage');
        // The package's configure page sends the admin to that tab.
        expect(readFileSync(path.join(root, 'pages/Backstory_Configure.page'), 'utf8')).toContain(
            '/lightning/n/peopleai__Backstory_Setup'
        );
    });

    it('CP-8 USR-1 the admin app has a tab and page for every admin console screen', () => {
        const app = xml('applications/Backstory_Admin.app-meta.xml').CustomApplication as Record<string, unknown>;
        const screens: Record<string, string> = {
            Backstory_Configuration_Profiles: 'configurationProfiles',
            Backstory_Profile_Assignment: 'profileAssignment',
            Backstory_User_Settings_Rules: 'userSettingsRules',
            Backstory_Users_And_Teams: 'usersAndTeams'
        };
        for (const [tabName, component] of Object.entries(screens)) {
            expect(list(app.tabs as string[])).toContain(tabName);
            const tab = xml(`tabs/${tabName}.tab-meta.xml`).CustomTab as Record<string, string>;
            const page = xml(`flexipages/${tab.flexiPage}.flexipage-meta.xml`).FlexiPage as Record<string, unknown>;
            expect(JSON.stringify(page)).toContain(`"componentName":"${component}"`);
            const meta = xml(`lwc/${component}/${component}.js-meta.xml`).LightningComponentBundle as {
                isExposed: string;
                targets: { target: string[] };
            };
            expect(meta.isExposed).toBe('true');
            expect(list(meta.targets.target)).toContain('lightning__AppPage');
        }
    });

    it('has one Apex proxy with the signature the LWC service calls, and its test', () => {
        const classes = readdirSync(path.join(root, 'classes')).filter((f) => f.endsWith('.cls'));
        expect(classes.sort()).toEqual([
            'BackstoryApiProxy.cls',
            'BackstoryApiProxyTest.cls',
            'BackstoryPermissionSetup.cls',
            'BackstoryPermissionSetupTest.cls'
        ]);
        const proxy = readFileSync(path.join(root, 'classes/BackstoryApiProxy.cls'), 'utf8');
        expect(proxy).toMatch(/public with sharing class BackstoryApiProxy/);
        expect(proxy).toMatch(/@AuraEnabled\s+public static String send\(String method, String path, String body\)/);
        expect(proxy).toContain("request.setHeader('X-Acting-User', UserInfo.getUserId())");
        const test = readFileSync(path.join(root, 'classes/BackstoryApiProxyTest.cls'), 'utf8');
        expect(test).toContain('implements HttpCalloutMock');
        expect(test.match(/Assert\.fail\(/g)?.length).toBeGreaterThanOrEqual(3);
        // The callout-failure branch (CalloutException → 502 unreachable) has its own test.
        expect(test).toContain('throw new CalloutException(');
        expect(test).toMatch(/Assert\.areEqual\('unreachable', error\.get\('code'\)\)/);
    });

    it('PERM-8 the one-click assignment runs as the admin in user mode, with its test, for admins only', () => {
        const setup = readFileSync(path.join(root, 'classes/BackstoryPermissionSetup.cls'), 'utf8');
        expect(setup).toMatch(/public with sharing class BackstoryPermissionSetup/);
        expect(setup).toMatch(/@AuraEnabled\s+public static Boolean canAssignPermissionSet\(\)/);
        expect(setup).toMatch(/@AuraEnabled\s+public static Map<String, Object> assignPermissionSet\(String userId\)/);
        expect(setup).toMatch(
            /@AuraEnabled\(cacheable=true\)\s+public static Map<String, String> fieldLabels\(List<String> fields\)/
        );
        expect(setup).toContain('Database.insert(assignment, AccessLevel.USER_MODE)');
        const test = readFileSync(path.join(root, 'classes/BackstoryPermissionSetupTest.cls'), 'utf8');
        expect(test).toContain('System.runAs(');
        expect(test.match(/Assert\.fail\(/g)?.length).toBeGreaterThanOrEqual(3);
        const admin = xml('permissionsets/Backstory_Admin.permissionset-meta.xml').PermissionSet as Record<
            string,
            unknown
        >;
        expect(list(admin.classAccesses as Record<string, string>[])).toContainEqual({
            apexClass: 'BackstoryPermissionSetup',
            enabled: 'true'
        });
        const rep = xml('permissionsets/Backstory_Rep.permissionset-meta.xml').PermissionSet as Record<string, unknown>;
        expect(JSON.stringify(rep.classAccesses ?? [])).not.toContain('BackstoryPermissionSetup');
    });

    it('declares the meeting follow-up notification type', () => {
        const n = xml('notificationtypes/Backstory_Meeting_Follow_Up.notiftype-meta.xml')
            .CustomNotificationType as Record<string, string>;
        expect(n).toMatchObject({ desktop: 'true', mobile: 'true' });
    });
    it('MATCH-8 MATCH-11 the Backstory app for reps: the Follow-ups tab and record pages with the rep components', () => {
        const app = xml('applications/Backstory.app-meta.xml').CustomApplication as Record<string, unknown>;
        expect(app.label).toBe('Backstory');
        expect(list(app.tabs as string[])).toEqual(
            expect.arrayContaining(['Backstory_Follow_Ups', 'standard-Opportunity'])
        );
        const tab = xml('tabs/Backstory_Follow_Ups.tab-meta.xml').CustomTab as Record<string, string>;
        expect(tab.lwcComponent).toBe('followUpQuestions');
        const overrides = list(app.actionOverrides as Record<string, string>[]);
        for (const object of ['Account', 'Contact', 'Lead', 'Opportunity', 'Event']) {
            const o = overrides.find((x) => x.pageOrSobjectType === object);
            expect(o).toMatchObject({ actionName: 'View', type: 'Flexipage' });
            const page = xml(`flexipages/${o!.content}.flexipage-meta.xml`).FlexiPage as Record<string, unknown>;
            expect(page.sobjectType).toBe(object);
            expect(JSON.stringify(page)).toContain(
                `"componentName":"${object === 'Event' ? 'followUpQuestions' : 'activityPanel'}"`
            );
        }
        const rep = xml('permissionsets/Backstory_Rep.permissionset-meta.xml').PermissionSet as Record<string, unknown>;
        expect(rep.applicationVisibilities).toEqual({ application: 'Backstory', visible: 'true' });
        expect(rep.tabSettings).toEqual({ tab: 'Backstory_Follow_Ups', visibility: 'Visible' });
        const panel = xml('lwc/activityPanel/activityPanel.js-meta.xml').LightningComponentBundle as {
            targetConfigs: { targetConfig: { objects: { object: string[] } } };
        };
        expect(panel.targetConfigs.targetConfig.objects.object).toEqual(['Account', 'Contact', 'Lead', 'Opportunity']);
    });

    it('defines each custom label once, and every label an LWC imports', () => {
        const labels = list(
            (xml('labels/CustomLabels.labels-meta.xml').CustomLabels as { labels: { fullName: string }[] }).labels
        ).map((l) => l.fullName);
        // A block with two names (a bad merge) parses as a list: every label has exactly one.
        expect(labels.filter((name) => typeof name !== 'string')).toEqual([]);
        const repeated = labels.filter((name, i) => labels.indexOf(name) !== i);
        expect(repeated).toEqual([]);
        const lwcDir = path.join(root, 'lwc');
        const imported = new Set<string>();
        for (const component of readdirSync(lwcDir))
            for (const file of readdirSync(path.join(lwcDir, component)).filter((f) => f.endsWith('.js')))
                for (const m of readFileSync(path.join(lwcDir, component, file), 'utf8').matchAll(
                    /@salesforce\/label\/c\.(\w+)/g
                ))
                    imported.add(m[1] as string);
        expect([...imported].filter((name) => !labels.includes(name))).toEqual([]);
    });
});
