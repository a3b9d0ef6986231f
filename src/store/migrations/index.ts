/**
 * Every migration, in order. Add a file `NNNN_name.ts` exporting `up(db)` and list it
 * here. Migrations are forward-only: a released migration is never edited.
 */
import type { Kysely } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0003 from './0003_students.ts';
import * as m0004 from './0004_indicators.ts';
import * as m0005 from './0005_assessments.ts';
import * as m0006 from './0006_collection.ts';
import * as m0007 from './0007_student_year_partitions.ts';
import * as m0008 from './0008_release.ts';
import * as m0009 from './0009_suppression_attribute.ts';
import * as m0010 from './0010_plan_execution.ts';
import * as m0011 from './0011_hardening2.ts';
import * as m0012 from './0012_reports.ts';
import * as m0013 from './0013_portal.ts';
import * as m0014 from './0014_credit_bank.ts';
import * as m0015 from './0015_learning_city.ts';
import * as m0016 from './0016_credit_release.ts';
import * as m0017 from './0017_org_levels.ts';
import * as m0018 from './0018_stale_org.ts';

export interface Migration {
  readonly name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

export const migrations: readonly Migration[] = [
  { name: '0001_foundation', up: m0001.up },
  { name: '0003_students', up: m0003.up },
  { name: '0004_indicators', up: m0004.up },
  { name: '0005_assessments', up: m0005.up },
  { name: '0006_collection', up: m0006.up },
  { name: '0007_student_year_partitions', up: m0007.up },
  { name: '0008_release', up: m0008.up },
  { name: '0009_suppression_attribute', up: m0009.up },
  { name: '0010_plan_execution', up: m0010.up },
  { name: '0011_hardening2', up: m0011.up },
  { name: '0012_reports', up: m0012.up },
  { name: '0013_portal', up: m0013.up },
  { name: '0014_credit_bank', up: m0014.up },
  { name: '0015_learning_city', up: m0015.up },
  { name: '0016_credit_release', up: m0016.up },
  { name: '0017_org_levels', up: m0017.up },
  { name: '0018_stale_org', up: m0018.up },
];
