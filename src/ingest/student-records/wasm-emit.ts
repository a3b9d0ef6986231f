/**
 * A tiny WebAssembly binary emitter: just enough to build a small module from TypeScript at
 * load time (no toolchain, no committed binary). Encodings follow the WebAssembly core
 * specification, "Binary Format" (https://webassembly.github.io/spec/core/binary/), and the
 * fixed-width SIMD proposal (0xFD prefix, now part of WebAssembly 2.0). Pure: no I/O.
 */

/** Unsigned LEB128 (spec §5.2.2), for sizes, counts, indices and SIMD sub-opcodes. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (spec §5.2.2), for i32.const immediates (32-bit values, any sign). */
export function sleb(n: number): number[] {
  n |= 0;
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) { out.push(byte); return out; }
    out.push(byte | 0x80);
  }
}

/** A name as a UTF-8 byte vector. */
function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

/** A vector: its length, then its items' bytes. */
function vec(items: readonly number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** Value types (spec §5.3.1). */
export const I32 = 0x7f;
export const V128 = 0x7b;

/** The SIMD instructions used here: 0xFD prefix, then the sub-opcode as unsigned LEB128. */
export const Simd = {
  v128Load: 0x00,
  v128Store: 0x0b,
  v128Const: 0x0c,
  v128And: 0x4e,
  v128Or: 0x50,
  v128Xor: 0x51,
  i32x4Shl: 0xab,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
} as const;

/** Builds one function body: locals and an instruction stream. */
export class Code {
  readonly bytes: number[] = [];
  /** Number of parameters: locals declared with `local()` are numbered after them. */
  private readonly locals: number[] = [];

  constructor(private readonly paramCount: number) {}

  /** Declares a local of type `t`; returns its index. */
  local(t: number): number {
    this.locals.push(t);
    return this.paramCount + this.locals.length - 1;
  }

  op(...b: number[]): this { this.bytes.push(...b); return this; }
  get(i: number): this { return this.op(0x20, ...uleb(i)); }
  set(i: number): this { return this.op(0x21, ...uleb(i)); }
  tee(i: number): this { return this.op(0x22, ...uleb(i)); }
  i32Const(n: number): this { return this.op(0x41, ...sleb(n)); }
  i32Add(): this { return this.op(0x6a); }
  i32GeU(): this { return this.op(0x4f); }
  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  br(depth: number): this { return this.op(0x0c, ...uleb(depth)); }
  brIf(depth: number): this { return this.op(0x0d, ...uleb(depth)); }
  end(): this { return this.op(0x0b); }

  simd(sub: number): this { return this.op(0xfd, ...uleb(sub)); }
  /** v128.load / v128.store at [address on the stack + offset], 16-byte aligned (memarg align = log2 16). */
  v128Load(offset: number): this { return this.simd(Simd.v128Load).op(4, ...uleb(offset)); }
  v128Store(offset: number): this { return this.simd(Simd.v128Store).op(4, ...uleb(offset)); }
  /** v128.const with the same 32-bit value in all four lanes (16 little-endian bytes). */
  v128Splat32(v: number): this {
    this.simd(Simd.v128Const);
    for (let lane = 0; lane < 4; lane++) this.op(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    return this;
  }

  /** The body as the code section wants it: size, local declarations (one run per local), instructions, `end`. */
  encode(): number[] {
    const body = [...vec(this.locals.map((t) => [1, t])), ...this.bytes, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

export interface ModuleSpec {
  /** Imported linear memory `env.memory` with at least this many 64 KiB pages. */
  readonly memoryMinPages: number;
  /** Exported functions: name, parameter and result types, body. */
  readonly funcs: readonly { readonly name: string; readonly params: readonly number[]; readonly results: readonly number[]; readonly code: Code }[];
}

/** A module (spec §5.5): magic, version, then the type, import, function, export and code sections. */
export function emitModule(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
  const types = spec.funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(spec.memoryMinPages)]])),
    ...section(3, vec(spec.funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(spec.funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(spec.funcs.map((f) => f.code.encode()))),
  ];
  return new Uint8Array(bytes);
}
