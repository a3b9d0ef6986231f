/**
 * The revocation bitstring of a Bitstring Status List (W3C Bitstring Status List v1.0):
 * one bit per issued credential, index 0 the most significant bit of the first byte (§3.1),
 * at least 16 KiB (131,072 bits) so that a list does not tell how many credentials exist
 * (§6.1 "group privacy"). Compression and the multibase encoding of `encodedList` are done by
 * the service (GZIP is I/O-free but lives in node:zlib).
 */

/** 16 KiB: the smallest list the specification recommends. */
export const STATUS_LIST_BITS = 131_072;

/** A bitstring of `size` bits with the given indices set. */
export function bitstringWith(indices: Iterable<number>, size = STATUS_LIST_BITS): Uint8Array {
  if (size % 8 !== 0) throw new RangeError('size must be a multiple of 8');
  const bytes = new Uint8Array(size / 8);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`status index ${i} is outside 0..${size - 1}`);
    bytes[i >> 3] = (bytes[i >> 3] as number) | (0x80 >> (i & 7));
  }
  return bytes;
}

/** Is bit `index` set? (false beyond the end: a short list revokes nothing there.) */
export function bitAt(bytes: Uint8Array, index: number): boolean {
  const b = bytes[index >> 3];
  return b !== undefined && (b & (0x80 >> (index & 7))) !== 0;
}
