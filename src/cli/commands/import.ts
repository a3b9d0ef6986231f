/**
 * `eduplan import <dir> [--replace] [--json]`: load a folder of data files (docs/data-files.md)
 * into the store; the indicators are then recomputed (provisional until the city releases).
 * `--replace` confirms that student-record files may replace records already stored.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { EduplanError } from '../../core/errors.ts';
import { importFolder } from '../../services/import.ts';
import { withStore } from '../with-store.ts';
import { printJson, progressBar, type CliIO } from '../io.ts';

export default async function importCommand(args: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { json: { type: 'boolean', default: false }, replace: { type: 'boolean', default: false } }, allowPositionals: true });
  } catch (err) {
    throw new EduplanError('E_USAGE', { detail: `${(err as Error).message}. usage: eduplan import <dir> [--replace] [--json]` });
  }
  const [dir, ...extra] = parsed.positionals;
  if (!dir || extra.length > 0) throw new EduplanError('E_USAGE', { detail: 'usage: eduplan import <dir> [--replace] [--json] / 用法：eduplan import <目录> [--replace] [--json]' });
  return withStore(io, async (store) => {
    let bar: { label: string; tick(done: number): void; end(): void } | null = null;
    const summary = await importFolder(store, resolve(io.cwd, dir), {
      pseudonymKey: io.env.EDUPLAN_PSEUDONYM_KEY || undefined,
      clock: () => new Date(),
      replaceStudentRecords: parsed.values.replace === true,
      logError: (_fields, message) => io.stderr.write(`${message}\n`),
      onStep: (label, done, total) => {
        if (!bar || bar.label !== label) {
          bar?.end();
          bar = { label, ...progressBar(io, label, total) };
        }
        bar.tick(done);
      },
    });
    (bar as { end(): void } | null)?.end();
    if (parsed.values.json) printJson(io, summary);
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
}
