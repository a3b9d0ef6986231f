/** What the portal shows on every page: whether this is a demo, the newest release, and the region's root and the units under it. */
import type { SiteInfo } from '../contract/site.ts';
import type { Store } from '../store/store.ts';
import { readRootOrNull, readTopUnits } from './org-tree.ts';

export async function siteInfo(store: Store, demo: boolean): Promise<SiteInfo> {
  const r = await store.db.selectFrom('release_current as c').innerJoin('release as r', 'r.id', 'c.release_id')
    .select(['r.year', 'r.version', 'r.released_at']).orderBy('r.released_at', 'desc').orderBy('r.id', 'desc').limit(1).executeTakeFirst();
  const root = await readRootOrNull(store.db);
  const unit = (u: { code: string; name_zh: string; name_en: string; level: string }): { code: string; name_zh: string; name_en: string; level: string } => ({ code: u.code, name_zh: u.name_zh, name_en: u.name_en, level: u.level });
  const region = root ? { root: unit(root), units: (await readTopUnits(store.db, root.code)).map(unit) } : null;
  return { demo, latest_release: r ? { year: r.year, version: r.version, released_at: new Date(r.released_at).toISOString() } : null, region };
}
