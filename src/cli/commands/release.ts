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
import { createReleaseRequest, setThresholdRequest } from '../../contract/releases.ts';
import { createRelease, listReleaseRecords, releaseReadiness, setReleaseThreshold } from '../../services/releases.ts';
import type { Store } from '../../store/store.ts';
import { withStore } from '../with-store.ts';
import { printJson, type CliIO } from '../io.ts';
import { defineCommand, type CommandContext } from '../spec.ts';

const system = { system: 'cli' } as const;

function yearOf(ctx: CommandContext, v: string): number {
  const y = Number(v);
  if (!/^\d{4}$/.test(v) || y < 2000 || y > 2100) throw ctx.usageError('--year', v, '--year 应为四位学年，如 2023', '--year must be a 4-digit academic year such as 2023');
  return y;
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const deps = (store: Store, io: CliIO) => ({ store, clock: () => new Date(), log: { error: (_f: Record<string, unknown>, m: string) => { io.stderr.write(`${m}\n`); } } });
const year = { type: 'string', required: true, placeholder: '<YYYY>', zh: '学年', en: 'academic year' } as const;
const json = { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } as const;

export const status = defineCommand({ options: { year, json } }, async ({ values }, ctx) => {
  const y = yearOf(ctx, values.year);
  const { io } = ctx;
  return withStore(ctx, async (store) => {
    const r = await releaseReadiness(deps(store, io), system, y);
    if (values.json) {
      printJson(io, r);
      return 0;
    }
    io.stdout.write(`${y}学年 发布准备 / release readiness for ${y}\n`);
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
});

export const create = defineCommand({
  options: {
    year,
    note: { type: 'string', required: true, placeholder: '<text>', zh: '发布说明（随数据公开）', en: 'release note (published with the figures)' },
    override: { type: 'string', placeholder: '<reason>', zh: '完整性未达要求时仍发布的理由（记入审计日志）', en: 'why release although a form is below its completeness threshold (audited)' },
    indicator: { type: 'string', multiple: true, placeholder: '<code>', zh: '只发布这些指标（默认该学年全部）', en: 'release only these indicators (default: all of the year)' },
    json,
  },
  notes: [{ zh: '再次发布同一学年即为新版本，变化的数据会标注为修订，旧版本仍可下载。', en: 'Releasing a year again makes a new version: changed figures are marked revised, and the earlier version stays downloadable.' }],
}, async ({ values }, ctx) => {
  const parsed = createReleaseRequest.safeParse({
    year: yearOf(ctx, values.year), note: values.note,
    ...(values.override !== undefined ? { override_reason: values.override } : {}),
    ...(values.indicator.length > 0 ? { indicators: values.indicator } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = String(issue?.path[0] ?? '').replace('override_reason', 'override').replace('indicators', 'indicator');
    throw ctx.usageError(`--${where}`, undefined, `参数不符合要求：${issue?.message ?? ''}`, issue?.message ?? 'invalid');
  }
  const { io } = ctx;
  return withStore(ctx, async (store) => {
    const r = await createRelease(deps(store, io), system, parsed.data);
    if (values.json) printJson(io, r);
    else io.stdout.write(`已发布 ${r.year}学年 第${r.version}版（${r.cells} 个单元格；修订 ${r.changes.revised}，新增 ${r.changes.added}，删除 ${r.changes.removed}）/ released ${r.year} version ${r.version}: ${r.cells} cells, ${r.changes.revised} revised, ${r.changes.added} added, ${r.changes.removed} removed\n`);
    return 0;
  });
});

export const list = defineCommand({
  options: { year: { type: 'string', placeholder: '<YYYY>', zh: '只列出该学年', en: 'only this academic year' }, json },
}, async ({ values }, ctx) => {
  const y = values.year === undefined ? undefined : yearOf(ctx, values.year);
  const { io } = ctx;
  return withStore(ctx, async (store) => {
    const releases = await listReleaseRecords(deps(store, io), system, { year: y });
    if (values.json) {
      printJson(io, { releases });
      return 0;
    }
    if (releases.length === 0) io.stdout.write('尚无发布 / no releases yet\n');
    for (const r of releases) {
      io.stdout.write(`${r.year} v${r.version} ${r.current ? '[公开 public]' : '[已替换 replaced]'} ${r.released_at} ${r.released_by} ${r.cells} cells${r.override_reason ? ` 强制发布 override: ${r.override_reason}` : ''} — ${r.note}\n`);
    }
    return 0;
  });
});

export const threshold = defineCommand({
  options: {
    form: { type: 'string', required: true, placeholder: '<code>', zh: '报表代码，如 annual.primary', en: 'form code, e.g. annual.primary' },
    share: { type: 'string', required: true, placeholder: '<0..1>', zh: '发布所需完整性（默认 0.95）', en: 'completeness needed to release (default 0.95)' },
  },
}, async ({ values }, ctx) => {
  const parsed = setThresholdRequest.safeParse({ share: Number(values.share) });
  if (!parsed.success || values.share.trim() === '') throw ctx.usageError('--share', values.share, '--share 应为 0 到 1 之间的数', '--share must be a number from 0 to 1');
  const { io } = ctx;
  return withStore(ctx, async (store) => {
    const r = await setReleaseThreshold(deps(store, io), system, values.form, parsed.data.share);
    io.stdout.write(`${r.form_code}: 发布要求完整性 ${pct(r.share)} / completeness needed to release ${pct(r.share)}\n`);
    return 0;
  });
});
