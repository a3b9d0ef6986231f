import { sql, type Kysely } from 'kysely';

/** Issue 17, part 2: the audit chain's key epochs, and one-time account activations. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await auditKeyEpochs(db);
  await accountActivation(db);
}

/**
 * The audit chain becomes keyed (HMAC-SHA-256 with a key kept outside the database,
 * services/audit.ts). `audit_chain_epoch` records from which event on which key chains the
 * log: the events already written stay chained with plain SHA-256 — an unkeyed epoch from
 * #1, recorded here when there are any — and the first append made with a key starts the
 * keyed epoch. Append-only like the log itself. The migration has no key: it only records
 * where the unkeyed prefix ends.
 */
export async function auditKeyEpochs(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_chain_epoch (
      from_seq bigint PRIMARY KEY,
      -- services/audit.ts auditKeyId: a MAC of a constant under the key, never the key; NULL = unkeyed (before 0011)
      key_id text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO audit_chain_epoch (from_seq, key_id) SELECT 1, NULL WHERE EXISTS (SELECT 1 FROM audit_event);
    CREATE TRIGGER audit_chain_epoch_no_update_delete BEFORE UPDATE OR DELETE ON audit_chain_epoch
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
    CREATE TRIGGER audit_chain_epoch_no_truncate BEFORE TRUNCATE ON audit_chain_epoch
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
  `.execute(db);
}

/**
 * A new account gets a one-time activation (separation of duties, 三员分立): the security
 * administrator creates the account and hands over a token; the user redeems it and sets
 * their own password. Only the token's hash is stored. An account waiting for activation has
 * no usable password (its hash is a marker no password verifies against).
 */
export async function accountActivation(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE account_activation (
      token_hash text PRIMARY KEY,
      account_id integer NOT NULL REFERENCES account (id),
      created_by integer REFERENCES account (id),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      used_ip text
    );
    CREATE INDEX account_activation_account ON account_activation (account_id);
  `.execute(db);
}
