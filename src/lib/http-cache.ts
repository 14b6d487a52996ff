/**
 * HTTP caching of public responses: strong ETags, conditional requests, cache headers, the cache
 * key, and the tags a response is filed under so that a publish drops exactly what it changed.
 */
import { createHash } from 'crypto';
import { decidePublicRead } from './public-api';

/** A strong ETag: the response bytes' digest. */
export const etagOf = (body: Buffer | string): string => `"${createHash('sha1').update(body).digest('base64url')}"`;

/** Does If-None-Match name this ETag (or *)? */
export const notModified = (ifNoneMatch: string | undefined, etag: string): boolean => {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
};

export interface CacheSettings {
  sMaxAge: number;
  staleWhileRevalidate: number;
}

/** Shared caches (CDNs) keep a public response briefly and may serve it stale while refetching. */
export const publicCacheControl = ({ sMaxAge, staleWhileRevalidate }: CacheSettings) =>
  `public, max-age=0, s-maxage=${sMaxAge}, stale-while-revalidate=${staleWhileRevalidate}`;

export const VARY = 'Origin, Accept-Encoding, Authorization';

/**
 * The cache key of a request (`url` as sent), or undefined when it is not cacheable: see
 * PublicRead.cacheKey (src/lib/public-api.ts), which this is.
 */
export const requestCacheKey = (
  method: string | undefined,
  url: string | undefined,
  authorization: string | undefined,
  prefix = '/api/',
): string | undefined => {
  if (!url) return undefined;
  const at = url.indexOf('?');
  const request = {
    method,
    authorization,
    path: at < 0 ? url : url.slice(0, at),
    querystring: at < 0 ? '' : url.slice(at + 1),
  };
  return decidePublicRead(request, { prefix: prefix.replace(/\/$/, ''), segments: {} })?.cacheKey;
};

/** Tags of every document a response body contains, however deeply (relations, components). */
export const documentTags = (body: unknown): string[] => {
  const tags = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      if (key === 'documentId' && typeof item === 'string') tags.add(`doc:${item}`);
      else if (item && typeof item === 'object') walk(item);
    }
  };
  walk(body);
  return [...tags];
};

export const typeTag = (uid: string) => `type:${uid}`;
export const docTag = (documentId: string) => `doc:${documentId}`;

/**
 * A stored answer's headers, as the slow path (Koa and Strapi's middlewares) sent them: names as
 * written, in their order, as flat name, value lists around the place where the per-client
 * headers (CORS, rate limits) go; `X-Cache: HIT` right before Content-Length.
 */
export interface StoredHead {
  before: string[];
  after: string[];
}

// Set per request, client or connection: never replayed (the per-client ones are recomputed).
const PER_CLIENT = /^(access-control-|x-ratelimit-|retry-after$)/i;
const PER_REQUEST = /^(x-cache|set-cookie|date|connection|keep-alive|transfer-encoding|x-response-time)$/i;

/**
 * The StoredHead of an answer from the headers it was sent with; undefined when it had no
 * per-client headers (a cacheable public read always has CORS ones), so nothing tells where they go.
 */
export const storedHead = (sent: [name: string, value: string][]): StoredHead | undefined => {
  const split = sent.findIndex(([name]) => PER_CLIENT.test(name));
  if (split < 0) return undefined;
  const flat = (headers: [string, string][]) =>
    headers.filter(([name]) => !PER_CLIENT.test(name) && !PER_REQUEST.test(name)).flat();
  const after = flat(sent.slice(split));
  const length = after.findIndex((name, at) => at % 2 === 0 && /^content-length$/i.test(name));
  after.splice(length < 0 ? after.length : length, 0, 'X-Cache', 'HIT');
  return { before: flat(sent.slice(0, split)), after };
};

/**
 * The headers a 200 would have been sent with, from a 304 answered instead (an uncached
 * conditional request): Koa dropped Content-Type and Content-Length from it. `ordered`: the names
 * as they stood when the 304 was decided; whatever was set after (outer middlewares:
 * X-Powered-By) keeps its place after them.
 */
export const sentAs200 = (
  ordered: string[],
  sent: [name: string, value: string][],
  type: string,
  length: number,
): [string, string][] => {
  const lower = (name: string) => name.toLowerCase();
  const values = new Map(sent.map(([name, value]) => [lower(name), [name, value] as [string, string]]));
  values.set('content-type', ['Content-Type', type]);
  values.set('content-length', ['Content-Length', String(length)]);
  // Where a 200 sets them when not set yet: the body (Content-Length), then Content-Type.
  const names = [...ordered.map(lower), 'content-length', 'content-type'];
  const known = new Set(names);
  return [
    ...[...new Set(names)].flatMap((name) => (values.has(name) ? [values.get(name)!] : [])),
    ...sent.filter(([name]) => !known.has(lower(name))),
  ];
};

/** The headers after the per-client ones of a 304, as Koa sends it: without Content-Type and -Length. */
export const notModifiedAfter = (after: string[]): string[] => {
  const kept: string[] = [];
  for (let at = 0; at < after.length; at += 2)
    if (!/^content-(type|length)$/i.test(after[at])) kept.push(after[at], after[at + 1]);
  return kept;
};
