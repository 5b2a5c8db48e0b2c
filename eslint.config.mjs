// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeModules = ['electron', 'better-sqlite3', 'fs', 'path', 'os', 'child_process', 'crypto', 'url'];

/** Bans Node, Electron and native modules (DESIGN §2: shared/ and renderer/ run without them). */
const noNodeOrElectron = [
  {
    group: ['node:*', ...nodeModules, ...nodeModules.map((m) => `${m}/*`)],
    message: 'This layer runs without Node or Electron.',
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.native/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node, parserOptions: { projectService: false, project: false } },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNodeOrElectron,
            {
              group: ['**/main/**', '**/preload/**'],
              message: 'The renderer talks to main only through window.reviewer.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Render untrusted text as text only.',
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNodeOrElectron,
            {
              group: ['**/main/**', '**/preload/**', '**/renderer/**', 'react', 'react-*', 'zustand', 'howler'],
              message: 'shared/ imports only shared/ and zod.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              allowImportNames: ['contextBridge', 'ipcRenderer'],
              message: 'The preload uses only contextBridge and ipcRenderer.',
            },
          ],
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'better-sqlite3', 'zod'],
              message: 'The sandboxed preload can load no packages.',
            },
            { group: ['**/main/**', '**/renderer/**'], message: 'The preload imports shared/ only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'Register IPC in main/ipc/ipc-main.ts only.',
            },
          ],
          patterns: [
            { group: ['**/renderer/**', '**/preload/**'], message: 'main/ never imports renderer/ or preload/.' },
            { group: ['**/service/**'], message: 'The app never imports the reference service.' },
          ],
        },
      ],
    },
  },
  {
    // The reference annotation service: its own process and database. It may reuse the pure
    // packing and crypto code of main/ (the package format is shared), nothing else of the app.
    files: ['service/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The reference service is plain Node.' }],
          patterns: [
            { group: ['**/renderer/**', '**/preload/**'], message: 'The service never imports the app UI.' },
            {
              group: ['**/main/services/**', '**/main/ipc/**', '**/main/app/**', '**/main/db/**', '**/main/policy/**'],
              message: 'The service has its own store and logic; from main/ it reuses only crypto/ and vault/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/ipc/ipc-main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**', '**/preload/**'], message: 'main/ never imports renderer/ or preload/.' },
          ],
        },
      ],
    },
  },
  {
    // SQL lives in main/db only: services and IPC never see a connection or a statement.
    files: ['main/**/*.ts'],
    ignores: ['main/db/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(prepare|pragma)$/]',
          message: 'SQL belongs in a repository under main/db/.',
        },
        {
          selector: "CallExpression[callee.property.name='exec'][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
          message: 'SQL belongs in a repository under main/db/.',
        },
        { selector: "ImportDeclaration[source.value='better-sqlite3']", message: 'Only main/db/ opens the database.' },
      ],
    },
  },
  {
    files: ['main/services/**/*.ts', 'main/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Services and the db layer are plain Node: inject what they need from the shell.',
            },
          ],
          patterns: [
            { group: ['../ipc/**', '../app/**'], message: 'Layers go ipc → services → db, never back.' },
            { group: ['**/service/**'], message: 'The app never imports the reference service.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The db layer is plain Node.' }],
          patterns: [
            {
              group: ['../ipc/**', '../app/**', '../services/**', '../../ipc/**', '../../app/**', '../../services/**'],
              message: 'Repositories never import services.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.{ts,tsx}', '*.config.{ts,mts}', 'scripts/**/*.ts'],
    languageOptions: { globals: globals.node },
  },
);
