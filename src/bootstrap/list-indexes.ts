/**
 * Indexes for the public lists: published rows of one language in id order (Strapi's default
 * sort, and the tie-breaker it appends to every paginated sort), and their count for
 * `meta.pagination.total`. Without it PostgreSQL counts by reading the whole table, drafts and
 * every language included: 7-14 ms per request at 2,000 projects, on the same cores as Node
 * (docs/benchmarks.md). Partial, so drafts cost nothing to keep in them.
 *
 * And one per attribute the public API may filter or sort on (src/lib/public-query.ts allows
 * every public scalar attribute): (locale, attribute, id) on published rows, so that an equality
 * or range filter, or a sort, reads only the rows of the page it answers, not the whole table.
 * Long text (text, richtext, blocks, json) is left out: a B-tree cannot hold any length of it
 * (PostgreSQL refuses entries over 2.7 kB), and filters on it (`$contains`) cannot use one.
 * Relations are joined through Strapi's link tables, whose foreign-key columns Strapi indexes
 * itself; the filter on the related type then uses that type's own indexes here.
 *
 * On PostgreSQL (with pg_trgm), a trigram index per text attribute on the very expression
 * Strapi's `$containsi` compares (`LOWER(CAST(col AS VARCHAR)) LIKE LOWER('%…%')`), published rows
 * only: a search box's filter with few or no hits is then an index probe, not a scan of every
 * row (drafts and all languages). Terms under three characters have no trigram and still scan.
 * Beside each, statistics on the expression: without them the planner guesses a few per cent of
 * rows match any pattern and, at 100,000 projects, counted a no-hit filter by reading every row
 * of the language's B-tree (313 ms) instead of probing the trigram index (0.2 ms).
 */
import type { Core } from '@strapi/strapi';
import { ensureTrigram } from '../plugins/delivery/server/services/search-index';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Attribute types worth an index: what the allow-list filters and sorts with a B-tree's help. */
const INDEXED_TYPES = new Set([
  'string',
  'uid',
  'email',
  'enumeration',
  'integer',
  'biginteger',
  'decimal',
  'float',
  'boolean',
  'date',
  'datetime',
  'timestamp',
  'time',
]);
/** Attribute types whose `$containsi` filter a trigram index serves (long text included: GIN has no size limit). */
const CONTAINS_TYPES = new Set(['string', 'text', 'richtext', 'email', 'uid']);
/** Strapi's own columns a public query may filter or sort on (id: the list index above). */
const SYSTEM_COLUMNS = ['document_id', 'created_at', 'updated_at', 'published_at'];

/** PostgreSQL cuts identifiers at 63 bytes: longer names get a short hash instead of their tail. */
const indexName = (table: string, column: string, kind = 'pub', suffix = 'idx') => {
  const name = `${table}_${kind}_${column}_${suffix}`;
  if (name.length <= 63) return name;
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return `${name.slice(0, 50)}_${(hash >>> 0).toString(36)}`;
};

export const registerListIndexes = (strapi: Core.Strapi) => {
  strapi.hook('strapi::content-types.afterSync').register(async () => {
    const postgres = strapi.db.dialect.client === 'postgres';
    const problem = postgres ? await ensureTrigram(strapi) : undefined;
    if (problem) strapi.log.warn(`list indexes: no trigram indexes for $containsi (pg_trgm: ${problem})`);
    const trigram = postgres && !problem;
    // The expression statistics already made (one read, not one per column).
    const statisticsMade = new Set<string>(
      trigram
        ? (
            (await strapi.db.connection.raw('SELECT stxname FROM pg_statistic_ext')) as { rows: { stxname: string }[] }
          ).rows.map(({ stxname }) => stxname)
        : [],
    );
    for (const contentType of Object.values(strapi.contentTypes)) {
      if (!contentType.uid.startsWith('api::') || contentType.options?.draftAndPublish !== true) continue;
      const localized = (contentType.pluginOptions as { i18n?: { localized?: boolean } })?.i18n?.localized === true;
      const meta = strapi.db.metadata.get(contentType.uid);
      const table = meta.tableName;
      const published = `WHERE ${quote('published_at')} IS NOT NULL`;
      const lead = localized ? [quote('locale')] : [];
      const columns = [...lead, quote('id')].join(', ');
      await strapi.db.connection.raw(
        `CREATE INDEX IF NOT EXISTS ${quote(`${table}_published_list_idx`)} ON ${quote(table)} (${columns}) ${published}`,
      );
      const attributeColumns = Object.entries(contentType.attributes as Record<string, { type: string }>)
        // `locale` leads every index already.
        .filter(([name, attribute]) => INDEXED_TYPES.has(attribute.type) && name !== 'locale')
        .map(([name]) => (meta.attributes[name] as { columnName?: string } | undefined)?.columnName ?? name);
      for (const column of new Set([...SYSTEM_COLUMNS, ...attributeColumns])) {
        await strapi.db.connection.raw(
          `CREATE INDEX IF NOT EXISTS ${quote(indexName(table, column))} ON ${quote(table)} ` +
            `(${[...lead, quote(column), quote('id')].join(', ')}) ${published}`,
        );
      }
      if (!trigram) continue;
      // Not `locale` (equality only) nor private attributes (the public API cannot filter on them).
      const textColumns = Object.entries(contentType.attributes as Record<string, { type: string; private?: boolean }>)
        .filter(([name, attribute]) => CONTAINS_TYPES.has(attribute.type) && name !== 'locale' && !attribute.private)
        .map(([name]) => (meta.attributes[name] as { columnName?: string } | undefined)?.columnName ?? name);
      let newStatistics = false;
      for (const column of textColumns) {
        // The expression as Strapi writes it (@strapi/database query/helpers/where.js fieldLowerFn).
        const expression = `LOWER(CAST(${quote(column)} AS VARCHAR))`;
        await strapi.db.connection.raw(
          `CREATE INDEX IF NOT EXISTS ${quote(indexName(table, column, 'trgm'))} ON ${quote(table)} ` +
            `USING gin ((${expression}) gin_trgm_ops) ${published}`,
        );
        const statistics = indexName(table, column, 'lower', 'stx');
        if (statisticsMade.has(statistics)) continue;
        await strapi.db.connection.raw(
          `CREATE STATISTICS ${quote(statistics)} ON (${expression}) FROM ${quote(table)}`,
        );
        newStatistics = true;
      }
      // Statistics objects are empty until the table is analysed: once, when they are new.
      if (newStatistics) await strapi.db.connection.raw(`ANALYZE ${quote(table)}`);
    }
  });
};
