// LWC unit tests only: the middleware has its own config (middleware/jest.config.js).
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
    ...jestConfig,
    roots: ['<rootDir>/force-app'],
    modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/.preview-build'],
    moduleNameMapper: {
        '^test/(.*)$': '<rootDir>/force-app/test/$1',
        ...jestConfig.moduleNameMapper
    },
    setupFilesAfterEnv: ['<rootDir>/force-app/test/jest-setup.js'],
    testTimeout: 10000
};
