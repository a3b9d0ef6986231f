/**
 * One configuration, one pseudonym: in demo mode without EDUPLAN_PSEUDONYM_KEY, a student
 * imported with `eduplan fitness import` and the same student imported the way the web
 * upload does it (the service its upload job calls, with the key `eduplan start`
 * hands the server) get the same pseudonym. Before, the CLI refused without the variable,
 * and given one it used a different key from the server's key file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';
import { templateHeaders } from '../../src/ingest/student-records/index.ts';
import { serverConfigOf } from '../../src/server/deps.ts';
import { importStudentFile } from '../../src/services/student-records.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { seedSchools } from '../helpers/org-units.ts';
import { openPgliteFromTemplate } from '../helpers/stores.ts';

const SCHOOL = '1201010001';
const id17 = '12010120170315003';
const studentNo = `G${id17}${idCheckChar(id17)}`;

function fitnessCsv(): string {
  const headers = templateHeaders('fitness');
  const row: Record<string, string | number> = {
    学校代码: SCHOOL, 年级编号: 11, 班级编号: 1101, 班级名称: '一年级1班', 学籍号: studentNo, 姓名: '张三', 性别: 1,
    出生日期: '20170315', 身高: 120, 体重: 21.6, 肺活量: 1700, '50米跑': 10.2, 坐位体前屈: 16.1, 一分钟跳绳: 109,
  };
  return `${headers.join(',')}\n${headers.map((h) => String(row[h] ?? '')).join(',')}\n`;
}

function capture(env: NodeJS.ProcessEnv, cwd: string): { io: CliIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => { o += c.toString('utf8'); });
  stderr.on('data', (c: Buffer) => { e += c.toString('utf8'); });
  return { io: { stdout, stderr, stdin: new PassThrough(), env, cwd }, out: () => o, err: () => e };
}

const pseudonyms = async (store: Store): Promise<string[]> =>
  (await store.db.selectFrom('student_fitness').select('pseudonym').execute()).map((r) => r.pseudonym);

describe('pseudonym key from the one configuration (demo mode, no EDUPLAN_PSEUDONYM_KEY)', () => {
  const root = mkdtempSync(join(tmpdir(), 'eduplan-pseudonym-'));
  const dataDir = join(root, 'data');
  const file = join(root, 'fitness-2023.csv');
  const env: NodeJS.ProcessEnv = { EDUPLAN_DATA_DIR: dataDir };
  let server: Store | undefined;
  afterAll(async () => server?.close());

  it('gives a student the same pseudonym through `eduplan fitness import` and through the web upload\'s service', async () => {
    writeFileSync(file, fitnessCsv());
    const seed = await openStore({ dataDir });
    await seedSchools(seed, [{ code: SCHOOL, district: '120101', type: 'primary' }]);
    await seed.close();

    // The CLI, run from the folder above the data directory.
    const cli = capture(env, root);
    expect(await main(['fitness', 'import', 'fitness-2023.csv', '--json'], cli.io), cli.err()).toBe(0);
    expect(JSON.parse(cli.out())).toMatchObject({ rows: 1, skipped: false });
    const check = await openStore({ dataDir });
    const fromCli = await pseudonyms(check);
    await check.close();
    expect(fromCli).toHaveLength(1);

    // The server as `eduplan start` configures it — started from another working directory,
    // on the same data directory — and the import its upload job runs.
    const serverConfig = serverConfigOf(loadConfig(env, mkdtempSync(join(tmpdir(), 'eduplan-elsewhere-'))));
    server = await openPgliteFromTemplate();
    await seedSchools(server, [{ code: SCHOOL, district: '120101', type: 'primary' }]);
    await importStudentFile(server, file, { kind: 'fitness', pseudonymKey: serverConfig.pseudonymKey, clock: () => new Date('2024-01-15T08:00:00Z'), actor: 'demo-district' });
    const fromServer = await pseudonyms(server);

    expect(fromServer).toEqual(fromCli);
    expect(fromCli[0]).not.toContain(id17); // a pseudonym, not the student number
  }, 180_000);
});
