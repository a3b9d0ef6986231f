/**
 * Tianjin's 16 districts (市辖区), GB/T 2260 codes and current names.
 * Census figures: 2020 seventh census (七普) resident population, from
 * ../shared/reference/tianjin-stats.md §3. The six central districts are not
 * published individually; their figures here are the central total (4,057,215)
 * shared by the third-party 2022 estimates and marked `populationSource: 'derived'`.
 * They size the demo data only; real reference values come in through import.
 */
export interface District {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  /** 中心城区 / 环城四区 / 滨海新区 / 远郊五区 */
  readonly group: 'central' | 'inner_ring' | 'binhai' | 'outer';
  readonly population2020: number;
  readonly populationSource: 'census2020' | 'derived';
}

export const CITY_CODE = '120000';
export const CITY_NAME_ZH = '天津市';
export const CITY_NAME_EN = 'Tianjin';

export const districts: readonly District[] = [
  { code: '120101', name_zh: '和平区', name_en: 'Heping', group: 'central', population2020: 355_000, populationSource: 'census2020' },
  { code: '120102', name_zh: '河东区', name_en: 'Hedong', group: 'central', population2020: 858_000, populationSource: 'derived' },
  { code: '120103', name_zh: '河西区', name_en: 'Hexi', group: 'central', population2020: 822_000, populationSource: 'derived' },
  { code: '120104', name_zh: '南开区', name_en: 'Nankai', group: 'central', population2020: 883_000, populationSource: 'derived' },
  { code: '120105', name_zh: '河北区', name_en: 'Hebei', group: 'central', population2020: 643_000, populationSource: 'derived' },
  { code: '120106', name_zh: '红桥区', name_en: 'Hongqiao', group: 'central', population2020: 496_215, populationSource: 'derived' },
  { code: '120110', name_zh: '东丽区', name_en: 'Dongli', group: 'inner_ring', population2020: 857_027, populationSource: 'derived' },
  { code: '120111', name_zh: '西青区', name_en: 'Xiqing', group: 'inner_ring', population2020: 1_195_124, populationSource: 'census2020' },
  { code: '120112', name_zh: '津南区', name_en: 'Jinnan', group: 'inner_ring', population2020: 928_066, populationSource: 'census2020' },
  { code: '120113', name_zh: '北辰区', name_en: 'Beichen', group: 'inner_ring', population2020: 909_643, populationSource: 'census2020' },
  { code: '120114', name_zh: '武清区', name_en: 'Wuqing', group: 'outer', population2020: 1_151_313, populationSource: 'census2020' },
  { code: '120115', name_zh: '宝坻区', name_en: 'Baodi', group: 'outer', population2020: 722_367, populationSource: 'census2020' },
  { code: '120116', name_zh: '滨海新区', name_en: 'Binhai New Area', group: 'binhai', population2020: 2_067_318, populationSource: 'census2020' },
  { code: '120117', name_zh: '宁河区', name_en: 'Ninghe', group: 'outer', population2020: 395_314, populationSource: 'census2020' },
  { code: '120118', name_zh: '静海区', name_en: 'Jinghai', group: 'outer', population2020: 787_106, populationSource: 'census2020' },
  { code: '120119', name_zh: '蓟州区', name_en: 'Jizhou', group: 'outer', population2020: 795_516, populationSource: 'census2020' },
];

export const districtByCode: ReadonlyMap<string, District> = new Map(districts.map((d) => [d.code, d]));
