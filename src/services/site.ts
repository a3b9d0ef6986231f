/** What the portal shows on every page: whether this is a demo, and the newest release. */
import type { SiteInfo } from '../contract/site.ts';
import type { Store } from '../store/store.ts';

export async function siteInfo(store: Store, demo: boolean): Promise<SiteInfo> {
  const r = await store.db.selectFrom('release_current as c').innerJoin('release as r', 'r.id', 'c.release_id')
    .select(['r.year', 'r.version', 'r.released_at']).orderBy('r.released_at', 'desc').orderBy('r.id', 'desc').limit(1).executeTakeFirst();
  return { demo, latest_release: r ? { year: r.year, version: r.version, released_at: new Date(r.released_at).toISOString() } : null };
}
