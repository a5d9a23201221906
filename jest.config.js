// LWC unit tests only: the middleware has its own config (middleware/jest.config.js).
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
    ...jestConfig,
    roots: ['<rootDir>/force-app'],
    modulePathIgnorePatterns: ['<rootDir>/.localdevserver', '<rootDir>/.preview-build'],
    moduleNameMapper: {
        '^test/(.*)$': '<rootDir>/force-app/test/$1',
        // force-app/test/jest-mocks: the Apex proxy and the lightning modules tests assert on.
        '^@salesforce/apex/BackstoryApiProxy.send$':
            '<rootDir>/force-app/test/jest-mocks/apex/BackstoryApiProxy.send.js',
        '^@salesforce/apex/BackstoryPermissionSetup.(canAssignPermissionSet|assignPermissionSet|fieldLabels)$':
            '<rootDir>/force-app/test/jest-mocks/apex/BackstoryPermissionSetup.$1.js',
        '^lightning/toast$': '<rootDir>/force-app/test/jest-mocks/lightning/toast.js',
        '^lightning/platformShowToastEvent$': '<rootDir>/force-app/test/jest-mocks/lightning/platformShowToastEvent.js',
        ...jestConfig.moduleNameMapper
    },
    setupFilesAfterEnv: ['<rootDir>/force-app/test/jest-setup.js'],
    testTimeout: 10000,
    clearMocks: true
};
