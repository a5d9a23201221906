import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// What every browser test shares: Debian's chromium, headless with the flags that keep it off the
// network, a throw-away profile, pages that record script errors, and screenshots in one folder.

/** Screenshots of every screen land here (looked at by people, not compared by tests). */
export const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'screenshots');
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

export interface TestBrowser {
    context: BrowserContext;
    /** Uncaught page errors of every page opened with `newPage`; a test expects it empty. */
    errors: string[];
    /** A new page at 1280×900 that waits up to two minutes (two busy cores) and records its errors. */
    newPage(): Promise<Page>;
    close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
    mkdirSync(SHOTS, { recursive: true });
    const profileDir = mkdtempSync(path.join(tmpdir(), 'backstory-chromium-'));
    const context = await chromium.launchPersistentContext(profileDir, {
        executablePath: CHROMIUM,
        args: CHROMIUM_FLAGS,
        viewport: { width: 1280, height: 900 }
    });
    const errors: string[] = [];
    return {
        context,
        errors,
        newPage: async () => {
            const page = await context.newPage();
            page.setDefaultTimeout(120_000);
            page.on('pageerror', (e) => errors.push(e.message));
            return page;
        },
        close: async () => {
            await context.close();
            rmSync(profileDir, { recursive: true, force: true });
        }
    };
}

/** A full-page screenshot named `<name>.png` in SHOTS. */
export function screenshot(page: Page, name: string): Promise<Buffer> {
    return page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}
