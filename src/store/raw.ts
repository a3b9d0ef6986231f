/**
 * The smallest database surface eduplan needs, implemented twice: embedded PGlite
 * (in a worker thread) and a PostgreSQL server (node-postgres). Kysely sits on top
 * (see dialect.ts); COPY goes straight to the connection because Kysely has no COPY.
 */
import { Worker } from 'node:worker_threads';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { PGLITE_COPY_FILE, type WorkerRequest, type WorkerRequestBody, type WorkerResponse } from './pglite-protocol.ts';
import { typeParsers } from './type-parsers.ts';
import { BINARY_COPY_HEADER, BINARY_COPY_TRAILER, distinctBuffers, type BinaryCopyResult } from './binary-copy.ts';
import { DatabaseError } from './database-error.ts';

export { DatabaseError };

export interface RawResult {
  rows: Record<string, unknown>[];
  affectedRows: number | null;
}

export interface RawConnection {
  query(sql: string, params?: readonly unknown[]): Promise<RawResult>;
  /** `COPY <table> (<cols>) FROM … WITH (FORMAT csv)`, fed with CSV bytes. Returns rows copied. */
  copyCsv(table: string, columns: readonly string[], csv: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): Promise<number>;
  /**
   * `COPY … WITH (FORMAT binary)`, fed with tuples from `BinaryCopyWriter` (binary-copy.ts);
   * the header and trailer are added here. Returns rows copied and the tuples' buffers,
   * free for reuse (the tuples themselves may be detached: PGlite's moved to its worker).
   */
  copyBinary(table: string, columns: readonly string[], tuples: readonly Uint8Array[]): Promise<BinaryCopyResult>;
  release(): void;
}

export interface RawPool {
  readonly kind: 'pglite' | 'postgres';
  /** PGlite only: write the database as a tarball that `templateFile` can start from. */
  dump?(file: string): Promise<void>;
  acquire(): Promise<RawConnection>;
  close(): Promise<void>;
}

function copySql(table: string, columns: readonly string[], source: string, format: 'csv' | 'binary' = 'csv'): string {
  const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  return `COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM ${source} WITH (FORMAT ${format})`;
}

/** Header, tuples, trailer: one binary COPY stream. */
function binaryStream(tuples: readonly Uint8Array[]): Uint8Array[] {
  return [BINARY_COPY_HEADER.slice(), ...tuples, BINARY_COPY_TRAILER.slice()];
}

/** A FIFO lock: PGlite is one session, so one logical connection at a time. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    return prev.then(() => release);
  }
}

export async function openPglitePool(dataDir: string | null, templateFile: string | null = null): Promise<RawPool> {
  const worker = new Worker(new URL('./pglite-worker-boot.mjs', import.meta.url));
  worker.unref();
  let nextId = 1;
  /** A worker's answer; `buffers` only after a copy. */
  type Answer = RawResult & { readonly buffers?: ArrayBuffer[] };
  const pending = new Map<number, { resolve: (r: Answer) => void; reject: (e: Error) => void }>();
  worker.on('message', (msg: WorkerResponse) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve({ rows: msg.rows, affectedRows: msg.affectedRows, ...(msg.buffers ? { buffers: msg.buffers } : {}) });
    else p.reject(new DatabaseError(msg.message, msg.code, msg.detail));
  });
  worker.on('error', (err) => {
    // The embedded database itself failed (e.g. a WebAssembly trap): a database failure.
    for (const p of pending.values()) p.reject(new DatabaseError(`PGlite stopped: ${err.message}`, null, null));
    pending.clear();
  });
  const send = (req: WorkerRequestBody, transfer: ArrayBuffer[] = []): Promise<Answer> => {
    const id = nextId++;
    return new Promise<Answer>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...req, id } as WorkerRequest, transfer);
    }).finally(() => {
      if (pending.size === 0) worker.unref();
    });
  };
  await send({ op: 'open', dataDir, templateFile });
  const mutex = new Mutex();
  const encoder = new TextEncoder();
  /**
   * One COPY in the worker; the chunks' buffers move there (no copy): callers must not use
   * the chunks again. The worker hands the buffers back, as new ArrayBuffer objects.
   */
  const copyInWorker = async (sql: string, chunks: Uint8Array[]): Promise<BinaryCopyResult> => {
    const r = await send({ op: 'copy', sql, chunks }, distinctBuffers(chunks));
    return { rows: r.affectedRows ?? 0, buffers: r.buffers ?? [] };
  };

  return {
    kind: 'pglite',
    async dump(file) {
      const release = await mutex.lock();
      try {
        await send({ op: 'dump', file });
      } finally {
        release();
      }
    },
    async acquire() {
      const release = await mutex.lock();
      let released = false;
      return {
        query: async (sql, params = []) => {
          const r = await send({ op: 'query', sql, params });
          return { rows: r.rows, affectedRows: r.affectedRows };
        },
        async copyCsv(table, columns, csv) {
          const chunks: Uint8Array[] = [];
          for await (const c of csv) chunks.push(typeof c === 'string' ? encoder.encode(c) : c);
          return (await copyInWorker(copySql(table, columns, `'${PGLITE_COPY_FILE}'`), chunks)).rows;
        },
        async copyBinary(table, columns, tuples) {
          const r = await copyInWorker(copySql(table, columns, `'${PGLITE_COPY_FILE}'`, 'binary'), binaryStream(tuples));
          // In stream order, the first buffer is the header's and the last the trailer's (binaryStream): not the caller's.
          return { rows: r.rows, buffers: r.buffers.slice(1, -1) };
        },
        release() {
          if (!released) { released = true; release(); }
        },
      };
    },
    async close() {
      const release = await mutex.lock();
      try {
        await send({ op: 'close' });
      } finally {
        release();
        await worker.terminate();
      }
    },
  };
}

/** `COPY … FROM STDIN` on a server connection, fed from `data`. Returns rows copied. */
async function copyFromStdin(client: pg.PoolClient, sql: string, data: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): Promise<number> {
  const stream = client.query(copyStreams.from(sql));
  await pipeline(Readable.from(data), stream);
  return stream.rowCount ?? 0;
}

export async function openPostgresPool(url: string): Promise<RawPool> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 8,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        const p = typeParsers[oid];
        return p ?? pg.types.getTypeParser(oid, format ?? 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // Fail fast with a clear message when the server is unreachable.
  const probe = await pool.connect();
  let citus: boolean;
  try {
    citus = (await probe.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citus'`)).rows[0]?.n === 1;
  } finally {
    probe.release();
  }
  // On a Citus coordinator (store/distribute.ts), a transaction that wrote to a distributed
  // table over several connections per worker may not then write a reference table or a
  // coordinator table tied to one by foreign keys ("cannot modify table … because there was
  // a parallel operation on a distributed table"); imports and recomputes do both. Inside
  // transactions Citus therefore uses one connection per worker; statements outside one
  // (the recompute's reads, the portal's queries) keep the parallel executor.
  const afterBegin = citus ? `SET LOCAL citus.multi_shard_modify_mode TO 'sequential'` : null;
  return {
    kind: 'postgres',
    async acquire() {
      const client = await pool.connect();
      let released = false;
      return {
        async query(sql, params = []) {
          try {
            const res: pg.QueryResult | pg.QueryResult[] = await client.query(sql, [...params]);
            if (afterBegin !== null && /^\s*BEGIN\b/i.test(sql)) await client.query(afterBegin);
            // Several statements without parameters answer with one result each: keep the last.
            const r = Array.isArray(res) ? res[res.length - 1] : res;
            return { rows: (r?.rows ?? []) as Record<string, unknown>[], affectedRows: r?.rowCount ?? null };
          } catch (err) {
            const e = err as { message: string; code?: string; detail?: string };
            throw new DatabaseError(e.message, e.code ?? null, e.detail ?? null);
          }
        },
        copyCsv: (table, columns, csv) => copyFromStdin(client, copySql(table, columns, 'STDIN'), csv),
        async copyBinary(table, columns, tuples) {
          const rows = await copyFromStdin(client, copySql(table, columns, 'STDIN', 'binary'), binaryStream(tuples));
          // Written to the socket and answered by the server: the buffers are free again.
          return { rows, buffers: distinctBuffers(tuples) };
        },
        release() {
          if (!released) { released = true; client.release(); }
        },
      };
    },
    close: () => pool.end(),
  };
}
