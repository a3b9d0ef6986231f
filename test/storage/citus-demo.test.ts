/**
 * Distributed mode end to end (Citus only: EDUPLAN_TEST_CITUS_URL, scripts/citus-cluster.sh):
 * the same 0.05-scale demo folder, students included, imported with `eduplan import` into
 * embedded PGlite and into a Citus cluster, gives the same `eduplan progress --json --year 2025`;
 * and on the cluster the large tables are distributed by org_code in one colocation group.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../../src/core/errors.ts';
import { backupDatabase } from '../../src/store/backup.ts';
import { createCitusScratchDatabase } from '../helpers/scratch-db.ts';
import { runCli } from '../helpers/cli.ts';

const citusUrl = process.env.EDUPLAN_TEST_CITUS_URL;

const run = (root: string, argv: string[], env: Record<string, string>) => runCli(argv, env, root);

describe.skipIf(!citusUrl)('a 0.05-scale demo on citus', () => {
  let root = '';
  let cluster: { url: string; drop: () => Promise<void> } | null = null;
  let pgliteEnv: Record<string, string> = {};
  let citusEnv: Record<string, string> = {};

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'eduplan-citus-demo-'));
    cluster = await createCitusScratchDatabase(citusUrl ?? '', 'eduplan_demo');
    pgliteEnv = { EDUPLAN_DATA_DIR: join(root, 'pglite', 'data') };
    // The data directory only locates the demo keys here; the data go to the cluster.
    citusEnv = { EDUPLAN_DATA_DIR: join(root, 'citus', 'data'), DATABASE_URL: cluster.url };
    const gen = await run(root, ['demo', 'generate', '--scale', '0.05', '--seed', '1', '--out', 'demo', '--json'], pgliteEnv);
    expect(gen.code, gen.err).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await cluster?.drop();
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  it('imports the same folder on PGlite and on the cluster, and progress for 2025 is the same', async () => {
    const imported = [];
    for (const env of [pgliteEnv, citusEnv]) {
      const r = await run(root, ['import', 'demo', '--json'], env);
      expect(r.code, r.err).toBe(0);
      imported.push(JSON.parse(r.out) as { files: Array<{ file: string; rows: number }> });
    }
    const [onPglite, onCitus] = imported;
    expect(onCitus?.files).toEqual(onPglite?.files);
    expect(onCitus?.files.some((f) => f.file.startsWith('fitness-') && f.rows > 0)).toBe(true);

    const progress = [];
    for (const env of [pgliteEnv, citusEnv]) {
      const r = await run(root, ['progress', '--json', '--year', '2025'], env);
      expect(r.code, r.err).toBe(0);
      progress.push(JSON.parse(r.out) as Array<{ code: string; value: number | null }>);
    }
    const [single, distributed] = progress;
    // Not two empty answers: the city's figures are there, most with a value.
    expect(single?.length).toBeGreaterThanOrEqual(20);
    expect(single?.filter((i) => i.value !== null).length).toBeGreaterThan(10);
    expect(distributed).toEqual(single);
  }, 900_000);

  it('lists data_value and the student tables as distributed by org_code, colocated', async () => {
    const c = new pg.Client({ connectionString: cluster?.url });
    await c.connect();
    try {
      const r = await c.query<{ table_name: string; citus_table_type: string; distribution_column: string; colocation_id: number }>(
        `SELECT table_name::text, citus_table_type, distribution_column, colocation_id FROM citus_tables`);
      const byName = new Map(r.rows.map((row) => [row.table_name, row]));
      const large = ['data_value', 'student_fitness', 'vision_screening', 'student_school_year', 'indicator_value', 'student_fitness_y2025', 'vision_screening_y2025'];
      for (const t of large) expect(byName.get(t), t).toMatchObject({ citus_table_type: 'distributed', distribution_column: 'org_code' });
      expect(new Set(large.map((t) => byName.get(t)?.colocation_id)).size).toBe(1);
      expect(byName.get('org_unit')?.citus_table_type).toBe('reference');
      // The audit chain stays on the coordinator: one sequence of links.
      expect(byName.get('audit_event')?.citus_table_type).toBe('local');
      const shards = await c.query<{ nodes: number }>(`SELECT count(DISTINCT p.nodeport)::int AS nodes FROM pg_dist_shard s JOIN pg_dist_placement pl USING (shardid)
        JOIN pg_dist_node p ON p.groupid = pl.groupid WHERE s.logicalrelid = 'data_value'::regclass`);
      expect(shards.rows[0]?.nodes).toBe(2);
    } finally {
      await c.end();
    }
  });

  it('refuses eduplan backup on the coordinator, which holds none of the shards, and writes no file', async () => {
    const file = join(root, 'cluster.dump');
    const err = await backupDatabase({ databaseUrl: cluster?.url, dataDir: join(root, 'unused') }, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EduplanError);
    expect(err).toMatchObject({ code: 'E_CONFIG' });
    expect(String((err as Error).message) + String((err as EduplanError).detail)).toContain('Citus');
    expect(existsSync(file)).toBe(false);
  });
});
