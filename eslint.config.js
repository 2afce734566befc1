import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Layers import one way only: domain and stats are pure; see ARCHITECTURE.md. */
const outerLayers = ['services', 'storage', 'http', 'cli', 'web', 'import', 'bench', 'synthetic', 'scripts'];
const noOuterLayers = outerLayers.map((layer) => ({
  group: [`../${layer}/*`, `../../${layer}/*`],
  message: `the pure core must not import the ${layer} layer`,
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'relief-data/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `const { secret: _secret, ...rest } = record` drops a field on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Services hold use cases and access policy; they know nothing of HTTP, SQL or the CLI.
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['storage', 'http', 'cli', 'web', 'bench', 'scripts'].map((layer) => ({
            group: [`../${layer}/*`],
            message: `services must not import the ${layer} layer`,
          })),
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', '.ci/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['src/domain/**/*.ts', 'src/stats/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noOuterLayers,
            { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'http'], message: 'the pure core does no I/O' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'the pure core reads no clock: pass `now` in',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'the pure core reads no clock: pass `now` in',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'the pure core uses no hidden randomness',
        },
      ],
    },
  },
  {
    // Statistics know nothing of diaries: the domain calls them, never the other way round.
    files: ['src/stats/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noOuterLayers,
            { group: ['../domain/*'], message: 'stats is below the domain: it must not import it' },
            { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'http'], message: 'the pure core does no I/O' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/import/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs'], message: 'parsers take text; the CLI reads files' },
            ...noOuterLayers.filter((p) => !p.group[0].includes('import')),
          ],
        },
      ],
    },
  },
  {
    // The web app runs in the browser and talks to the server through the API only; it may use the
    // pure core (domain, stats), which runs anywhere.
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: ['services', 'storage', 'http', 'cli', 'import', 'bench', 'synthetic', 'scripts'].map((layer) => ({
            group: [`**/src/${layer}/*`],
            message: `the web app talks to the ${layer} layer through the API only`,
          })),
        },
      ],
    },
  },
);
