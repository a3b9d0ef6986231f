import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { backends } from '../helpers/stores.ts';
import type { Store } from '../../src/store/store.ts';

describe.each(backends)('store on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  beforeAll(async () => {
    store = await backend.open();
    await store.db.insertInto('org_unit').values({
      code: '120000', name_zh: '天津市', name_en: 'Tianjin', level: 'city', parent_code: null,
      school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null,
    }).execute();
  });
  afterAll(async () => store?.dispose());

  it('reports its backend', () => {
    expect(store.kind).toBe(backend.name);
  });

  it('bulk-loads CSV with COPY inside a transaction', async () => {
    const n = await store.transaction((tx) => tx.copyCsv('data_value', ['org_code', 'year', 'element', 'value', 'source'],
      (async function* () { for (let i = 0; i < 1000; i++) yield `120000,2023,e${i},${i / 2},test\n`; })()));
    expect(n).toBe(1000);
    const r = await sql<{ c: number; s: number }>`SELECT count(*) AS c, sum(value) AS s FROM data_value WHERE year = 2023`.execute(store.db);
    expect(r.rows[0]).toEqual({ c: 1000, s: 249750 });
  });

  it('rolls back everything when the unit of work fails (nothing half-written)', async () => {
    await expect(store.transaction(async (tx) => {
      await tx.copyCsv('data_value', ['org_code', 'year', 'element', 'value', 'source'], ['120000,2024,a,1,t\n']);
      await tx.db.insertInto('data_value').values({ org_code: '999999', year: 2024, element: 'b', value: 1, source: 't' }).execute();
    })).rejects.toThrow(/foreign key/);
    const r = await store.db.selectFrom('data_value').select(sql<number>`count(*)`.as('c')).where('year', '=', 2024).executeTakeFirstOrThrow();
    expect(r.c).toBe(0);
  });

  it('rejects a malformed COPY row and keeps the table unchanged', async () => {
    await expect(store.transaction((tx) => tx.copyCsv('data_value', ['org_code', 'year', 'element', 'value', 'source'], ['120000,notayear,x,1,t\n'])))
      .rejects.toThrow(/integer/);
    const r = await store.db.selectFrom('data_value').select(sql<number>`count(*)`.as('c')).executeTakeFirstOrThrow();
    expect(r.c).toBe(1000);
  });

  it('returns dates as YYYY-MM-DD strings and counts as numbers on both backends', async () => {
    await store.db.updateTable('org_unit').set({ opened: '1949-10-01' }).where('code', '=', '120000').execute();
    const row = await store.db.selectFrom('org_unit').select(['opened']).executeTakeFirstOrThrow();
    expect(row.opened).toBe('1949-10-01');
  });
});
