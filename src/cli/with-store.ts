/** For commands that need the database; kept out of io.ts so that commands without one load no database client. */
import { storeKeys } from '../config.ts';
import { openStore, type Store, type StoreOptions } from '../store/store.ts';
import type { CommandContext } from './spec.ts';

/**
 * Open the store the configuration names (DATABASE_URL, else the PGlite directory
 * EDUPLAN_DATA_DIR, locked for this command's run) with the configured keys, run `fn`,
 * always close it.
 */
export async function withStore<T>(ctx: Pick<CommandContext, 'config' | 'name'>, fn: (store: Store) => Promise<T>, opts: Pick<StoreOptions, 'distribute'> = {}): Promise<T> {
  const store = await openStore({ databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir, lockCommand: `eduplan ${ctx.name}`, keys: storeKeys(ctx.config), ...opts });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
