import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerBundle } from './worker-bundle.ts';

describe('workerBundle', () => {
  it('bundles a worker module once per process into a content-named file under node_modules/.cache', async () => {
    const entry = new URL('./student-import-worker.ts', import.meta.url);
    const url = await workerBundle(entry);
    expect(url).not.toBeNull();
    const file = fileURLToPath(url as URL);
    expect(file).toMatch(/node_modules\/\.cache\/eduplan\/workers\/student-import-worker-[0-9a-f]{16}\.mjs$/);
    expect(existsSync(file)).toBe(true);
    // One module with no TypeScript left in it: the worker boots without tsx.
    expect(readFileSync(file, 'utf8')).toContain('StudentRowProcessor');
    expect(await workerBundle(entry)).toBe(url);
  });

  it('answers null (boot through tsx instead) when the entry cannot be bundled', async () => {
    expect(await workerBundle(new URL('./no-such-worker.ts', import.meta.url))).toBeNull();
  });
});
