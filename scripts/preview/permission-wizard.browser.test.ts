import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../middleware/test/helpers/app';
import { startTestEmulator, type TestEmulator } from '../../middleware/test/helpers/emulator';
import { buildPreviewIfStale, startPreview, type RunningPreview } from './server';

// PERM-8 in a real browser: the emulator's demo org, the real middleware over PGlite and the LWC
// preview on free ports, the wizard driven in headless Debian chromium the way a person clicks it.
// Screenshots of every screen land in test-results/screenshots/.

const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync'
];

interface Stack {
    sf: TestEmulator;
    preview: RunningPreview;
    page: Page;
    close(): Promise<void>;
}

describe('the permission wizard in a real browser (PERM-8)', () => {
    let context: BrowserContext;
    let profileDir: string;
    let app: TestApp;

    beforeAll(async () => {
        mkdirSync(SHOTS, { recursive: true });
        profileDir = mkdtempSync(path.join(tmpdir(), 'backstory-chromium-'));
        [context, app] = await Promise.all([
            chromium.launchPersistentContext(profileDir, {
                executablePath: CHROMIUM,
                args: CHROMIUM_FLAGS,
                viewport: { width: 1280, height: 900 }
            }),
            // The connect flow's connected app: the emulator's demo app (any http(s) callback URL).
            startTestApp({ oauthClient: { clientId: 'backstory-local' } }),
            // A cold build takes minutes on busy cores: here, not inside the first test's time limit.
            buildPreviewIfStale()
        ]);
    }, 900_000);
    afterAll(async () => {
        await Promise.all([context?.close(), app?.close()]);
        rmSync(profileDir, { recursive: true, force: true });
    });

    /** A fresh demo org connected to the middleware, and the preview pointed at it. */
    async function stack(options: { apiKey?: string; connected?: boolean } = {}): Promise<Stack> {
        const sf = await startTestEmulator();
        const org = await app.newOrg(
            `Browser org ${Date.now()}`,
            options.connected === false ? null : sf.integrationAuth
        );
        const preview = await startPreview({ port: 0, middlewareUrl: app.url, apiKey: options.apiKey ?? org.apiKey });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        return {
            sf,
            preview,
            page,
            close: async () => {
                await page.close();
                await Promise.all([preview.close(), sf.close()]);
                expect(errors).toEqual([]);
            }
        };
    }

    const wizard = (page: Page) => page.locator('c-permission-checker');
    /** `[data-id=…]` inside the wizard on `page`, or inside a locator (an item, a row). */
    const byId = (scope: Page | Locator, id: string) =>
        ('goto' in scope ? wizard(scope) : scope).locator(`[data-id="${id}"]`);
    const text = async (scope: Page | Locator, id: string) => (await byId(scope, id).innerText()).trim();
    const shot = (page: Page, name: string) =>
        page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
    const click = (page: Page, id: string) => byId(page, id).locator('button').click();

    /** Wait until the step heading says `title`, then read the status badge. */
    async function onStep(page: Page, title: string): Promise<string> {
        await wizard(page).locator('[data-id="step-title"]', { hasText: title }).waitFor();
        return text(page, 'step-status');
    }

    it('PERM-8 walks every step on a complete org and ends ready, on the View All Data path', async () => {
        const s = await stack();
        const { page } = s;
        await page.goto(`${s.preview.url}/#permissionChecker`);
        expect(await page.locator('.slds-context-bar__label-action[aria-current="page"]').innerText()).toBe(
            'Setup Wizard'
        );

        expect(await onStep(page, 'Integration user')).toBe('Passed');
        expect(await text(page, 'user-username')).toBe('integration@demo.backstory.local');
        expect(await text(page, 'user-name')).toBe('Backstory Integration User');
        expect(await byId(page, 'back').locator('button').isDisabled()).toBe(false); // back to Connect
        await shot(page, 'wizard-complete-1-integration-user');

        const steps = [
            ['System permissions', 'wizard-complete-2-system-permissions'],
            ['Objects and sharing', 'wizard-complete-3-objects-and-sharing'],
            ['Field permissions', 'wizard-complete-4-field-permissions']
        ] as const;
        for (const [title, file] of steps) {
            await click(page, 'next');
            expect(await onStep(page, title)).toBe('Passed');
            // Every item passes, so no remedy is shown.
            expect(await byId(page, 'item').count()).toBeGreaterThan(0);
            expect(await byId(page, 'item-remedy').count()).toBe(0);
            expect(
                await byId(page, 'item-status').evaluateAll((icons) => icons.map((i) => i.getAttribute('icon-name')))
            ).toEqual(expect.arrayContaining(['utility:success']));
            await shot(page, file);
        }
        expect(await byId(page, 'item-name').allInnerTexts()).toEqual([
            expect.stringMatching(/^(\d+) of \1 required and recommended fields readable$/)
        ]);

        await click(page, 'next');
        await byId(page, 'summary').waitFor();
        expect(await text(page, 'summary-status')).toBe('Ready: Backstory has every permission it needs.');
        expect(await text(page, 'summary-path')).toBe('Path: View All Data grants the access Backstory needs.');
        expect(await byId(page, 'summary-step-label').allInnerTexts()).toEqual([
            'Integration user',
            'System permissions',
            'Objects and sharing',
            'Field permissions'
        ]);
        expect(new Set(await byId(page, 'summary-step-status').allInnerTexts())).toEqual(new Set(['Passed']));
        expect(new Set(await byId(page, 'summary-step-detail').allInnerTexts())).toEqual(new Set(['All passed']));
        expect(await byId(page, 'next').locator('button').isDisabled()).toBe(true);
        await shot(page, 'wizard-complete-5-summary');
        await s.close();
    });

    it('PERM-5 names Opportunity.StageName with its remedy when the integration user cannot read it, blocks, and is ready again after the fix', async () => {
        const s = await stack();
        const { page } = s;
        // As the org's admin, with ordinary DML: StageName is required on Opportunity, so Salesforce
        // keeps no field permission for it; an explicit row without Read revokes it in the emulator.
        const admin = await s.sf.login('admin@demo.backstory.local');
        const [permissionSet] = (
            await admin.query<{ Id: string }>(
                "SELECT Id FROM PermissionSet WHERE Name = 'Backstory_Standard_Permissions'"
            )
        ).records;
        expect(permissionSet).toBeDefined();
        const revoked = await admin.sobject('FieldPermissions').create({
            ParentId: permissionSet?.Id,
            SobjectType: 'Opportunity',
            Field: 'Opportunity.StageName',
            PermissionsRead: false,
            PermissionsEdit: false
        });
        expect(revoked.success).toBe(true);

        await page.goto(`${s.preview.url}/#permissionChecker`);
        expect(await onStep(page, 'Integration user')).toBe('Passed');
        await click(page, 'next');
        expect(await onStep(page, 'System permissions')).toBe('Passed');
        await click(page, 'next');
        expect(await onStep(page, 'Objects and sharing')).toBe('Passed');
        await click(page, 'next');
        expect(await onStep(page, 'Field permissions')).toBe('Failed');

        const item = byId(page, 'item').filter({ hasText: 'Opportunity.StageName' });
        expect(await item.count()).toBe(1);
        expect(await text(item, 'item-kind')).toBe('Required');
        expect(await byId(item, 'item-status').getAttribute('icon-name')).toBe('utility:error');
        // What to click in Setup (the wording is the middleware's; the place and the field are what matter).
        expect(await text(item, 'item-remedy')).toMatch(
            /Object Settings > Opportunity > Edit[\s\S]*Read Access for StageName/
        );
        expect(await byId(page, 'item-name').first().innerText()).toMatch(/^(\d+) of (\d+) required/);
        await shot(page, 'wizard-stagename-1-field-permissions');

        await click(page, 'next');
        await byId(page, 'summary').waitFor();
        expect(await text(page, 'summary-status')).toBe(
            'Blocked: a required permission is missing; the CRM pull stops until it is granted.'
        );
        expect(await byId(page, 'summary-step-detail').allInnerTexts()).toEqual([
            'All passed',
            'All passed',
            'All passed',
            '1 to fix'
        ]);
        await shot(page, 'wizard-stagename-2-summary');

        // "Review" on the failing step goes back to it.
        await byId(page, 'summary-step').filter({ hasText: 'Field permissions' }).locator('button').click();
        expect(await onStep(page, 'Field permissions')).toBe('Failed');

        // The admin grants it again (deletes the revoking row); "Check again" keeps them on the step.
        await admin.sobject('FieldPermissions').destroy(String(revoked.id));
        await click(page, 'check-again');
        await wizard(page).locator('[data-id="step-status"]', { hasText: 'Passed' }).waitFor();
        expect(await text(page, 'step-title')).toBe('Field permissions');
        expect(await byId(page, 'item-remedy').count()).toBe(0);
        await click(page, 'next');
        expect(await text(page, 'summary-status')).toBe('Ready: Backstory has every permission it needs.');
        await s.close();
    });

    it('shows what the middleware answered when the check cannot run, with a retry', async () => {
        const s = await stack({ apiKey: 'not-a-key' });
        const { page } = s;
        await page.goto(`${s.preview.url}/#permissionChecker`);
        await byId(page, 'error').waitFor();
        expect(await text(page, 'error-message')).toBe('Missing or invalid API key: send Authorization: Bearer <key>');
        expect(await byId(page, 'next').locator('button').isDisabled()).toBe(true);
        await shot(page, 'wizard-error');
        const [retried] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/apex/BackstoryApiProxy.send')),
            click(page, 'retry')
        ]);
        expect(retried.status()).toBe(500);
        await byId(page, 'error').waitFor();
        expect(await text(page, 'error-message')).toMatch(/api key/i);
        await s.close();
    });

    // Skipped: since the tenancy, admin-console and rep branches were merged, the wizard does not show the
    // permission check after the OAuth callback returns (it passed on the tenancy branch alone). The
    // Connect flow itself is covered by middleware/test/tenancy.test.ts; see the issue note (#13, #18).
    it('TEN-2 goes from not connected to ready: Connect opens the Salesforce login, the callback brings the admin back to the check', async () => {
        const s = await stack({ connected: false });
        const { page } = s;
        await page.goto(`${s.preview.url}/#permissionChecker`);
        expect(await onStep(page, 'Connect')).toBe('Not connected');
        expect(await text(page, 'connection-message')).toMatch(/not connected yet/);
        expect(await byId(page, 'next').locator('button').isDisabled()).toBe(true);
        await shot(page, 'wizard-connect-1-not-connected');

        // The org's login URL (here the local emulator), then Connect to Salesforce.
        await byId(page, 'login-url').locator('input').fill(s.sf.emu.url);
        await Promise.all([
            page.waitForURL(`${s.sf.emu.url}/services/oauth2/authorize?**`),
            click(page, 'connect-button')
        ]);
        await shot(page, 'wizard-connect-2-salesforce-login');
        await page.locator('#username').fill('integration@demo.backstory.local');
        await page.locator('#password').fill('demo-password');
        await Promise.all([page.waitForURL(`${s.preview.url}/**`), page.locator('#Login').click()]);
        expect(new URL(page.url()).searchParams.get('connection')).toBe('connected');

        // Back in the wizard: connected, straight on to the permission check.
        expect(await onStep(page, 'Integration user')).toBe('Passed');
        expect(await text(page, 'user-username')).toBe('integration@demo.backstory.local');
        await click(page, 'back');
        expect(await onStep(page, 'Connect')).toBe('Connected');
        expect(await text(page, 'connection-message')).toContain('integration@demo.backstory.local');
        await shot(page, 'wizard-connect-3-connected');
        for (let i = 0; i < 5; i++) await click(page, 'next');
        await byId(page, 'summary').waitFor();
        expect(await text(page, 'summary-status')).toBe('Ready: Backstory has every permission it needs.');
        await s.close();
    });
});
