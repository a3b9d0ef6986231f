/** GET /api/site — what every portal page shows around its content (the demo banner, 数据更新于). */
import { z } from 'zod';

export const siteInfo = z.object({
  /** A demo instance: simulated data, never official statistics (a banner on every page). */
  demo: z.boolean(),
  /** The newest release the public sees, or null before the first release. */
  latest_release: z.object({ year: z.number().int(), version: z.number().int(), released_at: z.string() }).nullable(),
  /**
   * The region's root org unit and the units directly under it (Tianjin: the city and its 16
   * districts), from the stored org units; null before any are imported. Pages name the units
   * from here instead of from a region's constants (issue 19).
   */
  region: z.object({
    root: z.object({ code: z.string(), name_zh: z.string(), name_en: z.string(), level: z.string() }),
    units: z.array(z.object({ code: z.string(), name_zh: z.string(), name_en: z.string(), level: z.string() })),
  }).nullable(),
});
export type SiteInfo = z.infer<typeof siteInfo>;
