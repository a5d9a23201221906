// Flat config: @salesforce/eslint-config-lwc for the LWCs, typescript-eslint strict for the middleware and scripts.
const lwcConfig = require('@salesforce/eslint-config-lwc');
const tseslint = require('typescript-eslint');
const globals = require('globals');
const importPlugin = require('eslint-plugin-import');

const scope = (configs, files) => configs.map((c) => ({ ...c, files }));

module.exports = [
    {
        ignores: [
            'node_modules/**',
            '.data/**',
            '.sf/**',
            '.sfdx/**',
            '.preview-build/**',
            'coverage/**',
            'test-results/**',
            '**/*.d.ts'
        ]
    },
    ...scope(lwcConfig.configs.recommended, ['force-app/**/*.js']),
    {
        files: ['force-app/**/__tests__/**/*.js', 'force-app/test/**/*.js'],
        languageOptions: { globals: { ...globals.node, ...globals.jest } }
    },
    ...scope(tseslint.configs.strict, ['middleware/**/*.ts', 'scripts/**/*.ts']),
    {
        files: ['middleware/**/*.ts', 'scripts/**/*.ts'],
        languageOptions: { globals: { ...globals.node } },
        rules: {
            // Route specs of different input types live in one array.
            '@typescript-eslint/no-explicit-any': ['error', { ignoreRestArgs: true }],
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
            // noUncheckedIndexedAccess makes `!` the honest way to say "checked just above".
            '@typescript-eslint/no-non-null-assertion': 'off'
        }
    },
    {
        // No import cycles in the middleware (issue #10) nor in the emulator; the resolver reads TypeScript paths.
        files: ['middleware/src/**/*.ts', 'middleware/emulator/**/*.ts'],
        plugins: { import: importPlugin },
        settings: {
            'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
            'import/resolver': { node: { extensions: ['.ts', '.js'] } },
            'import/ignore': ['node_modules']
        },
        rules: { 'import/no-cycle': ['error', { ignoreExternal: true }] }
    },
    {
        // Layering: api/ parses, calls one service and shapes the answer; data access is services' job.
        files: ['middleware/src/api/**/*.ts'],
        rules: {
            '@typescript-eslint/no-restricted-imports': [
                'error',
                {
                    patterns: [
                        {
                            group: ['kysely', 'kysely/*'],
                            message: 'api/ calls services/; data access lives in store/.'
                        },
                        { group: ['**/store/*', '**/store'], message: 'api/ calls services/, never store/ directly.' }
                    ]
                }
            ]
        }
    },
    {
        // Dependencies point one way (STYLE.md): api → services → (domain, salesforce, store); jobs → services.
        files: ['middleware/src/services/**/*.ts'],
        ignores: ['**/*.test.ts'],
        rules: {
            '@typescript-eslint/no-restricted-imports': [
                'error',
                {
                    patterns: [
                        { group: ['**/api/*', '**/api'], message: 'api/ sits on top: services do not import it.' },
                        { group: ['**/jobs/*', '**/jobs'], message: 'jobs/ call services/, not the other way round.' }
                    ]
                }
            ]
        }
    },
    {
        files: ['middleware/src/{domain,store,salesforce,config,crypto}/**/*.ts'],
        ignores: ['**/*.test.ts'],
        rules: {
            '@typescript-eslint/no-restricted-imports': [
                'error',
                {
                    patterns: [
                        {
                            group: ['**/api/*', '**/api', '**/services/*', '**/jobs/*', '**/jobs'],
                            message: 'A lower layer does not import api/, services/ or jobs/.'
                        }
                    ]
                }
            ]
        }
    },
    {
        // Jobs call services (issue #10); only the queue's own database adapter comes from store/.
        files: ['middleware/src/jobs/**/*.ts'],
        ignores: ['**/*.test.ts'],
        rules: {
            '@typescript-eslint/no-restricted-imports': [
                'error',
                {
                    patterns: [
                        {
                            group: ['kysely', 'kysely/*'],
                            message: 'jobs/ call services/; data access lives in store/.'
                        },
                        {
                            group: ['**/store/*', '!**/store/db', '!**/store/queue-db'],
                            message: 'jobs/ call services/, never store/ directly.'
                        },
                        { group: ['**/api/*', '**/api'], message: 'api/ sits on top: jobs call services/.' }
                    ]
                }
            ]
        }
    },
    {
        files: ['middleware/**/*.test.ts', 'middleware/test/**/*.ts', 'scripts/**/*.test.ts'],
        languageOptions: { globals: { ...globals.jest } },
        rules: {
            '@typescript-eslint/no-explicit-any': 'off',
            '@typescript-eslint/no-non-null-assertion': 'off'
        }
    },
    {
        files: ['*.js', 'scripts/**/*.js', 'middleware/**/*.js'],
        ignores: ['scripts/preview/app/**'],
        languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } }
    },
    {
        // The preview's browser entry (ES modules, bundled with the LWCs).
        files: ['scripts/preview/app/**/*.js'],
        languageOptions: { sourceType: 'module', globals: { ...globals.browser } }
    }
];
