// Lint the code we ship and test with type information (issue 9): promises must be awaited or
// deliberately voided, and no regular expression may backtrack super-linearly on tenant input.
import js from '@eslint/js';
import globals from 'globals';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Only our own sources: apps, libs, tests, scripts, bench and the SDK. Docs and examples have their own toolchains.
    ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', '.data/**', 'docs/**', 'examples/**', 'bench/results/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  regexp.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: {
        // tsconfig.eslint.json = tsconfig.json plus the JavaScript entry points (scripts/, bench/), so they are type-checked too.
        project: './tsconfig.eslint.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      // Stylistic only: `[A-Za-z0-9]` states the allowed alphabet more plainly than an `i` flag.
      'regexp/use-ignore-case': 'off',
      // Async methods implement Promise-returning interfaces (Connector.getStatus, fakes of our services); `async`
      // turns a synchronous throw into the rejection callers await, so an await-free async body is intended.
      '@typescript-eslint/require-await': 'off',
      // `_`-prefixed names mark parameters an interface requires but the implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The dashboard is a browser app with its own compiler settings (DOM, JSX, bundler resolution).
    files: ['apps/dashboard/**/*.{ts,tsx,mts}'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { project: './apps/dashboard/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // TanStack Router's documented way to leave a route is `throw redirect(...)` (a Response-based Redirect).
      '@typescript-eslint/only-throw-error': [
        'error',
        { allow: [{ from: 'package', package: '@tanstack/router-core', name: 'Redirect' }] },
      ],
    },
  },
  {
    // Test and bench code reads HTTP bodies (the harness's `request<T = any>` answers `any` by design, as supertest
    // does) and asserts on them; the `any` rules would demand a type per response. Application code keeps them.
    files: ['test/**', 'bench/**', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (scripts/, bench/, build files) runs in Node as CommonJS or ESM.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      // A callback's `err` is `any` in JavaScript; it is an Error at run time.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
      // JavaScript has no declared types, so every value is `any` to the checker; the unsafe-`any` family says nothing here.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
