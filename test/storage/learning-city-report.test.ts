/**
 * The learning-city annual monitoring report (eduplan report learning-city) on every backend:
 * written from the released learning-city snapshot only, in DOCX (text of word/document.xml),
 * PDF (pdftotext) and HTML — KPI 8 with its source, 老年教育活动参与率 per district against 50 %
 * with a withheld district shown as withheld, the network coverage and the framework items; a
 * year not released says so and carries no figure; events imported after the release do not
 * reach the report.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import { missingText } from '../../src/core/reports/format.ts';
import { generateReport } from '../../src/services/evaluation-reports/index.ts';
import { closeReportPdf } from '../../src/services/evaluation-reports/pdf.ts';
import { importLearningEvents } from '../../src/services/learning-city.ts';
import { createRelease } from '../../src/services/releases.ts';
import { readPlanDir } from '../../src/ingest/plan-files.ts';
import { bundledPlanDir, loadPlan } from '../../src/services/plan.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'eduplan-learning-report-'));
afterAll(async () => { await closeReportPdf(); rmSync(dir, { recursive: true, force: true }); });
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const system = { system: 'cli' } as const;
const idOf = (first17: string): string => `${first17}${idCheckChar(first17)}`;
const header = 'event_id,centre_code,date,channel,activity,learner_id_number';
const STREET = '120101001';
const COMMUNITY = '120101001001';
// 和平区: 12 learners born 1950 (elderly) at a 村居 elderly school, twice each → 12 of 24 aged 60+ = 50 %.
// 河东区: 3 elderly learners only → fewer than 10 persons: withheld.
const hp = Array.from({ length: 12 }, (_, i) => idOf(`120101195001${String(i + 1).padStart(2, '0')}${String(100 + i).padStart(3, '0')}`));
const hd = Array.from({ length: 3 }, (_, i) => idOf(`120102195103${String(i + 1).padStart(2, '0')}${String(200 + i).padStart(3, '0')}`));
const lines = [
  ...hp.flatMap((id, i) => ['2024-03-01', '2024-03-08'].map((d) => `H${i}-${d},${COMMUNITY},${d},course,智能手机课,${id}`)),
  ...hd.map((id, i) => `D${i},120102,2024-04-01,course,书法课,${id}`),
];
const KPI8_CITY = 24 + 3;

const xmlText = (xml: string): string => xml.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const squeeze = (s: string): string => s.replace(/\s+/g, '');

describe.each(backends)('learning-city report on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const deps = () => ({ store, clock: () => new Date('2025-01-10T00:00:00Z'), pseudonymKey: 'learning-report-test-key' });
  const write = async (year: number, format: 'docx' | 'pdf' | 'html', lang: 'zh' | 'en' = 'zh'): Promise<string> => {
    const r = await generateReport(deps(), system, { kind: 'learning_city', year, format, lang });
    const path = join(dir, `${backend.name}-${year}.${lang}.${format}`);
    writeFileSync(path, r.bytes);
    return path;
  };

  beforeAll(async () => {
    store = await backend.open();
    await loadPlan(store, await readPlanDir(bundledPlanDir()), deps().clock);
    await sql`INSERT INTO org_unit (code, name_zh, name_en, level, parent_code, unit_type, service_line) VALUES
      ('120000', '天津市', 'Tianjin', 'city', NULL, NULL, NULL), ('120101', '和平区', 'Heping', 'district', '120000', NULL, NULL), ('120102', '河东区', 'Hedong', 'district', '120000', NULL, NULL),
      (${STREET}, '劝业场街', 'Quanyechang', 'street', '120101', 'learning_centre', 'community'), (${COMMUNITY}, '某社区老年学校', 'a community elderly school', 'community', ${STREET}, 'elderly_school', 'elderly')
      ON CONFLICT (code) DO NOTHING`.execute(store.db);
    const ref = (org: string, code: string, value: number) => ({ org_code: org, year: 2024, code, value, source: '区统计局 test' });
    await store.db.insertInto('reference_value').values([ref('120101', 'pop.age60_plus', 24), ref('120102', 'pop.age60_plus', 1000), ref('120000', 'pop.age60_plus', 1024)])
      .onConflict((oc) => oc.columns(['code', 'org_code', 'year']).doNothing()).execute();
    const path = join(dir, `${backend.name}-events.csv`);
    writeFileSync(path, `${[header, ...lines].join('\n')}\n`);
    await importLearningEvents(deps(), system, { path });
    await createRelease(deps(), system, { year: 2024, note: '学习型城市 2024', override_reason: 'no school forms in this test world' });
    // After the release: the provisional count moves, the report must not.
    const late = join(dir, `${backend.name}-late.csv`);
    writeFileSync(late, `${header}\nL1,${STREET},2024-12-01,visit,冬季开放日,\nL2,${STREET},2024-12-02,visit,冬季开放日,\n`);
    await importLearningEvents(deps(), system, { path: late });
  });
  afterAll(async () => store?.dispose());

  it('the DOCX holds KPI 8 as released with its source, the elderly rate per district against 50 % (withheld shown as withheld), the network and the framework', async () => {
    const xml = execFileSync('unzip', ['-p', await write(2024, 'docx'), 'word/document.xml'], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
    const text = xmlText(xml);
    expect(text).toContain('天津市学习型城市建设监测年度报告（2024年）');
    expect(text).toContain(`2024年全市服务市民终身学习人次为${KPI8_CITY}人次`);
    expect(text).not.toContain(`${KPI8_CITY + 2}人次`);
    expect(text).toContain('derived:learning_event');
    const rows = [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((m) => [...m[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => xmlText(c[0])));
    expect(rows).toContainEqual(['和平区', '12', '24', '50.0%', '50.0%', '是']);
    expect(rows).toContainEqual(['河东区', missingText.suppressed.zh, missingText.suppressed.zh, missingText.suppressed.zh, '50.0%', '—']);
    // Network: 和平区's one 街镇 has an elderly school beneath it.
    expect(rows.find((r) => r[0] === '和平区' && r.length === 5)?.[1]).toBe('100.0%');
    expect(text).toContain('街镇老年教育学校覆盖率');
    expect(text).toContain('表4 学习型城市建设监测指标');
  });

  it('the HTML in English carries the same figures', async () => {
    const { readFileSync } = await import('node:fs');
    const html = readFileSync(await write(2024, 'html', 'en'), 'utf8');
    expect(html).toContain('Tianjin learning city: annual monitoring report 2024');
    expect(html).toContain('Heping');
    expect(html).toContain(missingText.suppressed.en);
    expect(html).toMatch(/Lifelong-learning participations served in 2024: 27/);
  });

  it.skipIf(!existsSync(chromium))('the PDF text (pdftotext) holds the KPI 8 figure and the rate table', async () => {
    const text = squeeze(execFileSync('pdftotext', ['-layout', await write(2024, 'pdf'), '-']).toString('utf8'));
    expect(text).toContain(squeeze(`服务市民终身学习人次为${KPI8_CITY}人次`));
    expect(text).toContain('老年教育活动参与率');
    expect(text).toContain('和平区1224');
    expect(text).toContain(squeeze(missingText.suppressed.zh));
  });

  it('a year not released says so and has no figures', async () => {
    const xml = execFileSync('unzip', ['-p', await write(2023, 'docx'), 'word/document.xml']).toString('utf8');
    const text = xmlText(xml);
    expect(text).toContain('2023年的学习型城市建设监测数据尚未发布，本报告不列数据');
    expect(text).not.toContain('和平区');
    expect(text).not.toContain('<w:tbl>');
  });
});
