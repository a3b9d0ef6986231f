/**
 * Items a district enters with evidence (政府保障程度 15 项, 教育质量 9 项, 社会认可度,
 * 一票否决, 前提条件 — and the 普及普惠 equivalents), and the overall verdict.
 *
 * An item counts as met only with evidence attached: the assessment is of documented
 * facts (督导评估 checks the files), so an unevidenced claim stays "no_evidence".
 * One-vote vetoes (`kind: 'absent'`) are declarations that something did NOT happen;
 * they need no evidence file to be accepted, but a veto that occurred fails everything.
 */
import { z } from 'zod';
import { EduplanError, type Problem } from '../../errors.ts';
import type { ItemDef } from './criteria.ts';
import { rat, satisfies } from './rational.ts';

export const evidenceSchema = z.object({
  /** File name (or title) of the evidence document. */
  name: z.string().min(1),
  url: z.string().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  bytes: z.number().int().min(0).optional(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const itemEntrySchema = z.object({
  code: z.string().min(1),
  /** For number / ratio items (ratios as fractions: 0.92 = 92 %). */
  value: z.number().finite().nullable().optional(),
  /** For qualitative items: met; for vetoes: true = it did NOT occur. */
  met: z.boolean().nullable().optional(),
  evidence: z.array(evidenceSchema).default([]),
  comment: z.string().default(''),
});
export type ItemEntry = z.infer<typeof itemEntrySchema>;
export const itemEntriesSchema = z.object({ entries: z.array(itemEntrySchema).min(1) });

/** Check entries against the item definitions; every problem located by path. */
export function validateEntries(defs: readonly ItemDef[], doc: unknown, file?: string): ItemEntry[] {
  const r = itemEntriesSchema.safeParse(doc);
  const where = file ? { file } : {};
  if (!r.success) {
    throw new EduplanError('E_INPUT_INVALID', {
      problems: r.error.issues.map((i) => ({ ...where, path: i.path.map(String).join('.'), rule: i.code, message_zh: `评估项录入有误：${i.message}`, message_en: `Item entry invalid: ${i.message}` })),
    });
  }
  const byCode = new Map(defs.map((d) => [d.code, d]));
  const problems: Problem[] = [];
  const seen = new Set<string>();
  r.data.entries.forEach((e, i) => {
    const path = `entries[${i}]`;
    const d = byCode.get(e.code);
    if (!d) {
      problems.push({ ...where, path: `${path}.code`, value: e.code, rule: 'known_item', message_zh: `没有编号为 ${e.code} 的评估项`, message_en: `no assessment item ${e.code}`, fix_zh: `可用编号：${[...byCode.keys()].join('、')}`, fix_en: `valid codes: ${[...byCode.keys()].join(', ')}` });
      return;
    }
    if (seen.has(e.code)) problems.push({ ...where, path: `${path}.code`, value: e.code, rule: 'unique', message_zh: `评估项 ${e.code} 重复录入`, message_en: `item ${e.code} entered twice`, fix_zh: '每项只录入一次', fix_en: 'enter each item once' });
    seen.add(e.code);
    const numeric = d.kind === 'number' || d.kind === 'ratio';
    if (numeric && (e.value === undefined || e.value === null)) {
      problems.push({ ...where, path: `${path}.value`, rule: 'required', message_zh: `${d.name_zh}：需要填写数值（${d.unit_zh ?? ''}${d.kind === 'ratio' ? '，比例以小数表示，如 0.92' : ''}）`, message_en: `${d.name_en}: a value is required${d.kind === 'ratio' ? ' (a fraction, e.g. 0.92)' : ''}`, fix_zh: '填写 value', fix_en: 'fill in value' });
    }
    if (d.kind === 'ratio' && typeof e.value === 'number' && (e.value < 0 || e.value > 1.5)) {
      problems.push({ ...where, path: `${path}.value`, value: e.value, rule: 'fraction', message_zh: `${d.name_zh}：比例应以小数表示（如 92% 填 0.92）`, message_en: `${d.name_en}: enter the ratio as a fraction (92 % → 0.92)`, fix_zh: '把百分数除以 100', fix_en: 'divide the percentage by 100' });
    }
    if (!numeric && (e.met === undefined || e.met === null)) {
      problems.push({ ...where, path: `${path}.met`, rule: 'required', message_zh: `${d.name_zh}：需要填写 met（true/false）${d.kind === 'absent' ? '，true 表示未发生' : ''}`, message_en: `${d.name_en}: met (true/false) is required${d.kind === 'absent' ? '; true means it did not occur' : ''}`, fix_zh: '填写 met', fix_en: 'fill in met' });
    }
  });
  if (problems.length) throw new EduplanError('E_INPUT_INVALID', { problems });
  return r.data.entries;
}

export type ItemStatus = 'met' | 'not_met' | 'missing' | 'no_evidence';

export interface ItemResult {
  readonly code: string;
  readonly part: ItemDef['part'];
  readonly name_zh: string;
  readonly name_en: string;
  readonly kind: ItemDef['kind'];
  readonly comparator?: string;
  readonly threshold?: number;
  readonly unit_zh?: string;
  readonly veto: boolean;
  readonly value: number | null;
  readonly met: boolean | null;
  readonly status: ItemStatus;
  readonly evidence: readonly Evidence[];
  readonly comment: string;
  /** Expert comment from the city assessment, when there is one. */
  readonly expert_comment?: string;
  readonly source: string;
  readonly confidence: string;
}

export function evaluateItems(defs: readonly ItemDef[], entries: readonly ItemEntry[], expertComments: Readonly<Record<string, string>> = {}): ItemResult[] {
  const byCode = new Map(entries.map((e) => [e.code, e]));
  return defs.map((d) => {
    const e = byCode.get(d.code);
    const numeric = d.kind === 'number' || d.kind === 'ratio';
    let met: boolean | null = null;
    let value: number | null = null;
    if (e) {
      if (numeric && typeof e.value === 'number' && d.comparator && d.threshold !== undefined) {
        value = e.value;
        met = satisfies(rat(e.value), d.comparator, rat(d.threshold));
      } else if (!numeric && typeof e.met === 'boolean') met = e.met;
    }
    const evidence = e?.evidence ?? [];
    const status: ItemStatus = met === null ? 'missing' : !met ? 'not_met' : d.kind !== 'absent' && evidence.length === 0 ? 'no_evidence' : 'met';
    const expert = expertComments[d.code];
    return {
      code: d.code, part: d.part, name_zh: d.name_zh, name_en: d.name_en, kind: d.kind,
      ...(d.comparator ? { comparator: d.comparator } : {}), ...(d.threshold !== undefined ? { threshold: d.threshold } : {}),
      ...(d.unit_zh ? { unit_zh: d.unit_zh } : {}),
      veto: d.veto, value, met, status, evidence, comment: e?.comment ?? '',
      ...(expert !== undefined ? { expert_comment: expert } : {}),
      source: d.source, confidence: d.confidence,
    };
  });
}

export type VerdictStatus = 'pass' | 'fail' | 'incomplete';

export interface PartVerdict {
  readonly part: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly status: VerdictStatus;
  readonly failing: readonly string[];
  readonly pending: readonly string[];
}

const partNames: Record<string, { zh: string; en: string }> = {
  government: { zh: '政府保障程度', en: 'Government guarantees' },
  quality: { zh: '教育质量', en: 'Education quality' },
  social: { zh: '社会认可度', en: 'Social recognition' },
  veto: { zh: '一票否决', en: 'One-vote veto' },
  prerequisite: { zh: '前提条件', en: 'Prerequisites' },
};

/** Verdict of each part of the entered items: fail if any item fails, incomplete if any is missing or unevidenced. */
export function itemPartVerdicts(items: readonly ItemResult[]): PartVerdict[] {
  const parts = [...new Set(items.map((i) => i.part))];
  return parts.map((part) => {
    const its = items.filter((i) => i.part === part);
    const failing = its.filter((i) => i.status === 'not_met').map((i) => i.code);
    const pending = its.filter((i) => i.status === 'missing' || i.status === 'no_evidence').map((i) => i.code);
    const names = partNames[part] ?? { zh: part, en: part };
    return { part, name_zh: names.zh, name_en: names.en, status: failing.length ? 'fail' : pending.length ? 'incomplete' : 'pass', failing, pending };
  });
}

/** Combine statuses: any failure fails; otherwise anything pending leaves it incomplete. */
export function combine(statuses: readonly VerdictStatus[]): VerdictStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('incomplete')) return 'incomplete';
  return 'pass';
}

/** Plain lines: one per failing item, then one line listing the items not yet entered and one for those without evidence. */
export function explainItems(items: readonly ItemResult[]): { zh: string[]; en: string[] } {
  const zh: string[] = [];
  const en: string[] = [];
  for (const i of items) {
    if (i.status !== 'not_met') continue;
    const v = i.value === null ? '' : `，填报值 ${i.value}，标准 ${i.comparator ?? ''} ${i.threshold ?? ''}`;
    const ve = i.value === null ? '' : ` (entered ${i.value}, required ${i.comparator ?? ''} ${i.threshold ?? ''})`;
    zh.push(`${i.veto ? '【一票否决】' : ''}${i.code} ${i.name_zh}：未达到${v}`);
    en.push(`${i.veto ? '[veto] ' : ''}${i.code} ${i.name_en}: not met${ve}`);
  }
  const missing = items.filter((i) => i.status === 'missing').map((i) => i.code);
  const unevidenced = items.filter((i) => i.status === 'no_evidence').map((i) => i.code);
  if (missing.length) {
    zh.push(`尚未录入 ${missing.length} 项：${missing.join('、')}`);
    en.push(`${missing.length} item(s) not entered yet: ${missing.join(', ')}`);
  }
  if (unevidenced.length) {
    zh.push(`缺少佐证材料 ${unevidenced.length} 项：${unevidenced.join('、')}`);
    en.push(`${unevidenced.length} item(s) without evidence: ${unevidenced.join(', ')}`);
  }
  return { zh, en };
}
