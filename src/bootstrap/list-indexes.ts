/**
 * An index for the public lists: published rows of one language in id order (Strapi's default
 * sort), and their count for `meta.pagination.total`. Without it PostgreSQL counts by reading the
 * whole table, drafts and every language included: 7-14 ms per request at 2,000 projects, on the
 * same cores as Node (docs/benchmarks.md). Partial, so drafts cost nothing to keep in it.
 */
import type { Core } from '@strapi/strapi';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const registerListIndexes = (strapi: Core.Strapi) => {
  strapi.hook('strapi::content-types.afterSync').register(async () => {
    for (const contentType of Object.values(strapi.contentTypes)) {
      if (!contentType.uid.startsWith('api::') || contentType.options?.draftAndPublish !== true) continue;
      const localized = (contentType.pluginOptions as { i18n?: { localized?: boolean } })?.i18n?.localized === true;
      const table = strapi.db.metadata.get(contentType.uid).tableName;
      const columns = [...(localized ? ['locale'] : []), 'id'].map(quote).join(', ');
      await strapi.db.connection.raw(
        `CREATE INDEX IF NOT EXISTS ${quote(`${table}_published_list_idx`)} ON ${quote(table)} (${columns}) ` +
          `WHERE ${quote('published_at')} IS NOT NULL`,
      );
    }
  });
};
