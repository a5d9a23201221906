import type { Connection } from '@jsforce/jsforce-node';
import { type Page } from 'playwright-core';
import { startTestApp, type TestApp, type TestOrg } from '../../middleware/test/helpers/app';
import { startTestEmulator, type TestEmulator } from '../../middleware/test/helpers/emulator';
import { runCompletedMeetings } from '../../middleware/src/services/notifications';
import { meetingNotificationsSettled } from '../../middleware/src/services/rep-write-back';
import { seedRepDemo, type RepDemo } from './rep-demo';
import { launchBrowser, screenshot, type TestBrowser } from './browser';
import { startPreview, type RunningPreview } from './server';

// MATCH-8, MATCH-10, MATCH-11 in a real browser, as the demo rep: the notification's link opens
// the follow-up, the answers land on the Event in the emulator; the opportunity's page shows its
// activity, "Why this match" and Edit Match. Screenshots land in test-results/screenshots/.

describe('reps in Lightning, in a real browser (MATCH-8, MATCH-10, MATCH-11)', () => {
    let browser: TestBrowser;
    let app: TestApp;
    let sf: TestEmulator;
    let org: TestOrg;
    let admin: Connection;
    let demo: RepDemo;
    let preview: RunningPreview;
    let page: Page;

    beforeAll(async () => {
        [browser, app, sf] = await Promise.all([launchBrowser(), startTestApp(), startTestEmulator()]);
        org = await app.newOrg('Reps browser org', sf.integrationAuth);
        admin = await sf.login('admin@demo.backstory.local');
        demo = await seedRepDemo({ middlewareUrl: app.url, apiKey: org.apiKey, salesforce: admin });
        // The job queue's write-back and follow-up runs, here on demand: the meeting ended an hour ago.
        await flush();
        await runCompletedMeetings(app.deps, org.org.id);
        preview = await startPreview({
            port: 0,
            middlewareUrl: app.url,
            apiKey: org.apiKey,
            actingAs: { rep: demo.rep, admin: demo.admin }
        });
        page = await browser.newPage();
    }, 300_000);
    afterAll(async () => {
        await page?.close();
        await Promise.all([browser?.close(), preview?.close()]);
        await sf?.close();
        await app?.close();
    });

    const flush = async () => {
        expect((await app.call(org.apiKey, 'POST', '/v1/writeback/flush')).status).toBe(200);
        await meetingNotificationsSettled();
    };
    const shot = (name: string) => screenshot(page, name);
    const followUps = () => page.locator('c-follow-up-questions');
    const panel = () => page.locator('c-activity-panel');

    it('MATCH-8 the rep opens the follow-up from the notification, answers, and the values are on the Event', async () => {
        const sent = sf.emu.admin.notifications().filter((n) => (n.targetPageRef ?? '').includes(demo.meetingId));
        expect(sent).toHaveLength(1);
        expect(sent[0]!.recipientIds).toContain(demo.rep.salesforceUserId);
        const ref = JSON.parse(sent[0]!.targetPageRef!) as {
            attributes: { apiName: string };
            state: Record<string, string>;
        };
        // The link as Salesforce opens it: /lightning/n/<tab>?<state>.
        await page.goto(`${preview.url}/lightning/n/${ref.attributes.apiName}?${new URLSearchParams(ref.state)}`);
        expect(await page.locator('[data-id="acting-as"]').inputValue()).toBe('rep');
        const form = followUps().locator('[data-id="form"]');
        await form.waitFor();
        await followUps().locator('[data-id="meeting"]').waitFor();
        expect(await followUps().locator('[data-id="meeting"]').innerText()).toContain(demo.opportunity.name);
        // Category Meeting, then its three questions.
        await followUps().locator('[data-id="category"] [role="combobox"]').click();
        await followUps().locator('[data-id="category"] [role="option"]', { hasText: 'Meeting' }).click();
        const question = (text: string) => followUps().locator('[data-id="question"]', { hasText: text });
        await question('What are the next steps?').locator('textarea').fill('Send the order form by Friday');
        await question('How did it go?').locator('input').fill('Great: they want a pilot');
        await question('Show the time as').locator('[role="combobox"]').click();
        await question('Show the time as').locator('[role="option"]', { hasText: 'Free' }).click();
        await shot('reps-1-follow-up-answering');
        await followUps().locator('[data-id="save"] button').click();
        // Saved: the form says Answered; the outbox then writes the answers to the Event.
        await followUps().locator('[data-id="status"]', { hasText: 'Answered' }).waitFor();
        await flush();
        const event = (
            await admin.query<Record<string, unknown>>(
                `SELECT Type, ShowAs, peopleai__Next_Steps__c, peopleai__Meeting_Outcome__c FROM Event WHERE peopleai__Activity_Id__c = '${demo.meetingId}'`
            )
        ).records[0];
        expect(event).toMatchObject({
            Type: 'Meeting',
            ShowAs: 'Free',
            peopleai__Next_Steps__c: 'Send the order form by Friday',
            peopleai__Meeting_Outcome__c: 'Great: they want a pilot'
        });
        await shot('reps-2-follow-up-saved');
        expect(browser.errors).toEqual([]);
    });

    it('MATCH-11 MATCH-10 the rep opens the opportunity, sees its activity, asks why it matched, and edits the match', async () => {
        await page.goto(`${preview.url}/lightning/r/Opportunity/${demo.opportunity.id}/view`);
        await page.locator('[data-id="record-header"]').waitFor();
        expect(await page.locator('[data-id="record-header"]').innerText()).toContain(demo.opportunity.name);
        const row = panel().locator('[data-id="activity"]', { hasText: demo.opportunity.name });
        await row.waitFor();
        expect(await row.locator('[data-id="sync"]').innerText()).toBe('In Salesforce');
        await row.locator('[data-id="why"] button').click();
        await panel().locator('[data-id="why-panel"]').waitFor();
        expect(await panel().locator('[data-id="candidate"]').count()).toBeGreaterThan(0);
        expect(await panel().locator('[data-id="signal"]').first().innerText()).toMatch(/pts$/);
        await shot('reps-3-why-this-match');

        // Edit Match: search another account and make it the Related To.
        const other = (
            await admin.query<{ Id: string; Name: string }>(
                `SELECT Id, Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity WHERE Id = '${demo.opportunity.id}') ORDER BY Name LIMIT 1`
            )
        ).records[0]!;
        await row.locator('[data-id="edit"] button').click();
        const dialog = panel().locator('[data-id="dialog"]');
        await dialog.getByRole('dialog').waitFor();
        await dialog.locator('[data-id="search"] input').fill(other.Name.slice(0, 8));
        await dialog.locator('[data-id="search-button"] button').click();
        const result = dialog
            .locator('[data-id="result"]')
            .filter({ has: page.getByText(other.Name, { exact: true }) });
        await result.waitFor();
        await shot('reps-4-edit-match');
        await result.locator('[data-id="use"] button').click();
        await dialog.locator('[data-id="save"] button').click();
        await dialog.waitFor({ state: 'detached' });
        // The dialog closes once the match is saved; the outbox then rewrites the Event.
        await flush();
        const whatId = (
            await admin.query<{ WhatId: string }>(
                `SELECT WhatId FROM Event WHERE peopleai__Activity_Id__c = '${demo.meetingId}'`
            )
        ).records[0]?.WhatId;
        expect(whatId).toBe(other.Id);
        await page.goto(`${preview.url}/lightning/r/Account/${other.Id}/view`);
        const moved = panel().locator('[data-id="activity"]').first();
        await moved.waitFor();
        expect(await moved.locator('[data-id="override"]').innerText()).toBe('Matched by hand');
        await shot('reps-5-match-edited');
        expect(browser.errors).toEqual([]);
    });

    it('the "Acting as" switch turns the preview into the demo admin', async () => {
        await page.goto(preview.url);
        await page.locator('[data-id="acting-as"]').selectOption('admin');
        await page.waitForLoadState('load');
        await page.locator('[data-id="acting-as"]').waitFor();
        expect(await page.locator('[data-id="acting-as"]').inputValue()).toBe('admin');
        await page.locator('[data-id="acting-as"]').selectOption('rep');
        await page.waitForLoadState('load');
        expect(browser.errors).toEqual([]);
    });
});
