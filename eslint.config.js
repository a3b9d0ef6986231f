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

/** Import patterns of every layer outward of `layer` (which the layer must not import). */
const layers = ['core', 'contract', 'services', 'store', 'ingest', 'reports', 'server', 'cli', 'web', 'demo'];
const inward = { contract: ['core', 'contract'], web: ['core', 'contract', 'web'] };
const outer = (layer) => layers.filter((l) => !inward[layer].includes(l)).map((l) => `**/${l}/**`);

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
  // The layers (docs/architecture.md): each folder may import only what lies inward of it.
  // One block per folder, because a later block setting the same rule replaces an earlier one.
  {
    files: ['src/contract/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: outer('contract'), message: 'a contract is zod shapes over core: it imports nothing outer.' }] }] },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/cli/**', '**/web/**'], message: 'services must not depend on routes, CLI or the web.' }, studentRecordsDoor] }] },
  },
  {
    // The portal and the workspace see shapes (src/contract) and pure rules (src/core) only.
    files: ['src/web/**/*.ts', 'src/web/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: outer('web'), message: 'the web imports only core/ and contract/.' }] }] },
  },
  {
    // Reports render what a service hands them: contract shapes and core rules.
    files: ['src/reports/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/services/**', '**/server/**', '**/cli/**', '**/store/**', '**/web/**'], message: 'reports take contract types from the service that calls them.' }] }] },
  },
  {
    // Routes and commands parse, call the service that owns the use case, and answer or
    // print: only services touch the store, the readers (ingest) and the reports. Types may be
    // imported (a command handing a store to a service). The composition roots — the start
    // command and the store opener of the CLI — are the exceptions.
    files: ['src/server/routes/**/*.ts', 'src/cli/commands/**/*.ts'],
    ignores: ['src/cli/commands/start.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { group: ['**/ingest/**', '**/store/**', '**/reports/**'], allowTypeImports: true, message: 'routes and commands call services, which own ingest, store and reports.' },
        studentRecordsDoor,
      ] }],
    },
  },
  {
    // Everywhere else the student-record pipeline is one folder with one door (its index.ts).
    files: ['src/**/*.ts', 'src/**/*.tsx', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/core/**', 'src/contract/**', 'src/services/**', 'src/web/**', 'src/reports/**', 'src/server/routes/**', 'src/cli/commands/**', 'src/ingest/student-records/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [studentRecordsDoor] }] },
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
