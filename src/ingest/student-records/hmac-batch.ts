/**
 * Batched HMAC-SHA256 (RFC 2104) of short ASCII strings in WebAssembly SIMD128: four
 * messages at once, one per i32x4 lane, many per call. The importer's student numbers are
 * at most 55 bytes, so with the key's pad states precomputed (`hmacPadStates`) each HMAC
 * is exactly two SHA-256 compressions (FIPS 180-4 §6.2.2): the inner one over the padded
 * message block, continued from H(K⊕ipad), and the outer one over the 32-byte inner digest,
 * continued from H(K⊕opad). Same output as `createHmac('sha256', key).update(upper(s))`.
 *
 * The module is generated here at load time (see wasm-emit.ts; no binary is committed),
 * compiled once per thread and cached; each batch has its own memory and instance.
 * Pure: no I/O, no clock, no randomness.
 */
import { hmacPadStates, ONE_BLOCK_MAX, SHA256_K as K } from './fast-csv-hmac.ts';
import { Code, I32, Simd, V128, emitModule } from './wasm-emit.ts';

/**
 * Memory layout (bytes). A "group" is four messages, lanes 0–3; its block is stored
 * transposed, word j of the four messages in the 16 bytes at 16·j, so one v128.load
 * gets word j of all four. Words are host (little-endian) u32 values of the big-endian
 * SHA-256 words: JS writes them through a Uint32Array and WASM loads i32 lanes, no swap.
 *   [0, 128)        the inner pad state H(K⊕ipad), word j in all four lanes at 16·j
 *   [128, 256)      the outer pad state H(K⊕opad), likewise
 *   [256, 1280)     kernel scratch: the message schedule W_0…W_63 of the current block
 *   [1280, 2304)    kernel scratch: W_t + K_t for the 64 rounds
 *   [2304, …)       message blocks, 256 bytes a group (capacity / 4 groups), then
 *                   digests, 128 bytes a group (word j of the four at 16·j)
 */
const INNER = 0;
const OUTER = 128;
const SCRATCH_W = 256;
const SCRATCH_WK = SCRATCH_W + 64 * 16;
const HEAP_BASE = SCRATCH_WK + 64 * 16;
const GROUP_BLOCK = 256;
const GROUP_DIGEST = 128;

/** A word known when the module is generated (the same in all four lanes), or code that pushes a v128. */
type Val = number | (() => void);

const rotr32 = (x: number, n: number): number => ((x >>> n) | (x << (32 - n))) >>> 0;

/**
 * The kernel: `hash(msg, msgEnd, out)` hashes the groups whose blocks are at msg, msg+256,
 * … (< msgEnd), writing their digests at out, out+128, …. One function, a loop over
 * groups, both compressions unrolled (64 rounds each), so the round constants are
 * immediates, and words known at generation time (the outer block's padding and length)
 * fold into them. Shaped for V8's optimising compiler, which orders independent
 * instructions without weighing register pressure, so that few values spill to the stack
 * (docs/student-records.md "Performance"): the message schedule is computed first, through
 * scratch memory, rather than interleaved with the rounds in 16 more v128 locals; and Σ/σ
 * are computed as two shift chains (see `sigma`).
 */
function buildModule(): Uint8Array<ArrayBuffer> {
  const c = new Code(3);
  const [msg, msgEnd, out] = [0, 1, 2];
  const v = Array.from({ length: 8 }, () => c.local(V128)); // working variables a…h
  const [tmp, t1] = [c.local(V128), c.local(V128)];
  const wl = [c.local(V128), c.local(V128)];
  let ab = c.local(V128); // a ⊕ b of this round, which is b ⊕ c of the next
  let bc = c.local(V128);

  /** A constant in all four lanes: an immediate (v128.const). */
  const konst = (x: number): void => { c.v128Splat32(x); };
  const add = (): void => { c.simd(Simd.i32x4Add); };
  const local = (x: number): Val => () => { c.get(x); };
  const load = (address: number): Val => () => { c.i32Const(0).v128Load(address); };
  /**
   * Pushes the sum of `terms` (i32x4.add), constants folded into one (added right after the
   * first non-constant term, off the critical path). All constant: returns it, emits nothing.
   */
  const sum = (terms: Val[]): number | null => {
    let k = 0;
    const code: (() => void)[] = [];
    for (const x of terms) {
      if (typeof x === 'number') k = (k + x) >>> 0;
      else code.push(x);
    }
    const [first, ...rest] = code;
    if (first === undefined) return k;
    first();
    if (k !== 0) { konst(k); add(); }
    for (const x of rest) { x(); add(); }
    return null;
  };
  /**
   * ROTR^r1(x) ⊕ ROTR^r2(x) ⊕ (ROTR or SHR)^r3(x): Σ0, Σ1, σ0, σ1 of FIPS 180-4 §4.1.2
   * (4.4)–(4.7). SIMD128 has no rotate: ROTR^n(x) = (x >>> n) | (x << 32 − n), and as the
   * halves do not overlap, the ⊕ of the three is the ⊕ of all right shifts ⊕ the ⊕ of all
   * left shifts. Each of those is one chain, x>>>s1 ⊕ x>>>s2 ⊕ x>>>s3 =
   * ((((x >>> s3−s2) ⊕ x) >>> s2−s1) ⊕ x) >>> s1, which keeps just one value live besides
   * x (V8 spills when six shifts are computed side by side).
   */
  const sigma = (x: Val, r1: number, r2: number, r3: number, shr3 = false): Val => {
    if (typeof x === 'number') return (rotr32(x, r1) ^ rotr32(x, r2) ^ (shr3 ? x >>> r3 : rotr32(x, r3))) >>> 0;
    const right = [r1, r2, r3].sort((p, q) => p - q);
    const left = (shr3 ? [r1, r2] : [r1, r2, r3]).map((n) => 32 - n).sort((p, q) => p - q);
    const chain = (amounts: number[], op: number): void => {
      c.get(tmp);
      for (let i = amounts.length - 1; i >= 0; i--) {
        c.i32Const((amounts[i] as number) - (amounts[i - 1] ?? 0)).simd(op);
        if (i > 0) c.get(tmp).simd(Simd.v128Xor);
      }
    };
    return () => {
      x();
      c.set(tmp);
      chain(right, Simd.i32x4ShrU);
      chain(left, Simd.i32x4Shl);
      c.simd(Simd.v128Xor);
    };
  };

  /**
   * FIPS 180-4 §6.2.2 for one block, words w[0…15], from the state at address `state`.
   * Returns a function pushing word j of the new state (step 4's sum).
   */
  const compress = (state: number, w: Val[]): ((j: number) => void) => {
    // Step 1 (6.6): W_t = σ1(W_t−2) + W_t−7 + σ0(W_t−15) + W_t−16 for t ≥ 16, first, all 64
    // into scratch (W_t + K_t, what the rounds use; and W_t itself for the later W's). The
    // newest two W's are also kept in locals: σ1 needs W_t−2 at once.
    const W = [...w];
    const WK: Val[] = [];
    const recent: Val[] = [];
    for (let t = 0; t < 64; t++) {
      if (t >= 16) {
        const terms = [W[t - 16] as Val, sigma(W[t - 15] as Val, 7, 18, 3, true), W[t - 7] as Val, sigma(recent[t - 2] ?? W[t - 2] as Val, 17, 19, 10, true)];
        if (terms.every((x) => typeof x === 'number')) {
          W[t] = sum(terms) as number;
        } else {
          const keep = wl[t % 2] as number;
          c.i32Const(0).i32Const(0);
          sum(terms);
          c.tee(keep).v128Store(SCRATCH_W + 16 * t);
          W[t] = load(SCRATCH_W + 16 * t);
          recent[t] = local(keep);
          sum([recent[t] as Val, K[t] as number]);
          c.v128Store(SCRATCH_WK + 16 * t);
          WK[t] = load(SCRATCH_WK + 16 * t);
          continue;
        }
      }
      const x = W[t] as Val;
      if (typeof x === 'number') {
        WK[t] = (x + (K[t] as number)) >>> 0;
      } else {
        c.i32Const(0);
        sum([x, K[t] as number]);
        c.v128Store(SCRATCH_WK + 16 * t);
        WK[t] = load(SCRATCH_WK + 16 * t);
      }
    }

    // Steps 2–3: the 64 rounds.
    for (let j = 0; j < 8; j++) c.i32Const(0).v128Load(state + 16 * j).set(v[j] as number);
    const r = [...v]; // r[0…7]: the locals holding a…h this round (renamed each round, not moved)
    c.get(r[1] as number).get(r[2] as number).simd(Simd.v128Xor).set(bc);
    for (let t = 0; t < 64; t++) {
      const [a, b, , d, e, f, g, h] = r as [number, number, number, number, number, number, number, number];
      // T1 = h + (K_t + W_t) + Ch(e, f, g) + Σ1(e), with Ch(e, f, g) = ((f ⊕ g) ∧ e) ⊕ g.
      const ch = (): void => { c.get(f).get(g).simd(Simd.v128Xor).get(e).simd(Simd.v128And).get(g).simd(Simd.v128Xor); };
      sum([local(h), WK[t] as Val, ch, sigma(local(e), 6, 11, 25)]);
      c.tee(t1);
      // e ← d + T1, into d's local.
      c.get(d); add(); c.set(d);
      // a ← T1 + T2, T2 = Maj(a, b, c) + Σ0(a), Maj = ((a ⊕ b) ∧ (b ⊕ c)) ⊕ b; into h's local.
      const maj = (): void => { c.get(a).get(b).simd(Simd.v128Xor).tee(ab).get(bc).simd(Simd.v128And).get(b).simd(Simd.v128Xor); };
      sum([local(t1), maj, sigma(local(a), 2, 13, 22)]);
      c.set(h);
      [ab, bc] = [bc, ab];
      r.unshift(r.pop() as number); // (a, b, …, h) ← (T1 + T2, a, …, g); e's local was d's
    }
    // Step 4: H_j ← (working variable) + H_j.
    return (j) => { sum([local(r[j] as number), load(state + 16 * j)]); };
  };

  c.block().loop();
  c.get(msg).get(msgEnd).i32GeU().brIf(1);
  const inner = compress(INNER, Array.from({ length: 16 }, (_, j): Val => () => { c.get(msg).v128Load(16 * j); }));
  // The outer block: the 32-byte inner digest (via scratch W_0…W_7), 0x80, zeros, length (64 + 32) · 8 bits.
  for (let j = 0; j < 8; j++) { c.i32Const(0); inner(j); c.v128Store(SCRATCH_W + 16 * j); }
  const outer = compress(OUTER, [...Array.from({ length: 8 }, (_, j) => load(SCRATCH_W + 16 * j)), 0x80000000, 0, 0, 0, 0, 0, 0, (64 + 32) * 8]);
  for (let j = 0; j < 8; j++) { c.get(out); outer(j); c.v128Store(16 * j); }
  c.get(msg).i32Const(GROUP_BLOCK).i32Add().set(msg);
  c.get(out).i32Const(GROUP_DIGEST).i32Add().set(out);
  c.br(0).end().end();

  return emitModule({ memoryMinPages: 1, funcs: [{ name: 'hash', params: [I32, I32, I32], results: [], code: c }] });
}

let compiled: WebAssembly.Module | null | undefined;

/** The module, compiled on first use and cached for this thread; null without WebAssembly SIMD. */
function kernel(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = null;
    if (typeof WebAssembly === 'object') {
      const bytes = buildModule();
      try {
        if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
      } catch {
        compiled = null;
      }
    }
  }
  return compiled;
}

/**
 * ASCII a–z → A–Z in the four bytes of x (each ≤ 0x7f), as String#toUpperCase does for
 * ASCII; other bytes unchanged. Per byte: + 0x1f sets bit 7 from 'a' (0x61) up, + 0x05 from
 * '{' (0x7b) up, without carries between bytes; those in between lose 0x20.
 */
function upper4(x: number): number {
  const lower = ((x + 0x1f1f1f1f) | 0) & ~((x + 0x05050505) | 0) & 0x80808080;
  return x - (lower >>> 2);
}

/**
 * HMAC-SHA256 with one key of up to `capacity` messages per `run`. Usage: `setUpperAscii`
 * each message into slots 0 … n−1, `run(n)`, then `digestInto` each slot. A slot's digest
 * is readable only after a run that follows its `setUpperAscii` (checked: `digestInto`
 * throws otherwise), so a smaller run never returns a stale digest of a larger one.
 */
export class HmacSha256Batch {
  /** Messages per run (a multiple of 4). */
  readonly capacity: number;
  private readonly mem: Uint32Array;
  private readonly hash: (msg: number, msgEnd: number, out: number) => void;
  private readonly outBase: number;
  /** 1 for a slot set since the last run. */
  private readonly pending: Uint8Array;
  /** 1 for a slot whose digest the last run computed. */
  private readonly ready: Uint8Array;
  /** setUpperAscii's message words, before they are checked. */
  private readonly words = new Int32Array(16);

  private constructor(module: WebAssembly.Module, inner: Uint32Array, outer: Uint32Array, capacity: number) {
    this.capacity = capacity;
    this.outBase = HEAP_BASE + (capacity / 4) * GROUP_BLOCK;
    const bytes = this.outBase + (capacity / 4) * GROUP_DIGEST;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    this.hash = instance.exports.hash as (msg: number, msgEnd: number, out: number) => void;
    this.mem = new Uint32Array(memory.buffer);
    for (let j = 0; j < 8; j++) {
      for (let lane = 0; lane < 4; lane++) {
        this.mem[(INNER >> 2) + 4 * j + lane] = inner[j] as number;
        this.mem[(OUTER >> 2) + 4 * j + lane] = outer[j] as number;
      }
    }
    this.pending = new Uint8Array(capacity);
    this.ready = new Uint8Array(capacity);
  }

  /** Generate and compile the module for this thread now (~50 ms), not at the first `create`. False without WebAssembly SIMD. */
  static prepare(): boolean {
    return kernel() !== null;
  }

  /**
   * A batch for the key `keyBytes` (keys longer than 64 bytes are hashed first by `hashKey`,
   * RFC 2104 §2). `capacity` is rounded up to a multiple of 4. Null when this runtime lacks
   * WebAssembly SIMD: the caller then uses its JS path.
   */
  static create(keyBytes: Uint8Array, hashKey: (k: Uint8Array) => Uint8Array, capacity = 1024): HmacSha256Batch | null {
    if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > 1 << 20) throw new RangeError(`capacity must be an integer 1 … 2^20, got ${capacity}`);
    const module = kernel();
    if (module === null) return null;
    const { inner, outer } = hmacPadStates(keyBytes, hashKey);
    return new HmacSha256Batch(module, inner, outer, Math.ceil(capacity / 4) * 4);
  }

  /**
   * Puts message i = the ASCII bytes `b[start, end)`, a–z upper-cased. False, and slot i
   * untouched, when a byte is > 127 or the message is longer than 55 bytes: the caller
   * hashes that one on its own path. Throws on a slot or range out of bounds.
   */
  setUpperAscii(i: number, b: Uint8Array, start: number, end: number): boolean {
    if (i >>> 0 !== i || i >= this.capacity) throw new RangeError(`slot ${i} outside 0 … ${this.capacity - 1}`);
    if (start >>> 0 !== start || end >>> 0 !== end || start > end || end > b.length) throw new RangeError(`bytes [${start}, ${end}) outside 0 … ${b.length}`);
    const n = end - start;
    if (n > ONE_BLOCK_MAX) return false;
    // The message's words (big-endian; the last 0–3 bytes in `tail`), checked for bytes > 127
    // before slot i is written.
    const words = this.words;
    let any = 0;
    let j = 0;
    let k = start;
    for (; k + 4 <= end; k += 4, j++) {
      const w = ((b[k] as number) << 24) | ((b[k + 1] as number) << 16) | ((b[k + 2] as number) << 8) | (b[k + 3] as number);
      words[j] = w;
      any |= w;
    }
    let tail = 0;
    let shift = 24;
    for (; k < end; k++, shift -= 8) tail |= (b[k] as number) << shift;
    if (((any | tail) & 0x80808080) !== 0) return false;
    const m = this.mem;
    // Word j of slot i: group i >> 2 (64 words a group), lane i & 3, stride 4 words.
    let p = (HEAP_BASE >> 2) + ((i >> 2) << 6) + (i & 3);
    const word15 = p + 60;
    for (let q = 0; q < j; q++, p += 4) m[p] = upper4(words[q] as number);
    // The tail, then the 0x80 that ends the message (FIPS 180-4 §5.1.1), then zeros.
    m[p] = upper4(tail) | (0x80 << shift);
    for (p += 4; p < word15; p += 4) m[p] = 0;
    // Length in bits of all that the inner hash covers: the 64-byte K⊕ipad block and the message.
    m[word15] = (64 + n) * 8;
    this.pending[i] = 1;
    return true;
  }

  /**
   * Hashes messages 0 … n−1. Afterwards a slot's digest is readable if the slot is < n and
   * was set since the previous run; every slot is unset again (those ≥ n are dropped).
   */
  run(n: number): void {
    if (n >>> 0 !== n || n > this.capacity) throw new RangeError(`run(${n}) outside 0 … ${this.capacity}`);
    const groups = Math.ceil(n / 4);
    this.hash(HEAP_BASE, HEAP_BASE + groups * GROUP_BLOCK, this.outBase);
    this.ready.set(this.pending.subarray(0, n));
    this.ready.fill(0, n);
    this.pending.fill(0);
  }

  /** Digest i of the last run as 8 big-endian 32-bit words (as `hmacSha256Hex`'s `words`) into out[off … off+7]. */
  digestInto(i: number, out: Uint32Array, off = 0): void {
    if (this.ready[i] !== 1) throw new RangeError(`slot ${i} has no digest: not set before the last run`);
    if (off >>> 0 !== off || off + 8 > out.length) throw new RangeError(`out[${off} … ${off + 7}] outside 0 … ${out.length - 1}`);
    const m = this.mem;
    const p = (this.outBase >> 2) + ((i >> 2) << 5) + (i & 3);
    out[off] = m[p] as number; out[off + 1] = m[p + 4] as number;
    out[off + 2] = m[p + 8] as number; out[off + 3] = m[p + 12] as number;
    out[off + 4] = m[p + 16] as number; out[off + 5] = m[p + 20] as number;
    out[off + 6] = m[p + 24] as number; out[off + 7] = m[p + 28] as number;
  }
}
