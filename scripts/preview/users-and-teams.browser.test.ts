import { type Locator, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../middleware/test/helpers/app';
import { startTestEmulator, type TestEmulator } from '../../middleware/test/helpers/emulator';
import { launchBrowser, screenshot, type TestBrowser } from './browser';
import { startPreview, type RunningPreview } from './server';

// Users and Teams (seed 001) as the demo admin in headless chromium: the emulator's demo org, the
// real middleware over PGlite and the LWC preview. Screenshots land in test-results/screenshots/.

describe('users and teams in a real browser (UT-3, UT-4, UT-6, UT-7, UT-2, UT-13)', () => {
    let browser: TestBrowser;
    let app: TestApp;
    let sf: TestEmulator;
    let preview: RunningPreview;
    let page: Page;
    let apiKey: string;

    beforeAll(async () => {
        [browser, app, sf] = await Promise.all([launchBrowser(), startTestApp(), startTestEmulator()]);
        const org = await app.newOrg(`Users browser org ${Date.now()}`, sf.integrationAuth);
        apiKey = org.apiKey;
        preview = await startPreview({ port: 0, middlewareUrl: app.url, apiKey });
        page = await browser.newPage();
    }, 600_000);
    afterAll(async () => {
        await page?.close();
        await Promise.all([browser?.close(), preview?.close(), sf?.close(), app?.close()]);
    });

    const screen = () => page.locator('c-users-and-teams');
    const byId = (id: string, scope?: Locator) => (scope ?? screen()).locator(`[data-id="${id}"]`);
    const press = (id: string) => byId(id).locator('button').first().click();
    const fill = (id: string, value: string) => byId(id).locator('input').fill(value);
    /** Open a lightning-combobox and pick the option whose label is `option`. */
    const choose = async (id: string, option: string) => {
        const combo = byId(id);
        await combo.locator('button[role="combobox"], input[role="combobox"]').first().click();
        await combo.locator('lightning-base-combobox-item', { hasText: option }).first().click();
    };
    const treeItem = (name: string) => byId('tree').locator('[role="treeitem"]', { hasText: name }).first();
    const selectTeam = async (name: string) => {
        await byId('tree').locator('.slds-tree__item-label', { hasText: name }).first().click();
        await byId('selected-team').getByText(name).waitFor();
    };
    const shot = (name: string) => screenshot(page, name);

    it('UT-7 adds a user, who appears in the table and the Pending count', async () => {
        await page.goto(`${preview.url}#usersAndTeams`);
        await byId('mode').waitFor();
        expect((await byId('mode').innerText()).trim()).toBe('Manual');
        await shot('users-1-empty');

        await press('add-user');
        await fill('firstName', 'Dee');
        await fill('lastName', 'Newman');
        await fill('email', 'dee.newman@demo.example');
        await shot('users-2-add-user');
        await press('save-user');
        await byId('dialog').waitFor({ state: 'detached' });
        await byId('table').getByText('Dee Newman').waitFor();
        expect(await byId('pending').innerText()).toContain('1');
        expect(await byId('total').innerText()).toContain('1');
        await shot('users-3-added');
        expect(browser.errors).toEqual([]);
    });

    it('UT-6 checks a CSV with one bad line, shows the line and column, then imports the valid rows', async () => {
        await press('import-open');
        const csv = [
            'First Name,Last Name,Email,Role,Team',
            'Ann,Archer,ann.archer@demo.example,Member,East',
            'Bob,Baker,not-an-email,Member,East',
            'Cy,Cole,cy.cole@demo.example,Manager,East'
        ].join('\n');
        await byId('file')
            .locator('input[type="file"]')
            .setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        await byId('import-summary').waitFor();
        expect((await byId('import-summary').innerText()).trim()).toBe(
            '2 rows ready, 1 line with errors. New teams: East.'
        );
        expect(await byId('import-error').locator('td').allInnerTexts()).toEqual([
            '3',
            'Email',
            '"not-an-email" is not an email address'
        ]);
        expect(await byId('apply-all').locator('button').isDisabled()).toBe(true);
        await shot('users-4-csv-checked');
        await press('apply-valid');
        await byId('import-result').waitFor();
        expect((await byId('import-result').innerText()).trim()).toBe('2 created, 0 updated, 1 line skipped.');
        await press('cancel');
        await byId('table').getByText('Cy Cole').waitFor();
        expect(await byId('total').innerText()).toContain('3');
        expect(await byId('tree').innerText()).toContain('East (2)');
        await shot('users-5-imported');
        expect(browser.errors).toEqual([]);
    });

    it('UT-4 creates, renames, nests and deletes teams', async () => {
        await press('add-team');
        await fill('team-name', 'West');
        await press('save-team');
        await byId('dialog').waitFor({ state: 'detached' });
        await treeItem('West (0)').waitFor();
        await press('add-team');
        await fill('team-name', 'Enterprise');
        await press('save-team');
        await byId('dialog').waitFor({ state: 'detached' });
        await treeItem('Enterprise (0)').waitFor();

        // Rename Enterprise and nest it under East.
        await selectTeam('Enterprise');
        await press('team-edit');
        await fill('team-name', 'Strategic');
        await choose('team-parent', 'East');
        await shot('users-6-team-edit');
        await press('save-team');
        await byId('dialog').waitFor({ state: 'detached' });
        const east = treeItem('East (2)');
        await east.locator('[role="treeitem"]', { hasText: 'Strategic (0)' }).waitFor();
        expect(await byId('tree').innerText()).not.toContain('Enterprise');

        // East holds users: its delete is refused, and says why.
        await selectTeam('East');
        await press('team-delete');
        expect(await byId('confirm-message').innerText()).toContain('Saved Views');
        await press('confirm');
        await byId('dialog-error').waitFor();
        await shot('users-7-team-delete-refused');
        await press('cancel');
        await byId('dialog').waitFor({ state: 'detached' });

        await selectTeam('West');
        await press('team-delete');
        await press('confirm');
        await byId('dialog').waitFor({ state: 'detached' });
        await byId('tree').getByText('West').waitFor({ state: 'detached' });
        await shot('users-8-teams');
        expect(browser.errors).toEqual([]);
    });

    it('UT-3 UT-2 switches to Automatic after the warning, and Sync now shows what it did', async () => {
        await press('mode-switch');
        expect(await byId('consequences').innerText()).toContain('Saved Views');
        await shot('users-9-mode-warning');
        // Only the default profile exists: the middleware refuses (409) and the dialog says why.
        await press('mode-confirm');
        await byId('dialog-error').waitFor();
        expect(await byId('dialog-error').innerText()).toContain('configuration profiles');
        expect((await byId('mode').innerText()).trim()).toBe('Manual');
        await shot('users-10-mode-refused');
        expect((await app.call(apiKey, 'POST', '/v1/profiles', { name: 'Sales' })).status).toBe(201);
        await press('mode-confirm');
        await byId('dialog').waitFor({ state: 'detached' });
        await byId('mode').getByText('Automatic').waitFor();
        await press('sync');
        await byId('sync-result').waitFor();
        expect((await byId('sync-result').innerText()).trim()).toMatch(
            /^\d+ created, \d+ updated, \d+ suspended, \d+ moved to the top-level team$/
        );
        await byId('table').getByText('Dee Newman').waitFor();
        // UT-13: users the sync linked to active Salesforce users are Onboarding; Dee (no Salesforce user) Pending.
        expect(Number.parseInt(await byId('onboarding').innerText(), 10)).toBeGreaterThan(0);
        expect(Number.parseInt(await byId('pending').innerText(), 10)).toBeGreaterThan(0);
        expect(await byId('add-team').count()).toBe(0);
        await shot('users-11-automatic-synced');
        expect(browser.errors).toEqual([]);
    });
});
