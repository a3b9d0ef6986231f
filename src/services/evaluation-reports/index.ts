/**
 * Evaluation reports (规划评估报告) — the use cases: generate a report (final 总结评估, midterm
 * 中期评估, annual 年度监测, luban 鲁班工坊年度报告) as DOCX, PDF or HTML in zh or en; read and
 * save the planning office's narrative per section (versioned, audited, refused with located
 * problems when a placeholder is unknown or a number is typed); publish a report (its files
 * frozen with their sha256 and the release versions used, in the audit chain); list and serve
 * published reports to the public.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { EduplanError, type Problem } from '../../core/errors.ts';
import { narrativeSections, reportTitle } from '../../core/reports/sections.ts';
import { parseTemplate, placeholderNames } from '../../core/reports/template.ts';
import type { GeneratedReport, NarrativeBlock, NarrativesResponse, Publication, ReportData, ReportFormat, ReportKind, ReportLang, ReportNarrative, ReportSnapshot, SaveNarrativeRequest } from '../../contract/reports.ts';
import { appendAudit } from '../audit.ts';
import { isSystem, type Caller, type ServiceDeps } from '../deps.ts';
import { cityCodeOf, requireAt, actorRef } from '../plan-execution/access.ts';
import { planContext } from '../plan-execution/context.ts';
import { reportData } from './data.ts';

export interface ReportRequest { readonly kind: ReportKind; readonly year: number }

/** Told as each stage of a long generation finishes (the CLI draws a progress bar). */
export type ReportProgress = (done: number, total: number, stage: string) => void;

const mimeOf: Readonly<Record<ReportFormat, string>> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
};

async function checkYear(deps: ServiceDeps, q: ReportRequest): Promise<void> {
  const plan = (await planContext(deps.store)).plan;
  const min = q.kind === 'annual' || q.kind === 'luban' || q.kind === 'learning_city' ? plan.period.start : plan.period.start + 1;
  const max = plan.period.end;
  if (q.year < min || q.year > max) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'year', value: q.year, rule: 'plan_year', message_zh: `年份须在 ${min}—${max} 之间（规划期内）`, message_en: `the year must be within ${min}–${max} (the plan's period)` }] });
  }
}

// ------------------------------------------------------------------------------ narratives

interface NarrativeRow { section: string; version: number; text_zh: string; text_en: string; saved_at: Date; saved_by: string }

async function narrativeRows(deps: ServiceDeps, q: ReportRequest): Promise<NarrativeRow[]> {
  return deps.store.db.selectFrom('report_narrative').select(['section', 'version', 'text_zh', 'text_en', 'saved_at', 'saved_by'])
    .where('kind', '=', q.kind).where('year', '=', q.year).orderBy('section').orderBy('version', 'desc').execute();
}

/** The newest version of each section's narrative (an emptied block is no narrative). */
async function currentNarratives(deps: ServiceDeps, q: ReportRequest): Promise<ReportNarrative[]> {
  const seen = new Set<string>();
  const out: ReportNarrative[] = [];
  for (const r of await narrativeRows(deps, q)) {
    if (seen.has(r.section)) continue;
    seen.add(r.section);
    if (r.text_zh.trim() === '' && r.text_en.trim() === '') continue;
    out.push({ section: r.section, version: r.version, text_zh: r.text_zh, text_en: r.text_en });
  }
  return out;
}

async function sectionsOf(deps: ServiceDeps, kind: ReportKind): Promise<ReturnType<typeof narrativeSections>> {
  const plan = (await planContext(deps.store)).plan;
  return narrativeSections(kind, plan.task_areas.map((a) => ({ code: a.code, number: a.number, title_zh: a.title_zh, title_en: a.title_en })));
}

export async function listNarratives(deps: ServiceDeps, caller: Caller, q: ReportRequest): Promise<NarrativesResponse> {
  await requireAt(deps, caller, 'report.edit', await cityCodeOf(deps.store.db), { type: 'report', id: `${q.kind}/${q.year}` });
  await checkYear(deps, q);
  const rows = await narrativeRows(deps, q);
  const blocks: NarrativeBlock[] = (await sectionsOf(deps, q.kind)).map((s) => {
    const history = rows.filter((r) => r.section === s.key).map((r) => ({ version: r.version, text_zh: r.text_zh, text_en: r.text_en, saved_at: new Date(r.saved_at).toISOString(), saved_by: r.saved_by }));
    return { section: s.key, title_zh: s.title_zh, title_en: s.title_en, current: history[0] ?? null, history };
  });
  return { kind: q.kind, year: q.year, placeholders: [...placeholderNames], blocks };
}

/**
 * Save a new version of a section's narrative. Refused when a placeholder names nothing the
 * report knows or a number is typed (each problem located by line and column), or when a
 * newer version was saved since the one edited.
 */
export async function saveNarrative(deps: ServiceDeps, caller: Caller, q: ReportRequest & { section: string }, req: SaveNarrativeRequest): Promise<NarrativeBlock> {
  await requireAt(deps, caller, 'report.edit', await cityCodeOf(deps.store.db), { type: 'report_narrative', id: `${q.kind}/${q.year}/${q.section}` });
  await checkYear(deps, q);
  const section = (await sectionsOf(deps, q.kind)).find((s) => s.key === q.section);
  if (!section) throw new EduplanError('E_REPORT_UNKNOWN', { detail: `section ${q.section}` });
  const ctx = await planContext(deps.store);
  const data = await narrativeVocabularyData(deps, q);
  const { vocabularyOf } = await import('../../reports/evaluation/narrative.ts');
  const vocab = vocabularyOf({ targets: data, plan: { title_zh: '', title_en: '', start: ctx.plan.period.start, end: ctx.plan.period.end, baseline_year: ctx.plan.baseline_year }, year: q.year });
  const problems: Problem[] = [];
  for (const [lang, text] of [['zh', req.text_zh], ['en', req.text_en]] as const) {
    for (const p of parseTemplate(text, vocab).problems) {
      problems.push({ path: `text_${lang}:${p.line}:${p.column}`, value: p.token, rule: p.rule, message_zh: `第${p.line}行第${p.column}列：${p.message_zh}`, message_en: `line ${p.line}, column ${p.column}: ${p.message_en}` });
    }
  }
  if (problems.length > 0) throw new EduplanError('E_REPORT_NARRATIVE', { problems });
  const now = deps.clock();
  const by = actorRef(caller);
  await deps.store.transaction(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${REPORT_LOCK})`.execute(tx.db);
    const last = await tx.db.selectFrom('report_narrative').select((eb) => eb.fn.max('version').as('v')).where('kind', '=', q.kind).where('year', '=', q.year).where('section', '=', q.section).executeTakeFirst();
    const current = Number(last?.v ?? 0);
    if (req.version !== undefined && req.version !== current) {
      throw new EduplanError('E_STATE', { detail: `the narrative was saved as version ${current} since version ${req.version} was opened; reload it` });
    }
    const version = current + 1;
    await tx.db.insertInto('report_narrative').values({ kind: q.kind, year: q.year, section: q.section, version, text_zh: req.text_zh, text_en: req.text_en, saved_at: now, saved_by: by.actor }).execute();
    await appendAudit(tx.db, now, {
      actorId: by.actorId, actor: by.actor, action: 'report.narrative', outcome: 'success', objectType: 'report_narrative', objectId: `${q.kind}/${q.year}/${q.section}`, ip: by.ip,
      after: { version, text_zh: req.text_zh, text_en: req.text_en },
    });
  });
  const blocks = (await listNarratives(deps, caller, q)).blocks;
  return blocks.find((b) => b.section === q.section) as NarrativeBlock;
}

const REPORT_LOCK = 9_015_015;

/** The targets a narrative may name (their codes only matter; the public rows of the year). */
async function narrativeVocabularyData(deps: ServiceDeps, q: ReportRequest): Promise<ReportData['targets']> {
  const { targetRows } = await import('../plan-execution/targets.ts');
  return (await targetRows(deps.store, { year: q.year, view: 'public' })).targets;
}

// ------------------------------------------------------------------------------ generation

/** The snapshot of released figures a report is written from, with its current narratives. */
export async function reportSnapshotData(deps: ServiceDeps, q: ReportRequest & { demo?: boolean }): Promise<ReportData> {
  await checkYear(deps, q);
  const narratives = await currentNarratives(deps, q);
  return reportData(deps.store, { kind: q.kind, year: q.year, narratives, now: deps.clock(), demo: q.demo ?? false });
}

/** Render the snapshot in one format and language. */
export async function renderReport(data: ReportData, format: ReportFormat, lang: ReportLang, progress?: ReportProgress): Promise<GeneratedReport> {
  const { composeReport } = await import('../../reports/evaluation/compose.ts');
  const doc = composeReport(data, lang);
  progress?.(2, 4, lang === 'zh' ? '编排章节' : 'sections composed');
  let bytes: Buffer;
  if (format === 'docx') {
    bytes = await (await import('../../reports/evaluation/docx.ts')).reportDocx(doc);
  } else {
    const html = (await import('../../reports/evaluation/html.ts')).reportHtml(doc);
    progress?.(3, 4, lang === 'zh' ? '生成网页与图表' : 'page and charts rendered');
    if (format === 'html') bytes = Buffer.from(html, 'utf8');
    else {
      const { pdfPool } = await import('../../reports/pdf-pool.ts');
      const footer = `<div style="width:100%;font-size:9pt;text-align:center;color:#444;font-family:'WenQuanYi Zen Hei',sans-serif">${doc.footer ? `${doc.footer.replace(/[<>&]/g, '')}　` : ''}— <span class="pageNumber"></span> —</div>`;
      bytes = await pdfPool().print(html, { footerHtml: footer });
    }
  }
  progress?.(4, 4, lang === 'zh' ? `写出 ${format.toUpperCase()}` : `${format.toUpperCase()} written`);
  const title = reportTitle(data.kind, data.year, { zh: data.plan.title_zh, en: data.plan.title_en })[lang];
  return { bytes, content_type: mimeOf[format], file_name: `report-${data.kind}-${data.year}.${lang}.${format}`, title, snapshot: data.snapshot };
}

/**
 * Generate a report: `eduplan report …` (the system) and the workspace's preview and download
 * (whoever may read the plan's execution). The figures are the released ones whoever asks.
 */
export async function generateReport(deps: ServiceDeps, caller: Caller, q: ReportRequest & { format: ReportFormat; lang: ReportLang; demo?: boolean }, progress?: ReportProgress): Promise<GeneratedReport> {
  if (!isSystem(caller)) await requireAt(deps, caller, 'plan.read', await cityCodeOf(deps.store.db), { type: 'report', id: `${q.kind}/${q.year}` });
  const data = await reportSnapshotData(deps, q);
  progress?.(1, 4, q.lang === 'zh' ? '读取已发布数据' : 'released figures read');
  return renderReport(data, q.format, q.lang, progress);
}

// ------------------------------------------------------------------------------ publication

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function publicationOf(r: { id: number; kind: string; year: number; version: number; title_zh: string; title_en: string; published_at: Date; note: string; snapshot: unknown }, files: ReadonlyArray<{ name: string; sha256: string; bytes: number }>, current: boolean): Publication {
  return {
    id: r.id, kind: r.kind as ReportKind, year: r.year, version: r.version, title_zh: r.title_zh, title_en: r.title_en,
    published_at: new Date(r.published_at).toISOString(), note: r.note,
    snapshot: (typeof r.snapshot === 'string' ? JSON.parse(r.snapshot) : r.snapshot) as ReportSnapshot,
    files: files.map((f) => {
      const m = /^report\.(zh|en)\.(docx|pdf|html)$/.exec(f.name);
      return { lang: (m?.[1] ?? 'zh') as ReportLang, format: (m?.[2] ?? 'pdf') as ReportFormat, sha256: f.sha256, bytes: f.bytes, url: `/api/reports/${r.id}/${f.name}` };
    }),
    current,
  };
}

/**
 * Publish a report: generate its files (DOCX, PDF, HTML in zh and en) from the released figures
 * and the current narratives, store their bytes, and record the publication — the files'
 * sha256, the release and narrative versions used — in the audit chain, in one transaction.
 */
export async function publishReport(deps: ServiceDeps, caller: Caller, q: ReportRequest & { demo?: boolean }, req: { note: string }, progress?: ReportProgress): Promise<Publication> {
  await requireAt(deps, caller, 'report.publish', await cityCodeOf(deps.store.db), { type: 'report', id: `${q.kind}/${q.year}` });
  const data = await reportSnapshotData(deps, q);
  const files: Array<{ name: string; mime: string; content: Buffer }> = [];
  const formats = ['docx', 'pdf', 'html'] as const;
  let n = 0;
  for (const lang of ['zh', 'en'] as const) {
    for (const format of formats) {
      const g = await renderReport(data, format, lang);
      files.push({ name: `report.${lang}.${format}`, mime: g.content_type, content: g.bytes });
      progress?.(++n, 6, `report.${lang}.${format}`);
    }
  }
  const title = reportTitle(q.kind, q.year, { zh: data.plan.title_zh, en: data.plan.title_en });
  const now = deps.clock();
  const by = actorRef(caller);
  const published = await deps.store.transaction(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${REPORT_LOCK})`.execute(tx.db);
    const last = await tx.db.selectFrom('report_publication').select((eb) => eb.fn.max('version').as('v')).where('kind', '=', q.kind).where('year', '=', q.year).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const row = await tx.db.insertInto('report_publication').values({
      kind: q.kind, year: q.year, version, title_zh: title.zh, title_en: title.en, published_at: now, published_by: by.actor, note: req.note, snapshot: JSON.stringify(data.snapshot),
    }).returning(['id', 'kind', 'year', 'version', 'title_zh', 'title_en', 'published_at', 'note', 'snapshot']).executeTakeFirstOrThrow();
    const stored = files.map((f) => ({ publication_id: row.id, name: f.name, mime: f.mime, sha256: sha256(f.content), bytes: f.content.length, content: f.content }));
    await tx.db.insertInto('report_file').values(stored).execute();
    await appendAudit(tx.db, now, {
      actorId: by.actorId, actor: by.actor, action: 'report.publish', outcome: 'success', objectType: 'report_publication', objectId: row.id, ip: by.ip,
      after: { kind: q.kind, year: q.year, version, note: req.note, snapshot: data.snapshot, files: Object.fromEntries(stored.map((f) => [f.name, f.sha256])) },
    });
    return publicationOf(row, stored, true);
  });
  return published;
}

/** Every published report, newest first (public: the portal's reports page, GET /api/reports). */
export async function listPublications(deps: Pick<ServiceDeps, 'store'>): Promise<Publication[]> {
  const rows = await deps.store.db.selectFrom('report_publication').select(['id', 'kind', 'year', 'version', 'title_zh', 'title_en', 'published_at', 'note', 'snapshot'])
    .orderBy('published_at', 'desc').orderBy('id', 'desc').execute();
  const files = await deps.store.db.selectFrom('report_file').select(['publication_id', 'name', 'sha256', 'bytes']).orderBy('name').execute();
  const newest = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.kind}/${r.year}`;
    if ((newest.get(key) ?? -1) < r.version) newest.set(key, r.version);
  }
  return rows.map((r) => publicationOf(r, files.filter((f) => f.publication_id === r.id), newest.get(`${r.kind}/${r.year}`) === r.version));
}

/** A published file's bytes, as published. */
export async function publicationFile(deps: Pick<ServiceDeps, 'store'>, id: number, name: string): Promise<{ bytes: Buffer; content_type: string; file_name: string; sha256: string }> {
  const f = await deps.store.db.selectFrom('report_file').innerJoin('report_publication as p', 'p.id', 'report_file.publication_id')
    .select(['report_file.name', 'report_file.mime', 'report_file.sha256', 'report_file.content', 'p.kind', 'p.year', 'p.version'])
    .where('report_file.publication_id', '=', id).where('report_file.name', '=', name).executeTakeFirst();
  if (!f) throw new EduplanError('E_REPORT_UNKNOWN', { detail: `${id}/${name}` });
  return { bytes: Buffer.from(f.content), content_type: f.mime, file_name: `report-${f.kind}-${f.year}-v${f.version}.${name.slice('report.'.length)}`, sha256: f.sha256 };
}

