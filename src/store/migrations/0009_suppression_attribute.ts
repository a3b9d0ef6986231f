import { sql, type Kysely } from 'kysely';

/**
 * A third reason a cell is withheld: `attribute` (差值规则) — a person-count ratio whose
 * numerator, or denominator − numerator, is a group of 1–9 persons (src/core/disclosure/rules.ts).
 * The CHECK of 0004 allowed only primary and complementary.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE indicator_value DROP CONSTRAINT IF EXISTS indicator_value_suppression_check;
    ALTER TABLE indicator_value ADD CONSTRAINT indicator_value_suppression_check CHECK (suppression IN ('primary', 'attribute', 'complementary'));
  `.execute(db);
}
