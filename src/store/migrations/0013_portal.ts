import { sql, type Kysely } from 'kysely';

/**
 * The public portal's own records (issue 16, docs/portal.md):
 *
 * - `feedback` (意见建议): a message a member of the public leaves on an indicator, a 专栏 or
 *   the site; `message` as written (seen by moderators only), `published_message` with
 *   personal data masked (core/feedback/mask.ts), shown once a moderator approves it,
 *   with the city's reply. The sender's address is not stored (throttling counts in memory).
 * - `announcement` (发布动态): the city's announcements; release notes come from `release`.
 * Plain SQL for PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE feedback (
      id serial PRIMARY KEY,
      subject_type text NOT NULL CHECK (subject_type IN ('indicator', 'column', 'site')),
      subject_code text NOT NULL,
      message text NOT NULL CHECK (char_length(message) BETWEEN 1 AND 2000),
      published_message text NOT NULL,
      contact text,
      lang text NOT NULL CHECK (lang IN ('zh', 'en')),
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
      reply text,
      received_at timestamptz NOT NULL,
      moderated_at timestamptz,
      moderated_by integer REFERENCES account(id)
    );
    CREATE INDEX feedback_public ON feedback (subject_type, subject_code, state);
    CREATE INDEX feedback_queue ON feedback (state, received_at);
    CREATE TABLE announcement (
      id serial PRIMARY KEY,
      title_zh text NOT NULL CHECK (char_length(title_zh) BETWEEN 1 AND 200),
      title_en text NOT NULL CHECK (char_length(title_en) BETWEEN 1 AND 200),
      body_zh text NOT NULL CHECK (char_length(body_zh) BETWEEN 1 AND 10000),
      body_en text NOT NULL CHECK (char_length(body_en) BETWEEN 1 AND 10000),
      published_at timestamptz NOT NULL,
      published_by integer REFERENCES account(id)
    );
    CREATE INDEX announcement_published ON announcement (published_at DESC);
  `.execute(db);
}
