/**
 * Distributed mode on demand (`eduplan db distribute`, docs/scale.md): place eduplan's tables on
 * the Citus cluster DATABASE_URL names and say where each one lives. The placement itself is
 * store/distribute.ts, which every start of eduplan also runs; this is for the operator who
 * turns Citus on for an existing database, adds the extension before the first start, or wants
 * to see the placement.
 */
import type { DistributeResult } from '../contract/cluster.ts';
import { EduplanError } from '../core/errors.ts';
import { distributeTables, isCitus, readCitusPlacement } from '../store/distribute.ts';
import type { Store } from '../store/store.ts';

/**
 * Place every table not yet placed and report all of them. Idempotent: a second run places
 * nothing and reports the same tables as already placed. E_NOT_CITUS on PGlite or a plain
 * PostgreSQL server (nothing is changed there).
 */
export async function distributeOnCluster(store: Store): Promise<DistributeResult> {
  if (store.kind !== 'postgres' || !(await isCitus(store.db))) {
    throw new EduplanError('E_NOT_CITUS', { detail: store.kind === 'postgres' ? 'the database has no citus extension (pg_extension) / 数据库未安装 citus 扩展' : 'the embedded database (PGlite) cannot run Citus / 嵌入式数据库（PGlite）不支持 Citus' });
  }
  const placedNow = await distributeTables(store.db);
  const { version, workers, tables } = await readCitusPlacement(store.db);
  const now = new Set(placedNow.map((p) => p.table));
  const groups = new Map<number, string[]>();
  for (const t of tables) if (t.colocation_id !== null) groups.set(t.colocation_id, [...(groups.get(t.colocation_id) ?? []), t.table]);
  return {
    citus_version: version,
    workers,
    placed_now: placedNow.map((p) => ({ table: p.table, as: p.as })),
    // A year partition follows its parent: placed now when its parent was.
    tables: tables.map((t) => ({ ...t, already_placed: !now.has(t.table) && !now.has(parentOf(t.table)) })),
    colocation: [...groups].sort((a, b) => a[0] - b[0]).map(([colocation_id, ts]) => ({ colocation_id, tables: ts.sort() })),
  };
}

/** A year partition's parent (`student_fitness_y2025` → `student_fitness`); the name itself otherwise. */
const parentOf = (table: string): string => table.replace(/_y\d{4}$/, '');
