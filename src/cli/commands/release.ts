/**
 * `eduplan release …` — the city's release control (数据发布) from the server's own machine,
 * acting as the system (audited as `cli`); the workspace does the same for signed-in city
 * administrators. Each command parses, calls services/releases.ts and prints.
 *
 *   eduplan release status --year Y [--json]                 completeness, missing schools, what would change
 *   eduplan release create --year Y --note TEXT [--override REASON] [--indicator CODE]... [--json]
 *   eduplan release list [--year Y] [--json]
 *   eduplan release threshold --form CODE --share 0.9         completeness a form needs (default 0.95)
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createReleaseRequest, setThresholdRequest } from '../../contract/releases.ts';
import { EduplanError } from '../../core/errors.ts';
import { createRelease, listReleaseRecords, releaseReadiness, setReleaseThreshold } from '../../services/releases.ts';
import { withStore } from '../with-store.ts';
import { printJson, type Command, type CliIO } from '../io.ts';

const system = { system: 'cli' } as const;

function parse(args: readonly string[], options: ParseArgsConfig['options'], usage: string): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: false, strict: true });
  } catch (err) {
    throw new EduplanError('E_USAGE', { detail: `${(err as Error).message}; usage: ${usage}` });
  }
}

function yearOf(v: unknown, usage: string): number {
  if (v === undefined) throw new EduplanError('E_USAGE', { detail: `--year is required; usage: ${usage}` });
  const y = Number(v);
  if (!/^\d{4}$/.test(String(v)) || y < 2000 || y > 2100) throw new EduplanError('E_USAGE', { detail: `--year must be a 4-digit academic year, got ${String(v)}; usage: ${usage}` });
  return y;
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const deps = (store: Parameters<Parameters<typeof withStore>[1]>[0], io: CliIO) => ({ store, clock: () => new Date(), logError: (_f: Record<string, unknown>, m: string) => { io.stderr.write(`${m}\n`); } });

export const status: Command = async (args, io) => {
  const usage = 'eduplan release status --year YYYY [--json]';
  const { values } = parse(args, { year: { type: 'string' }, json: { type: 'boolean' } }, usage);
  const year = yearOf(values.year, usage);
  return withStore(io, async (store) => {
    const r = await releaseReadiness(deps(store, io), system, year);
    if (values.json === true) {
      printJson(io, r);
      return 0;
    }
    io.stdout.write(`${year}学年 发布准备 / release readiness for ${year}\n`);
    io.stdout.write(r.current ? `当前公开版本 / public now: v${r.current.version}（${r.current.released_at}）\n` : '尚未发布 / not released yet\n');
    if (r.stale) io.stdout.write(`暂定数据已过期 / provisional figures are STALE since ${r.stale.since}: ${r.stale.causes.join(', ')}\n`);
    io.stdout.write(`暂定单元格 ${r.provisional_cells}，与公开版本不同 ${r.unreleased_changes} / provisional cells ${r.provisional_cells}, ${r.unreleased_changes} differ from the public version\n\n`);
    for (const f of r.forms) io.stdout.write(`${f.met ? '✓' : '✗'} ${f.name_zh}  ${f.reported}/${f.expected}  ${pct(f.share)}  (要求 need ${pct(f.threshold)})\n`);
    for (const d of r.districts) {
      if (d.missing.length === 0) continue;
      io.stdout.write(`\n${d.name_zh} ${d.reported}/${d.expected} ${pct(d.share)} — 未报送 not reported:\n`);
      for (const m of d.missing) io.stdout.write(`  ${m.code} ${m.name_zh}${m.submission_state ? ` [${m.submission_state}]` : ''}${m.contact_name ? ` ${m.contact_name}` : ''}${m.contact_phone ? ` ${m.contact_phone}` : ''}\n`);
    }
    io.stdout.write(r.complete ? '\n完整性达到发布要求 / complete enough to release\n' : '\n完整性未达到发布要求：发布需填写理由（--override）/ below the threshold: releasing needs --override "reason"\n');
    return 0;
  });
};

export const create: Command = async (args, io) => {
  const usage = 'eduplan release create --year YYYY --note TEXT [--override REASON] [--indicator CODE]... [--json]';
  const { values } = parse(args, { year: { type: 'string' }, note: { type: 'string' }, override: { type: 'string' }, indicator: { type: 'string', multiple: true }, json: { type: 'boolean' } }, usage);
  const parsed = createReleaseRequest.safeParse({
    year: yearOf(values.year, usage), note: values.note,
    ...(values.override !== undefined ? { override_reason: values.override } : {}),
    ...(values.indicator !== undefined ? { indicators: values.indicator } : {}),
  });
  if (!parsed.success) {
    throw new EduplanError('E_USAGE', { detail: usage, problems: parsed.error.issues.map((i) => ({ path: `--${String(i.path[0] ?? '')}`.replace('override_reason', 'override').replace('indicators', 'indicator'), rule: i.code, message_zh: `参数不符合要求：${i.message}`, message_en: i.message })) });
  }
  return withStore(io, async (store) => {
    const r = await createRelease(deps(store, io), system, parsed.data);
    if (values.json === true) printJson(io, r);
    else io.stdout.write(`已发布 ${r.year}学年 第${r.version}版（${r.cells} 个单元格；修订 ${r.changes.revised}，新增 ${r.changes.added}，删除 ${r.changes.removed}）/ released ${r.year} version ${r.version}: ${r.cells} cells, ${r.changes.revised} revised, ${r.changes.added} added, ${r.changes.removed} removed\n`);
    return 0;
  });
};

export const list: Command = async (args, io) => {
  const usage = 'eduplan release list [--year YYYY] [--json]';
  const { values } = parse(args, { year: { type: 'string' }, json: { type: 'boolean' } }, usage);
  const year = values.year === undefined ? undefined : yearOf(values.year, usage);
  return withStore(io, async (store) => {
    const releases = await listReleaseRecords(deps(store, io), system, { year });
    if (values.json === true) {
      printJson(io, { releases });
      return 0;
    }
    if (releases.length === 0) io.stdout.write('尚无发布 / no releases yet\n');
    for (const r of releases) {
      io.stdout.write(`${r.year} v${r.version} ${r.current ? '[公开 public]' : '[已替换 replaced]'} ${r.released_at} ${r.released_by} ${r.cells} cells${r.override_reason ? ` 强制发布 override: ${r.override_reason}` : ''} — ${r.note}\n`);
    }
    return 0;
  });
};

export const threshold: Command = async (args, io) => {
  const usage = 'eduplan release threshold --form CODE --share 0..1';
  const { values } = parse(args, { form: { type: 'string' }, share: { type: 'string' } }, usage);
  if (values.form === undefined) throw new EduplanError('E_USAGE', { detail: `--form is required; usage: ${usage}` });
  const parsed = setThresholdRequest.safeParse({ share: values.share === undefined ? undefined : Number(values.share) });
  if (!parsed.success) throw new EduplanError('E_USAGE', { detail: `--share must be a number from 0 to 1; usage: ${usage}` });
  return withStore(io, async (store) => {
    const r = await setReleaseThreshold(deps(store, io), system, String(values.form), parsed.data.share);
    io.stdout.write(`${r.form_code}: 发布要求完整性 ${pct(r.share)} / completeness needed to release ${pct(r.share)}\n`);
    return 0;
  });
};
