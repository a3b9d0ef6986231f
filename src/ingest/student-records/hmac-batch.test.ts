import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256Hex } from './fast-csv-hmac.ts';
import { mulberry32 } from '../../demo/random.ts';
import { HmacSha256Batch } from './hmac-batch.ts';

const hashKey = (k: Uint8Array): Uint8Array => createHash('sha256').update(k).digest();

/** A seeded PRNG: the same messages every run. */
const prng = mulberry32;

/** Random ASCII of length n: half letters (both cases), the rest any byte 0–127. */
function asciiMessage(rnd: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = rnd();
    b[i] = x < 0.25 ? 97 + Math.floor(rnd() * 26) : x < 0.5 ? 65 + Math.floor(rnd() * 26) : Math.floor(rnd() * 128);
  }
  return b;
}

function keyOf(length: number, seed: number): Buffer {
  const rnd = prng(seed);
  return Buffer.from(Array.from({ length }, () => Math.floor(rnd() * 256)));
}

/** What the batch must equal: Node's HMAC of the text upper-cased by String#toUpperCase. */
function expected(key: Uint8Array, b: Uint8Array): string {
  return createHmac('sha256', key).update(String.fromCharCode(...b).toUpperCase(), 'latin1').digest('hex');
}

function hexOf(words: Uint32Array, off = 0): string {
  return [...words.subarray(off, off + 8)].map((w) => w.toString(16).padStart(8, '0')).join('');
}

function newBatch(key: Uint8Array, capacity?: number): HmacSha256Batch {
  const batch = HmacSha256Batch.create(key, hashKey, capacity);
  if (batch === null) throw new Error('this Node has WebAssembly SIMD: create must not return null here');
  return batch;
}

/** Sets messages into slots 0…, runs, and checks every digest against createHmac. */
function runAndCheck(batch: HmacSha256Batch, key: Uint8Array, messages: Uint8Array[]): void {
  messages.forEach((m, i) => expect(batch.setUpperAscii(i, m, 0, m.length)).toBe(true));
  batch.run(messages.length);
  const out = new Uint32Array(8);
  messages.forEach((m, i) => {
    batch.digestInto(i, out);
    expect(hexOf(out), `message ${i} (${m.length} bytes, key ${key.length} bytes)`).toBe(expected(key, m));
  });
}

describe('HmacSha256Batch equals createHmac("sha256") of the upper-cased message', () => {
  it('creates on this runtime (WebAssembly SIMD) and rounds the capacity up to a multiple of 4', () => {
    expect(newBatch(Buffer.from('k')).capacity).toBe(1024);
    expect(newBatch(Buffer.from('k'), 5).capacity).toBe(8);
    expect(newBatch(Buffer.from('k'), 4).capacity).toBe(4);
    expect(() => HmacSha256Batch.create(Buffer.from('k'), hashKey, 0)).toThrow(RangeError);
  });

  it('a student number, upper- and lower-case, as the JS path computes it', () => {
    const key = Buffer.from('bench-pseudonym-key-not-secret-0001', 'utf8');
    const js = hmacSha256Hex(key, hashKey, (s) => createHmac('sha256', key).update(s).digest('hex'));
    const batch = newBatch(key);
    const numbers = ['G120101201705020010', 'g120101201705020010', 'L12010420100101001X', 'l12010420100101001x'].map((s) => Buffer.from(s, 'latin1'));
    runAndCheck(batch, key, numbers);
    numbers.forEach((m, i) => expect(batch.setUpperAscii(i, m, 0, m.length)).toBe(true));
    batch.run(numbers.length);
    const out = new Uint32Array(8);
    numbers.forEach((m, i) => {
      js.digestUpperAscii(m, 0, m.length);
      batch.digestInto(i, out);
      expect([...out]).toEqual([...js.words]);
    });
  });

  it('thousands of random messages of every length 0–55, keys of 0, 1, 16, 64, 65 and 200 bytes', () => {
    const rnd = prng(20240601);
    for (const keyLength of [0, 1, 16, 64, 65, 200]) {
      const key = keyOf(keyLength, keyLength + 1);
      const batch = newBatch(key);
      // Every length 0–55, in an order that puts different lengths side by side in a group.
      const messages = Array.from({ length: batch.capacity }, (_, i) => asciiMessage(rnd, (i * 7 + Math.floor(i / 56)) % 56));
      runAndCheck(batch, key, messages);
    }
  });

  it('batch sizes 1, 3, 5, 1023 and the capacity, slots reused across runs', () => {
    const rnd = prng(7);
    const key = keyOf(16, 99);
    const batch = newBatch(key);
    for (const n of [1, 3, 5, 1023, batch.capacity, 5, 1]) {
      runAndCheck(batch, key, Array.from({ length: n }, () => asciiMessage(rnd, Math.floor(rnd() * 56))));
    }
  });

  it('a capacity that is not a multiple of 4 (5 → 8), full and partial runs', () => {
    const rnd = prng(11);
    const key = keyOf(200, 3);
    const batch = newBatch(key, 5);
    runAndCheck(batch, key, Array.from({ length: 8 }, () => asciiMessage(rnd, Math.floor(rnd() * 56))));
    runAndCheck(batch, key, Array.from({ length: 5 }, () => asciiMessage(rnd, Math.floor(rnd() * 56))));
  });

  it('does not depend on stale data of an earlier, larger run, nor serve its digests', () => {
    const rnd = prng(5);
    const key = keyOf(64, 5);
    const batch = newBatch(key);
    runAndCheck(batch, key, Array.from({ length: batch.capacity }, () => asciiMessage(rnd, 55)));
    // Shorter messages, so stale words of the 55-byte ones would change the digests.
    const fresh = [Buffer.from('a'), Buffer.from(''), Buffer.from('G120101201705020010')];
    runAndCheck(batch, key, fresh);
    const out = new Uint32Array(8);
    for (const i of [3, 4, 100, batch.capacity - 1]) expect(() => batch.digestInto(i, out), `slot ${i}`).toThrow(RangeError);
    // A slot set but beyond n is not hashed, and is dropped by the run.
    expect(batch.setUpperAscii(0, fresh[0] as Uint8Array, 0, 1)).toBe(true);
    expect(batch.setUpperAscii(1, fresh[2] as Uint8Array, 0, 19)).toBe(true);
    batch.run(1);
    expect(() => batch.digestInto(1, out)).toThrow(RangeError);
    batch.run(2);
    expect(() => batch.digestInto(0, out)).toThrow(RangeError);
    expect(() => batch.digestInto(1, out)).toThrow(RangeError);
  });

  it('rejects non-ASCII bytes and messages over 55 bytes, leaving the slot untouched', () => {
    const key = keyOf(16, 8);
    const batch = newBatch(key);
    const abc = Buffer.from('abc');
    expect(batch.setUpperAscii(0, abc, 0, 3)).toBe(true);
    for (const bad of [0x80, 0xc3, 0xff]) {
      for (const at of [0, 5, 18]) {
        const m = Buffer.from('G120101201705020010', 'latin1');
        m[at] = bad;
        expect(batch.setUpperAscii(0, m, 0, m.length), `byte ${bad} at ${at}`).toBe(false);
      }
    }
    expect(batch.setUpperAscii(0, Buffer.from('学籍号', 'utf8'), 0, 9)).toBe(false);
    expect(batch.setUpperAscii(0, Buffer.alloc(56, 0x41), 0, 56)).toBe(false);
    expect(batch.setUpperAscii(1, Buffer.alloc(56, 0x41), 0, 56)).toBe(false);
    expect(batch.setUpperAscii(2, Buffer.alloc(55, 0x41), 0, 55)).toBe(true);
    batch.run(3);
    const out = new Uint32Array(8);
    batch.digestInto(0, out);
    expect(hexOf(out)).toBe(expected(key, abc));
    expect(() => batch.digestInto(1, out)).toThrow(RangeError);
    batch.digestInto(2, out);
    expect(hexOf(out)).toBe(expected(key, Buffer.alloc(55, 0x41)));
  });

  it('reads b[start, end) of a larger buffer (with a byteOffset), and writes at digestInto offsets', () => {
    const rnd = prng(13);
    const key = keyOf(1, 13);
    const batch = newBatch(key);
    const pool = new Uint8Array(4096);
    const b = pool.subarray(7, 4000);
    const spans: [number, number][] = [];
    let at = 3;
    for (let i = 0; i < 40; i++) {
      const m = asciiMessage(rnd, i % 56);
      b.set(m, at);
      spans.push([at, at + m.length]);
      at += m.length + 1;
    }
    spans.forEach(([s, e], i) => expect(batch.setUpperAscii(i, b, s, e)).toBe(true));
    batch.run(spans.length);
    const out = new Uint32Array(5 + 8 * spans.length + 5).fill(0xdeadbeef);
    spans.forEach((_, i) => batch.digestInto(i, out, 5 + 8 * i));
    spans.forEach(([s, e], i) => expect(hexOf(out, 5 + 8 * i)).toBe(expected(key, b.subarray(s, e))));
    expect([...out.subarray(0, 5), ...out.subarray(out.length - 5)]).toEqual(Array(10).fill(0xdeadbeef));
    expect(() => batch.digestInto(0, out, out.length - 7)).toThrow(RangeError);
  });

  it('throws on slots, byte ranges and run sizes out of bounds', () => {
    const batch = newBatch(Buffer.from('k'), 8);
    const m = Buffer.from('abc');
    expect(() => batch.setUpperAscii(8, m, 0, 3)).toThrow(RangeError);
    expect(() => batch.setUpperAscii(-1, m, 0, 3)).toThrow(RangeError);
    expect(() => batch.setUpperAscii(1.5, m, 0, 3)).toThrow(RangeError);
    expect(() => batch.setUpperAscii(0, m, 0, 4)).toThrow(RangeError);
    expect(() => batch.setUpperAscii(0, m, 2, 1)).toThrow(RangeError);
    expect(() => batch.setUpperAscii(0, m, -1, 2)).toThrow(RangeError);
    expect(() => batch.run(9)).toThrow(RangeError);
    expect(() => batch.run(-1)).toThrow(RangeError);
    batch.run(0);
    expect(() => batch.digestInto(0, new Uint32Array(8))).toThrow(RangeError);
  });
});
