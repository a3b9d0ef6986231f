import { describe, expect, it } from 'vitest';
import { exportFileName, neutraliseFormula, toCsv, toJsonExport, type ExportColumn } from './export.ts';

const columns: ExportColumn[] = [
  { key: 'district', header: '区' },
  { key: 'value', header: '学前三年毛入园率', unit: '%' },
];

describe('CSV export', () => {
  it('starts with a UTF-8 BOM, writes units into headers and ends lines with CRLF', () => {
    const csv = toCsv(columns, [{ district: '和平区', value: 93.5 }, { district: '河东区', value: null }]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe('区,学前三年毛入园率 (%)\r\n和平区,93.5\r\n河东区,\r\n');
  });

  it('neutralises cells a spreadsheet would run as formulas (= + - @ tab CR)', () => {
    const csv = toCsv([{ key: 'name', header: 'name' }], [
      { name: '=HYPERLINK("http://x","y")' }, { name: '+1' }, { name: '-2+3' }, { name: '@SUM(A1)' }, { name: '\tcmd' }, { name: 'safe' },
    ]);
    const lines = csv.slice(1).split('\r\n');
    expect(lines.slice(1, 7)).toEqual([
      `"'=HYPERLINK(""http://x"",""y"")"`, "'+1", "'-2+3", "'@SUM(A1)", "'\tcmd", 'safe',
    ]);
  });

  it('keeps negative numbers as numbers and quotes commas, quotes and newlines', () => {
    const csv = toCsv([{ key: 'a', header: 'a' }, { key: 'b', header: 'b' }], [{ a: -1.5, b: 'x, "y"\nz' }]);
    expect(csv.slice(1).split('\r\n')[1]).toBe('-1.5,"x, ""y""\nz"');
  });

  it('exports a suppressed cell as the text it was given, never a number', () => {
    const csv = toCsv(columns, [{ district: '红桥区', value: '—（数据不足，不予公布）' }]);
    expect(csv).toContain('红桥区,—（数据不足，不予公布）');
  });

  it('neutraliseFormula leaves ordinary text alone', () => {
    expect(neutraliseFormula('和平区')).toBe('和平区');
    expect(neutraliseFormula('—（数据不足）')).toBe('—（数据不足）');
    expect(neutraliseFormula('=1+1')).toBe("'=1+1");
  });
});

describe('JSON export', () => {
  it('carries the title, field titles with units, and rows with every column (null when missing)', () => {
    const parsed = JSON.parse(toJsonExport('各区比较', columns, [{ district: '和平区', value: 93.5 }, { district: '河西区' }])) as unknown;
    expect(parsed).toEqual({
      title: '各区比较',
      fields: [{ key: 'district', title: '区' }, { key: 'value', title: '学前三年毛入园率', unit: '%' }],
      rows: [{ district: '和平区', value: 93.5 }, { district: '河西区', value: null }],
    });
  });

  it('file names keep Chinese and drop characters file systems reject', () => {
    expect(exportFileName('学前三年毛入园率 — 各区比较', 'csv')).toBe('学前三年毛入园率_—_各区比较.csv');
    expect(exportFileName('a/b:c*?', 'json')).toBe('a_b_c.json');
    expect(exportFileName('   ', 'json')).toBe('eduplan.json');
  });
});
