/**
 * The workspace's release API (src/server/routes/releases.ts), signed in; shapes from the
 * contract (src/contract/releases.ts, src/contract/progress.ts).
 */
import type { ProgressItem } from '../../../contract/progress.ts';
import type { CreateReleaseRequest, ReleaseReadiness, ReleaseRecord } from '../../../contract/releases.ts';
import { call } from '../api.ts';

export const releasesApi = {
  readiness: (year: number) => call<ReleaseReadiness>('GET', `/api/workspace/releases/${year}/readiness`),
  list: async (year: number) => (await call<{ releases: ReleaseRecord[] }>('GET', `/api/workspace/releases?year=${year}`)).releases,
  create: (req: CreateReleaseRequest) => call<ReleaseRecord>('POST', '/api/workspace/releases', req),
  /** The provisional figures (暂定, not released) of one org unit for the year. */
  provisional: (year: number, org: string) => call<ProgressItem[]>('GET', `/api/workspace/progress?year=${year}&org=${org}`),
};
