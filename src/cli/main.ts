/**
 * `eduplan <command>`: a thin dispatcher. Each command lives in commands/ and calls
 * services; it parses nothing itself and reads no environment: this file reads the
 * configuration once (config.ts), the command's spec parses its arguments, and the command
 * calls a service and prints.
 *
 * Adding a command:
 *  1. In commands/<area>.ts export `defineCommand({ positionals, options, notes }, run)`
 *     (spec.ts): each option with its type and a Chinese and English description. The spec
 *     parses (an unknown option, a missing argument or a bad choice is E_USAGE, exit 2) and
 *     prints `eduplan <command> --help`; `run({ values, positionals }, ctx)` gets typed values
 *     and `ctx.config`, `ctx.io`. Open the database with `withStore(ctx, …)`.
 *  2. Add a line to `commands` below: the name (one or two words), the Chinese and English
 *     summary that `eduplan help` lists, and a lazy loader.
 * cli/main.test.ts then checks that `--help` and an unknown option behave for it too.
 */
import { loadConfig } from '../config.ts';
import { EduplanError } from '../core/errors.ts';
import { EXIT_USAGE, processIO, reportError, type CliIO } from './io.ts';
import { helpText, wantsHelp, type CliCommand } from './spec.ts';

type Loader = () => Promise<CliCommand>;

/** Command name → lazy loader (keeps `eduplan fitness score` from loading the web server). */
export const commands: Record<string, { readonly summary_zh: string; readonly summary_en: string; readonly load: Loader }> = {
  'start': { summary_zh: '启动平台（首次启动载入规划与演示数据；--port，--no-demo）', summary_en: 'Start eduplan (first start loads the plan and demo data; --port, --no-demo)', load: async () => (await import('./commands/start.ts')).default },
  'setup token': { summary_zh: '空实例首次启动：打印一次性初始化令牌', summary_en: 'Empty instance: print the one-time setup token', load: async () => (await import('./commands/setup.ts')).token },
  'setup admin': { summary_zh: '用初始化令牌创建首个安全管理员（--token --username，口令从标准输入）', summary_en: 'Create the first security admin with the setup token (--token --username, password on stdin)', load: async () => (await import('./commands/setup.ts')).admin },
  'setup demo': { summary_zh: '创建演示账号（仅演示模式）', summary_en: 'Create the demo accounts (demo mode only)', load: async () => (await import('./commands/setup.ts')).demo },
  'accounts list': { summary_zh: '列出账号、角色与锁定状态', summary_en: 'List accounts, roles and lock state', load: async () => (await import('./commands/accounts.ts')).list },
  'accounts unlock': { summary_zh: '解除账号锁定（<用户名>）', summary_en: 'Unlock an account (<username>)', load: async () => (await import('./commands/accounts.ts')).unlock },
  'accounts reset-totp': { summary_zh: '重置第二因素（<用户名> 或 --all），下次登录时重新绑定', summary_en: 'Reset the second factor (<username> or --all); it is enrolled again at the next sign-in', load: async () => (await import('./commands/accounts.ts')).resetTotp },
  'backup': { summary_zh: '备份数据库到文件（PostgreSQL 用 pg_dump；嵌入式数据库须先停止服务器）', summary_en: 'Back up the database to a file (pg_dump for PostgreSQL; stop the server first for the embedded database)', load: async () => (await import('./commands/backup.ts')).backup },
  'restore': { summary_zh: '从备份文件恢复数据库并校验审计链（--replace 替换已有数据）', summary_en: 'Restore the database from a backup and verify the audit chain (--replace to replace existing data)', load: async () => (await import('./commands/backup.ts')).restore },
  'audit verify': { summary_zh: '校验审计日志哈希链，报告第一个断点（--checkpoint 同时核对锚点）', summary_en: 'Verify the audit hash chain; report the first broken link (--checkpoint: against a checkpoint too)', load: async () => (await import('./commands/audit.ts')).verify },
  'audit checkpoint': { summary_zh: '生成签名的审计日志锚点，保存到本机以外（--out）', summary_en: 'Write a signed checkpoint of the audit log, to keep off this machine (--out)', load: async () => (await import('./commands/audit.ts')).checkpoint },
  'audit rotate-key': { summary_zh: '更换审计密钥（EDUPLAN_AUDIT_KEY 新，EDUPLAN_AUDIT_KEY_PREVIOUS 旧）', summary_en: 'Change the audit key (EDUPLAN_AUDIT_KEY new, EDUPLAN_AUDIT_KEY_PREVIOUS old)', load: async () => (await import('./commands/audit.ts')).rotateKey },
  'audit list': { summary_zh: '查看最近的审计记录（--limit --actor --action）', summary_en: 'Show recent audit events (--limit --actor --action)', load: async () => (await import('./commands/audit.ts')).list },
  'db distribute': { summary_zh: 'Citus 分布式模式：放置各表（分布表、参考表、本地表）并报告（--json）', summary_en: 'Distributed mode on Citus: place the tables (distributed, reference, local) and report where each lives (--json)', load: async () => (await import('./commands/db.ts')).distribute },
  'demo generate': { summary_zh: '生成天津演示数据文件夹（--scale --seed --out）', summary_en: 'Write a Tianjin-like demo data folder (--scale --seed --out)', load: async () => (await import('./commands/demo.ts')).default },
  'import': { summary_zh: '导入数据文件夹（机构、学校统计、参考数据、学生记录）', summary_en: 'Import a data folder (org units, school statistics, reference data, student records)', load: async () => (await import('./commands/import.ts')).default },
  'org list': { summary_zh: '列出机构（--level district，--json）', summary_en: 'List org units (--level district, --json)', load: async () => (await import('./commands/org.ts')).default },
  'fitness score': { summary_zh: '按《国家学生体质健康标准（2014年修订）》评分（JSON Lines 或 CSV）', summary_en: 'Score records under the 2014 National Student Physical Health Standard (JSON Lines or CSV)', load: async () => (await import('./commands/fitness.ts')).score },
  'fitness import': { summary_zh: '导入学生体测或视力筛查记录（CSV/XLSX）', summary_en: 'Import student fitness or vision records (CSV/XLSX)', load: async () => (await import('./commands/fitness.ts')).importCommand },
  'plan validate': { summary_zh: '检查规划目录，列出全部问题', summary_en: 'Check a plan directory, listing every problem', load: async () => (await import('./commands/plan.ts')).validate },
  'plan load': { summary_zh: '加载规划（内容变化时新建版本）', summary_en: 'Load a plan (a new version when its content changed)', load: async () => (await import('./commands/plan.ts')).load },
  'plan show': { summary_zh: '显示当前规划（--json 输出 JSON）', summary_en: 'Show the current plan (--json for JSON)', load: async () => (await import('./commands/plan.ts')).show },
  'progress': { summary_zh: '各项主要指标的进度（默认暂定数据；--released 与 /api/progress 相同）', summary_en: 'Progress of every main indicator (provisional by default; --released: same as /api/progress)', load: async () => (await import('./commands/progress.ts')).progress },
  'forms list': { summary_zh: '列出报表（每种办学类型一张）', summary_en: 'List the forms (one per school type)', load: async () => (await import('./commands/forms.ts')).list },
  'forms show': { summary_zh: '显示报表的数据项与校验规则', summary_en: "Show a form's items and validation rules", load: async () => (await import('./commands/forms.ts')).show },
  'forms template': { summary_zh: '生成学校的 xlsx 填报模板', summary_en: "Generate a school's xlsx form template", load: async () => (await import('./commands/forms.ts')).template },
  'forms bench': { summary_zh: '测量模板生成、工作簿读取与压缩炸弹拒绝的耗时和内存', summary_en: 'Measure template build, workbook reading and zip-bomb refusal (time, memory)', load: async () => (await import('./commands/forms.ts')).bench },
  'submit': { summary_zh: '检查填好的 xlsx 报表（解析+校验，--errors-out 输出标注问题的工作簿）', summary_en: 'Check a filled xlsx form (parse + validate; --errors-out writes the marked workbook)', load: async () => (await import('./commands/submit.ts')).default },
  'indicators scope': { summary_zh: '查看或设置指标口径选项（--set 选项=取值）', summary_en: 'Show or choose the indicator scope options (--set name=value)', load: async () => (await import('./commands/progress.ts')).scope },
  'release status': { summary_zh: '发布准备：各表完整性、未报送学校及联系人、与公开版本的差异（--year，--json）', summary_en: 'Release readiness: completeness per form, schools not reported with contacts, changes against the public version (--year, --json)', load: async () => (await import('./commands/release.ts')).status },
  'release create': { summary_zh: '发布某学年的指标数据（--year --note，未达完整性要求时 --override 理由）', summary_en: "Release a year's figures to the public (--year --note; --override REASON when below the completeness threshold)", load: async () => (await import('./commands/release.ts')).create },
  'release list': { summary_zh: '列出各版本发布记录（--year，--json）', summary_en: 'List every release version (--year, --json)', load: async () => (await import('./commands/release.ts')).list },
  'release threshold': { summary_zh: '设置报表发布所需完整性（--form --share，默认 0.95）', summary_en: 'Set the completeness a form needs before release (--form --share; default 0.95)', load: async () => (await import('./commands/release.ts')).threshold },
  'indicators compute': { summary_zh: '重新计算指标预计算结果', summary_en: 'Recompute the precomputed indicator values', load: async () => (await import('./commands/progress.ts')).compute },
  'targets': { summary_zh: '规划全部目标（主要指标、专栏、正文）的数值、状态与数据来源（--json --year；--released 与 /api/targets 相同）', summary_en: 'Every plan target (main indicators, 专栏, running text): value, status, data path (--json --year; --released as /api/targets)', load: async () => (await import('./commands/plan-execution.ts')).targets },
  'report final': { summary_zh: '规划总结评估报告（--as-of --out f.docx|.pdf|.html，--lang en）', summary_en: "The plan's final evaluation (--as-of --out f.docx|.pdf|.html, --lang en)", load: async () => (await import('./commands/report.ts')).final },
  'report midterm': { summary_zh: '规划中期评估报告（--as-of --out，--lang en）', summary_en: 'The mid-term review (--as-of --out, --lang en)', load: async () => (await import('./commands/report.ts')).midterm },
  'report annual': { summary_zh: '年度实施监测报告（--year --out，--lang en）', summary_en: 'The annual monitoring report (--year --out, --lang en)', load: async () => (await import('./commands/report.ts')).annual },
  'report luban': { summary_zh: '鲁班工坊建设年度报告（--year --out，--lang en）', summary_en: 'The Luban Workshops annual report (--year --out, --lang en)', load: async () => (await import('./commands/report.ts')).luban },
  'report learning-city': { summary_zh: '学习型城市建设监测年度报告（--year --out，--lang en；只用已发布数据）', summary_en: 'The learning-city annual monitoring report (--year --out, --lang en; released figures only)', load: async () => (await import('./commands/report.ts')).learningCity },
  'report narrative': { summary_zh: '保存报告某章节的叙述（--kind --year --section --zh 文件 [--en 文件]）', summary_en: "Save a report section's narrative (--kind --year --section --zh file [--en file])", load: async () => (await import('./commands/report.ts')).narrative },
  'report publish': { summary_zh: '发布报告：生成 DOCX、PDF、HTML（中英文）并冻结（--kind --year --note）', summary_en: 'Publish a report: DOCX, PDF and HTML (zh, en) generated and frozen (--kind --year --note)', load: async () => (await import('./commands/report.ts')).publish },
  'targets release': { summary_zh: '发布某年的名录计数与填报值（--year --note）', summary_en: "Release a year's registry counts and entered values (--year --note)", load: async () => (await import('./commands/plan-execution.ts')).releaseTargets },
  'tasks': { summary_zh: '主要任务、子任务与专栏：责任单位、进展状态、报告率、目标（--json --kind）', summary_en: 'Task areas, sub-tasks and 专栏: owners, status, reporting rate, targets (--json --kind)', load: async () => (await import('./commands/plan-execution.ts')).tasks },
  'tasks late': { summary_zh: '各责任单位的报告率与逾期报告、逾期节点', summary_en: 'Reporting rates, overdue reports and milestones per unit', load: async () => (await import('./commands/plan-execution.ts')).late },
  'registries list': { summary_zh: '列出名录、计数目标与条目数', summary_en: 'List the registries, the targets counting them and their entries', load: async () => (await import('./commands/plan-execution.ts')).registriesList },
  'registries template': { summary_zh: '生成名录的 xlsx 模板（含现有条目；--id --out）', summary_en: "Write a registry's xlsx template with its entries (--id --out)", load: async () => (await import('./commands/plan-execution.ts')).registriesTemplate },
  'credits issue': { summary_zh: '学分银行：登记学习成果并签发可验证凭证（--input outcome.json --out credential.jwt）', summary_en: 'Credit bank: register an outcome and issue its verifiable credential (--input outcome.json --out credential.jwt)', load: async () => (await import('./commands/credits.ts')).issue },
  'credits verify': { summary_zh: '验证凭证：签名、签发者、撤销状态（仅有效时退出码为 0）', summary_en: 'Verify a credential: signature, issuer, revocation status (exit 0 only when valid)', load: async () => (await import('./commands/credits.ts')).verify },
  'credits revoke': { summary_zh: '撤销凭证（<凭证编号> --reason）', summary_en: 'Revoke a credential (<credential id> --reason)', load: async () => (await import('./commands/credits.ts')).revoke },
  'credits jwks': { summary_zh: '打印凭证签名公钥集（JWKS）', summary_en: 'Print the credential signing keys (JWKS)', load: async () => (await import('./commands/credits.ts')).jwks },
  'credits rotate-key': { summary_zh: '轮换凭证签名密钥（旧公钥继续公布，旧凭证仍可验证；记入审计）', summary_en: 'Rotate the credential signing key (the old public key stays published, old credentials keep verifying; audited)', load: async () => (await import('./commands/credits.ts')).rotateKey },
  'credits institution': { summary_zh: '登记学分银行机构（--code --name --kind --org）', summary_en: 'Register a credit-bank institution (--code --name --kind --org)', load: async () => (await import('./commands/credits.ts')).institution },
  'credits rule': { summary_zh: '新增转换规则版本（--input rule.json），或列出全部规则', summary_en: 'Add a conversion rule version (--input rule.json), or list the rules', load: async () => (await import('./commands/credits.ts')).rule },
  'credits apply': { summary_zh: '申请学分认定（--outcome --rule --on）', summary_en: 'Apply for a recognition (--outcome --rule --on)', load: async () => (await import('./commands/credits.ts')).apply },
  'credits decide': { summary_zh: '审核学分认定（--recognition --decision recognise|refuse --reason）', summary_en: 'Decide a recognition (--recognition --decision recognise|refuse --reason)', load: async () => (await import('./commands/credits.ts')).decide },
  'learning import': { summary_zh: '导入学习活动记录（CSV，去重后计入服务市民终身学习人次）', summary_en: 'Import learning events (CSV; de-duplicated into KPI 8, lifelong-learning participations)', load: async () => (await import('./commands/learning.ts')).importCommand },
  'learning elderly': { summary_zh: '各区老年教育活动参与率（--year，目标50%）', summary_en: 'Elderly education participation rate per district (--year; target 50%)', load: async () => (await import('./commands/learning.ts')).elderly },
  'assess balanced': { summary_zh: '义务教育优质均衡督导评估（--district --year 或 --input 文件，--json）', summary_en: 'Balanced compulsory education assessment (--district --year or --input file, --json)', load: async () => (await import('./commands/assess.ts')).balanced },
  'assess preschool': { summary_zh: '学前教育普及普惠督导评估（--district --year，--json）', summary_en: 'Universal inclusive preschool assessment (--district --year, --json)', load: async () => (await import('./commands/assess.ts')).preschool },
  'assess enter': { summary_zh: '录入区级评估项及佐证材料（--kind --district --year --file）', summary_en: 'Enter district assessment items with evidence (--kind --district --year --file)', load: async () => (await import('./commands/assess.ts')).enter },
  'assess workflow': { summary_zh: '记录评估流程环节：自评、市级评估、申报、认定、退回', summary_en: 'Record a workflow step: self-evaluate, city assess, submit, certify, return', load: async () => (await import('./commands/assess.ts')).workflow },
  'assess schedule': { summary_zh: '评估认定进度与规划安排对比（--kind）', summary_en: 'Assessment progress against the plan schedule (--kind)', load: async () => (await import('./commands/assess.ts')).schedule },
  'assess export': { summary_zh: '导出评估结果表（--out 结果.xlsx / .pdf / .html）', summary_en: 'Export the assessment (--out result.xlsx / .pdf / .html)', load: async () => (await import('./commands/assess.ts')).exportCommand },
};

function help(io: CliIO): number {
  io.stdout.write('eduplan — 天津市教育现代化“十四五”规划监测平台 / Tianjin education plan monitoring\n\n用法 / usage: eduplan <command> [options]\n\n');
  for (const [name, c] of Object.entries(commands)) io.stdout.write(`  ${name.padEnd(22)} ${c.summary_zh} / ${c.summary_en}\n`);
  io.stdout.write('\n每个命令的用法 / usage of a command: eduplan <command> --help\n');
  return 0;
}

/** The command `argv` names (two words first: `plan validate`, then one: `import`), with its arguments. */
function resolveCommand(argv: readonly string[]): { name: string; args: readonly string[] } | undefined {
  const [first, second] = argv;
  if (first === undefined) return undefined;
  if (second !== undefined && commands[`${first} ${second}`]) return { name: `${first} ${second}`, args: argv.slice(2) };
  if (commands[first]) return { name: first, args: argv.slice(1) };
  return undefined;
}

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && argv.length === 1)) return help(io);
  // `eduplan help fitness score` = `eduplan fitness score --help`.
  const asked = first === 'help' ? argv.slice(1) : argv;
  const found = resolveCommand(asked);
  if (!found) {
    const what = asked.join(' ');
    return reportError(io, new EduplanError('E_USAGE', { problems: [{ path: what, rule: 'unknown_command', message_zh: `未知命令 ${what}（eduplan help 列出全部命令）`, message_en: `unknown command ${what} (eduplan help lists every command)` }] }));
  }
  const entry = commands[found.name];
  if (!entry) return EXIT_USAGE;
  try {
    const cmd = await entry.load();
    if (first === 'help' || wantsHelp(found.args)) {
      io.stdout.write(helpText(found.name, { zh: entry.summary_zh, en: entry.summary_en }, cmd.spec));
      return 0;
    }
    return await cmd.execute(found.args, found.name, () => ({ io, config: loadConfig(io.env, io.cwd), name: found.name }));
  } catch (err) {
    return reportError(io, err);
  }
}
