/**
 * Evaluation reports on both backends: narratives saved as versions (who, when), refused when a
 * placeholder names nothing or a percentage is typed, stale edits refused, only the city may
 * write; publishing stores the files with their sha256 and records them and the data snapshot
 * in the audit chain, which still verifies; a second publication is a new version and the
 * first stays downloadable as it was.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant } from '../../src/core/auth/roles.ts';
import { EduplanError } from '../../src/core/errors.ts';
import { readPlanDir } from '../../src/ingest/plan-files.ts';
import { insertAccount } from '../../src/services/accounts.ts';
import { listAudit, verifyAudit } from '../../src/services/audit.ts';
import type { Actor } from '../../src/services/deps.ts';
import { generateReport, listNarratives, listPublications, publicationFile, publishReport, saveNarrative } from '../../src/services/evaluation-reports/index.ts';
import { closeReportPdf } from '../../src/services/evaluation-reports/pdf.ts';
import { bundledPlanDir, loadPlan } from '../../src/services/plan.ts';
import type { Store } from '../../src/store/store.ts';
import { FAST_SCRYPT, org, seedOrgs } from '../http/submissions.fixture.ts';
import { backends } from '../helpers/stores.ts';

const at = new Date('2026-01-15T02:00:00Z');
const clock = (): Date => at;
const haveChromium = existsSync('/usr/bin/chromium');

const refusal = async (p: Promise<unknown>): Promise<EduplanError> => {
  const e = await p.catch((x: unknown) => x);
  if (!(e instanceof EduplanError)) throw new Error(`expected an EduplanError, got ${String(e)}`);
  return e;
};

afterAll(async () => { await closeReportPdf(); });

describe.each(backends)('evaluation reports on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const actors: Record<'city' | 'district', Actor> = {} as never;
  const deps = () => ({ store, clock });
  const q = { kind: 'final' as const, year: 2025 };

  beforeAll(async () => {
    store = await backend.open();
    await seedOrgs(store);
    await loadPlan(store, await readPlanDir(bundledPlanDir()), clock);
    const grants: Record<keyof typeof actors, Grant[]> = { city: [{ role: 'city_admin', orgCode: org.city }], district: [{ role: 'district_reviewer', orgCode: org.districtA }] };
    for (const [username, g] of Object.entries(grants) as Array<[keyof typeof actors, Grant[]]>) {
      const id = await insertAccount(store.db, at, { username, password: 'Correct-Horse-42', grants: g, scrypt: FAST_SCRYPT });
      actors[username] = { account: { id, username, displayName: username, grants: g, mfaDone: true, mustChangePassword: false, sessionHash: 'x' }, ip: '127.0.0.1' };
    }
  }, 120_000);
  afterAll(async () => { await store?.dispose(); });

  it('saves a narrative as versions with who and when, audited; a stale edit is refused', async () => {
    const first = await saveNarrative(deps(), actors.city, { ...q, section: 'summary' }, { text_zh: '学生体质优良率为{{value fitness_good_rate}}，{{status fitness_good_rate}}。', text_en: '', version: 0 });
    expect(first.current).toMatchObject({ version: 1, saved_by: 'city', saved_at: at.toISOString() });
    const second = await saveNarrative(deps(), actors.city, { ...q, section: 'summary' }, { text_zh: '截至{{as_of}}年，学生体质优良率为{{value fitness_good_rate}}。', text_en: 'By {{as_of}}: {{value fitness_good_rate}}.', version: 1 });
    expect(second.history.map((h) => h.version)).toEqual([2, 1]);
    expect(second.current?.text_en).toBe('By {{as_of}}: {{value fitness_good_rate}}.');
    const stale = await refusal(saveNarrative(deps(), actors.city, { ...q, section: 'summary' }, { text_zh: '旧版本上的修改', text_en: '', version: 1 }));
    expect(stale.code).toBe('E_STATE');
    const audit = (await listAudit(store.db, { action: 'report.narrative' })).filter((e) => e.object_id === 'final/2025/summary');
    expect(audit).toHaveLength(2);
    const listed = await listNarratives(deps(), actors.city, q);
    expect(listed.blocks.map((b) => b.section)).toContain('moral_education');
    expect(listed.blocks.find((b) => b.section === 'summary')?.current?.version).toBe(2);
  });

  it('refuses unknown placeholders, codes, later years and typed percentages, each located; only the city writes', async () => {
    const e = await refusal(saveNarrative(deps(), actors.city, { ...q, section: 'indicators' }, { text_zh: '第一段\n{{value no_such_code}}和{{vaule fitness_good_rate}}，{{value fitness_good_rate 2026}}，约43.9%', text_en: '' }));
    expect(e.code).toBe('E_REPORT_NARRATIVE');
    expect(e.problems.map((p) => [p.path, p.rule])).toEqual([
      ['text_zh:2:1', 'placeholder_code'],
      ['text_zh:2:24', 'placeholder_unknown'],
      ['text_zh:2:52', 'placeholder_year'],
      ['text_zh:2:86', 'typed_percentage'],
    ]);
    expect((await refusal(saveNarrative(deps(), actors.city, { ...q, section: 'no_such_section' }, { text_zh: '文字', text_en: '' }))).code).toBe('E_REPORT_UNKNOWN');
    expect((await refusal(saveNarrative(deps(), actors.district, { ...q, section: 'summary' }, { text_zh: '区里写的', text_en: '' }))).code).toBe('E_FORBIDDEN');
    expect((await refusal(saveNarrative(deps(), actors.city, { kind: 'final', year: 2030, section: 'summary' }, { text_zh: '文字', text_en: '' }))).code).toBe('E_INPUT_INVALID');
  });

  it('generates HTML with the narrative filled from the figures (no data released here: it says so)', async () => {
    const r = await generateReport(deps(), { system: 'cli' }, { ...q, format: 'html', lang: 'zh' });
    const html = r.bytes.toString('utf8');
    expect(html).toContain('截至2025年，学生体质优良率为暂无数据。');
    expect(r.snapshot.narratives).toEqual([{ section: 'summary', version: 2 }]);
    const en = (await generateReport(deps(), { system: 'cli' }, { ...q, format: 'html', lang: 'en' })).bytes.toString('utf8');
    expect(en).toContain('By 2025: no data.');
  });

  it.skipIf(!haveChromium)('publishes: six files stored with their sha256, the publication and the hashes in the audit chain; a new version keeps the old one', async () => {
    expect((await refusal(publishReport(deps(), actors.district, q, { note: '' }))).code).toBe('E_FORBIDDEN');
    const p1 = await publishReport(deps(), actors.city, q, { note: '第一次发布' });
    expect(p1).toMatchObject({ kind: 'final', year: 2025, version: 1, current: true, note: '第一次发布' });
    expect(p1.files.map((f) => f.url).sort()).toEqual(['docx', 'html', 'pdf'].flatMap((f) => ['en', 'zh'].map((l) => `/api/reports/${p1.id}/report.${l}.${f}`)).sort());
    const pdf = await publicationFile(deps(), p1.id, 'report.zh.pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdf.bytes).digest('hex')).toBe(p1.files.find((f) => f.lang === 'zh' && f.format === 'pdf')?.sha256);
    const audit = (await listAudit(store.db, { action: 'report.publish' }))[0];
    expect(audit?.after).toMatchObject({ kind: 'final', year: 2025, version: 1, snapshot: { narratives: [{ section: 'summary', version: 2 }] } });
    expect((audit?.after as { files: Record<string, string> }).files['report.zh.pdf']).toBe(pdf.sha256);

    await saveNarrative(deps(), actors.city, { ...q, section: 'summary' }, { text_zh: '第三版叙述。', text_en: '' });
    const p2 = await publishReport(deps(), actors.city, q, { note: '修订' });
    expect(p2.version).toBe(2);
    const list = await listPublications(deps());
    expect(list.map((p) => [p.version, p.current])).toEqual([[2, true], [1, false]]);
    // The first publication's files are as they were.
    const html1 = (await publicationFile(deps(), p1.id, 'report.zh.html')).bytes.toString('utf8');
    expect(html1).toContain('截至2025年，学生体质优良率为暂无数据。');
    expect(html1).not.toContain('第三版叙述');
    expect((await publicationFile(deps(), p2.id, 'report.zh.html')).bytes.toString('utf8')).toContain('第三版叙述');
    expect((await refusal(publicationFile(deps(), p1.id, 'report.fr.pdf'))).code).toBe('E_REPORT_UNKNOWN');
    expect((await verifyAudit(store.db)).ok).toBe(true);
  }, 300_000);
});
