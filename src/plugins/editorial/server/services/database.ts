/**
 * Rules the database itself keeps, so that no code path (ours, Strapi's, a SQL console) breaks
 * them: the audit log is append-only and keeps entries for the retention period; one workflow
 * state per document-locale; unique version numbers and release members. Created after every
 * schema sync; idempotent.
 */
import type { Core } from '@strapi/strapi';

const AUDIT = 'editorial_audit_entries';
const SEARCH = 'editorial_audit_search';

const statements = (client: string, retentionDays: number): string[] => {
  const days = Math.floor(retentionDays);
  const states = [
    'CREATE UNIQUE INDEX IF NOT EXISTS "editorial_workflow_states_target_uq" ON "editorial_workflow_states" ("target_uid", "target_document_id", "target_locale")',
    // Version numbers count up per document-locale; a race must not give two saves one number.
    'CREATE UNIQUE INDEX IF NOT EXISTS "editorial_versions_number_uq" ON "editorial_versions" ("target_uid", "target_document_id", "target_locale", "number")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "editorial_release_entries_uq" ON "editorial_release_entries" ("release_id", "target_uid", "target_document_id", "target_locale")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "editorial_seen_versions_uq" ON "editorial_seen_versions" ("user_id", "target_uid", "target_document_id", "target_locale")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "editorial_conflicts_uq" ON "editorial_conflicts" ("user_id", "target_uid", "target_document_id", "target_locale")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "editorial_translation_bases_uq" ON "editorial_translation_bases" ("target_uid", "target_document_id", "target_locale", "field")',
    // The audit log reads newest first, a page at a time, often for one action or document.
    `CREATE INDEX IF NOT EXISTS "editorial_audit_entries_created_idx" ON "${AUDIT}" ("created_at", "id")`,
    `CREATE INDEX IF NOT EXISTS "editorial_audit_entries_action_idx" ON "${AUDIT}" ("action", "created_at")`,
    `CREATE INDEX IF NOT EXISTS "editorial_audit_entries_document_idx" ON "${AUDIT}" ("target_document_id")`,
    // Each entry's search text in every interface language (services/audit.ts). Not a Strapi
    // content type: an entry's row is rewritten when the languages change, and Strapi leaves tables
    // it never created alone. `signature` names the texts the row was made from.
    `CREATE TABLE IF NOT EXISTS "${SEARCH}" ("entry_id" integer PRIMARY KEY, "signature" varchar(64) NOT NULL, "subject" text NULL, "text" text NOT NULL)`,
  ];
  if (client === 'postgres') {
    return [
      ...states,
      `CREATE OR REPLACE FUNCTION editorial_audit_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'the audit log is append-only'; END IF;
         IF TG_OP = 'TRUNCATE' THEN RAISE EXCEPTION 'the audit log cannot be truncated'; END IF;
         IF OLD.created_at > now() - interval '${days} days' THEN
           RAISE EXCEPTION 'audit entries are kept for ${days} days';
         END IF;
         RETURN OLD;
       END $$ LANGUAGE plpgsql`,
      `DROP TRIGGER IF EXISTS editorial_audit_guard ON "${AUDIT}"`,
      `CREATE TRIGGER editorial_audit_guard BEFORE UPDATE OR DELETE ON "${AUDIT}" FOR EACH ROW EXECUTE FUNCTION editorial_audit_guard()`,
      `DROP TRIGGER IF EXISTS editorial_audit_no_truncate ON "${AUDIT}"`,
      `CREATE TRIGGER editorial_audit_no_truncate BEFORE TRUNCATE ON "${AUDIT}" FOR EACH STATEMENT EXECUTE FUNCTION editorial_audit_guard()`,
    ];
  }
  // SQLite stores Strapi's datetimes as epoch milliseconds.
  return [
    ...states,
    `CREATE TRIGGER IF NOT EXISTS editorial_audit_no_update BEFORE UPDATE ON "${AUDIT}" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
    'DROP TRIGGER IF EXISTS editorial_audit_no_delete',
    `CREATE TRIGGER editorial_audit_no_delete BEFORE DELETE ON "${AUDIT}"
       WHEN OLD.created_at > (CAST(strftime('%s', 'now') AS INTEGER) - ${days} * 86400) * 1000
       BEGIN SELECT RAISE(ABORT, 'audit entries are kept for ${days} days'); END`,
  ];
};

/** Serialises the rules' DDL across processes starting at once (an advisory lock id of our own). */
const RULES_LOCK = 0x77740001;

export const ensureDatabaseRules = async (strapi: Core.Strapi, retentionDays: number) => {
  const client = strapi.db.dialect.client;
  // One process at a time: two starting together on PostgreSQL interleaved their DROP and CREATE
  // TRIGGER pairs, and the second CREATE failed ("already exists"), killing that process.
  await strapi.db.connection.transaction(async (trx) => {
    if (client === 'postgres') await trx.raw('SELECT pg_advisory_xact_lock(?)', [RULES_LOCK]);
    for (const sql of statements(client === 'postgres' ? 'postgres' : 'sqlite', retentionDays)) await trx.raw(sql);
  });
};

/**
 * PostgreSQL: a trigram index for the audit search's "contains" (LIKE '%term%'), used for terms of
 * three or more characters. Needs the pg_trgm extension; where the database user may not create
 * it, search still works, by scanning the search table (logged once).
 */
export const ensureAuditSearchIndex = async (strapi: Core.Strapi) => {
  if (strapi.db.dialect.client !== 'postgres') return;
  try {
    await strapi.db.connection.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(?)', [RULES_LOCK]);
      await trx.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await trx.raw(
        `CREATE INDEX IF NOT EXISTS "editorial_audit_search_text_trgm" ON "${SEARCH}" USING gin ("text" gin_trgm_ops)`,
      );
    });
  } catch (error) {
    strapi.log.warn(`Audit search without a trigram index (pg_trgm unavailable): ${(error as Error).message}`);
  }
};
