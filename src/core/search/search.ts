/**
 * Site search (站内搜索) over indicators, targets, 专栏 and task areas, districts and schools:
 * in Chinese (substring of the name), English (case-insensitive words) and pinyin initials
 * (拼音首字母: `jyjgl` finds 义务教育巩固率, `hpq` 和平区), on a document list the service
 * builds. Every word of the query must match; better matches first. Pure.
 */
import { chars, initials } from './pinyin-initials.data.ts';

export type SearchKind = 'indicator' | 'target' | 'column' | 'area' | 'district' | 'school';

export interface SearchDoc {
  readonly kind: SearchKind;
  readonly id: string;
  readonly title_zh: string;
  readonly title_en: string;
  /** More text to match (a target's source, a school's district), shown under the title. */
  readonly detail_zh?: string;
  readonly detail_en?: string;
  /** The portal path to open. */
  readonly link: string;
}

export interface SearchHit extends SearchDoc { readonly score: number }

const initialOf = new Map<string, string>();
for (let i = 0; i < chars.length; i++) initialOf.set(chars[i] as string, initials[i] as string);

/** The pinyin initials of a text: a letter per 汉字 in the table, Latin letters and digits kept, the rest dropped. */
export function pinyinInitials(text: string): string {
  let out = '';
  for (const ch of text) {
    const i = initialOf.get(ch);
    if (i !== undefined && i !== '?') out += i;
    else if (/[A-Za-z0-9]/.test(ch)) out += ch.toLowerCase();
  }
  return out;
}

interface Prepared { readonly doc: SearchDoc; readonly zh: string; readonly en: string; readonly initials: string; readonly detail: string; readonly id: string }

/** Normalise once per document: lower case, full-width Latin to half-width. */
const norm = (s: string): string => s.normalize('NFKC').toLowerCase();

export function prepare(docs: readonly SearchDoc[]): Prepared[] {
  return docs.map((doc) => ({
    doc, zh: norm(doc.title_zh), en: norm(doc.title_en), initials: pinyinInitials(doc.title_zh), id: norm(doc.id),
    detail: norm(`${doc.detail_zh ?? ''} ${doc.detail_en ?? ''}`),
  }));
}

/** How well one query word matches a document (0 = not at all). */
function wordScore(p: Prepared, w: string): number {
  let s = 0;
  if (p.id === w) s = Math.max(s, 100);
  else if (p.id.includes(w)) s = Math.max(s, 40);
  if (p.zh.includes(w)) s = Math.max(s, p.zh.startsWith(w) ? 60 : 50);
  if (p.en.includes(w)) s = Math.max(s, new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(p.en) ? 45 : 30);
  if (/^[a-z]{2,}$/.test(w) && p.initials.includes(w)) s = Math.max(s, p.initials.startsWith(w) ? 35 : 25);
  if (s === 0 && p.detail.includes(w)) s = 10;
  return s;
}

export function search(prepared: readonly Prepared[], query: string, limit = 50): SearchHit[] {
  const words = norm(query).split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return [];
  const hits: SearchHit[] = [];
  for (const p of prepared) {
    let total = 0;
    let all = true;
    for (const w of words) {
      const s = wordScore(p, w);
      if (s === 0) { all = false; break; }
      total += s;
    }
    if (all) hits.push({ ...p.doc, score: total });
  }
  const kindOrder: readonly SearchKind[] = ['indicator', 'column', 'area', 'target', 'district', 'school'];
  return hits.sort((a, b) => b.score - a.score || kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || a.title_zh.localeCompare(b.title_zh)).slice(0, limit);
}
