// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'docs/api/',
      'coverage/',
      'node_modules/',
      'bench/data/',
      'callrecon-out/',
      'fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core is pure: no Node built-ins, no io, no cli (STYLE "The shape of the house").
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'zlib', 'stream', 'crypto'],
              message: 'src/core is pure: no Node built-ins.',
            },
            {
              group: ['**/io/**', '**/cli/**', '../../io/*', '../../cli/*'],
              message: 'src/core never imports io or cli.',
            },
            { group: ['decimal.js'], message: 'Only src/core/money imports decimal.js.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'console', 'Buffer'],
    },
  },
  {
    files: ['src/core/money/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'src/core is pure: no Node built-ins.' }] },
      ],
    },
  },
  {
    files: ['src/io/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/cli/**'], message: 'io never imports cli.' }] },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', 'bench/**'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      // Keep disableTypeChecked's parserOptions (projectService off): .mjs files are not in
      // the TypeScript project.
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        performance: 'readonly',
      },
    },
  },
);
