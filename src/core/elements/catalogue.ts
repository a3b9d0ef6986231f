/**
 * Data elements (数据元素): every number a school reports for an academic year,
 * modelled on the 教育事业统计 基础基表 (see ../shared/reference/statistics-forms.md).
 *
 * Storage is one row per (org unit, academic year, element code). Elements with
 * disaggregations (grade, sex) are expanded into one code per combination:
 * `enrol.g7.f` = girls enrolled in grade 7. Indicators select elements by code,
 * or by base + filter through `expandElement`.
 */
import type { SchoolType } from '../org/types.ts';

export const grades = [
  'k1', 'k2', 'k3', // 幼儿园 小班/中班/大班
  'g1', 'g2', 'g3', 'g4', 'g5', 'g6', // 小学
  'g7', 'g8', 'g9', // 初中
  'g10', 'g11', 'g12', // 普通高中
  'v1', 'v2', 'v3', // 中职
] as const;
export type Grade = (typeof grades)[number];
export const sexes = ['m', 'f'] as const;
export type Sex = (typeof sexes)[number];

export const gradeNames: Readonly<Record<Grade, string>> = {
  k1: '小班', k2: '中班', k3: '大班',
  g1: '一年级', g2: '二年级', g3: '三年级', g4: '四年级', g5: '五年级', g6: '六年级',
  g7: '初一', g8: '初二', g9: '初三', g10: '高一', g11: '高二', g12: '高三',
  v1: '中职一年级', v2: '中职二年级', v3: '中职三年级',
};

export const gradesByType: Readonly<Record<SchoolType, readonly Grade[]>> = {
  kindergarten: ['k1', 'k2', 'k3'],
  primary: ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'],
  junior: ['g7', 'g8', 'g9'],
  nine_year: ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8', 'g9'],
  complete_secondary: ['g7', 'g8', 'g9', 'g10', 'g11', 'g12'],
  senior: ['g10', 'g11', 'g12'],
  twelve_year: ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8', 'g9', 'g10', 'g11', 'g12'],
  vocational: ['v1', 'v2', 'v3'],
  special: ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8', 'g9'],
  higher_ed: [],
};

export type ElementKind = 'count' | 'area_m2' | 'money_yuan' | 'flag';

export interface ElementDef {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly kind: ElementKind;
  /** Which school types report it. */
  readonly types: readonly SchoolType[];
  /** `grade_sex`: expanded to `<code>.<grade>.<sex>` for the grades of the school type. */
  readonly dims?: 'grade_sex';
  /** Where it is in the national forms (教基 table), for traceability. */
  readonly source: string;
}

const K12: readonly SchoolType[] = ['primary', 'junior', 'nine_year', 'complete_secondary', 'senior', 'twelve_year', 'special'];
const COMPULSORY: readonly SchoolType[] = ['primary', 'junior', 'nine_year', 'complete_secondary', 'twelve_year', 'special'];
const BASIC: readonly SchoolType[] = ['kindergarten', ...K12];
const ALL_SCHOOLS: readonly SchoolType[] = [...BASIC, 'vocational', 'higher_ed'];

export const elements: readonly ElementDef[] = [
  { code: 'enrol', name_zh: '在校（园）学生数', name_en: 'Students enrolled', kind: 'count', types: [...BASIC, 'vocational'], dims: 'grade_sex', source: '教基3111/3211/3311 在校生数' },
  { code: 'entrants.g1', name_zh: '小学一年级招生数', name_en: 'Grade 1 entrants', kind: 'count', types: ['primary', 'nine_year', 'twelve_year'], source: '教基3111 招生数' },
  { code: 'cohort.g9_base', name_zh: '本届初三学生入小学一年级时的学生数（含正常流动）', name_en: 'Grade-9 cohort size when it entered grade 1 (incl. normal transfers)', kind: 'count', types: ['junior', 'nine_year', 'complete_secondary', 'twelve_year'], source: '学籍系统 / 巩固率口径' },
  { code: 'graduates.g9', name_zh: '初中毕业生数', name_en: 'Junior secondary graduates', kind: 'count', types: ['junior', 'nine_year', 'complete_secondary', 'twelve_year'], source: '教基3211 毕业生数' },
  { code: 'classes.cmp.lt46', name_zh: '义务教育班级数（45人及以下）', name_en: 'Compulsory classes of 45 or fewer', kind: 'count', types: COMPULSORY, source: '教基3112/3212 班额情况' },
  { code: 'classes.cmp.46_55', name_zh: '义务教育班级数（46—55人）', name_en: 'Compulsory classes of 46–55', kind: 'count', types: COMPULSORY, source: '教基3112/3212 班额情况' },
  { code: 'classes.cmp.56_65', name_zh: '义务教育大班额班级数（56—65人）', name_en: 'Compulsory large classes (56–65)', kind: 'count', types: COMPULSORY, source: '教基3112/3212 班额情况' },
  { code: 'classes.cmp.66plus', name_zh: '义务教育超大班额班级数（66人及以上）', name_en: 'Compulsory very large classes (66+)', kind: 'count', types: COMPULSORY, source: '教基3112/3212 班额情况' },
  { code: 'classes.other', name_zh: '其他学段班级数', name_en: 'Classes of other stages', kind: 'count', types: ['kindergarten', 'complete_secondary', 'senior', 'twelve_year', 'vocational'], source: '教基 班级数' },
  { code: 'teachers.fulltime', name_zh: '专任教师数', name_en: 'Full-time teachers', kind: 'count', types: ALL_SCHOOLS, source: '教基3121/3221 专任教师' },
  { code: 'teachers.bachelor_plus', name_zh: '本科及以上学历专任教师数', name_en: 'Full-time teachers with a bachelor degree or higher', kind: 'count', types: ALL_SCHOOLS, source: '教基 专任教师学历' },
  { code: 'teachers.above_required', name_zh: '高于规定学历的专任教师数', name_en: 'Full-time teachers above the required qualification', kind: 'count', types: K12, source: '教督〔2017〕6号 资源配置(1)' },
  { code: 'teachers.backbone', name_zh: '县级及以上骨干教师数', name_en: 'Backbone teachers (county level or above)', kind: 'count', types: K12, source: '教督〔2017〕6号 资源配置(2)' },
  { code: 'teachers.pe_arts', name_zh: '体育、艺术（美术、音乐）专任教师数', name_en: 'PE and arts (art, music) teachers', kind: 'count', types: K12, source: '教督〔2017〕6号 资源配置(3)' },
  // 高职 colleges are `higher_ed` schools: they report these too (a 本科 university writes 0), for the 双师型 scope option (indicators/scope.ts).
  { code: 'teachers.specialty', name_zh: '专业课教师数', name_en: 'Specialty-course teachers', kind: 'count', types: ['vocational', 'higher_ed'], source: '中职基421 / 高基 专任教师' },
  { code: 'teachers.dual_qualified', name_zh: '“双师型”教师数', name_en: '"Dual-qualified" teachers', kind: 'count', types: ['vocational', 'higher_ed'], source: '教师厅〔2022〕2号 认定' },
  { code: 'teachers.master_plus', name_zh: '具有硕士及以上学位的专任教师数', name_en: 'Full-time teachers with a master degree or higher', kind: 'count', types: ['higher_ed', 'senior', 'complete_secondary', 'twelve_year'], source: '高基 专任教师学位' },
  { code: 'area.teaching_aux_m2', name_zh: '教学及辅助用房面积（平方米）', name_en: 'Teaching and auxiliary rooms area (m²)', kind: 'area_m2', types: BASIC, source: '教基3161 校舍情况' },
  { code: 'area.sports_m2', name_zh: '体育运动场馆面积（平方米）', name_en: 'Sports grounds and halls area (m²)', kind: 'area_m2', types: BASIC, source: '教基3171 体育运动场（馆）' },
  { code: 'equipment.value_yuan', name_zh: '教学仪器设备资产值（元）', name_en: 'Teaching equipment value (yuan)', kind: 'money_yuan', types: [...BASIC, 'vocational'], source: '教基3171 资产情况' },
  { code: 'rooms.multimedia', name_zh: '网络多媒体教室数', name_en: 'Networked multimedia classrooms', kind: 'count', types: [...BASIC, 'vocational'], source: '教基3171 信息化' },
  { code: 'wireless.covered', name_zh: '无线网络是否覆盖全部教学场所（是=1，否=0）', name_en: 'Wireless network covers all teaching areas (1 yes, 0 no)', kind: 'flag', types: BASIC, source: '教基3171 信息化' },
  { code: 'school_district.member', name_zh: '是否实行学区化办学（是=1，否=0）', name_en: 'Part of a school-district (学区) arrangement (1 yes, 0 no)', kind: 'flag', types: COMPULSORY, source: '天津市学区化办学名单' },
  { code: 'he.students', name_zh: '普通本专科在校生数', name_en: 'Undergraduate and junior-college students', kind: 'count', types: ['higher_ed'], source: '高基 在校生' },
  { code: 'he.postgrads', name_zh: '研究生在校生数', name_en: 'Postgraduate students', kind: 'count', types: ['higher_ed'], source: '高基 研究生' },
  { code: 'he.prof_postgrads', name_zh: '专业学位研究生在校生数', name_en: 'Professional-degree postgraduates', kind: 'count', types: ['higher_ed'], source: '高基 研究生' },
  { code: 'he.prof_postgrads_dual', name_zh: '实行校内外双导师制的专业学位研究生数', name_en: 'Professional-degree postgraduates with dual (academic + industry) supervisors', kind: 'count', types: ['higher_ed'], source: '学校报告' },
];

/**
 * Elements computed by eduplan from student-level records (学生体质健康、视力筛查),
 * never entered by hand. Stored per school like the others, with the import as source.
 */
export const derivedElements: readonly ElementDef[] = [
  { code: 'fitness.tested', name_zh: '体质健康测试人数', name_en: 'Students tested (fitness)', kind: 'count', types: [...K12, 'vocational'], dims: 'grade_sex', source: '国家学生体质健康标准 测试数据' },
  { code: 'fitness.excellent_good', name_zh: '体质健康优良人数（优秀+良好）', name_en: 'Students rated excellent or good', kind: 'count', types: [...K12, 'vocational'], dims: 'grade_sex', source: '国家学生体质健康标准 说明7' },
  { code: 'fitness.passed', name_zh: '体质健康及格及以上人数', name_en: 'Students rated pass or better', kind: 'count', types: [...K12, 'vocational'], dims: 'grade_sex', source: '国家学生体质健康标准 说明7' },
  { code: 'vision.screened', name_zh: '视力筛查人数', name_en: 'Students screened (vision)', kind: 'count', types: [...BASIC, 'vocational'], dims: 'grade_sex', source: 'WS/T 663—2020' },
  { code: 'vision.myopic', name_zh: '筛查性近视人数', name_en: 'Students with screening myopia', kind: 'count', types: [...BASIC, 'vocational'], dims: 'grade_sex', source: 'WS/T 663—2020' },
];

export const elementByCode: ReadonlyMap<string, ElementDef> = new Map([...elements, ...derivedElements].map((e) => [e.code, e]));

/** Every concrete code an element stands for at a school type (expanding grade × sex). */
export function expandElement(def: ElementDef, type: SchoolType, filter: { grades?: readonly Grade[]; sexes?: readonly Sex[] } = {}): string[] {
  if (def.dims !== 'grade_sex') return [def.code];
  const out: string[] = [];
  for (const g of gradesByType[type]) {
    if (filter.grades && !filter.grades.includes(g)) continue;
    for (const s of sexes) {
      if (filter.sexes && !filter.sexes.includes(s)) continue;
      out.push(`${def.code}.${g}.${s}`);
    }
  }
  return out;
}

/** All concrete codes a school of a type reports on the annual statistics form. */
export function reportedCodes(type: SchoolType): string[] {
  return elements.filter((e) => e.types.includes(type)).flatMap((e) => expandElement(e, type));
}

/** Split a concrete code into its base element and dimensions. `enrol.g7.f` → base `enrol`, grade g7, sex f. */
export function parseElementCode(code: string): { base: ElementDef; grade?: Grade; sex?: Sex } | undefined {
  const direct = elementByCode.get(code);
  if (direct) return { base: direct };
  const m = /^(.*)\.([a-z]\d+)\.([mf])$/.exec(code);
  if (!m) return undefined;
  const base = elementByCode.get(m[1] ?? '');
  if (!base || base.dims !== 'grade_sex') return undefined;
  const grade = m[2] as Grade;
  if (!grades.includes(grade)) return undefined;
  return { base, grade, sex: m[3] as Sex };
}

/**
 * Reference values (参考数据): figures from outside education statistics — census and
 * population estimates (统计局), attainment surveys — stored per org unit and year with
 * their source.
 */
export const referenceCodes = {
  'pop.total': { name_zh: '常住人口', name_en: 'Resident population', unit: '人' },
  'pop.age3_5': { name_zh: '3—5岁人口', name_en: 'Population aged 3–5', unit: '人' },
  'pop.age15_17': { name_zh: '15—17岁人口', name_en: 'Population aged 15–17', unit: '人' },
  'pop.age18_22': { name_zh: '18—22岁人口', name_en: 'Population aged 18–22', unit: '人' },
  'he.enrolment_total': { name_zh: '高等教育在学总规模', name_en: 'Total higher-education enrolment (GER numerator)', unit: '人' },
  'attainment.working_age_years': { name_zh: '劳动年龄人口平均受教育年限', name_en: 'Mean years of schooling, working-age population', unit: '年' },
  'attainment.new_workforce_years': { name_zh: '新增劳动者平均受教育年限', name_en: 'Mean years of schooling, new entrants to the workforce', unit: '年' },
  'lifelong.participations': { name_zh: '服务市民终身学习人次', name_en: 'Lifelong-learning participations served', unit: '人次' },
  // Written by eduplan from the de-duplicated learning events (services/learning-city.ts), not imported.
  'lifelong.participations_events': { name_zh: '服务市民终身学习人次（学习活动记录去重计数）', name_en: 'Lifelong-learning participations (de-duplicated learning events)', unit: '人次' },
  'pop.age60_plus': { name_zh: '60岁及以上常住人口', name_en: 'Resident population aged 60 and over', unit: '人' },
} as const;
export type ReferenceCode = keyof typeof referenceCodes;
