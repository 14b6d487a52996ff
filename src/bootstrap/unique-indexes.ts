/**
 * Creates the partial unique indexes of src/lib/unique.ts after every schema sync. Strapi keeps
 * indexes it did not create, so this only adds what is missing (e.g. after a new content type).
 */
import type { Core } from '@strapi/strapi';
import { createIndexSql, uniqueIndexes, type UniqueIndex } from '../lib/unique';

let cached: UniqueIndex[] | undefined;

export const uniqueIndexesOf = (strapi: Core.Strapi): UniqueIndex[] => {
  cached ??= Object.values(strapi.contentTypes)
    .filter((contentType) => contentType.uid.startsWith('api::'))
    .flatMap((contentType) => {
      const meta = strapi.db.metadata.get(contentType.uid);
      const attributes = Object.fromEntries(
        Object.entries(contentType.attributes as Record<string, { type: string; unique?: boolean }>).map(
          ([name, attribute]) => [
            name,
            {
              type: attribute.type,
              unique: attribute.unique,
              column: (meta.attributes[name] as { columnName?: string })?.columnName ?? name,
            },
          ],
        ),
      );
      return uniqueIndexes({
        table: meta.tableName,
        localized: (contentType.pluginOptions as { i18n?: { localized?: boolean } })?.i18n?.localized === true,
        draftAndPublish: contentType.options?.draftAndPublish === true,
        attributes,
      });
    });
  return cached;
};

export const registerUniqueIndexes = (strapi: Core.Strapi) => {
  strapi.hook('strapi::content-types.afterSync').register(async () => {
    cached = undefined;
    for (const index of uniqueIndexesOf(strapi)) {
      try {
        await strapi.db.connection.raw(createIndexSql(index));
      } catch (error) {
        throw new Error(
          `Could not enforce unique ${index.attribute} on ${index.table} (${index.state} rows): ` +
            `the database already holds duplicates. Rename them, then restart. ${(error as Error).message}`,
        );
      }
    }
  });
};
