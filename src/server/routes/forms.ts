/**
 * Forms API over src/services/forms.ts, shapes from src/contract/forms.ts: form definitions
 * (public — the browser runs the same rule engine on them), a school's xlsx template,
 * validating a draft with the stored context, and uploading a filled workbook (checked
 * whole; stored as the school's draft through the submission workflow), plus the same
 * workbook back with the problem cells marked.
 *
 * Uploads are the raw .xlsx body (Content-Type
 * application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), limited by the
 * server's upload limit and then by the workbook reader's own limits.
 */
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { EduplanError } from '../../core/errors.ts';
import { formCodeParams, formList, formResponse, templateQuery, uploadResponse, validateRequest } from '../../contract/forms.ts';
import { validationResult } from '../../contract/problem.ts';
import { formDefinition, formTemplate, listForms, markedWorkbook, uploadWorkbook, validateDraft, WORKBOOK_MAX_BYTES } from '../../services/forms.ts';
import { actorOf, authenticate } from '../auth.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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
    app.addContentTypeParser(XLSX_MIME, { parseAs: 'buffer', bodyLimit: Math.min(deps.config.maxUploadBytes, WORKBOOK_MAX_BYTES) }, (_req, body, done) => done(null, body));
  }
  const sdeps = { store: deps.store, clock: deps.clock };

  app.get('/api/forms', openapi({ summary: '报表列表 / Forms', tags: ['forms'], response: formList }), async () => ({ forms: listForms() }));

  app.get('/api/forms/:code', openapi({ summary: '报表定义：数据项与校验规则（规则为数据）/ A form: items and validation rules (rules are data)', tags: ['forms'], params: formCodeParams, response: formResponse }), async (req) => {
    const { code } = parseInput(formCodeParams, req.params, 'params');
    return { form: formDefinition({ code }) };
  });

  app.get('/api/forms/:code/template', openapi({ summary: '下载学校的 xlsx 填报模板 / Download a school\'s xlsx template', tags: ['forms'], params: formCodeParams, query: templateQuery, auth: true }), async (req, reply) => {
    const { code } = parseInput(formCodeParams, req.params, 'params');
    const q = parseInput(templateQuery, req.query, 'query');
    await authenticate(req, deps);
    const t = await formTemplate(sdeps, actorOf(req), { formCode: code, orgCode: q.org, year: q.year });
    reply.header('content-type', XLSX_MIME);
    reply.header('content-disposition', `attachment; filename="${t.fileName}"`);
    return reply.send(t.file);
  });

  app.post('/api/forms/:code/validate', openapi({ summary: '按规则校验（含上年与同类学校比较）/ Validate values (incl. last year and similar schools)', tags: ['forms'], params: formCodeParams, body: validateRequest, response: validationResult, auth: true }), async (req) => {
    const { code } = parseInput(formCodeParams, req.params, 'params');
    const b = parseInput(validateRequest, req.body, 'body');
    await authenticate(req, deps);
    return validateDraft(sdeps, actorOf(req), { ...b, formCode: code });
  });

  app.post('/api/forms/upload', openapi({ summary: '上传填好的工作簿：整份检查并保存为草稿 / Upload a filled workbook: checked whole, saved as the draft', description: `Body: the .xlsx file, Content-Type ${XLSX_MIME}; optional X-File-Name header.`, tags: ['forms'], response: uploadResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    return uploadWorkbook(sdeps, actorOf(req), { file: uploadBody(req), fileName: fileNameOf(req) });
  });

  app.post('/api/forms/upload/errors', openapi({ summary: '返回标注了问题单元格的同一工作簿 / The same workbook with the problem cells marked', description: `Body: the .xlsx file, Content-Type ${XLSX_MIME}.`, tags: ['forms'], auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const fileName = fileNameOf(req);
    const marked = await markedWorkbook(sdeps, actorOf(req), { file: uploadBody(req), fileName });
    reply.header('content-type', XLSX_MIME);
    reply.header('content-disposition', `attachment; filename="errors_${encodeURIComponent(fileName)}"`);
    return reply.send(marked);
  });
};

export default routes;
