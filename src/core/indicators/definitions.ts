/**
 * The plan's 20 main indicators (主要指标), defined as data. Codes are exactly the plan's
 * (plans/tianjin-2021-2025). Definitions follow ../shared/reference/assessments.md §B
 * (《中国教育监测与评价统计指标体系（2020年版）》 and the documents it cites); the
 * relevant clause is quoted in `sources` so every figure can be traced.
 */
import type { Grade } from '../elements/catalogue.ts';
import type { SchoolType } from '../org/types.ts';
import type { Disaggregation, IndicatorDef, OrgFilter } from './types.ts';

const KG: OrgFilter = { types: ['kindergarten'] };
/** Schools with compulsory stages (义务教育学校): primary, junior, nine-year, complete secondary, twelve-year, special. */
const COMPULSORY_TYPES: readonly SchoolType[] = ['primary', 'junior', 'nine_year', 'complete_secondary', 'twelve_year', 'special'];
/** 基础教育学校: kindergartens through senior secondary, incl. special education. */
const BASIC_TYPES: readonly SchoolType[] = ['kindergarten', 'primary', 'junior', 'nine_year', 'complete_secondary', 'senior', 'twelve_year', 'special'];
const ALL: readonly OrgFilter[] = [];

const PRIMARY: readonly Grade[] = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'];
const JUNIOR: readonly Grade[] = ['g7', 'g8', 'g9'];
const SENIOR: readonly Grade[] = ['g10', 'g11', 'g12', 'v1', 'v2', 'v3'];
/** 近视率 population: 6-year-olds (大班 k3) + primary + junior + senior stage (assessments.md §B 儿童青少年总体近视率). */
const MYOPIA_GRADES: readonly Grade[] = ['k3', ...PRIMARY, ...JUNIOR, ...SENIOR];
const FITNESS_GRADES: readonly Grade[] = [...PRIMARY, ...JUNIOR, ...SENIOR];

const bySexAndStage = (stages: ReadonlyArray<[string, string, string, readonly Grade[]]>): Disaggregation[] => [
  { key: 'sex:m', name_zh: '男', name_en: 'Boys', sexes: ['m'] },
  { key: 'sex:f', name_zh: '女', name_en: 'Girls', sexes: ['f'] },
  ...stages.map(([key, zh, en, grades]) => ({ key: `stage:${key}`, name_zh: zh, name_en: en, grades })),
];

const MOE_2020 = { zh: '《中国教育监测与评价统计指标体系（2020年版）》（教育部，2020年12月）', en: 'China Education Monitoring and Evaluation Statistical Indicator System (MOE, 2020 edition)' };
const STATS = { zh: '教育事业统计（基础基表）', en: 'Annual education statistics (basic forms)' };

export const indicatorDefinitions: readonly IndicatorDef[] = [
  {
    code: 'preschool_gross_enrolment_rate', kind: 'ratio', name_zh: '学前三年毛入园率', name_en: 'Preschool (3-year) gross enrolment rate',
    unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['k1', 'k2', 'k3'] }], schools: [KG] },
    denominator: { kind: 'reference', code: 'pop.age3_5' },
    definition_zh: '在园（班）幼儿数（不分年龄）÷ 3—5岁人口 × 100%', definition_en: 'Children enrolled in kindergartens (any age) ÷ population aged 3–5 × 100%',
    formula_zh: 'Σ 幼儿园在园幼儿数 ÷ 3—5岁常住人口 × 100', formula_en: 'Σ kindergarten children ÷ resident population aged 3–5 × 100',
    sources: [MOE_2020, { zh: 'assessments.md §B 学前三年毛入园率', en: 'assessments.md §B preschool gross enrolment rate' }, STATS],
    disclosure: { unit: 'students', operand: 'numerator' },
  },
  {
    code: 'compulsory_retention_rate', kind: 'ratio', name_zh: '义务教育巩固率', name_en: 'Compulsory education retention rate',
    unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'graduates.g9' }], schools: ALL },
    denominator: { kind: 'sum', terms: [{ element: 'cohort.g9_base' }], schools: ALL },
    definition_zh: '初中毕业班学生数 ÷ 该年级入小学一年级时的学生数（含正常流动）× 100%（不同于优质均衡的“初中三年巩固率”）',
    definition_en: 'Junior-secondary graduates ÷ the same cohort when it entered grade 1 (incl. normal transfers) × 100% (not the 3-year junior retention of the balanced-development assessment)',
    formula_zh: 'Σ 初中毕业生数 ÷ Σ 本届学生入小学一年级时人数 × 100', formula_en: 'Σ grade-9 graduates ÷ Σ cohort size at grade 1 × 100',
    sources: [MOE_2020, { zh: 'assessments.md §B 九年义务教育巩固率', en: 'assessments.md §B nine-year compulsory retention rate' }, STATS],
    disclosure: { unit: 'students', operand: 'denominator' },
  },
  {
    code: 'senior_secondary_gross_enrolment_rate', kind: 'ratio', name_zh: '高中阶段毛入学率', name_en: 'Senior secondary gross enrolment rate',
    unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['g10', 'g11', 'g12', 'v1', 'v2', 'v3'] }], schools: ALL },
    denominator: { kind: 'reference', code: 'pop.age15_17' },
    definition_zh: '高中阶段在校生（普通高中 + 中职）÷ 15—17岁人口 × 100%（口径为15—17岁，见 assessments.md §B）',
    definition_en: 'Senior-stage students (general senior + secondary vocational) ÷ population aged 15–17 × 100% (ages 15–17 per assessments.md §B)',
    formula_zh: '（Σ 高一至高三在校生 + Σ 中职一至三年级在校生）÷ 15—17岁人口 × 100', formula_en: '(Σ grades 10–12 + Σ vocational years 1–3 students) ÷ population aged 15–17 × 100',
    sources: [MOE_2020, { zh: 'assessments.md §B 高中阶段毛入学率', en: 'assessments.md §B senior secondary GER' }, STATS],
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
    sources: [{ zh: '教育部 高等教育毛入学率计算口径（assessments.md §B，V级）', en: 'MOE definition of the higher-education GER (assessments.md §B, verified)' }],
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
    sources: [{ zh: 'assessments.md §B 每十万人口高等教育平均在校生数（分子口径U级：未加权）', en: 'assessments.md §B students per 100,000 (numerator scope unverified: unweighted)' }, STATS],
    disclosure: { unit: 'students', operand: 'numerator' },
    caveat_zh: '高校按所在区归属，区级数值无意义，只计算全市', caveat_en: 'Universities serve the whole city; only the city value is meaningful',
  },
  {
    code: 'working_age_schooling_years', kind: 'reference', reference: 'attainment.working_age_years', name_zh: '劳动年龄人口平均受教育年限', name_en: 'Mean years of schooling of the working-age population',
    unit: '年', direction: 'up', time_basis: 'calendar_year', levels: ['district', 'city'],
    definition_zh: 'Σ（各受教育程度人口 × 该程度年限）÷ 16—59岁人口（统计部门发布，参考数据）', definition_en: 'Σ(population at each attainment level × its years) ÷ population aged 16–59 (published by the statistics bureau; reference value)',
    formula_zh: '参考数据 attainment.working_age_years', formula_en: 'reference value attainment.working_age_years',
    sources: [{ zh: 'assessments.md §B 劳动年龄人口平均受教育年限；人口普查/抽样调查', en: 'assessments.md §B; census / population sample survey' }],
    disclosure: { unit: 'none', operand: 'numerator' },
  },
  {
    code: 'new_workforce_schooling_years', kind: 'reference', reference: 'attainment.new_workforce_years', name_zh: '新增劳动者平均受教育年限', name_en: 'Mean years of schooling of new entrants to the workforce',
    unit: '年', direction: 'up', time_basis: 'calendar_year', levels: ['district', 'city'],
    definition_zh: '统计部门发布的参考数据（官方计算公式未找到，见 assessments.md §B）', definition_en: 'Reference value as published (no official formula found; assessments.md §B)',
    formula_zh: '参考数据 attainment.new_workforce_years', formula_en: 'reference value attainment.new_workforce_years',
    sources: [{ zh: 'assessments.md §B 新增劳动力平均受教育年限（U级）', en: 'assessments.md §B new workforce schooling years (formula unknown)' }],
    disclosure: { unit: 'none', operand: 'numerator' },
  },
  {
    code: 'lifelong_learning_participations', kind: 'reference', reference: 'lifelong.participations', name_zh: '服务市民终身学习人次', name_en: 'Lifelong-learning participations served',
    unit: '人次', direction: 'up', time_basis: 'calendar_year', levels: ['district', 'city'],
    definition_zh: '全年服务市民终身学习人次（开放大学、社区教育、老年教育等报送，参考数据）', definition_en: 'Participations in lifelong learning served in the year (open university, community and elderly education returns; reference value)',
    formula_zh: '参考数据 lifelong.participations', formula_en: 'reference value lifelong.participations',
    sources: [{ zh: '天津市终身学习服务体系统计（参考数据来源字段）', en: 'Tianjin lifelong-learning service returns (see the reference value’s source)' }],
    disclosure: { unit: 'none', operand: 'numerator' },
  },
  {
    code: 'public_kindergarten_share', kind: 'ratio', name_zh: '公办园在园幼儿比例', name_en: 'Share of children in public kindergartens',
    unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['k1', 'k2', 'k3'] }], schools: [{ types: ['kindergarten'], ownership: 'public' }] },
    denominator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['k1', 'k2', 'k3'] }], schools: [KG] },
    definition_zh: '公办园在园幼儿数 ÷ 在园幼儿总数 × 100%', definition_en: 'Children in public kindergartens ÷ all kindergarten children × 100%',
    formula_zh: 'Σ 公办园在园幼儿 ÷ Σ 全部幼儿园在园幼儿 × 100', formula_en: 'Σ children in public kindergartens ÷ Σ children in all kindergartens × 100',
    sources: [{ zh: 'assessments.md §B 公办园在园幼儿占比；教督〔2020〕1号', en: 'assessments.md §B; 教督〔2020〕1号' }, STATS],
    disclosure: { unit: 'students', operand: 'denominator' },
  },
  {
    code: 'inclusive_preschool_coverage', kind: 'ratio', name_zh: '普惠性学前教育资源覆盖率', name_en: 'Inclusive preschool coverage',
    unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['k1', 'k2', 'k3'] }], schools: [{ types: ['kindergarten'], ownership: 'public' }, { types: ['kindergarten'], ownership: 'private', inclusive: true }] },
    denominator: { kind: 'sum', terms: [{ element: 'enrol', grades: ['k1', 'k2', 'k3'] }], schools: [KG] },
    definition_zh: '（公办园 + 普惠性民办园）在园幼儿数 ÷ 在园幼儿总数 × 100%（教育部公报称“普惠性幼儿园在园幼儿占比”）',
    definition_en: 'Children in public + inclusive private kindergartens ÷ all kindergarten children × 100% (MOE bulletins: share of children in inclusive kindergartens)',
    formula_zh: 'Σ（公办园 + 普惠性民办园）在园幼儿 ÷ Σ 全部在园幼儿 × 100', formula_en: 'Σ children in public and inclusive private kindergartens ÷ Σ all kindergarten children × 100',
    sources: [{ zh: 'assessments.md §B 普惠性幼儿园覆盖率', en: 'assessments.md §B inclusive kindergarten coverage' }, STATS],
    disclosure: { unit: 'students', operand: 'denominator' },
  },
  {
    code: 'school_district_system_share', kind: 'ratio', name_zh: '义务教育学区化办学比例', name_en: 'Share of compulsory schools in school districts (学区化)',
    unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'school_district.member' }], schools: [{ types: COMPULSORY_TYPES }] },
    denominator: { kind: 'count_schools', reporting: 'school_district.member', schools: [{ types: COMPULSORY_TYPES }] },
    definition_zh: '实行学区化办学的义务教育学校数 ÷ 义务教育学校数 × 100%', definition_en: 'Compulsory schools in a school-district arrangement ÷ compulsory schools × 100%',
    formula_zh: '学区成员学校数（school_district.member = 1）÷ 报送该项的义务教育学校数 × 100', formula_en: 'schools with school_district.member = 1 ÷ compulsory schools reporting it × 100',
    sources: [{ zh: '天津市学区化办学名单；规划 三、（二）2', en: 'Tianjin school-district lists; plan §3(2)2' }],
    disclosure: { unit: 'schools', operand: 'denominator' },
  },
  {
    code: 'large_class_share', kind: 'ratio', name_zh: '义务教育学校大班额比例', name_en: 'Share of large classes in compulsory schools',
    unit: '%', direction: 'down', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'classes.cmp.56_65' }, { element: 'classes.cmp.66plus' }], schools: ALL },
    denominator: { kind: 'sum', terms: [{ element: 'classes.cmp.lt46' }, { element: 'classes.cmp.46_55' }, { element: 'classes.cmp.56_65' }, { element: 'classes.cmp.66plus' }], schools: ALL },
    definition_zh: '56人及以上班级数（56—65人大班额 + 66人及以上超大班额）÷ 义务教育班级总数 × 100%',
    definition_en: 'Classes of 56 or more (56–65 large + 66+ very large) ÷ all compulsory-education classes × 100%',
    formula_zh: 'Σ（56—65人班 + 66人及以上班）÷ Σ 全部义务教育班级 × 100', formula_en: 'Σ(classes of 56–65 + classes of 66+) ÷ Σ all compulsory classes × 100',
    sources: [{ zh: 'assessments.md §B 大班额比例（教育部班额分档：56—65大班额，66及以上超大班额）', en: 'assessments.md §B large-class share (MOE bands: 56–65 large, 66+ very large)' }, STATS],
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
    sources: [STATS, { zh: '教基 专任教师学历；统计用城乡划分代码', en: 'teacher qualification tables; statistical urban–rural classification' }],
    disclosure: { unit: 'teachers', operand: 'denominator' },
    caveat_zh: '完全中学、十二年一贯制学校的教师无法按学段拆分，全部计入', caveat_en: 'Teachers of complete-secondary and twelve-year schools cannot be split by stage and are all counted',
  },
  {
    code: 'balanced_district_share', kind: 'computation', computation: 'balanced_district_share', name_zh: '义务教育优质均衡区比例', name_en: 'Share of districts with high-quality balanced compulsory education',
    unit: '%', direction: 'up', time_basis: 'academic_year', levels: ['city'],
    definition_zh: '通过县域义务教育优质均衡发展督导评估的区数 ÷ 16 × 100%（教督〔2017〕6号）', definition_en: 'Districts passing the county-level high-quality balanced compulsory education assessment ÷ 16 × 100% (教督〔2017〕6号)',
    formula_zh: '评估结论为“通过”的区数 ÷ 全市区数 × 100', formula_en: 'districts with a passing verdict ÷ districts in the city × 100',
    sources: [{ zh: '《县域义务教育优质均衡发展督导评估办法》（教督〔2017〕6号）；assessments.md §A1', en: 'Assessment measures for high-quality balanced compulsory education (教督〔2017〕6号); assessments.md §A1' }],
    disclosure: { unit: 'none', operand: 'denominator' },
  },
  {
    code: 'fitness_good_rate', kind: 'ratio', name_zh: '学生体质优良率', name_en: 'Share of students rated excellent or good in fitness',
    unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'fitness.excellent_good', grades: FITNESS_GRADES }], schools: ALL },
    denominator: { kind: 'sum', terms: [{ element: 'fitness.tested', grades: FITNESS_GRADES }], schools: ALL },
    disaggregations: bySexAndStage([['primary', '小学', 'Primary', PRIMARY], ['junior', '初中', 'Junior secondary', JUNIOR], ['senior', '高中阶段', 'Senior stage', SENIOR]]),
    definition_zh: '学年总分评定为优秀（≥90.0）或良好（80.0—89.9）的学生数 ÷ 测试学生数 × 100%（《国家学生体质健康标准（2014年修订）》）',
    definition_en: 'Students rated excellent (≥ 90.0) or good (80.0–89.9) ÷ students tested × 100% (National Student Physical Fitness Standard, 2014)',
    formula_zh: 'Σ 优良人数 ÷ Σ 测试人数 × 100', formula_en: 'Σ excellent-or-good ÷ Σ tested × 100',
    sources: [{ zh: '《国家学生体质健康标准（2014年修订）》说明7；assessments.md §B', en: 'National Student Physical Fitness Standard (2014) note 7; assessments.md §B' }],
    disclosure: { unit: 'students', operand: 'denominator' },
  },
  {
    code: 'myopia_rate', kind: 'ratio', name_zh: '儿童青少年总体近视率', name_en: 'Overall myopia rate of children and adolescents',
    unit: '%', direction: 'down', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'vision.myopic', grades: MYOPIA_GRADES }], schools: ALL },
    denominator: { kind: 'sum', terms: [{ element: 'vision.screened', grades: MYOPIA_GRADES }], schools: ALL },
    disaggregations: bySexAndStage([['age6', '6岁（大班）', 'Age 6 (kindergarten k3)', ['k3']], ['primary', '小学', 'Primary', PRIMARY], ['junior', '初中', 'Junior secondary', JUNIOR], ['senior', '高中阶段', 'Senior stage', SENIOR]]),
    definition_zh: '筛查性近视人数 ÷ 筛查人数 × 100%（6岁儿童 + 小学 + 初中 + 高中；筛查性近视：裸眼远视力 < 5.0 且 SE < −0.50 D，WS/T 663—2020）',
    definition_en: 'Students with screening myopia ÷ students screened × 100% (age 6 + primary + junior + senior; screening myopia: UCVA < 5.0 and SE < −0.50 D, WS/T 663—2020)',
    formula_zh: 'Σ 筛查性近视人数 ÷ Σ 筛查人数 × 100', formula_en: 'Σ screening myopia ÷ Σ screened × 100',
    sources: [{ zh: 'WS/T 663—2020；assessments.md §B 儿童青少年总体近视率', en: 'WS/T 663—2020; assessments.md §B overall myopia rate' }],
    disclosure: { unit: 'students', operand: 'denominator' },
  },
  {
    code: 'wireless_coverage_rate', kind: 'ratio', name_zh: '基础教育无线网覆盖率', name_en: 'Wireless network coverage of basic-education schools',
    unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['district', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'wireless.covered' }], schools: [{ types: BASIC_TYPES }] },
    denominator: { kind: 'count_schools', reporting: 'wireless.covered', schools: [{ types: BASIC_TYPES }] },
    definition_zh: '无线网络覆盖全部教学场所的基础教育学校数 ÷ 基础教育学校数 × 100%', definition_en: 'Basic-education schools whose wireless network covers all teaching areas ÷ basic-education schools × 100%',
    formula_zh: 'wireless.covered = 1 的学校数 ÷ 报送该项的基础教育学校数 × 100', formula_en: 'schools with wireless.covered = 1 ÷ basic-education schools reporting it × 100',
    sources: [{ zh: '教基3171 信息化', en: 'Education statistics form 3171 (ICT)' }],
    disclosure: { unit: 'schools', operand: 'denominator' },
  },
  {
    code: 'vocational_dual_teacher_share', kind: 'ratio', name_zh: '职业教育“双师型”教师占比', name_en: 'Share of "dual-qualified" teachers in vocational education',
    unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'district', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'teachers.dual_qualified' }], schools: [{ types: ['vocational'] }] },
    denominator: { kind: 'sum', terms: [{ element: 'teachers.specialty' }], schools: [{ types: ['vocational'] }] },
    definition_zh: '认定的“双师型”教师数 ÷ 专业课教师数 × 100%（教师厅〔2022〕2号）', definition_en: 'Certified dual-qualified teachers ÷ specialty-course teachers × 100% (教师厅〔2022〕2号)',
    formula_zh: 'Σ “双师型”教师 ÷ Σ 专业课教师 × 100', formula_en: 'Σ dual-qualified teachers ÷ Σ specialty-course teachers × 100',
    sources: [{ zh: 'assessments.md §B 双师型教师占比；教师厅〔2022〕2号', en: 'assessments.md §B; 教师厅〔2022〕2号' }],
    disclosure: { unit: 'teachers', operand: 'denominator' },
  },
  {
    code: 'university_master_teacher_share', kind: 'ratio', name_zh: '普通高校具有硕士及以上学位的专任教师比例', name_en: 'Share of university teachers with a master degree or higher',
    unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'teachers.master_plus' }], schools: [{ types: ['higher_ed'] }] },
    denominator: { kind: 'sum', terms: [{ element: 'teachers.fulltime' }], schools: [{ types: ['higher_ed'] }] },
    definition_zh: '普通高校具有硕士及以上学位的专任教师数 ÷ 专任教师数 × 100%', definition_en: 'University full-time teachers with a master degree or higher ÷ full-time teachers × 100%',
    formula_zh: 'Σ 高校硕士及以上学位专任教师 ÷ Σ 高校专任教师 × 100', formula_en: 'Σ university teachers with master+ ÷ Σ university full-time teachers × 100',
    sources: [{ zh: '高基 专任教师学位', en: 'Higher-education statistics: teacher degrees' }],
    disclosure: { unit: 'teachers', operand: 'denominator' },
  },
  {
    code: 'dual_supervisor_share', kind: 'ratio', name_zh: '专业学位研究生双导师比例', name_en: 'Share of professional-degree postgraduates with dual supervisors',
    unit: '%', direction: 'up', time_basis: 'academic_year', scale: 100, levels: ['school', 'city'],
    numerator: { kind: 'sum', terms: [{ element: 'he.prof_postgrads_dual' }], schools: [{ types: ['higher_ed'] }] },
    denominator: { kind: 'sum', terms: [{ element: 'he.prof_postgrads' }], schools: [{ types: ['higher_ed'] }] },
    definition_zh: '实行校内外双导师制的专业学位研究生数 ÷ 专业学位研究生数 × 100%', definition_en: 'Professional-degree postgraduates with an academic and an industry supervisor ÷ professional-degree postgraduates × 100%',
    formula_zh: 'Σ 双导师专业学位研究生 ÷ Σ 专业学位研究生 × 100', formula_en: 'Σ dual-supervised professional postgraduates ÷ Σ professional postgraduates × 100',
    sources: [{ zh: '学校报告；规划 三、（六）3', en: 'Institution returns; plan §3(6)3' }],
    disclosure: { unit: 'students', operand: 'denominator' },
  },
];

export const indicatorByCode: ReadonlyMap<string, IndicatorDef> = new Map(indicatorDefinitions.map((d) => [d.code, d]));
