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
