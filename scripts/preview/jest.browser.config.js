// Browser tests: the real stack (emulator, middleware on PGlite, LWC preview) in headless Debian
// chromium driven by playwright-core.
const path = require('node:path');
const base = require('../../middleware/jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
    ...base,
    rootDir: path.resolve(__dirname, '..', '..'),
    roots: ['<rootDir>/scripts/preview'],
    testMatch: ['**/*.browser.test.ts'],
    testPathIgnorePatterns: ['/node_modules/'],
    globalSetup: '<rootDir>/scripts/preview/jest.browser.global-setup.js',
    // A test walks a whole task (a dozen clicks, a sync, saves); each step waits on readiness with
    // two minutes of patience (scripts/preview/browser.ts), so the walk as a whole gets five.
    testTimeout: 300000,
    maxWorkers: 1
};
