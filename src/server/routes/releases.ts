/**
 * Release control (数据发布) over HTTP: thin routes over src/services/releases.ts, shapes from
 * src/contract/releases.ts.
 *
 * Public:
 *   GET  /api/releases?year=                       every release version, newest first
 *   GET  /api/releases/:id                         one version
 *   GET  /api/releases/:id/values.csv | values.json  the cells it published (current or replaced)
 * Workspace (signed in):
 *   GET  /api/workspace/releases?year=             with who released
 *   GET  /api/workspace/releases/:year/readiness   completeness, missing schools, what would change
 *   POST /api/workspace/releases                   release a year (city administrator)
 *   PUT  /api/workspace/release-thresholds/:formCode   completeness a form needs
 *   GET  /api/workspace/progress?year=&org=        the provisional figures (暂定)
 */
import { z } from 'zod';
import { progressQuery, progressResponse } from '../../contract/progress.ts';
import {
  createReleaseRequest, formCodeParams, releaseIdParams, releaseList, releaseListQuery, releaseReadiness as readinessSchema, releaseRecord, releaseRecordList,
  releaseSummary, releaseYearParams, releasedRow, setThresholdRequest,
} from '../../contract/releases.ts';
import { csvLine } from '../../core/forms/csv-safety.ts';
import { provisionalProgress } from '../../services/progress.ts';
import { createRelease, listReleaseRecords, listReleases, releasedRows, releaseReadiness, setReleaseThreshold } from '../../services/releases.ts';
import type { RouteModule } from '../deps.ts';
import { actorOf, authenticate } from '../auth.ts';
import { openapi, parseInput } from '../openapi.ts';

const csvColumns = ['indicator', 'org_code', 'org_name_zh', 'org_name_en', 'level', 'year', 'disaggregation', 'value', 'numerator', 'denominator', 'unit', 'suppressed', 'revised', 'release_version', 'released_at'] as const;

const routes: RouteModule = async (app, deps) => {
  const rdeps = { store: deps.store, clock: deps.clock, log: { error: (fields: Record<string, unknown>, message: string) => app.log.error(fields, message) } };

  app.get('/api/releases', openapi({ summary: '数据发布记录 / Every release of the figures', tags: ['releases'], query: releaseListQuery, response: releaseList }), async (req) => {
    const q = parseInput(releaseListQuery, req.query, 'query');
    return { releases: await listReleases(deps.store, q) };
  });

  app.get('/api/releases/:id', openapi({ summary: '一个发布版本 / One release version', tags: ['releases'], params: releaseIdParams, response: releaseSummary }), async (req) => {
    const { id } = parseInput(releaseIdParams, req.params, 'params');
    return (await releasedRows(deps.store, id)).release;
  });

  app.get('/api/releases/:id/values.json', openapi({ summary: '某版本发布的全部数据（JSON）/ The cells a release published (JSON)', tags: ['releases'], params: releaseIdParams, response: z.object({ release: releaseSummary, rows: z.array(releasedRow) }) }), async (req) => {
    const { id } = parseInput(releaseIdParams, req.params, 'params');
    return releasedRows(deps.store, id);
  });

  app.get('/api/releases/:id/values.csv', openapi({ summary: '某版本发布的全部数据（CSV）/ The cells a release published (CSV); suppressed rows carry no numbers', tags: ['releases'], params: releaseIdParams }), async (req, reply) => {
    const { id } = parseInput(releaseIdParams, req.params, 'params');
    const { release, rows } = await releasedRows(deps.store, id);
    const lines = [csvLine([...csvColumns]), ...rows.map((r) => csvLine(csvColumns.map((c) => r[c])))];
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="eduplan-release-${release.year}-v${release.version}.csv"`);
    // A UTF-8 byte-order mark: Excel on Chinese Windows otherwise opens the file as GBK.
    return `\uFEFF${lines.join('')}`;
  });

  app.get('/api/workspace/releases', openapi({ summary: '发布记录（含发布人）/ Releases, with who released', tags: ['releases'], query: releaseListQuery, response: releaseRecordList, auth: true }), async (req) => {
    await authenticate(req, deps);
    const q = parseInput(releaseListQuery, req.query, 'query');
    return { releases: await listReleaseRecords(rdeps, actorOf(req), q) };
  });

  app.get('/api/workspace/releases/:year/readiness', openapi({ summary: '发布准备：完整性与未报送学校 / Release readiness: completeness and schools not reported', tags: ['releases'], params: releaseYearParams, response: readinessSchema, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { year } = parseInput(releaseYearParams, req.params, 'params');
    return releaseReadiness(rdeps, actorOf(req), year);
  });

  app.post('/api/workspace/releases', openapi({
    summary: '发布某学年的指标数据 / Release a year’s figures to the public',
    description: 'City administrators. Needs every form at its completeness threshold, or override_reason (audited). A second release of a year is a new version; earlier versions stay downloadable.',
    tags: ['releases'], body: createReleaseRequest, response: releaseRecord, auth: true,
  }), async (req, reply) => {
    await authenticate(req, deps);
    const body = parseInput(createReleaseRequest, req.body, 'body');
    const r = await createRelease(rdeps, actorOf(req), body);
    reply.status(201);
    return r;
  });

  app.put('/api/workspace/release-thresholds/:formCode', openapi({ summary: '设置报表发布所需完整性 / Set the completeness a form needs before release', tags: ['releases'], params: formCodeParams, body: setThresholdRequest, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { formCode } = parseInput(formCodeParams, req.params, 'params');
    const { share } = parseInput(setThresholdRequest, req.body, 'body');
    return setReleaseThreshold(rdeps, actorOf(req), formCode, share);
  });

  app.get('/api/workspace/progress', openapi({ summary: '暂定数据的进度（未发布）/ Progress on the provisional (unreleased) figures', tags: ['progress'], query: progressQuery, response: progressResponse, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const q = parseInput(progressQuery, req.query, 'query');
    reply.header('cache-control', 'no-store');
    return provisionalProgress(rdeps, actorOf(req), q);
  });
};

export default routes;
