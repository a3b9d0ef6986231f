/** `eduplan org list [--level city|district|school] [--parent <code>] [--json]`: list org units. */
import { parseArgs } from 'node:util';
import { EduplanError } from '../../core/errors.ts';
import { orgLevels, type OrgLevel } from '../../core/org/types.ts';
import { listOrgUnits } from '../../services/org-units.ts';
import { withStore } from '../with-store.ts';
import { printJson, type CliIO } from '../io.ts';

export default async function orgList(args: readonly string[], io: CliIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: { level: { type: 'string' }, parent: { type: 'string' }, json: { type: 'boolean', default: false } } }));
  } catch (err) {
    throw new EduplanError('E_USAGE', { detail: `${(err as Error).message}. usage: eduplan org list [--level district] [--parent 120101] [--json]` });
  }
  const level = values.level;
  if (level !== undefined && !(orgLevels as readonly string[]).includes(level)) {
    throw new EduplanError('E_USAGE', { detail: `--level must be one of ${orgLevels.join(', ')}, got ${level}` });
  }
  return withStore(io, async (store) => {
    const rows = await listOrgUnits(store, { ...(level ? { level: level as OrgLevel } : {}), ...(values.parent ? { parent: values.parent } : {}) });
    if (values.json) printJson(io, rows);
    else {
      for (const r of rows) io.stdout.write(`${r.code}\t${r.level}\t${r.school_type ?? ''}\t${r.name_zh}\t${r.name_en}\n`);
      io.stdout.write(`共 ${rows.length} 个机构 / ${rows.length} org unit(s)\n`);
    }
    return 0;
  });
}
