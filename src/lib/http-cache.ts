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
