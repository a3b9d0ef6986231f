/** `eduplan demo generate --scale <f> --seed <n> --out <dir> [--no-students | --student-years 2020,2025 --student-sample 0.25] [--json]`: write a demo data folder. */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { EduplanError } from '../../core/errors.ts';
import { generateDemo } from '../../demo/index.ts';
import { printJson, type CliIO } from '../io.ts';

export default async function demoGenerate(args: readonly string[], io: CliIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        scale: { type: 'string', default: '0.05' },
        seed: { type: 'string', default: '1' },
        out: { type: 'string' },
        'no-students': { type: 'boolean', default: false },
        'student-years': { type: 'string' },
        'student-sample': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    }));
  } catch (err) {
    throw new EduplanError('E_USAGE', { detail: `${(err as Error).message}. usage: eduplan demo generate --scale 0.05 --seed 1 --out ./demo-data` });
  }
  if (!values.out) throw new EduplanError('E_USAGE', { detail: '--out <dir> is required / 需要 --out <目录>' });
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  const studentYears = values['student-years']?.split(',').map((y) => Number(y.trim()));
  if (studentYears?.some((y) => !Number.isInteger(y))) throw new EduplanError('E_USAGE', { detail: `--student-years takes years like 2020,2025, got ${values['student-years']}` });
  const studentSample = values['student-sample'] !== undefined ? Number(values['student-sample']) : undefined;
  const started = performance.now();
  const summary = await generateDemo({ scale, seed, outDir: resolve(io.cwd, values.out), students: !values['no-students'], ...(studentYears ? { studentYears } : {}), ...(studentSample !== undefined ? { studentSample } : {}) });
  const seconds = (performance.now() - started) / 1000;
  if (values.json) printJson(io, { ...summary, seconds });
  else {
    io.stdout.write(`已生成演示数据 / demo data written: ${summary.outDir}\n`);
    io.stdout.write(`  学校 schools: ${summary.schools}, 统计行 stats rows: ${summary.statsRows}, 参考数据 reference rows: ${summary.referenceRows}, 学生记录 student rows: ${summary.studentRows}\n`);
    for (const f of summary.files) io.stdout.write(`  ${f}\n`);
    if (summary.studentsNote) io.stdout.write(`  注意 note: ${summary.studentsNote}\n`);
    io.stdout.write(`  用时 took ${seconds.toFixed(1)} s\n`);
  }
  return 0;
}
