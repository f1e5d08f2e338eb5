import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const nodeIo = [
  'fs',
  'fs/promises',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'process',
  'worker_threads',
  'stream',
  'readline',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // The domain is pure: no I/O, no clock, and none of the outer layers.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeIo.flatMap((name) => [
            { name, message: 'src/domain is pure: no I/O.' },
            { name: `node:${name}`, message: 'src/domain is pure: no I/O.' },
          ]),
          patterns: [
            {
              group: ['**/cli/**', '**/db/**', '**/features/**', '**/plugins/**', '**/policies/**'],
              message: 'src/domain imports nothing from the outer layers.',
            },
            {
              group: ['fastify*', 'kysely*', 'better-sqlite3', 'pg', 'pino*'],
              message: 'src/domain is pure.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/domain does not read the environment.' },
        { name: 'fetch', message: 'src/domain is pure: no I/O.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date']",
          message: 'src/domain uses CalendarDate; today comes from an injected clock.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'src/domain uses CalendarDate; today comes from an injected clock.',
        },
      ],
    },
  },
  {
    // Routes, forms and presenters reach the database only through a service (types may pass).
    files: [
      'src/features/**/*.routes.ts',
      'src/features/**/*.form.ts',
      'src/features/**/*.presenter.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/**', 'kysely', 'better-sqlite3', 'pg'],
              allowTypeImports: true,
              message:
                'Routes, forms and presenters read and write through a service, never the database.',
            },
          ],
        },
      ],
    },
  },
  {
    // Repositories and services know nothing of the web layer.
    files: ['src/db/**/*.ts', 'src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/features/**', '**/plugins/**', 'fastify*', '@fastify/*'],
              message: 'Repositories and services are not part of the web layer.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
