/**
 * Learning-city monitoring on every backend (issue 18's acceptance): KPI 8 equals the
 * de-duplicated count of imported learning events (a file with duplicates, imported twice,
 * then a second file overlapping the first), falls back to the reported reference value for a
 * year without events, and 老年教育活动参与率 appears per district against the 50 % target,
 * withheld where fewer than 10 elderly people took part.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import { recomputeIndicators } from '../../src/services/indicators.ts';
import { elderlyParticipation, importLearningEvents, publishedLearningCity } from '../../src/services/learning-city.ts';
import { createRelease } from '../../src/services/releases.ts';
import { readPlanDir } from '../../src/ingest/plan-files.ts';
import { bundledPlanDir, loadPlan } from '../../src/services/plan.ts';
import { targetRows } from '../../src/services/plan-execution/targets.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'eduplan-learning-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const system = { system: 'cli' } as const;
const idOf = (first17: string): string => `${first17}${idCheckChar(first17)}`;
/** Born 1950–1961: 62+ in 2024. */
const elderly = Array.from({ length: 12 }, (_, i) => idOf(`1201011950${String(i % 12 + 1).padStart(2, '0')}01${String(100 + i).padStart(3, '0')}`));
const young = idOf('12010219900615201');
const COMMUNITY = '120101001001'; // a 村居 learning centre under a 街镇 of 和平区
const STREET = '120101001';
const header = 'event_id,centre_code,date,channel,activity,learner_id_number';

/** A workbook as a centre saves it: one sheet named 活动记录, the header, then the rows (dates as date cells). */
async function workbook(name: string, rows: string[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('活动记录');
  ws.addRow(header.split(','));
  for (const r of rows) ws.addRow(r.map((c, i) => (i === 2 && /^\d{4}-\d{2}-\d{2}$/.test(c) ? new Date(`${c}T00:00:00Z`) : c)));
  const path = join(dir, name);
  await wb.xlsx.writeFile(path);
  return path;
}

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${[header, ...lines].join('\n')}\n`);
  return path;
}

// 12 elderly learners × 2 days = 24 participations, every row sent twice (a second event id
// for the same learner, centre, activity and day); 5 anonymous visits, two sent twice; the
// young learner 3 online sessions at the other district's centre.
const lines: string[] = [];
elderly.forEach((id, i) => {
  for (const day of ['2024-03-01', '2024-03-08']) {
    lines.push(`S${i}-${day},${COMMUNITY},${day},course,智能手机课,${id}`);
    lines.push(`T${i}-${day},${COMMUNITY},${day},课程,智能手机课,${id}`);
  }
});
for (const v of [1, 2, 3, 4, 5, 1, 2]) lines.push(`V${v},${STREET},2024-04-0${v},visit,社区书房开放日,`);
for (const d of ['2024-05-01', '2024-05-02', '2024-05-03']) lines.push(`O-${d},120102,${d},online,老年大学网课,${young}`);
const EXPECTED = { '120101': 24 + 5, '120102': 3 };

describe.each(backends)('learning events on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const deps = () => ({ store, clock: () => new Date('2025-01-10T00:00:00Z'), pseudonymKey: 'learning-test-pseudonym-key' });
  const kpi8 = async (year: number) => Object.fromEntries((await store.db.selectFrom('indicator_value').select(['org_code', 'value'])
    .where('indicator', '=', 'lifelong_learning_participations').where('year', '=', year).where('disaggregation', '=', '').execute()).map((r) => [r.org_code, r.value]));

  beforeAll(async () => {
    store = await backend.open();
    // The four-level network: 市 → 区 → 街镇 → 村居 (levels widened by 0014).
    await sql`INSERT INTO org_unit (code, name_zh, level, parent_code, unit_type, service_line) VALUES
      ('120000', '天津市', 'city', NULL, NULL, NULL), ('120101', '和平区', 'district', '120000', NULL, NULL), ('120102', '河东区', 'district', '120000', NULL, NULL),
      (${STREET}, '劝业场街', 'street', '120101', 'learning_centre', 'community'), (${COMMUNITY}, '某社区学习点', 'community', ${STREET}, 'elderly_school', 'elderly')`.execute(store.db);
    const ref = (org: string, year: number, code: string, value: number) => ({ org_code: org, year, code, value, source: '测试 test' });
    await store.db.insertInto('reference_value').values([
      ref('120101', 2024, 'pop.age60_plus', 24), ref('120102', 2024, 'pop.age60_plus', 1000), ref('120000', 2024, 'pop.age60_plus', 1024),
      ref('120000', 2023, 'lifelong.participations', 777), ref('120000', 2024, 'lifelong.participations', 999),
    ]).execute();
  });
  afterAll(async () => store?.dispose());

  it('KPI 8 is the de-duplicated count of the imported events, per district and for the city', async () => {
    const r = await importLearningEvents(deps(), system, { path: file('events.csv', lines) });
    expect(r).toMatchObject({ rows: lines.length, added: EXPECTED['120101'] + EXPECTED['120102'], years: [2024] });
    expect(r.duplicates).toBe(lines.length - r.added);
    expect(await kpi8(2024)).toEqual({ '120000': EXPECTED['120101'] + EXPECTED['120102'], ...EXPECTED });
    const again = await importLearningEvents(deps(), system, { path: file('events.csv', lines) });
    expect(again).toMatchObject({ added: 0, batch_id: null });
  });

  it('a second file counts only what is new', async () => {
    const more = [lines[0] as string, `X1,${STREET},2024-06-01,visit,读书会,`, `O-2024-05-04,120102,2024-05-04,online,老年大学网课,${young}`];
    const r = await importLearningEvents(deps(), system, { path: file('more.csv', more) });
    expect(r).toMatchObject({ rows: 3, added: 2, duplicates: 1 });
    expect(await kpi8(2024)).toEqual({ '120000': 34, '120101': 30, '120102': 4 });
  });

  it('keeps the reported reference value for a year without events, and stores no ID number', async () => {
    await recomputeIndicators(store, { years: [2023], clock: deps().clock });
    expect(await kpi8(2023)).toEqual({ '120000': 777 });
    const rows = await sql<{ row: string }>`SELECT t::text AS row FROM learning_event t`.execute(store.db);
    for (const x of rows.rows) for (const id of [...elderly, young]) expect(x.row).not.toContain(id.slice(0, 17));
  });

  it('老年教育活动参与率 per district: distinct elderly participants ÷ population aged 60+, against 50 %', async () => {
    const rows = await elderlyParticipation(deps(), system, { year: 2024 });
    const by = Object.fromEntries(rows.map((r) => [r.org_code, r]));
    expect(by['120101']).toMatchObject({ participants: 12, population: 24, rate: 50, target: 50, met: true, suppressed: false });
    expect(by['120102']).toMatchObject({ participants: 0, population: 1000, rate: 0, met: false });
    expect(by['120000']).toMatchObject({ participants: 12, population: 1024, met: false });
  });

  it('refuses a file with a bad row, naming the line and column, and writes nothing', async () => {
    const before = await kpi8(2024);
    const bad = file('bad.csv', [`Z1,${STREET},2024-02-30,visit,开放日,`, `Z2,999999,2024-02-01,walk,开放日,`]);
    const err = await importLearningEvents(deps(), system, { path: bad }).catch((e: unknown) => e) as { code: string; problems: Array<{ row: number; column: string; rule: string }> };
    expect(err.code).toBe('E_IMPORT_INVALID');
    expect(err.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ row: 2, column: 'date', rule: 'date' }),
      expect.objectContaining({ row: 3, column: 'channel', rule: 'choice' }),
    ]));
    expect(await kpi8(2024)).toEqual(before);
  });

  it('imports an xlsx workbook the same way: duplicates count once, a second import changes nothing', async () => {
    const before = await kpi8(2024);
    const elder = elderly[0] as string;
    const rows = [
      ['W1', STREET, '2024-09-01', 'visit', '秋季开放日', ''],
      ['W2', COMMUNITY, '2024-09-02', '课程', '太极拳', elder],
      ['W3', COMMUNITY, '2024-09-02', 'course', '太极拳', elder], // the same learner, centre, activity and day: a duplicate
    ];
    const r = await importLearningEvents(deps(), system, { path: await workbook('events.xlsx', rows) });
    expect(r).toMatchObject({ rows: 3, added: 2, duplicates: 1, years: [2024] });
    expect(await kpi8(2024)).toEqual({ '120000': (before['120000'] ?? 0) + 2, '120101': (before['120101'] ?? 0) + 2, '120102': before['120102'] });
    expect(await importLearningEvents(deps(), system, { path: join(dir, 'events.xlsx') })).toMatchObject({ added: 0, batch_id: null });
  });

  it('refuses a workbook with a bad row, naming the file, sheet, row, column, value and rule, and writes nothing', async () => {
    const before = await kpi8(2024);
    const path = await workbook('bad.xlsx', [['B1', STREET, '2024-10-01', 'visit', '开放日', ''], ['B2', STREET, '2024-10-02', 'walk', '开放日', '']]);
    const err = await importLearningEvents(deps(), system, { path }).catch((e: unknown) => e) as { code: string; problems: Array<Record<string, unknown>> };
    expect(err.code).toBe('E_IMPORT_INVALID');
    expect(err.problems).toEqual([expect.objectContaining({ file: 'bad.xlsx', sheet: '活动记录', row: 3, column: 'channel', value: 'walk', rule: 'choice', message_zh: expect.stringContaining('课程'), message_en: expect.stringContaining('course') })]);
    expect(await kpi8(2024)).toEqual(before);
  });

  it('refuses a file renamed .xlsx that is no workbook, before any parser reads it', async () => {
    const path = join(dir, 'renamed.xlsx');
    writeFileSync(path, `${header}\nR1,${STREET},2024-10-01,visit,开放日,\n`);
    const err = await importLearningEvents(deps(), system, { path }).catch((e: unknown) => e) as { code: string };
    expect(err.code).toMatch(/^E_IMPORT_/);
  });

  it('the public sees the learning-city figures only once the city has released the year, and a new import waits for the next release', async () => {
    expect(await publishedLearningCity(store, { year: 2024 })).toMatchObject({ year: 2024, release: null, figures: [] });
    await store.db.insertInto('reference_value').values({ org_code: '120000', year: 2024, code: 'learning.vocational_groups', value: 4, source: '市教委职成处 test' }).execute();
    const release = await createRelease(deps(), system, { year: 2024, note: '学习型城市 2024', override_reason: 'no school forms in this test world' });
    const pub = await publishedLearningCity(store, { year: 2024 });
    expect(pub.release).toMatchObject({ id: release.id, version: release.version });
    const rate = Object.fromEntries(pub.figures.filter((f) => f.figure === 'elderly_participation_rate').map((f) => [f.org_code, f]));
    expect(rate['120101']).toMatchObject({ numerator: 12, denominator: 24, value: 50, target: 50, suppressed: false, name_zh: '和平区' });
    // 河东区: events, but no elderly learner among them: 0 of 1,000.
    expect(rate['120102']).toMatchObject({ numerator: 0, value: 0 });
    expect(pub.figures.find((f) => f.figure === 'street_elderly_school_coverage' && f.org_code === '120101')).toMatchObject({ numerator: 1, denominator: 1, value: 100 });
    expect(pub.kpi8.find((k) => k.org_code === '120000')?.value).toBe((await kpi8(2024))['120000']);
    // A framework item imported as a reference value is released with the figures; items carry their source and target.
    expect(pub.figures.find((f) => f.figure === 'vocational_groups_coverage')).toMatchObject({ org_code: '120000', value: 4, source: expect.stringContaining('learning.vocational_groups') });
    expect(pub.framework.items.find((i) => i.code === 'elderly_participation_rate')).toMatchObject({ section: expect.stringContaining('专栏12'), target: { value: 50 } });
    // More events after the release: the provisional figures move, the public ones do not.
    await importLearningEvents(deps(), system, { path: file('late.csv', [`L1,${STREET},2024-12-01,visit,冬季开放日,`]) });
    const after = await publishedLearningCity(store, { year: 2024 });
    expect(after.kpi8).toEqual(pub.kpi8);
    expect(after.release?.id).toBe(release.id);
  });

  it('the tracker takes 老年教育活动参与率 and 街镇老年教育学校全覆盖 as computed values, with their source, instead of reported ones', async () => {
    await loadPlan(store, await readPlanDir(bundledPlanDir()), deps().clock);
    const rows = (await targetRows(store, { year: 2024, view: 'provisional' })).targets;
    const by = (id: string) => rows.find((t) => t.id === id);
    // City: 12 elderly participants (the 村居 school's learners) of 1,024 aged 60+.
    for (const id of ['elderly_education_participation', 'p12_elderly_education_participation']) {
      expect(by(id)).toMatchObject({ value_year: 2024, value_source: expect.stringContaining('computed:elderly_participation_rate'), data_path: 'entered' });
      expect(by(id)?.value).toBeCloseTo((12 / 1024) * 100, 1);
    }
    // The one 街镇 on record has a 村居 elderly school beneath it.
    expect(by('town_elderly_schools_coverage')).toMatchObject({ value: 100, value_year: 2024, value_source: expect.stringContaining('computed:street_elderly_school_coverage') });
  });
});
