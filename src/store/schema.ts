/**
 * Table types for Kysely. One interface per table; column names are the SQL names.
 * A new table: add its migration in migrations/, its interface here, and its entry
 * in `Database`.
 */
import type { ColumnType, Generated } from 'kysely';

export interface PlanVersionTable {
  id: Generated<number>;
  plan_code: string;
  version: number;
  content_hash: string;
  loaded_at: ColumnType<Date, string, never>;
  /** The validated plan document (JSON). */
  document: unknown;
  /** What changed against the previous version: [{path, before, after}]. */
  changes: unknown;
}

export interface OrgUnitTable {
  code: string;
  name_zh: string;
  name_en: string;
  level: 'city' | 'district' | 'school';
  parent_code: string | null;
  school_type: string | null;
  ownership: 'public' | 'private' | null;
  inclusive: boolean | null;
  urban_rural: 'urban' | 'town' | 'rural' | null;
  opened: string | null;
  closed: string | null;
}

export interface DataValueTable {
  org_code: string;
  year: number;
  element: string;
  value: number;
  /** Where the number came from: `import:<batch id>`, `submission:<id>`, `derived:<batch id>`. */
  source: string;
}

export interface ReferenceValueTable {
  org_code: string;
  year: number;
  code: string;
  value: number;
  /** Publisher and document, e.g. `天津市统计局 2020年第七次人口普查公报`. */
  source: string;
}

export interface ImportBatchTable {
  id: Generated<number>;
  kind: string;
  file_name: string;
  sha256: string;
  rows: number;
  imported_at: ColumnType<Date, string, never>;
}

export interface Database {
  plan_version: PlanVersionTable;
  org_unit: OrgUnitTable;
  data_value: DataValueTable;
  reference_value: ReferenceValueTable;
  import_batch: ImportBatchTable;
}
