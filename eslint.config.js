// Lint: correctness rules from ESLint and typescript-eslint (no type-aware rules, so it
// runs in seconds). Formatting is left to the editor.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // Features and core depend on core only: app.ts imports every feature, so a feature (or a
    // core module) importing app.ts closes an import circle through the whole app.
    files: ['server/features/**/*.ts', 'server/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)app\\.js$', message: 'Import AppContext from core/context.js; app.ts is the composition root.' }] }],
    },
  },
  {
    // A limiter without the shared store would count per worker process (memory store).
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='rateLimit']:not(:has(ObjectExpression > Property[key.name='store']))",
          message: 'Give every limiter the shared store: rateLimit({ store: ctx.rateLimitStore(name), ... }).',
        },
      ],
    },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    files: ['test/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
