import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { assessmentCriteria as criteria } from '../core/standards/balanced/criteria.ts';
import { evaluateLevel } from '../core/standards/balanced/engine.ts';
import { readBalancedInput } from '../core/standards/balanced/input.ts';
import { evaluateItems, itemPartVerdicts } from '../core/standards/balanced/items.ts';
import { whatIf } from '../core/standards/balanced/what-if.ts';
import { workflowStatus } from '../core/standards/balanced/workflow.ts';
import type { BalancedDistrictResult } from '../contract/assessments.ts';
import { balancedHtml } from './assessment-html.ts';
import { balancedWorkbook } from './assessment-xlsx.ts';

const school = (code: string, name_zh: string, sports: number) => ({
  code, name_zh, enrolment: 1000, teachers_above_required: 42, backbone_teachers: 10, pe_arts_teachers: 9,
  teaching_aux_area_m2: 4500, sports_area_m2: sports, equipment_value_yuan: 2_000_000, multimedia_classrooms: 23,
});

function district(): BalancedDistrictResult {
  // A hostile school name: must reach the spreadsheet as text and the page as escaped text.
  const p = readBalancedInput({ level: 'primary', schools: [school('P1', '=HYPERLINK("http://x","y")', 7500), school('P2', '<b>二小</b>', 6000)] }, criteria);
  const j = readBalancedInput({ level: 'junior', schools: [{ ...school('J1', '一中', 10200), teachers_above_required: 53, teaching_aux_area_m2: 5800, equipment_value_yuan: 2_500_000, multimedia_classrooms: 24 }] }, criteria);
  const primary = { ...evaluateLevel('primary', p.schools, criteria), what_if: whatIf('primary', p.schools, criteria) };
  const junior = evaluateLevel('junior', j.schools, criteria);
  const items = evaluateItems(criteria.balanced.items, [{ code: 'social.01', value: 0.8, met: null, evidence: [{ name: '问卷.pdf' }], comment: '' }]);
  return {
    kind: 'balanced', document: criteria.balanced.document, district: '120101', district_name_zh: '和平区', district_name_en: 'Heping', year: 2023,
    levels: { primary, junior }, resources_pass: false, items, parts: itemPartVerdicts(items), workflow: workflowStatus([]), verdict: 'fail', pass: false, certified: false,
    explanation_zh: ['评估结论：不达标', ...primary.explanation_zh], explanation_en: ['Verdict: fails', ...primary.explanation_en], data_problems: [],
  };
}

describe('assessment exports', () => {
  it('writes an official-style workbook: schools, shaded shortfalls, standard / mean / CV rows, items, what-if; formulas neutralised', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await balancedWorkbook(district())) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['评估结论', '资源配置（小学）', '整改测算（小学）', '资源配置（初中）', '评估项']);
    const ws = wb.getWorksheet('资源配置（小学）');
    expect(ws?.getCell('B3').value).toBe('\'=HYPERLINK("http://x","y")');
    expect(ws?.getCell('A4').value).toBe('P2');
    // P2's sports area (6 m², 80 % of 7.5) is below 85 %: red.
    expect(ws?.getCell('H4').value).toBe(6);
    expect((ws?.getCell('H4').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    const labels = [5, 6, 7].map((r) => ws?.getCell(`A${r}`).value);
    expect(labels).toEqual(['标准值', '均值（按在校生加权）', '差异系数']);
    expect(ws?.getCell('H5').value).toBe(7.5);
    const items = wb.getWorksheet('评估项');
    const social = items?.getRows(3, 60)?.find((r) => r.getCell(1).value === 'social.01');
    expect(social?.getCell(5).value).toBe('未达标');
    expect(social?.getCell(6).value).toBe('问卷.pdf');
  });

  it('renders an escaped, self-contained HTML page for the PDF', () => {
    const html = balancedHtml(district());
    expect(html).toContain('和平区2023学年县域义务教育优质均衡发展督导评估结果');
    expect(html).toContain('&lt;b&gt;二小&lt;/b&gt;');
    expect(html).not.toContain('<b>二小</b>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!x)/);
  });
});
