/**
 * Outlier rules (与本区同类学校比较) fire through the workflow: saveDraft and getSubmission
 * load whole peers — every field the rule reads, not only the cell it marks — so a ratio
 * such as 生均体育运动场馆面积 = area.sports_m2 / sum(enrol.*) can be computed for each peer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/stores.ts';
import type { Store } from '../../src/store/store.ts';
import { insertAccount, type Actor } from '../../src/services/accounts.ts';
import { grantsOf } from '../../src/services/auth.ts';
import { getSubmission, saveDraft } from '../../src/services/submissions.ts';
import { FAST_SCRYPT, fakeClock, goodValues, org, PASSWORD, seedOrgs } from '../http/submissions.fixture.ts';

/** Six more primary schools in 和平区 whose 2024 values are stored, sports area 4,800–5,300 m² for 480 pupils. */
const peerSports = [4800, 4900, 5000, 5100, 5200, 5300];
const peerCode = (i: number): string => `12010100${String(10 + i)}`;

describe.each(backends)('outlier rules through saveDraft on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const clock = fakeClock('2024-09-20T02:00:00Z');
  let reporter: Actor;
  beforeAll(async () => {
    store = await backend.open();
    await seedOrgs(store);
    const base = { ownership: 'public' as const, inclusive: null, urban_rural: 'urban' as const, opened: null, closed: null, level: 'school' as const, parent_code: org.districtA, school_type: 'primary' };
    await store.db.insertInto('org_unit').values(peerSports.map((_, i) => ({ ...base, code: peerCode(i), name_zh: `和平同类小学${i}`, name_en: `Heping peer ${i}` }))).execute();
    const rows = peerSports.flatMap((sports, i) => Object.entries({ ...goodValues(), 'area.sports_m2': sports })
      .filter((e): e is [string, number] => e[1] !== null)
      .map(([element, value]) => ({ org_code: peerCode(i), year: 2024, element, value, source: 'test' })));
    await store.db.insertInto('data_value').values(rows).execute();
    const id = await insertAccount(store.db, clock.now, { username: 'heping-1', password: PASSWORD, grants: [{ role: 'school_reporter', orgCode: org.schoolA1 }], scrypt: FAST_SCRYPT });
    reporter = { account: { id, username: 'heping-1', displayName: 'heping-1', grants: await grantsOf(store.db, id), mfaDone: true, mustChangePassword: false, sessionHash: 'x' }, ip: '127.0.0.1' };
  });
  afterAll(async () => store?.dispose());

  it('a sports area ten times the peers\' is a soft outlier problem in saveDraft and getSubmission, and an explanation clears it', async () => {
    const deps = { store, clock: clock.fn };
    const input = { orgCode: org.schoolA1, formCode: 'annual.primary', year: 2024, values: { ...goodValues(), 'area.sports_m2': 50_000 } };
    const saved = await saveDraft(deps, reporter, input);
    const outlier = saved.body.validation.soft.find((p) => p.rule?.includes('outlier_sports_area_per_pupil'));
    expect(outlier, JSON.stringify(saved.body.validation.soft.map((p) => p.rule))).toBeDefined();
    expect(outlier?.value).toMatchObject({ value: 50_000 / 480, peers: 6 });
    expect(saved.body.validation.hard).toEqual([]);
    expect(saved.body.validation.unexplained.some((p) => p.rule?.includes('outlier_sports_area_per_pupil'))).toBe(true);

    const read = await getSubmission(deps, reporter, { id: saved.body.submission.id });
    expect(read.validation.soft.some((p) => p.rule?.includes('outlier_sports_area_per_pupil'))).toBe(true);

    const explained = await saveDraft(deps, reporter, { ...input, comments: { 'area.sports_m2': '新建体育馆 2024 年投入使用' } });
    expect(explained.body.validation.soft.some((p) => p.rule?.includes('outlier_sports_area_per_pupil'))).toBe(true);
    expect(explained.body.validation.unexplained).toEqual([]);
  });

  it('a sports area within the peers\' range raises no outlier problem', async () => {
    const saved = await saveDraft({ store, clock: clock.fn }, reporter, { orgCode: org.schoolA1, formCode: 'annual.primary', year: 2024, values: { ...goodValues(), 'area.sports_m2': 5050 } });
    expect(saved.body.validation.soft.filter((p) => p.rule?.includes('outlier'))).toEqual([]);
  });
});
