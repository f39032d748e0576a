import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  // The SPA stays free of zod: it imports the domain's words and rules (cycle-terms, plan-terms,
  // evaluation), never the schema modules, except for their types. Tests are not bundled.
  {
    files: ['src/web/**/*.{ts,tsx}'],
    ignores: ['src/web/**/*.test.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'zod',
                '**/domain/schemas.js',
                '**/domain/cycle.js',
                '**/domain/evaluation/schema.js',
                '**/domain/evaluation/presets.js',
                '**/domain/evaluation/legacy.js',
                '**/domain/plan-export.js',
                '**/domain/import/schemas.js',
                '**/domain/report/layout.js',
                '**/domain/report/build.js',
              ],
              allowTypeImports: true,
              message: 'The SPA does not load zod: import the zod-free module (cycle-terms, plan-terms, evaluation).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['scripts/**', 'e2e/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  // One module shape: a server module uses another only through its public surface, ../<other>/index.js,
  // never its service, repository, routes or helper files (see docs/architecture.md).
  {
    files: ['src/server/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./[^./][^/]*/(?!index\\.js$)',
              message: "Import another module through its public surface, '../<module>/index.js'.",
            },
          ],
        },
      ],
    },
  },
  // Type-aware rules: promises that nobody awaits or that go where a void callback is expected,
  // and casts that assert what the types already say.
  {
    files: ['src/**/*.{ts,tsx}', 'e2e/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  // Small functions: at most 80 lines (blank lines and comments not counted) and blocks nested at
  // most 3 deep, everywhere in src/ but the tests. No file is exempt.
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      'max-depth': ['error', 3],
    },
  },
);
