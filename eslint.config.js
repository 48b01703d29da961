// ESLint flat config: typescript-eslint (type-aware) plus the house boundaries between processes.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'tls',
  'stream',
  'url',
  'util',
  'worker_threads',
  'events',
  'module',
];

export default tseslint.config(
  { ignores: ['dist/', '.tsbuild/', 'node_modules/', 'test-output/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  {
    // CommonJS config files (.dependency-cruiser.cjs) load what they need with require.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Only main/electron may talk to Electron; engine, outbox, delivery, config and connectors run under plain Node.
    files: ['main/**/*.ts', 'connectors/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only main/electron may import electron (see DESIGN.md).' }] },
      ],
    },
  },
  {
    // main/shared holds helpers used across main and connectors: node builtins and npm packages only, no repo folders.
    files: ['main/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only main/electron may import electron (see DESIGN.md).' }],
          patterns: [
            {
              group: ['../*', '**/main/**', '**/connectors/**', '**/preload/**'],
              message: 'main/shared imports no other repo folder.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer runs in a sandboxed browser page: no Node modules, no main-process code, no raw IPC.
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks only to window.agent.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer cannot use Node modules.' },
            {
              group: ['**/main/**', '**/preload/*.js'],
              message: 'The renderer may import only preload/contract.',
            },
            {
              // Of the connectors, only the form contract and each connector's form.js and config.js.
              regex: String.raw`(^|/)connectors/(?!(core/connector-form|[^/]+/[^/]+/(form|config))\.js$)`,
              message: "The renderer may import only connectors' form modules and config schemas.",
            },
          ],
        },
      ],
    },
  },
  {
    // Connector forms and config schemas are bundled into the renderer (test/connectors/form-imports.test.ts
    // checks what they import in turn).
    files: ['connectors/core/connector-form.ts', 'connectors/*/*/form.ts', 'connectors/*/*/config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [{ group: nodeBuiltins, message: 'Forms and config schemas run in the renderer too.' }],
        },
      ],
    },
  },
  {
    // The contract is shared with the browser: it must stay free of Node and Electron.
    files: ['preload/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [{ group: nodeBuiltins, message: 'The contract must stay browser-safe.' }],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.config.ts', 'eslint.config.js'],
    rules: {
      'no-restricted-syntax': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
