/**
 * Open data over HTTP (issue 16): the tidy downloads (CSV and JSON, all indicators and one),
 * SDMX-JSON 2.0.0 validated against the official schema, SDMX-CSV 2.0, the dataset list,
 * licence and citation on every answer, and no number in a withheld row.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { indicatorDefinitions } from '../../src/core/indicators/definitions.ts';
import type { DatasetList, OpenDataTableResponse } from '../../src/contract/open-data.ts';
import { loadReleasedFixture } from '../storage/indicators.fixture.ts';

const schema = JSON.parse(readFileSync(new URL('../sdmx/sdmx-json-data-schema-2.0.0.json', import.meta.url), 'utf8')) as Record<string, unknown>;
// The 2.0.0 schema is draft-04 style ("id", "$schema": ".../schema#"): ajv reads it without its strict mode.
// Its patterns escape `-` (`\-`), which a unicode-mode RegExp refuses: unicodeRegExp off.
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
addFormats(ajv);
delete schema.id;
delete schema.$schema;
const validateSdmx = ajv.compile(schema);

describe('open data: downloads and SDMX', () => {
  let store: Store;
  let app: FastifyInstance;
  const get = async (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
  const csv = (body: string): Array<Record<string, string>> => parse(body.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await loadReleasedFixture(store);
    app = await buildApp({ store, clock: () => new Date('2026-01-01T00:00:00Z'), config: { demo: true, pseudonymKey: 'test', maxUploadBytes: 1 << 20 } });
  }, 60_000);
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('GET /api/download/indicators.csv: 200 text/csv, every released indicator, no number in a withheld row, licence', async () => {
    const r = await get('/api/download/indicators.csv');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(String(r.headers.link)).toContain('rel="license"');
    expect(String(r.headers.link)).toContain('rel="cite-as"');
    const rows = csv(r.body);
    expect(Object.keys(rows[0] ?? {})).toEqual(expect.arrayContaining(['indicator', 'org_code', 'org_name_zh', 'year', 'sex', 'stage', 'area', 'value', 'numerator', 'denominator', 'unit', 'status', 'suppressed', 'release', 'licence']));
    const released = new Set((await store.db.selectFrom('released_value').select('indicator').distinct().execute()).map((x) => x.indicator));
    expect(new Set(rows.map((x) => x.indicator))).toEqual(released);
    // Every indicator with a computation that the fixture has data for is there.
    expect(released.size).toBeGreaterThan(10);
    const withheld = rows.filter((x) => x.suppressed === 'true');
    expect(withheld.length).toBeGreaterThan(0);
    for (const w of withheld) {
      expect([w.value, w.numerator, w.denominator]).toEqual(['', '', '']);
      expect(w.status).toBe('suppressed');
    }
    expect(rows.every((x) => /^\d{4}-v\d+$/.test(x.release ?? '') && x.licence === 'CC-BY-4.0')).toBe(true);
    // Breakdown columns: a sex part names it, the total leaves it empty.
    expect(rows.some((x) => x.indicator === 'fitness_good_rate' && x.sex === 'f' && x.org_code === '120000')).toBe(true);
  });

  it('the JSON has the same rows, with licence and citation (demo says so)', async () => {
    const j = (await get('/api/download/indicators.json')).json() as OpenDataTableResponse;
    const c = csv((await get('/api/download/indicators.csv')).body);
    expect(j.rows.length).toBe(c.length);
    expect(j.licence.url).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(j.citation.zh).toContain('演示数据');
    expect(j.citation.en).toContain('/api/download/indicators.json');
    expect(j.rows.filter((x) => x.suppressed).every((x) => x.value === null && x.numerator === null && x.denominator === null)).toBe(true);
  });

  it('one indicator: its CSV and JSON at stable URLs; an unknown one is 404, a bad name 400', async () => {
    const one = csv((await get('/api/download/indicators/fitness_good_rate.csv')).body);
    expect(one.length).toBeGreaterThan(0);
    expect(new Set(one.map((x) => x.indicator))).toEqual(new Set(['fitness_good_rate']));
    const j = (await get('/api/download/indicators/fitness_good_rate.json')).json() as OpenDataTableResponse;
    expect(j.rows.length).toBe(one.length);
    expect((await get('/api/download/indicators/no_such_indicator.csv')).statusCode).toBe(404);
    expect((await get('/api/download/indicators/fitness_good_rate.xls')).statusCode).toBe(400);
  });

  it('GET /api/sdmx/data/fitness_good_rate?format=sdmx-json: 200, data.dataSets and data.structures, valid against the SDMX-JSON 2.0.0 schema', async () => {
    const r = await get('/api/sdmx/data/fitness_good_rate?format=sdmx-json');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/vnd.sdmx.data+json');
    const m = r.json() as { data: { dataSets: Array<{ observations: Record<string, Array<number | null>> }>; structures: Array<{ dimensions: { observation: Array<{ id: string; values: Array<{ id: string }> }> } }> } };
    const ok = validateSdmx(m);
    expect(ok ? [] : validateSdmx.errors).toEqual([]);
    // The validator does check: a message without its sender, or with a dimension lacking its position, is refused.
    const broken = structuredClone(m) as unknown as { meta: { sender?: unknown }; data: { structures: Array<{ dimensions: { observation: Array<{ keyPosition?: number }> } }> } };
    delete broken.meta.sender;
    expect(validateSdmx(broken)).toBe(false);
    const broken2 = structuredClone(m) as unknown as typeof broken;
    delete broken2.data.structures[0]?.dimensions.observation[0]?.keyPosition;
    expect(validateSdmx(broken2)).toBe(false);
    const dims = m.data.structures[0]?.dimensions.observation ?? [];
    expect(dims.map((d) => d.id)).toEqual(['INDICATOR', 'REF_AREA', 'SEX', 'EDUCATION_LEV', 'URBANISATION', 'TIME_PERIOD']);
    expect(dims.find((d) => d.id === 'SEX')?.values.map((v) => v.id)).toEqual(expect.arrayContaining(['_T', 'M', 'F']));
    // Every observation key points into the code lists; withheld ones carry null measures.
    const obs = Object.entries(m.data.dataSets[0]?.observations ?? {});
    expect(obs.length).toBeGreaterThan(0);
    for (const [key, values] of obs) {
      key.split(':').forEach((i, d) => expect(Number(i)).toBeLessThan(dims[d]?.values.length ?? 0));
      if (values[5] === 1) expect(values.slice(0, 3)).toEqual([null, null, null]);
    }
  });

  it('every indicator with released figures gives a schema-valid SDMX-JSON message', async () => {
    const codes = indicatorDefinitions.map((d) => d.code);
    for (const code of codes) {
      const r = await get(`/api/sdmx/data/${code}`);
      expect(r.statusCode, code).toBe(200);
      const ok = validateSdmx(r.json());
      expect(ok ? [] : [code, validateSdmx.errors]).toEqual([]);
    }
  });

  it('?format=sdmx-csv (or Accept) answers SDMX-CSV whose first columns are STRUCTURE,STRUCTURE_ID', async () => {
    for (const r of [await get('/api/sdmx/data/fitness_good_rate?format=sdmx-csv'), await get('/api/sdmx/data/fitness_good_rate', { accept: 'application/vnd.sdmx.data+csv;version=2.0.0' })]) {
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('application/vnd.sdmx.data+csv');
      expect(r.body.split('\r\n')[0]?.startsWith('STRUCTURE,STRUCTURE_ID,')).toBe(true);
      const rows = csv(r.body);
      expect(rows.every((x) => x.STRUCTURE === 'datastructure' && x.STRUCTURE_ID === 'TJ_EDU:EDUPLAN_IND(1.0)')).toBe(true);
      expect(rows.filter((x) => x.CONF_STATUS === 'C').every((x) => x.OBS_VALUE === '' && x.NUMERATOR === '')).toBe(true);
      // The city's boys and girls are there with their SDMX codes.
      expect(rows.some((x) => x.REF_AREA === '120000' && x.SEX === 'F')).toBe(true);
    }
  });

  it('the dataset list names every dataset with formats, rows and last update; the structure lists the code lists', async () => {
    const l = (await get('/api/open-data')).json() as DatasetList;
    expect(l.datasets[0]?.id).toBe('indicators');
    const fit = l.datasets.find((d) => d.id === 'fitness_good_rate');
    expect(fit?.formats.map((f) => f.format)).toEqual(['CSV', 'JSON', 'SDMX-JSON', 'SDMX-CSV']);
    expect(fit?.last_update).toMatch(/^\d{4}-\d\d-\d\dT/);
    for (const d of l.datasets) for (const f of d.formats) expect((await get(f.url)).statusCode, f.url).toBe(200);
    const s = (await get('/api/sdmx/structure')).json() as { dimensions: Array<{ id: string }> };
    expect(s.dimensions.map((d) => d.id)).toContain('REF_AREA');
  });
});
