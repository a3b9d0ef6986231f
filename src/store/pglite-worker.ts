/**
 * Runs embedded PostgreSQL (PGlite) in a worker thread. PGlite executes a query
 * synchronously inside WebAssembly: on the main thread a 1 s GROUP BY would stall the
 * HTTP server for 1 s (measured: see README "Measured"). Here it stalls only this worker.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { distinctBuffers } from './binary-copy.ts';
import { PGLITE_COPY_FILE, type WorkerRequest, type WorkerResponse } from './pglite-protocol.ts';
import { typeParsers } from './type-parsers.ts';

if (!parentPort) throw new Error('pglite-worker must run in a worker thread');
const port = parentPort;
let pg: PGlite | null = null;

function fail(id: number, err: unknown): WorkerResponse {
  const e = err as { message?: string; code?: string; detail?: string };
  return { id, ok: false, message: String(e.message ?? err), code: e.code ?? null, detail: e.detail ?? null };
}

function db(): PGlite {
  if (!pg) throw new Error('database not open');
  return pg;
}

async function handle(msg: WorkerRequest): Promise<WorkerResponse> {
  try {
    switch (msg.op) {
      case 'open': {
        if (msg.templateFile) {
          // From a tarball of a data directory: in memory, a cached, already-initialised
          // database (~1 s instead of ~5 s of initdb: tests open many); into an empty data
          // directory, a restore (`eduplan restore`, store/backup.ts).
          const loadDataDir = new Blob([await readFile(msg.templateFile)]);
          pg = msg.dataDir ? await PGlite.create(msg.dataDir, { loadDataDir, parsers: typeParsers }) : await PGlite.create({ loadDataDir, parsers: typeParsers });
        } else {
          pg = await PGlite.create(msg.dataDir ?? undefined, { parsers: typeParsers });
        }
        return { id: msg.id, ok: true, rows: [], affectedRows: null };
      }
      case 'query': {
        if (msg.params.length === 0) {
          // Simple-query protocol, like node-postgres without parameters: allows
          // several statements (migrations); the last statement's result is returned.
          const all = await db().exec(msg.sql);
          const last = all[all.length - 1];
          return { id: msg.id, ok: true, rows: (last?.rows ?? []) as Record<string, unknown>[], affectedRows: last?.affectedRows ?? null };
        }
        const r = await db().query<Record<string, unknown>>(msg.sql, [...msg.params]);
        return { id: msg.id, ok: true, rows: r.rows, affectedRows: r.affectedRows ?? null };
      }
      case 'exec': {
        await db().exec(msg.sql);
        return { id: msg.id, ok: true, rows: [], affectedRows: null };
      }
      case 'copy': {
        // The chunks joined into the in-memory file the COPY reads (pglite-protocol.ts,
        // PGLITE_COPY_FILE; MEMFS takes the joined array as the file's contents, no further
        // copy). The chunks' buffers then go back to the caller (BinaryCopyWriter.recycle).
        const data = new Uint8Array(msg.chunks.reduce((n, c) => n + c.byteLength, 0));
        let at = 0;
        for (const c of msg.chunks) { data.set(c, at); at += c.byteLength; }
        const buffers = distinctBuffers(msg.chunks);
        const fs = db().Module.FS;
        fs.writeFile(PGLITE_COPY_FILE, data, { canOwn: true });
        try {
          const r = await db().query(msg.sql);
          return { id: msg.id, ok: true, rows: [], affectedRows: r.affectedRows ?? null, buffers };
        } finally {
          fs.unlink(PGLITE_COPY_FILE);
        }
      }
      case 'dump': {
        const tar = await db().dumpDataDir('none');
        await writeFile(msg.file, Buffer.from(await tar.arrayBuffer()));
        return { id: msg.id, ok: true, rows: [], affectedRows: null };
      }
      case 'close': {
        if (pg) await pg.close();
        pg = null;
        return { id: msg.id, ok: true, rows: [], affectedRows: null };
      }
    }
  } catch (err) {
    return fail(msg.id, err);
  }
}

// Requests are handled strictly in order: PGlite is a single session.
let chain: Promise<void> = Promise.resolve();
port.on('message', (msg: WorkerRequest) => {
  chain = chain.then(async () => {
    const res = await handle(msg);
    port.postMessage(res, res.ok ? (res.buffers ?? []) : []);
  });
});
