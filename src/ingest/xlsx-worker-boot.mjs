// Worker entry: registers the TypeScript loader inside the worker, then loads the worker.
import { register } from 'tsx/esm/api';

register();
await import('./xlsx-worker.ts');
