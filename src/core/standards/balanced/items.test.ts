import { describe, expect, it } from 'vitest';
import { EduplanError } from '../../errors.ts';
import { assessmentCriteria as criteria } from './criteria.ts';
import { combine, evaluateItems, explainItems, itemPartVerdicts, validateEntries } from './items.ts';
import { nextState, workflowStatus, type WorkflowEvent } from './workflow.ts';

const defs = criteria.balanced.items;
const ev = [{ name: '随迁子女就读统计表.pdf' }];

describe('entered items (政府保障程度 / 教育质量 / 社会认可度 / 一票否决)', () => {
  it('lists the 15 government items (two split in two), 9 quality items (one split), social recognition, vetoes, prerequisites', () => {
    expect(defs.filter((d) => d.part === 'government').length).toBe(17); // 15 items; 11 and 13 carry two numbers each
    expect(defs.filter((d) => d.part === 'quality').length).toBe(10); // 9 items; 9 carries two numbers
    expect(defs.find((d) => d.code === 'social.01')).toMatchObject({ threshold: 0.85, veto: true });
  });

  it('tests a ratio at its threshold exactly: 85 % meets "不低于85%", 84.9 % does not', () => {
    const items = evaluateItems(defs, validateEntries(defs, { entries: [{ code: 'gov.15', value: 0.85, evidence: ev }, { code: 'social.01', value: 0.849, evidence: ev }] }));
    expect(items.find((i) => i.code === 'gov.15')?.status).toBe('met');
    const social = items.find((i) => i.code === 'social.01');
    expect(social?.status).toBe('not_met');
    expect(explainItems(items).zh).toContain('【一票否决】social.01 社会认可度达到85%以上：未达到，填报值 0.849，标准 >= 0.85');
  });

  it('a met claim without evidence stays pending; a veto declaration needs none', () => {
    const items = evaluateItems(defs, validateEntries(defs, { entries: [{ code: 'gov.01', met: true }, { code: 'veto.key_schools', met: true }] }));
    expect(items.find((i) => i.code === 'gov.01')?.status).toBe('no_evidence');
    expect(items.find((i) => i.code === 'veto.key_schools')?.status).toBe('met');
    expect(items.find((i) => i.code === 'gov.02')?.status).toBe('missing');
    const parts = itemPartVerdicts(items);
    expect(parts.find((p) => p.part === 'government')?.status).toBe('incomplete');
    expect(combine(parts.map((p) => p.status))).toBe('incomplete');
  });

  it('an occurred veto fails the whole verdict even when everything else is pending', () => {
    const items = evaluateItems(defs, validateEntries(defs, { entries: [{ code: 'veto.exam_admission', met: false, comment: '某校以考试方式招生' }] }));
    const parts = itemPartVerdicts(items);
    expect(parts.find((p) => p.part === 'veto')).toMatchObject({ status: 'fail', failing: ['veto.exam_admission'] });
    expect(combine(parts.map((p) => p.status))).toBe('fail');
  });

  it('rejects unknown codes, missing values and percentages entered as 92 instead of 0.92, with paths', () => {
    try {
      validateEntries(defs, { entries: [{ code: 'gov.99', met: true }, { code: 'qual.01' }, { code: 'qual.02', value: 96 }, { code: 'gov.01' }] }, 'items.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EduplanError);
      expect((e as EduplanError).problems.map((p) => `${p.path}:${p.rule}`)).toEqual(['entries[0].code:known_item', 'entries[1].value:required', 'entries[2].value:fraction', 'entries[3].met:required']);
    }
  });
});

describe('workflow 区级自评 → 市级评估 → 申报 → 认定/退回', () => {
  const e = (action: WorkflowEvent['action'], on_date: string, item_comments: Record<string, string> = {}): WorkflowEvent => ({ action, on_date, actor: 'x', comment: '', item_comments });

  it('runs the steps in order and keeps the certification date and expert comments', () => {
    let s = nextState('not_started', 'self_evaluate', null, '2024-03-01');
    s = nextState(s, 'city_assess', '2024-03-01', '2024-05-10');
    s = nextState(s, 'submit', '2024-05-10', '2024-06-01');
    s = nextState(s, 'certify', '2024-06-01', '2025-03-28');
    expect(s).toBe('certified');
    const st = workflowStatus([e('self_evaluate', '2024-03-01'), e('city_assess', '2024-05-10', { 'gov.05': '个别班级超45人' }), e('submit', '2024-06-01'), e('certify', '2025-03-28')]);
    expect(st).toMatchObject({ state: 'certified', certified_on: '2025-03-28', expert_comments: { 'gov.05': '个别班级超45人' } });
  });

  it('refuses a step out of order or back-dated, and allows a returned district to self-evaluate again', () => {
    expect(() => nextState('self_evaluated', 'certify', '2024-03-01', '2024-04-01')).toThrow(/not allowed/);
    expect(() => nextState('certified', 'return', '2024-03-01', '2024-04-01')).toThrow(EduplanError);
    expect(() => nextState('self_evaluated', 'city_assess', '2024-03-01', '2024-02-01')).toThrow(/precedes/);
    expect(nextState('returned', 'self_evaluate', '2024-03-01', '2024-09-01')).toBe('self_evaluated');
  });
});
