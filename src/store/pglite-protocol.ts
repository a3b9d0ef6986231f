/** Messages between the main thread and the PGlite worker (see pglite-worker.ts). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type WorkerRequest =
  | { id: number; op: 'open'; dataDir: string | null; templateFile: string | null }
  /** Writes the whole database as a tarball (used to cache a migrated template for tests). */
  | { id: number; op: 'dump'; file: string }
  | { id: number; op: 'query'; sql: string; params: readonly unknown[] }
  | { id: number; op: 'exec'; sql: string }
  /** COPY … FROM PGLITE_COPY_FILE: the data (CSV or binary) arrives in chunks, written to that in-memory file first. */
  | { id: number; op: 'copy'; sql: string; chunks: Uint8Array[] }
  | { id: number; op: 'close' };

export type WorkerResponse =
  /** `buffers`: after a copy, the chunks' buffers, handed back for reuse (transferred). */
  | { id: number; ok: true; rows: Record<string, unknown>[]; affectedRows: number | null; buffers?: ArrayBuffer[] }
  | { id: number; ok: false; message: string; code: string | null; detail: string | null };

export type WorkerRequestBody = DistributiveOmit<WorkerRequest, 'id'>;

/**
 * Where the PGlite worker puts a COPY's data for `COPY … FROM '<file>'`: a file in
 * PGlite's in-memory file system (/tmp is MEMFS; a data directory on disk is mounted at
 * /pglite/data). Not PGlite's own '/dev/blob' device: it reads its data a byte at a time
 * in JS (~1.2 s of PGlite's thread for a 1.5 M-row import, perf), after copying the whole
 * Blob once more into an ArrayBuffer.
 */
export const PGLITE_COPY_FILE = '/tmp/eduplan-copy.data';
