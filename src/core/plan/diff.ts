/**
 * What changed between two versions of a plan (规划修订对比). A plan is revised at
 * mid-term (中期评估); every stored version records its changes against the previous one
 * so that a revised target is never silently overwritten.
 *
 * Lists whose items carry a `code` are matched by code, not position, so inserting an
 * indicator reports one addition rather than a shifted list: the path reads
 * `indicators[fitness_good_rate].target.value`. Other lists are compared by index.
 */

export interface PlanChange {
  readonly path: string;
  /** `null` when the path did not exist before (added). */
  readonly before: unknown;
  /** `null` when the path no longer exists (removed). */
  readonly after: unknown;
}

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function codeOf(v: Json): string | undefined {
  return isObject(v) && typeof v.code === 'string' ? v.code : undefined;
}

function keyedByCode(list: readonly Json[]): Map<string, Json> | undefined {
  const m = new Map<string, Json>();
  for (const item of list) {
    const c = codeOf(item);
    if (c === undefined || m.has(c)) return undefined;
    m.set(c, item);
  }
  return m;
}

function walk(before: Json, after: Json, path: string, out: PlanChange[]): void {
  if (before === after) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const kb = keyedByCode(before);
    const ka = keyedByCode(after);
    if (kb && ka) {
      for (const [code, b] of kb) walk(b, ka.has(code) ? ka.get(code) : undefined, `${path}[${code}]`, out);
      for (const [code, a] of ka) if (!kb.has(code)) walk(undefined, a, `${path}[${code}]`, out);
      return;
    }
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) walk(before[i], after[i], `${path}[${i}]`, out);
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of [...keys].sort()) walk(before[k], after[k], path === '' ? k : `${path}.${k}`, out);
    return;
  }
  if (before === undefined && after === undefined) return;
  out.push({ path, before: before === undefined ? null : before, after: after === undefined ? null : after });
}

/** Pure: the list of leaf or subtree changes from `before` to `after`, in a stable order. */
export function diffPlans(before: Json, after: Json): PlanChange[] {
  const out: PlanChange[] = [];
  walk(before, after, '', out);
  return out;
}

/**
 * Canonical JSON (keys sorted, no whitespace) so that the same plan always hashes the
 * same, whatever the key order in the YAML files.
 */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
