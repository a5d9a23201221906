import { type Locator, type Page } from 'playwright-core';
import { startTestApp, type TestApp, type TestOrg } from '../../middleware/test/helpers/app';
import { startTestEmulator, type TestEmulator } from '../../middleware/test/helpers/emulator';
import { launchBrowser, screenshot, type TestBrowser } from './browser';
import { startPreview, type RunningPreview } from './server';

// The admin console in a real browser, as the demo admin: the emulator's demo org, the real
// middleware over PGlite and the LWC preview on free ports, driven in headless Debian chromium.
// Configuration profiles (CP-3..CP-10, MATCH-5), profile assignment (CP-8) and user settings rules
// (USR-1..USR-7); every change is then found in the audit trail. Screenshots of every screen land
// in test-results/screenshots/.

const PROFILE = 'Sales Team – Full Sync';

describe('the admin console in a real browser (CP-3..CP-10, CP-8, USR-1..USR-7, MATCH-5)', () => {
    let browser: TestBrowser;
    let app: TestApp;
    let sf: TestEmulator;
    let org: TestOrg;
    let preview: RunningPreview;
    let page: Page;

    beforeAll(async () => {
        [browser, app, sf] = await Promise.all([launchBrowser(), startTestApp(), startTestEmulator()]);
        org = await app.newOrg('Admin console org', sf.integrationAuth);
        preview = await startPreview({ port: 0, middlewareUrl: app.url, apiKey: org.apiKey });
        page = await browser.newPage();
    });
    afterAll(async () => {
        await page?.close();
        await Promise.all([browser?.close(), preview?.close(), sf?.close()]);
        await app?.close();
    });
    afterEach(() => {
        expect(browser.errors).toEqual([]);
    });

    const api = async (method: string, apiPath: string, body?: unknown) => {
        const res = await app.call(org.apiKey, method, apiPath, body);
        expect(res.status).toBeLessThan(300);
        return res.body;
    };
    const shot = (name: string) => screenshot(page, name);
    const id = (scope: Page | Locator, dataId: string) => scope.locator(`[data-id="${dataId}"]`);
    const button = (scope: Page | Locator, dataId: string) => id(scope, dataId).locator('button').first();
    const fill = (scope: Page | Locator, dataId: string, value: string) =>
        id(scope, dataId).locator('input, textarea').first().fill(value);
    /** Open a lightning-combobox and pick the option whose label is `option`. */
    async function choose(scope: Page | Locator, dataId: string, option: string | RegExp) {
        const combo = id(scope, dataId).first();
        await combo.locator('button[role="combobox"], input[role="combobox"]').first().click();
        await combo.locator('lightning-base-combobox-item', { hasText: option }).first().click();
    }
    const toast = (text: string | RegExp) =>
        page.locator('lightning-toast, .slds-notify_toast', { hasText: text }).first().waitFor();
    async function open(route: string) {
        await page.goto(`${preview.url}/#${route}`);
        await page.locator('.slds-context-bar__label-action[aria-current="page"]').waitFor();
    }
    const profileRow = (name: string) => page.locator('lightning-datatable tr', { hasText: name }).first();
    async function rowAction(name: string, action: string) {
        await profileRow(name).locator('lightning-primitive-cell-actions button').click();
        await profileRow(name).locator('lightning-menu-item', { hasText: action }).first().click();
    }

    it('lists every screen in the navigation and says "not found" for an unknown route', async () => {
        await page.goto(`${preview.url}/#noSuchPage`);
        await id(page, 'not-found').waitFor();
        expect(await id(page, 'not-found').innerText()).toMatch(/no page “noSuchPage”/);
        expect(await page.locator('[data-component]').allInnerTexts()).toEqual([
            'Configuration Profiles',
            'Follow-ups',
            'Operations',
            'Profile Assignment',
            'Setup Wizard',
            'User Settings Rules',
            'Users and Teams'
        ]);
        await shot('admin-0-not-found');
    });

    it('CP-3 CP-4 CP-5 MATCH-5 creates a profile, sets toggles and an eligibility group, simulates, saves and sees it after a reload', async () => {
        await open('configurationProfiles');
        await profileRow('Default - Intake Off').waitFor();
        await shot('admin-1-profiles-list');

        await button(page, 'new').click();
        await fill(page, 'new-name', PROFILE);
        await shot('admin-2-new-profile-modal');
        await button(page, 'create-save').click();
        await toast(`Profile "${PROFILE}" was created.`);
        const editor = page.locator('c-profile-editor');
        await id(editor, 'title').filter({ hasText: PROFILE }).waitFor();

        for (const key of ['intakeData', 'pushData', 'emailSync']) {
            await editor.locator(`lightning-input[data-key="${key}"] .slds-checkbox_faux`).click();
        }
        await id(editor, 'dirty').waitFor();
        await shot('admin-3-editor-activity');

        await editor.locator('a[data-label="Matching"], [role="tab"]', { hasText: 'Matching' }).first().click();
        const opportunity = id(editor, 'eligibility').filter({ hasText: 'Opportunity' }).first();
        await opportunity.locator('label', { hasText: 'Only records matching a group' }).click();
        const filter = id(opportunity, 'filter').first();
        await choose(filter, 'field', 'Opportunity Type (Type)');
        await choose(filter, 'value', 'New Business');

        // MATCH-5: the unsaved group against the saved profile, on a typed sample.
        const simulation = page.locator('c-matching-simulation');
        await fill(simulation, 'subject', 'Renewal call');
        await fill(simulation, 'owner', 'admin@demo.backstory.local');
        await fill(simulation, 'participants', 'someone@acme-corp.example');
        await button(simulation, 'run').click();
        await id(simulation, 'verdict').waitFor();
        expect(await id(simulation, 'unsaved').innerText()).toMatch(/With these settings/i);
        await shot('admin-4-editor-matching-simulation');

        await button(editor, 'save').click();
        await toast(`Profile "${PROFILE}" was saved.`);
        await id(editor, 'dirty').waitFor({ state: 'detached' });

        const saved = (await api('GET', '/v1/profiles')).items.find((p: { name: string }) => p.name === PROFILE);
        expect(saved.activity).toMatchObject({ intakeData: true, pushData: true, emailSync: true, meetingSync: false });
        expect(saved.matching.eligibility.Opportunity).toMatchObject({
            mode: 'filtered',
            groups: [{ filters: [{ field: 'Type', operator: 'equals', value: 'New Business' }] }]
        });

        await page.reload();
        await profileRow(PROFILE).waitFor();
        expect(await profileRow(PROFILE).innerText()).toMatch(/3 \/ 8 On: Intake Data, Push Data, Email Sync/);
        await profileRow(PROFILE).locator('button', { hasText: PROFILE }).click();
        await id(editor, 'title').filter({ hasText: PROFILE }).waitFor();
        const checked = await editor
            .locator('lightning-input[data-id="toggle"] input')
            .evaluateAll((inputs) => inputs.map((i) => (i as unknown as { checked: boolean }).checked));
        expect(checked).toEqual([true, false, false, true, true, false, false, false]);
        await editor.locator('[role="tab"]', { hasText: 'Matching' }).first().click();
        const reloaded = id(editor, 'eligibility').filter({ hasText: 'Opportunity' }).first();
        expect(await reloaded.locator('lightning-combobox[data-id="value"] button').first().innerText()).toMatch(
            /New Business/
        );
        await editor.locator('[role="tab"]', { hasText: 'Notifications' }).first().click();
        await shot('admin-5-editor-notifications');
        await button(editor, 'back').click();
        await profileRow(PROFILE).waitFor();
    });

    it('CP-3 CP-10 clones a profile and deletes the clone; deleting the default is refused', async () => {
        await open('configurationProfiles');
        await rowAction(PROFILE, 'Clone');
        expect(await id(page, 'new-name').locator('input').inputValue()).toBe(`${PROFILE} (copy)`);
        await button(page, 'create-save').click();
        await toast(`Profile "${PROFILE} (copy)" was created.`);
        await button(page.locator('c-profile-editor'), 'back').click();
        await profileRow(`${PROFILE} (copy)`).waitFor();
        const clone = (await api('GET', '/v1/profiles')).items.find(
            (p: { name: string }) => p.name === `${PROFILE} (copy)`
        );
        expect(clone.matching.eligibility.Opportunity.groups).toHaveLength(1);

        await rowAction('Default - Intake Off', 'Delete');
        await id(page, 'delete-blocked').waitFor();
        expect(await button(page, 'delete-ok').isDisabled()).toBe(true);
        await shot('admin-6-delete-default-refused');
        await button(page, 'delete-cancel').click();

        await rowAction(`${PROFILE} (copy)`, 'Delete');
        await id(page, 'delete-confirm').waitFor();
        await shot('admin-7-delete-confirm');
        await button(page, 'delete-ok').click();
        await toast(`Profile "${PROFILE} (copy)" was deleted.`);
        await profileRow(`${PROFILE} (copy)`).waitFor({ state: 'detached' });
    });

    it('CP-8 assigns a profile to two users and to a whole team', async () => {
        // The org's users and teams come from Salesforce (automatic mode, role hierarchy).
        await api('PUT', '/v1/org/mode', { mode: 'automatic' });
        await api('POST', '/v1/org/sync');
        const profileId = (await api('GET', '/v1/profiles')).items.find((p: { name: string }) => p.name === PROFILE)
            .id as string;

        await open('profileAssignment');
        const rows = id(page, 'user-row');
        await rows.first().waitFor();
        const two = [rows.nth(0), rows.nth(1)];
        const chosen: string[] = [];
        for (const row of two) {
            chosen.push((await row.getAttribute('data-user-id')) as string);
            await row.locator('lightning-input[data-id="select"] .slds-checkbox_faux').click();
        }
        await id(page, 'selected-count').filter({ hasText: '2 selected' }).waitFor();
        await rows.nth(0).locator('[data-id="profile-name"]').hover();
        await id(page, 'profile-preview').waitFor();
        await shot('admin-8-assignment-list');
        await button(page, 'assign-selected').click();
        await choose(page, 'assign-profile', PROFILE);
        await shot('admin-9-assign-modal');
        await button(page, 'assign-ok').click();
        await toast(`2 users now use "${PROFILE}".`);
        for (const userId of chosen) expect((await api('GET', `/v1/users/${userId}`)).profileId).toBe(profileId);

        const team = (await api('GET', '/v1/teams')).items.find((t: { memberCount: number }) => t.memberCount >= 2);
        await button(page, 'assign-team').click();
        await choose(page, 'assign-team-choice', new RegExp(`^${team.name} \\(`));
        await choose(page, 'assign-profile', PROFILE);
        await button(page, 'assign-ok').click();
        await toast(`now use "${PROFILE}"`);
        const members = (await api('GET', `/v1/users?teamId=${team.id}`)).items as { profileId: string }[];
        expect(members.length).toBeGreaterThanOrEqual(2);
        expect(members.every((u) => u.profileId === profileId)).toBe(true);
        await shot('admin-10-assignment-done');
    });

    it('USR-4 USR-6 USR-7 adds two rules, reorders them and saves; previews every Salesforce user', async () => {
        await open('userSettingsRules');
        const list = id(page, 'rule-list');
        await id(list, 'rule').first().waitFor();
        const rules: [string, string][] = [
            ['Account executives', 'Account Executive'],
            ['SDRs', 'SDR']
        ];
        for (const [name, title] of rules) {
            await button(page, 'add-rule').click();
            const modal = id(page, 'rule-modal');
            await fill(modal, 'rule-name', name);
            await choose(modal, 'filter-operator', 'contains');
            await fill(modal, 'filter-value', title);
            await choose(modal, 'rule-profile', PROFILE);
            if (name === 'SDRs') await shot('admin-11-rule-editor');
            await button(modal, 'rule-done').click();
            await modal.waitFor({ state: 'detached' });
        }
        expect(await id(list, 'rule-name').allInnerTexts()).toEqual([
            'Account executives',
            'SDRs',
            expect.stringMatching(/^Catch-all/)
        ]);
        // The catch-all has no move buttons; "SDRs" moves up by keyboard-reachable button.
        expect(await id(list, 'rule').last().locator('[data-id="rule-up"]').count()).toBe(0);
        await button(id(list, 'rule').nth(1), 'rule-up').click();
        expect((await id(list, 'rule-name').allInnerTexts()).slice(0, 2)).toEqual(['SDRs', 'Account executives']);
        await button(page, 'save-rules').click();
        await toast('User Settings Rules were saved.');
        const saved = (await api('GET', '/v1/user-settings-rules')).items as { name: string; isCatchAll: boolean }[];
        expect(saved.map((r) => r.name)).toEqual(['SDRs', 'Account executives', 'Catch-all']);

        await button(page, 'preview-all').click();
        await id(page, 'preview-summary').waitFor();
        expect(await id(page, 'preview-count').count()).toBe(3);
        await shot('admin-12-rules-preview');
        await id(page, 'preview-count').nth(1).click();
        await id(page, 'users-modal').getByRole('dialog').waitFor();
        await shot('admin-13-rule-users');
        await button(page, 'users-close').click();
    });

    it('the audit trail shows each change', async () => {
        const events = (await api('GET', '/v1/audit?limit=500')).items as {
            entity: string;
            action: string;
            after: { name?: string } | null;
            before: { name?: string } | null;
        }[];
        const has = (entity: string, action: string, name?: string) =>
            events.some(
                (e) =>
                    e.entity === entity &&
                    e.action === action &&
                    (!name || e.after?.name === name || e.before?.name === name)
            );
        expect(has('profile', 'create', PROFILE)).toBe(true);
        expect(has('profile', 'update', PROFILE)).toBe(true);
        expect(has('profile', 'create', `${PROFILE} (copy)`)).toBe(true);
        expect(has('profile', 'delete', `${PROFILE} (copy)`)).toBe(true);
        expect(events.filter((e) => e.entity === 'user' && e.action === 'update').length).toBeGreaterThanOrEqual(2);
        expect(has('rule', 'create', 'SDRs')).toBe(true);
        expect(has('rule', 'create', 'Account executives')).toBe(true);
    });
});
