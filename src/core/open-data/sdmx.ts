/**
 * SDMX (统计数据与元数据交换标准) for the released figures: one data structure definition
 * (DSD `TJ_EDU:EDUPLAN_IND(1.0)`) for every indicator, its code lists, and for one
 * indicator an SDMX-JSON 2.0.0 data message (SDMX 3.0 information model) or SDMX-CSV 2.0.
 *
 * The DSD:
 *   dimensions  INDICATOR (the indicator codes), REF_AREA (GB/T 2260: the region's root,
 *               e.g. 120000, and the aggregate units under it — the public SDMX series are
 *               aggregate figures; school figures are in the tidy CSV), SEX (_T, M, F: SDMX CL_SEX), EDUCATION_LEV
 *               (_T and ISCED 2011 levels: 02 pre-primary for age 6 in kindergarten, 1
 *               primary, 2 lower secondary, 3 upper secondary, 34 general and 35 vocational
 *               upper secondary), URBANISATION (_T, URBAN 城区, TOWN 镇区, RURAL 乡村: the
 *               NBS 城乡划分 classes), TIME_PERIOD (the academic year's start year: 2023 =
 *               2023/24, September to August).
 *   measures    OBS_VALUE (the indicator value), NUMERATOR, DENOMINATOR (SDMX 3.0 allows
 *               several measures; the portal publishes both operands with every value).
 *   attributes  UNIT_MEASURE, OBS_STATUS (A normal, O missing: withheld), CONF_STATUS
 *               (F free, C confidential: SDMX CL_CONF_STATUS), RELEASE (the release version).
 *
 * A withheld cell is an observation with null measures, OBS_STATUS O and CONF_STATUS C, so
 * that a reader sees that the figure exists and is confidential. Pure: the caller passes
 * the released cells, the org names and the absolute base URL for links.
 */
import type { IndicatorDef } from '../indicators/types.ts';
import { dimensionOf } from '../indicators/breakdowns.ts';
import { dataLicence, publisher } from './licence.ts';
import type { ReleasedCellInput } from './rows.ts';

export const SDMX_JSON_SCHEMA = 'https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json';
export const DSD_ID = 'EDUPLAN_IND';
export const DSD_VERSION = '1.0';
export const STRUCTURE_ID = `${publisher.id}:${DSD_ID}(${DSD_VERSION})`;
export const SDMX_JSON_TYPE = 'application/vnd.sdmx.data+json; version=2.0.0; charset=utf-8';
export const SDMX_CSV_TYPE = 'application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8';

interface Code { readonly id: string; readonly zh: string; readonly en: string }

const TOTAL: Code = { id: '_T', zh: '合计', en: 'Total' };

/** Breakdown part key → (SDMX dimension, code). Parts not listed here are not in the SDMX series. */
const partCodes: Readonly<Record<string, { readonly dim: 'SEX' | 'EDUCATION_LEV' | 'URBANISATION'; readonly code: Code }>> = {
  'sex:m': { dim: 'SEX', code: { id: 'M', zh: '男', en: 'Male' } },
  'sex:f': { dim: 'SEX', code: { id: 'F', zh: '女', en: 'Female' } },
  'stage:age6': { dim: 'EDUCATION_LEV', code: { id: 'ISCED11_02', zh: '学前教育（6岁，大班）', en: 'Pre-primary (age 6, kindergarten k3)' } },
  'stage:primary': { dim: 'EDUCATION_LEV', code: { id: 'ISCED11_1', zh: '小学', en: 'Primary education' } },
  'stage:junior': { dim: 'EDUCATION_LEV', code: { id: 'ISCED11_2', zh: '初中', en: 'Lower secondary education' } },
  'stage:senior': { dim: 'EDUCATION_LEV', code: { id: 'ISCED11_3', zh: '高中阶段', en: 'Upper secondary education' } },
  'programme:general': { dim: 'EDUCATION_LEV', code: { id: 'ISCED11_34', zh: '普通高中', en: 'Upper secondary, general' } },
  'programme:vocational': { dim: 'EDUCATION_LEV', code: { id: 'ISCED11_35', zh: '中等职业教育', en: 'Upper secondary, vocational' } },
  'area:urban': { dim: 'URBANISATION', code: { id: 'URBAN', zh: '城区', en: 'Urban' } },
  'area:town': { dim: 'URBANISATION', code: { id: 'TOWN', zh: '镇区', en: 'Town' } },
  'area:rural': { dim: 'URBANISATION', code: { id: 'RURAL', zh: '乡村', en: 'Rural' } },
};

const dimensionNames = {
  INDICATOR: { zh: '指标', en: 'Indicator' },
  REF_AREA: { zh: '地区（GB/T 2260）', en: 'Reference area (GB/T 2260)' },
  SEX: { zh: '性别', en: 'Sex' },
  EDUCATION_LEV: { zh: '教育层级（ISCED 2011）', en: 'Level of education (ISCED 2011)' },
  URBANISATION: { zh: '城乡', en: 'Degree of urbanisation' },
  TIME_PERIOD: { zh: '学年', en: 'Academic year' },
} as const;
export type SdmxDimension = keyof typeof dimensionNames;
export const sdmxDimensions = Object.keys(dimensionNames) as SdmxDimension[];

const unitCodes: Readonly<Record<string, Code>> = {
  '%': { id: 'PT', zh: '百分比', en: 'Percent' },
  '年': { id: 'YR', zh: '年', en: 'Years' },
  '人': { id: 'PS', zh: '人', en: 'Persons' },
  '人次': { id: 'PS_TIMES', zh: '人次', en: 'Person-times' },
  '平方米': { id: 'M2', zh: '平方米', en: 'Square metres' },
};
const unitCode = (unit: string): Code => unitCodes[unit] ?? { id: 'OTHER', zh: unit || '其他', en: unit || 'Other' };

const obsStatus = { A: { id: 'A', zh: '正常值', en: 'Normal value' }, O: { id: 'O', zh: '缺失（保密不公开）', en: 'Missing value (withheld)' } } as const;
const confStatus = { F: { id: 'F', zh: '可公开', en: 'Free' }, C: { id: 'C', zh: '保密（统计披露控制）', en: 'Confidential statistical information' } } as const;

/**
 * The SDMX key of a released cell, or null when it is not part of the SDMX series (a breakdown
 * without an SDMX code). Which units are in the series (the root and the aggregates under it, not
 * single schools) is the caller's choice from the region's level model (services/open-data.ts):
 * a province's `prefecture` or `county` cell is as much a REF_AREA as Tianjin's `district`.
 */
export function sdmxKey(c: Pick<ReleasedCellInput, 'disaggregation'>): Record<'SEX' | 'EDUCATION_LEV' | 'URBANISATION', Code> | null {
  const key = { SEX: TOTAL, EDUCATION_LEV: TOTAL, URBANISATION: TOTAL };
  if (c.disaggregation === '') return key;
  const p = partCodes[c.disaggregation];
  if (!p) return null;
  return { ...key, [p.dim]: p.code };
}

export interface SdmxInput {
  readonly def: IndicatorDef;
  /** The released cells of the aggregate units (the caller leaves out reporting units). */
  readonly cells: readonly ReleasedCellInput[];
  readonly orgs: ReadonlyMap<string, { readonly name_zh: string; readonly name_en: string }>;
  /** Absolute origin for links, e.g. https://edu.example.gov.cn */
  readonly baseUrl: string;
  readonly demo: boolean;
}

const names = (c: { zh: string; en: string }) => ({ name: c.zh, names: { zh: c.zh, en: c.en } });
const value = (c: Code) => ({ id: c.id, ...names(c) });

interface Observation { readonly key: Record<SdmxDimension, Code>; readonly cell: ReleasedCellInput }

function observations(input: SdmxInput): Observation[] {
  const out: Observation[] = [];
  for (const cell of input.cells) {
    const k = sdmxKey(cell);
    if (!k) continue;
    const org = input.orgs.get(cell.org_code);
    out.push({
      cell,
      key: {
        INDICATOR: { id: input.def.code, zh: input.def.name_zh, en: input.def.name_en },
        REF_AREA: { id: cell.org_code, zh: org?.name_zh ?? cell.org_code, en: org?.name_en ?? cell.org_code },
        ...k,
        TIME_PERIOD: { id: String(cell.year), zh: `${cell.year}/${String(cell.year + 1).slice(2)}学年`, en: `${cell.year}/${String(cell.year + 1).slice(2)}` },
      },
    });
  }
  return out.sort((a, b) => sdmxDimensions.map((d) => a.key[d].id.localeCompare(b.key[d].id)).find((x) => x !== 0) ?? 0);
}

/** Distinct codes in first-seen order, with an index lookup. */
function codeList(items: readonly Code[]): { codes: Code[]; index: (c: Code) => number } {
  const codes: Code[] = [];
  const at = new Map<string, number>();
  for (const c of items) if (!at.has(c.id)) { at.set(c.id, codes.length); codes.push(c); }
  return { codes, index: (c) => at.get(c.id) ?? 0 };
}

/** The latest release time among the cells: the message's `prepared` (stable for a release, so the answer can be cached). */
function preparedAt(cells: readonly ReleasedCellInput[]): string {
  const latest = cells.map((c) => c.release.released_at).sort().at(-1);
  return latest ?? '1970-01-01T00:00:00.000Z';
}

/** An SDMX-JSON 2.0.0 data message for one indicator (flat: every dimension at observation level). */
export function sdmxJsonMessage(input: SdmxInput): Record<string, unknown> {
  const obs = observations(input);
  const lists = Object.fromEntries(sdmxDimensions.map((d) => [d, codeList(obs.length > 0 ? obs.map((o) => o.key[d]) : [d === 'INDICATOR' ? { id: input.def.code, zh: input.def.name_zh, en: input.def.name_en } : TOTAL])])) as Record<SdmxDimension, ReturnType<typeof codeList>>;
  const unit = unitCode(input.def.unit);
  const releases = codeList(obs.map((o) => ({ id: `${o.cell.year}-v${o.cell.release.version}`, zh: `${o.cell.year}学年第${o.cell.release.version}版（${o.cell.release.released_at.slice(0, 10)}）`, en: `${o.cell.year} version ${o.cell.release.version} (${o.cell.release.released_at.slice(0, 10)})` })));
  const dataUrl = `${input.baseUrl}/api/sdmx/data/${input.def.code}?format=sdmx-json`;
  const observationsOut: Record<string, Array<number | string | null>> = {};
  for (const o of obs) {
    const key = sdmxDimensions.map((d) => lists[d].index(o.key[d])).join(':');
    const s = o.cell.suppressed;
    observationsOut[key] = [
      s ? null : o.cell.value, s ? null : o.cell.numerator, s ? null : o.cell.denominator,
      0, s ? 1 : 0, s ? 1 : 0, releases.index({ id: `${o.cell.year}-v${o.cell.release.version}`, zh: '', en: '' }),
    ];
  }
  return {
    meta: {
      schema: SDMX_JSON_SCHEMA,
      id: `EDUPLAN-${input.def.code}-${preparedAt(input.cells).replace(/[^0-9]/g, '').slice(0, 14)}`,
      test: input.demo,
      prepared: preparedAt(input.cells),
      contentLanguages: ['zh', 'en'],
      ...names({ zh: `${input.def.name_zh}（已发布数据）`, en: `${input.def.name_en} (released figures)` }),
      sender: { id: publisher.id, ...names({ zh: publisher.name_zh, en: publisher.name_en }) },
      links: [{ href: dataLicence.url, rel: 'license', title: dataLicence.name_en }],
    },
    data: {
      structures: [{
        dataSets: [0],
        links: [{ urn: `urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=${STRUCTURE_ID}`, rel: 'datastructure', href: `${input.baseUrl}/api/sdmx/structure` }],
        ...names({ zh: '天津市“十四五”教育现代化规划监测指标', en: 'Tianjin 14th Five-Year Plan for Education Modernization: monitoring indicators' }),
        dimensions: {
          dataSet: [],
          series: [],
          observation: sdmxDimensions.map((d, i) => ({
            id: d, ...names(dimensionNames[d]), keyPosition: i,
            ...(d === 'TIME_PERIOD' ? { roles: ['TIME_PERIOD'] } : d === 'REF_AREA' ? { roles: ['REF_AREA'] } : {}),
            values: lists[d].codes.map(value),
          })),
        },
        measures: {
          observation: [
            { id: 'OBS_VALUE', ...names({ zh: `指标值（${input.def.unit}）`, en: `Value (${input.def.unit})` }) },
            { id: 'NUMERATOR', ...names({ zh: '分子', en: 'Numerator' }) },
            { id: 'DENOMINATOR', ...names({ zh: '分母', en: 'Denominator' }) },
          ],
        },
        attributes: {
          dataSet: [],
          dimensionGroup: [],
          series: [],
          observation: [
            { id: 'UNIT_MEASURE', ...names({ zh: '计量单位', en: 'Unit of measure' }), relationship: { dimensions: ['INDICATOR'] }, values: [value(unit)] },
            { id: 'OBS_STATUS', ...names({ zh: '观测状态', en: 'Observation status' }), relationship: { observation: {} }, values: [value(obsStatus.A), value(obsStatus.O)] },
            { id: 'CONF_STATUS', ...names({ zh: '保密状态', en: 'Confidentiality status' }), relationship: { observation: {} }, values: [value(confStatus.F), value(confStatus.C)] },
            { id: 'RELEASE', ...names({ zh: '发布版本', en: 'Release version' }), relationship: { observation: {} }, values: releases.codes.length > 0 ? releases.codes.map(value) : [null] },
          ],
        },
      }],
      dataSets: [{
        structure: 0,
        action: 'Information',
        links: [{ href: dataUrl, rel: 'self' }],
        observations: observationsOut,
      }],
    },
  };
}

/** SDMX-CSV 2.0 for one indicator: STRUCTURE, STRUCTURE_ID, ACTION, the dimensions, the measures, the attributes. */
export function sdmxCsvRows(input: SdmxInput): Array<Array<string | number | null>> {
  const header = ['STRUCTURE', 'STRUCTURE_ID', 'ACTION', ...sdmxDimensions, 'OBS_VALUE', 'NUMERATOR', 'DENOMINATOR', 'UNIT_MEASURE', 'OBS_STATUS', 'CONF_STATUS', 'RELEASE'];
  const unit = unitCode(input.def.unit).id;
  return [header, ...observations(input).map((o) => {
    const s = o.cell.suppressed;
    return ['datastructure', STRUCTURE_ID, 'I', ...sdmxDimensions.map((d) => o.key[d].id),
      s ? null : o.cell.value, s ? null : o.cell.numerator, s ? null : o.cell.denominator,
      unit, s ? 'O' : 'A', s ? 'C' : 'F', `${o.cell.year}-v${o.cell.release.version}`];
  })];
}

/** Whether a part key has an SDMX code (breakdowns by ownership, 普惠 status or school type have none yet). */
export const hasSdmxCode = (key: string): boolean => key === '' || key in partCodes || dimensionOf(key) === null;

/** The DSD and its code lists, as plain JSON (GET /api/sdmx/structure): what each dimension, measure and attribute holds. */
export function sdmxStructure(defs: readonly IndicatorDef[], areas: ReadonlyArray<{ code: string; name_zh: string; name_en: string }>): Record<string, unknown> {
  const byDim = (dim: string): Code[] => [TOTAL, ...Object.values(partCodes).filter((p) => p.dim === dim).map((p) => p.code)];
  return {
    id: STRUCTURE_ID,
    agency: { id: publisher.id, name_zh: publisher.name_zh, name_en: publisher.name_en },
    licence: dataLicence,
    dimensions: sdmxDimensions.map((d, i) => ({
      id: d, position: i, name_zh: dimensionNames[d].zh, name_en: dimensionNames[d].en,
      codes: d === 'INDICATOR' ? defs.map((x) => ({ id: x.code, name_zh: x.name_zh, name_en: x.name_en, unit: x.unit }))
        : d === 'REF_AREA' ? areas.map((a) => ({ id: a.code, name_zh: a.name_zh, name_en: a.name_en }))
          : d === 'TIME_PERIOD' ? 'academic year start, YYYY (2023 = 2023/24)'
            : byDim(d).map((c) => ({ id: c.id, name_zh: c.zh, name_en: c.en })),
    })),
    measures: ['OBS_VALUE', 'NUMERATOR', 'DENOMINATOR'],
    attributes: {
      UNIT_MEASURE: Object.values(unitCodes).map((c) => ({ id: c.id, name_zh: c.zh, name_en: c.en })),
      OBS_STATUS: Object.values(obsStatus).map((c) => ({ id: c.id, name_zh: c.zh, name_en: c.en })),
      CONF_STATUS: Object.values(confStatus).map((c) => ({ id: c.id, name_zh: c.zh, name_en: c.en })),
      RELEASE: '<academic year>-v<version>',
    },
  };
}
