/**
 * Rows for `COPY … FROM … WITH (FORMAT binary)` (PostgreSQL documentation, "COPY",
 * section "Binary Format": an 11-byte signature, a 32-bit flags field and a 32-bit header
 * extension length; then per tuple a 16-bit field count and per field a 32-bit length
 * (−1 = NULL) followed by the value in the type's binary send format, big-endian; then a
 * 16-bit −1 trailer).
 *
 * Why binary for the student-record import: text COPY makes the database parse every
 * number (`float4in`, `int2in`, …) and makes us print it first. Measured on PGlite 0.5 with
 * the 27-column `student_fitness` row, the database's CPU per row was 2.5–4 × lower for
 * binary than for CSV (docs/student-records.md "Performance"), and writing a float into a
 * buffer costs far less than `String(v)` plus UTF-8 encoding.
 *
 * The writer only encodes; the header and trailer are added by `copyBinary` in raw.ts, so
 * that one COPY statement can be fed from several writers' chunks. Each chunk owns its
 * ArrayBuffer (it can be transferred to the PGlite worker). The caller must write values
 * of exactly the column's type: `int4` for integer, `int2` for smallint, `float4` for
 * real, `float8` for double precision, `text` for text and char(n), `bool` for boolean —
 * PostgreSQL rejects a wrong width with "incorrect binary data format".
 *
 * Pure: bytes in memory only.
 */

/** `PGCOPY\n\377\r\n\0`, flags 0, no header extension. */
export const BINARY_COPY_HEADER: Uint8Array = Uint8Array.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** Field count −1: end of data. */
export const BINARY_COPY_TRAILER: Uint8Array = Uint8Array.from([0xff, 0xff]);

const HEX = Uint8Array.from([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
/** Byte value → its two lower-case hex digits (high digit in the low byte: `HEX2[v] & 255` first). */
const HEX2 = Uint16Array.from({ length: 256 }, (_, v) => (HEX[v >>> 4] as number) | ((HEX[v & 15] as number) << 8));

/** A binary COPY's outcome: rows copied, and the tuples' buffers, free to be written again (`BinaryCopyWriter.recycle`). */
export interface BinaryCopyResult {
  readonly rows: number;
  readonly buffers: ArrayBuffer[];
}

/**
 * The distinct ArrayBuffers under some views, to transfer between threads or hand back
 * for reuse (several chunks may share one; a SharedArrayBuffer is not transferable).
 */
export function distinctBuffers(views: ReadonlyArray<{ readonly buffer: ArrayBufferLike }>): ArrayBuffer[] {
  return [...new Set(views.map((v) => v.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/** No buffer yet: the first write takes a spare one or allocates (`newChunk`). */
const NO_BUFFER = new Uint8Array(0);

/** At most this many spare chunk buffers are kept for reuse (64 MiB at the default chunk size). */
const MAX_SPARE = 64;

export class BinaryCopyWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private chunks: Uint8Array[] = [];
  private readonly spare: ArrayBuffer[] = [];
  private readonly encoder = new TextEncoder();
  /** Tuples written since the last `take()`. */
  rows = 0;

  /** `chunkBytes`: size of each chunk handed to COPY (few, large chunks: each is a message). */
  constructor(private readonly chunkBytes = 1 << 20) {
    this.buf = NO_BUFFER;
    this.view = new DataView(NO_BUFFER.buffer);
  }

  /** Bytes written since the last `take()`. */
  get bytes(): number {
    let n = this.pos;
    for (const c of this.chunks) n += c.byteLength;
    return n;
  }

  /** Start a tuple of `fields` values. */
  row(fields: number): void {
    this.ensure(2);
    this.view.setInt16(this.pos, fields);
    this.pos += 2;
    this.rows += 1;
  }

  null(): void {
    this.ensure(4);
    this.view.setInt32(this.pos, -1);
    this.pos += 4;
  }

  /** smallint */
  int2(v: number): void {
    this.ensure(6);
    this.view.setInt32(this.pos, 2);
    this.view.setInt16(this.pos + 4, v);
    this.pos += 6;
  }

  /** integer */
  int4(v: number): void {
    this.ensure(8);
    this.view.setInt32(this.pos, 4);
    this.view.setInt32(this.pos + 4, v);
    this.pos += 8;
  }

  /**
   * real. The double is rounded to the nearest float32, as `float4in` rounds the decimal
   * text: for the short decimals of measurements (≤ 7 significant digits) both give the
   * same float.
   */
  float4(v: number): void {
    this.ensure(8);
    this.view.setInt32(this.pos, 4);
    this.view.setFloat32(this.pos + 4, v);
    this.pos += 8;
  }

  /** real, NULL for NaN (the importer's "missing"). */
  float4OrNull(v: number): void {
    if (v === v) this.float4(v);
    else this.null();
  }

  /** smallint, NULL for NaN. */
  int2OrNull(v: number): void {
    if (v === v) this.int2(v);
    else this.null();
  }

  /** double precision */
  float8(v: number): void {
    this.ensure(12);
    this.view.setInt32(this.pos, 8);
    this.view.setFloat64(this.pos + 4, v);
    this.pos += 12;
  }

  bool(v: boolean): void {
    this.ensure(5);
    this.view.setInt32(this.pos, 1);
    this.buf[this.pos + 4] = v ? 1 : 0;
    this.pos += 5;
  }

  /** text / char(n), UTF-8. */
  text(s: string): void {
    const n = s.length;
    const max = n * 3;
    this.ensure(4 + max);
    if (n <= 32) {
      // Short ASCII (codes, flags): byte by byte is cheaper than a call into the encoder.
      const b = this.buf;
      let p = this.pos + 4;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 127) break;
        b[p++] = c;
      }
      if (i === n) {
        this.view.setInt32(this.pos, n);
        this.pos = p;
        return;
      }
    }
    const { written } = this.encoder.encodeInto(s, this.buf.subarray(this.pos + 4, this.pos + 4 + max));
    this.view.setInt32(this.pos, written);
    this.pos += 4 + written;
  }

  /** text / char(n) already encoded as UTF-8 (a value repeated on every row, encoded once). */
  textBytes(utf8: Uint8Array): void {
    this.ensure(4 + utf8.length);
    this.view.setInt32(this.pos, utf8.length);
    this.buf.set(utf8, this.pos + 4);
    this.pos += 4 + utf8.length;
  }

  /** text: the lower-case hex of 8 big-endian 32-bit words (a SHA-256 digest), without making a string. */
  hexWords(words: Uint32Array): void {
    this.ensure(4 + 64);
    this.view.setInt32(this.pos, 64);
    let p = this.pos + 4;
    const b = this.buf;
    // Two digits per table read (a byte at a time): half the lookups of a digit at a time.
    for (let i = 0; i < 8; i++) {
      const v = words[i] as number;
      for (let j = 24; j >= 0; j -= 8) {
        const d = HEX2[(v >>> j) & 255] as number;
        b[p] = d & 255;
        b[p + 1] = d >>> 8;
        p += 2;
      }
    }
    this.pos = p;
  }

  /**
   * Buffers of chunks taken earlier and since copied (`BinaryCopyResult.buffers`), to write
   * into again. Why: a chunk's ArrayBuffer is memory outside the JS heap, and it travels
   * (parse worker → importer → PGlite worker); each thread that ends up holding freed ones
   * only gets them back through a full garbage collection, which V8 starts when such memory
   * grows. A 1.5 M-row import moves ~300 MB of chunks through the importer's main thread:
   * fresh buffers each time cost it a mark-compact every ~0.3 s (1.2 CPU-s in all).
   * Buffers of another size, or detached ones (byteLength 0), are ignored.
   */
  recycle(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) if (b.byteLength === this.chunkBytes && this.spare.length < MAX_SPARE) this.spare.push(b);
  }

  /** The chunks written so far (each its own ArrayBuffer); the writer starts afresh. */
  take(): Uint8Array[] {
    if (this.pos > 0) {
      this.chunks.push(this.buf.subarray(0, this.pos));
      // The next chunk's buffer is found when it is first written to: by then a spare may be back.
      this.buf = NO_BUFFER;
      this.view = new DataView(NO_BUFFER.buffer);
      this.pos = 0;
    }
    const out = this.chunks;
    this.chunks = [];
    this.rows = 0;
    return out;
  }

  private ensure(n: number): void {
    if (this.pos + n > this.buf.byteLength) this.newChunk(Math.max(this.chunkBytes, n));
  }

  /** Close the current chunk (when it holds anything) and start a fresh buffer of `bytes`. */
  private newChunk(bytes: number): void {
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    const spare = bytes === this.chunkBytes ? this.spare.pop() : undefined;
    this.buf = spare !== undefined ? new Uint8Array(spare) : new Uint8Array(bytes);
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
  }
}
