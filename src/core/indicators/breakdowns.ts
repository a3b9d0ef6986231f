/**
 * Breakdowns (分组维度): the dimensions an indicator may be split by, and the parts of each,
 * as data. A part is a `Disaggregation` (types.ts): sex and school stage restrict the
 * grade×sex terms (who the pupil is); urban/rural, ownership, 普惠 status and school type
 * restrict the schools that add to the sums (what the school is, from org-units.csv).
 *
 * Each definition lists the parts that make sense for it (definitions.ts); the engine
 * computes them for districts and the city, disclosure control treats each dimension as a
 * partition of the total where it is one (disclosure/operands.ts `partitionsTotal`), and the
 * public API, downloads and SDMX (services/open-data.ts, services/sdmx.ts) name them with the
 * labels and codes below. A part's key is `<dimension>:<part>`.
 */
import type { Grade } from '../elements/catalogue.ts';
import { schoolTypeNames, type SchoolType } from '../org/types.ts';
import type { Disaggregation } from './types.ts';

/** The dimensions, in the order the portal offers them. */
export const breakdownDimensions = ['sex', 'stage', 'programme', 'area', 'ownership', 'provider', 'type'] as const;
export type BreakdownDimension = (typeof breakdownDimensions)[number];

export interface DimensionInfo {
  readonly name_zh: string;
  readonly name_en: string;
  /** What the dimension describes: the pupil (sex, stage, programme) or the school (the others). */
  readonly of: 'pupil' | 'school';
}

export const dimensionInfo: Readonly<Record<BreakdownDimension, DimensionInfo>> = {
  sex: { name_zh: '性别', name_en: 'Sex', of: 'pupil' },
  stage: { name_zh: '学段', name_en: 'School stage', of: 'pupil' },
  programme: { name_zh: '教育类型（普通/职业）', name_en: 'Programme (general / vocational)', of: 'pupil' },
  area: { name_zh: '城乡', name_en: 'Urban / rural', of: 'school' },
  ownership: { name_zh: '办学性质（公办/民办）', name_en: 'Ownership (public / private)', of: 'school' },
  provider: { name_zh: '普惠性（公办园/普惠性民办园/其他民办园）', name_en: 'Inclusive provision (public / inclusive private / other private)', of: 'school' },
  type: { name_zh: '学校类型', name_en: 'School type', of: 'school' },
};

/** The dimension of a part key (`sex:f` → `sex`); null for the total (''). */
export function dimensionOf(key: string): string | null {
  const i = key.indexOf(':');
  return i < 0 ? null : key.slice(0, i);
}

const PRIMARY: readonly Grade[] = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'];
const JUNIOR: readonly Grade[] = ['g7', 'g8', 'g9'];
const SENIOR: readonly Grade[] = ['g10', 'g11', 'g12', 'v1', 'v2', 'v3'];

export const bySex: readonly Disaggregation[] = [
  { key: 'sex:m', name_zh: '男', name_en: 'Boys', sexes: ['m'] },
  { key: 'sex:f', name_zh: '女', name_en: 'Girls', sexes: ['f'] },
];

/** School stages of the students tested or screened; `age6`: kindergarten 大班 (k3), counted by 近视率 only. */
export function byStage(withAge6: boolean): Disaggregation[] {
  return [
    ...(withAge6 ? [{ key: 'stage:age6', name_zh: '6岁（大班）', name_en: 'Age 6 (kindergarten k3)', grades: ['k3'] as readonly Grade[] }] : []),
    { key: 'stage:primary', name_zh: '小学', name_en: 'Primary', grades: PRIMARY },
    { key: 'stage:junior', name_zh: '初中', name_en: 'Junior secondary', grades: JUNIOR },
    { key: 'stage:senior', name_zh: '高中阶段', name_en: 'Senior stage', grades: SENIOR },
  ];
}

/** 普通高中 and 中等职业教育: the two programmes of the senior stage, by grade (g10–g12 and v1–v3). */
export const byProgramme: readonly Disaggregation[] = [
  { key: 'programme:general', name_zh: '普通高中', name_en: 'General senior secondary', grades: ['g10', 'g11', 'g12'] },
  { key: 'programme:vocational', name_zh: '中等职业教育', name_en: 'Secondary vocational', grades: ['v1', 'v2', 'v3'] },
];

/** 城乡分类 of the school's location (国家统计局 统计用区划代码和城乡划分代码: 城区, 镇区, 乡村). */
export const byArea: readonly Disaggregation[] = [
  { key: 'area:urban', name_zh: '城区', name_en: 'Urban', schools: [{ urban_rural: ['urban'] }] },
  { key: 'area:town', name_zh: '镇区', name_en: 'Town', schools: [{ urban_rural: ['town'] }] },
  { key: 'area:rural', name_zh: '乡村', name_en: 'Rural', schools: [{ urban_rural: ['rural'] }] },
];

/** 办学性质: 公办 (run by a public body) or 民办. */
export const byOwnership: readonly Disaggregation[] = [
  { key: 'ownership:public', name_zh: '公办', name_en: 'Public', schools: [{ ownership: 'public' }] },
  { key: 'ownership:private', name_zh: '民办', name_en: 'Private', schools: [{ ownership: 'private' }] },
];

/**
 * Kindergartens by 普惠 status (教督〔2020〕1号: 普惠性资源 = 公办园 + 普惠性民办园): public,
 * certified inclusive private, other private.
 */
export const byProvider: readonly Disaggregation[] = [
  { key: 'provider:public', name_zh: '公办园', name_en: 'Public kindergartens', schools: [{ ownership: 'public' }] },
  { key: 'provider:private_inclusive', name_zh: '普惠性民办园', name_en: 'Inclusive private kindergartens', schools: [{ ownership: 'private', inclusive: true }] },
  { key: 'provider:private_other', name_zh: '非普惠性民办园', name_en: 'Other private kindergartens', schools: [{ ownership: 'private', inclusive: false }] },
];

/** One part per school type (办学类型) among those the indicator counts. */
export function byType(types: readonly SchoolType[]): Disaggregation[] {
  return types.map((t) => ({ key: `type:${t}`, name_zh: schoolTypeNames[t].zh, name_en: schoolTypeNames[t].en, schools: [{ types: [t] }] }));
}

/** The dimensions of an indicator's parts, in the order of `breakdownDimensions`. */
export function dimensionsOf(parts: readonly Disaggregation[] | undefined): BreakdownDimension[] {
  const used = new Set((parts ?? []).map((p) => dimensionOf(p.key)));
  return breakdownDimensions.filter((d) => used.has(d));
}

/** The dimensions describing the school (urban/rural, ownership, 普惠 status, type) among an indicator's parts. */
export function schoolDimensionsOf(parts: readonly Disaggregation[] | undefined): BreakdownDimension[] {
  return dimensionsOf(parts).filter((d) => dimensionInfo[d].of === 'school');
}
