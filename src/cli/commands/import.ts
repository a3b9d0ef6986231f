/** `eduplan import <dir> [--json]`: load a folder of data files (docs/data-files.md) into the store. */
import { resolve } from 'node:path';
import { findPseudonymKey } from '../../config.ts';
import { importFolder } from '../../services/import.ts';
import { withStore } from '../with-store.ts';
import { printJson, progressBar } from '../io.ts';
import { defineCommand } from '../spec.ts';

export default defineCommand({
  positionals: [{ name: 'dir', required: true, zh: '数据文件夹（docs/data-files.md）', en: 'the data folder (docs/data-files.md)' }],
  options: { json: { type: 'boolean', zh: '输出 JSON 摘要', en: 'print a JSON summary' } },
  notes: [{
    zh: '学生记录文件用 EDUPLAN_PSEUDONYM_KEY 生成假名；演示模式下未设置时用与服务器相同的密钥文件。',
    en: 'Student record files are pseudonymised with EDUPLAN_PSEUDONYM_KEY; in demo mode without it, with the same key file as the server.',
  }],
}, async ({ positionals: { dir }, values }, ctx) => {
  const { io, config } = ctx;
  return withStore(ctx, async (store) => {
    let bar: { label: string; tick(done: number): void; end(): void } | null = null;
    const summary = await importFolder(store, resolve(io.cwd, dir), {
      // Only student files need it; importFolder says so when they are there and it is not.
      pseudonymKey: findPseudonymKey(config),
      clock: () => new Date(),
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
    }
    return 0;
  });
});
