/**
 * Submission load (issue 4): 3,800 schools submit their annual form within 10 minutes
 * through a real loopback HTTP server. Sixteen district data systems (one account each,
 * `school_reporter` held at district scope) push a draft and then submit it for each of
 * their schools, every write carrying an Idempotency-Key; a seeded share of requests is
 * sent twice (a duplicate racing the original, as after a client timeout) and another
 * share is retried after the answer arrived. Afterwards every school must have exactly
 * one submission, in state `submitted`, with exactly one create and one submit event in
 * the audit log, and the audit chain must verify.
 *
 * Figures: wall time, request p50/p99, errors, duplicates sent, and the checks.
 * Goal: wall time / 600 s ≤ 1. `EDUPLAN_BENCH_SCHOOLS` overrides the school count,
 * `EDUPLAN_BENCH_CONCURRENCY` the number of requests in flight (default 32).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { districts, CITY_CODE } from '../src/core/org/districts.ts';
import { insertAccount } from '../src/services/accounts.ts';
import { verifyAudit } from '../src/services/audit.ts';
import { goal, type Bench, type BenchResult } from './types.ts';
import { mulberry32 as prng } from '../src/demo/random.ts';

function values(i: number): Record<string, number> {
  const v: Record<string, number> = { 'school_district.member': i % 3 === 0 ? 1 : 0, 'classes.cmp.lt46': 12, 'classes.cmp.46_55': 0, 'classes.cmp.56_65': 0, 'classes.cmp.66plus': 0 };
  for (let g = 1; g <= 6; g++) { v[`enrol.g${g}.m`] = 38 + (i % 7); v[`enrol.g${g}.f`] = 36 + (i % 5); }
  Object.assign(v, {
    'entrants.g1': 70, 'teachers.fulltime': 30 + (i % 4), 'teachers.bachelor_plus': 28, 'teachers.above_required': 25, 'teachers.backbone': 6, 'teachers.pe_arts': 5,
    'area.teaching_aux_m2': 2400, 'area.sports_m2': 5000, 'equipment.value_yuan': 1_200_000, 'rooms.multimedia': 12, 'wireless.covered': 1,
  });
  return v;
}

const quantile = (sorted: number[], q: number): number => sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);

async function seed(store: Store, schools: number): Promise<Map<string, string[]>> {
  const at = new Date();
  await store.db.insertInto('org_unit').values({ code: CITY_CODE, name_zh: '天津市', name_en: 'Tianjin', level: 'city', parent_code: null, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null }).execute();
  await store.db.insertInto('org_unit').values(districts.map((d) => ({ code: d.code, name_zh: d.name_zh, name_en: d.name_en, level: 'district' as const, parent_code: CITY_CODE, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null }))).execute();
  const byDistrict = new Map<string, string[]>(districts.map((d) => [d.code, []]));
  const rows = [];
  for (let i = 0; i < schools; i++) {
    const d = districts[i % districts.length] as (typeof districts)[number];
    const code = `${d.code}${String(Math.floor(i / districts.length) + 1).padStart(4, '0')}`;
    byDistrict.get(d.code)?.push(code);
    rows.push({ code, name_zh: `${d.name_zh}第${Math.floor(i / districts.length) + 1}小学`, name_en: '', level: 'school' as const, parent_code: d.code, school_type: 'primary', ownership: 'public' as const, inclusive: null, urban_rural: 'urban' as const, opened: null, closed: null });
  }
  for (let i = 0; i < rows.length; i += 500) await store.db.insertInto('org_unit').values(rows.slice(i, i + 500)).execute();
  for (const d of districts) await insertAccount(store.db, at, { username: `system-${d.code}`, password: 'Bench-Push-2024!', grants: [{ role: 'school_reporter', orgCode: d.code }] });
  return byDistrict;
}

async function runOn(kind: string, store: Store, schools: number, concurrency: number, log: (l: string) => void): Promise<BenchResult> {
  const byDistrict = await seed(store, schools);
  const app = await buildApp({ store, clock: () => new Date(), config: { demo: false, pseudonymKey: 'bench-pseudonym-key-0123456789', maxUploadBytes: 10 * 1024 * 1024, secureCookies: false } });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const latencies: number[] = [];
  let errors = 0;
  let duplicates = 0;
  let replayed = 0;
  const errorSamples: string[] = [];
  const cookies = new Map<string, string>();
  const call = async (cookie: string | undefined, method: string, path: string, body: unknown, key?: string): Promise<{ status: number; text: string; replayed: boolean; cookie: string | null }> => {
    const t0 = performance.now();
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-requested-with': 'eduplan', ...(cookie ? { cookie: `eduplan_session=${cookie}` } : {}), ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    latencies.push(performance.now() - t0);
    if (r.status !== 200) { errors++; if (errorSamples.length < 5) errorSamples.push(`${r.status} ${method} ${path} ${text.slice(0, 200)}`); }
    const sc = r.headers.get('set-cookie');
    return { status: r.status, text, replayed: r.headers.get('idempotent-replayed') === 'true', cookie: sc ? (/^eduplan_session=([^;]*)/.exec(sc)?.[1] ?? null) : null };
  };
  try {
    for (const d of districts) {
      const r = await call(undefined, 'POST', '/api/auth/login', { username: `system-${d.code}`, password: 'Bench-Push-2024!' });
      if (!r.cookie) throw new Error(`login failed for system-${d.code}: ${r.text}`);
      cookies.set(d.code, r.cookie);
    }
    latencies.length = 0;
    const rand = prng(2021);
    const jobs: Array<{ district: string; school: string; i: number; dupPut: number; dupSubmit: number }> = [];
    let i = 0;
    for (const [district, list] of byDistrict) for (const school of list) {
      const x = rand();
      // 10 %: a duplicate races the original; 5 %: a retry after the answer; else sent once.
      const mode = (): number => { const y = rand(); return y < 0.10 ? 2 : y < 0.15 ? 1 : 0; };
      jobs.push({ district, school, i: i++, dupPut: x < 2 ? mode() : 0, dupSubmit: mode() });
    }
    const signoffs = { preparer: '填报人', reviewer: '审核人', head: '校长' };
    const send = async (mode: number, f: () => ReturnType<typeof call>): Promise<Awaited<ReturnType<typeof call>>> => {
      if (mode === 2) { duplicates++; const [a, b] = await Promise.all([f(), f()]); if (a.replayed || b.replayed) replayed++; return a.status === 200 ? a : b; }
      const a = await f();
      if (mode === 1) { duplicates++; const b = await f(); if (b.replayed) replayed++; }
      return a;
    };
    const t0 = performance.now();
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const j = jobs[next++] as (typeof jobs)[number];
        const cookie = cookies.get(j.district);
        const put = await send(j.dupPut, () => call(cookie, 'PUT', `/api/submissions/${j.school}/annual.primary/2024`, { values: values(j.i) }, `put-${j.school}-2024`));
        if (put.status !== 200) continue;
        const id = (JSON.parse(put.text) as { submission: { id: number } }).submission.id;
        await send(j.dupSubmit, () => call(cookie, 'POST', `/api/submissions/${id}/submit`, { signoffs }, `submit-${j.school}-2024`));
        if (++done % 500 === 0) log(`[submissions/${kind}] ${done}/${jobs.length} schools, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const wall = (performance.now() - t0) / 1000;

    const subs = await sql<{ n: number; submitted: number; orgs: number }>`SELECT count(*)::int AS n, count(*) FILTER (WHERE state = 'submitted')::int AS submitted, count(DISTINCT org_code)::int AS orgs FROM submission`.execute(store.db);
    const ev = await sql<{ action: string; n: number; objs: number }>`SELECT action, count(*)::int AS n, count(DISTINCT object_id)::int AS objs FROM audit_event WHERE object_type = 'submission' GROUP BY action ORDER BY action`.execute(store.db);
    const evBy = Object.fromEntries(ev.rows.map((r) => [r.action, r]));
    const chain = await verifyAudit(store.db);
    const s = subs.rows[0] ?? { n: 0, submitted: 0, orgs: 0 };
    const lat = [...latencies].sort((a, b) => a - b);
    const landedOnce = s.n === schools && s.orgs === schools && s.submitted === schools
      && evBy['submission.create']?.n === schools && evBy['submission.submit']?.n === schools && (evBy['submission.edit']?.n ?? 0) === 0;
    if (errorSamples.length > 0) log(`[submissions/${kind}] error samples:\n  ${errorSamples.join('\n  ')}`);
    return {
      name: `submissions (${kind}, ${schools} schools, ${concurrency} in flight)`,
      figures: {
        schools, requests: latencies.length, duplicates_sent: duplicates, duplicates_answered_from_key: replayed, errors,
        wall_s: Number(wall.toFixed(1)), schools_per_s: Number((schools / wall).toFixed(2)),
        p50_ms: Number(quantile(lat, 0.5).toFixed(1)), p99_ms: Number(quantile(lat, 0.99).toFixed(1)), max_ms: Number((lat[lat.length - 1] ?? NaN).toFixed(1)),
        submissions: s.n, submitted: s.submitted, create_events: evBy['submission.create']?.n ?? 0, submit_events: evBy['submission.submit']?.n ?? 0,
        every_school_landed_once: landedOnce ? 'yes' : 'NO', audit_chain: chain.ok ? `intact (${chain.events} events)` : `BROKEN at #${chain.firstBreak?.seq}`,
      },
      goals: [
        goal('3,800 schools within 10 minutes (wall s / 600, scaled to the school count)', wall / (600 * (schools / 3800)), 'max', 1),
        goal('every submission lands exactly once (1 = yes)', landedOnce && errors === 0 ? 1 : 0, 'min', 1),
      ],
    };
  } finally {
    await app.close();
  }
}

const bench: Bench = async (opts) => {
  const schools = Number(process.env.EDUPLAN_BENCH_SCHOOLS ?? 3800);
  const concurrency = Number(process.env.EDUPLAN_BENCH_CONCURRENCY ?? 32);
  const out: BenchResult[] = [];
  const lite = await openStore({ dataDir: join(opts.workDir, 'submissions-pglite') });
  try { out.push(await runOn('pglite', lite, schools, concurrency, opts.log)); } finally { await lite.close(); }
  if (opts.databaseUrl) {
    const dbName = `eduplan_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: opts.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(opts.databaseUrl);
    url.pathname = `/${dbName}`;
    const s = await openStore({ databaseUrl: url.toString() });
    try { out.push(await runOn('postgres', s, schools, concurrency, opts.log)); } finally {
      await s.close();
      const a = new pg.Client({ connectionString: opts.databaseUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${dbName}`);
      await a.end();
    }
  }
  return out;
};

export default bench;
