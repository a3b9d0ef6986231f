/**
 * What both assessments (优质均衡, 普及普惠) read and check the same way: the district and
 * year asked for, and a district's entered items (评估项), workflow events (流程) and
 * certified years from the store.
 */
import { EduplanError } from '../../core/errors.ts';
import { readRoot, readTopUnits } from '../org-tree.ts';
import type { Evidence, ItemEntry, VerdictStatus } from '../../core/standards/balanced/items.ts';
import type { WorkflowAction, WorkflowEvent } from '../../core/standards/balanced/workflow.ts';
import type { AssessmentKind } from '../../contract/assessments.ts';
import type { Store } from '../../store/store.ts';

/** The districts assessed: the aggregate units directly under the root (Tianjin's 16), from the stored org units. */
export async function assessedDistricts(store: Store): Promise<Array<{ code: string; name_zh: string; name_en: string }>> {
  return readTopUnits(store.db, (await readRoot(store.db)).code);
}

/** One of the districts directly under the root (GB/T 2260), or E_ORG_UNKNOWN. */
export async function checkDistrict(store: Store, district: string): Promise<{ code: string; name_zh: string; name_en: string }> {
  const d = (await assessedDistricts(store).catch(() => [])).find((x) => x.code === district);
  if (!d) {
    throw new EduplanError('E_ORG_UNKNOWN', {
      detail: district,
      problems: [{ path: 'district', value: district, rule: 'district_code', message_zh: `「${district}」不是本市（根机构）直属的区代码`, message_en: `"${district}" is not the code of a district directly under the root`, fix_zh: '使用 GB/T 2260 区代码（eduplan org list --parent <根机构代码>）', fix_en: 'Use a GB/T 2260 district code (eduplan org list --parent <root code>)' }],
    });
  }
  return d;
}

export function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'year', value: year, rule: 'academic_year', message_zh: '学年应为四位整数，如 2023（2023—2024学年）', message_en: 'year must be an academic year such as 2023 (2023/24)' }] });
  }
}

/** The district's org_unit row must exist (the items and events reference it). */
export async function ensureDistrictRow(store: Store, district: string): Promise<void> {
  // The districts are read from org_unit, so a district that passes the check has its row.
  await checkDistrict(store, district);
}

export interface StoredItems { entries: ItemEntry[]; events: WorkflowEvent[]; yearsCertified: number[] }

export const noStoredItems = (): StoredItems => ({ entries: [], events: [], yearsCertified: [] });

export const toEvent = (r: { action: string; on_date: string; actor: string; comment: string; item_comments: unknown }): WorkflowEvent =>
  ({ action: r.action as WorkflowAction, on_date: String(r.on_date).slice(0, 10), actor: r.actor, comment: r.comment, item_comments: (r.item_comments ?? {}) as Record<string, string> });

/** Entered items, workflow events and certified years for one district, or (district omitted) for all, keyed by district. */
export async function loadStored(store: Store, kind: AssessmentKind, year: number, district?: string): Promise<Map<string, StoredItems>> {
  let items = store.db.selectFrom('assessment_item').selectAll().where('kind', '=', kind).where('year', '=', year);
  let events = store.db.selectFrom('assessment_event').selectAll().where('kind', '=', kind).where('year', '=', year);
  let certs = store.db.selectFrom('assessment_event').select(['district_code', 'year']).where('kind', '=', kind).where('action', '=', 'certify');
  if (district !== undefined) {
    items = items.where('district_code', '=', district);
    events = events.where('district_code', '=', district);
    certs = certs.where('district_code', '=', district);
  }
  const [ir, er, cr] = await Promise.all([items.orderBy('item_code').execute(), events.orderBy('id').execute(), certs.execute()]);
  const out = new Map<string, StoredItems>();
  const get = (d: string): StoredItems => {
    let v = out.get(d);
    if (!v) { v = noStoredItems(); out.set(d, v); }
    return v;
  };
  for (const r of ir) get(r.district_code).entries.push({ code: r.item_code, value: r.value === null ? null : Number(r.value), met: r.met, evidence: (r.evidence ?? []) as Evidence[], comment: r.comment });
  for (const r of er) get(r.district_code).events.push(toEvent(r));
  for (const r of cr) get(r.district_code).yearsCertified.push(Number(r.year));
  return out;
}

export async function loadItemsAndEvents(store: Store, kind: AssessmentKind, district: string, year: number): Promise<StoredItems> {
  return (await loadStored(store, kind, year, district)).get(district) ?? noStoredItems();
}

/** The verdict's headline, first line of every explanation. */
export function verdictHeadline(verdict: VerdictStatus): { zh: string; en: string } {
  return verdict === 'pass' ? { zh: '评估结论：达标', en: 'Verdict: passes' }
    : verdict === 'fail' ? { zh: '评估结论：不达标', en: 'Verdict: fails' }
      : { zh: '评估结论：资料不全，暂不能判定达标', en: 'Verdict: incomplete — items still to be entered or evidenced' };
}
