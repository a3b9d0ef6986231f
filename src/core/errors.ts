/**
 * The one error catalogue (错误目录). Every error eduplan reports has a stable code
 * listed here, with its message and the way to fix it, in Chinese and English.
 *
 * Add a code here rather than throwing a bare Error: users quote codes in support
 * requests and scripts match on them, so a code never changes meaning once released.
 */

export interface CatalogueEntry {
  /** HTTP status the API answers with. */
  readonly status: number;
  readonly zh: string;
  readonly en: string;
  readonly fix_zh: string;
  readonly fix_en: string;
}

export const errorCatalogue = {
  E_USAGE: {
    status: 400,
    zh: '命令或参数用法不正确',
    en: 'Wrong command or arguments',
    fix_zh: '运行 `eduplan <命令> --help` 查看该命令的用法，`eduplan help` 列出全部命令',
    fix_en: 'Run `eduplan <command> --help` for its usage; `eduplan help` lists every command',
  },
  E_INPUT_INVALID: {
    status: 400,
    zh: '输入不符合规则',
    en: 'Input does not satisfy its rules',
    fix_zh: '按照每条问题的说明修改后重新提交',
    fix_en: 'Fix each problem listed and submit again',
  },
  E_PLAN_INVALID: {
    status: 400,
    zh: '规划文件有误',
    en: 'The plan files are invalid',
    fix_zh: '按照列出的路径逐项修改规划文件',
    fix_en: 'Correct each listed path in the plan files',
  },
  E_PLAN_NOT_LOADED: {
    status: 404,
    zh: '尚未加载规划',
    en: 'No plan has been loaded',
    fix_zh: '先运行 `eduplan plan load <目录>` 或 `eduplan start`',
    fix_en: 'Run `eduplan plan load <dir>` or `eduplan start` first',
  },
  E_FILE_NOT_FOUND: {
    status: 404,
    zh: '找不到文件或目录',
    en: 'File or directory not found',
    fix_zh: '检查路径是否正确',
    fix_en: 'Check the path',
  },
  E_IMPORT_INVALID: {
    status: 422,
    zh: '导入文件有误，未写入任何数据',
    en: 'The import file has errors; nothing was written',
    fix_zh: '按照每个单元格的问题说明修改文件后重新导入',
    fix_en: 'Fix every cell listed and import the file again',
  },
  E_IMPORT_TOO_LARGE: {
    status: 413,
    zh: '导入文件超过大小或行数限制',
    en: 'The import file exceeds the size or row limit',
    fix_zh: '将文件拆分为较小的文件后分别导入',
    fix_en: 'Split the file into smaller files and import them one by one',
  },
  E_IMPORT_FILE_TYPE: {
    status: 415,
    zh: '文件类型不正确，未写入任何数据',
    en: 'Wrong file type; nothing was written',
    fix_zh: '上传用 Excel 或 WPS 保存的 .xlsx 工作簿（不要只修改扩展名）',
    fix_en: 'Upload an .xlsx workbook saved by Excel or WPS (renaming a file does not convert it)',
  },
  E_FORM_UNKNOWN: {
    status: 404,
    zh: '找不到该报表',
    en: 'Unknown form code',
    fix_zh: '运行 `eduplan forms list` 查看报表代码',
    fix_en: 'Run `eduplan forms list` for the form codes',
  },
  E_VALIDATION_FAILED: {
    status: 422,
    zh: '数据未通过校验',
    en: 'The data failed validation',
    fix_zh: '修改所有必须修改的问题；对提示性问题修改或在说明栏写明原因',
    fix_en: 'Fix every hard problem; fix each soft warning or explain it in the comment column',
  },
  E_ORG_UNKNOWN: {
    status: 404,
    zh: '找不到该机构代码',
    en: 'Unknown org unit code',
    fix_zh: '使用 `eduplan org list` 或 /api/org-units 查看有效代码',
    fix_en: 'See `eduplan org list` or /api/org-units for valid codes',
  },
  E_NOT_FOUND: {
    status: 404,
    zh: '找不到请求的资源',
    en: 'The requested resource was not found',
    fix_zh: '检查地址与参数',
    fix_en: 'Check the path and parameters',
  },
  E_DB: {
    status: 500,
    zh: '数据库操作失败',
    en: 'A database operation failed',
    fix_zh: '检查数据库连接（DATABASE_URL）与磁盘空间，然后重试',
    fix_en: 'Check the database connection (DATABASE_URL) and disk space, then retry',
  },
  E_INTERNAL: {
    status: 500,
    zh: '内部错误（程序缺陷，不是您的输入或数据库的问题）',
    en: 'Internal error (a defect in eduplan, not your input or the database)',
    fix_zh: '请把错误信息（含请求编号或日志行）报告给系统维护人员；可稍后重试',
    fix_en: 'Report the message (with its request id or log line) to the maintainers; you may retry later',
  },
  E_DATA_DIR_LOCKED: {
    status: 409,
    zh: '数据目录正被另一个 eduplan 进程使用',
    en: 'The data directory is in use by another eduplan process',
    fix_zh: '嵌入式数据库同一时间只能由一个进程打开：先停止该进程（如 eduplan start 启动的服务器）再运行本命令；服务器运行期间请通过其网页或 API 操作，或改用 PostgreSQL 服务器（DATABASE_URL），多个进程可同时使用',
    fix_en: 'An embedded database is opened by one process at a time: stop that process (e.g. the server from `eduplan start`) and run the command again; while the server runs, use its web pages or API, or use a PostgreSQL server (DATABASE_URL), which many processes can share',
  },
  E_NOT_CITUS: {
    status: 409,
    zh: '数据库不是 Citus 协调节点，无法分布表',
    en: 'The database is not a Citus coordinator; there is nothing to distribute tables on',
    fix_zh: '让 DATABASE_URL 指向已安装 citus 扩展的协调节点（CREATE EXTENSION citus，并用 citus_add_node 登记工作节点；见 docs/scale.md）；单台 PostgreSQL 或嵌入式数据库无需此命令',
    fix_en: 'Point DATABASE_URL at a coordinator with the citus extension (CREATE EXTENSION citus, workers added with citus_add_node; docs/scale.md); a single PostgreSQL server or the embedded database needs no placement',
  },
  E_CONFIG: {
    status: 500,
    zh: '配置有误',
    en: 'Configuration is invalid',
    fix_zh: '检查环境变量与配置文件',
    fix_en: 'Check the environment variables and configuration files',
  },
  // ---- operations and hardening (src/server/{rate-limits,health,timeouts}.ts)
  E_RATE_LIMITED: {
    status: 429,
    zh: '请求过于频繁，已暂时限制',
    en: 'Too many requests; temporarily limited',
    fix_zh: '等待 Retry-After 标头给出的秒数后再试；批量处理请分批、放慢速度',
    fix_en: 'Wait for the seconds given in the Retry-After header, then try again; send batches in smaller, slower parts',
  },
  E_REQUEST_TIMEOUT: {
    status: 408,
    zh: '请求在规定时间内未传送完毕',
    en: 'The request was not received within the time allowed',
    fix_zh: '检查网络后重新上传；大文件请在网络稳定时上传',
    fix_en: 'Check the network and send it again; upload large files over a stable connection',
  },
  E_NOT_READY: {
    status: 503,
    zh: '服务尚未就绪（数据库不可用或迁移未完成）',
    en: 'The service is not ready (database unreachable or migrations not current)',
    fix_zh: '检查数据库连接与服务器日志；迁移在服务器启动时自动执行',
    fix_en: 'Check the database connection and the server log; migrations run when the server starts',
  },
  E_STANDARD_TABLE: {
    status: 500,
    zh: '标准数据表校验失败',
    en: 'A standard table failed validation',
    fix_zh: '恢复仓库中的标准数据文件，不要手工修改',
    fix_en: 'Restore the standard data file from the repository; do not edit it by hand',
  },
  // ---- accounts, sign-in, authorisation, submissions, audit (src/services/{auth,accounts,submissions,audit}.ts)
  E_AUTH_REQUIRED: {
    status: 401,
    zh: '未登录或会话已过期',
    en: 'Not signed in, or the session has expired',
    fix_zh: '重新登录（空闲超时后会话自动失效）',
    fix_en: 'Sign in again (sessions end after the idle timeout)',
  },
  E_AUTH_FAILED: {
    status: 401,
    zh: '用户名或口令错误，或账号暂时锁定',
    en: 'Wrong user name or password, or the account is temporarily locked',
    fix_zh: '检查用户名和口令；连续失败多次后账号会锁定一段时间，请稍后再试或联系安全管理员',
    fix_en: 'Check the user name and password; after repeated failures the account is locked for a while — try later or ask the security administrator',
  },
  E_TOTP_REQUIRED: {
    status: 401,
    zh: '需要动态口令（第二因素）',
    en: 'A one-time code (second factor) is required',
    fix_zh: '向 /api/auth/totp 提交身份验证器应用显示的 6 位动态口令',
    fix_en: 'Send the 6-digit code from your authenticator app to /api/auth/totp',
  },
  E_TOTP_INVALID: {
    status: 401,
    zh: '动态口令错误或已使用',
    en: 'The one-time code is wrong or was already used',
    fix_zh: '等待身份验证器显示新的口令后重试，并检查设备时间',
    fix_en: 'Wait for the next code in your authenticator app and check the device clock',
  },
  E_TOTP_KEY: {
    status: 500,
    zh: '动态口令密钥无法解密',
    en: 'A stored one-time-code secret cannot be decrypted',
    fix_zh: '检查 EDUPLAN_TOTP_KEY（及 EDUPLAN_TOTP_KEY_PREVIOUS）是否为加密时的密钥；若数据被改动，由安全管理员重置该账号的动态口令（docs/operations.md）',
    fix_en: 'Check that EDUPLAN_TOTP_KEY (and EDUPLAN_TOTP_KEY_PREVIOUS) hold the key the secret was sealed with; if the value was altered, the security administrator resets that account\'s second factor (docs/operations.md)',
  },
  E_FORBIDDEN: {
    status: 403,
    zh: '无权执行此操作',
    en: 'You are not allowed to do this',
    fix_zh: '联系安全管理员确认您的角色和管辖范围',
    fix_en: 'Ask the security administrator about your role and scope',
  },
  E_CSRF: {
    status: 403,
    zh: '请求缺少防跨站请求伪造标头',
    en: 'The request lacks the cross-site request forgery header',
    fix_zh: '修改类请求须带标头 X-Requested-With: eduplan，且来源须与本站相同',
    fix_en: 'State-changing requests need the header X-Requested-With: eduplan and a same-site origin',
  },
  E_PASSWORD_WEAK: {
    status: 400,
    zh: '口令不符合复杂度要求',
    en: 'The password does not meet the password rules',
    fix_zh: '按照列出的规则换一个口令',
    fix_en: 'Choose another password that meets the listed rules',
  },
  E_ACCOUNT_EXISTS: {
    status: 409,
    zh: '用户名已存在（不区分大小写）',
    en: 'The user name is taken (case-insensitive)',
    fix_zh: '换一个用户名',
    fix_en: 'Choose another user name',
  },
  E_ACCOUNT_ACTIVE: {
    status: 409,
    zh: '该账号已激活，不能再发放激活码',
    en: 'The account is already activated: no activation token can be issued for it',
    fix_zh: '用户忘记口令时请由其本人修改口令，或停用该账号后新建账号',
    fix_en: 'A user who forgot their password changes it themselves, or disable the account and create a new one',
  },
  E_SETUP_TOKEN: {
    status: 403,
    zh: '初始化令牌无效、已使用，或系统已有账号',
    en: 'The setup token is invalid or used, or the instance already has accounts',
    fix_zh: '使用首次启动时打印的一次性令牌；已初始化的系统请由安全管理员创建账号',
    fix_en: 'Use the one-time token printed at first start; once set up, the security administrator creates accounts',
  },
  E_ACTIVATION_TOKEN: {
    status: 403,
    zh: '账号激活码无效、已使用或已过期',
    en: 'The account activation token is invalid, used or expired',
    fix_zh: '使用安全管理员交给您的激活码（72 小时内有效，只能使用一次）；过期请联系安全管理员重新发放',
    fix_en: 'Use the activation token the security administrator gave you (valid 72 hours, once); if it expired, ask for a new one',
  },
  E_STATE: {
    status: 409,
    zh: '当前状态下不能执行此操作',
    en: 'This action is not allowed in the current state',
    fix_zh: '刷新后查看填报当前状态（草稿、已上报、已退回、已审核、已锁定）',
    fix_en: 'Reload and check the submission state (draft, submitted, returned, approved, locked)',
  },
  E_SUBMISSION_INVALID: {
    status: 422,
    zh: '填报数据未通过校验，不能上报',
    en: 'The submission fails validation and cannot be submitted',
    fix_zh: '修改所有错误；对每条警告填写说明后再上报',
    fix_en: 'Fix every error and explain every warning in a comment, then submit again',
  },
  E_IDEMPOTENCY_CONFLICT: {
    status: 422,
    zh: '同一 Idempotency-Key 已用于不同的请求',
    en: 'This Idempotency-Key was already used for a different request',
    fix_zh: '每个不同的请求使用新的 Idempotency-Key；重试时请求内容必须完全相同',
    fix_en: 'Use a new Idempotency-Key for each distinct request; a retry must be byte-for-byte the same request',
  },
  E_AUDIT_BROKEN: {
    status: 500,
    zh: '审计日志哈希链校验失败，可能被篡改',
    en: 'The audit log hash chain does not verify; it may have been tampered with',
    fix_zh: '立即通知安全与审计管理员，保留数据库现场，从备份核对断点处的记录',
    fix_en: 'Tell the security and audit administrators now, preserve the database, and check the broken record against backups',
  },
  E_AUDIT_KEY: {
    status: 500,
    zh: '配置的审计密钥不是审计日志正在使用的密钥',
    en: 'The configured audit key is not the key the audit log is chained with',
    fix_zh: '把 EDUPLAN_AUDIT_KEY 设为正在使用的密钥（其编号见详情）；若要更换密钥，把旧密钥放入 EDUPLAN_AUDIT_KEY_PREVIOUS 后运行 `eduplan audit rotate-key`（docs/operations.md）',
    fix_en: 'Set EDUPLAN_AUDIT_KEY to the key in use (its id is in the detail); to change keys, put the old one in EDUPLAN_AUDIT_KEY_PREVIOUS and run `eduplan audit rotate-key` (docs/operations.md)',
  },
  // ---- supervision assessments 优质均衡 / 普及普惠 (src/services/assessments.ts)
  E_ASSESSMENT_WORKFLOW: {
    status: 409,
    zh: '督导评估流程环节顺序或条件不符',
    en: 'This assessment workflow step is not allowed now',
    fix_zh: '按 区级自评 → 市级评估 → 申报国家认定 → 认定/退回 的顺序办理；申报前评估结论须为达标',
    fix_en: 'Follow self-evaluation → city assessment → submission → certified/returned; a district is submitted only when its verdict passes',
  },
  E_ASSESSMENT_NO_DATA: {
    status: 404,
    zh: '该区该学年没有可评估的数据',
    en: 'No data to assess for this district and year',
    fix_zh: '先导入该区学校（幼儿园）的年度统计数据，或用 --input 直接提供数据',
    fix_en: 'Import the schools\' (kindergartens\') annual statistics for the district first, or give the data directly with --input',
  },
  E_RELEASE_INCOMPLETE: {
    status: 409,
    zh: '数据完整性未达到发布要求',
    en: 'The data are not complete enough to release',
    fix_zh: '等待未报送学校报送并通过审核（见完整性清单），或填写理由后强制发布（记入审计日志）',
    fix_en: 'Wait for the missing schools to report and be approved (see the completeness list), or release anyway with a reason (audited)',
  },
  E_RELEASE_EMPTY: {
    status: 409,
    zh: '该学年没有可发布的指标数据',
    en: 'There are no computed figures to release for this year',
    fix_zh: '先导入或审核通过该学年的数据，指标计算完成后再发布',
    fix_en: 'Import or approve the year\'s data first; release once the indicators are computed',
  },
  E_REPLACE_UNCONFIRMED: {
    status: 409,
    zh: '此次导入将替换已有的学生记录，需要确认',
    en: 'This import would replace existing student records and needs confirmation',
    fix_zh: '核对将被替换的学校和记录数；确认无误后使用 --replace（命令行）或在上传页面点击“确认替换”',
    fix_en: 'Check which schools and how many records would be replaced; then confirm with --replace (command line) or "Confirm replacement" on the upload page',
  },
  E_RECOMPUTE_FAILED: {
    status: 500,
    zh: '数据已保存，但指标重新计算失败，相关学年的暂定数据已过期',
    en: 'The data were saved, but recomputing the indicators failed: the provisional figures of the years concerned are out of date',
    fix_zh: '查看服务器日志；问题排除后运行 `eduplan indicators compute`（下次读取指标时也会自动重算）',
    fix_en: 'Check the server log; once fixed, run `eduplan indicators compute` (the next read of the figures also retries)',
  },
  E_REGISTRY_UNKNOWN: {
    status: 404,
    zh: '找不到该名录',
    en: 'Unknown registry',
    fix_zh: '名录在规划文件 registries.yaml 中声明；运行 `eduplan registries list` 查看名录代码',
    fix_en: 'Registries are declared in the plan file registries.yaml; run `eduplan registries list` for their ids',
  },
  E_PLAN_ITEM_UNKNOWN: {
    status: 404,
    zh: '找不到该规划事项（主要任务、子任务或专栏）',
    en: 'Unknown plan item (task area, sub-task or 专栏)',
    fix_zh: '运行 `eduplan tasks` 查看事项代码：任务代码如 moral_education，子任务如 moral_education.2，专栏如 p19_luban_workshops',
    fix_en: 'Run `eduplan tasks` for the item codes: a task area such as moral_education, a sub-task moral_education.2, a 专栏 p19_luban_workshops',
  },
  E_TARGET_UNKNOWN: {
    status: 404,
    zh: '找不到该规划目标',
    en: 'Unknown plan target',
    fix_zh: '运行 `eduplan targets` 查看目标代码',
    fix_en: 'Run `eduplan targets` for the target codes',
  },
  E_REPORT_NARRATIVE: {
    status: 422,
    zh: '报告叙述中有无法识别的占位符或直接输入的数字',
    en: 'The report narrative has a placeholder that cannot be read, or a typed number',
    fix_zh: '按所示行列修改：数字一律用占位符，如 {{value fitness_good_rate}}、{{target fitness_good_rate}}、{{status fitness_good_rate}}（代码见 `eduplan targets`）',
    fix_en: 'Fix it at the line and column shown: numbers are always placeholders such as {{value fitness_good_rate}}, {{target fitness_good_rate}}, {{status fitness_good_rate}} (codes: `eduplan targets`)',
  },
  E_REPORT_UNKNOWN: {
    status: 404,
    zh: '找不到该报告、报告章节或已发布的报告文件',
    en: 'Unknown report, report section or published report file',
    fix_zh: '报告类型为 final、midterm、annual、luban；章节代码见工作台报告页（GET /api/workspace/reports/<类型>/<年份>/narratives）或 docs/reports.md；已发布报告见 /api/reports',
    fix_en: 'Report kinds are final, midterm, annual, luban; section keys are listed on the workspace reports page (GET /api/workspace/reports/<kind>/<year>/narratives) and in docs/reports.md; published reports at /api/reports',
  },
  E_CREDIT_REFUSED: {
    status: 422,
    zh: '学分认定未通过规则检查',
    en: 'The recognition does not pass the conversion rule',
    fix_zh: '按说明核对转换规则（年度上限、来源上限、适用成果）；达到上限的学分可在下一年度申请',
    fix_en: 'Check the conversion rule as explained (annual cap, source cap, the outcome it applies to); capped credits may be applied for in a later year',
  },
  E_CREDENTIAL_INVALID: {
    status: 422,
    zh: '凭证无效',
    en: 'The credential is not valid',
    fix_zh: '凭证须为本学分银行签发的完整 JWS（三段，以点分隔），签名、签发者与有效期均须通过；请向签发机构索取原件',
    fix_en: "The credential must be this credit bank's complete compact JWS (three dot-separated parts) with a valid signature, issuer and dates; ask the issuing institution for the original",
  },
  E_CREDENTIAL_KEY: {
    status: 500,
    zh: '凭证签名密钥不可用',
    en: 'The credential signing key is not usable',
    fix_zh: 'EDUPLAN_CREDENTIAL_KEY_FILE 须为 PKCS#8 PEM 格式的 Ed25519 或 P-256 私钥',
    fix_en: 'EDUPLAN_CREDENTIAL_KEY_FILE must hold an Ed25519 or P-256 private key in PKCS#8 PEM',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

/**
 * One located problem: a cell, a line, or a path inside a file. Every field that
 * locates it is optional because a problem may be in a JSON path or a CSV cell.
 */
export interface Problem {
  readonly file?: string;
  readonly sheet?: string;
  readonly row?: number;
  readonly column?: string;
  /** Path inside a structured file, e.g. `indicators[3].target.value`. */
  readonly path?: string;
  readonly value?: unknown;
  /** Stable rule identifier, e.g. `range`, `required`, `girls_le_total`. */
  readonly rule: string;
  readonly message_zh: string;
  readonly message_en: string;
  readonly fix_zh?: string;
  readonly fix_en?: string;
}

export class EduplanError extends Error {
  readonly code: ErrorCode;
  readonly problems: readonly Problem[];
  readonly detail: string | undefined;

  constructor(code: ErrorCode, opts: { problems?: readonly Problem[]; detail?: string; cause?: unknown } = {}) {
    const entry = errorCatalogue[code];
    super(`${code}: ${entry.en}${opts.detail ? ` (${opts.detail})` : ''}`, { cause: opts.cause });
    this.name = 'EduplanError';
    this.code = code;
    this.problems = opts.problems ?? [];
    this.detail = opts.detail;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  toJSON(): ErrorBody {
    const e = errorCatalogue[this.code];
    return {
      error: {
        code: this.code,
        message_zh: e.zh,
        message_en: e.en,
        fix_zh: e.fix_zh,
        fix_en: e.fix_en,
        ...(this.detail !== undefined ? { detail: this.detail } : {}),
        problems: this.problems,
      },
    };
  }
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message_zh: string;
    message_en: string;
    fix_zh: string;
    fix_en: string;
    detail?: string;
    problems: readonly Problem[];
  };
}

/** Where a problem is, in words: `file.csv, row 12, column 学籍号` / `file.csv 第12行 学籍号列`. */
export function locate(p: Problem): { zh: string; en: string } {
  const en: string[] = [];
  const zh: string[] = [];
  if (p.file !== undefined) { en.push(p.file); zh.push(p.file); }
  if (p.sheet !== undefined) { en.push(`sheet ${p.sheet}`); zh.push(`工作表「${p.sheet}」`); }
  if (p.row !== undefined) { en.push(`row ${p.row}`); zh.push(`第${p.row}行`); }
  if (p.column !== undefined) { en.push(`column ${p.column}`); zh.push(`「${p.column}」列`); }
  if (p.path !== undefined) { en.push(`at ${p.path}`); zh.push(`位置 ${p.path}`); }
  return { en: en.join(', '), zh: zh.join(' ') };
}

/** Human-readable lines for a terminal: one Chinese and one English line per problem. */
export function formatProblems(problems: readonly Problem[], limit = 200): string {
  const lines: string[] = [];
  for (const p of problems.slice(0, limit)) {
    const where = locate(p);
    const value = p.value === undefined ? '' : ` 值/value=${JSON.stringify(p.value)}`;
    lines.push(`- [${p.rule}] ${where.zh}${value}：${p.message_zh}${p.fix_zh ? `（修改方法：${p.fix_zh}）` : ''}`);
    lines.push(`  [${p.rule}] ${where.en}: ${p.message_en}${p.fix_en ? ` (fix: ${p.fix_en})` : ''}`);
  }
  if (problems.length > limit) lines.push(`… 另有 ${problems.length - limit} 个问题 / ${problems.length - limit} more problems`);
  return lines.join('\n');
}
