/**
 * `eduplan db distribute --json` (docs/scale.md): what placing the tables on a Citus cluster
 * did and where every table now lives.
 */
import { z } from 'zod';

export const tablePlacement = z.enum(['distributed', 'reference', 'local']);

export const distributeResult = z.object({
  /** The citus extension's version on the coordinator, e.g. 13.2-1. */
  citus_version: z.string(),
  /** Active worker nodes (the coordinator not counted). */
  workers: z.number().int().min(0),
  /** Tables this run placed, in the order placed (empty when everything was placed before). */
  placed_now: z.array(z.object({ table: z.string(), as: tablePlacement })),
  /** Every table of eduplan's schema in Citus's metadata (year partitions are listed with their parent's placement). */
  tables: z.array(z.object({
    table: z.string(),
    as: tablePlacement,
    /** The distribution column (org_code) of a distributed table, else null. */
    distribution_column: z.string().nullable(),
    /** Citus's colocation group; distributed tables with the same id keep a school's rows on the same shard. */
    colocation_id: z.number().int().nullable(),
    shard_count: z.number().int().min(0),
    /** Placed before this run (by an earlier run or by a start of eduplan). */
    already_placed: z.boolean(),
  })),
  /** The colocation groups of the distributed tables, each with its tables (partitions included). */
  colocation: z.array(z.object({ colocation_id: z.number().int(), tables: z.array(z.string()) })),
});
export type DistributeResult = z.infer<typeof distributeResult>;
