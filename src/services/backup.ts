/**
 * Backup and restore (备份与恢复), the use cases behind `eduplan backup` and `eduplan
 * restore`: the storage work is store/backup.ts (pg_dump/pg_restore for a server, the
 * PGlite data-directory tarball for the embedded database); a restore is only reported
 * done with the audit chain of the restored database verified — read only, nothing is
 * appended to the log it checks.
 */
import { backupDatabase, restoreDatabase, type BackupKind, type BackupTarget } from '../store/backup.ts';
import { openStore } from '../store/store.ts';
import { verifyAudit } from './audit.ts';

export type { BackupKind, BackupTarget };

/** Write a consistent snapshot of the target database to `file`. */
export function backup(target: BackupTarget, file: string): Promise<{ kind: BackupKind; bytes: number }> {
  return backupDatabase(target, file);
}

export interface RestoreOutcome {
  readonly kind: BackupKind;
  /** Where a replaced PGlite directory was moved (kept, not deleted), or null. */
  readonly movedAside: string | null;
  readonly audit: Awaited<ReturnType<typeof verifyAudit>>;
}

/** Restore `file` into the target, then verify the restored audit chain. */
export async function restore(target: BackupTarget, file: string, opts: { readonly replace: boolean }): Promise<RestoreOutcome> {
  const r = await restoreDatabase(target, file, { replace: opts.replace });
  const store = await openStore({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, lockCommand: target.lockCommand });
  try {
    return { ...r, audit: await verifyAudit(store.db) };
  } finally {
    await store.close();
  }
}
