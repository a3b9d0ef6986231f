/**
 * Every route module, registered in this order by app.ts. A module is a function
 * `(app, deps) => Promise<void>` that adds its routes under /api. Add yours here.
 */
import type { RouteModule } from '../deps.ts';

export const routeModules: ReadonlyArray<{ name: string; load: () => Promise<RouteModule> }> = [
  { name: 'plan', load: async () => (await import('./plan.ts')).default },
  { name: 'auth', load: async () => (await import('./auth.ts')).default },
  { name: 'accounts', load: async () => (await import('./accounts.ts')).default },
  { name: 'submissions', load: async () => (await import('./submissions.ts')).default },
  { name: 'audit', load: async () => (await import('./audit.ts')).default },
  { name: 'fitness', load: async () => (await import('./fitness.ts')).default },
  { name: 'progress', load: async () => (await import('./progress.ts')).default },
  { name: 'org-units', load: async () => (await import('./org-units.ts')).default },
  { name: 'forms', load: async () => (await import('./forms.ts')).default },
  { name: 'assessments', load: async () => (await import('./assessments.ts')).default },
  { name: 'student-uploads', load: async () => (await import('./student-uploads.ts')).default },
  { name: 'releases', load: async () => (await import('./releases.ts')).default },
  { name: 'site', load: async () => (await import('./site.ts')).default },
  { name: 'indicator-scope', load: async () => (await import('./indicator-scope.ts')).default },
  { name: 'plan-execution', load: async () => (await import('./plan-execution.ts')).default },
  { name: 'reports', load: async () => (await import('./reports.ts')).default },
  { name: 'open-data', load: async () => (await import('./open-data.ts')).default },
  { name: 'portal', load: async () => (await import('./portal.ts')).default },
  { name: 'credits', load: async () => (await import('./credits.ts')).default },
  { name: 'learning', load: async () => (await import('./learning.ts')).default },
  // Keep `web` LAST: its static wildcard and SPA fallback must not shadow any /api route.
  { name: 'web', load: async () => (await import('./web.ts')).default },
];
