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
    fix_zh: '运行 `eduplan help` 查看用法',
    fix_en: 'Run `eduplan help` for usage',
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
  E_CONFIG: {
    status: 500,
    zh: '配置有误',
    en: 'Configuration is invalid',
    fix_zh: '检查环境变量与配置文件',
    fix_en: 'Check the environment variables and configuration files',
  },
  E_STANDARD_TABLE: {
    status: 500,
    zh: '标准数据表校验失败',
    en: 'A standard table failed validation',
    fix_zh: '恢复仓库中的标准数据文件，不要手工修改',
    fix_en: 'Restore the standard data file from the repository; do not edit it by hand',
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
