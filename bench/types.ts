/**
 * A benchmark is a module under bench/ whose default export runs it and returns
 * figures. `npm run bench` (bench/run.ts) runs them all and prints the figures, each
 * goal's ratio to its baseline measured in the same run, and pass/fail against the goal.
 */
export interface BenchOptions {
  readonly json: boolean;
  /** PostgreSQL server URL when DATABASE_URL is set; benches also run there then. */
  readonly databaseUrl: string | undefined;
  /** Scratch directory for generated files and PGlite data dirs. */
  readonly workDir: string;
  /** Print progress lines (to stderr). */
  readonly log: (line: string) => void;
}

export interface BenchGoal {
  readonly description: string;
  /** measured / baseline (or measured alone when there is no baseline). */
  readonly ratio: number;
  readonly limit: number;
  /** 'max': ratio must be <= limit; 'min': ratio must be >= limit. */
  readonly kind: 'max' | 'min';
  readonly pass: boolean;
}

export interface BenchResult {
  readonly name: string;
  readonly figures: Readonly<Record<string, number | string>>;
  readonly goals: readonly BenchGoal[];
}

export type Bench = (opts: BenchOptions) => Promise<BenchResult[]>;

export function goal(description: string, ratio: number, kind: 'max' | 'min', limit: number): BenchGoal {
  return { description, ratio, limit, kind, pass: kind === 'max' ? ratio <= limit : ratio >= limit };
}
