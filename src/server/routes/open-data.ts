/**
 * Open data (开放数据) over HTTP: thin routes over src/services/open-data.ts. Stable URLs,
 * released figures only, every answer with its licence and how to cite it (`Link:
 * rel="license"` and `rel="cite-as"`; the JSON carries both, the CSV a licence column).
 *
 *   GET /api/open-data                                 every dataset: description, formats, last update
 *   GET /api/download/indicators.csv | .json           the tidy table of every released figure
 *   GET /api/download/indicators/:indicator.csv|.json  one indicator's
 *   GET /api/sdmx/data/:indicator?format=sdmx-json|sdmx-csv   SDMX-JSON 2.0.0 / SDMX-CSV 2.0 (or by Accept)
 *   GET /api/sdmx/structure                            the DSD and code lists
 *
 * Answers are built once per release and kept (they change only when the city releases).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { datasetList, indicatorFileParams, openDataTable as tableSchema, sdmxParams, sdmxQuery } from '../../contract/open-data.ts';
import { csvLine } from '../../core/forms/csv-safety.ts';
import { dataLicence } from '../../core/open-data/licence.ts';
import { SDMX_CSV_TYPE, SDMX_JSON_TYPE } from '../../core/open-data/sdmx.ts';
import { listDatasets, openDataTable, sdmxData, sdmxStructureOf, type OpenDataTable } from '../../services/open-data.ts';
import { onFiguresChanged } from '../../services/progress.ts';
import type { Store } from '../../store/store.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';

/** Built answers by key until the public figures change (a release). */
const memo = new WeakMap<Store, Map<string, Promise<{ body: string; type: string }>>>();
function cached(store: Store, key: string, build: () => Promise<{ body: string; type: string }>): Promise<{ body: string; type: string }> {
  let m = memo.get(store);
  if (!m) {
    const fresh = new Map<string, Promise<{ body: string; type: string }>>();
    memo.set(store, (m = fresh));
    onFiguresChanged(store, 'public', () => fresh.clear());
  }
  let p = m.get(key);
  if (!p) {
    p = build();
    const map = m;
    p.catch(() => map.delete(key));
    m.set(key, p);
  }
  return p;
}

const origin = (req: FastifyRequest): string => `${req.protocol}://${req.host}`;

function send(reply: FastifyReply, req: FastifyRequest, a: { body: string; type: string }, filename?: string): FastifyReply {
  reply.header('content-type', a.type);
  reply.header('cache-control', 'no-cache');
  // RFC 8288 / RFC 8574: the licence and the permalink to cite.
  reply.header('link', `<${dataLicence.url}>; rel="license", <${origin(req)}${req.url}>; rel="cite-as"`);
  if (filename) reply.header('content-disposition', `attachment; filename="${filename}"`);
  return reply.send(a.body);
}

function tableCsv(t: OpenDataTable): string {
  const cols = t.columns as ReadonlyArray<keyof OpenDataTable['rows'][number]>;
  // A UTF-8 byte-order mark: Excel on Chinese Windows otherwise opens the file as GBK.
  return `\uFEFF${csvLine(cols as string[])}${t.rows.map((r) => csvLine(cols.map((c) => r[c] ?? ''))).join('')}`;
}

const routes: RouteModule = async (app, deps) => {
  const demo = deps.config.demo;

  app.get('/api/open-data', openapi({ summary: '开放数据集列表 / Every open dataset: description, formats, last update, licence', tags: ['open-data'], response: datasetList }), async (_req, reply) => {
    reply.header('cache-control', 'no-cache');
    return listDatasets(deps.store);
  });

  const table = (req: FastifyRequest, indicator: string | undefined) => openDataTable(deps.store, { indicator, url: `${origin(req)}${req.url.split('?')[0]}`, demo });

  app.get('/api/download/indicators.csv', openapi({ summary: '全部已发布指标数据（CSV 长表）/ Every released figure (tidy CSV); withheld rows carry no numbers', tags: ['open-data'] }), async (req, reply) => {
    const a = await cached(deps.store, `all.csv|${origin(req)}`, async () => ({ body: tableCsv(await table(req, undefined)), type: 'text/csv; charset=utf-8' }));
    return send(reply, req, a, 'eduplan-indicators.csv');
  });

  app.get('/api/download/indicators.json', openapi({ summary: '全部已发布指标数据（JSON）/ Every released figure (JSON), with licence and citation', tags: ['open-data'], response: tableSchema }), async (req, reply) => {
    const a = await cached(deps.store, `all.json|${origin(req)}`, async () => ({ body: JSON.stringify(await table(req, undefined)), type: 'application/json; charset=utf-8' }));
    return send(reply, req, a);
  });

  app.get('/api/download/indicators/:file', openapi({ summary: '单个指标的已发布数据（<指标>.csv 或 <指标>.json）/ One indicator’s released figures (<code>.csv or <code>.json)', tags: ['open-data'], params: indicatorFileParams }), async (req, reply) => {
    const { file } = parseInput(indicatorFileParams, req.params, 'params');
    const [code = '', ext] = file.split('.');
    const a = await cached(deps.store, `${file}|${origin(req)}`, async () => {
      const t = await table(req, code);
      return ext === 'csv' ? { body: tableCsv(t), type: 'text/csv; charset=utf-8' } : { body: JSON.stringify(t), type: 'application/json; charset=utf-8' };
    });
    return send(reply, req, a, ext === 'csv' ? `eduplan-${code}.csv` : undefined);
  });

  app.get('/api/sdmx/data/:indicator', openapi({
    summary: 'SDMX 数据（SDMX-JSON 2.0.0 / SDMX-CSV 2.0）/ One indicator’s released city and district figures in SDMX',
    description: 'DSD TJ_EDU:EDUPLAN_IND(1.0): dimensions INDICATOR, REF_AREA (GB/T 2260), SEX, EDUCATION_LEV (ISCED 2011), URBANISATION, TIME_PERIOD; measures OBS_VALUE, NUMERATOR, DENOMINATOR; attributes UNIT_MEASURE, OBS_STATUS, CONF_STATUS, RELEASE. Withheld figures: null measures, OBS_STATUS O, CONF_STATUS C.',
    tags: ['open-data'], params: sdmxParams, query: sdmxQuery,
  }), async (req, reply) => {
    const { indicator } = parseInput(sdmxParams, req.params, 'params');
    const q = parseInput(sdmxQuery, req.query, 'query');
    const accept = String(req.headers.accept ?? '');
    const format = q.format ?? (/application\/vnd\.sdmx\.data\+csv/.test(accept) || (/text\/csv/.test(accept) && !/json/.test(accept)) ? 'sdmx-csv' : 'sdmx-json');
    const a = await cached(deps.store, `sdmx|${indicator}|${format}|${origin(req)}`, async () => {
      const d = await sdmxData(deps.store, indicator, { baseUrl: origin(req), demo });
      return format === 'sdmx-csv'
        ? { body: d.csv().map((r) => csvLine(r)).join(''), type: SDMX_CSV_TYPE }
        : { body: JSON.stringify(d.json()), type: SDMX_JSON_TYPE };
    });
    reply.header('vary', 'accept');
    return send(reply, req, a, format === 'sdmx-csv' ? `eduplan-${indicator}.sdmx.csv` : undefined);
  });

  app.get('/api/sdmx/structure', openapi({ summary: 'SDMX 数据结构定义与代码表 / The SDMX data structure definition and code lists', tags: ['open-data'] }), async (req, reply) => {
    const a = await cached(deps.store, 'structure', async () => ({ body: JSON.stringify(await sdmxStructureOf(deps.store)), type: 'application/json; charset=utf-8' }));
    return send(reply, req, a);
  });
};

export default routes;
