/**
 * Evaluation reports (规划评估报告) over HTTP: thin routes over src/services/evaluation-reports,
 * shapes from src/contract/reports.ts.
 *
 * Public:
 *   GET /api/reports                               every published report, newest first
 *   GET /api/reports/:id/:file                     a published file as published (report.zh.pdf …)
 * Workspace (signed in):
 *   GET /api/workspace/reports/:kind/:year/narratives            the sections' narratives with history
 *   PUT /api/workspace/reports/:kind/:year/narratives/:section   save a new version (city administrators)
 *   GET /api/workspace/reports/:kind/:year/export?format=&lang=  generate now (preview: format=html)
 *   POST /api/workspace/reports/:kind/:year/publish              publish (city administrators)
 */
import {
  exportQuery, narrativeBlock, narrativesResponse, publication, publicationFileParams, publicationsResponse, publishRequest, reportParams, saveNarrativeRequest, sectionParams,
} from '../../contract/reports.ts';
import { closeReportPdf } from '../../services/evaluation-reports/pdf.ts';
import { generateReport, listNarratives, listPublications, publicationFile, publishReport, saveNarrative } from '../../services/evaluation-reports/index.ts';
import type { RouteModule } from '../deps.ts';
import { actorOf, authenticate } from '../auth.ts';
import { openapi, parseInput } from '../openapi.ts';

const routes: RouteModule = async (app, deps) => {
  const sdeps = { store: deps.store, clock: deps.clock, log: { error: (fields: Record<string, unknown>, message: string) => app.log.error(fields, message) } };
  // The warm Chromium the PDFs share is closed with the server.
  app.addHook('onClose', async () => { await closeReportPdf(); });

  app.get('/api/reports', openapi({ summary: '已发布的规划评估报告 / Published evaluation reports', tags: ['reports'], response: publicationsResponse }), async () => ({ reports: await listPublications(sdeps) }));

  app.get('/api/reports/:id/:file', openapi({ summary: '下载已发布报告（DOCX、PDF、HTML）/ A published report file, as published', tags: ['reports'], params: publicationFileParams }), async (req, reply) => {
    const { id, file } = parseInput(publicationFileParams, req.params, 'params');
    const f = await publicationFile(sdeps, id, file);
    reply.header('content-type', f.content_type);
    reply.header('etag', `"${f.sha256}"`);
    // HTML opens in the portal; the others download.
    reply.header('content-disposition', `${file.endsWith('.html') ? 'inline' : 'attachment'}; filename="${f.file_name}"`);
    if (file.endsWith('.html')) {
      // The report page carries its own inline style and SVG; nothing else may load in it.
      reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'");
    }
    return reply.send(f.bytes);
  });

  app.get('/api/workspace/reports/:kind/:year/narratives', openapi({ summary: '报告各章节叙述及历史版本 / The report sections’ narratives and their versions', tags: ['reports'], params: reportParams, response: narrativesResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    const p = parseInput(reportParams, req.params, 'params');
    return listNarratives(sdeps, actorOf(req), p);
  });

  app.put('/api/workspace/reports/:kind/:year/narratives/:section', openapi({
    summary: '保存章节叙述（新版本）/ Save a section’s narrative (a new version)',
    description: 'City administrators. Numbers only as placeholders ({{value code}}, {{target code}}, {{status code}}, {{baseline code}}, {{registry_count id}}, {{as_of}}); an unknown placeholder or a typed percentage is E_REPORT_NARRATIVE with line and column.',
    tags: ['reports'], params: sectionParams, body: saveNarrativeRequest, response: narrativeBlock, auth: true,
  }), async (req) => {
    await authenticate(req, deps);
    const p = parseInput(sectionParams, req.params, 'params');
    const body = parseInput(saveNarrativeRequest, req.body, 'body');
    return saveNarrative(sdeps, actorOf(req), p, body);
  });

  app.get('/api/workspace/reports/:kind/:year/export', openapi({ summary: '生成报告（预览或下载）/ Generate a report (preview or download)', tags: ['reports'], params: reportParams, query: exportQuery, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const p = parseInput(reportParams, req.params, 'params');
    const q = parseInput(exportQuery, req.query, 'query');
    const r = await generateReport(sdeps, actorOf(req), { ...p, format: q.format, lang: q.lang, demo: deps.config.demo });
    reply.header('content-type', r.content_type);
    reply.header('cache-control', 'no-store');
    reply.header('content-disposition', `${q.format === 'html' ? 'inline' : 'attachment'}; filename="${r.file_name}"; filename*=UTF-8''${encodeURIComponent(r.title)}.${q.format}`);
    if (q.format === 'html') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'");
    return reply.send(r.bytes);
  });

  app.post('/api/workspace/reports/:kind/:year/publish', openapi({ summary: '发布报告（冻结文件与数据版本）/ Publish a report (files and data versions frozen)', tags: ['reports'], params: reportParams, body: publishRequest, response: publication, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const p = parseInput(reportParams, req.params, 'params');
    const body = parseInput(publishRequest, req.body ?? {}, 'body');
    const r = await publishReport(sdeps, actorOf(req), { ...p, demo: deps.config.demo }, body);
    reply.status(201);
    return r;
  });
};

export default routes;
