/**
 * Locale fallback on the public API (src/lib/fallback.ts): for each document, the version in the
 * first language of the chain that has one. Lists stay correctly filtered and paginated because
 * the choice is made in the database, as a restriction on which rows the normal query may return.
 */
import type { Core } from '@strapi/strapi';

type Knex = Core.Strapi['db']['connection'];

/** Row ids of the best available version of every document, for a locale chain. */
export const chosenRowIds = async (
  strapi: Core.Strapi,
  uid: string,
  chain: string[],
  status: 'draft' | 'published',
) => {
  const table = strapi.db.metadata.get(uid).tableName;
  const knex: Knex = strapi.db.connection;
  const rank = (alias: string) => `CASE ${chain.map(() => `WHEN ${alias}.locale = ? THEN ?`).join(' ')} END`;
  const rankBindings = chain.flatMap((code, index) => [code, index]);
  const inState = (query: ReturnType<Knex>, alias: string) =>
    status === 'published' ? query.whereNotNull(`${alias}.published_at`) : query.whereNull(`${alias}.published_at`);

  const rows = (await inState(knex(`${table} as p`).select('p.id'), 'p')
    .whereIn('p.locale', chain)
    .whereNotExists(function better(this: ReturnType<Knex>) {
      inState(this.select(knex.raw('1')).from(`${table} as q`), 'q')
        .whereRaw('q.document_id = p.document_id')
        .whereIn('q.locale', chain)
        .whereRaw(`${rank('q')} < ${rank('p')}`, [...rankBindings, ...rankBindings]);
    })) as { id: number }[];
  return rows.map(({ id }) => id);
};

/** The locale to serve one document in: the first of the chain that has a version, if any. */
export const chosenLocale = async (
  strapi: Core.Strapi,
  uid: string,
  documentId: string,
  chain: string[],
  status: 'draft' | 'published',
) => {
  const rows = (await strapi.db.query(uid as never).findMany({
    where: { documentId, locale: { $in: chain }, publishedAt: status === 'published' ? { $notNull: true } : null },
    select: ['locale'],
  })) as { locale: string }[];
  return chain.find((code) => rows.some(({ locale }) => locale === code));
};
