/**
 * Finding content: search across the promotion types, distance filters and GeoJSON, sitemaps.
 * Reads published rows straight from the tables (one query per type), so these endpoints cost
 * the same whatever the page size.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { boundingBox, pointFeature, withinRadius, type Near } from '../../../../lib/geo';
import { likePattern, parseQuery, plainText, scoreEntry, type FieldWeights } from '../../../../lib/search';
import { absolute, buildSitemap, type SitemapUrl } from '../../../../lib/sitemap';
import { SOURCE_LOCALE } from '../../../../lib/locales';
import type { Sites } from './sites';

/** What search looks at in each type, and how much a match in each field counts. */
export const SEARCHABLE: Record<string, { title: string; weights: FieldWeights }> = {
  'api::project.project': {
    title: 'title',
    weights: { title: 5, code: 4, summary: 3, seeking: 2, vision: 1, body: 1 },
  },
  'api::park.park': { title: 'name', weights: { name: 5, summary: 3, description: 1 } },
  'api::platform.platform': { title: 'name', weights: { name: 5, summary: 3, description: 1 } },
  'api::talent.talent': { title: 'title', weights: { title: 5, issuingBody: 2, summary: 3, eligibility: 1, body: 1 } },
  'api::news.news-article': { title: 'title', weights: { title: 5, summary: 3, body: 1 } },
};

/** Types with coordinates. */
export const LOCATED: Record<string, string> = { 'api::project.project': 'title', 'api::park.park': 'name' };

const CANDIDATES_PER_TYPE = 1000;
export const MAX_PAGE_SIZE = 50;

/** A 400 naming the query parameter at fault, in Strapi's error format. */
export const invalidParam = (path: string, message: string) =>
  new errors.ValidationError(message, { errors: [{ path: [path], message, name: 'ValidationError' }] });

/** A type's table: its name, and each attribute's column and type. */
const tableOf = (strapi: Core.Strapi, uid: string) => {
  const meta = strapi.db.metadata.get(uid as never) as unknown as {
    tableName: string;
    attributes: Record<string, { columnName?: string; type: string }>;
  };
  const column = (name: string) => meta.attributes[name]?.columnName ?? name;
  return { name: meta.tableName, column, type: (name: string) => meta.attributes[name]?.type };
};

/**
 * The SQL expression search matches a field with; rich text (blocks, json) as its JSON text on
 * PostgreSQL, where the trigram index is on that same expression.
 */
const searchedText = (t: ReturnType<typeof tableOf>, field: string, postgres: boolean) => {
  const column = `"${t.column(field)}"`;
  return postgres && ['blocks', 'json'].includes(t.type(field) as string) ? `${column}::text` : column;
};

/**
 * PostgreSQL: trigram (pg_trgm) GIN indexes on every searched column, so that the search's
 * `ILIKE '%…%'` is answered from an index; trigrams work on Chinese text, which has no word
 * boundaries. Without the extension (no privilege to create it) search still works, unindexed.
 */
export const ensureSearchIndexes = async (strapi: Core.Strapi) => {
  if (strapi.db.dialect.client !== 'postgres') return;
  const knex = strapi.db.connection;
  try {
    await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  } catch (error) {
    strapi.log.warn(`delivery: search runs without trigram indexes (pg_trgm: ${(error as Error).message})`);
    return;
  }
  for (const [uid, { weights }] of Object.entries(SEARCHABLE)) {
    const t = tableOf(strapi, uid);
    for (const field of Object.keys(weights)) {
      if (!t.type(field)) continue;
      const name = `wutong_search_${t.name}_${t.column(field)}`.slice(0, 63);
      await knex.raw(
        `CREATE INDEX IF NOT EXISTS "${name}" ON "${t.name}" USING gin ((${searchedText(t, field, true)}) gin_trgm_ops)`,
      );
    }
  }
};

export const createFinding = (strapi: Core.Strapi, sites: Sites) => {
  const postgres = strapi.db.dialect.client === 'postgres';
  const knex = () => strapi.db.connection;

  const table = (uid: string) => tableOf(strapi, uid);

  /** Published rows of a type in a locale. */
  const published = (uid: string, locale: string) => {
    const t = table(uid);
    return knex()(t.name).whereNotNull(t.column('publishedAt')).where(t.column('locale'), locale);
  };

  /** The REST segments (projects, news) → uid, for the `types` parameter. */
  const typesParam = (value: unknown, allowed: string[]) => {
    if (value === undefined || value === '') return allowed;
    const bySegment = Object.fromEntries(allowed.map((uid) => [sites.segmentOf(uid), uid]));
    const wanted = String(value)
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const unknown = wanted.filter((segment) => !bySegment[segment]);
    if (unknown.length) {
      throw invalidParam('types', `Unknown type(s) ${unknown.join(', ')}: use ${Object.keys(bySegment).join(', ')}`);
    }
    return wanted.map((segment) => bySegment[segment]);
  };

  const localeParam = async (value: unknown) => {
    const locale = value === undefined || value === '' ? SOURCE_LOCALE : String(value);
    const known = await strapi.db.query('plugin::i18n.locale').findOne({ where: { code: locale }, select: ['code'] });
    if (!known) throw invalidParam('locale', `Unknown locale "${locale}"`);
    return locale;
  };

  const pageParams = (page: unknown, pageSize: unknown) => {
    const p = page === undefined ? 1 : Number(page);
    const size = pageSize === undefined ? 10 : Number(pageSize);
    if (!Number.isInteger(p) || p < 1) throw invalidParam('page', 'page must be a whole number from 1');
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
      throw invalidParam('pageSize', `pageSize must be 1…${MAX_PAGE_SIZE}`);
    return { page: p, pageSize: size };
  };

  return {
    /** GET /api/search?q=&locale=&types=&page=&pageSize= */
    async search(query: Record<string, unknown>) {
      const q = typeof query.q === 'string' ? query.q.trim() : '';
      if (!q) throw invalidParam('q', 'q (the words to search for) is required');
      const terms = parseQuery(q);
      const locale = await localeParam(query.locale);
      const uids = typesParam(query.types, Object.keys(SEARCHABLE));
      const { page, pageSize } = pageParams(query.page, query.pageSize);
      const like = postgres ? 'ILIKE' : 'LIKE';
      const hits: Record<string, unknown>[] = [];
      for (const uid of uids) {
        const { title, weights } = SEARCHABLE[uid];
        const t = table(uid);
        const fields = Object.keys(weights);
        const rows = (await published(uid, locale)
          .select([
            'document_id as documentId',
            `${t.column('slug')} as slug`,
            `${t.column('updatedAt')} as updatedAt`,
            ...fields.map((f) => `${t.column(f)} as ${f}`),
          ])
          .where((all) => {
            for (const term of terms) {
              all.andWhere((any) => {
                for (const field of fields)
                  any.orWhereRaw(`${searchedText(t, field, postgres)} ${like} ? ESCAPE '\\'`, [likePattern(term)]);
              });
            }
          })
          .limit(CANDIDATES_PER_TYPE)) as Record<string, unknown>[];
        for (const row of rows) {
          // Rich text matched as JSON text: confirm on its words (a match in markup does not count).
          const text = Object.fromEntries(fields.map((field) => [field, plainText(row[field])]));
          const scored = scoreEntry(text, terms, weights, title);
          if (!scored) continue;
          hits.push({
            type: uid.split('.').pop(),
            collection: sites.segmentOf(uid),
            documentId: row.documentId,
            locale,
            title: text[title],
            slug: row.slug ?? null,
            summary: text.summary ?? null,
            score: scored.score,
            highlights: scored.highlights,
          });
        }
      }
      hits.sort((a, b) => (b.score as number) - (a.score as number) || String(a.title).localeCompare(String(b.title)));
      return {
        data: hits.slice((page - 1) * pageSize, page * pageSize),
        meta: {
          query: q,
          terms,
          locale,
          pagination: { page, pageSize, total: hits.length, pageCount: Math.ceil(hits.length / pageSize) },
        },
      };
    },

    /** Located, published entries of a type within the radius, nearest first. */
    async near(uid: string, locale: string, near: Near) {
      const t = table(uid);
      const box = boundingBox(near);
      const rows = (await published(uid, locale)
        .select([
          'document_id as documentId',
          `${t.column('latitude')} as latitude`,
          `${t.column('longitude')} as longitude`,
        ])
        .whereBetween(t.column('latitude'), [box.minLat, box.maxLat])
        .whereBetween(t.column('longitude'), [box.minLng, box.maxLng])) as {
        documentId: string;
        latitude: number;
        longitude: number;
      }[];
      return withinRadius(rows, near).map(({ row, distanceKm }) => ({ documentId: row.documentId, distanceKm }));
    },

    /** GET /api/geo: a GeoJSON FeatureCollection of located projects and parks. */
    async geojson(query: Record<string, unknown>, near?: Near) {
      const locale = await localeParam(query.locale);
      const uids = typesParam(query.types, Object.keys(LOCATED));
      const features = [];
      for (const uid of uids) {
        const t = table(uid);
        const titleField = LOCATED[uid];
        const kind = t.type('kind') ? [`${t.column('kind')} as kind`] : [];
        const rows = (await published(uid, locale)
          .select([
            'document_id as documentId',
            `${t.column(titleField)} as title`,
            `${t.column('slug')} as slug`,
            `${t.column('latitude')} as latitude`,
            `${t.column('longitude')} as longitude`,
            `${t.column('coordinatesApproximate')} as approximate`,
            ...kind,
          ])
          .whereNotNull(t.column('latitude'))
          .whereNotNull(t.column('longitude'))
          .orderBy(t.column(titleField))) as Record<string, never>[];
        const distances = near
          ? new Map((await this.near(uid, locale, near)).map(({ documentId, distanceKm }) => [documentId, distanceKm]))
          : undefined;
        for (const row of rows) {
          if (distances && !distances.has(row.documentId)) continue;
          features.push(
            pointFeature(`${sites.segmentOf(uid)}/${row.documentId}`, row.latitude, row.longitude, {
              type: uid.split('.').pop(),
              collection: sites.segmentOf(uid),
              documentId: row.documentId,
              locale,
              title: row.title,
              slug: row.slug,
              kind: row.kind ?? null,
              coordinatesApproximate: !!row.approximate,
              ...(distances ? { distanceKm: distances.get(row.documentId) } : {}),
            }),
          );
        }
      }
      return { type: 'FeatureCollection', features };
    },

    /** GET /api/sitemap.xml[?site=name]: every published page of every (or one) site, with its language versions. */
    async sitemap(siteName?: string) {
      const chosen = siteName ? [await sites.byName(siteName)].filter((site) => site?.enabled) : await sites.enabled();
      if (siteName && !chosen.length) throw new errors.NotFoundError(`No enabled site named "${siteName}"`);
      const urls: SitemapUrl[] = [];
      for (const site of chosen) {
        if (!site) continue;
        const locales = (site.locales as string[]) ?? [];
        for (const uid of (site.contentTypes as string[]) ?? []) {
          const model = strapi.getModel(uid as never) as { kind?: string } | undefined;
          if (model?.kind !== 'collectionType') continue; // a single type's page is the site's own design
          const t = table(uid);
          const rows = (await knex()(t.name)
            .select([
              'document_id as documentId',
              'locale',
              `${t.column('slug')} as slug`,
              `${t.column('updatedAt')} as updatedAt`,
            ])
            .whereNotNull(t.column('publishedAt'))
            .whereIn('locale', locales)
            .orderBy('document_id')) as {
            documentId: string;
            locale: string;
            slug: string | null;
            updatedAt: string | number | Date;
          }[];
          const byDocument = new Map<string, typeof rows>();
          for (const row of rows) byDocument.set(row.documentId, [...(byDocument.get(row.documentId) ?? []), row]);
          for (const versions of byDocument.values()) {
            const href = (row: (typeof rows)[number]) =>
              absolute(site.baseUrl, sites.path(site, uid, row.locale, row.slug, row.documentId));
            const alternates = versions.map((row) => ({ hreflang: row.locale, href: href(row) }));
            const source = versions.find((row) => row.locale === SOURCE_LOCALE) ?? versions[0];
            alternates.push({ hreflang: 'x-default', href: href(source) });
            for (const row of versions) {
              urls.push({ loc: href(row), lastmod: new Date(row.updatedAt).toISOString(), alternates });
            }
          }
        }
      }
      return buildSitemap(urls);
    },
  };
};

export type Finding = ReturnType<typeof createFinding>;
