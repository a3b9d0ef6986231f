/**
 * A throwaway database on a PostgreSQL server, for storage tests and benchmarks: created
 * with a random name beside the one `url` names, dropped by `drop()`.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

async function adminQuery(url: string, text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

export async function createScratchDatabase(url: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(url, `CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => adminQuery(url, `DROP DATABASE IF EXISTS ${name}`) };
}

/**
 * A throwaway database on a Citus cluster (scripts/citus-cluster.sh). Citus keeps its
 * metadata per database, so a new database is a new cluster: it is created on the
 * coordinator `url` names and on every worker listed in that database's `pg_dist_node`,
 * the extension is created in it on each node, and the coordinator registers itself and
 * the workers again. `drop()` drops it everywhere.
 */
export async function createCitusScratchDatabase(url: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const coordinator = new URL(url);
  const nodes = await withClient(url, async (c) => (await c.query<{ nodename: string; nodeport: number; coord: boolean }>(
    'SELECT nodename, nodeport, groupid = 0 AS coord FROM pg_dist_node WHERE isactive ORDER BY groupid')).rows);
  const workers = nodes.filter((n) => !n.coord);
  const at = (host: string, port: number, db: string): string => {
    const u = new URL(url);
    u.hostname = host;
    u.port = String(port);
    u.pathname = `/${db}`;
    return u.toString();
  };
  const everywhere = [at(coordinator.hostname, Number(coordinator.port || 5432), 'postgres'), ...workers.map((w) => at(w.nodename, w.nodeport, 'postgres'))];
  for (const admin of everywhere) {
    await adminQuery(admin, `CREATE DATABASE ${name}`);
    const u = new URL(admin);
    u.pathname = `/${name}`;
    await adminQuery(u.toString(), 'CREATE EXTENSION citus');
  }
  const dbUrl = at(coordinator.hostname, Number(coordinator.port || 5432), name);
  await withClient(dbUrl, async (c) => {
    await c.query('SELECT citus_set_coordinator_host($1, $2)', [coordinator.hostname, Number(coordinator.port || 5432)]);
    for (const w of workers) await c.query('SELECT citus_add_node($1, $2)', [w.nodename, w.nodeport]);
  });
  return {
    url: dbUrl,
    async drop() {
      // The coordinator's database without FORCE: PostgreSQL waits (up to 5 s) for the sessions
      // of a pool just closed to finish ending, where FORCE would signal them mid-goodbye and
      // their clients would raise the FATAL as an unhandled error. Only Citus's own sessions
      // (its maintenance daemon connects to the coordinator) are ended, after new connections
      // are refused so that it cannot come back. The workers' with FORCE: the coordinator's
      // cached connections to them belong to no client of ours.
      const [coordinatorAdmin, ...workerAdmins] = everywhere;
      if (coordinatorAdmin !== undefined) {
        await adminQuery(coordinatorAdmin, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await adminQuery(coordinatorAdmin, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND application_name LIKE 'citus\\_internal%'`);
        await adminQuery(coordinatorAdmin, `DROP DATABASE IF EXISTS ${name}`);
      }
      for (const admin of workerAdmins) await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
