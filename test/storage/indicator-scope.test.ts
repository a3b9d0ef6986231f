/**
 * The city's choice of a scope option (口径选项) is stored, audited and used by every
 * recompute that follows: 双师型 with 高职 colleges counted changes the provisional figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listScopeOptions, setScopeOption } from '../../src/services/indicator-scope.ts';
import { readCells, recomputeIndicators } from '../../src/services/indicators.ts';
import { verifyAudit } from '../../src/services/audit.ts';
import { backends } from '../helpers/stores.ts';
import { CITY, S, fixtureBalancedVerdicts, loadFixture, loadFixturePlan } from './indicators.fixture.ts';

describe.each(backends)('indicator scope options on $name', (backend) => {
  let store: Awaited<ReturnType<typeof backend.open>>;
  const clock = (): Date => new Date('2026-03-01T00:00:00Z');
  const dual = async (): Promise<number | null> => (await readCells(store, { indicator: 'vocational_dual_teacher_share', org_code: CITY, year: 2023, disaggregation: '' }))[0]?.value ?? null;

  beforeAll(async () => {
    store = await backend.open();
    await loadFixture(store);
    await loadFixturePlan(store);
    // A 高职 college (the fixture's university) reporting 双师型 teachers too.
    await store.db.insertInto('data_value').values([
      { org_code: S.U1, year: 2023, element: 'teachers.specialty', value: 60, source: 'test:fixture' },
      { org_code: S.U1, year: 2023, element: 'teachers.dual_qualified', value: 30, source: 'test:fixture' },
    ]).execute();
    await recomputeIndicators(store, { balancedVerdicts: fixtureBalancedVerdicts });
  }, 60_000);
  afterAll(async () => { await store?.dispose(); });

  it('defaults to 中职 only, and says so', async () => {
    expect(await dual()).toBeCloseTo((26 / 40) * 100, 9);
    const options = await listScopeOptions({ store, clock });
    expect(options.find((o) => o.name === 'dual_teachers')).toEqual({ name: 'dual_teachers', value: 'secondary', default: 'secondary', allowed: ['secondary', 'secondary_and_higher'], set_by: null, set_at: null });
  });

  it('a chosen option is stored, audited and recomputed at once; the next recompute keeps it', async () => {
    const r = await setScopeOption({ store, clock }, { system: 'cli' }, 'dual_teachers', 'secondary_and_higher');
    expect(r.indicators).toBe('recomputed');
    expect(r.option).toMatchObject({ value: 'secondary_and_higher', set_by: 'cli', set_at: '2026-03-01T00:00:00.000Z' });
    expect(await dual()).toBeCloseTo(((26 + 30) / (40 + 60)) * 100, 9);
    // Another recompute (any data change, `indicators compute`) computes with the stored choice.
    await recomputeIndicators(store, { years: [2023], balancedVerdicts: fixtureBalancedVerdicts });
    expect(await dual()).toBeCloseTo(56, 9);
    const audit = await store.db.selectFrom('audit_event').select(['action', 'before', 'after']).where('action', '=', 'indicator.scope').execute();
    expect(audit).toEqual([{ action: 'indicator.scope', before: { value: 'secondary' }, after: { value: 'secondary_and_higher' } }]);
    expect((await verifyAudit(store.db)).ok).toBe(true);
  });

  it('refuses a value the option does not have, changing nothing', async () => {
    await expect(setScopeOption({ store, clock }, { system: 'cli' }, 'dual_teachers', 'everyone')).rejects.toMatchObject({ code: 'E_INPUT_INVALID' });
    expect((await listScopeOptions({ store, clock })).find((o) => o.name === 'dual_teachers')?.value).toBe('secondary_and_higher');
  });
});
