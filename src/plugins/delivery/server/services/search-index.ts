/**
 * The search index in the database (the SQL is src/lib/search.ts): built once, then kept by
 * triggers on the content tables, so a publish, an unpublish or a delete is in it when its
 * transaction commits, whichever path wrote it (Document Service, seed, bulk insert).
 *
 * Start-up work is bounded: a few catalogue reads when nothing changed. The index is rebuilt (a
 * one-time backfill, one INSERT … SELECT per type inside the database) only when its definition
 * changes: the first start with this code, a searched field or type added or removed. A type whose
 * triggers went missing (SQLite drops them when Strapi rebuilds the table for a schema change) has
 * them recreated and only its own rows backfilled.
 */
import type { Core } from '@strapi/strapi';
import {
  backfillSql,
  clearTypeSql,
  indexSchemaSql,
  indexTables,
  indexSignature,
  SEARCH_META_TABLE,
  SEARCH_TABLE,
  triggerNames,
  triggerSql,
  type Dialect,
  type IndexedType,
} from '../../../../lib/search';

/** What search looks at in each type: its number in the index (never reused), title, and field weights. */
export interface Searchable {
  type: number;
  title: string;
  weights: Record<string, number>;
}

/** Any constant: one process at a time checks or rebuilds the index (PostgreSQL). */
const LOCK = 7_245_001;

export const dialectOf = (strapi: Core.Strapi): Dialect =>
  strapi.db.dialect.client === 'postgres' ? 'postgres' : 'sqlite';

/** The searched types as the index stores them: the title column first, then the other fields in order. */
export const indexedTypes = (strapi: Core.Strapi, searchable: Record<string, Searchable>) =>
  Object.entries(searchable).flatMap(([uid, { type, title, weights }]) => {
    const meta = strapi.db.metadata.get(uid as never) as unknown as
      | { tableName: string; attributes: Record<string, { columnName?: string; type: string }> }
      | undefined;
    if (!meta) return [];
    const fields = [title, ...Object.keys(weights).filter((field) => field !== title)].filter(
      (field) => meta.attributes[field],
    );
    const indexed: IndexedType = {
      type,
      table: meta.tableName,
      columns: fields.map((field) => ({
        name: meta.attributes[field].columnName ?? field,
        rich: ['blocks', 'json'].includes(meta.attributes[field].type),
        weight: weights[field] ?? 1,
      })),
    };
    return [{ uid, fields, indexed }];
  });

/** Rows of a raw query, whichever the database. */
export const rowsOf = <T>(result: unknown): T[] =>
  (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/**
 * pg_trgm on PostgreSQL, created if missing: undefined when it is there, else why not (no
 * privilege). Two sessions creating it at once (two processes starting, or this process's list
 * indexes beside the search index) make one fail with a duplicate key: it is there all the same.
 */
export const ensureTrigram = async (strapi: Core.Strapi): Promise<string | undefined> => {
  const knex = strapi.db.connection;
  const installed = async () =>
    rowsOf(await knex.raw(`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`)).length > 0;
  if (await installed()) return undefined;
  try {
    await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    return undefined;
  } catch (error) {
    return (await installed()) ? undefined : (error as Error).message;
  }
};

/**
 * Creates or checks the index (Strapi's afterSync hook, every start, every process). PostgreSQL
 * without pg_trgm (no privilege to create it) still searches, without the trigram index.
 */
export const ensureSearchIndex = async (strapi: Core.Strapi, searchable: Record<string, Searchable>) => {
  const dialect = dialectOf(strapi);
  const knex = strapi.db.connection;
  const types = indexedTypes(strapi, searchable).map(({ indexed }) => indexed);
  let trigram = false;
  if (dialect === 'postgres') {
    const problem = await ensureTrigram(strapi);
    if (problem) strapi.log.warn(`delivery: search runs without a trigram index (pg_trgm: ${problem})`);
    trigram = !problem;
  }
  const signature = `${indexSignature(dialect, types)}${trigram ? '' : ' without pg_trgm'}`;

  await knex.transaction(async (trx) => {
    const raw = async (sql: string, bindings: unknown[] = []) =>
      rowsOf<Record<string, unknown>>(await trx.raw(sql, bindings as never));
    if (dialect === 'postgres') await raw('SELECT pg_advisory_xact_lock(?)', [LOCK]);
    await raw(`CREATE TABLE IF NOT EXISTS ${SEARCH_META_TABLE} (signature text NOT NULL)`);
    const [stored] = await raw(`SELECT signature FROM ${SEARCH_META_TABLE}`);
    const prefix = `${SEARCH_TABLE.replace(/_/g, '\\_')}\\_%`;
    /** The index's triggers, on whichever table. */
    const ours = async () =>
      (dialect === 'sqlite'
        ? await raw(
            `SELECT name, tbl_name AS tbl FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? ESCAPE '\\'`,
            [prefix],
          )
        : await raw(
            `SELECT t.tgname AS name, c.relname AS tbl FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid ` +
              `WHERE NOT t.tgisinternal AND t.tgname LIKE ? ESCAPE '\\' AND pg_catalog.pg_table_is_visible(c.oid)`,
            [prefix],
          )
      ).map((row) => ({ name: String(row.name), table: String(row.tbl) }));
    const dropTrigger = ({ name, table }: { name: string; table: string }) =>
      raw(dialect === 'sqlite' ? `DROP TRIGGER IF EXISTS "${name}"` : `DROP TRIGGER IF EXISTS "${name}" ON "${table}"`);

    const exists = await trx.schema.hasTable(SEARCH_TABLE);
    if (stored?.signature === signature && exists) {
      const present = await ours();
      for (const t of types) {
        const names = triggerNames(dialect, t);
        if (names.every((name) => present.some((trigger) => trigger.name === name && trigger.table === t.table)))
          continue;
        strapi.log.warn(`delivery: search triggers on ${t.table} were missing; re-indexing its rows`);
        for (const sql of triggerSql(dialect, types, t)) await raw(sql);
        for (const sql of [...clearTypeSql(dialect, t), ...backfillSql(dialect, types, t)]) await raw(sql);
      }
      return;
    }

    const started = Date.now();
    for (const trigger of await ours()) await dropTrigger(trigger); // a type no longer searched too
    if (dialect === 'postgres') {
      // The previous search's trigram indexes on the content tables: nothing reads them now.
      for (const t of types) {
        const old = await raw(`SELECT indexname FROM pg_indexes WHERE tablename = ? AND indexname LIKE ? ESCAPE '\\'`, [
          t.table,
          prefix,
        ]);
        for (const { indexname } of old) await raw(`DROP INDEX IF EXISTS "${String(indexname)}"`);
      }
    }
    for (const name of indexTables(dialect)) await raw(`DROP TABLE IF EXISTS ${name}`);
    for (const sql of indexSchemaSql(dialect, types, trigram)) await raw(sql);
    for (const t of types) {
      for (const sql of triggerSql(dialect, types, t)) await raw(sql);
      for (const sql of backfillSql(dialect, types, t)) await raw(sql);
    }
    // Statistics now, not at autovacuum's next pass: without them the planner reads every row of
    // the locale instead of asking the trigram indexes.
    if (dialect === 'postgres') await raw(`ANALYZE ${SEARCH_TABLE}`);
    await raw(`DELETE FROM ${SEARCH_META_TABLE}`);
    await raw(`INSERT INTO ${SEARCH_META_TABLE} (signature) VALUES (?)`, [signature]);
    const [{ count }] = await raw(`SELECT count(*) AS count FROM ${SEARCH_TABLE}`);
    strapi.log.info(`delivery: search index built (${count} published entries, ${Date.now() - started} ms)`);
  });
};
