/**
 * The assessment as an official-style workbook (评估结果表): a verdict sheet, one resource
 * sheet per level (every school, the 7 indicators, unmet cells shaded, the standard, the
 * weighted mean and the CV under each column), the entered items with evidence and expert
 * comments, and the what-if. Text cells are neutralised against formula injection.
 */
import ExcelJS from 'exceljs';
import { neutraliseCell } from '../core/forms/csv-safety.ts';
import type { BalancedDistrictResult, ItemResult, LevelWithWhatIf, PreschoolDistrictResult } from '../contract/assessments.ts';

const unmetFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } };
const floorFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const headFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const thin: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
const t = (v: unknown): ExcelJS.CellValue => (typeof v === 'string' ? neutraliseCell(v) : (v as ExcelJS.CellValue));
const statusZh: Record<string, string> = { met: '达标', not_met: '未达标', missing: '未录入', no_evidence: '缺佐证', pass: '达标', fail: '不达标', incomplete: '资料不全' };

function title(ws: ExcelJS.Worksheet, text: string, width: number): void {
  ws.addRow([t(text)]);
  ws.mergeCells(1, 1, 1, width);
  const c = ws.getCell(1, 1);
  c.font = { bold: true, size: 14 };
  c.alignment = { horizontal: 'center' };
}

function header(ws: ExcelJS.Worksheet, cols: readonly string[]): void {
  const r = ws.addRow(cols.map(t));
  r.eachCell((c) => { c.font = { bold: true }; c.fill = headFill; c.border = thin; c.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' }; });
}

function verdictSheet(wb: ExcelJS.Workbook, heading: string, r: BalancedDistrictResult | PreschoolDistrictResult): void {
  const ws = wb.addWorksheet('评估结论');
  title(ws, heading, 4);
  ws.addRow([t('依据'), t(r.document)]);
  ws.addRow([t('评估结论'), t(`${statusZh[r.verdict] ?? r.verdict}（${r.verdict}）`)]);
  ws.addRow([t('流程状态'), t(`${r.workflow.state_zh}${r.workflow.certified_on ? `，认定日期 ${r.workflow.certified_on}` : ''}`)]);
  for (const p of r.parts) ws.addRow([t(p.name_zh), t(statusZh[p.status] ?? p.status), t(p.failing.join('、')), t(p.pending.length ? `待录入/缺佐证 ${p.pending.length} 项` : '')]);
  ws.addRow([]);
  ws.addRow([t('说明')]).font = { bold: true };
  for (const line of r.explanation_zh) ws.addRow([t(line)]);
  ws.getColumn(1).width = 22;
  ws.getColumn(2).width = 60;
  ws.getColumn(3).width = 30;
}

function levelSheet(wb: ExcelJS.Workbook, r: LevelWithWhatIf): void {
  const levelZh = r.level === 'primary' ? '小学' : '初中';
  const ws = wb.addWorksheet(`资源配置（${levelZh}）`);
  const inds = Object.entries(r.indicators);
  const cols = ['学校代码', '学校名称', '在校生数', ...inds.map(([, i]) => `${i.name_zh}（${i.unit_zh}）`), '达标项数', '是否达标'];
  title(ws, `${levelZh}资源配置指标（7项）与校际差异系数`, cols.length);
  header(ws, cols);
  for (const s of r.schools) {
    const row = ws.addRow([t(s.code), t(s.name_zh ?? ''), s.enrolment, ...inds.map(([k]) => Number((s.values[k as keyof typeof s.values] ?? 0).toFixed(4))), s.met, t(s.pass ? '达标' : '不达标')]);
    inds.forEach(([k], j) => {
      const f = s.shortfalls.find((x) => x.indicator === k);
      if (f) row.getCell(4 + j).fill = f.below_floor ? floorFill : unmetFill;
    });
    row.eachCell((c) => { c.border = thin; });
  }
  const foot = (label: string, vals: Array<ExcelJS.CellValue>): void => {
    const row = ws.addRow([t(label), '', '', ...vals]);
    row.font = { bold: true };
    row.eachCell((c) => { c.border = thin; });
  };
  foot('标准值', inds.map(([, i]) => i.threshold));
  foot('均值（按在校生加权）', inds.map(([, i]) => Number(i.mean.toFixed(4))));
  foot('差异系数', inds.map(([, i]) => (i.cv === null ? t('—') : Number(i.cv.toFixed(4)))));
  foot('差异系数限值', inds.map(([, i]) => i.cv_limit));
  foot('差异系数是否达标', inds.map(([, i]) => t(i.cv_pass ? '是' : '否')));
  ws.addRow([]);
  ws.addRow([t(`学段结论：${r.pass ? '达标' : '不达标'}（学校达标：${r.schools_pass ? '是' : '否'}；差异系数达标：${r.cv_pass ? '是' : '否'}）`)]);
  ws.addRow([t('黄色：未达到标准；红色：低于标准的85%。差异系数按在校生数加权计算，逐项判定，不使用综合差异系数。')]);
  for (const e of r.excluded) ws.addRow([t(e.code), t(e.name_zh ?? ''), e.enrolment, t(`不纳入：${e.reason_zh}`)]);
  ws.getColumn(2).width = 20;
  for (let i = 4; i < 4 + inds.length; i++) ws.getColumn(i).width = 14;
  ws.getRow(2).height = 60;
  ws.views = [{ state: 'frozen', xSplit: 2, ySplit: 2 }];
  if (r.what_if) {
    const w = wb.addWorksheet(`整改测算（${levelZh}）`);
    title(w, `${levelZh}整改测算：使本学段达标的最少增量`, 7);
    header(w, ['学校代码', '学校名称', '指标', '需增加', '资源', '指标值（前→后）', '原因']);
    for (const c of r.what_if.changes) {
      const row = w.addRow([t(c.code), t(c.name_zh ?? ''), t(r.indicators[c.indicator].name_zh), Number(c.add.toFixed(2)), t(c.resource_zh), t(`${c.value_before.toFixed(3)} → ${c.value_after.toFixed(3)}`), t(c.reasons.map((x) => (x === 'cv' ? '差异系数' : '学校达标')).join('、'))]);
      row.eachCell((x) => { x.border = thin; });
    }
    w.addRow([]);
    header(w, ['指标', '差异系数（前）', '差异系数（后）', '限值']);
    for (const [k, cv] of Object.entries(r.what_if.cv)) w.addRow([t(r.indicators[k as keyof typeof r.indicators].name_zh), cv.before === null ? t('—') : Number(cv.before.toFixed(4)), cv.after === null ? t('—') : Number(cv.after.toFixed(4)), cv.limit]);
    w.getColumn(3).width = 30;
    w.getColumn(5).width = 24;
    w.getColumn(6).width = 22;
  }
}

function itemsSheet(wb: ExcelJS.Workbook, items: readonly ItemResult[]): void {
  const ws = wb.addWorksheet('评估项');
  const cols = ['编号', '评估内容', '标准', '填报值', '结论', '佐证材料', '填报说明', '专家意见', '来源', '可信度'];
  title(ws, '政府保障程度、教育质量、社会认可度、一票否决与前提条件', cols.length);
  header(ws, cols);
  for (const i of items) {
    const std = i.comparator ? `${i.comparator} ${i.threshold}${i.unit_zh ? `（${i.unit_zh}）` : ''}` : i.kind === 'absent' ? '未发生' : '定性';
    const row = ws.addRow([t(i.code), t(`${i.veto ? '【否决项】' : ''}${i.name_zh}`), t(std), i.value ?? (i.met === null ? '' : t(i.met ? '是' : '否')), t(statusZh[i.status] ?? i.status), t(i.evidence.map((e) => e.name).join('；')), t(i.comment), t(i.expert_comment ?? ''), t(i.source), t(i.confidence)]);
    if (i.status !== 'met') row.getCell(5).fill = i.status === 'not_met' ? floorFill : unmetFill;
    row.eachCell((c) => { c.border = thin; c.alignment = { wrapText: true, vertical: 'top' }; });
  }
  ws.getColumn(2).width = 50;
  ws.getColumn(3).width = 18;
  ws.getColumn(6).width = 30;
  ws.getColumn(7).width = 24;
  ws.getColumn(8).width = 24;
}

export async function balancedWorkbook(r: BalancedDistrictResult): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'eduplan';
  verdictSheet(wb, `${r.district_name_zh}${r.year}学年县域义务教育优质均衡发展督导评估结果表`, r);
  levelSheet(wb, r.levels.primary);
  levelSheet(wb, r.levels.junior);
  itemsSheet(wb, r.items);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function preschoolWorkbook(r: PreschoolDistrictResult): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'eduplan';
  verdictSheet(wb, `${r.district_name_zh}${r.year}学年县域学前教育普及普惠督导评估结果表`, r);
  const ws = wb.addWorksheet('普及普惠水平');
  const cols = ['指标', '计算方法', '分子', '分母', '数值', '评估标准', '结论', '规划目标（仅对照）', '来源', '可信度'];
  title(ws, '普及普惠水平与师资配备（由统计数据计算）', cols.length);
  header(ws, cols);
  for (const c of r.computed) {
    const row = ws.addRow([t(c.name_zh), t(c.formula_zh), c.numerator, c.denominator ?? t('—'), c.value === null ? t('—') : Number(c.value.toFixed(4)), t(`${c.comparator} ${c.threshold_label}`), t(statusZh[c.status] ?? c.status), t(c.plan_target === undefined ? '' : JSON.stringify(c.plan_target)), t(c.source), t(c.confidence)]);
    if (c.status !== 'met') row.getCell(7).fill = c.status === 'not_met' ? floorFill : unmetFill;
    row.eachCell((x) => { x.border = thin; });
  }
  ws.getColumn(1).width = 30;
  ws.getColumn(2).width = 40;
  itemsSheet(wb, r.items);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
