/** For commands that need the database; kept out of io.ts so that commands without one load no database client. */
import { openStore, storeOptionsFromEnv, type Store } from '../store/store.ts';
import type { CliIO } from './io.ts';

/** Open the store the environment names (DATABASE_URL or EDUPLAN_DATA_DIR), run `fn`, always close it. */
export async function withStore<T>(io: CliIO, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(storeOptionsFromEnv(io.env));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
