/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) of short ASCII strings, for pseudonymising 1.5 M
 * student numbers per import. Node's `createHmac` costs several microseconds per call
 * (object set-up and the JS↔C++ crossing outweigh the two SHA-256 blocks of work), more
 * than anything else a row needs. Here the key's inner and outer pad states
 * (the "midstates" after the first block, H(K⊕ipad) and H(K⊕opad)) are computed once; a
 * student number of at most 55 bytes is then exactly one more block for the inner hash
 * and one for the outer hash: two compressions, no allocation, same output as
 * `createHmac('sha256', key).update(s).digest('hex')` (tested against it).
 *
 * Longer or non-ASCII input goes through the generic path supplied by the caller, so the
 * function is total. Pure: no I/O.
 */

/** FIPS 180-4 §4.2.2: the 64 round constants. */
export const SHA256_K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H0 = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** One SHA-256 compression: `state` (8 words) updated in place with the 16-word block `w[0..15]` (w has 64 slots). */
function compress(state: Uint32Array, w: Uint32Array): void {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15] as number;
    const y = w[i - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
  }
  let a = state[0] as number, b = state[1] as number, c = state[2] as number, d = state[3] as number;
  let e = state[4] as number, f = state[5] as number, g = state[6] as number, h = state[7] as number;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + (SHA256_K[i] as number) + (w[i] as number)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  state[0] = ((state[0] as number) + a) | 0; state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0; state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0; state[5] = ((state[5] as number) + f) | 0;
  state[6] = ((state[6] as number) + g) | 0; state[7] = ((state[7] as number) + h) | 0;
}

const HEX_DIGITS = new Uint16Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
const hexCodes = new Uint16Array(64);

/**
 * Lower-case hex of the 8 state words (big-endian), as `digest('hex')` writes it. Built in
 * one `fromCharCode` call: a flat 64-character string. (Concatenating 32 pieces made a
 * tree of 31 cons-strings per pseudonym, about 1 KB each in the duplicate-check set.)
 */
function hexOf(s: Uint32Array): string {
  for (let i = 0; i < 8; i++) {
    const v = s[i] as number;
    for (let j = 0; j < 8; j++) hexCodes[i * 8 + j] = HEX_DIGITS[(v >>> (28 - 4 * j)) & 15] as number;
  }
  return String.fromCharCode.apply(null, hexCodes as unknown as number[]);
}

/** Longest message that fits one block with its padding (64 − 1 byte 0x80 − 8 bytes length). */
export const ONE_BLOCK_MAX = 55;

/**
 * A keyed HMAC-SHA256 → hex function. `keyBytes` is the key as bytes (keys longer than
 * the 64-byte block are hashed first, RFC 2104 §2, by `hashKey`). `generic` is used for
 * inputs outside the one-block ASCII case.
 */
export interface HmacHex {
  (s: string): string;
  /** As the call, without making the hex string: the digest is left in `words`. */
  readonly digest: (s: string) => void;
  /**
   * As `digest(text.toUpperCase())` for the text in `bytes[start, end)`, read from the
   * bytes (the importer's byte path: no string per student number). Bytes that are not
   * ASCII, or more than one block of them, go through the text path after UTF-8 decoding.
   */
  readonly digestUpperAscii: (bytes: Uint8Array, start: number, end: number) => void;
  /** The last digest as 8 big-endian words (overwritten by the next call). */
  readonly words: Uint32Array;
}

/**
 * The HMAC key's pad states (RFC 2104 §2): the SHA-256 state after the one block K⊕ipad
 * (`inner`) and after K⊕opad (`outer`). Keys longer than the 64-byte block are hashed
 * first, by `hashKey`. HMAC(K, m) is then SHA-256 continued from `inner` over m, and from
 * `outer` over that digest.
 */
export function hmacPadStates(keyBytes: Uint8Array, hashKey: (k: Uint8Array) => Uint8Array): { readonly inner: Uint32Array; readonly outer: Uint32Array } {
  const key = new Uint8Array(64);
  key.set(keyBytes.length > 64 ? hashKey(keyBytes) : keyBytes);
  const w = new Uint32Array(64);
  const midstate = (pad: number): Uint32Array => {
    const st = Uint32Array.from(H0);
    for (let i = 0; i < 16; i++) {
      w[i] = (((key[4 * i] as number) ^ pad) << 24) | (((key[4 * i + 1] as number) ^ pad) << 16) | (((key[4 * i + 2] as number) ^ pad) << 8) | ((key[4 * i + 3] as number) ^ pad);
    }
    compress(st, w);
    return st;
  };
  return { inner: midstate(0x36), outer: midstate(0x5c) };
}

export function hmacSha256Hex(keyBytes: Uint8Array, hashKey: (k: Uint8Array) => Uint8Array, generic: (s: string) => string): HmacHex {
  const { inner, outer } = hmacPadStates(keyBytes, hashKey);
  const w = new Uint32Array(64);
  const st = new Uint32Array(8);
  const viaGeneric = (s: string): void => {
    const hex = generic(s);
    for (let i = 0; i < 8; i++) st[i] = Number.parseInt(hex.slice(8 * i, 8 * i + 8), 16);
  };
  const digest = (s: string): void => {
    const n = s.length;
    if (n > ONE_BLOCK_MAX) { viaGeneric(s); return; }
    w.fill(0, 0, 16);
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) { viaGeneric(s); return; }
      w[i >> 2] = (w[i >> 2] as number) | (c << (24 - 8 * (i & 3)));
    }
    finish(n);
  };
  const viaText = (bytes: Uint8Array, start: number, end: number): void => {
    digest(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8').toUpperCase());
  };
  const digestUpperAscii = (bytes: Uint8Array, start: number, end: number): void => {
    const n = end - start;
    if (n > ONE_BLOCK_MAX) { viaText(bytes, start, end); return; }
    w.fill(0, 0, 16);
    for (let i = 0; i < n; i++) {
      let c = bytes[start + i] as number;
      if (c > 127) { viaText(bytes, start, end); return; }
      if (c >= 97 && c <= 122) c -= 32; // a–z → A–Z, as toUpperCase does for ASCII
      w[i >> 2] = (w[i >> 2] as number) | (c << (24 - 8 * (i & 3)));
    }
    finish(n);
  };
  /** Padding, length, and the two compressions, for an n-byte message already in w[0…]. */
  const finish = (n: number): void => {
    w[n >> 2] = (w[n >> 2] as number) | (0x80 << (24 - 8 * (n & 3)));
    // Length in bits of everything hashed: the 64-byte pad block plus the message.
    w[15] = (64 + n) * 8;
    st.set(inner);
    compress(st, w);
    // Outer: H(K⊕opad ‖ inner digest) — 32 bytes of digest, then padding, total 96 bytes.
    for (let i = 0; i < 8; i++) w[i] = st[i] as number;
    w[8] = 0x80000000;
    w.fill(0, 9, 15);
    w[15] = (64 + 32) * 8;
    st.set(outer);
    compress(st, w);
  };
  const fn = (s: string): string => {
    digest(s);
    return hexOf(st);
  };
  return Object.assign(fn, { digest, digestUpperAscii, words: st });
}

/**
 * A set of 256-bit digests: the importer's duplicate-student check over 1.5 M pseudonyms.
 * A Set of hex strings would be ~200 MB of small heap objects that every major GC has to
 * mark. Here the digests are kept densely in the order they were added (`words`, 32 bytes
 * each, which the parse workers hand on as their first occurrences), and an open-addressing
 * index (linear probing) holds per slot only the digest's first word and its position:
 * 8 bytes a slot instead of 32, so a probe touches a quarter of the memory (a 750,000-digest
 * shard: a 16 MB index instead of a 64 MB table). Exact: a slot whose first word matches is
 * confirmed on all 256 bits.
 */
export class DigestSet {
  /** The digests in the order they were added: digest k is `words[8k … 8k+7]`. */
  words: Uint32Array;
  /** Two words a slot: the digest's first word, and its position + 1 (0 = empty slot). */
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  /** `expected`: number of digests expected (sizes both arrays once; they still grow past it). */
  constructor(expected = 1 << 16) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    this.words = new Uint32Array(8 * Math.max(1024, expected));
  }

  get size(): number { return this.count; }

  /** Add the digest `d[off … off+7]`; false when it was already present. */
  add(d: Uint32Array, off = 0): boolean {
    const p = this.probe(d, off);
    if (p >= 0) return false;
    if (this.count * 8 === this.words.length) {
      const words = new Uint32Array(this.words.length * 2);
      words.set(this.words);
      this.words = words;
    }
    for (let i = 0; i < 8; i++) this.words[this.count * 8 + i] = d[off + i] as number;
    this.count += 1;
    const at = ~p * 2;
    this.slots[at] = d[off] as number;
    this.slots[at + 1] = this.count;
    // Keep at most half the slots used: probes stay short.
    if (this.count * 2 > this.mask + 1) this.grow();
    return true;
  }

  /** Whether the digest `d[off … off+7]` is present. */
  has(d: Uint32Array, off = 0): boolean {
    return this.probe(d, off) >= 0;
  }

  /**
   * Linear probing for the digest `d[off … off+7]`: its slot when present (≥ 0), else
   * `~slot` of the empty slot where it would go. The digest is uniformly random already:
   * its first word is a good slot index.
   */
  private probe(d: Uint32Array, off: number): number {
    const { slots, mask, words } = this;
    const first = d[off] as number;
    let slot = first & mask;
    for (;;) {
      const at = slot * 2;
      const ref = slots[at + 1] as number;
      if (ref === 0) return ~slot;
      if (slots[at] === first) {
        const base = (ref - 1) * 8;
        let same = true;
        for (let i = 1; i < 8; i++) {
          if (words[base + i] !== d[off + i]) { same = false; break; }
        }
        if (same) return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Twice the slots, refilled from the dense digests. */
  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const slots = new Uint32Array(cap * 2);
    const mask = cap - 1;
    const words = this.words;
    for (let k = 0; k < this.count; k++) {
      const first = words[k * 8] as number;
      let slot = first & mask;
      while (slots[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
      slots[slot * 2] = first;
      slots[slot * 2 + 1] = k + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
