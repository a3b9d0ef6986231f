import { sql, type Kysely } from 'kysely';

// Accounts, roles, sessions, the submission workflow and the append-only audit log.
// Plain SQL that runs on PostgreSQL 15 and on PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE account (
      id serial PRIMARY KEY,
      username text NOT NULL,
      display_name text NOT NULL DEFAULT '',
      -- scrypt$N$r$p$salt$hash (services/auth.ts); never the password itself
      password_hash text NOT NULL,
      -- base32 TOTP secret once enrolment is confirmed; totp_pending while enrolling
      totp_secret text,
      totp_pending text,
      totp_last_step bigint,
      -- demo accounts only: skip the second factor (documented in docs/accounts-and-workflow.md)
      totp_exempt boolean NOT NULL DEFAULT false,
      failed_logins integer NOT NULL DEFAULT 0,
      first_failed_at timestamptz,
      locked_until timestamptz,
      disabled boolean NOT NULL DEFAULT false,
      must_change_password boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      password_changed_at timestamptz NOT NULL
    );
    -- user names are unique whatever their case (AUTH-01)
    CREATE UNIQUE INDEX account_username_lower ON account (lower(username));
    CREATE TABLE account_grant (
      account_id integer NOT NULL REFERENCES account(id),
      role text NOT NULL,
      org_code text NOT NULL REFERENCES org_unit(code),
      granted_by integer REFERENCES account(id),
      granted_at timestamptz NOT NULL,
      PRIMARY KEY (account_id, role, org_code)
    );
    CREATE TABLE auth_session (
      -- SHA-256 of the cookie's random token: a stolen table does not yield sessions
      token_hash text PRIMARY KEY,
      account_id integer NOT NULL REFERENCES account(id),
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      mfa_done boolean NOT NULL,
      ip text
    );
    CREATE INDEX auth_session_account ON auth_session (account_id);
    CREATE TABLE setup_token (
      token_hash text PRIMARY KEY,
      created_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE TABLE form_deadline (
      form_code text NOT NULL,
      year integer NOT NULL,
      due_at timestamptz NOT NULL,
      set_by integer REFERENCES account(id),
      PRIMARY KEY (form_code, year)
    );
    CREATE TABLE submission (
      id serial PRIMARY KEY,
      org_code text NOT NULL REFERENCES org_unit(code),
      form_code text NOT NULL,
      year integer NOT NULL,
      state text NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved', 'locked')),
      entries jsonb NOT NULL DEFAULT '{}'::jsonb,
      comments jsonb NOT NULL DEFAULT '{}'::jsonb,
      signoffs jsonb,
      version integer NOT NULL DEFAULT 1,
      reason text,
      created_at timestamptz NOT NULL,
      created_by integer NOT NULL REFERENCES account(id),
      updated_at timestamptz NOT NULL,
      updated_by integer NOT NULL REFERENCES account(id),
      submitted_at timestamptz,
      submitted_by integer REFERENCES account(id),
      approved_at timestamptz,
      approved_by integer REFERENCES account(id),
      locked_at timestamptz,
      locked_by integer REFERENCES account(id),
      UNIQUE (org_code, form_code, year)
    );
    CREATE INDEX submission_year_form ON submission (year, form_code, state);
    CREATE TABLE idempotency_key (
      account_id integer NOT NULL REFERENCES account(id),
      key text NOT NULL,
      request_hash text NOT NULL,
      status integer NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (account_id, key)
    );
    CREATE TABLE audit_event (
      seq bigint PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_id integer,
      actor text NOT NULL,
      action text NOT NULL,
      outcome text NOT NULL,
      object_type text,
      object_id text,
      org_code text,
      ip text,
      before jsonb,
      after jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL
    );
    CREATE INDEX audit_event_actor ON audit_event (actor_id, seq);
    CREATE INDEX audit_event_object ON audit_event (object_type, object_id);
    -- Append-only in the database itself (L3-CES1-14, AUD-03): no UPDATE, DELETE or TRUNCATE.
    CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      RAISE EXCEPTION 'audit_event is append-only / 审计日志只允许追加' USING ERRCODE = 'insufficient_privilege';
    END
    $fn$;
    CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
  `.execute(db);
}
