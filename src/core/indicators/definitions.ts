/**
 * The plan's 20 main indicators (主要指标), defined as data. Codes are exactly the plan's
 * (plans/tianjin-2021-2025). Each definition names the official documents it follows in
 * `sources` (what the public sees) and says which units are in and out of scope, and why,
 * in `scope`. The research behind them, with confidence codes, is in the shared reference
 * notes (assessments.md §B and assessments-confirmed.md; statistics-forms.md for the forms):
 * those are internal cross-references and never appear as a source.
 *
 * Where the official scope is uncertain the choice is an option (scope.ts) with a stated
 * default: `indicatorDefinitionsFor(scope)` builds the set for a choice.
 */
import type { Grade } from '../elements/catalogue.ts';
import type { SchoolType } from '../org/types.ts';
import { byArea, byProgramme, bySex, byStage } from './breakdowns.ts';
import { defaultIndicatorScope, resolveScope, type IndicatorScope } from './scope.ts';
import type { IndicatorDef, OrgFilter, ScopeItem, Source } from './types.ts';

const KG: OrgFilter = { types: ['kindergarten'] };
/** Schools with compulsory stages (义务教育学校) other than special schools: primary, junior, nine-year, complete secondary, twelve-year. */
const ORDINARY_COMPULSORY: readonly SchoolType[] = ['primary', 'junior', 'nine_year', 'complete_secondary', 'twelve_year'];
const COMPULSORY_TYPES: readonly SchoolType[] = [...ORDINARY_COMPULSORY, 'special'];
/** Schools with a junior-secondary graduating class that report the cohort base of 巩固率 (catalogue `cohort.g9_base`). */
const COHORT_TYPES: readonly SchoolType[] = ['junior', 'nine_year', 'complete_secondary', 'twelve_year'];
/** 中小学 of basic education (基础教育), special schools included; kindergartens are a scope option. */
const SCHOOL_TYPES_BASIC: readonly SchoolType[] = ['primary', 'junior', 'nine_year', 'complete_secondary', 'senior', 'twelve_year', 'special'];
const ALL: readonly OrgFilter[] = [];

const PRIMARY: readonly Grade[] = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'];
const JUNIOR: readonly Grade[] = ['g7', 'g8', 'g9'];
const SENIOR: readonly Grade[] = ['g10', 'g11', 'g12', 'v1', 'v2', 'v3'];
/** 近视率 population: 6-year-olds (大班 k3) + primary + junior + senior stage (教育部等八部门 2018 方案; assessments.md §B). */
const MYOPIA_GRADES: readonly Grade[] = ['k3', ...PRIMARY, ...JUNIOR, ...SENIOR];
const FITNESS_GRADES: readonly Grade[] = [...PRIMARY, ...JUNIOR, ...SENIOR];

/**
 * Breakdowns (breakdowns.ts) where they make sense: sex and stage where the data are per
 * pupil by grade and sex (体测, 视力); programme for the senior stage; the school's
 * urban/rural class or 普惠 status where the indicator sums over schools. A population ratio
 * (毛入学率) is split by its numerator only: its parts share the population and add up to the
 * total rate (no population by school attribute exists).
 *
 * At most ONE breakdown by school attributes per indicator (breakdowns.ts `schoolDimensionsOf`,
 * checked in definitions.test.ts): the disclosure model (disclosure/publication.ts) treats
 * each dimension as its own partition of the total, and two crossed school attributes (urban
 * or rural × public or private) let an attacker who knows the school register intersect
 * their unpublished rests — the property test found such recoveries (seeds 2101580 and
 * 5976553 of the varied worlds). The same holds across indicators that share a quantity:
 * kindergarten enrolment is the numerator of 毛入园率 and the denominator of 公办园比例 and
 * 普惠覆盖率, so 毛入园率 by 普惠 status beside those two by urban/rural let the attacker in
 * test/storage/disclosure.test.ts recover private kindergartens' children in two districts.
 * A school stage crosses like a school attribute (a primary school's total is its primary
 * part): 近视率 by stage and by urban/rural leaked in the same test (seed 8919). So:
 * sex and stage where the data are per pupil (体测, 视力), programme for the senior stage,
 * urban/rural on the indicators with no other breakdown; ownership, 普惠 status and school
 * type stay defined (breakdowns.ts) for a disclosure model that handles crossed parts.
 */
// Official documents (published titles). The notes that researched them (assessments.md §B,
// statistics-forms.md) are cited in comments only.
const MOE_2020: Source = { zh: '《中国教育监测与评价统计指标体系（2020年版）》（教育部，2020年12月）', en: 'China Education Monitoring and Evaluation Statistical Indicator System, 2020 edition (MOE, December 2020)' };
const MOE_EXPLAIN: Source = { zh: '教育部 教育统计指标解释', en: 'MOE explanations of education statistics indicators' };
const STATS: Source = { zh: '教育部 基础教育基层统计调查表（教育事业统计，国统制〔2018〕86号）', en: 'MOE basic-education statistical survey forms (annual education statistics, approved 国统制〔2018〕86号)' };
const VOC_STATS: Source = { zh: '教育部 中等职业教育基层统计调查表（中职基421“双师型”教师）', en: 'MOE secondary-vocational statistical survey forms (中职基421 dual-qualified teachers)' };
const HE_STATS: Source = { zh: '教育部 高等教育基层统计调查表（高基）', en: 'MOE higher-education statistical survey forms (高基)' };
const GER_HE: Source = { zh: '教育部 高等教育毛入学率计算口径说明（教育部网站，2019年9月）', en: 'MOE note on how the higher-education gross enrolment rate is computed (MOE website, September 2019)' };
const CENSUS: Source = { zh: '国家统计局 人口普查、1%人口抽样调查及人口变动抽样调查', en: 'National Bureau of Statistics: population census, 1 % sample survey and annual population change survey' };
const PRESCHOOL_ASSESS: Source = { zh: '《县域学前教育普及普惠督导评估办法》（教督〔2020〕1号）', en: 'Assessment measures for universal and inclusive preschool education at county level (教督〔2020〕1号)' };
const BALANCED_ASSESS: Source = { zh: '《县域义务教育优质均衡发展督导评估办法》（教督〔2017〕6号）', en: 'Assessment measures for high-quality balanced compulsory education at county level (教督〔2017〕6号)' };
const FITNESS_STD: Source = { zh: '《国家学生体质健康标准（2014年修订）》（教育部，2014年7月）', en: 'National Student Physical Fitness Standard, 2014 revision (MOE, July 2014)' };
const WST663: Source = { zh: '《中小学生屈光不正筛查规范》（WS/T 663—2020）', en: 'Refractive error screening of primary and secondary school students (WS/T 663—2020)' };
const MYOPIA_PLAN: Source = { zh: '教育部等八部门《综合防控儿童青少年近视实施方案》（2018年8月）', en: 'Implementation plan for the comprehensive prevention and control of myopia in children and adolescents (MOE and seven other departments, August 2018)' };
const DUAL_RULE: Source = { zh: '教育部办公厅《关于做好职业教育“双师型”教师认定工作的通知》（教师厅〔2022〕2号）', en: 'MOE notice on certifying dual-qualified teachers in vocational education (教师厅〔2022〕2号)' };
const URBAN_RURAL: Source = { zh: '国家统计局《统计用区划代码和城乡划分代码》', en: 'National Bureau of Statistics: statistical area codes and urban–rural classification' };
const PLAN: Source = { zh: '《天津市教育现代化“十四五”规划》主要指标表', en: 'Tianjin Education Modernization Plan 2021–2025, table of main indicators' };
/** The plan's 专栏7, which sets the per-pupil sports area (生均体育运动场馆面积 7.5 / 10.2 平方米). */
const PLAN_PROJECT7: Source = { zh: '《天津市教育现代化“十四五”规划》专栏7 义务教育优质均衡发展三年行动计划', en: 'Tianjin Education Modernization Plan 2021–2025, box 7 (three-year action plan for balanced compulsory education)' };
const TJ_SCHOOL_DISTRICTS: Source = { zh: '天津市教育委员会 义务教育学区化办学名单', en: 'Tianjin Municipal Education Commission: lists of compulsory schools in school districts' };

/** Scope item helper: units, in or out, why (zh, en), and the document behind it. */
const item = (included: boolean, units_zh: string, units_en: string, why_zh: string, why_en: string, source?: Source): ScopeItem =>
  ({ included, units_zh, units_en, why_zh, why_en, ...(source ? { source } : {}) });

const ATTACHED_PRESCHOOL = item(false, '小学附设幼儿班的幼儿', 'children in preschool classes attached to primary schools',
  '官方口径“在园（班）幼儿”包含附设幼儿班，但本平台的小学年报不采集学前年级，这部分幼儿未计入（分子可能偏低）',
  'the official “在园（班）” count includes attached preschool classes, but the primary-school form here does not collect preschool grades, so these children are missing (the count may be low)', STATS);

/**
 * The definitions for a scope (scope.ts). `indicatorDefinitions` is the default set; a
 * partial scope is completed with the defaults and checked (`resolveScope`).
 */
export function indicatorDefinitionsFor(partial: Partial<IndicatorScope> = {}): readonly IndicatorDef[] {
  const scope = resolveScope(partial);
  // The same objects for the same options: compiled plans and disclosure shapes are kept per definition object.
  const key = JSON.stringify(scope);
  let defs = definitionsByScope.get(key);
  if (!defs) definitionsByScope.set(key, (defs = buildDefinitions(scope)));
  return defs;
}

const definitionsByScope = new Map<string, readonly IndicatorDef[]>();

function buildDefinitions(scope: IndicatorScope): readonly IndicatorDef[] {
  const dualSchools: readonly OrgFilter[] = scope.dual_teachers === 'secondary' ? [{ types: ['vocational'] }] : [{ types: ['vocational'] }, { types: ['higher_ed'] }];
  const wirelessTypes: readonly SchoolType[] = scope.wireless_kindergartens === 'included' ? ['kindergarten', ...SCHOOL_TYPES_BASIC] : SCHOOL_TYPES_BASIC;
  const districtTypes: readonly SchoolType[] = scope.school_district_special === 'included' ? COMPULSORY_TYPES : ORDINARY_COMPULSORY;
  const option = <K extends keyof IndicatorScope>(key: K) => ({ option: { key, value: scope[key], default_value: defaultIndicatorScope[key] } });

  return [
    {
      code: 'preschool_gross_enrolment_rate', kind: 'ratio', name_zh: '学前三年毛入园率', name_en: 'Preschool (3-year) gross enrolment rate',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
      numerator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['k1', 'k2', 'k3'] }], schools: [KG] },
      denominator: { kind: 'reference', code: 'pop.age3_5' },
      definition_zh: '在园（班）幼儿数（不分年龄）÷ 3—5岁人口 × 100%', definition_en: 'Children enrolled in kindergartens and preschool classes (any age) ÷ population aged 3–5 × 100%',
      formula_zh: 'Σ 幼儿园在园幼儿数 ÷ 3—5岁常住人口 × 100', formula_en: 'Σ kindergarten children ÷ resident population aged 3–5 × 100',
      sources: [MOE_2020, PRESCHOOL_ASSESS, STATS, CENSUS],
      scope: [
        item(true, '全部幼儿园（公办、民办）在园幼儿，不限年龄', 'children in every kindergarten (public and private), of any age', '毛入园率的分子按在园人数计，不限年龄', 'a gross rate counts every enrolled child, whatever the age', MOE_2020),
        ATTACHED_PRESCHOOL,
      ],
      disclosure: { unit: 'students', operand: 'numerator' },
    },
    {
      code: 'compulsory_retention_rate', kind: 'ratio', name_zh: '义务教育巩固率', name_en: 'Compulsory education retention rate',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
      disaggregations: byArea,
      numerator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['g9'] }], schools: [{ types: COHORT_TYPES }] },
      denominator: { kind: 'sum', terms: [{ element: 'cohort.g9_base' }], schools: [{ types: COHORT_TYPES }] },
      beside: [{ key: 'graduates', name_zh: '初中毕业生数（仅供参考，不参与计算）', name_en: 'junior-secondary graduates (shown for reference, not used)', operand: { kind: 'sum', terms: [{ element: 'graduates.g9' }], schools: [{ types: COHORT_TYPES }] } }],
      definition_zh: '初中毕业班学生数 ÷ 该年级入小学一年级时的学生数（含正常流动）× 100%（不同于优质均衡评估的“初中三年巩固率”）',
      definition_en: 'Pupils in the graduating junior-secondary class ÷ the same cohort when it entered grade 1 (incl. normal transfers) × 100% (not the 3-year junior retention of the balanced-development assessment)',
      formula_zh: 'Σ 初三（毕业班）在校生数 ÷ Σ 本届学生入小学一年级时人数 × 100', formula_en: 'Σ grade-9 (graduating class) enrolment ÷ Σ cohort size at grade 1 × 100',
      sources: [MOE_EXPLAIN, MOE_2020, STATS],
      scope: [
        item(true, '设初中的普通学校（初级中学、九年一贯制、完全中学、十二年一贯制）的初三在校生', 'grade-9 pupils of ordinary schools with a junior stage (junior, nine-year, complete secondary, twelve-year)', '官方分子为“初中毕业班学生数”，即统计时点的毕业班在校生', 'the official numerator is the graduating class as enrolled on the statistics day', MOE_EXPLAIN),
        item(false, '初中毕业生数', 'junior-secondary graduates', '毕业生数少于毕业班学生数（结业、肄业等），不是官方分子；作为参考数据列在旁边', 'graduates are fewer than the graduating class (pupils who leave without a certificate); not the official numerator, shown beside it', MOE_EXPLAIN),
        item(false, '特殊教育学校', 'special-education schools', '入学时同届人数（学籍基数）只由设初中的普通学校报送，分子分母须同口径', 'the cohort base is reported by ordinary schools with a junior stage only, and numerator and denominator must cover the same schools', STATS),
      ],
      disclosure: { unit: 'students', operand: 'denominator' },
    },
    {
      code: 'senior_secondary_gross_enrolment_rate', kind: 'ratio', name_zh: '高中阶段毛入学率', name_en: 'Senior secondary gross enrolment rate',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
      disaggregations: byProgramme,
      numerator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['g10', 'g11', 'g12', 'v1', 'v2', 'v3'] }], schools: ALL },
      denominator: { kind: 'reference', code: 'pop.age15_17' },
      definition_zh: '高中阶段在校生（普通高中 + 中等职业教育 + 成人高中）÷ 15—17岁人口 × 100%',
      definition_en: 'Senior-stage students (general senior + secondary vocational + adult senior) ÷ population aged 15–17 × 100%',
      formula_zh: '（Σ 高一至高三在校生 + Σ 中职一至三年级在校生）÷ 15—17岁人口 × 100', formula_en: '(Σ grades 10–12 + Σ vocational years 1–3 students) ÷ population aged 15–17 × 100',
      sources: [MOE_2020, STATS, CENSUS],
      scope: [
        item(true, '普通高中（高级中学、完全中学、十二年一贯制）与中等职业学校在校生', 'students of general senior schools (senior, complete secondary, twelve-year) and secondary vocational schools', '官方分子的主体', 'the bulk of the official numerator', MOE_2020),
        item(false, '技工学校、成人高中学生', 'students of technician schools and adult senior schools', '官方分子包含，但其数据由人力社保部门和成人教育统计报送，未纳入本平台（分子可能偏低）', 'in the official numerator, but reported by the human-resources authorities and adult-education statistics, which are not collected here (the count may be low)', MOE_2020),
      ],
      disclosure: { unit: 'students', operand: 'numerator' },
      caveat_zh: '成人高中与技工学校学生未纳入教育事业统计数据，分子可能偏低', caveat_en: 'Adult senior schools and technician schools are not in the education statistics here; the numerator may be low',
    },
    {
      code: 'higher_ed_gross_enrolment_rate', kind: 'ratio', name_zh: '高等教育毛入学率', name_en: 'Higher education gross enrolment rate',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['city'],
      numerator: { kind: 'reference', code: 'he.enrolment_total' },
      denominator: { kind: 'reference', code: 'pop.age18_22' },
      definition_zh: '高等教育在学总规模 ÷ 18—22岁人口 × 100%', definition_en: 'Total higher-education enrolment ÷ population aged 18–22 × 100%',
      formula_zh: '高等教育在学总规模（参考数据）÷ 18—22岁人口 × 100', formula_en: 'total higher-education enrolment (reference value) ÷ population aged 18–22 × 100',
      sources: [GER_HE, CENSUS],
      scope: [
        item(true, '全市高等教育在学总规模（参考数据，按其来源的折算口径）', 'the city’s total higher-education enrolment (reference value, weighted as its source weights it)', '教育部口径包含成人、网络、自考等折算人数，由统计部门或教育部门汇总发布', 'the MOE measure includes weighted adult, online and self-study students, published as a total', GER_HE),
        item(false, '区', 'districts', '高校面向全市招生，区级比率无意义；教育部说明该公式仅适用于全国层面，省级常用“本省生源在学人数 ÷ 本省籍18—22岁人口”', 'universities serve the whole city, so a district rate means nothing; MOE notes the formula applies at national level, provinces often use in-province students ÷ province-registered population aged 18–22', GER_HE),
      ],
      disclosure: { unit: 'none', operand: 'numerator' },
      caveat_zh: '教育部说明该公式仅适用于全国层面；各省常用“本省生源在学人数 ÷ 本省籍18—22岁人口”。仅计算全市值，口径以参考数据来源为准。',
      caveat_en: 'MOE notes this formula applies at national level only; provinces commonly use in-province-origin students ÷ province-registered population aged 18–22. Computed for the city only; the method is that of the reference value’s source.',
    },
    {
      code: 'higher_ed_students_per_100k', kind: 'ratio', name_zh: '每十万人口高等教育平均在校生数', name_en: 'Higher-education students per 100,000 population',
      unit: '人', direction: 'up', time_basis: 'academic_year', scale: 100_000, levels: ['city'],
      numerator: { kind: 'sum', terms: [{ element: 'he.students' }, { element: 'he.postgrads' }], schools: [{ types: ['higher_ed'] }] },
      denominator: { kind: 'reference', code: 'pop.total' },
      definition_zh: '高等教育在校生数 × 100 000 ÷ 常住人口', definition_en: 'Higher-education students × 100,000 ÷ resident population',
      formula_zh: '（Σ 普通本专科在校生 + Σ 研究生在校生）× 100000 ÷ 常住人口', formula_en: '(Σ undergraduate/junior-college + Σ postgraduate students) × 100000 ÷ resident population',
      sources: [MOE_2020, HE_STATS, CENSUS],
      scope: [
        item(true, '普通高校的本专科生与研究生（不加权）', 'undergraduate, junior-college and postgraduate students of regular institutions (unweighted)', '官方分子的具体构成未见公开文本，按未加权在校生计', 'the official composition of the numerator was not found in a published text; unweighted enrolment is used', MOE_2020),
        item(false, '成人本专科、网络教育、自学考试学生', 'adult, online and self-study students', '未采集；是否计入及权重官方未明', 'not collected; whether and how they count is not officially stated'),
        item(false, '区', 'districts', '高校面向全市，区级数值无意义', 'universities serve the whole city; a district value means nothing'),
      ],
      disclosure: { unit: 'students', operand: 'numerator' },
      caveat_zh: '高校按所在区归属，区级数值无意义，只计算全市；分子构成官方未明，按未加权在校生计', caveat_en: 'Universities serve the whole city; only the city value is meaningful. The official composition of the numerator is not published; unweighted enrolment is used',
    },
    {
      code: 'working_age_schooling_years', kind: 'reference', reference: 'attainment.working_age_years', name_zh: '劳动年龄人口平均受教育年限', name_en: 'Mean years of schooling of the working-age population',
      unit: '年', direction: 'up', time_basis: 'calendar_year', levels: ['district', 'city'],
      definition_zh: 'Σ（各受教育程度人口 × 该程度年限）÷ 16—59岁人口（统计部门发布，参考数据）', definition_en: 'Σ(population at each attainment level × its years) ÷ population aged 16–59 (published by the statistics bureau; reference value)',
      formula_zh: '参考数据 attainment.working_age_years', formula_en: 'reference value attainment.working_age_years',
      sources: [MOE_2020, CENSUS],
      scope: [
        item(true, '16—59岁常住人口', 'resident population aged 16–59', '劳动年龄人口按16—59岁计，数值为统计部门发布数', 'working age is 16–59; the value is the statistics bureau’s published figure', MOE_2020),
      ],
      disclosure: { unit: 'none', operand: 'numerator' },
    },
    {
      code: 'new_workforce_schooling_years', kind: 'reference', reference: 'attainment.new_workforce_years', name_zh: '新增劳动者平均受教育年限', name_en: 'Mean years of schooling of new entrants to the workforce',
      unit: '年', direction: 'up', time_basis: 'calendar_year', levels: ['district', 'city'],
      definition_zh: '统计部门发布的参考数据（未找到官方计算公式）', definition_en: 'Reference value as published (no official formula was found)',
      formula_zh: '参考数据 attainment.new_workforce_years', formula_en: 'reference value attainment.new_workforce_years',
      sources: [PLAN, CENSUS],
      scope: [
        item(true, '发布机构所定义的新增劳动力', 'new entrants to the workforce as the publisher defines them', '官方计算公式未找到，按参考数据来源的口径公布', 'no official formula was found; the figure is published as its source computes it'),
      ],
      disclosure: { unit: 'none', operand: 'numerator' },
    },
    {
      code: 'lifelong_learning_participations', kind: 'reference', reference: 'lifelong.participations', derived: 'lifelong.participations_events', name_zh: '服务市民终身学习人次', name_en: 'Lifelong-learning participations served',
      unit: '人次', direction: 'up', time_basis: 'calendar_year', levels: ['district', 'city'],
      definition_zh: '全年服务市民终身学习人次：各学习中心、老年学校、开放大学导入的学习活动记录去重后的条数；没有活动记录的年份沿用报送的参考数据', definition_en: 'Participations in lifelong learning served in the year: the de-duplicated learning events imported from the learning centres, elderly schools and the open university; years without events keep the reported reference value',
      formula_zh: '去重学习活动记录条数（lifelong.participations_events）；无记录的年份用参考数据 lifelong.participations', formula_en: 'count of de-duplicated learning events (lifelong.participations_events); reference value lifelong.participations for years without events',
      sources: [PLAN],
      scope: [
        item(true, '学习活动记录去重计数：同一学习者同日同一学习点同一活动计1人次，无学习者的记录按学习点记录编号计', 'de-duplicated learning events: one learner at one centre in one activity on one day is one participation; rows without a learner count once per centre event id', '规划未给出定义；按学习者—活动—日去重', 'the plan gives no definition; de-duplicated per learner, activity and day', PLAN),
        item(true, '无活动记录的年份：开放大学、社区教育、老年教育等机构报送的服务人次', 'years without events: participations reported by the open university, community and elderly education', '规划未给出定义，按报送机构的年度合计', 'the plan gives no definition; the yearly total of the returns is used', PLAN),
      ],
      disclosure: { unit: 'none', operand: 'numerator' },
    },
    {
      code: 'public_kindergarten_share', kind: 'ratio', name_zh: '公办园在园幼儿比例', name_en: 'Share of children in public kindergartens',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
      disaggregations: byArea,
      numerator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['k1', 'k2', 'k3'] }], schools: [{ types: ['kindergarten'], ownership: 'public' }] },
      denominator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['k1', 'k2', 'k3'] }], schools: [KG] },
      definition_zh: '公办园在园幼儿数 ÷ 在园幼儿总数 × 100%', definition_en: 'Children in public kindergartens ÷ all kindergarten children × 100%',
      formula_zh: 'Σ 公办园在园幼儿 ÷ Σ 全部幼儿园在园幼儿 × 100', formula_en: 'Σ children in public kindergartens ÷ Σ children in all kindergartens × 100',
      sources: [PRESCHOOL_ASSESS, MOE_2020, STATS],
      scope: [
        item(true, '公办幼儿园（分子）；全部幼儿园（分母）', 'public kindergartens (numerator); every kindergarten (denominator)', '公办园按举办者性质认定', 'a public kindergarten is one run by a public body', PRESCHOOL_ASSESS),
        ATTACHED_PRESCHOOL,
      ],
      disclosure: { unit: 'students', operand: 'denominator' },
    },
    {
      code: 'inclusive_preschool_coverage', kind: 'ratio', name_zh: '普惠性学前教育资源覆盖率', name_en: 'Inclusive preschool coverage',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
      disaggregations: byArea,
      numerator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['k1', 'k2', 'k3'] }], schools: [{ types: ['kindergarten'], ownership: 'public' }, { types: ['kindergarten'], ownership: 'private', inclusive: true }] },
      denominator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['k1', 'k2', 'k3'] }], schools: [KG] },
      definition_zh: '（公办园 + 普惠性民办园）在园幼儿数 ÷ 在园幼儿总数 × 100%（教育部公报称“普惠性幼儿园在园幼儿占比”）',
      definition_en: 'Children in public + inclusive private kindergartens ÷ all kindergarten children × 100% (MOE bulletins: share of children in inclusive kindergartens)',
      formula_zh: 'Σ（公办园 + 普惠性民办园）在园幼儿 ÷ Σ 全部在园幼儿 × 100', formula_en: 'Σ children in public and inclusive private kindergartens ÷ Σ all kindergarten children × 100',
      sources: [PRESCHOOL_ASSESS, MOE_2020, STATS],
      scope: [
        item(true, '公办园与认定的普惠性民办园（分子）；全部幼儿园（分母）', 'public and certified inclusive private kindergartens (numerator); every kindergarten (denominator)', '普惠性资源 = 公办园 + 普惠性民办园', 'inclusive provision = public + inclusive private kindergartens', PRESCHOOL_ASSESS),
        item(false, '非普惠性民办园（仅计入分母）', 'non-inclusive private kindergartens (denominator only)', '不属于普惠性资源', 'not inclusive provision', PRESCHOOL_ASSESS),
        ATTACHED_PRESCHOOL,
      ],
      disclosure: { unit: 'students', operand: 'denominator' },
    },
    {
      code: 'school_district_system_share', kind: 'ratio', name_zh: '义务教育学区化办学比例', name_en: 'Share of compulsory schools in school districts (学区化)',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
      disaggregations: byArea,
      numerator: { kind: 'sum', terms: [{ element: 'school_district.member' }], schools: [{ types: districtTypes }] },
      denominator: { kind: 'count_schools', reporting: 'school_district.member', schools: [{ types: districtTypes }] },
      definition_zh: '实行学区化办学的义务教育学校数 ÷ 义务教育学校数 × 100%', definition_en: 'Compulsory schools in a school-district arrangement ÷ compulsory schools × 100%',
      formula_zh: '学区成员学校数（school_district.member = 1）÷ 报送该项的义务教育学校数 × 100', formula_en: 'schools with school_district.member = 1 ÷ compulsory schools reporting it × 100',
      sources: [PLAN, TJ_SCHOOL_DISTRICTS],
      scope: [
        item(true, '小学、初级中学、九年一贯制、完全中学、十二年一贯制学校（报送该项的）', 'primary, junior, nine-year, complete-secondary and twelve-year schools that report the flag', '学区化办学面向普通义务教育学校；规划未给出定义，按学校计', 'school districts group ordinary compulsory schools; the plan gives no definition, so schools are counted', PLAN),
        { ...item(scope.school_district_special === 'included', '特殊教育学校', 'special-education schools', '特教学校面向全区招生，是否纳入学区无文件规定（可配置项，默认不计入）', 'special schools serve a whole district; no document says whether they belong to a school district (an option, excluded by default)', TJ_SCHOOL_DISTRICTS), ...option('school_district_special') },
      ],
      disclosure: { unit: 'schools', operand: 'denominator' },
    },
    {
      code: 'large_class_share', kind: 'ratio', name_zh: '义务教育学校大班额比例', name_en: 'Share of large classes in compulsory schools',
      unit: '%', direction: 'down', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
      disaggregations: byArea,
      numerator: { kind: 'sum', terms: [{ element: 'classes.cmp.56_65' }, { element: 'classes.cmp.66plus' }], schools: [{ types: ORDINARY_COMPULSORY }] },
      denominator: { kind: 'sum', terms: [{ element: 'classes.cmp.lt46' }, { element: 'classes.cmp.46_55' }, { element: 'classes.cmp.56_65' }, { element: 'classes.cmp.66plus' }], schools: [{ types: ORDINARY_COMPULSORY }] },
      definition_zh: '56人及以上班级数（56—65人大班额 + 66人及以上超大班额）÷ 义务教育班级总数 × 100%',
      definition_en: 'Classes of 56 or more (56–65 large + 66+ very large) ÷ all compulsory-education classes × 100%',
      formula_zh: 'Σ（56—65人班 + 66人及以上班）÷ Σ 全部义务教育班级 × 100', formula_en: 'Σ(classes of 56–65 + classes of 66+) ÷ Σ all compulsory classes × 100',
      sources: [MOE_2020, STATS],
      scope: [
        item(true, '普通小学、初中的义务教育班级（含九年一贯制、完全中学和十二年一贯制学校的小学、初中班）', 'compulsory-stage classes of ordinary primary and junior schools (incl. those of nine-year, complete-secondary and twelve-year schools)', '班额分组（56—65人大班额、66人及以上超大班额）出自普通小学、初中的班额统计表', 'the class-size bands (56–65 large, 66+ very large) come from the class-size tables of ordinary primary and junior schools', STATS),
        item(false, '特殊教育学校的班级', 'classes of special-education schools', '特教班额另有标准，不在普通中小学班额统计中', 'special classes have their own size norms and are not in the ordinary class-size tables', STATS),
        item(false, '高中阶段班级', 'senior-stage classes', '指标只看义务教育阶段', 'the indicator covers compulsory education only', MOE_2020),
      ],
      disclosure: { unit: 'classes', operand: 'denominator' },
    },
    {
      code: 'rural_teacher_bachelor_share', kind: 'ratio', name_zh: '农村义务教育专任教师本科及以上学历比例', name_en: 'Share of rural compulsory-school teachers with a bachelor degree or higher',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
      numerator: { kind: 'sum', terms: [{ element: 'teachers.bachelor_plus' }], schools: [{ types: COMPULSORY_TYPES, urban_rural: ['rural'] }] },
      denominator: { kind: 'sum', terms: [{ element: 'teachers.fulltime' }], schools: [{ types: COMPULSORY_TYPES, urban_rural: ['rural'] }] },
      definition_zh: '农村（城乡分类为乡村）义务教育学校本科及以上学历专任教师数 ÷ 专任教师数 × 100%',
      definition_en: 'Teachers with a bachelor degree or higher ÷ full-time teachers, in rural (urban_rural = rural) compulsory schools × 100%',
      formula_zh: 'Σ 农村义务教育学校本科及以上专任教师 ÷ Σ 农村义务教育学校专任教师 × 100', formula_en: 'Σ rural compulsory-school teachers with bachelor+ ÷ Σ their full-time teachers × 100',
      sources: [STATS, URBAN_RURAL],
      scope: [
        item(true, '城乡分类为乡村的义务教育学校（含特殊教育学校）的全部专任教师', 'every full-time teacher of compulsory schools (special schools included) classified as rural', '农村按统计用城乡划分代码的乡村计', 'rural = “乡村” in the statistical urban–rural classification', URBAN_RURAL),
        item(false, '城区、镇区学校', 'schools in urban and town areas', '不属于农村', 'not rural', URBAN_RURAL),
      ],
      disclosure: { unit: 'teachers', operand: 'denominator' },
      caveat_zh: '完全中学、十二年一贯制学校的教师无法按学段拆分，全部计入', caveat_en: 'Teachers of complete-secondary and twelve-year schools cannot be split by stage and are all counted',
    },
    {
      code: 'balanced_district_share', kind: 'computation', computation: 'balanced_district_share', name_zh: '义务教育优质均衡区比例', name_en: 'Share of districts with high-quality balanced compulsory education',
      unit: '%', direction: 'up', time_basis: 'academic_year', levels: ['city'],
      definition_zh: '通过县域义务教育优质均衡发展督导评估的区数 ÷ 16 × 100%（教督〔2017〕6号）', definition_en: 'Districts passing the county-level high-quality balanced compulsory education assessment ÷ 16 × 100% (教督〔2017〕6号)',
      formula_zh: '评估结论为“通过”的区数 ÷ 全市区数 × 100', formula_en: 'districts with a passing verdict ÷ districts in the city × 100',
      sources: [BALANCED_ASSESS],
      scope: [
        item(true, '全市16个区', 'all 16 districts', '每个区是一个评估单位（县域）', 'each district is one assessment unit (county level)', BALANCED_ASSESS),
      ],
      disclosure: { unit: 'none', operand: 'denominator' },
    },
    {
      code: 'fitness_good_rate', kind: 'ratio', name_zh: '学生体质优良率', name_en: 'Share of students rated excellent or good in fitness',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
      numerator: { kind: 'sum', terms: [{ element: 'fitness.excellent_good', grades: FITNESS_GRADES }], schools: ALL },
      denominator: { kind: 'sum', terms: [{ element: 'fitness.tested', grades: FITNESS_GRADES }], schools: ALL },
      disaggregations: [...bySex, ...byStage(false)],
      definition_zh: '学年总分评定为优秀（≥90.0）或良好（80.0—89.9）的学生数 ÷ 测试学生数 × 100%',
      definition_en: 'Students rated excellent (≥ 90.0) or good (80.0–89.9) ÷ students tested × 100%',
      formula_zh: 'Σ 优良人数 ÷ Σ 测试人数 × 100', formula_en: 'Σ excellent-or-good ÷ Σ tested × 100',
      sources: [FITNESS_STD],
      scope: [
        item(true, '小学一年级至高中三年级及中职学生的完整测试记录', 'complete test records of students from grade 1 to grade 12 and in secondary vocational schools', '标准规定各年级的测试项目均为必测项目', 'the standard makes every item of a grade mandatory', FITNESS_STD),
        item(false, '缺项（不完整）的测试记录', 'incomplete test records (an item missing)', '标准未规定缺项时如何评定等级，缺项记录不计入分子分母（平台规则），单独统计', 'the standard gives no grade for a record with a missing item; such records are left out of both sides (platform rule) and counted separately', FITNESS_STD),
        item(false, '免予执行（免测）的学生', 'students exempted from testing (免测)', '免测是单独的管理状态，不评定等级', 'exemption is a separate status with no grade', FITNESS_STD),
        item(false, '高校学生', 'university students', '本平台不采集高校体测数据', 'university test data are not collected here'),
      ],
      disclosure: { unit: 'students', operand: 'denominator' },
    },
    {
      code: 'myopia_rate', kind: 'ratio', name_zh: '儿童青少年总体近视率', name_en: 'Overall myopia rate of children and adolescents',
      unit: '%', direction: 'down', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
      numerator: { kind: 'sum', terms: [{ element: 'vision.myopic', grades: MYOPIA_GRADES }], schools: ALL },
      denominator: { kind: 'sum', terms: [{ element: 'vision.screened', grades: MYOPIA_GRADES }], schools: ALL },
      disaggregations: [...bySex, ...byStage(true)],
      definition_zh: '筛查性近视人数 ÷ 筛查人数 × 100%（6岁儿童 + 小学 + 初中 + 高中；筛查性近视：裸眼远视力 < 5.0 且等效球镜 ≤ −0.50 D）',
      definition_en: 'Students with screening myopia ÷ students screened × 100% (age 6 + primary + junior + senior; screening myopia: uncorrected acuity < 5.0 and spherical equivalent ≤ −0.50 D)',
      formula_zh: 'Σ 筛查性近视人数 ÷ Σ 筛查人数 × 100', formula_en: 'Σ screening myopia ÷ Σ screened × 100',
      sources: [MYOPIA_PLAN, WST663],
      scope: [
        item(true, '幼儿园大班（6岁儿童）、小学、初中、高中阶段（含中职）的筛查学生', 'screened children of kindergarten 大班 (the 6-year-olds), primary, junior and senior stage (vocational included)', '总体近视率按6岁儿童、小学、初中、高中四个群体计', 'the overall rate covers four groups: 6-year-olds, primary, junior and senior', MYOPIA_PLAN),
        item(false, '幼儿园小班、中班', 'kindergarten 小班 and 中班', '筛查性近视的判定适用于6岁及以上', 'screening myopia is defined from age 6', WST663),
        item(false, '无法判定的学生（裸眼视力 < 5.0 但无验光数据）', 'students who cannot be classified (acuity < 5.0 without refraction)', '缺少判定所需数据，不计入分子分母', 'the data needed to decide are missing; left out of both sides', WST663),
      ],
      disclosure: { unit: 'students', operand: 'denominator' },
    },
    {
      code: 'wireless_coverage_rate', kind: 'ratio', name_zh: '基础教育无线网覆盖率', name_en: 'Wireless network coverage of basic-education schools',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
      disaggregations: byArea,
      numerator: { kind: 'sum', terms: [{ element: 'wireless.covered' }], schools: [{ types: wirelessTypes }] },
      denominator: { kind: 'count_schools', reporting: 'wireless.covered', schools: [{ types: wirelessTypes }] },
      definition_zh: '无线网络覆盖全部教学场所的基础教育学校数 ÷ 基础教育学校数 × 100%', definition_en: 'Basic-education schools whose wireless network covers all teaching areas ÷ basic-education schools × 100%',
      formula_zh: 'wireless.covered = 1 的学校数 ÷ 报送该项的基础教育学校数 × 100', formula_en: 'schools with wireless.covered = 1 ÷ basic-education schools reporting it × 100',
      sources: [PLAN, STATS],
      scope: [
        item(true, '中小学（含特殊教育学校），报送该项的', 'primary and secondary schools (special schools included) that report the flag', '基础教育学校；规划未给出定义，按学校计', 'basic-education schools; the plan gives no definition, so schools are counted', PLAN),
        { ...item(scope.wireless_kindergartens === 'included', '幼儿园', 'kindergartens', '基础教育包含学前教育，但规划未给出定义，是否计入幼儿园无文件规定（可配置项，默认计入）', 'basic education includes preschool, but the plan gives no definition and no document says whether kindergartens count (an option, included by default)', PLAN), ...option('wireless_kindergartens') },
        item(false, '中等职业学校', 'secondary vocational schools', '不属于基础教育', 'not basic education', STATS),
      ],
      disclosure: { unit: 'schools', operand: 'denominator' },
    },
    {
      code: 'vocational_dual_teacher_share', kind: 'ratio', name_zh: '职业教育“双师型”教师占比', name_en: 'Share of "dual-qualified" teachers in vocational education',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
      numerator: { kind: 'sum', terms: [{ element: 'teachers.dual_qualified' }], schools: dualSchools },
      denominator: { kind: 'sum', terms: [{ element: 'teachers.specialty' }], schools: dualSchools },
      definition_zh: '认定的“双师型”教师数 ÷ 专业课教师数 × 100%', definition_en: 'Certified dual-qualified teachers ÷ specialty-course teachers × 100%',
      formula_zh: 'Σ “双师型”教师 ÷ Σ 专业课教师 × 100', formula_en: 'Σ dual-qualified teachers ÷ Σ specialty-course teachers × 100',
      sources: [DUAL_RULE, VOC_STATS, HE_STATS],
      scope: [
        item(true, '中等职业学校', 'secondary vocational schools', '“双师型”教师按教师厅〔2022〕2号认定，由中职统计报表（中职基421）采集', 'dual-qualified teachers are certified under 教师厅〔2022〕2号 and reported on the secondary-vocational form (中职基421)', VOC_STATS),
        { ...item(scope.dual_teachers === 'secondary_and_higher', '高等职业院校（报送专业课教师数的高校）', 'higher vocational colleges (institutions that report specialty-course teachers)', '规划的“职业教育”包含中职和高职，但主要指标表未说明口径；规划正文称2020年中职、高职“双师型”专任教师比例分别为80%和70%，与表中基数60%都不一致（可配置项，默认只计中职）', 'the plan’s “vocational education” covers both, but its table does not say which; its text gives 80 % (secondary) and 70 % (higher) for 2020, neither matching the table’s baseline of 60 % (an option, secondary only by default)', PLAN), ...option('dual_teachers') },
      ],
      disclosure: { unit: 'teachers', operand: 'denominator' },
      caveat_zh: '规划主要指标表的基数（60%）与规划正文的中职（80%）、高职（70%）数值口径不一致', caveat_en: 'The plan’s table baseline (60 %) does not match the secondary (80 %) and higher (70 %) vocational figures in its own text',
    },
    {
      code: 'university_master_teacher_share', kind: 'ratio', name_zh: '普通高校具有硕士及以上学位的专任教师比例', name_en: 'Share of university teachers with a master degree or higher',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'city'],
      numerator: { kind: 'sum', terms: [{ element: 'teachers.master_plus' }], schools: [{ types: ['higher_ed'] }] },
      denominator: { kind: 'sum', terms: [{ element: 'teachers.fulltime' }], schools: [{ types: ['higher_ed'] }] },
      definition_zh: '普通高校具有硕士及以上学位的专任教师数 ÷ 专任教师数 × 100%', definition_en: 'University full-time teachers with a master degree or higher ÷ full-time teachers × 100%',
      formula_zh: 'Σ 高校硕士及以上学位专任教师 ÷ Σ 高校专任教师 × 100', formula_en: 'Σ university teachers with master+ ÷ Σ university full-time teachers × 100',
      sources: [HE_STATS, MOE_2020],
      scope: [
        item(true, '普通高等学校（本科院校与高职院校）的专任教师', 'full-time teachers of regular higher-education institutions (universities and higher vocational colleges)', '指标对象为普通高校', 'the indicator covers regular higher-education institutions', HE_STATS),
        item(false, '成人高校、民办非学历机构', 'adult higher-education institutions and non-degree providers', '不属于普通高校，未采集', 'not regular institutions; not collected'),
      ],
      disclosure: { unit: 'teachers', operand: 'denominator' },
    },
    {
      code: 'dual_supervisor_share', kind: 'ratio', name_zh: '专业学位研究生双导师比例', name_en: 'Share of professional-degree postgraduates with dual supervisors',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'city'],
      numerator: { kind: 'sum', terms: [{ element: 'he.prof_postgrads_dual' }], schools: [{ types: ['higher_ed'] }] },
      denominator: { kind: 'sum', terms: [{ element: 'he.prof_postgrads' }], schools: [{ types: ['higher_ed'] }] },
      definition_zh: '实行校内外双导师制的专业学位研究生数 ÷ 专业学位研究生数 × 100%', definition_en: 'Professional-degree postgraduates with an academic and an industry supervisor ÷ professional-degree postgraduates × 100%',
      formula_zh: 'Σ 双导师专业学位研究生 ÷ Σ 专业学位研究生 × 100', formula_en: 'Σ dual-supervised professional postgraduates ÷ Σ professional postgraduates × 100',
      sources: [PLAN, HE_STATS],
      scope: [
        item(true, '培养专业学位研究生的高校', 'institutions that train professional-degree postgraduates', '规划未给出定义，按学生计', 'the plan gives no definition; students are counted', PLAN),
      ],
      disclosure: { unit: 'students', operand: 'denominator' },
    },
    // Supplementary indicators (补充指标): not in the plan's table of 20, computed from data the
    // platform already holds so that the plan's other quantified targets read a computed value
    // (their data_path in the plan files). Listed after the 20.
    {
      code: 'fitness_pass_rate', kind: 'ratio', name_zh: '学生体质健康及格率', name_en: 'Share of students at pass or better in fitness',
      unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
      disaggregations: [...bySex, ...byStage(false)],
      numerator: { kind: 'sum', terms: [{ element: 'fitness.passed', grades: FITNESS_GRADES }], schools: ALL },
      denominator: { kind: 'sum', terms: [{ element: 'fitness.tested', grades: FITNESS_GRADES }], schools: ALL },
      definition_zh: '学年总分评定为及格及以上（≥60.0）的学生数 ÷ 测试学生数 × 100%',
      definition_en: 'Students rated pass or better (≥ 60.0) ÷ students tested × 100%',
      formula_zh: 'Σ 及格及以上人数 ÷ Σ 测试人数 × 100', formula_en: 'Σ pass-or-better ÷ Σ tested × 100',
      sources: [FITNESS_STD],
      scope: [
        item(true, '小学一年级至高中三年级及中职学生的完整测试记录', 'complete test records of students from grade 1 to grade 12 and in secondary vocational schools', '与体质优良率同一口径：标准规定各年级的测试项目均为必测项目', 'the same scope as the good-or-excellent rate: the standard makes every item of a grade mandatory', FITNESS_STD),
        item(false, '缺项（不完整）的测试记录与免测学生', 'incomplete test records and exempted students', '不评定等级，不计入分子分母（平台规则）', 'no grade is given; left out of both sides (platform rule)', FITNESS_STD),
      ],
      disclosure: { unit: 'students', operand: 'denominator' },
    },
    {
      code: 'sports_area_per_pupil_primary', kind: 'ratio', name_zh: '小学生均体育运动场馆面积', name_en: 'Sports grounds and halls per primary pupil',
      unit: '平方米', direction: 'up', time_basis: 'academic_year', scale: 1, levels: ['school', 'district', 'city'],
      numerator: { kind: 'sum', terms: [{ element: 'area.sports_m2' }], schools: [{ types: ['primary'] }] },
      denominator: { kind: 'sum', terms: [{ element: 'enrol', grades: PRIMARY }], schools: [{ types: ['primary'] }] },
      definition_zh: '小学体育运动场馆面积 ÷ 小学在校生数（平方米/生）', definition_en: 'Sports grounds and halls of primary schools ÷ their pupils (m² per pupil)',
      formula_zh: 'Σ 小学体育运动场馆面积 ÷ Σ 小学在校生数', formula_en: 'Σ primary schools’ sports area ÷ Σ their pupils',
      sources: [PLAN_PROJECT7, BALANCED_ASSESS, STATS],
      scope: [
        item(true, '办学类型为小学的学校', 'schools whose type is primary school', '场馆面积按学校填报，一贯制学校无法按学段拆分', 'areas are reported per school and cannot be split by stage in schools spanning several stages', STATS),
        item(false, '九年一贯制、十二年一贯制学校与特殊教育学校', 'nine-year and twelve-year schools and special schools', '场馆由小学、初中学段共用，无法拆分（平台规则）', 'their grounds serve several stages and cannot be split (platform rule)'),
      ],
      disclosure: { unit: 'students', operand: 'denominator' },
    },
    {
      code: 'sports_area_per_pupil_junior', kind: 'ratio', name_zh: '初中生均体育运动场馆面积', name_en: 'Sports grounds and halls per junior-secondary pupil',
      unit: '平方米', direction: 'up', time_basis: 'academic_year', scale: 1, levels: ['school', 'district', 'city'],
      numerator: { kind: 'sum', terms: [{ element: 'area.sports_m2' }], schools: [{ types: ['junior'] }] },
      denominator: { kind: 'sum', terms: [{ element: 'enrol', grades: JUNIOR }], schools: [{ types: ['junior'] }] },
      definition_zh: '初级中学体育运动场馆面积 ÷ 初级中学在校生数（平方米/生）', definition_en: 'Sports grounds and halls of junior secondary schools ÷ their pupils (m² per pupil)',
      formula_zh: 'Σ 初级中学体育运动场馆面积 ÷ Σ 初级中学在校生数', formula_en: 'Σ junior schools’ sports area ÷ Σ their pupils',
      sources: [PLAN_PROJECT7, BALANCED_ASSESS, STATS],
      scope: [
        item(true, '办学类型为初级中学的学校', 'schools whose type is junior secondary school', '场馆面积按学校填报，完全中学与一贯制学校无法按学段拆分', 'areas are reported per school and cannot be split by stage in complete and multi-stage schools', STATS),
        item(false, '完全中学、九年一贯制与十二年一贯制学校', 'complete secondary, nine-year and twelve-year schools', '场馆由多个学段共用，无法拆分（平台规则）', 'their grounds serve several stages and cannot be split (platform rule)'),
      ],
      disclosure: { unit: 'students', operand: 'denominator' },
    },
  ];
}

/** The definitions under the default scope (`defaultIndicatorScope`). */
export const indicatorDefinitions: readonly IndicatorDef[] = indicatorDefinitionsFor();

export const indicatorByCode: ReadonlyMap<string, IndicatorDef> = new Map(indicatorDefinitions.map((d) => [d.code, d]));

/** The options of `scope` that shape at least one definition, by indicator: what a cell records (`inputs.scope`). */
export function scopeOptionsOf(def: IndicatorDef): Readonly<Record<string, string>> | undefined {
  const entries = def.scope.flatMap((s) => (s.option ? [[s.option.key, s.option.value] as const] : []));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** A definition under the options a cell recorded (`inputs.scope`); the default set when it recorded none. */
export function definitionForScope(code: string, recorded: Readonly<Record<string, string>> | undefined): IndicatorDef | undefined {
  if (!recorded) return indicatorByCode.get(code);
  return indicatorDefinitionsFor(resolveScope(recorded)).find((d) => d.code === code);
}
