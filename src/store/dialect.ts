/**
 * A Kysely dialect over RawPool: PostgreSQL's adapter, compiler and introspector,
 * with our own driver so that the same code runs on PGlite-in-a-worker and on pg.
 */
import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult, type TransactionSettings,
} from 'kysely';
import type { RawConnection, RawPool } from './raw.ts';

class RawDatabaseConnection implements DatabaseConnection {
  constructor(readonly raw: RawConnection) {}
  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const r = await this.raw.query(q.sql, q.parameters);
    return {
      rows: r.rows as R[],
      ...(r.affectedRows !== null && r.affectedRows !== undefined ? { numAffectedRows: BigInt(r.affectedRows) } : {}),
    };
  }
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported; page with LIMIT/OFFSET or keyset');
  }
}

class RawDriver implements Driver {
  constructor(private readonly pool: RawPool) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RawDatabaseConnection(await this.pool.acquire());
  }
  async beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const iso = settings.isolationLevel ? ` ISOLATION LEVEL ${settings.isolationLevel.toUpperCase()}` : '';
    await c.executeQuery(CompiledQuery.raw(`BEGIN${iso}`));
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('COMMIT'));
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }
  async releaseConnection(c: DatabaseConnection): Promise<void> {
    (c as RawDatabaseConnection).raw.release();
  }
  async destroy(): Promise<void> {
    await this.pool.close();
  }
}

/** A driver bound to one already-acquired connection (used inside Store.transaction). */
class SingleConnectionDriver implements Driver {
  constructor(private readonly conn: RawConnection) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RawDatabaseConnection({ ...this.conn, release: () => {} });
  }
  async beginTransaction(): Promise<void> {
    throw new Error('already inside Store.transaction; nested transactions are not supported');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

function dialectFor(driver: () => Driver): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: driver,
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
  };
}

export const rawPoolDialect = (pool: RawPool): Dialect => dialectFor(() => new RawDriver(pool));
export const singleConnectionDialect = (conn: RawConnection): Dialect => dialectFor(() => new SingleConnectionDriver(conn));
