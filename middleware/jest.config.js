// Middleware and emulator tests (TypeScript through ts-jest; type-checking is `npm run typecheck`).
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
    rootDir: path.resolve(__dirname, '..'),
    roots: ['<rootDir>/middleware', '<rootDir>/scripts'],
    testEnvironment: 'node',
    testMatch: ['**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/scripts/bench/', '\\.browser\\.test\\.ts$'],
    // ts-jest transpiles only (each file on its own); type-checking is `npm run typecheck`.
    transform: {
        '^.+\\.tsx?$': [
            'ts-jest',
            {
                diagnostics: false,
                tsconfig: {
                    module: 'commonjs',
                    moduleResolution: 'node10',
                    target: 'es2023',
                    esModuleInterop: true,
                    isolatedModules: true
                }
            }
        ]
    },
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    setupFiles: ['<rootDir>/middleware/test/jest-setup.ts'],
    testTimeout: 30000,
    maxWorkers: 2
};
