/**
 * Placing the tables on a Citus cluster (store/distribute.ts), on every backend: on PGlite and
 * plain PostgreSQL nothing happens; on a Citus coordinator the store placed every table when it
 * opened, so placing again changes nothing, and every table of the schema is in Citus's metadata.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISTRIBUTED_TABLES, REFERENCE_TABLES, distributeTables, isCitus } from '../../src/store/distribute.ts';
import { backends } from '../helpers/stores.ts';

describe.each(backends)('table placement on $name', (backend) => {
  let store: Awaited<ReturnType<typeof backend.open>>;
  beforeAll(async () => { store = await backend.open(); }, 120_000);
  afterAll(async () => store?.dispose());

  it('knows whether it is on a Citus coordinator, and placing again changes nothing', async () => {
    expect(await isCitus(store.db)).toBe(backend.name === 'citus');
    expect(await distributeTables(store.db)).toEqual([]);
  });

  it.runIf(backend.name === 'citus')('has every table of the schema in citus_tables, each where distribute.ts says', async () => {
    const tables = (await sql<{ t: string }>`SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname NOT LIKE 'eduplan_migration%'`.execute(store.db)).rows.map((r) => r.t);
    const placed = new Map((await sql<{ t: string; k: string }>`SELECT table_name::text AS t, citus_table_type AS k FROM citus_tables`.execute(store.db)).rows.map((r) => [r.t, r.k]));
    expect(tables.length).toBeGreaterThan(40);
    for (const t of tables) {
      const want = (DISTRIBUTED_TABLES as readonly string[]).includes(t) ? 'distributed' : (REFERENCE_TABLES as readonly string[]).includes(t) ? 'reference' : 'local';
      expect(placed.get(t), t).toBe(want);
    }
  });
});
