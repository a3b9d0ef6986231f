/**
 * `eduplan db distribute` (docs/scale.md): on PGlite and on a plain PostgreSQL server it refuses
 * with E_NOT_CITUS and changes nothing; on a Citus coordinator (EDUPLAN_TEST_CITUS_URL,
 * scripts/citus-cluster.sh) the first run places every table and says so, a second run places
 * nothing and reports the same placement, and `--json` fits the contract (contract/cluster.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distributeResult, type DistributeResult } from '../../src/contract/cluster.ts';
import { DISTRIBUTED_TABLES, REFERENCE_TABLES } from '../../src/store/distribute.ts';
import { createCitusScratchDatabase, createScratchDatabase } from '../helpers/scratch-db.ts';
import { runCli } from '../helpers/cli.ts';

const pgUrl = process.env.EDUPLAN_TEST_PG_URL;
const citusUrl = process.env.EDUPLAN_TEST_CITUS_URL;

const run = (root: string, argv: string[], env: Record<string, string>) => runCli(argv, env, root);

let root = '';
beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'eduplan-distribute-')); });
afterAll(() => { if (root !== '') rmSync(root, { recursive: true, force: true }); });

/** The refusal: exit 1, E_NOT_CITUS in Chinese and English with the fix, nothing on stdout (also with --json). */
function expectNotCitus(r: { code: number; out: string; err: string }): void {
  expect(r.code).toBe(1);
  expect(r.out).toBe('');
  expect(r.err).toMatch(/^错误 E_NOT_CITUS：数据库不是 Citus 协调节点/m);
  expect(r.err).toMatch(/^Error E_NOT_CITUS: The database is not a Citus coordinator/m);
  expect(r.err).toContain('citus_add_node');
}

describe('eduplan db distribute without Citus', () => {
  it('on the embedded database (PGlite): E_NOT_CITUS, exit 1', async () => {
    const env = { EDUPLAN_DATA_DIR: join(root, 'pglite') };
    expectNotCitus(await run(root, ['db', 'distribute'], env));
    expectNotCitus(await run(root, ['db', 'distribute', '--json'], env));
  }, 120_000);

  it.runIf(pgUrl !== undefined)('on a plain PostgreSQL server: E_NOT_CITUS, exit 1, no extension created', async () => {
    const db = await createScratchDatabase(pgUrl ?? '', 'eduplan_distribute');
    try {
      const env = { EDUPLAN_DATA_DIR: join(root, 'pg'), DATABASE_URL: db.url };
      expectNotCitus(await run(root, ['db', 'distribute', '--json'], env));
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        expect((await c.query("SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citus'")).rows[0]).toEqual({ n: 0 });
      } finally {
        await c.end();
      }
    } finally {
      await db.drop();
    }
  }, 120_000);
});

describe.skipIf(!citusUrl)('eduplan db distribute on citus', () => {
  let cluster: { url: string; drop: () => Promise<void> } | null = null;
  let env: Record<string, string> = {};
  beforeAll(async () => {
    cluster = await createCitusScratchDatabase(citusUrl ?? '', 'eduplan_distribute');
    env = { EDUPLAN_DATA_DIR: join(root, 'citus'), DATABASE_URL: cluster.url };
  }, 120_000);
  afterAll(async () => { await cluster?.drop(); });

  it('places every table on the first run, reports it, and a second run changes nothing', async () => {
    const first = await run(root, ['db', 'distribute', '--json'], env);
    expect(first.code, first.err).toBe(0);
    const r1: DistributeResult = distributeResult.parse(JSON.parse(first.out));
    expect(r1.workers).toBeGreaterThanOrEqual(1);
    const placedAs = new Map(r1.placed_now.map((p) => [p.table, p.as]));
    for (const t of DISTRIBUTED_TABLES) expect(placedAs.get(t), t).toBe('distributed');
    for (const t of REFERENCE_TABLES) expect(placedAs.get(t), t).toBe('reference');
    expect(placedAs.get('audit_event')).toBe('local');
    const byName = new Map(r1.tables.map((t) => [t.table, t]));
    expect(byName.get('data_value')).toMatchObject({ as: 'distributed', distribution_column: 'org_code', already_placed: false });
    expect(byName.get('org_unit')).toMatchObject({ as: 'reference', distribution_column: null, colocation_id: null, already_placed: false });
    // One colocation group holds every distributed table: a school's rows of each sit on one shard.
    expect(r1.colocation).toHaveLength(1);
    for (const t of DISTRIBUTED_TABLES) expect(r1.colocation[0]?.tables, t).toContain(t);

    const second = await run(root, ['db', 'distribute', '--json'], env);
    expect(second.code, second.err).toBe(0);
    const r2 = distributeResult.parse(JSON.parse(second.out));
    expect(r2.placed_now).toEqual([]);
    expect(r2.tables.every((t) => t.already_placed)).toBe(true);
    expect(r2.tables.map(({ already_placed: _, ...t }) => t)).toEqual(r1.tables.map(({ already_placed: _, ...t }) => t));

    const text = await run(root, ['db', 'distribute'], env);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain('every table was already placed; nothing changed');
    expect(text.out).toMatch(/distributed by org_code, colocation group \d+ .*data_value/);
  }, 300_000);
});
