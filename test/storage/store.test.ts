import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { backends } from '../helpers/stores.ts';
import type { Store } from '../../src/store/store.ts';
import { BinaryCopyWriter } from '../../src/store/binary-copy.ts';

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
    // A Citus coordinator is a PostgreSQL server to the store.
    expect(store.kind).toBe(backend.name === 'citus' ? 'postgres' : backend.name);
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

  it('bulk-loads binary COPY tuples of every type the importer writes, across chunk boundaries', async () => {
    // Small chunks so that tuples straddle chunk boundaries (COPY data is one byte stream).
    const w = new BinaryCopyWriter(64);
    const words = Uint32Array.from([0x01234567, 0x89abcdef, 0, 0xffffffff, 1, 2, 3, 4]);
    for (let i = 0; i < 300; i++) {
      w.row(11);
      w.int4(i);
      w.text(i % 2 === 0 ? '1201010001' : '河西区');
      w.int2(i - 150);
      w.hexWords(words);
      w.text(i % 3 === 0 ? 'm' : 'f');
      w.float4OrNull(i % 5 === 0 ? NaN : 118.2 + i);
      w.float8(i / 100);
      w.bool(i % 2 === 0);
      w.int2OrNull(i % 7 === 0 ? NaN : i);
      w.text('');
      // Pre-encoded text (the importer's grade band) on every other row, text() on the rest.
      if (i % 11 === 0) w.null(); else if (i % 2 === 0) w.textBytes(new TextEncoder().encode('良好')); else w.text('良好');
    }
    expect(w.rows).toBe(300);
    await store.db.schema.createTable('copy_probe')
      .addColumn('a', 'integer').addColumn('b', 'text').addColumn('c', 'smallint').addColumn('d', 'text').addColumn('e', sql`char(1)`)
      .addColumn('f', 'real').addColumn('g', 'double precision').addColumn('h', 'boolean').addColumn('i', 'smallint').addColumn('j', 'text').addColumn('k', 'text')
      .execute();
    const cols = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'];
    const chunks = w.take();
    const sizes = chunks.map((c) => c.buffer.byteLength);
    const n = await store.transaction((tx) => tx.copyBinary('copy_probe', cols, chunks));
    expect(n.rows).toBe(300);
    expect(w.rows).toBe(0);
    // The chunks' buffers come back usable (not detached), whatever thread the COPY ran in,
    // and the writer writes into them again instead of new memory.
    expect(chunks.length).toBeGreaterThan(100);
    expect(n.buffers.map((b) => b.byteLength)).toEqual(sizes);
    w.recycle(n.buffers);
    w.row(1);
    w.int4(42);
    const again = w.take();
    expect(n.buffers).toContain(again[0]?.buffer);
    expect([...(again[0] ?? [])]).toEqual([0, 1, 0, 0, 0, 4, 0, 0, 0, 42]);
    const r = await sql<Record<string, unknown>>`SELECT a, b, c, d, e, f, g, h, i, j, k FROM copy_probe WHERE a IN (0, 7, 11, 299) ORDER BY a`.execute(store.db);
    expect(r.rows).toEqual([
      { a: 0, b: '1201010001', c: -150, d: '0123456789abcdef00000000ffffffff00000001000000020000000300000004', e: 'm', f: null, g: 0, h: true, i: null, j: '', k: null },
      { a: 7, b: '河西区', c: -143, d: '0123456789abcdef00000000ffffffff00000001000000020000000300000004', e: 'f', f: expect.closeTo(125.2, 4), g: 0.07, h: false, i: null, j: '', k: '良好' },
      { a: 11, b: '河西区', c: -139, d: '0123456789abcdef00000000ffffffff00000001000000020000000300000004', e: 'f', f: expect.closeTo(129.2, 4), g: 0.11, h: false, i: 11, j: '', k: null },
      { a: 299, b: '河西区', c: 149, d: '0123456789abcdef00000000ffffffff00000001000000020000000300000004', e: 'f', f: expect.closeTo(417.2, 3), g: 2.99, h: false, i: 299, j: '', k: '良好' },
    ]);
    // Every non-NULL band reads back the same, pre-encoded or not (28 multiples of 11 are NULL).
    const bands = await sql<{ c: number }>`SELECT count(*)::int AS c FROM copy_probe WHERE k = '良好'`.execute(store.db);
    expect(bands.rows[0]?.c).toBe(272);
    // float4 in binary is the float nearest the double, as float4in gives for the decimal text.
    const same = await sql<{ c: number }>`SELECT count(*)::int AS c FROM copy_probe WHERE f IS NOT NULL AND f <> (118.2 + a)::real`.execute(store.db);
    expect(same.rows[0]?.c).toBe(0);
  });

  it('rejects a binary tuple of the wrong width and keeps the table unchanged', async () => {
    const w = new BinaryCopyWriter();
    w.row(11);
    w.int2(1); // column a is integer: a 2-byte value is malformed
    for (let i = 0; i < 10; i++) w.null();
    const cols = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'];
    await expect(store.transaction((tx) => tx.copyBinary('copy_probe', cols, w.take()))).rejects.toThrow(/insufficient data left in message|binary data format/);
    const r = await sql<{ c: number }>`SELECT count(*)::int AS c FROM copy_probe`.execute(store.db);
    expect(r.rows[0]?.c).toBe(300);
  });

  it('returns dates as YYYY-MM-DD strings and counts as numbers on both backends', async () => {
    await store.db.updateTable('org_unit').set({ opened: '1949-10-01' }).where('code', '=', '120000').execute();
    const row = await store.db.selectFrom('org_unit').select(['opened']).executeTakeFirstOrThrow();
    expect(row.opened).toBe('1949-10-01');
  });
});
