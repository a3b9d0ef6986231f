/** GET /api/site — what every portal page shows around its content (the demo banner, 数据更新于). */
import { z } from 'zod';

export const siteInfo = z.object({
  /** A demo instance: simulated data, never official statistics (a banner on every page). */
  demo: z.boolean(),
  /** The newest release the public sees, or null before the first release. */
  latest_release: z.object({ year: z.number().int(), version: z.number().int(), released_at: z.string() }).nullable(),
});
export type SiteInfo = z.infer<typeof siteInfo>;
