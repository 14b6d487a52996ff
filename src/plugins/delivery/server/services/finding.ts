/**
 * Finding content: search across the promotion types, distance filters and GeoJSON, sitemaps.
 * Search is ranked and paged by the database from its index (./search-index.ts); the others read
 * published rows straight from the tables (one query per type).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { boundingBox, pointFeature, withinRadius, type Near } from '../../../../lib/geo';
import {
  candidatePage,
  cappedTotal,
  gramStatistics,
  highlightFields,
  parseQuery,
  plainText,
  probeRows,
  searchSql,
  GRAM_STATS_SQL,
  KEY_SPAN,
  type GramStatistics,
} from '../../../../lib/search';
import {
  absolute,
  buildSitemapIndex,
  childSitemapUrl,
  pageOf,
  pageRange,
  pageRowsOf,
  pageUrls,
  pagesBetween,
  sitemapRequest,
  urlEntries,
  URLSET_HEAD,
  URLSET_TAIL,
  type VersionRow,
} from '../../../../lib/sitemap';
import { SOURCE_LOCALE } from '../../../../lib/locales';
import type { Sites } from './sites';
import { dialectOf, ensureSearchIndex, indexedTypes, rowsOf, type Searchable } from './search-index';

/**
 * What search looks at in each type, and how much a match in each field counts (the title most,
 * then the summary, the body least). `type` is the type's number in the search index: never reuse one.
 */
export const SEARCHABLE: Record<string, Searchable> = {
  'api::project.project': {
    type: 1,
    title: 'title',
    weights: { title: 5, code: 4, summary: 3, seeking: 2, vision: 1, body: 1 },
  },
  'api::park.park': { type: 2, title: 'name', weights: { name: 5, summary: 3, description: 1 } },
  'api::platform.platform': { type: 3, title: 'name', weights: { name: 5, summary: 3, description: 1 } },
  'api::talent.talent': {
    type: 4,
    title: 'title',
    weights: { title: 5, issuingBody: 2, summary: 3, eligibility: 1, body: 1 },
  },
  'api::news.news-article': { type: 5, title: 'title', weights: { title: 5, summary: 3, body: 1 } },
};

/** Types with coordinates. */
export const LOCATED: Record<string, string> = { 'api::project.project': 'title', 'api::park.park': 'name' };

export const MAX_PAGE_SIZE = 50;

/** How long PostgreSQL's gram statistics are used before they are read again. */
const GRAM_STATS_TTL_MS = 10 * 60 * 1000;

/** Rows a sitemap page reads per query. */
const SITEMAP_BATCH = 1000;

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

/** The search index (Strapi's afterSync hook): see ./search-index.ts. */
export const ensureSearchIndexes = (strapi: Core.Strapi) => ensureSearchIndex(strapi, SEARCHABLE);

export const createFinding = (strapi: Core.Strapi, sites: Sites) => {
  const knex = () => strapi.db.connection;

  const table = (uid: string) => tableOf(strapi, uid);
  // The searched types' tables and columns: fixed once Strapi has loaded.
  let searchedTypes: ReturnType<typeof indexedTypes> | undefined;
  const searched = () => (searchedTypes ??= indexedTypes(strapi, SEARCHABLE));

  // PostgreSQL's gram statistics (which short terms are common), read again after GRAM_STATS_TTL_MS:
  // they change only when the table is analysed. A failed read counts every term as rare.
  let gramStats: { read: number; statistics: Promise<GramStatistics> } | undefined;
  const statistics = () => {
    if (!gramStats || Date.now() - gramStats.read > GRAM_STATS_TTL_MS) {
      gramStats = {
        read: Date.now(),
        statistics: knex()
          .raw(GRAM_STATS_SQL)
          .then((result) => gramStatistics(rowsOf<Parameters<typeof gramStatistics>[0]>(result)[0]))
          .catch(() => gramStatistics(undefined)),
      };
    }
    return gramStats.statistics;
  };

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
      const answer = (data: Record<string, unknown>[], counted: number) => {
        const { total, capped } = cappedTotal(counted);
        return {
          data,
          meta: {
            query: q,
            terms,
            locale,
            pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) },
            totalCapped: capped,
          },
        };
      };
      const indexed = searched();
      const asked = indexed.filter(({ uid }) => uids.includes(uid));
      if (!terms.length || !asked.length) return answer([], 0);

      // One query ranks, pages and counts; only the page's rows leave the database.
      const dialect = dialectOf(strapi);
      const probe = dialect === 'postgres' ? probeRows(terms, await statistics()) : 0;
      const ranked = (offset: number, limit: number) => {
        const { sql, bindings } = searchSql(
          dialect,
          indexed.map(({ indexed: t }) => t),
          { terms, locale, types: asked.map(({ indexed: t }) => t), limit, offset, probe },
        );
        return knex()
          .raw(sql, bindings)
          .then((result) =>
            rowsOf<{ row_key: number | string; type: number | string; score: number | string; total: number | string }>(
              result,
            ),
          );
      };
      const window = candidatePage((page - 1) * pageSize, pageSize);
      const rows = window.limit ? await ranked(window.offset, window.limit) : [];
      // Past the last page (or the ranked candidates): no row to carry the count.
      const total = Number((rows[0] ?? (page > 1 ? (await ranked(0, 1))[0] : undefined))?.total ?? 0);

      // The page's entries from their tables (by id, published only): titles, slugs and snippets
      // in their own letter case, rich text as plain text.
      const entries = new Map<string, Record<string, unknown>>();
      for (const { uid, fields, indexed: t } of asked) {
        const ids = rows
          .filter((row) => Number(row.type) === t.type)
          .map((row) => Math.floor(Number(row.row_key) / KEY_SPAN));
        if (!ids.length) continue;
        const table = tableOf(strapi, uid);
        const found = (await knex()(table.name)
          .select([
            'id',
            'document_id as documentId',
            `${table.column('slug')} as slug`,
            ...fields.map((f) => `${table.column(f)} as ${f}`),
          ])
          .whereIn('id', ids)
          .whereNotNull(table.column('publishedAt'))) as Record<string, unknown>[];
        for (const row of found) entries.set(`${t.type}:${row.id}`, { ...row, uid, fields });
      }
      const data = rows.flatMap((row) => {
        // Gone since the ranking (published again or deleted meanwhile): left out of this page.
        const entry = entries.get(`${Number(row.type)}:${Math.floor(Number(row.row_key) / KEY_SPAN)}`);
        if (!entry) return [];
        const uid = entry.uid as string;
        const text = Object.fromEntries((entry.fields as string[]).map((field) => [field, plainText(entry[field])]));
        return [
          {
            type: uid.split('.').pop(),
            collection: sites.segmentOf(uid),
            documentId: entry.documentId,
            locale,
            title: text[SEARCHABLE[uid].title],
            slug: entry.slug ?? null,
            summary: text.summary ?? null,
            score: Number(row.score),
            highlights: highlightFields(text, terms),
          },
        ];
      });
      return answer(data, total);
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

    /**
     * GET /api/sitemap.xml: without `page`, a sitemap index of every enabled site's (or `site`'s)
     * child sitemaps; with `site`, `type` and `page`, that child sitemap (src/lib/sitemap.ts).
     * Either costs the same at 100,000 documents as at 100: the index reads each type's lowest and
     * highest published id and probes each page for a row; a page reads at most its width of rows
     * by primary key, in batches, never the whole table. `apiBase`: where the children are served.
     */
    async sitemap(query: Record<string, unknown>, apiBase: string): Promise<string | Buffer> {
      const request = sitemapRequest(query);
      if ('problem' in request) throw invalidParam(request.problem.path, request.problem.message);
      const width = pageRowsOf(process.env.WUTONG_SITEMAP_PAGE_ROWS);
      const named = request.site;
      const chosen = (named ? [await sites.byName(named)] : await sites.enabled()).filter(
        (site): site is NonNullable<typeof site> => !!site?.enabled,
      );
      if (named && !chosen.length) throw new errors.NotFoundError(`No enabled site named "${named}"`);
      // A site's collection types (a single type's page is the site's own design), by REST segment.
      const typesOf = (site: (typeof chosen)[number]) => {
        const uids = ((site.contentTypes as string[]) ?? []).filter(
          (uid) => (strapi.getModel(uid as never) as { kind?: string } | undefined)?.kind === 'collectionType',
        );
        const shown = uids.map((uid) => ({ uid, segment: sites.segmentOf(uid) }));
        if (request.type === undefined) return shown;
        const one = shown.filter(({ segment }) => segment === request.type);
        if (!one.length) throw new errors.NotFoundError(`The site "${site.name}" shows no "${request.type}"`);
        return one;
      };
      /** Published rows of the type in the site's languages. */
      const rowsOf = (uid: string, locales: string[]) => {
        const t = table(uid);
        return knex()(t.name).whereNotNull(t.column('publishedAt')).whereIn(t.column('locale'), locales);
      };
      const idRange = async (uid: string, locales: string[]) => {
        const [found] = (await rowsOf(uid, locales).min('id as min').max('id as max')) as {
          min: number | string | null;
          max: number | string | null;
        }[];
        return found?.max === null || found?.max === undefined
          ? undefined
          : { min: Number(found.min), max: Number(found.max) };
      };

      if (request.kind === 'index') {
        const locs: string[] = [];
        for (const site of chosen) {
          const locales = (site.locales as string[]) ?? [];
          for (const { uid, segment } of typesOf(site)) {
            const range = await idRange(uid, locales);
            if (!range) continue;
            for (const page of pagesBetween(range.min, range.max, width)) {
              // The first and last hold the lowest and highest id; one in between may have emptied.
              const { after, upTo } = pageRange(page, width);
              const probe = async () =>
                (await rowsOf(uid, locales).where('id', '>', after).andWhere('id', '<=', upTo).first('id')) !==
                undefined;
              const ends = page === pageOf(range.min, width) || page === pageOf(range.max, width);
              if (ends || (await probe())) locs.push(childSitemapUrl(apiBase, site.name, segment, page));
            }
          }
        }
        return buildSitemapIndex(locs);
      }

      const [site] = chosen;
      const [{ uid }] = typesOf(site);
      const locales = (site.locales as string[]) ?? [];
      const range = await idRange(uid, locales);
      if (!range || request.page > pageOf(range.max, width))
        throw new errors.NotFoundError(`No sitemap page ${request.page} of "${request.type}" on "${site.name}"`);
      const t = table(uid);
      const columns = [
        'id',
        'document_id as documentId',
        'locale',
        `${t.column('slug')} as slug`,
        `${t.column('updatedAt')} as updatedAt`,
      ];
      const href = (row: VersionRow) =>
        absolute(site.baseUrl, sites.path(site, uid, row.locale, row.slug, row.documentId));
      const { after, upTo } = pageRange(request.page, width);
      // In batches by id (keyset), each written out as bytes at once: the heap holds one batch.
      const parts: Buffer[] = [Buffer.from(URLSET_HEAD)];
      for (let from = after; ; ) {
        const rows = (await rowsOf(uid, locales)
          .select(columns)
          .where('id', '>', from)
          .andWhere('id', '<=', upTo)
          .orderBy('id')
          .limit(SITEMAP_BATCH)) as (VersionRow & { id: number | string })[];
        if (!rows.length) break;
        const versions = new Map<string, VersionRow[]>();
        const documentIds = [...new Set(rows.map((row) => row.documentId))];
        for (const version of (await rowsOf(uid, locales)
          .select(columns)
          .whereIn('document_id', documentIds)) as VersionRow[]) {
          versions.set(version.documentId, [...(versions.get(version.documentId) ?? []), version]);
        }
        parts.push(Buffer.from(urlEntries(pageUrls(rows, versions, { href, locales, sourceLocale: SOURCE_LOCALE }))));
        if (rows.length < SITEMAP_BATCH) break;
        from = Number(rows[rows.length - 1].id);
      }
      parts.push(Buffer.from(URLSET_TAIL));
      return Buffer.concat(parts);
    },
  };
};

export type Finding = ReturnType<typeof createFinding>;
