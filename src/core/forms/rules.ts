/**
 * The validation rules (校验规则) as data. Each rule reads element codes through the
 * expression language in ../validation/expr.ts; a form gets every rule whose plain
 * element references it has (its own fields, or cross-form codes such as the
 * 体测/视力 counts derived from student records).
 *
 * `{g}` / `{s}` in a rule template are expanded per grade (and sex) of the school type;
 * `{grade_zh}` / `{grade_en}` / `{sex_zh}` / `{sex_en}` name them in the messages.
 *
 * Hard rules are 逻辑校验 of the 教育事业统计 client (must be fixed before submitting);
 * soft rules are 经验校验 (fix, or explain in the comment column) — anchors.md [C-stat1].
 */
import type { RuleDef } from './types.ts';

export type RuleTemplate = RuleDef & { readonly foreach?: 'grade' | 'grade_sex' };

const le = (id: string, small: string, big: string, zhSmall: string, zhBig: string, enSmall: string, enBig: string): RuleTemplate => ({
  id, severity: 'hard', kind: 'check', expr: `${small} <= ${big}`, at: [small, big],
  message_zh: `${zhSmall}不能多于${zhBig}`,
  message_en: `${enSmall} cannot exceed ${enBig}`,
  fix_zh: `核对${zhSmall}与${zhBig}：前者是后者的一部分`,
  fix_en: `Check ${enSmall} against ${enBig}: the first is a subset of the second`,
});

export const ruleTemplates: readonly RuleTemplate[] = [
  // ---- cross-field, hard (逻辑校验) ----
  le('bachelor_le_fulltime', 'teachers.bachelor_plus', 'teachers.fulltime', '本科及以上学历专任教师数', '专任教师数', 'Teachers with a bachelor degree or higher', 'full-time teachers'),
  le('above_required_le_fulltime', 'teachers.above_required', 'teachers.fulltime', '高于规定学历的专任教师数', '专任教师数', 'Teachers above the required qualification', 'full-time teachers'),
  le('backbone_le_fulltime', 'teachers.backbone', 'teachers.fulltime', '骨干教师数', '专任教师数', 'Backbone teachers', 'full-time teachers'),
  le('pe_arts_le_fulltime', 'teachers.pe_arts', 'teachers.fulltime', '体育、艺术专任教师数', '专任教师数', 'PE and arts teachers', 'full-time teachers'),
  le('master_le_bachelor', 'teachers.master_plus', 'teachers.bachelor_plus', '硕士及以上学位专任教师数', '本科及以上学历专任教师数', 'Teachers with a master degree or higher', 'teachers with a bachelor degree or higher'),
  le('specialty_le_fulltime', 'teachers.specialty', 'teachers.fulltime', '专业课教师数', '专任教师数', 'Specialty-course teachers', 'full-time teachers'),
  le('dual_le_fulltime', 'teachers.dual_qualified', 'teachers.fulltime', '“双师型”教师数', '专任教师数', 'Dual-qualified teachers', 'full-time teachers'),
  // 双师型 ÷ 专业课教师 is a rate: as the folder import's part ≤ total check (ingest/schemas.ts statsSubsetRules).
  le('dual_le_specialty', 'teachers.dual_qualified', 'teachers.specialty', '“双师型”教师数', '专业课教师数', 'Dual-qualified teachers', 'specialty-course teachers'),
  le('prof_pg_le_pg', 'he.prof_postgrads', 'he.postgrads', '专业学位研究生数', '研究生在校生数', 'Professional-degree postgraduates', 'postgraduates'),
  le('prof_pg_dual_le_prof_pg', 'he.prof_postgrads_dual', 'he.prof_postgrads', '双导师制专业学位研究生数', '专业学位研究生数', 'Postgraduates with dual supervisors', 'professional-degree postgraduates'),
  {
    id: 'teachers_if_students', severity: 'hard', kind: 'check',
    expr: 'sum(enrol.*) == 0 or teachers.fulltime > 0', at: ['teachers.fulltime'],
    message_zh: '有在校学生但专任教师数为0', message_en: 'Students are enrolled but there are no full-time teachers',
    fix_zh: '填写专任教师数', fix_en: 'Enter the number of full-time teachers',
  },
  {
    // 义务教育 pupils (grades 1–9: `g?` matches one character, so g10–g12 are left out) need classes.
    id: 'pupils_need_classes', severity: 'hard', kind: 'check',
    expr: 'sum(enrol.g?.*) == 0 or sum(classes.cmp.*) > 0', at: ['classes.cmp.lt46'],
    message_zh: '有义务教育在校生但义务教育班级数为0', message_en: 'Compulsory-education pupils are enrolled but no compulsory classes are reported',
    fix_zh: '按班额填写义务教育班级数', fix_en: 'Enter the compulsory classes by size band',
  },
  {
    // No 大班额 (56+) class means every class has at most 55 pupils, so 55 × classes ≥ pupils
    // (i.e. classes × 56 > pupils) — 基础基212/213 班额情况.
    id: 'no_large_class_capacity', severity: 'hard', kind: 'check',
    expr: 'classes.cmp.56_65 + classes.cmp.66plus > 0 or sum(enrol.g?.*) <= 55 * (classes.cmp.lt46 + classes.cmp.46_55)',
    at: ['classes.cmp.46_55', 'classes.cmp.lt46'],
    message_zh: '未填报大班额班级，但义务教育在校生数超过“班级数×55”', message_en: 'No large (56+) classes are reported, yet the compulsory pupils exceed classes × 55',
    fix_zh: '核对各班额段班级数与各年级学生数；如有56人及以上的班，填入大班额栏', fix_en: 'Check the classes per size band and the pupils per grade; classes of 56 or more go in the large-class bands',
  },
  {
    // Each band's class holds at least its lower bound: 46–55 → 46, 56–65 → 56, 66+ → 66, ≤45 → 1.
    id: 'class_band_minimum', severity: 'hard', kind: 'check',
    expr: 'sum(enrol.g?.*) >= classes.cmp.lt46 + 46 * classes.cmp.46_55 + 56 * classes.cmp.56_65 + 66 * classes.cmp.66plus',
    at: ['classes.cmp.56_65', 'classes.cmp.66plus', 'classes.cmp.46_55'],
    message_zh: '义务教育在校生数少于各班额段下限之和（班额段填报有误）', message_en: 'Compulsory pupils are fewer than the size bands imply (wrong size band)',
    fix_zh: '核对班额段：46—55人、56—65人、66人及以上各段的班级数', fix_en: 'Check the classes in the 46–55, 56–65 and 66+ bands',
  },
  // ---- cross-field, soft (经验校验) ----
  {
    // 义务教育巩固率 = 初三（毕业班）学生数 ÷ 入小学一年级时的同届人数 (教育部 教育统计指标解释). Above 100 % is possible
    // (pupils transferring in) but rare, and as often a wrong cohort base: the school must say which (issue 12 §4).
    id: 'retention_at_most_100', severity: 'soft', kind: 'check',
    expr: 'sum(enrol.g9.*) <= cohort.g9_base', at: ['cohort.g9_base'],
    message_zh: '初三（毕业班）在校生数多于本届学生入小学一年级时的人数：义务教育巩固率超过100%',
    message_en: 'Grade-9 (graduating class) enrolment exceeds the cohort’s size when it entered grade 1: the retention rate is above 100%',
    fix_zh: '核对初三在校生数与入学时同届人数；如确因转入学生超过100%，请在说明栏注明', fix_en: 'Check grade-9 enrolment and the cohort base; if transfers in really take it above 100%, explain in the comment',
  },
  {
    id: 'entrants_le_g1', severity: 'soft', kind: 'check',
    expr: 'entrants.g1 <= enrol.g1.m + enrol.g1.f', at: ['entrants.g1'],
    message_zh: '一年级招生数多于一年级在校生数', message_en: 'Grade-1 entrants exceed grade-1 enrolment',
    fix_zh: '核对招生数与在校生数；如有开学后转出，请在说明栏注明', fix_en: 'Check entrants and enrolment; if pupils transferred out after enrolment, explain in the comment',
  },
  {
    id: 'pupil_teacher_ratio_plausible', severity: 'soft', kind: 'check',
    expr: 'sum(enrol.*) / teachers.fulltime >= 3 and sum(enrol.*) / teachers.fulltime <= 30', at: ['teachers.fulltime'],
    message_zh: '生师比不在常见范围（3—30）内', message_en: 'Student–teacher ratio is outside the usual 3–30 range',
    fix_zh: '核对学生数与专任教师数；如确实如此请说明原因', fix_en: 'Check students and full-time teachers; if correct, explain why',
  },
  {
    id: 'girls_share_plausible', severity: 'soft', kind: 'check', foreach: 'grade',
    expr: 'enrol.{g}.m + enrol.{g}.f < 20 or (enrol.{g}.f >= 0.3 * (enrol.{g}.m + enrol.{g}.f) and enrol.{g}.f <= 0.7 * (enrol.{g}.m + enrol.{g}.f))',
    at: ['enrol.{g}.f'],
    message_zh: '{grade_zh}女生占比不在30%—70%之间', message_en: '{grade_en}: girls are not between 30% and 70% of pupils',
    fix_zh: '核对{grade_zh}男女生人数是否填反或错行', fix_en: 'Check whether boys and girls in {grade_en} were swapped or put on the wrong row',
  },
  // ---- cross-form, soft: student-record imports (体测 / 视力筛查) against the statistics form ----
  {
    id: 'fitness_tested_le_enrolled', severity: 'soft', kind: 'check', foreach: 'grade_sex',
    expr: 'fitness.tested.{g}.{s} <= enrol.{g}.{s}', at: ['enrol.{g}.{s}'],
    message_zh: '{grade_zh}{sex_zh}体质健康测试人数多于在校生数', message_en: '{grade_en} {sex_en}: more students fitness-tested than enrolled',
    fix_zh: '核对在校生数与体测上报数据；学年内转入学生请在说明栏注明', fix_en: 'Check enrolment against the fitness upload; explain students who transferred in during the year',
  },
  {
    id: 'vision_screened_le_enrolled', severity: 'soft', kind: 'check', foreach: 'grade_sex',
    expr: 'vision.screened.{g}.{s} <= enrol.{g}.{s}', at: ['enrol.{g}.{s}'],
    message_zh: '{grade_zh}{sex_zh}视力筛查人数多于在校生数', message_en: '{grade_en} {sex_en}: more students vision-screened than enrolled',
    fix_zh: '核对在校生数与视力筛查数据；学年内转入学生请在说明栏注明', fix_en: 'Check enrolment against the vision screening; explain students who transferred in during the year',
  },
  // ---- against last year, soft ----
  ...([
    ['change_enrolment', 'sum(enrol.*)', 30, 50, '在校生总数', 'Total enrolment', 'enrol'],
    ['change_teachers', 'teachers.fulltime', 30, 10, '专任教师数', 'Full-time teachers', 'teachers.fulltime'],
    ['change_classes', 'sum(classes.*)', 30, 5, '班级总数', 'Total classes', 'classes'],
    ['change_teaching_area', 'area.teaching_aux_m2', 20, 100, '教学及辅助用房面积', 'Teaching and auxiliary area', 'area.teaching_aux_m2'],
    ['change_sports_area', 'area.sports_m2', 20, 100, '体育运动场馆面积', 'Sports area', 'area.sports_m2'],
    ['change_equipment', 'equipment.value_yuan', 50, 10000, '教学仪器设备资产值', 'Teaching equipment value', 'equipment.value_yuan'],
  ] as const).map(([id, target, maxPct, minBase, zh, en, at]): RuleTemplate => ({
    id, severity: 'soft', kind: 'change', target, maxPct, minBase, ...(at.includes('.') ? { at: [at] } : {}),
    message_zh: `${zh}比上年变化超过${maxPct}%`, message_en: `${en} changed by more than ${maxPct}% from last year`,
    fix_zh: `核对${zh}；如确有变化（合并、扩建、划转等）请在说明栏注明原因`, fix_en: `Check ${en.toLowerCase()}; if the change is real (merger, expansion, transfer), explain it in the comment`,
  })),
  // ---- outliers among similar schools (same type, same district), soft ----
  ...([
    ['outlier_pupil_teacher', 'sum(enrol.*) / teachers.fulltime', '生师比', 'Student–teacher ratio', 'teachers.fulltime'],
    ['outlier_teaching_area_per_pupil', 'area.teaching_aux_m2 / sum(enrol.*)', '生均教学及辅助用房面积', 'Teaching area per student', 'area.teaching_aux_m2'],
    ['outlier_sports_area_per_pupil', 'area.sports_m2 / sum(enrol.*)', '生均体育运动场馆面积', 'Sports area per student', 'area.sports_m2'],
    ['outlier_equipment_per_pupil', 'equipment.value_yuan / sum(enrol.*)', '生均教学仪器设备值', 'Equipment value per student', 'equipment.value_yuan'],
    ['outlier_backbone_share', 'teachers.backbone / teachers.fulltime', '骨干教师占比', 'Share of backbone teachers', 'teachers.backbone'],
  ] as const).map(([id, target, zh, en, at]): RuleTemplate => ({
    id, severity: 'soft', kind: 'outlier', target, threshold: 3.5, minPeers: 5, at: [at],
    message_zh: `${zh}与本区同类学校相比异常（修正Z分数绝对值大于3.5）`, message_en: `${en} is an outlier among similar schools in the district (|modified z-score| > 3.5)`,
    fix_zh: `核对计算${zh}所用的各项数据；如确实如此请在说明栏注明原因`, fix_en: `Check the figures behind ${en.toLowerCase()}; if correct, explain why in the comment`,
  })),
];
