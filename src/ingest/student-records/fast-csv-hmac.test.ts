import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DigestSet, hmacSha256Hex } from './fast-csv-hmac.ts';

function both(keyText: string): { fast: (s: string) => string; node: (s: string) => string; genericCalls: () => number } {
  const key = Buffer.from(keyText, 'utf8');
  const node = (s: string): string => createHmac('sha256', key).update(s).digest('hex');
  let calls = 0;
  const fast = hmacSha256Hex(key, (k) => createHash('sha256').update(k).digest(), (s) => { calls += 1; return node(s); });
  return { fast, node, genericCalls: () => calls };
}

describe('hmacSha256Hex equals createHmac("sha256")', () => {
  it('RFC 4231 test case 2 (key "Jefe")', () => {
    const { fast } = both('Jefe');
    expect(fast('what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('student numbers of every length 0–55, with short, 64-byte and long keys, without the generic path', () => {
    for (const keyText of ['bench-pseudonym-key-not-secret-0001', 'k'.repeat(64), `长密钥-${'x'.repeat(100)}`]) {
      const { fast, node, genericCalls } = both(keyText);
      for (let n = 0; n <= 55; n++) {
        const s = 'G120104201001010011ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.slice(0, n);
        expect(fast(s), `${keyText.length}-char key, ${n}-char input`).toBe(node(s));
      }
      expect(genericCalls()).toBe(0);
    }
  });

  it('digest() leaves in words the same digest the call returns as hex, on both paths', () => {
    const key = Buffer.from('bench-pseudonym-key-not-secret-0001', 'utf8');
    const f = hmacSha256Hex(key, (k) => createHash('sha256').update(k).digest(), (s) => createHmac('sha256', key).update(s).digest('hex'));
    const hexOfWords = (): string => [...f.words].map((w) => w.toString(16).padStart(8, '0')).join('');
    // One-block ASCII, then longer than a block and non-ASCII (generic path).
    for (const s of ['G120104201001010011', 'x'.repeat(80), '学籍号123456']) {
      f.digest(s);
      expect(hexOfWords(), s).toBe(createHmac('sha256', key).update(s).digest('hex'));
    }
  });

  it('many pseudonyms in a row reuse state correctly (no carry-over between calls)', () => {
    const { fast, node } = both('bench-pseudonym-key-not-secret-0001');
    for (let i = 0; i < 2000; i++) {
      const s = `G12010420100101${String(i).padStart(4, '0')}`.slice(0, 6 + (i % 20));
      expect(fast(s)).toBe(node(s));
    }
  });

  it('longer than one block, or non-ASCII, goes to the generic path and still matches', () => {
    const { fast, node, genericCalls } = both('bench-pseudonym-key-not-secret-0001');
    const long = 'A'.repeat(56);
    expect(fast(long)).toBe(node(long));
    expect(fast('学籍号123')).toBe(node('学籍号123'));
    expect(genericCalls()).toBe(2);
  });
});

describe('digest words and DigestSet (duplicate students)', () => {
  it('words hold the digest of the last call, on the fast and the generic path', () => {
    const { fast } = both('bench-pseudonym-key-not-secret-0001');
    const hexOfWords = (w: Uint32Array): string => Array.from(w, (x) => x.toString(16).padStart(8, '0')).join('');
    for (const s of ['G120104201001010011', '学籍号123', 'B'.repeat(60)]) {
      const hex = fast(s);
      expect(hexOfWords((fast as unknown as { words: Uint32Array }).words)).toBe(hex);
    }
  });

  it('finds every repeat among 50,000 pseudonyms across several growths, and nothing else', () => {
    const { fast } = both('bench-pseudonym-key-not-secret-0001');
    const words = (fast as unknown as { words: Uint32Array }).words;
    const set = new DigestSet(16);
    const seen = new Set<string>();
    let repeats = 0;
    for (let i = 0; i < 50_000; i++) {
      // Every 7th student number repeats an earlier one.
      const n = i % 7 === 6 ? i - 3 * (i % 11) - 1 : i;
      const hex = fast(`G${String(n).padStart(17, '0')}`);
      const added = set.add(words);
      expect(added).toBe(!seen.has(hex));
      if (!added) repeats += 1;
      seen.add(hex);
    }
    expect(repeats).toBeGreaterThan(5000); // repeats really occurred (each checked against the Set above)
    expect(set.size).toBe(seen.size);
  });

  it('has() answers membership at any offset of a packed array, without adding', () => {
    const { fast } = both('bench-pseudonym-key-not-secret-0001');
    const words = (fast as unknown as { words: Uint32Array }).words;
    const packed = new Uint32Array(8 * 300);
    for (let i = 0; i < 300; i++) { fast(`G${i}`); packed.set(words, 8 * i); }
    const set = new DigestSet(16);
    for (let i = 0; i < 300; i += 2) expect(set.add(packed, 8 * i)).toBe(true);
    for (let i = 0; i < 300; i++) expect(set.has(packed, 8 * i), `digest ${i}`).toBe(i % 2 === 0);
    expect(set.size).toBe(150);
  });

  it('keeps the digests added, in order, across growths; a digest sharing a first word is still distinct', () => {
    const set = new DigestSet(4);
    const d = new Uint32Array(8);
    for (let k = 0; k < 5000; k++) {
      // Every digest has first word 7 or 8: slots collide, and the other words decide.
      d.fill(k);
      d[0] = 7 + (k % 2);
      d[7] = k * 31;
      expect(set.add(d)).toBe(true);
    }
    for (let k = 0; k < 5000; k++) {
      expect(set.words[8 * k], `first word of ${k}`).toBe(7 + (k % 2));
      expect(set.words[8 * k + 3]).toBe(k);
      expect(set.words[8 * k + 7]).toBe(k * 31);
      d.fill(k);
      d[0] = 7 + (k % 2);
      d[7] = k * 31;
      expect(set.add(d)).toBe(false);
      d[7] = k * 31 + 1;
      expect(set.has(d)).toBe(false);
    }
    // The all-zero digest is an ordinary member.
    expect(set.add(new Uint32Array(8))).toBe(true);
    expect(set.has(new Uint32Array(8))).toBe(true);
    expect(set.size).toBe(5001);
  });
});

describe('digestUpperAscii (the importer byte path)', () => {
  it('equals digest(text.toUpperCase()) for bytes inside a larger buffer: mixed case, every length 0–60, non-ASCII', () => {
    const key = Buffer.from('bench-pseudonym-key-not-secret-0001', 'utf8');
    const f = hmacSha256Hex(key, (k) => createHash('sha256').update(k).digest(), (s) => createHmac('sha256', key).update(s).digest('hex'));
    const texts = ['g120104201001010011', 'G12010420100101001x', 'abcxyzABCXYZ0189', '学籍号abc', 'ß12345'];
    for (let n = 0; n <= 60; n++) texts.push('g1a2b3c4d5e6f7g8h9i0jklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.slice(0, n));
    for (const text of texts) {
      const buf = Buffer.from(`xx,${text},yy`, 'utf8');
      const start = 3;
      const end = buf.length - 3;
      f.digestUpperAscii(buf, start, end);
      const viaBytes = [...f.words].map((w) => w.toString(16).padStart(8, '0')).join('');
      expect(viaBytes, text).toBe(createHmac('sha256', key).update(text.toUpperCase()).digest('hex'));
    }
  });
});
