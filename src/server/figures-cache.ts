/**
 * The public figures as HTTP bytes (公开数据响应缓存): each answer of the public progress
 * routes serialized once and kept uncompressed, in gzip and in brotli, each with its own
 * strong ETag, until the public figures change (a release: the progress service's
 * `onFiguresChanged`). Serving a cached answer costs no JSON encoding and no compression, so
 * the portal stays fast while an import holds the database; the fast path in front of
 * Fastify (cached-json.ts) answers repeat GETs from here (`peek*`, which never builds).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { readRootOrNull, readTopUnits } from '../services/org-tree.ts';
import { getDistrictValues, getProgress, getSeries, onFiguresChanged, revalidateFigures, type ProgressQuery } from '../services/progress.ts';
import type { Store } from '../store/store.ts';

/** The content codings a cached response is kept in (RFC 9110 §8.4.1); `identity` = uncompressed. */
export type ContentCoding = 'identity' | 'gzip' | 'br';

/** One representation of a response: its bytes and their strong ETag. */
export interface EncodedBody { readonly bytes: Buffer; readonly etag: string }

/**
 * A serialized response in every coding the server sends. Browsers always send
 * `Accept-Encoding: gzip, deflate, br`; the 53 KB Tianjin-scale progress JSON is 8.9 KB in
 * gzip and 7.8 KB in brotli, and the `writev` of 53 KB per request was ~45 % of the main
 * thread's busy time under load (docs/benchmarks.md). Compressed once when the cache entry
 * is built, never per request.
 */
export interface CachedJson { readonly identity: EncodedBody; readonly gzip: EncodedBody; readonly br: EncodedBody }

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * A strong ETag per representation, from its own bytes: the gzip and brotli bytes are
 * different representations of the same JSON (RFC 9110 §8.8.3), so each gets its own tag
 * and If-None-Match is compared with the one being sent.
 */
const etagOf = (bytes: Buffer): string => `"${createHash('sha1').update(bytes).digest('base64url')}"`;

/**
 * Serialize `value` and compress it, on the libuv thread pool (not the event loop). Brotli
 * quality 6 rather than 11: the entries are rebuilt after every release and on first use
 * for each school, and 11 costs ~30× the CPU for ~10 % fewer bytes (docs/benchmarks.md).
 */
export async function encodeJson(value: unknown): Promise<CachedJson> {
  const identity = Buffer.from(JSON.stringify(value));
  const [gz, br] = await Promise.all([
    gzipAsync(identity, { level: 9 }),
    brotliAsync(identity, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6, [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
  ]);
  return { identity: { bytes: identity, etag: etagOf(identity) }, gzip: { bytes: gz, etag: etagOf(gz) }, br: { bytes: br, etag: etagOf(br) } };
}

/** Encoded answers by key, dropped all at once when the figures change. */
export class JsonResponseCache {
  private readonly responses = new Map<string, CachedJson>();
  /**
   * Answers being built. Concurrent misses for one key share one build: after a release
   * every open portal connection misses at once, and each would otherwise serialize and
   * compress the same ~50 KB.
   */
  private readonly building = new Map<string, Promise<CachedJson>>();
  /** Bumped on every reset, so an answer built from old figures is not kept after it. */
  private generation = 0;

  /** The cached answer for `key` if there is one; never builds (for a caller that must not wait). */
  peek(key: string): CachedJson | undefined {
    return this.responses.get(key);
  }

  /** The cached answer for `key`, else built once from `value()`; a failed build is not kept, so the next request retries. */
  response(key: string, value: () => Promise<unknown>): Promise<CachedJson> | CachedJson {
    const hit = this.responses.get(key);
    if (hit !== undefined) return hit;
    const pending = this.building.get(key);
    if (pending !== undefined) return pending;
    const generation = this.generation;
    const built = value().then(encodeJson).then((enc) => {
      if (generation === this.generation) this.responses.set(key, enc);
      return enc;
    }).finally(() => { if (this.building.get(key) === built) this.building.delete(key); });
    this.building.set(key, built);
    return built;
  }

  reset(): void {
    this.generation += 1;
    this.responses.clear();
    this.building.clear();
  }
}

// '' = the root (the default org of a progress or series request).
const progressKey = (q: ProgressQuery): string => `progress|${q.year ?? ''}|${q.org ?? ''}`;
const seriesKey = (code: string, orgCode: string, disaggregation: string | undefined): string => `series|${code}|${orgCode}|${disaggregation ?? ''}`;
const districtsKey = (code: string, year: number | undefined): string => `districts|${code}|${year ?? ''}`;

/** The public progress routes' answers for one store: built from the progress service, reset and prewarmed after each release. */
export class PublicFiguresCache {
  private readonly cache = new JsonResponseCache();

  constructor(private readonly store: Store) {
    onFiguresChanged(store, 'public', () => {
      this.cache.reset();
      void this.prewarm().catch(() => undefined);
    });
  }

  progress(q: { year?: number | undefined; org?: string | undefined }): Promise<CachedJson> | CachedJson {
    return this.cache.response(progressKey(q), () => getProgress(this.store, { ...q, view: 'public' }));
  }

  series(code: string, org?: string, disaggregation?: string): Promise<CachedJson> | CachedJson {
    return this.cache.response(seriesKey(code, org ?? '', disaggregation), () => getSeries(this.store, code, org, 'public', disaggregation));
  }

  districts(code: string, year?: number): Promise<CachedJson> | CachedJson {
    return this.cache.response(districtsKey(code, year), () => getDistrictValues(this.store, code, year, 'public'));
  }

  // What the fast path may send without waiting: undefined after a release until rebuilt.
  peekProgress(q: { year?: number | undefined; org?: string | undefined }): CachedJson | undefined {
    revalidateFigures(this.store, 'public');
    return this.cache.peek(progressKey(q));
  }

  peekSeries(code: string, org?: string, disaggregation?: string): CachedJson | undefined {
    revalidateFigures(this.store, 'public');
    return this.cache.peek(seriesKey(code, org ?? '', disaggregation));
  }

  peekDistricts(code: string, year?: number): CachedJson | undefined {
    revalidateFigures(this.store, 'public');
    return this.cache.peek(districtsKey(code, year));
  }

  /** After a release, the answers every portal visitor asks for first: the city's and each district's progress. */
  async prewarm(): Promise<void> {
    const root = await readRootOrNull(this.store.db);
    if (!root) return;
    await Promise.resolve(this.progress({})).catch(() => undefined);
    for (const d of await readTopUnits(this.store.db, root.code)) await Promise.resolve(this.progress({ org: d.code })).catch(() => undefined);
  }
}

const perStore = new WeakMap<Store, PublicFiguresCache>();

/** The store's public figures cache (one per store, shared by every app built on it). */
export function publicFiguresCache(store: Store): PublicFiguresCache {
  let c = perStore.get(store);
  if (!c) perStore.set(store, (c = new PublicFiguresCache(store)));
  return c;
}
