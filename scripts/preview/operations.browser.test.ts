import { type Locator, type Page } from 'playwright-core';
import { startTestApp, type TestApp, type TestOrg } from '../../middleware/test/helpers/app';
import { startTestEmulator, type TestEmulator } from '../../middleware/test/helpers/emulator';
import { insertUser } from '../../middleware/test/helpers/users';
import { launchBrowser, screenshot, type TestBrowser } from './browser';
import { startPreview, type RunningPreview } from './server';
import { ACTIVITY_SYNC_ON } from '../../middleware/test/helpers/profiles';

// Operations (OPS-1) as the demo admin in headless chromium: the emulator's demo org, the real
// middleware over PGlite and the LWC preview. A meeting whose Event the org's validation rule
// refuses is parked for real; the admin finds it on the operations page and retries it.
// Screenshots land in test-results/screenshots/.

const OWNER = 'casey.chen@demo.backstory.local';
const ADMIN = 'admin@demo.backstory.local';

describe('operations in a real browser (OPS-1, PERM-7)', () => {
    let browser: TestBrowser;
    let app: TestApp;
    let sf: TestEmulator;
    let org: TestOrg;
    let preview: RunningPreview;
    let page: Page;
    let profileId: string;

    const api = async (method: string, apiPath: string, body?: unknown) => {
        const res = await app.call(org.apiKey, method, apiPath, body);
        expect(res.status).toBeLessThan(300);
        return res.body;
    };

    beforeAll(async () => {
        [browser, app, sf] = await Promise.all([launchBrowser(), startTestApp(), startTestEmulator()]);
        org = await app.newOrg(`Operations browser org ${Date.now()}`, sf.integrationAuth);
        await api('POST', '/v1/crm/pull');
        const profile = await api('POST', '/v1/profiles', {
            name: 'Meetings to Salesforce',
            activity: ACTIVITY_SYNC_ON
        });
        profileId = profile.id;
        await insertUser(app.store.db, org.org.id, {
            email: OWNER,
            profileId,
            salesforceUserId: sf.emu.admin.userId(OWNER)
        });
        const admin = await insertUser(app.store.db, org.org.id, {
            email: ADMIN,
            role: 'admin',
            salesforceUserId: sf.emu.admin.userId(ADMIN)
        });
        // The org's validation rule refuses Backstory's Event: the write is parked with its remedy.
        sf.emu.admin.injectFault({
            kind: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            object: 'Event',
            count: 50,
            message: 'Meetings need a next step',
            field: 'Description'
        });
        await api('POST', '/v1/activities', {
            externalId: 'ops-browser-1',
            type: 'meeting',
            ownerEmail: OWNER,
            subject: 'Renewal review',
            startsAt: '2026-11-03T15:00:00Z',
            endsAt: '2026-11-03T16:00:00Z',
            participants: [{ email: OWNER, role: 'organizer' }]
        });
        expect((await api('POST', '/v1/writeback/flush')).parked).toBe(1);
        preview = await startPreview({
            port: 0,
            middlewareUrl: app.url,
            apiKey: org.apiKey,
            actingUser: admin.salesforceUserId
        });
        page = await browser.newPage();
    }, 600_000);
    afterAll(async () => {
        await page?.close();
        await Promise.all([browser?.close(), preview?.close(), sf?.close()]);
        await app?.close();
    });
    afterEach(() => {
        expect(browser.errors).toEqual([]);
    });

    const screen = () => page.locator('c-operations');
    const byId = (id: string, scope?: Locator) => (scope ?? screen()).locator(`[data-id="${id}"]`);
    const shot = (name: string) => screenshot(page, name);

    it('OPS-1 shows each area with its health: connected, CRM up to date, write-back needing action, the budget as a gauge', async () => {
        await page.goto(`${preview.url}/#operations`);
        await byId('tiles').waitFor();
        const tile = (name: string) => byId(`tile-${name}`);
        expect(await byId('text', tile('connection')).innerText()).toBe(
            'Connected as integration@demo.backstory.local'
        );
        expect(await byId('health', tile('crm')).innerText()).toBe('Healthy');
        expect(await byId('health', tile('writeback')).innerText()).toBe('Needs action');
        expect(await byId('text', tile('writeback')).innerText()).toMatch(/· 1 parked$/);
        expect(await byId('text', tile('sync')).innerText()).toBe(
            'Manual mode: users are managed by hand, nothing syncs.'
        );
        await byId('gauge', tile('budget')).waitFor();
        expect(await byId('text', tile('budget')).innerText()).toMatch(/^\d+ of \d+ calls used today$/);
        await shot('operations-1-status');
    });

    it('OPS-1 PERM-7 finds the parked write-back item with its reason and remedy, retries it, and it leaves the parked list', async () => {
        const row = byId('parked-table').locator('tr', { hasText: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' }).first();
        await row.waitFor();
        expect(await row.innerText()).toContain('Meetings need a next step');
        expect(await row.innerText()).toContain("$Profile.Name != 'Backstory Integration User'");
        await row.scrollIntoViewIfNeeded();
        await shot('operations-2-parked');

        sf.emu.admin.clearFaults(); // the admin fixed the rule in Salesforce
        await row.getByRole('button', { name: 'Retry' }).click();
        await page.locator('lightning-toast, .slds-notify_toast', { hasText: 'queued again' }).first().waitFor();
        await byId('parked-empty').waitFor();
        expect(await byId('text', byId('tile-writeback')).innerText()).toMatch(/^1 pending · \d+ written · 0 parked$/);
        const items = await api('GET', '/v1/writeback/items?state=parked');
        expect(items.items).toEqual([]);
        await shot('operations-3-retried');

        // The retried item writes on the next run.
        expect((await api('POST', '/v1/writeback/flush')).written).toBeGreaterThanOrEqual(1);
    });

    it('the audit log filters by entity and shows before and after side by side', async () => {
        await api('PATCH', `/v1/profiles/${profileId}`, { name: 'Meetings and emails to Salesforce' });
        await api('POST', '/v1/teams', { name: 'East' });
        await byId('refresh').locator('button').click();
        const team = byId('audit-event').filter({ hasText: 'Created Team' }).first();
        await team.waitFor();
        const combo = byId('audit-entity');
        await combo.locator('button[role="combobox"], input[role="combobox"]').first().click();
        await combo.locator('lightning-base-combobox-item', { hasText: 'Profile' }).first().click();
        await team.waitFor({ state: 'detached' }); // the list now holds profiles only
        const event = byId('audit-event').filter({ hasText: 'Updated Profile' }).first();
        await event.waitFor();
        expect(await byId('audit-changed', event).innerText()).toContain('name');
        expect(await byId('audit-before', event).innerText()).toContain('"name": "Meetings to Salesforce"');
        expect(await byId('audit-after', event).innerText()).toContain('"name": "Meetings and emails to Salesforce"');
        const entities = await byId('audit-heading').allInnerTexts();
        expect(entities.every((h) => / Profile /.test(h))).toBe(true);
        await event.scrollIntoViewIfNeeded();
        await shot('operations-4-audit');
    });
});
