/**
 * Reading a plan directory (规划目录): six YAML files, merged into one document and
 * validated by `planSchema`.
 *
 *   plan.yaml          metadata and indicator categories
 *   indicators.yaml    { indicators: [...] }     主要指标
 *   tasks.yaml         { task_areas: [...] }     主要任务
 *   projects.yaml      { projects: [...] }       专栏
 *   text-targets.yaml  { text_targets: [...] }   正文量化目标
 *   registries.yaml    { registries: [...] }     名录 the targets count
 *
 * All-or-nothing: a broken directory yields one E_PLAN_INVALID listing EVERY problem
 * found in every file (YAML syntax with line/column, schema and cross-checks with the
 * file and the path inside it), so an editor fixes them in one pass.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument, isMap, type Document } from 'yaml';
import type { z } from 'zod';
import { EduplanError, type Problem } from '../core/errors.ts';
import { lenientPlanCrossChecks, planSchema, type Plan } from '../core/plan/schema.ts';

/** File name → the top-level keys it may hold. */
export const planFiles: ReadonlyArray<{ file: string; keys: readonly string[] }> = [
  { file: 'plan.yaml', keys: ['schema_version', 'code', 'title_zh', 'title_en', 'issuer_zh', 'issuer_en', 'period', 'baseline_year', 'source_zh', 'categories'] },
  { file: 'indicators.yaml', keys: ['indicators'] },
  { file: 'tasks.yaml', keys: ['task_areas'] },
  { file: 'projects.yaml', keys: ['projects'] },
  { file: 'text-targets.yaml', keys: ['text_targets'] },
  { file: 'registries.yaml', keys: ['registries'] },
];

const fileOfKey = new Map(planFiles.flatMap((f) => f.keys.map((k) => [k, f.file] as const)));

interface ParsedFile {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** `['indicators', 3, 'target', 'value']` → `indicators[3].target.value`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** Line and column (1-based) of the deepest node that exists along `path`. */
function locate(parsed: ParsedFile, path: readonly PropertyKey[]): { line: number; col: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = parsed.doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return parsed.lines.linePos(node.range[0]);
  }
  return undefined;
}

const typeZh: Record<string, string> = {
  number: '数字', string: '文本', boolean: '布尔值（true/false）', array: '列表（- 开头的各项）', object: '映射（key: value）', int: '整数',
};

function issueMessages(issue: z.core.$ZodIssue): { zh: string; en: string; fix_zh: string; fix_en: string } {
  switch (issue.code) {
    case 'invalid_type':
      return { zh: `类型不对：应为${typeZh[issue.expected] ?? issue.expected}`, en: issue.message, fix_zh: `填写${typeZh[issue.expected] ?? issue.expected}`, fix_en: `Give a value of type ${issue.expected}` };
    case 'invalid_value':
      return {
        zh: `取值无效：须为 ${issue.values.map((v) => JSON.stringify(v)).join('、')} 之一`,
        en: issue.message,
        fix_zh: '改为允许的取值之一（见 docs/plan-format.md）',
        fix_en: 'Use one of the allowed values (see docs/plan-format.md)',
      };
    case 'unrecognized_keys':
      return { zh: `未知字段：${issue.keys.join('、')}`, en: issue.message, fix_zh: '删除该字段或更正拼写（见 docs/plan-format.md）', fix_en: 'Remove the field or correct its spelling (see docs/plan-format.md)' };
    case 'too_small':
      return { zh: `值过小或为空：${issue.message}`, en: issue.message, fix_zh: '补全内容或改为允许范围内的值', fix_en: 'Fill it in or use a value within range' };
    case 'too_big':
      return { zh: `值过大：${issue.message}`, en: issue.message, fix_zh: '改为允许范围内的值', fix_en: 'Use a value within range' };
    case 'invalid_format':
      return { zh: `格式不对：${issue.message}`, en: issue.message, fix_zh: '按 docs/plan-format.md 的格式填写', fix_en: 'Follow the format in docs/plan-format.md' };
    case 'custom': {
      const zh = typeof issue.params?.message_zh === 'string' ? issue.params.message_zh : issue.message;
      return { zh, en: issue.message, fix_zh: '按说明修改该字段或其引用的内容', fix_en: 'Correct this field or what it refers to, as described' };
    }
    default:
      return { zh: `不符合要求：${issue.message}`, en: issue.message, fix_zh: '按 docs/plan-format.md 修改', fix_en: 'Correct it as described in docs/plan-format.md' };
  }
}

/**
 * Parse and validate plan files given as text (file name → content). Pure apart from
 * the YAML parser; `readPlanDir` does the reading. Throws E_PLAN_INVALID with every problem.
 */
export function parsePlanFiles(texts: ReadonlyMap<string, string | undefined>): Plan {
  const problems: Problem[] = [];
  const parsed = new Map<string, ParsedFile>();
  const merged: Record<string, unknown> = {};

  for (const { file, keys } of planFiles) {
    const text = texts.get(file);
    if (text === undefined) {
      problems.push({
        file, rule: 'file_missing',
        message_zh: `缺少文件 ${file}`, message_en: `File ${file} is missing`,
        fix_zh: `在规划目录中创建 ${file}（包含 ${keys.join('、')}）`, fix_en: `Create ${file} in the plan directory (holding ${keys.join(', ')})`,
      });
      continue;
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = lines.linePos(e.pos[0]);
        problems.push({
          file, row: pos.line, column: String(pos.col), rule: 'yaml_syntax', value: e.code,
          message_zh: `YAML 语法错误（第 ${pos.line} 行第 ${pos.col} 列）：${e.message.split('\n')[0] ?? ''}`,
          message_en: `YAML syntax error at line ${pos.line}, column ${pos.col}: ${e.message.split('\n')[0] ?? ''}`,
          fix_zh: '检查该处的缩进、冒号、引号与列表符号“- ”', fix_en: 'Check indentation, colons, quotes and "- " list markers there',
        });
      }
      continue;
    }
    if (!isMap(doc.contents)) {
      problems.push({
        file, rule: 'yaml_top_level',
        message_zh: `${file} 的顶层须为映射（key: value），包含 ${keys.join('、')}`, message_en: `${file} must be a mapping at the top level holding ${keys.join(', ')}`,
        fix_zh: '参照 docs/plan-format.md 的文件结构', fix_en: 'Follow the file layout in docs/plan-format.md',
      });
      continue;
    }
    parsed.set(file, { file, doc, lines });
    const content = doc.toJS() as Record<string, unknown>;
    for (const [k, v] of Object.entries(content)) {
      if (!keys.includes(k)) {
        const pos = locate({ file, doc, lines }, [k]);
        const home = fileOfKey.get(k);
        problems.push({
          file, path: k, rule: 'unexpected_key', ...(pos ? { row: pos.line, column: String(pos.col) } : {}),
          message_zh: `${file} 中不应出现字段 ${k}${home ? `（它属于 ${home}）` : ''}`,
          message_en: `Key ${k} does not belong in ${file}${home ? ` (it belongs in ${home})` : ''}`,
          fix_zh: home ? `把 ${k} 移到 ${home}` : '删除该字段或更正拼写', fix_en: home ? `Move ${k} to ${home}` : 'Remove the key or correct its spelling',
        });
        continue;
      }
      merged[k] = v;
    }
  }

  // Validate whatever parsed, so that schema problems in good files are reported in the
  // same pass as syntax errors in bad ones; keys of a file that failed to parse are absent
  // and would only repeat the syntax error, so those issues are skipped.
  const result = planSchema.safeParse(merged);
  if (!result.success) {
    const issues: Array<z.core.$ZodIssue> = [...result.error.issues];
    if (!issues.some((i) => i.code === 'custom')) {
      for (const c of lenientPlanCrossChecks(merged)) {
        issues.push({ code: 'custom', path: c.path, message: c.message_en, params: { message_zh: c.message_zh }, input: undefined });
      }
    }
    for (const issue of issues) {
      const top = issue.path[0];
      const file = typeof top === 'string' ? (fileOfKey.get(top) ?? 'plan.yaml') : 'plan.yaml';
      const p = parsed.get(file);
      if (!p) continue;
      const path = formatPath(issue.path);
      const pos = locate(p, issue.path);
      const value = p.doc.getIn(issue.path as unknown[]);
      const m = issueMessages(issue);
      problems.push({
        file, path: path === '' ? '(root)' : path, rule: issue.code, ...(pos ? { row: pos.line, column: String(pos.col) } : {}),
        ...(value !== undefined && (typeof value !== 'object' || value === null) ? { value } : {}),
        message_zh: m.zh, message_en: m.en, fix_zh: m.fix_zh, fix_en: m.fix_en,
      });
    }
  }
  if (problems.length > 0 || !result.success) {
    throw new EduplanError('E_PLAN_INVALID', { problems, detail: `${problems.length} problem(s)` });
  }
  return result.data;
}

/** Read a plan directory and validate it. Missing directory → E_FILE_NOT_FOUND. */
export async function readPlanDir(dir: string): Promise<Plan> {
  const s = await stat(dir).catch(() => undefined);
  if (!s || !s.isDirectory()) throw new EduplanError('E_FILE_NOT_FOUND', { detail: `plan directory not found: ${dir}` });
  const texts = new Map<string, string | undefined>();
  for (const { file } of planFiles) {
    texts.set(file, await readFile(join(dir, file), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    }));
  }
  return parsePlanFiles(texts);
}
