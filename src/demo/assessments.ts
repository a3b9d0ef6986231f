/**
 * Demo 督导评估 records: 和平区 is the demo's certified 优质均衡 district, as it was in
 * reality for 2024 (教督函〔2025〕3号; see sizing.ts, where its schools are "strong"). A
 * district passes only when its school resources pass AND the items it enters (政府保障程度,
 * 教育质量, 社会认可度, vetoes, prerequisites) are met with evidence, so without these
 * records no demo district could pass and 义务教育优质均衡区比例 would read 0 % in every year.
 *
 * Pure data, made from the criteria's item definitions: every numeric item gets a value
 * that meets its comparator with some margin, every qualitative item `met` with an evidence
 * document, every veto "did not occur". The workflow dates are illustrative (demo data).
 */
import type { ItemDef } from '../core/standards/balanced/criteria.ts';
import type { ItemEntry } from '../core/standards/balanced/items.ts';
import type { WorkflowAction } from '../core/standards/balanced/workflow.ts';

export interface DemoAssessment {
  readonly kind: 'balanced';
  readonly district: string;
  readonly districtName: string;
  readonly year: number;
  readonly entries: ItemEntry[];
  /** Workflow steps in order (self-evaluation → city assessment → submission → certification). */
  readonly steps: ReadonlyArray<{ readonly action: WorkflowAction; readonly on_date: string; readonly actor: string; readonly comment: string }>;
}

/** A value meeting `comparator threshold`, a little better than the bare minimum. */
function passingValue(def: ItemDef): number {
  const t = def.threshold ?? 0;
  const ratio = def.kind === 'ratio';
  switch (def.comparator) {
    case '>=':
    case '>':
      if (ratio) return t >= 1 ? 1 : Math.round((t + (1 - t) / 2) * 1000) / 1000;
      return t === 0 ? 1 : Math.round(t * 1.1 * 100) / 100;
    case '<=':
    case '<':
      return t === 0 ? 0 : Math.round(t * 0.5 * 1000) / 1000;
    default:
      return t;
  }
}

function entriesFor(defs: readonly ItemDef[], districtName: string, year: number): ItemEntry[] {
  return defs.map((def): ItemEntry => {
    const evidence = [{ name: `${districtName}${year}年义务教育优质均衡发展自评材料（${def.code}）.pdf` }];
    if (def.kind === 'absent') return { code: def.code, met: true, evidence: [], comment: '' };
    if (def.kind === 'qualitative') return { code: def.code, met: true, evidence, comment: '' };
    return { code: def.code, value: passingValue(def), evidence, comment: '' };
  });
}

/** 和平区: items for 2024 (self-evaluated, assessed, submitted, certified) and 2025 (entered). */
export function demoBalancedAssessments(defs: readonly ItemDef[]): DemoAssessment[] {
  const district = '120101';
  const districtName = '和平区';
  return [
    {
      kind: 'balanced', district, districtName, year: 2024, entries: entriesFor(defs, districtName, 2024),
      steps: [
        { action: 'self_evaluate', on_date: '2024-04-15', actor: '和平区教育局（演示）', comment: '区级自评（演示数据）' },
        { action: 'city_assess', on_date: '2024-06-20', actor: '天津市人民政府教育督导室（演示）', comment: '市级评估（演示数据）' },
        { action: 'submit', on_date: '2024-09-10', actor: '天津市人民政府教育督导室（演示）', comment: '申报国家认定（演示数据）' },
        { action: 'certify', on_date: '2025-02-20', actor: '国务院教育督导委员会办公室（演示）', comment: '国家认定（演示数据；实际见教督函〔2025〕3号）' },
      ],
    },
    { kind: 'balanced', district, districtName, year: 2025, entries: entriesFor(defs, districtName, 2025), steps: [] },
  ];
}
