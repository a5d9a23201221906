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
    testTimeout: 120000,
    maxWorkers: 1
};
