import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleFile, workerBundle } from './worker-bundle.ts';

describe('workerBundle', () => {
  it('bundles a worker module once per process into a content-named file under node_modules/.cache', async () => {
    const entry = new URL('./student-records/parse-worker.ts', import.meta.url);
    const url = await workerBundle(entry);
    expect(url).not.toBeNull();
    const file = fileURLToPath(url as URL);
    expect(file).toMatch(/node_modules\/\.cache\/eduplan\/workers\/parse-worker-[0-9a-f]{16}\.mjs$/);
    expect(existsSync(file)).toBe(true);
    // One module with no TypeScript left in it: the worker boots without tsx.
    expect(readFileSync(file, 'utf8')).toContain('StudentRowProcessor');
    expect(await workerBundle(entry)).toBe(url);
  });

  it('answers null (boot through tsx instead) when the entry cannot be bundled', async () => {
    expect(await workerBundle(new URL('./no-such-worker.ts', import.meta.url))).toBeNull();
  });

  it('reuses an earlier process\'s bundle while its inputs are unchanged, and bundles again when one changes or the bundle is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eduplan-bundle-'));
    try {
      const cache = join(dir, 'cache');
      writeFileSync(join(dir, 'dep.ts'), 'export const answer: number = 41;\n');
      writeFileSync(join(dir, 'entry.ts'), "import { answer } from './dep.ts';\nexport const shown = answer + 1;\n");
      // Stamps in the past: the bundle is known to hold these contents (see the manifest rule).
      const past = new Date(Date.now() - 60_000);
      for (const f of ['dep.ts', 'entry.ts']) utimesSync(join(dir, f), past, past);
      const entry = pathToFileURL(join(dir, 'entry.ts'));

      const first = await bundleFile(entry, cache);
      expect(first.reused).toBe(false);
      expect(readFileSync(first.url, 'utf8')).toContain('41');
      const second = await bundleFile(entry, cache);
      expect(second).toEqual({ url: first.url, reused: true });

      // An input changes (same size, other content and time): bundled again, a new file.
      writeFileSync(join(dir, 'dep.ts'), 'export const answer: number = 42;\n');
      utimesSync(join(dir, 'dep.ts'), past, new Date(Date.now() - 30_000));
      const third = await bundleFile(entry, cache);
      expect(third.reused).toBe(false);
      expect(third.url.href).not.toBe(first.url.href);
      expect(readFileSync(third.url, 'utf8')).toContain('42');
      expect((await bundleFile(entry, cache)).reused).toBe(true);

      // The bundle file removed: bundled again.
      rmSync(third.url);
      const fourth = await bundleFile(entry, cache);
      expect(fourth.reused).toBe(false);
      expect(existsSync(fourth.url)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
