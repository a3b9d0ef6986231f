/**
 * `eduplan submit <file.xlsx> [--json] [--errors-out <marked.xlsx>]`
 *
 * Reads a filled template (hostile-file checks, every bad cell listed, all or nothing),
 * validates its values with the stored context (last year, similar schools, 体测/视力
 * counts) and prints the result. Exit 0 when the file is ready to submit (no hard problem,
 * every soft one explained), 1 otherwise; `--errors-out` writes the same workbook with the
 * problem cells marked.
 *
 * With `--username <name>` (password on standard input, `--totp <code>` for roles with a
 * second factor) it also stores the file as the school's draft through the submission
 * workflow, exactly as a web upload does (scope checks, audit); `--submit` then submits it
 * for district review with the workbook's three sign-offs.
 */
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { EduplanError, formatProblems } from '../../core/errors.ts';
import { checkWorkbook, markRefusal, readWorkbook, uploadWorkbook, type ReadWorkbook, type WorkbookCheck } from '../../services/forms.ts';
import { completeTotp, login, logout, resolveSession } from '../../services/auth.ts';
import type { Actor, ServiceDeps } from '../../services/deps.ts';
import { submit } from '../../services/submissions.ts';
import { withStore } from '../with-store.ts';
import { printJson, readStdinLine, type CliIO } from '../io.ts';
import { defineCommand } from '../spec.ts';

/** Sign in as a user (password on stdin, `--totp` for a second factor), run `fn` as that account, sign out. */
async function asAccount<T>(deps: ServiceDeps, io: CliIO, opts: { username: string; totp: string | undefined }, fn: (actor: Actor) => Promise<T>): Promise<T> {
  const password = await readStdinLine(io);
  const first = await login(deps, { username: opts.username, password, ip: null });
  let token = first.token;
  if (first.state === 'totp_enrol') throw new EduplanError('E_USAGE', { detail: 'enrol the second factor (TOTP) in the web app first / 请先在网页端绑定动态口令' });
  if (first.state === 'totp_required') {
    if (!opts.totp) throw new EduplanError('E_USAGE', { detail: 'this account needs --totp <6-digit code> / 该账号需要 --totp 动态口令' });
    token = (await completeTotp(deps, { token, code: opts.totp, ip: null })).token;
  }
  const actor: Actor = { account: await resolveSession(deps, token), ip: null };
  try {
    if (actor.account.mustChangePassword) throw new EduplanError('E_USAGE', { detail: 'change the temporary password in the web app first / 请先在网页端修改临时口令' });
    return await fn(actor);
  } finally {
    await logout(deps, actor);
  }
}

/**
 * Store the workbook as the school's draft as that account, exactly as a web upload does
 * (forms.uploadWorkbook: scope, audit), and with `submit` submit it with its sign-offs.
 */
async function storeAsDraft(deps: ServiceDeps, io: CliIO, read: ReadWorkbook, opts: { username: string; totp: string | undefined; submit: boolean; markErrors: boolean }): Promise<{ check: WorkbookCheck; stored: { id: number; state: string } }> {
  return asAccount(deps, io, opts, async (actor) => {
    const up = await uploadWorkbook(deps, actor, { file: read, markErrors: opts.markErrors });
    const wb = read.workbook;
    const check: WorkbookCheck = {
      orgCode: up.orgCode, formCode: up.formCode, year: up.year, fileName: wb.fileName, values: wb.values, comments: wb.comments, signoffs: up.signoffs,
      ready: up.ready, validation: up.validation, ...(up.marked ? { marked: up.marked } : {}),
    };
    const draft = up.submission;
    if (!opts.submit) return { check, stored: { id: draft.id, state: draft.state } };
    if (!up.ready) throw new EduplanError('E_VALIDATION_FAILED', { detail: `saved as draft #${draft.id}; not submitted while problems remain / 已保存为草稿 #${draft.id}，问题未解决前不能提交` });
    const submitted = await submit(deps, actor, { id: draft.id, signoffs: up.signoffs });
    return { check, stored: { id: submitted.body.id, state: submitted.body.state } };
  });
}

export default defineCommand({
  positionals: [{ name: 'file', required: true, zh: '填好的 xlsx 报表', en: 'the filled xlsx form' }],
  options: {
    json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' },
    'errors-out': { type: 'string', placeholder: '<marked.xlsx>', zh: '写出标注问题单元格的工作簿', en: 'write the workbook with the problem cells marked' },
    username: { type: 'string', placeholder: '<name>', zh: '以该学校账号保存为草稿（口令从标准输入）', en: "store it as the school's draft as this account (password on stdin)" },
    totp: { type: 'string', placeholder: '<code>', zh: '需要第二因素的账号：6 位动态口令', en: 'for accounts with a second factor: the 6-digit code' },
    submit: { type: 'boolean', zh: '保存后提交区级审核（需要 --username）', en: 'after storing, submit it for district review (needs --username)' },
  },
  notes: [{ zh: '退出码：0 可以提交，1 有问题未解决。', en: 'Exit code 0: ready to submit; 1: problems remain.' }],
}, async ({ positionals: { file }, values }, ctx) => {
  const { io } = ctx;
  if (values.submit && !values.username) throw ctx.usageError('--submit', true, '--submit 需要同时给出 --username', '--submit needs --username');
  const path = resolve(io.cwd, file);
  const errorsOut = values['errors-out'];
  // Read (and refuse) the file before opening the database: a bad file fails fast.
  let read: ReadWorkbook;
  try {
    read = await readWorkbook({ file: path, fileName: basename(path) });
  } catch (err) {
    // A file the reader refused cell by cell can still be marked up (not a hostile or wrong-type file).
    const marked = errorsOut ? await markRefusal(path, err) : null;
    if (errorsOut && marked) {
      await writeFile(resolve(io.cwd, errorsOut), marked);
      io.stderr.write(`已写出标注问题的工作簿 marked workbook: ${resolve(io.cwd, errorsOut)}\n`);
    }
    throw err;
  }
  return withStore(ctx, async (store) => {
    const deps = { store, clock: () => new Date() };
    const markErrors = errorsOut !== undefined;
    const { check, stored } = values.username
      ? await storeAsDraft(deps, io, read, { username: values.username, totp: values.totp, submit: values.submit, markErrors })
      : { check: await checkWorkbook(deps, { system: 'cli' }, { file: read, markErrors }), stored: null };
    const { validation: v, ready } = check;
    if (stored) io.stderr.write(`已保存 stored: submission #${stored.id} state ${stored.state}\n`);
    if (values.json) {
      printJson(io, { orgCode: check.orgCode, formCode: check.formCode, year: check.year, signoffs: check.signoffs, values: check.values, comments: check.comments, ready, hard: v.hard, soft: v.soft, unexplained: v.unexplained, ...(stored ? { submission: stored } : {}) });
    } else {
      io.stdout.write(`${check.fileName}: ${check.formCode} 学校 school ${check.orgCode} 学年 year ${check.year}\n`);
      io.stdout.write(`必须修改 hard: ${v.hard.length}; 提示 soft: ${v.soft.length} (未说明 unexplained: ${v.unexplained.length})\n`);
      if (v.hard.length > 0) io.stdout.write(`\n必须修改 / must fix:\n${formatProblems(v.hard)}\n`);
      if (v.unexplained.length > 0) io.stdout.write(`\n须修改或在说明栏说明 / fix or explain:\n${formatProblems(v.unexplained)}\n`);
      const missing = (['preparer', 'reviewer', 'head'] as const).filter((k) => !check.signoffs[k]);
      if (missing.length > 0) io.stdout.write(`\n签字栏未填 sign-off missing: ${missing.join(', ')}\n`);
      io.stdout.write(ready ? '\n校验通过，可以提交（在网页端上传后提交审核）。Ready to submit (upload in the web app).\n' : '\n未通过校验，尚不能提交。Not ready to submit.\n');
    }
    if (errorsOut && check.marked && (v.hard.length > 0 || v.soft.length > 0)) {
      await writeFile(resolve(io.cwd, errorsOut), check.marked);
      io.stderr.write(`已写出标注问题的工作簿 marked workbook: ${resolve(io.cwd, errorsOut)}\n`);
    }
    return ready ? 0 : 1;
  });
});
