// Lint rules that hold the layers apart (DESIGN.md "a pure core"):
// src/core is pure — no I/O modules, no database clients, no clock, no randomness.
import tseslint from 'typescript-eslint';

const ioModules = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http',
  'https', 'node:https', 'child_process', 'node:child_process', 'worker_threads', 'node:worker_threads',
  'pg', '@electric-sql/pglite', 'kysely', 'fastify', 'exceljs', 'node:os', 'os', 'node:crypto', 'crypto',
];

// Outside src/ingest/student-records/, import the pipeline through its index.ts only.
const studentRecordsDoor = {
  group: ['**/ingest/student-records/*', '!**/ingest/student-records/index.ts'],
  message: 'import the student-record pipeline from src/ingest/student-records/index.ts.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', '**/*.js', '!eslint.config.js', 'bin/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules.map((name) => ({ name, message: 'src/core is pure: take I/O as an argument (DESIGN.md).' })),
        patterns: [{ group: ['**/store/**', '**/server/**', '**/ingest/**', '**/services/**', '**/cli/**'], message: 'core must not depend on outer layers.' }],
      }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'core takes the clock as an argument.' },
        { object: 'Math', property: 'random', message: 'core takes randomness as an argument.' },
        { object: 'process', property: 'env', message: 'core takes configuration as an argument.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core takes the clock as an argument.' },
      ],
    },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/server/**', '**/cli/**'], message: 'services must not depend on routes or CLI.' }, studentRecordsDoor],
      }],
    },
  },
  {
    // The student-record pipeline is one folder with one door (its index.ts).
    files: ['src/**/*.ts', 'src/**/*.tsx', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/core/**', 'src/services/**', 'src/ingest/student-records/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [studentRecordsDoor] }] },
  },
  {
    // Data collection: its routes and commands parse, call a service and answer; only the
    // services touch the store, the readers (ingest) and the xlsx reports.
    files: [
      'src/server/routes/{forms,submissions,plan,org-units,accounts,auth,audit}.ts',
      'src/cli/commands/{forms,submit,plan,org,accounts,audit,setup}.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/ingest/**', '**/store/**', '**/reports/**'], message: 'routes and commands call services, which own ingest, store and reports.' }],
      }],
    },
  },
  {
    // The workspace and the portal's API types see core and contract only.
    files: ['src/web/api.ts', 'src/web/workspace/*.ts', 'src/web/workspace/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/services/**', '**/server/**', '**/store/**', '**/ingest/**', '**/reports/**', '**/cli/**'], message: 'the web imports only core/ and contract/.' }],
      }],
    },
  },
  {
    // Supervision assessments: the workspace pages and the reports see shapes (src/contract)
    // and pure rules (src/core) only, never a service or the store.
    files: ['src/web/assessments/**/*.{ts,tsx}', 'src/reports/assessment-*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/services/**', '**/store/**', '**/server/**', '**/ingest/**', '**/cli/**'], message: 'import the contract (src/contract) or core, not an outer layer.' }],
      }],
    },
  },
  {
    // Their routes and commands parse, call a service (src/services/assessments/) and answer.
    files: ['src/server/routes/assessments.ts', 'src/cli/commands/assess.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/reports/**', '**/ingest/**', '**/store/**'], message: 'routes and commands call a service; the service calls reports, ingest and the store.' }],
      }],
    },
  },
  {
    // One configuration module: src/config.ts reads the environment it is handed (by
    // cli/io.ts, once per process) and everything else takes the typed Config.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/cli/io.ts', 'src/**/*.test.ts', 'src/core/**'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'process', property: 'env', message: 'read configuration through src/config.ts (passed down as Config), not process.env.' },
      ],
    },
  },
);
