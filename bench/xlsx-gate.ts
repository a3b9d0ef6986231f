/**
 * The bounded xlsx gate under the review's hostile workbook (issue 17, "Bounded xlsx"):
 * an ~9 MB file carrying ~95 MB of shared strings, uploaded as a form by a signed-in school
 * over a real socket. Figures: the time to the refusal, the server's RSS growth (peak, sampled
 * every 5 ms while the upload is handled) and, for reference, a good workbook read in process
 * and in a worker thread.
 *
 * Goals (the acceptance): refused in under 1 s; memory growth under 300 MiB.
 * Before the gate, the same upload took ~10 s and 2.1 GiB.
 */
import { buildApp } from '../src/server/app.ts';
import { openStore } from '../src/store/store.ts';
import { readSubmissionWorkbook } from '../src/ingest/submission-workbook.ts';
import { readSubmissionWorkbookOffThread } from '../src/ingest/xlsx-off-thread.ts';
import { filledGood, makeTemplate } from '../test/ingest/fixtures.ts';
import { sharedStringsBomb } from '../test/ingest/zip-helper.ts';
import { Client, fakeClock, seedAccounts, seedOrgs, serverDeps } from '../test/http/submissions.fixture.ts';
import { goal, type Bench } from './types.ts';

const MiB = 1024 * 1024;

const bench: Bench = async ({ log }) => {
  const template = await makeTemplate();
  const bomb = sharedStringsBomb(template, 95 * 1024 * 1024);
  const good = await filledGood(template);
  log(`[xlsx-gate] hostile workbook: ${(bomb.length / MiB).toFixed(1)} MB`);

  const clock = fakeClock('2024-09-20T02:00:00Z');
  const store = await openStore({ dataDir: null });
  await seedOrgs(store);
  await seedAccounts(store, clock.now);
  const app = await buildApp(serverDeps(store, clock));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const school = new Client(app, clock);
  await school.login('school_a1');

  const runs: Array<{ ms: number; rssMiB: number; status: number }> = [];
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/api/forms/upload`, {
      method: 'POST', body: new Uint8Array(bomb),
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'x-requested-with': 'eduplan', cookie: `eduplan_session=${school.cookie ?? ''}` },
    });
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    runs.push({ ms, rssMiB: (peak - base) / MiB, status: res.status });
    log(`[xlsx-gate] run ${i + 1}: ${res.status} in ${ms.toFixed(0)} ms, RSS +${((peak - base) / MiB).toFixed(0)} MiB`);
  }
  await app.close();
  await store.close();

  let t = performance.now();
  for (let i = 0; i < 5; i++) await readSubmissionWorkbook(good);
  const inProcessMs = (performance.now() - t) / 5;
  t = performance.now();
  for (let i = 0; i < 5; i++) await readSubmissionWorkbookOffThread(good);
  const workerMs = (performance.now() - t) / 5;

  const worstMs = Math.max(...runs.map((r) => r.ms));
  const worstRss = Math.max(...runs.map((r) => r.rssMiB));
  return [{
    name: 'xlsx-gate',
    figures: {
      'hostile workbook (MB)': bomb.length / 1e6,
      'refusal status': runs.map((r) => r.status).join(','),
      'refusal time, worst of 3 (ms)': worstMs,
      'server RSS growth, worst of 3 (MiB)': worstRss,
      'good workbook, read in process (ms)': inProcessMs,
      'good workbook, read in a worker (ms)': workerMs,
    },
    goals: [
      goal('hostile workbook refused within 1 s (worst ms / 1000)', worstMs / 1000, 'max', 1),
      goal('server memory growth under 300 MiB (worst MiB / 300)', worstRss / 300, 'max', 1),
    ],
  }];
};

export default bench;
