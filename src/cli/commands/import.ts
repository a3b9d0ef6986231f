/**
 * `eduplan import <dir> [--replace] [--json]`: load a folder of data files (docs/data-files.md)
 * into the store; the indicators are then recomputed (provisional until the city releases).
 */
import { resolve } from 'node:path';
import { findPseudonymKey } from '../../config.ts';
import { importFolder } from '../../services/import.ts';
import { withStore } from '../with-store.ts';
import { printJson, progressBar } from '../io.ts';
import { defineCommand } from '../spec.ts';

export default defineCommand({
  positionals: [{ name: 'dir', required: true, zh: '数据文件夹（docs/data-files.md）', en: 'the data folder (docs/data-files.md)' }],
  options: {
    replace: { type: 'boolean', zh: '确认学生记录文件可替换已存储的同校同学年记录', en: 'confirm that student-record files may replace records already stored for their schools’ year' },
    json: { type: 'boolean', zh: '输出 JSON 摘要', en: 'print a JSON summary' },
  },
  notes: [{
    zh: '学生记录文件用 EDUPLAN_PSEUDONYM_KEY 生成假名；演示模式下未设置时用与服务器相同的密钥文件。',
    en: 'Student record files are pseudonymised with EDUPLAN_PSEUDONYM_KEY; in demo mode without it, with the same key file as the server.',
  }, {
    zh: '导入后自动重算指标；结果为暂定数据，市级发布（eduplan release create）后才对外公开。',
    en: 'The indicators are recomputed afterwards; the figures stay provisional until the city releases them (eduplan release create).',
  }],
}, async ({ positionals: { dir }, values }, ctx) => {
  const { io, config } = ctx;
  return withStore(ctx, async (store) => {
    let bar: { label: string; tick(done: number): void; end(): void } | null = null;
    const summary = await importFolder(store, resolve(io.cwd, dir), {
      // Only student files need it; importFolder says so when they are there and it is not.
      pseudonymKey: findPseudonymKey(config),
      clock: () => new Date(),
      replaceStudentRecords: values.replace,
      log: { error: (_fields, message) => { io.stderr.write(`${message}\n`); } },
      onStep: (label, done, total) => {
        if (!bar || bar.label !== label) {
          bar?.end();
          bar = { label, ...progressBar(io, label, total) };
        }
        bar.tick(done);
      },
    });
    (bar as { end(): void } | null)?.end();
    if (values.json) printJson(io, summary);
    else {
      for (const f of summary.files) {
        const status = { imported: '已导入 imported', unchanged: '未变化 unchanged', skipped: '已跳过 skipped' }[f.status];
        io.stdout.write(`${status.padEnd(20)} ${f.file}${f.status === 'imported' ? ` (${f.rows} rows)` : ''}${f.note ? ` — ${f.note}` : ''}\n`);
      }
      io.stdout.write(`共导入 ${summary.imported} 个文件、${summary.rowsWritten} 行；${summary.unchanged} 个文件未变化 / imported ${summary.imported} file(s), ${summary.rowsWritten} rows; ${summary.unchanged} unchanged\n`);
      const ind = summary.indicators;
      if (ind.status === 'recomputed') io.stdout.write(`指标已重算（${ind.years.join('、')}学年，暂定数据，待市级发布）/ indicators recomputed for ${ind.years.join(', ')} (provisional until the city releases them)\n`);
      else if (ind.status === 'failed') io.stdout.write(`指标重算失败，相关学年数据已标记为过期 / indicator recompute FAILED; years ${ind.years.join(', ')} stay marked stale: ${ind.error.message}\n`);
    }
    return 0;
  });
});
