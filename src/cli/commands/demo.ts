/** `eduplan demo generate --out <dir> [--region <file>] [--scale <f>] [--seed <n>] [--no-students | --student-years 2020,2025 --student-sample 0.25] [--no-plan-execution] [--json]`: write a demo data folder. */
import { resolve } from 'node:path';
import { generateDemo } from '../../demo/index.ts';
import { generateRegionDemo, readRegionFile } from '../../demo/region.ts';
import { printJson } from '../io.ts';
import { defineCommand } from '../spec.ts';

export default defineCommand({
  options: {
    out: { type: 'string', required: true, placeholder: '<dir>', zh: '写入的文件夹', en: 'folder to write' },
    region: { type: 'string', placeholder: '<file>', zh: '另一地区的地区文件（层级、行政区划、每县学校数，如 regions/synthetic-province.json）；不填则生成天津演示数据', en: 'a region file for another region (levels, units, schools per unit, e.g. regions/synthetic-province.json); without it, the Tianjin demo' },
    scale: { type: 'string', default: '0.05', placeholder: '<fraction>', zh: '规模：天津的比例，0.001–10（1 ≈ 3,800 所学校）', en: 'size as a fraction of Tianjin, 0.001–10 (1 ≈ 3,800 schools)' },
    seed: { type: 'string', default: '1', placeholder: '<n>', zh: '随机种子（同一种子生成相同文件）', en: 'seed (the same seed writes the same files)' },
    'no-students': { type: 'boolean', zh: '不生成学生体测与视力记录', en: 'no student fitness or vision records' },
    'no-plan-execution': { type: 'boolean', zh: '不生成规划实施文件（名录、责任单位、节点、报告、填报值）', en: 'no plan-execution files (registries, owners, milestones, reports, entered values)' },
    'student-years': { type: 'string', placeholder: '<Y,Y>', zh: '生成学生记录的学年，逗号分隔', en: 'academic years with student records, comma-separated' },
    'student-sample': { type: 'string', placeholder: '<fraction>', zh: '有学生记录的学生比例', en: 'share of students given records' },
    json: { type: 'boolean', zh: '输出 JSON 摘要', en: 'print a JSON summary' },
  },
}, async ({ values }, ctx) => {
  const { io } = ctx;
  // generateDemo checks the numbers' ranges itself (E_USAGE naming the option).
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  const studentYears = values['student-years']?.split(',').map((y) => Number(y.trim()));
  if (studentYears?.some((y) => !Number.isInteger(y))) throw ctx.usageError('--student-years', values['student-years'], '--student-years 应为逗号分隔的学年，如 2020,2025', '--student-years takes years like 2020,2025');
  const studentSample = values['student-sample'] !== undefined ? Number(values['student-sample']) : undefined;
  const started = performance.now();
  if (values.region !== undefined) {
    const region = readRegionFile(resolve(io.cwd, values.region));
    const r = await generateRegionDemo({ region, seed, outDir: resolve(io.cwd, values.out) });
    const out = { outDir: r.outDir, files: r.files, units: r.units, schools: r.schools.length, seconds: (performance.now() - started) / 1000 };
    if (values.json) printJson(io, out);
    else {
      io.stdout.write(`已生成地区演示数据 / region demo data written: ${out.outDir} (${region.name_zh} / ${region.name_en})\n`);
      io.stdout.write(`  行政区划 units: ${out.units}, 学校 schools: ${out.schools}\n`);
      for (const f of out.files) io.stdout.write(`  ${f}\n`);
    }
    return 0;
  }
  const summary = await generateDemo({ scale, seed, outDir: resolve(io.cwd, values.out), students: !values['no-students'], planExecution: !values['no-plan-execution'], ...(studentYears ? { studentYears } : {}), ...(studentSample !== undefined ? { studentSample } : {}) });
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
});
