/** `eduplan org list [--level <level code>] [--parent <code>] [--json]`: list org units. */
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
}, async ({ values }, ctx) => withStore(ctx, async (store) => {
  const rows = await orgUnitRecords({ store, clock: () => new Date() }, { system: 'cli' }, { ...(values.level ? { level: values.level } : {}), ...(values.parent ? { parent: values.parent } : {}) });
  if (values.json) printJson(ctx.io, rows);
  else {
    for (const r of rows) ctx.io.stdout.write(`${r.code}\t${r.level}\t${r.school_type ?? ''}\t${r.name_zh}\t${r.name_en}\n`);
    ctx.io.stdout.write(`共 ${rows.length} 个机构 / ${rows.length} org unit(s)\n`);
  }
  return 0;
}));
