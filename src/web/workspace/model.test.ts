/** The workspace's in-browser validation: the server's engine on typed text, plus the server's own comparisons. */
import { describe, expect, it } from 'vitest';
import { formByCode } from '../../core/forms/index.ts';
import { academicYearOf, isExplained, liveValidation, locationText, parseCell } from './model.ts';

const form = formByCode('annual.primary');
if (!form) throw new Error('annual.primary missing');

/** A plausible primary school as typed text: 480 pupils in 12 classes, 30 teachers. */
function typed(): Record<string, string> {
  const v: Record<string, string> = { 'school_district.member': '1', 'classes.cmp.lt46': '12', 'classes.cmp.46_55': '0', 'classes.cmp.56_65': '0', 'classes.cmp.66plus': '0' };
  for (let g = 1; g <= 6; g++) { v[`enrol.g${g}.m`] = '41'; v[`enrol.g${g}.f`] = '39'; }
  Object.assign(v, {
    'entrants.g1': '80', 'teachers.fulltime': '30', 'teachers.bachelor_plus': '28', 'teachers.above_required': '25', 'teachers.backbone': '6', 'teachers.pe_arts': '5',
    'area.teaching_aux_m2': '2400', 'area.sports_m2': '5000', 'equipment.value_yuan': '1200000', 'rooms.multimedia': '12', 'wireless.covered': '1',
  });
  return v;
}

describe('parseCell', () => {
  it('reads blanks, thousands separators and full-width digits; anything else is not a number', () => {
    expect(parseCell('  ')).toBeNull();
    expect(parseCell('1,200,000')).toBe(1_200_000);
    expect(parseCell('１２０')).toBe(120);
    expect(parseCell('12a')).toBeNaN();
  });
});

describe('liveValidation', () => {
  it('a plausible school has no problem', () => {
    const r = liveValidation(form, typed(), {}, null);
    expect(r.hard).toEqual([]);
    expect(r.soft).toEqual([]);
  });

  it('more grade-1 entrants than grade-1 pupils is a soft problem until a comment explains it', () => {
    const texts = { ...typed(), 'entrants.g1': '95' };
    const r = liveValidation(form, texts, {}, null);
    expect(r.hard).toEqual([]);
    expect(r.soft.map((p) => p.rule)).toEqual(['entrants_le_g1']);
    expect(r.unexplained).toHaveLength(1);
    const explained = liveValidation(form, texts, { 'entrants.g1': '开学后转出 15 人' }, null);
    expect(explained.unexplained).toEqual([]);
  });

  it('text in a number cell is a hard problem on that cell, and a blank required cell is one too', () => {
    const r = liveValidation(form, { ...typed(), 'teachers.fulltime': '三十', 'rooms.multimedia': '' }, {}, null);
    expect(r.hard.filter((p) => p.path === 'teachers.fulltime').map((p) => p.rule)).toEqual(['number']);
    expect(r.hard.some((p) => p.path === 'rooms.multimedia')).toBe(true);
  });

  it('keeps the server\'s last-year and outlier problems (the browser lacks their data) but not its check-rule ones', () => {
    const outlier = { path: 'area.sports_m2', rule: 'outlier_sports_area_per_pupil', message_zh: '异常', message_en: 'outlier' };
    const staleCheck = { path: 'entrants.g1', rule: 'entrants_le_g1', message_zh: '旧', message_en: 'old' };
    const r = liveValidation(form, typed(), {}, { hard: [], soft: [outlier, staleCheck], unexplained: [outlier, staleCheck] });
    expect(r.soft).toEqual([outlier]);
    expect(r.unexplained).toEqual([outlier]);
    expect(isExplained(form, outlier, { 'area.sports_m2': '新建体育馆' })).toBe(true);
  });
});

describe('locationText and academicYearOf', () => {
  it('names sheet, row and column for a workbook problem, the item label otherwise', () => {
    expect(locationText(form, { sheet: '填报', row: 12, column: 'D', path: 'teachers.fulltime', rule: 'range', message_zh: '', message_en: '' }, 'en')).toMatch(/^sheet "填报", row 12, column D, /);
    expect(locationText(form, { path: 'teachers.fulltime', rule: 'range', message_zh: '', message_en: '' }, 'zh')).toBe(form.sections.flatMap((s) => s.fields).find((f) => f.code === 'teachers.fulltime')?.label_zh);
  });
  it('statistics are taken on 1 September', () => {
    expect(academicYearOf(new Date(2025, 7, 31))).toBe(2024);
    expect(academicYearOf(new Date(2025, 8, 1))).toBe(2025);
  });
});

describe('workspace routes', () => {
  it('parse and print the three workspace pages; malformed paths are not found', async () => {
    const { parseRoute, routePath } = await import('../routes.ts');
    for (const path of ['/workspace', '/workspace?year=2024', '/workspace/schools/1201010001/annual.primary/2024', '/workspace/submissions/42']) {
      const u = new URL(path, 'http://x');
      const r = parseRoute(u.pathname, u.search);
      expect(r.page).not.toBe('not-found');
      expect(routePath(r)).toBe(path);
    }
    expect(parseRoute('/workspace/schools/12010/annual.primary/2024').page).toBe('not-found');
    expect(parseRoute('/workspace/submissions/0').page).toBe('not-found');
    expect(parseRoute('/workspace/submissions/abc').page).toBe('not-found');
  });
});
