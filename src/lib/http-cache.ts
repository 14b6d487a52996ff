/**
 * HTTP caching of public responses: strong ETags, conditional requests, cache headers, the cache
 * key, and the tags a response is filed under so that a publish drops exactly what it changed.
 */
import { createHash } from 'crypto';
import { asksPreview, canonicalQuery, parseQuery } from './public-query';

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
 * The cache key of a request, or undefined when it is not cacheable: only anonymous GETs of the
 * public API, never previews (in whatever spelling: `%70review=` too).
 *
 * The key is the path and the canonical form of the query as Strapi parses it (qs, Strapi's
 * settings), parsed once here: spellings Strapi reads alike share a key (`?b=1&a=2` ≡ `?a=2&b=1`)
 * and queries it reads differently never do (`sort=a&sort=b` ≢ `sort=b&sort=a`).
 */
export const requestCacheKey = (
  method: string | undefined,
  url: string | undefined,
  authorization: string | undefined,
  prefix = '/api/',
): string | undefined => {
  if (method !== 'GET' || authorization || !url || !url.startsWith(prefix)) return undefined;
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = parseQuery(url.slice(at + 1));
  if (asksPreview(query)) return undefined;
  const canonical = canonicalQuery(query);
  return canonical ? `${url.slice(0, at)}?${canonical}` : url.slice(0, at);
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
