/**
 * Site search (站内搜索): indicators, the plan's targets, task areas and 专栏, districts and
 * schools, matched in Chinese, English and pinyin initials (core/search/search.ts). The
 * document list is built from the definitions, the plan tracker's public rows and the org
 * units, and kept until the public figures change (a release) or the org units are reloaded
 * (at most a minute later).
 */
import { indicatorDefinitions } from '../core/indicators/definitions.ts';
import { prepare, search, type SearchDoc, type SearchHit } from '../core/search/search.ts';
import type { Store } from '../store/store.ts';
import { taskRowsOf } from './plan-execution/tasks.ts';
import { targetRows } from './plan-execution/targets.ts';
import { readOrgTree } from './org-tree.ts';
import { onFiguresChanged } from './progress.ts';

async function documents(store: Store, now: Date): Promise<SearchDoc[]> {
  const docs: SearchDoc[] = indicatorDefinitions.map((d) => ({ kind: 'indicator', id: d.code, title_zh: d.name_zh, title_en: d.name_en, detail_zh: d.definition_zh, detail_en: d.definition_en, link: `/indicators/${d.code}` }));
  const tasks = await taskRowsOf(store, { view: 'public', now }).catch(() => ({ tasks: [] }));
  for (const t of tasks.tasks) {
    if (t.kind === 'project') docs.push({ kind: 'column', id: t.code, title_zh: `${t.source} ${t.title_zh}`, title_en: `${t.source} ${t.title_en}`, link: `/plan/projects/${t.code}` });
    else if (t.kind === 'area') docs.push({ kind: 'area', id: t.code, title_zh: t.title_zh, title_en: t.title_en, detail_zh: t.source, link: '/plan' });
  }
  const targets = await targetRows(store, { view: 'public' }).catch(() => ({ targets: [] }));
  for (const t of targets.targets) {
    if (t.kind === 'indicator') continue;
    docs.push({ kind: 'target', id: t.id, title_zh: t.text_zh, title_en: t.text_en, detail_zh: t.source_zh, detail_en: t.source, link: t.project ? `/plan/projects/${t.project}` : '/plan' });
  }
  // Units directly under the root are searched as 区 (kind `district`: Tianjin's districts, a
  // province's prefecture cities), reporting units as schools, each with the top unit it lies in.
  const tree = await readOrgTree(store.db);
  for (const o of tree.topUnits()) docs.push({ kind: 'district', id: o.code, title_zh: o.name_zh, title_en: o.name_en, link: `/districts/${o.code}` });
  for (const code of tree.codes()) {
    if (tree.placeOf(code) !== 'reporting') continue;
    const o = tree.get(code);
    if (!o) continue;
    const top = tree.topOf(code);
    const d = top === null ? undefined : tree.get(top);
    docs.push({ kind: 'school', id: o.code, title_zh: o.name_zh, title_en: o.name_en, detail_zh: d?.name_zh ?? '', detail_en: d?.name_en ?? '', link: d ? `/districts/${d.code}` : '/districts' });
  }
  return docs;
}

const memo = new WeakMap<Store, { at: number; index: Promise<ReturnType<typeof prepare>> }>();
const watched = new WeakSet<Store>();

export async function siteSearch(deps: { store: Store; clock: () => Date }, q: { q: string; limit?: number | undefined }): Promise<SearchHit[]> {
  const now = deps.clock();
  let m = memo.get(deps.store);
  if (!m || now.getTime() - m.at > 60_000) {
    if (!watched.has(deps.store)) {
      watched.add(deps.store);
      onFiguresChanged(deps.store, 'public', () => memo.delete(deps.store));
    }
    const index = documents(deps.store, now).then(prepare);
    index.catch(() => memo.delete(deps.store));
    memo.set(deps.store, (m = { at: now.getTime(), index }));
  }
  return search(await m.index, q.q, q.limit ?? 50);
}
