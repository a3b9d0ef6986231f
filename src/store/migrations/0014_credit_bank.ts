import { sql, type Kysely } from 'kysely';

/**
 * The lifelong-learning credit bank (终身教育学分银行) and learning-city monitoring
 * (学习型城市建设动态监测): src/services/credits/*, src/services/learning-city.ts,
 * docs/credit-bank.md and docs/learning-city.md.
 *
 * - `org_unit.level` gains `street` (街镇) and `community` (村居): the four-level service
 *   network 市—区—街镇—村居 of 三、(七)「四横」; `unit_type` says what a learning-network unit
 *   is (learning centre, 老年学校, 示范性老年大学) and `service_line` its place in the 四纵
 *   (开放教育、社区教育、老年教育、农民教育). Both are null for every school.
 * - `credit_institution`: who registers learning outcomes and receives recognitions; it sits
 *   at an org unit (its own school code, or the district or city that supervises it), which
 *   is what grants are checked against.
 * - `credit_learner`: a learner by pseudonym only (HMAC of the ID number with the key kept
 *   outside the database); `subject_id` is the random identifier the learner's credentials
 *   carry, so a credential never reveals the pseudonym either.
 * - `credit_learner_code`: one-time sign-in codes an institution hands a learner (hash only).
 * - `credit_framework_level`, `credit_rule`: the learning-outcome framework and the
 *   conversion rules as versioned data with their source; a recognition keeps the rule
 *   version it was decided under, so a new version never rewrites the past.
 * - `credit_outcome`, `credit_recognition`: registered outcomes and the recognition workflow.
 * - `credit_credential`: every credential issued, its compact JWS, and its index in the
 *   revocation status list (Bitstring Status List v1.0).
 * - `learning_event`: learning activity events from the centres, one row per de-duplication key.
 * Plain SQL for PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE org_unit DROP CONSTRAINT IF EXISTS org_unit_level_check;
    ALTER TABLE org_unit ADD CONSTRAINT org_unit_level_check CHECK (level IN ('city', 'district', 'street', 'community', 'school'));
    ALTER TABLE org_unit ADD COLUMN unit_type text CHECK (unit_type IN ('learning_centre', 'elderly_school', 'model_elderly_university'));
    ALTER TABLE org_unit ADD COLUMN service_line text CHECK (service_line IN ('open', 'community', 'elderly', 'farmer'));

    CREATE TABLE credit_institution (
      code text PRIMARY KEY,
      name_zh text NOT NULL,
      name_en text NOT NULL DEFAULT '',
      kind text NOT NULL CHECK (kind IN ('university', 'open_university', 'vocational_college', 'training_body', 'community_school', 'elderly_school')),
      org_code text NOT NULL REFERENCES org_unit(code)
    );
    CREATE TABLE credit_learner (
      id serial PRIMARY KEY,
      pseudonym text NOT NULL UNIQUE CHECK (pseudonym ~ '^[0-9a-f]{64}$'),
      subject_id text NOT NULL UNIQUE,
      consent_at timestamptz,
      consent_by text,
      created_at timestamptz NOT NULL,
      created_by text NOT NULL
    );
    CREATE TABLE credit_learner_code (
      code_hash text PRIMARY KEY,
      learner_id integer NOT NULL REFERENCES credit_learner(id),
      issued_by text NOT NULL,
      institution_code text NOT NULL REFERENCES credit_institution(code),
      issued_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE TABLE credit_framework_level (
      level integer PRIMARY KEY CHECK (level BETWEEN 1 AND 10),
      name_zh text NOT NULL,
      name_en text NOT NULL,
      hours_per_credit double precision NOT NULL CHECK (hours_per_credit > 0),
      source text NOT NULL
    );
    -- The framework's seven levels, as the Guangdong and Hong Kong qualifications frameworks
    -- have (credit-bank.md [C7], [C20]); one credit for ten notional learning hours (HKQF, [C20]).
    -- The city may change the names and ratios (they are data); the level numbers stay.
    INSERT INTO credit_framework_level (level, name_zh, name_en, hours_per_credit, source) VALUES
      (1, '第一级（入门）', 'Level 1 (entry)', 10, 'credit-bank.md [C7] [C20]: seven-level qualifications framework; 10 notional hours per credit'),
      (2, '第二级', 'Level 2', 10, 'credit-bank.md [C7] [C20]'),
      (3, '第三级（中职）', 'Level 3 (secondary vocational)', 10, 'credit-bank.md [C7] [C20]'),
      (4, '第四级（高职专科）', 'Level 4 (higher vocational)', 10, 'credit-bank.md [C7] [C20]'),
      (5, '第五级（本科）', 'Level 5 (bachelor)', 10, 'credit-bank.md [C7] [C20]'),
      (6, '第六级（硕士）', 'Level 6 (master)', 10, 'credit-bank.md [C7] [C20]'),
      (7, '第七级（博士）', 'Level 7 (doctorate)', 10, 'credit-bank.md [C7] [C20]');
    CREATE TABLE credit_rule (
      code text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      source_kind text NOT NULL CHECK (source_kind IN ('academic_course', 'vocational_certificate', 'non_formal', 'mooc')),
      achievement_code text NOT NULL,
      receiving_code text NOT NULL REFERENCES credit_institution(code),
      target_programme text NOT NULL,
      target_course text NOT NULL,
      credits double precision NOT NULL CHECK (credits > 0),
      annual_cap double precision CHECK (annual_cap > 0),
      source_cap double precision CHECK (source_cap > 0),
      valid_from date NOT NULL,
      source text NOT NULL,
      created_at timestamptz NOT NULL,
      created_by text NOT NULL,
      PRIMARY KEY (code, version)
    );
    CREATE TABLE credit_outcome (
      id serial PRIMARY KEY,
      learner_id integer NOT NULL REFERENCES credit_learner(id),
      institution_code text NOT NULL REFERENCES credit_institution(code),
      kind text NOT NULL CHECK (kind IN ('academic_course', 'vocational_certificate', 'non_formal', 'mooc')),
      achievement_code text NOT NULL,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      level integer REFERENCES credit_framework_level(level),
      hours double precision CHECK (hours >= 0),
      credits double precision NOT NULL CHECK (credits >= 0),
      evidence text,
      issued_on date NOT NULL,
      registered_at timestamptz NOT NULL,
      registered_by text NOT NULL
    );
    CREATE INDEX credit_outcome_learner ON credit_outcome (learner_id);
    CREATE TABLE credit_recognition (
      id serial PRIMARY KEY,
      outcome_id integer NOT NULL REFERENCES credit_outcome(id),
      learner_id integer NOT NULL REFERENCES credit_learner(id),
      rule_code text NOT NULL,
      rule_version integer NOT NULL,
      receiving_code text NOT NULL REFERENCES credit_institution(code),
      credits double precision NOT NULL,
      year integer NOT NULL,
      state text NOT NULL CHECK (state IN ('applied', 'recognised', 'refused')),
      reason text,
      applied_at timestamptz NOT NULL,
      applied_by text NOT NULL,
      decided_at timestamptz,
      decided_by text,
      FOREIGN KEY (rule_code, rule_version) REFERENCES credit_rule(code, version)
    );
    CREATE INDEX credit_recognition_learner ON credit_recognition (learner_id, year);
    CREATE TABLE credit_credential (
      id text PRIMARY KEY,
      learner_id integer NOT NULL REFERENCES credit_learner(id),
      outcome_id integer NOT NULL REFERENCES credit_outcome(id),
      recognition_id integer REFERENCES credit_recognition(id),
      status_list integer NOT NULL,
      status_index integer NOT NULL CHECK (status_index >= 0),
      jws text NOT NULL,
      issued_at timestamptz NOT NULL,
      issued_by text NOT NULL,
      revoked_at timestamptz,
      revoked_by text,
      revoke_reason text,
      UNIQUE (status_list, status_index)
    );
    CREATE INDEX credit_credential_learner ON credit_credential (learner_id);
    CREATE TABLE learning_event (
      dedup_key text PRIMARY KEY,
      centre_code text NOT NULL REFERENCES org_unit(code),
      district_code text NOT NULL REFERENCES org_unit(code),
      event_id text NOT NULL,
      year integer NOT NULL,
      event_date date NOT NULL,
      channel text NOT NULL CHECK (channel IN ('course', 'visit', 'online')),
      activity text NOT NULL,
      learner_pseudonym text CHECK (learner_pseudonym ~ '^[0-9a-f]{64}$'),
      elderly boolean NOT NULL,
      batch_id integer NOT NULL REFERENCES import_batch(id)
    );
    CREATE INDEX learning_event_year ON learning_event (year, district_code);
  `.execute(db);
}
