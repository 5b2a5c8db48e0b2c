// @ts-check
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layerElements, layerPolicies } from './eslint.layers.mjs';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.native/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
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
      // `() => doSomething()` is the idiom for handlers and callbacks; the arrow's value is
      // ignored by whoever calls it, so a void body there hides nothing. Elsewhere the rule stays.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Numbers print the same everywhere; objects, null and undefined in a message stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // A switch over a union must name every member, so a new member is a compile-time to-do. A
      // `default` counts as naming the rest: it is how a switch says "everything else alike".
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'scripts/**/*.d.mts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node, parserOptions: { projectService: false, project: false } },
  },
  {
    // Layers (DESIGN §2): every source folder is one element with one allow-list, in
    // eslint.layers.mjs. Import paths are resolved to files, so depth and spelling do not matter;
    // anything not allowed, local or package, is an error. Root-level tool configuration is no layer.
    files: ['**/*.{ts,tsx,mts,mjs}'],
    ignores: ['*.{ts,mts,mjs}'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/root-path': import.meta.dirname,
      'boundaries/elements': layerElements,
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      'import/resolver': { typescript: { alwaysTryTypes: false } },
      // The cycle check parses the files it follows: it must know TypeScript files too.
      'import-x/extensions': importX.flatConfigs.typescript.settings?.['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings?.['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: false })],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        { default: 'disallow', checkAllOrigins: true, checkUnknownLocals: true, policies: layerPolicies },
      ],
      'boundaries/no-unknown-files': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
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
    // Which names of electron a layer may use; which layers may import electron at all is the
    // layer rule's business.
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
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/ipc/ipc-main.ts'],
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
    // A module past 300 lines does more than one job: split it, or say at its top why it may not
    // yet and until when. Tests are exempt (test/, support and fakes included): a suite reads
    // best as one file per unit it checks.
    files: ['**/*.{ts,tsx,mts,mjs,cjs}'],
    ignores: ['test/**'],
    rules: { 'max-lines': ['error', { max: 300 }] },
  },
  {
    files: ['test/**/*.{ts,tsx}', '*.config.{ts,mts}', 'scripts/**/*.ts'],
    languageOptions: { globals: globals.node },
  },
);
