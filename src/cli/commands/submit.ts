/**
 * `eduplan submit <file.xlsx> [--json] [--errors-out <marked.xlsx>]`
 *
 * Reads a filled template (hostile-file checks, every bad cell listed, all or nothing),
 * validates its values with the stored context (last year, similar schools, 体测/视力
 * counts) and prints the result. Exit 0 when the file is ready to submit (no hard problem,
 * every soft one explained), 1 otherwise; `--errors-out` writes the same workbook with the
 * problem cells marked.
 *
 * Storing it as a draft/submission goes through the submission workflow (roles, audit),
 * which needs a signed-in account: upload in the web app. This command checks the file.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EduplanError, formatProblems } from '../../core/errors.ts';
import { readSubmissionWorkbook } from '../../ingest/submission-workbook.ts';
import { errorWorkbook, validateWorkbook } from '../../services/forms.ts';
import { openStore, storeOptionsFromEnv } from '../../store/store.ts';
import { printJson, type Command } from '../io.ts';

const submitCommand: Command = async (args, io) => {
  const usage = 'eduplan submit <file.xlsx> [--json] [--errors-out <marked.xlsx>]';
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: { json: { type: 'boolean' }; 'errors-out': { type: 'string' } }; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options: { json: { type: 'boolean' }, 'errors-out': { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new EduplanError('E_USAGE', { detail: `${(err as Error).message}; usage: ${usage}` });
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) throw new EduplanError('E_USAGE', { detail: `one file is required; usage: ${usage}` });
  const path = resolve(io.cwd, file);
  const errorsOut = parsed.values['errors-out'];
  // Read (and refuse) the file before opening the database: a bad file fails fast.
  let parsedWb;
  try {
    parsedWb = await readSubmissionWorkbook(path, { fileName: basename(path) });
  } catch (err) {
    // A file the reader refused cell by cell can still be marked up (not a hostile or wrong-type file).
    if (errorsOut && err instanceof EduplanError && err.code === 'E_IMPORT_INVALID' && err.problems.some((p) => p.row !== undefined)) {
      const marked = await errorWorkbook(await readFile(path), { hard: err.problems });
      await writeFile(resolve(io.cwd, errorsOut), marked);
      io.stderr.write(`已写出标注问题的工作簿 marked workbook: ${resolve(io.cwd, errorsOut)}\n`);
    }
    throw err;
  }
  const store = await openStore(storeOptionsFromEnv(io.env));
  try {
    const result = await validateWorkbook(store, parsedWb);
    const { workbook: wb, validation: v, ready } = result;
    if (parsed.values.json) {
      printJson(io, { orgCode: wb.orgCode, formCode: wb.formCode, year: wb.year, signoffs: wb.signoffs, values: wb.values, comments: wb.comments, ready, hard: v.hard, soft: v.soft, unexplained: v.unexplained });
    } else {
      io.stdout.write(`${wb.fileName}: ${wb.formCode} 学校 school ${wb.orgCode} 学年 year ${wb.year}\n`);
      io.stdout.write(`必须修改 hard: ${v.hard.length}; 提示 soft: ${v.soft.length} (未说明 unexplained: ${v.unexplained.length})\n`);
      if (v.hard.length > 0) io.stdout.write(`\n必须修改 / must fix:\n${formatProblems(v.hard)}\n`);
      if (v.unexplained.length > 0) io.stdout.write(`\n须修改或在说明栏说明 / fix or explain:\n${formatProblems(v.unexplained)}\n`);
      const missing = (['preparer', 'reviewer', 'head'] as const).filter((k) => !wb.signoffs[k]);
      if (missing.length > 0) io.stdout.write(`\n签字栏未填 sign-off missing: ${missing.join(', ')}\n`);
      io.stdout.write(ready ? '\n校验通过，可以提交（在网页端上传后提交审核）。Ready to submit (upload in the web app).\n' : '\n未通过校验，尚不能提交。Not ready to submit.\n');
    }
    if (errorsOut && (v.hard.length > 0 || v.soft.length > 0)) {
      const marked = await errorWorkbook(await readFile(path), { hard: v.hard, soft: v.soft });
      await writeFile(resolve(io.cwd, errorsOut), marked);
      io.stderr.write(`已写出标注问题的工作簿 marked workbook: ${resolve(io.cwd, errorsOut)}\n`);
    }
    return ready ? 0 : 1;
  } finally {
    await store.close();
  }
};

export default submitCommand;
