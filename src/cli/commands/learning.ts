/** `eduplan learning import <file>` and `eduplan learning elderly --year`: learning-city monitoring (docs/learning-city.md). */
import { resolve } from 'node:path';
import { pseudonymKey } from '../../config.ts';
import { elderlyParticipation, importLearningEvents } from '../../services/learning-city.ts';
import { printJson } from '../io.ts';
import { defineCommand } from '../spec.ts';
import { withStore } from '../with-store.ts';

const system = { system: 'cli' } as const;

export const importCommand = defineCommand({
  positionals: [{ name: 'file', required: true, zh: '学习活动记录 .csv 或 .xlsx（event_id,centre_code,date,channel,activity,learner_id_number）', en: 'learning events, .csv or .xlsx (event_id,centre_code,date,channel,activity,learner_id_number)' }],
  options: { json: { type: 'boolean', zh: '输出 JSON 摘要', en: 'print a JSON summary' } },
  notes: [{ zh: '重复记录（同一学习者同日同一学习点同一活动，或同一学习点同一记录编号）只计一次；身份证号生成假名后丢弃。', en: 'Duplicates (one learner, centre, activity and day; or one centre event id) count once; ID numbers are pseudonymised and dropped.' }],
}, async ({ positionals: { file }, values }, ctx) => withStore(ctx, async (store) => {
  const r = await importLearningEvents({ store, clock: () => new Date(), pseudonymKey: pseudonymKey(ctx.config), log: { error: (_f, m) => { ctx.io.stderr.write(`${m}\n`); } } }, system, { path: resolve(ctx.io.cwd, file) });
  if (values.json) printJson(ctx.io, r);
  else if (r.batch_id === null) ctx.io.stdout.write(`${r.file}：此前已导入，未作改动 / already imported, nothing changed\n`);
  else ctx.io.stdout.write(`${r.file}：${r.rows} 行，新增 ${r.added} 人次，重复 ${r.duplicates} / ${r.rows} rows, ${r.added} participations added, ${r.duplicates} duplicates (years ${r.years.join(', ')})\n`);
  return 0;
}));

export const elderly = defineCommand({
  options: {
    year: { type: 'string', required: true, placeholder: '<YYYY>', zh: '年份', en: 'year' },
    json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' },
  },
}, async ({ values }, ctx) => {
  const year = Number(values.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw ctx.usageError('--year', values.year, '--year 应为四位年份', '--year must be a four-digit year');
  return withStore(ctx, async (store) => {
    const rows = await elderlyParticipation({ store, clock: () => new Date() }, system, { year });
    if (values.json) printJson(ctx.io, rows);
    else for (const r of rows) ctx.io.stdout.write(`${r.org_code} ${r.name_zh}\t${r.suppressed ? '（少于10人，不公布 / withheld）' : `${r.participants ?? '-'} / ${r.population ?? '-'} = ${r.rate === null ? '-' : `${r.rate.toFixed(1)}%`}`}\t目标 target ${r.target}%\n`);
    return 0;
  });
});
