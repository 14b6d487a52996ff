/**
 * The public read path's defaults: what each type populates when a client sends no `populate`.
 *
 * Kept lean and explicit: `populate=*` drags in every other locale (80 KB for 25 items), so
 * relations bring only the fields a card or link needs, and lists skip what only a detail page
 * shows. A client's own `populate` is always respected as sent.
 */
import { asksPreview, canonicalQuery, parseQuery, type ParsedQuery } from './public-query';

type Populate = Record<string, true | { fields?: string[]; populate?: Populate }>;

const LINK = (...fields: string[]) => ({ fields });
// An image component: the file, with this language's alt text, caption and credit.
const IMAGE = { populate: { image: LINK('url', 'width', 'height', 'formats') } };

const LIST: Record<string, Populate> = {
  'api::project.project': {
    location: true,
    highlights: true,
    industries: LINK('name', 'slug'),
    park: LINK('name', 'slug'),
    cover: IMAGE,
  },
  'api::park.park': {
    location: true,
    keyFigures: true,
    accreditations: true,
    focusIndustries: LINK('name', 'slug'),
    cover: IMAGE,
  },
  'api::platform.platform': {
    highlights: true,
    partners: LINK('name', 'shortName', 'slug'),
    researchFields: LINK('name', 'slug'),
    park: LINK('name', 'slug'),
    cover: IMAGE,
  },
  'api::talent.talent': { benefits: true, keyFigures: true, cover: IMAGE },
  'api::news.news-article': {
    cover: IMAGE,
    relatedProjects: LINK('title', 'slug'),
    relatedParks: LINK('name', 'slug'),
    relatedPlatforms: LINK('name', 'slug'),
    relatedTalents: LINK('title', 'slug'),
  },
  'api::organization.organization': { highlights: true },
  'api::district-profile.district-profile': { figures: true, actions: true, achievements: true, seo: true },
};

/** What a detail page needs on top of the list populate. */
const DETAIL_EXTRA: Record<string, Populate> = {
  'api::project.project': { gallery: IMAGE, seo: true },
  'api::park.park': {
    gallery: IMAGE,
    projects: LINK('title', 'slug', 'kind'),
    platforms: LINK('name', 'slug', 'kind'),
    seo: true,
  },
  'api::platform.platform': { seo: true },
  'api::talent.talent': { seo: true },
  'api::news.news-article': { seo: true },
};

/** The REST path segment of a content type: `projects`, `news`; a single type's is singular (`district-profile`). */
export const restSegment = ({ kind, info }: { kind: string; info: { singularName: string; pluralName: string } }) =>
  kind === 'singleType' ? info.singularName : info.pluralName;

export const defaultPopulate = (uid: string, detail: boolean): Populate | undefined => {
  const list = LIST[uid];
  if (!list) return undefined;
  return detail ? { ...list, ...DETAIL_EXTRA[uid] } : list;
};

export interface ContentRoute {
  uid: string;
  detail: boolean;
  /** the documentId in /api/projects/:documentId */
  documentId?: string;
}

export interface RouteTable {
  prefix: string;
  /** path segment (plural name, or singular name for a single type) → uid and kind */
  segments: Record<string, { uid: string; kind: 'collectionType' | 'singleType' }>;
}

interface ModelInfo {
  uid: string;
  kind: string;
  info: { singularName: string; pluralName: string };
}

/** The content API's routes: one segment per api:: type (built once, from Strapi's content types). */
export const routeTableOf = (prefix: string, models: Iterable<ModelInfo>): RouteTable => ({
  prefix,
  segments: Object.fromEntries(
    [...models]
      .filter(({ uid }) => uid.startsWith('api::'))
      .map((model) => [restSegment(model), { uid: model.uid, kind: model.kind as 'collectionType' | 'singleType' }]),
  ),
});

const decoded = (part: string) => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/**
 * Maps `/api/projects` and `/api/projects/:documentId` to the content type they serve, in every
 * spelling Strapi's router accepts (it matches case-insensitively, with or without a trailing
 * slash): the public path's rules must see every request the content API answers.
 */
export const matchContentRoute = (path: string, table: RouteTable): ContentRoute | undefined => {
  const prefix = `${table.prefix.toLowerCase()}/`;
  if (!path.toLowerCase().startsWith(prefix)) return undefined;
  const parts = path.slice(prefix.length).split('/').filter(Boolean).map(decoded);
  const target = parts[0] ? table.segments[parts[0].toLowerCase()] : undefined;
  if (!target) return undefined;
  if (target.kind === 'singleType') return parts.length === 1 ? { uid: target.uid, detail: true } : undefined;
  if (parts.length === 1) return { uid: target.uid, detail: false };
  if (parts.length === 2) return { uid: target.uid, detail: true, documentId: parts[1] };
  return undefined;
};

/** What the read path decided about one request, once (src/plugins/delivery/server/services/read-path.ts). */
export interface PublicRead {
  /** The content route, in whatever spelling the router accepts; undefined for other paths. */
  route?: ContentRoute;
  /** The query as Strapi parses it (qs with its settings), parsed once. */
  query: ParsedQuery;
  /**
   * The response cache key, undefined when not cacheable: only anonymous GETs under the prefix
   * as written (search, map and sitemap too), never previews (`%70review=` too). The path as
   * sent, then the canonical query: spellings Strapi reads alike share a key (`?b=1&a=2` ≡
   * `?a=2&b=1`), queries it reads differently never do (`sort=a&sort=b` ≢ `sort=b&sort=a`).
   */
  cacheKey?: string;
}

/**
 * The read path's one decision about a request: which content route it is, its parsed query,
 * whether and under which key it is cacheable. `path` and `querystring` as Koa reads them (so as
 * the router routes). Undefined when the read path has nothing to do with the request (not a GET
 * or HEAD; not a content route and not cacheable).
 */
export const decidePublicRead = (
  request: { method?: string; path: string; querystring: string; authorization?: string },
  table: RouteTable,
): PublicRead | undefined => {
  const { method, path, querystring, authorization } = request;
  // HEAD too: the router answers it with the GET route (its Content-Length tells as much as a body).
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const route = matchContentRoute(path, table);
  const cacheable = method === 'GET' && !authorization && path.startsWith(`${table.prefix}/`);
  if (!route && !cacheable) return undefined;
  const query = querystring ? parseQuery(querystring) : {};
  if (!cacheable || asksPreview(query)) return { route, query };
  const canonical = canonicalQuery(query);
  return { route, query, cacheKey: canonical ? `${path}?${canonical}` : path };
};

/** What one page of a list read: where it started, how many it asked for, how many it got. */
export interface PageRead {
  start: number;
  limit?: number;
  rows: number;
}

// Parameters that shape a page, not which rows match.
const PAGE_SHAPING = new Set(['page', 'pageSize', 'start', 'limit', 'pagination', 'populate', 'fields', 'sort']);

/** Document Service parameters (page/pageSize or start/limit) → the page's start and limit. */
export const pageOf = (params: Record<string, unknown>): Omit<PageRead, 'rows'> => {
  if (params.page !== undefined || params.pageSize !== undefined) {
    const pageSize = Number(params.pageSize ?? 25);
    return { start: (Math.max(1, Number(params.page ?? 1)) - 1) * pageSize, limit: pageSize };
  }
  const limit = params.limit === undefined || Number(params.limit) < 0 ? undefined : Number(params.limit);
  return { start: Number(params.start ?? 0), limit };
};

/** Which rows a read matches, whatever page of them it asks for: equal for a list and its count. */
export const matchSignature = (params: Record<string, unknown>): string =>
  JSON.stringify(
    Object.keys(params)
      .filter((name) => !PAGE_SHAPING.has(name))
      .sort()
      .map((name) => [name, params[name]]),
  );

/**
 * The total of a list known from one of its pages, without counting: a page that came back short
 * ended the list (an empty page past the start says nothing).
 */
export const totalFromPage = ({ start, limit, rows }: PageRead): number | undefined =>
  (limit === undefined || rows < limit) && (rows > 0 || start === 0) ? start + rows : undefined;
