/**
 * Every route module, registered in this order by app.ts. A module is a function
 * `(app, deps) => Promise<void>` that adds its routes under /api. Add yours here.
 */
import type { RouteModule } from '../deps.ts';

export const routeModules: ReadonlyArray<{ name: string; load: () => Promise<RouteModule> }> = [
  { name: 'plan', load: async () => (await import('./plan.ts')).default },
];
