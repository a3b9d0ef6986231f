/**
 * Forms API: form definitions (public — the browser runs the same rule engine on them),
 * a school's xlsx template, validating a draft with the stored context, and uploading a
 * filled workbook (checked whole; stored as the school's draft through the submission
 * workflow), plus the same workbook back with the problem cells marked.
 *
 * Uploads are the raw .xlsx body (Content-Type
 * application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), limited by the
 * server's upload limit and then by the workbook reader's own limits.
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { EduplanError } from '../../core/errors.ts';
import { errorWorkbook, formTemplate, listForms, requireForm, validateDraft, validateWorkbook } from '../../services/forms.ts';
import { saveDraft } from '../../services/submissions.ts';
import { defaultXlsxLimits } from '../../ingest/xlsx-zip.ts';
import { readSubmissionWorkbook } from '../../ingest/submission-workbook.ts';
import { actorOf, authenticate, requireScope } from '../auth.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const codeParams = z.object({ code: z.string().min(1).max(64) });
const templateQuery = z.object({ org: z.string().regex(/^\d{10}$/).describe('学校代码 school code'), year: z.coerce.number().int().min(2000).max(2100) });
const validateBody = z.object({
  orgCode: z.string().regex(/^\d{10}$/),
  year: z.number().int().min(2000).max(2100),
  values: z.record(z.string(), z.number().nullable()).describe('{element code: number | null}'),
  comments: z.record(z.string(), z.string().max(2000)).optional(),
});

function uploadBody(req: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(req.body)) {
    throw new EduplanError('E_IMPORT_FILE_TYPE', { detail: `send the .xlsx file as the request body with Content-Type ${XLSX_MIME}` });
  }
  return req.body;
}

function fileNameOf(req: FastifyRequest): string {
  const h = req.headers['x-file-name'];
  const raw = (Array.isArray(h) ? h[0] : h) ?? 'upload.xlsx';
  // Header values are latin1; clients send UTF-8 names percent-encoded.
  let name = raw;
  try { name = decodeURIComponent(raw); } catch { /* keep raw */ }
  return name.replace(/[\\/\r\n\0]/g, '_').slice(0, 200) || 'upload.xlsx';
}

const routes: RouteModule = async (app, deps) => {
  if (!app.hasContentTypeParser(XLSX_MIME)) {
    app.addContentTypeParser(XLSX_MIME, { parseAs: 'buffer', bodyLimit: Math.min(deps.config.maxUploadBytes, defaultXlsxLimits.maxBytes) }, (_req, body, done) => done(null, body));
  }
  const sdeps = { store: deps.store, clock: deps.clock };

  app.get('/api/forms', openapi({ summary: '报表列表 / Forms', tags: ['forms'] }), async () => ({ forms: listForms() }));

  app.get('/api/forms/:code', openapi({ summary: '报表定义：数据项与校验规则（规则为数据）/ A form: items and validation rules (rules are data)', tags: ['forms'], params: codeParams }), async (req) => {
    const { code } = parseInput(codeParams, req.params, 'params');
    return { form: requireForm(code) };
  });

  app.get('/api/forms/:code/template', openapi({ summary: '下载学校的 xlsx 填报模板 / Download a school\'s xlsx template', tags: ['forms'], params: codeParams, query: templateQuery, auth: true }), async (req, reply) => {
    const { code } = parseInput(codeParams, req.params, 'params');
    const q = parseInput(templateQuery, req.query, 'query');
    await requireScope(req, deps, q.org, { action: 'submission.read' });
    const t = await formTemplate(deps.store, { formCode: code, orgCode: q.org, year: q.year });
    reply.header('content-type', XLSX_MIME);
    reply.header('content-disposition', `attachment; filename="${t.fileName}"`);
    return reply.send(t.file);
  });

  app.post('/api/forms/:code/validate', openapi({ summary: '按规则校验（含上年与同类学校比较）/ Validate values (incl. last year and similar schools)', tags: ['forms'], params: codeParams, body: validateBody, auth: true }), async (req) => {
    const { code } = parseInput(codeParams, req.params, 'params');
    const b = parseInput(validateBody, req.body, 'body');
    await requireScope(req, deps, b.orgCode, { action: 'submission.read' });
    return validateDraft(deps.store, b.orgCode, code, b.year, b.values, b.comments ?? {});
  });

  app.post('/api/forms/upload', openapi({ summary: '上传填好的工作簿：整份检查并保存为草稿 / Upload a filled workbook: checked whole, saved as the draft', description: `Body: the .xlsx file, Content-Type ${XLSX_MIME}; optional X-File-Name header.`, tags: ['forms'], auth: true }), async (req) => {
    await authenticate(req, deps);
    const file = uploadBody(req);
    const fileName = fileNameOf(req);
    // Scope is known only after reading the identity cells; the reader touches no data.
    const wb = await readSubmissionWorkbook(file, { fileName });
    await requireScope(req, deps, wb.orgCode, { action: 'submission.edit' });
    const checked = await validateWorkbook(deps.store, wb);
    const saved = await saveDraft(sdeps, actorOf(req), { orgCode: wb.orgCode, formCode: wb.formCode, year: wb.year, values: wb.values, comments: wb.comments });
    return {
      orgCode: wb.orgCode, formCode: wb.formCode, year: wb.year, signoffs: wb.signoffs, ready: checked.ready,
      validation: checked.validation,
      submission: saved.body.submission,
    };
  });

  app.post('/api/forms/upload/errors', openapi({ summary: '返回标注了问题单元格的同一工作簿 / The same workbook with the problem cells marked', description: `Body: the .xlsx file, Content-Type ${XLSX_MIME}.`, tags: ['forms'], auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const file = uploadBody(req);
    const fileName = fileNameOf(req);
    let marked: Buffer;
    try {
      const wb = await readSubmissionWorkbook(file, { fileName });
      await requireScope(req, deps, wb.orgCode, { action: 'submission.read' });
      const checked = await validateWorkbook(deps.store, wb);
      marked = await errorWorkbook(file, { hard: checked.validation.hard, soft: checked.validation.soft });
    } catch (err) {
      // Cell-level refusals can be marked; hostile, oversized or wrong-type files cannot.
      if (!(err instanceof EduplanError) || err.code !== 'E_IMPORT_INVALID' || !err.problems.some((p) => p.row !== undefined)) throw err;
      marked = await errorWorkbook(file, { hard: err.problems });
    }
    reply.header('content-type', XLSX_MIME);
    reply.header('content-disposition', `attachment; filename="errors_${encodeURIComponent(fileName)}"`);
    return reply.send(marked);
  });
};

export default routes;
