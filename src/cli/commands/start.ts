/**
 * `eduplan start` (what `npm start` runs): the main job.
 *  1. open the store (PGlite in ./data, or DATABASE_URL);
 *  2. load the bundled plan (a no-op when unchanged; a revision is stored as a new version);
 *  3. on an empty instance in demo mode: generate Tianjin-like demo data and import it,
 *     exactly as a user would import their own files (the import recomputes the
 *     indicators), then release every generated year, as the city would have done;
 *  4. build the web app if it has not been built; serve on http://localhost:3000.
 * Later starts reuse the data and come up in seconds.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../../server/app.ts';
import { openStore, type Store } from '../../store/store.ts';
import { loadDir } from '../../services/plan.ts';
import { EduplanError } from '../../core/errors.ts';
import { demoBalancedAssessments } from '../../demo/assessments.ts';
import { generateDemo } from '../../demo/index.ts';
import { assessmentCriteria } from '../../core/standards/balanced/criteria.ts';
import { enterAssessmentItems, recordAssessmentStep } from '../../services/assessments/workflow.ts';
import { checkAuditKey } from '../../services/audit.ts';
import { sealPlaintextTotpSecrets } from '../../services/secrets.ts';
import { importFolder } from '../../services/import.ts';
import { loadLearningCityDemo, loadLearningEventsDemo } from '../../services/learning-city.ts';
import { DEMO_ELDERLY_POPULATION_SCALE } from '../../demo/learning-city.ts';
import { releaseUnreleasedYears } from '../../services/releases.ts';
import { releaseUnreleasedTargetYears } from '../../services/plan-execution/targets.ts';
import { ensureWebBuilt } from '../web-build.ts';
import { portNumber, storeKeys, type Config } from '../../config.ts';
import { serverConfigOf, type ServerConfig } from '../../server/deps.ts';
import { demoCredits } from '../../demo/credits.ts';
import { creditDeps } from '../../services/credits/deps.ts';
import { loadCreditDemo } from '../../services/credits/demo.ts';
import { prepareAccess } from './setup.ts';
import { progressBar, type CliIO } from '../io.ts';
import { defineCommand } from '../spec.ts';

export default defineCommand({
  options: {
    port: { type: 'string', placeholder: '<n>', zh: '监听端口（默认 PORT 或 3000）', en: 'port to listen on (default: PORT, or 3000)' },
    'no-demo': { type: 'boolean', zh: '正式模式：不载入演示数据，不建演示账号（同 EDUPLAN_DEMO=0）', en: 'production mode: no demo data or demo accounts (as EDUPLAN_DEMO=0)' },
  },
  notes: [{
    zh: '服务器运行期间独占 PGlite 数据目录；其他 eduplan 命令须等服务器停止，或改用 PostgreSQL（DATABASE_URL）。',
    en: 'While it runs, the server holds the PGlite data directory; other eduplan commands wait for it to stop, or use PostgreSQL (DATABASE_URL).',
  }],
}, async ({ values }, ctx) => {
  const { io } = ctx;
  const config: Config = {
    ...ctx.config,
    ...(values.port !== undefined ? { port: portNumber(values.port, '--port') } : {}),
    ...(values['no-demo'] ? { demo: false } : {}),
  };
  // Resolved before anything is opened: outside demo mode a missing key stops the start here.
  const serverConfig = serverConfigOf(config);
  const keys = storeKeys(config);
  void keys.audit;
  void keys.totp;
  const say = (zh: string, en: string): void => { io.stderr.write(`${zh} / ${en}\n`); };
  const t0 = performance.now();
  const clock = (): Date => new Date();

  say(`打开数据库（${config.databaseUrl ? 'PostgreSQL' : `PGlite：${config.dataDir}`}）…`, `opening database (${config.databaseUrl ? 'PostgreSQL server' : `embedded PGlite at ${config.dataDir}`})…`);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, lockCommand: `eduplan ${ctx.name}`, keys });
  await checkAuditKey(store).catch(async (err: unknown) => { await store.close(); throw err; });
  // TOTP secrets from before sealing, or sealed with a retired key: sealed with EDUPLAN_TOTP_KEY now.
  const totp = await sealPlaintextTotpSecrets(store);
  if (totp.sealed > 0) say(`已加密 ${totp.sealed} 个动态口令密钥`, `sealed ${totp.sealed} TOTP secret(s) with the TOTP key`);
  if (totp.unreadable.length > 0) say(`账号 ${totp.unreadable.join(', ')} 的动态口令密钥无法解密（检查 EDUPLAN_TOTP_KEY_PREVIOUS）`, `the TOTP secret of account(s) ${totp.unreadable.join(', ')} does not decrypt (check EDUPLAN_TOTP_KEY_PREVIOUS)`);

  const loaded = await loadDir({ store, clock }, { system: 'cli' }, {});
  say(loaded.changed ? `已加载规划，第 ${loaded.version} 版` : `规划未变化（第 ${loaded.version} 版）`,
    loaded.changed ? `plan loaded as version ${loaded.version}` : `plan unchanged (version ${loaded.version})`);

  if (config.demo && (await isEmpty(store))) {
    await loadDemo(store, config, serverConfig, io, say);
  }

  await prepareAccess({ store, clock }, { demo: config.demo, io });
  // A build given by EDUPLAN_WEB_DIR is served as it is; only the repository's own is built here.
  if (config.webDir === undefined) await ensureWebBuilt((zh, en) => say(zh, en));
  const app = await buildApp({ store, clock, config: serverConfig }, { logger: { level: config.logLevel } });
  const address = await app.listen({ port: config.port, host: config.host });
  say(`eduplan 已启动（用时 ${((performance.now() - t0) / 1000).toFixed(1)} 秒）：http://localhost:${config.port}`,
    `eduplan is up (${((performance.now() - t0) / 1000).toFixed(1)} s): http://localhost:${config.port} (${address})`);

  const stop = async (): Promise<void> => {
    say('正在停止…', 'stopping…');
    await app.close();
    await store.close();
  };
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => void stop().then(resolve));
    process.once('SIGTERM', () => void stop().then(resolve));
  });
  return 0;
});

async function isEmpty(store: Store): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*) AS n FROM org_unit`.execute(store.db);
  return (r.rows[0]?.n ?? 0) === 0;
}

async function loadDemo(store: Store, config: Config, serverConfig: ServerConfig, io: CliIO, say: (zh: string, en: string) => void): Promise<void> {
  const { pseudonymKey } = serverConfig;
  const { demoScale: scale, demoSeed: seed, demoStudentSample: studentSample, dataDir } = config;
  const dir = join(dataDir, '..', '.eduplan', 'demo-input');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  say(`首次启动：生成演示数据（规模 ${scale}，学生抽样 ${studentSample}，种子 ${seed}）…`, `first start: generating demo data (scale ${scale}, student sample ${studentSample}, seed ${seed})…`);
  const t = performance.now();
  await generateDemo({ scale, seed, outDir: dir, studentSample });
  say(`演示数据已生成（${((performance.now() - t) / 1000).toFixed(1)} 秒）`, `demo data generated (${((performance.now() - t) / 1000).toFixed(1)} s) in ${dir}`);
  let bar: ReturnType<typeof progressBar> | null = null;
  let label = '';
  await importFolder(store, dir, {
    pseudonymKey,
    clock: () => new Date(),
    onStep(stepLabel, done, total) {
      if (stepLabel !== label) {
        bar?.end();
        label = stepLabel;
        bar = progressBar(io, `导入 / importing ${stepLabel}`, total);
      }
      bar?.tick(done);
    },
  });
  (bar as ReturnType<typeof progressBar> | null)?.end();
  // 和平区's 优质均衡 items and workflow (certified for 2024), as in reality (src/demo/assessments.ts).
  const clock = (): Date => new Date();
  const demo = { system: 'demo' } as const;
  const deps = { store, clock, log: { error: (_f: Record<string, unknown>, m: string) => say(m, m) } };
  for (const a of demoBalancedAssessments(assessmentCriteria.balanced.items)) {
    await enterAssessmentItems(deps, demo, { kind: a.kind, district: a.district, year: a.year, doc: { entries: a.entries }, actor_name: `${a.districtName}教育局（演示）` });
    try {
      for (const { actor, ...step } of a.steps) await recordAssessmentStep(deps, demo, { kind: a.kind, district: a.district, year: a.year, ...step, actor_name: actor });
    } catch (err) {
      // Submission needs a passing verdict: with other demo sizes (EDUPLAN_DEMO_SCALE / seed)
      // the district's schools may not pass; the demo then simply has no certified district.
      if (!(err instanceof EduplanError)) throw err;
      say(`演示：${a.districtName}${a.year}年未能完成认定流程（${err.code}）`, `demo: ${a.districtName} ${a.year} could not complete the certification workflow (${err.code})`);
    }
  }
  // The credit bank's demo: institutions, a capped rule, learners' outcomes, recognitions, one revocation.
  if (serverConfig.credential) {
    const credit = await loadCreditDemo(creditDeps(store, clock, { ...serverConfig.credential, pseudonymKey }), demo, demoCredits(seed));
    say(`学分银行演示：${credit.outcomes} 项学习成果，认定 ${credit.recognised}、拒绝 ${credit.refused}（其中超出年度上限 ${credit.refusedByCap}）、撤销 ${credit.revoked}`, `credit bank demo: ${credit.outcomes} outcomes, ${credit.recognised} recognised, ${credit.refused} refused (${credit.refusedByCap} by the annual cap), ${credit.revoked} revoked`);
  }
  // The learning-city network (街镇/村居 centres, 老年学校, 示范性老年大学) and the 60+ population: src/demo/learning-city.ts.
  // The 60+ population is scaled (DEMO_ELDERLY_POPULATION_SCALE) so the demo's learners give a realistic rate.
  const network = await loadLearningCityDemo(store, DEMO_ELDERLY_POPULATION_SCALE);
  const learning = await loadLearningEventsDemo({ store, clock, pseudonymKey }, demo, seed);
  say(`学习型城市演示：服务网络 ${network.units} 个机构，学习活动记录 ${learning.events} 条`, `learning-city demo: ${network.units} network units, ${learning.events} learning events`);
  // The demo's years, released as the city would have released them (the public sees
  // released figures only: services/releases.ts).
  const released = await releaseUnreleasedYears({ store, clock, log: { error: (_f, m) => say(m, m) } }, { system: 'demo' },
    '演示数据：首次启动时自动发布 / Demo data: released on first start', '演示数据，完整性不作要求 / demo data: completeness not required');
  const years = released.map((r) => r.year);
  say(`已发布 ${years.join('、')} 学年的演示数据`, `released the demo years ${years.join(', ')}`);
  // The plan's registry counts and entered values of the same years (docs/plan-execution.md).
  await releaseUnreleasedTargetYears({ store, clock }, { system: 'demo' }, '演示数据：首次启动时自动发布 / Demo data: released on first start', years);
}
