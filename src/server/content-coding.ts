/**
 * Which content coding to send, from a request's Accept-Encoding (RFC 9110 §12.5.3), among
 * the codings the public figures cache keeps (src/server/figures-cache.ts `CachedJson`).
 *
 * - No header: identity. RFC 9110 allows any coding then, but a client that sends no
 *   Accept-Encoding (curl, scripts, wrk by default) most likely cannot decode one.
 * - Otherwise the coding with the highest q-value; on a tie brotli, then gzip (smaller
 *   first). `*` stands for any coding not listed; `x-gzip` is gzip (§8.4.1.3).
 * - identity is the fallback whenever neither br nor gzip is acceptable. It is chosen over
 *   them only when listed with a higher q: unlisted, it is acceptable but least preferred.
 *   `identity;q=0` with nothing else acceptable still gets identity (a 406 would help no one).
 * - A member whose q does not parse is ignored.
 */
import type { ContentCoding } from './figures-cache.ts';

const Q = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i;

/**
 * Answers for header values already seen: browsers send a handful of distinct values, and
 * parsing one on every request was ~4 % of the main thread's busy time in a CPU profile
 * under wrk.
 * Bounded, since a client can send any value.
 */
const seen = new Map<string, ContentCoding>();
const SEEN_MAX = 64;

export function chooseCoding(acceptEncoding: string | undefined): ContentCoding {
  if (acceptEncoding === undefined) return 'identity';
  let coding = seen.get(acceptEncoding);
  if (coding === undefined) {
    coding = parse(acceptEncoding);
    if (seen.size < SEEN_MAX) seen.set(acceptEncoding, coding);
  }
  return coding;
}

function parse(acceptEncoding: string): ContentCoding {
  const q = new Map<string, number>();
  for (const member of acceptEncoding.split(',')) {
    const [name = '', ...params] = member.split(';').map((s) => s.trim());
    if (name === '') continue;
    let weight = 1;
    let valid = true;
    for (const param of params) {
      if (!/^q=/i.test(param)) continue;
      const m = Q.exec(param);
      if (m) weight = Number(m[1]);
      else valid = false;
    }
    const coding = name.toLowerCase() === 'x-gzip' ? 'gzip' : name.toLowerCase();
    if (valid) q.set(coding, Math.max(weight, q.get(coding) ?? 0));
  }
  const star = q.get('*') ?? 0;
  const br = q.get('br') ?? star;
  const gz = q.get('gzip') ?? star;
  const identity = q.get('identity') ?? 0;
  if (br > 0 && br >= gz && br >= identity) return 'br';
  if (gz > 0 && gz >= identity) return 'gzip';
  return 'identity';
}
