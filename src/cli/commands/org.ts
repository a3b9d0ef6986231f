/** `eduplan org list [--level <level code>] [--parent <code>] [--json]`: list org units. */
import { orgUnitsQuery } from '../../contract/org-units.ts';
import { EduplanError } from '../../core/errors.ts';
import { orgUnitRecords } from '../../services/org-units.ts';
import { withStore } from '../with-store.ts';
import { printJson } from '../io.ts';
import { defineCommand } from '../spec.ts';

export default defineCommand({
  options: {
    level: { type: 'string', zh: '只列出该层级（本地区的层级代码，如 city、district、school）', en: 'only this level (a level code of the region, e.g. city, district, school)' },
    parent: { type: 'string', placeholder: '<code>', zh: '只列出该机构的下级', en: 'only the units under this code' },
    json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' },
  },
}, async ({ values }, ctx) => {
  // The API's query schema (contract/org-units.ts): a malformed level or parent code is a usage
  // error here as it is a 400 there; a well-formed level the region lacks lists nothing.
  const asked = { ...(values.level ? { level: values.level } : {}), ...(values.parent ? { parent: values.parent } : {}) };
  const q = orgUnitsQuery.safeParse(asked);
  if (!q.success) {
    throw new EduplanError('E_USAGE', {
      problems: q.error.issues.map((i) => {
        const key = i.path[0] === 'parent' ? 'parent' : 'level';
        return { path: `--${key}`, value: asked[key] ?? '', rule: 'format', message_zh: `--${key} 格式不对：${i.message}`, message_en: `--${key} is malformed: ${i.message}` };
      }),
    });
  }
  return withStore(ctx, async (store) => {
    const rows = await orgUnitRecords({ store, clock: () => new Date() }, { system: 'cli' }, q.data);
    if (values.json) printJson(ctx.io, rows);
    else {
      for (const r of rows) ctx.io.stdout.write(`${r.code}\t${r.level}\t${r.school_type ?? ''}\t${r.name_zh}\t${r.name_en}\n`);
      ctx.io.stdout.write(`共 ${rows.length} 个机构 / ${rows.length} org unit(s)\n`);
    }
    return 0;
  });
});
