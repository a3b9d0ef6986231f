/** Messages between the main thread and the PGlite worker (see pglite-worker.ts). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type WorkerRequest =
  | { id: number; op: 'open'; dataDir: string | null; templateFile: string | null }
  /** Writes the whole database as a tarball (used to cache a migrated template for tests). */
  | { id: number; op: 'dump'; file: string }
  | { id: number; op: 'query'; sql: string; params: readonly unknown[] }
  | { id: number; op: 'exec'; sql: string }
  /** COPY … FROM '/dev/blob': the CSV text arrives in chunks, joined into a Blob in the worker. */
  | { id: number; op: 'copy'; sql: string; chunks: Uint8Array[] }
  | { id: number; op: 'close' };

export type WorkerResponse =
  /** `buffers`: after a copy, the chunks' buffers, handed back for reuse (transferred). */
  | { id: number; ok: true; rows: Record<string, unknown>[]; affectedRows: number | null; buffers?: ArrayBuffer[] }
  | { id: number; ok: false; message: string; code: string | null; detail: string | null };

export type WorkerRequestBody = DistributiveOmit<WorkerRequest, 'id'>;
