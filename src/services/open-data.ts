/**
 * Open data (开放数据): the released figures as downloads with stable URLs — the tidy table
 * (CSV and JSON, all indicators or one), SDMX-JSON 2.0 and SDMX-CSV 2.0 per indicator, the
 * SDMX structure — and the list of datasets for the open-data page. Released figures only
 * (`readPublishedCells`: the current release of each year and indicator), each row with
 * its release version; withheld cells keep their row without numbers (disclosure control
 * is applied at computation, src/core/disclosure).
 */
import { EduplanError } from '../core/errors.ts';
import { indicatorByCode, indicatorDefinitions } from '../core/indicators/definitions.ts';
import type { IndicatorDef } from '../core/indicators/types.ts';
import { citation, dataLicence, type Citation, type Licence } from '../core/open-data/licence.ts';
import { breakdownColumns, openDataColumns, openDataRows, type OpenDataRow, type ReleasedCellInput } from '../core/open-data/rows.ts';
import { sdmxCsvRows, sdmxJsonMessage, sdmxStructure } from '../core/open-data/sdmx.ts';
import { readLevelModel, readRootOrNull, readTopUnits } from './org-tree.ts';
import type { Store } from '../store/store.ts';
import { readPublishedCells } from './releases.ts';

export interface OpenDataTable {
  readonly columns: string[];
  readonly rows: OpenDataRow[];
  readonly licence: Licence;
  readonly citation: Citation;
  /** The newest release among the rows (数据更新于), null before the first release. */
  readonly release: { readonly year: number; readonly version: number; readonly released_at: string } | null;
}

async function orgNames(store: Store): Promise<Map<string, { name_zh: string; name_en: string; level: string }>> {
  const rows = await store.db.selectFrom('org_unit').select(['code', 'name_zh', 'name_en', 'level']).execute();
  return new Map(rows.map((r) => [r.code, r]));
}

function unknownIndicator(code: string): EduplanError {
  return new EduplanError('E_NOT_FOUND', { detail: `indicator ${code}`, problems: [{ path: 'indicator', value: code, rule: 'indicator_exists', message_zh: `指标 ${code} 不存在`, message_en: `indicator ${code} does not exist` }] });
}

function defOrThrow(code: string): IndicatorDef {
  const def = indicatorByCode.get(code);
  if (!def) throw unknownIndicator(code);
  return def;
}

const newest = (cells: readonly ReleasedCellInput[]): OpenDataTable['release'] => {
  const c = [...cells].sort((a, b) => a.release.released_at.localeCompare(b.release.released_at)).at(-1);
  return c ? { year: c.year, version: c.release.version, released_at: c.release.released_at } : null;
};

/** The tidy table of every released figure, or of one indicator's. `url`: the permalink, for the citation. */
export async function openDataTable(store: Store, q: { readonly indicator?: string | undefined; readonly url: string; readonly demo: boolean }): Promise<OpenDataTable> {
  const def = q.indicator === undefined ? undefined : defOrThrow(q.indicator);
  const cells = await readPublishedCells(store, def ? { indicator: def.code } : {});
  const columns = breakdownColumns(indicatorDefinitions);
  const rows = openDataRows(cells, { defs: indicatorByCode, orgs: await orgNames(store), columns, licence: dataLicence.id });
  const release = newest(cells);
  const title = def ? { zh: `${def.name_zh}（已发布数据）`, en: `${def.name_en} (released figures)` } : { zh: '天津市“十四五”教育现代化规划监测指标（全部已发布数据）', en: 'Tianjin education plan monitoring indicators (all released figures)' };
  return { columns: openDataColumns(columns), rows, licence: dataLicence, citation: citation({ title_zh: title.zh, title_en: title.en, release, url: q.url, demo: q.demo }), release };
}

/** One indicator's released city and district figures as an SDMX-JSON 2.0.0 data message or SDMX-CSV 2.0 rows. */
export async function sdmxData(store: Store, code: string, q: { readonly baseUrl: string; readonly demo: boolean }): Promise<{ json: () => Record<string, unknown>; csv: () => Array<Array<string | number | null>> }> {
  const def = defOrThrow(code);
  // Published for the aggregates (the root and every unit under it), not for single schools.
  const levels = await readLevelModel(store.db);
  const cells = (await readPublishedCells(store, { indicator: code })).filter((c) => !levels.isReporting(c.level));
  const input = { def, cells, orgs: await orgNames(store), baseUrl: q.baseUrl, demo: q.demo };
  return { json: () => sdmxJsonMessage(input), csv: () => sdmxCsvRows(input) };
}

/** The DSD and code lists. */
export async function sdmxStructureOf(store: Store): Promise<Record<string, unknown>> {
  // The reference areas: the root and the units directly under it (Tianjin: the city and its districts).
  const root = await readRootOrNull(store.db);
  const units = root ? [root, ...(await readTopUnits(store.db, root.code))] : [];
  const areas = units.map((o) => ({ code: o.code, name_zh: o.name_zh, name_en: o.name_en })).sort((a, b) => a.code.localeCompare(b.code));
  return sdmxStructure(indicatorDefinitions, areas);
}

export interface Dataset {
  readonly id: string;
  readonly title_zh: string;
  readonly title_en: string;
  readonly description_zh: string;
  readonly description_en: string;
  readonly unit: string;
  readonly rows: number;
  readonly years: number[];
  readonly last_update: string | null;
  readonly formats: ReadonlyArray<{ readonly format: string; readonly url: string }>;
}

/** Every dataset the open-data page lists: the whole table, then one per indicator with released figures. */
export async function listDatasets(store: Store): Promise<{ datasets: Dataset[]; licence: Licence }> {
  const cells = await readPublishedCells(store, {});
  const byIndicator = new Map<string, ReleasedCellInput[]>();
  for (const c of cells) byIndicator.set(c.indicator, [...(byIndicator.get(c.indicator) ?? []), c]);
  const years = (cs: readonly ReleasedCellInput[]): number[] => [...new Set(cs.map((c) => c.year))].sort();
  const all: Dataset = {
    id: 'indicators', title_zh: '全部指标（长表）', title_en: 'All indicators (tidy table)',
    description_zh: '全部已发布的指标数据：每个指标、机构、学年与分组一行，含分子、分母、单位、状态、是否保密与发布版本。',
    description_en: 'Every released figure: one row per indicator, org unit, academic year and breakdown part, with numerator, denominator, unit, status, suppression flag and release version.',
    unit: '', rows: cells.length, years: years(cells), last_update: newest(cells)?.released_at ?? null,
    formats: [{ format: 'CSV', url: '/api/download/indicators.csv' }, { format: 'JSON', url: '/api/download/indicators.json' }],
  };
  const per = indicatorDefinitions.filter((d) => byIndicator.has(d.code)).map((d): Dataset => {
    const cs = byIndicator.get(d.code) ?? [];
    return {
      id: d.code, title_zh: d.name_zh, title_en: d.name_en, description_zh: d.definition_zh, description_en: d.definition_en, unit: d.unit,
      rows: cs.length, years: years(cs), last_update: newest(cs)?.released_at ?? null,
      formats: [
        { format: 'CSV', url: `/api/download/indicators/${d.code}.csv` }, { format: 'JSON', url: `/api/download/indicators/${d.code}.json` },
        { format: 'SDMX-JSON', url: `/api/sdmx/data/${d.code}?format=sdmx-json` }, { format: 'SDMX-CSV', url: `/api/sdmx/data/${d.code}?format=sdmx-csv` },
      ],
    };
  });
  return { datasets: [all, ...per], licence: dataLicence };
}
