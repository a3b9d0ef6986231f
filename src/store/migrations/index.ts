/**
 * Every migration, in order. Add a file `NNNN_name.ts` exporting `up(db)` and list it
 * here. Migrations are forward-only: a released migration is never edited.
 */
import type { Kysely } from 'kysely';
import * as m0001 from './0001_foundation.ts';

export interface Migration {
  readonly name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

export const migrations: readonly Migration[] = [
  { name: '0001_foundation', up: m0001.up },
];
