/**
 * Rate limits on the public content API: which requests count, in which bucket, against whom, and
 * the headers and error an answer carries. Per API token when a valid one is sent (a site's server
 * renders pages for many visitors), else per client IP; /api/search has its own, stricter bucket.
 */
import { createHash } from 'crypto';
import { envInt } from './env';

export type Bucket = 'api' | 'search';

export interface RateLimitSettings {
  /** Requests per minute and client on the public API; 0 disables. */
  perMinute: number;
  /** Requests per minute and client on /api/search; 0 disables. */
  searchPerMinute: number;
}

export const rateLimitSettings = (env: Record<string, string | undefined>): RateLimitSettings => {
  const settings = {
    perMinute: envInt(env, 'RATE_LIMIT_PER_MINUTE', 600),
    searchPerMinute: envInt(env, 'RATE_LIMIT_SEARCH_PER_MINUTE', 120),
  };
  for (const [name, value] of Object.entries(settings))
    if (value < 0) throw new Error(`Rate limits must be 0 (off) or more, got ${name} = ${value}`);
  return settings;
};

const under = (path: string, base: string) => path === base || path.startsWith(`${base}/`);

/**
 * The bucket a request counts in, or undefined when it is not limited here: the admin side (its
 * login has its own limit) and CORS preflights.
 */
export const rateLimitBucket = (
  method: string,
  path: string,
  paths: { apiPrefix: string; graphqlPath: string },
): Bucket | undefined => {
  if (method.toUpperCase() === 'OPTIONS') return undefined;
  if (under(path, `${paths.apiPrefix}/search`)) return 'search';
  if (under(path, paths.apiPrefix) || under(path, paths.graphqlPath)) return 'api';
  return undefined;
};

/** A bearer token's id for counting: hashed, so no secret is ever stored as sent. */
export const tokenId = (authorization: string | undefined): string | undefined => {
  const token = /^Bearer\s+(\S+)/i.exec(authorization ?? '')?.[1];
  return token && createHash('sha256').update(token).digest('hex').slice(0, 32);
};

/**
 * Who a request counts against: its bearer token once that token has been seen to authenticate,
 * else its IP. An unproven token counts against the address, so a fresh made-up token per
 * request does not escape the address's limit.
 */
export const rateLimitKey = (
  authorization: string | undefined,
  ip: string,
  proven: (id: string) => boolean = () => false,
): string => {
  const id = tokenId(authorization);
  return id && proven(id) ? `token:${id}` : `ip:${ip}`;
};

/**
 * The client's IP as Koa's ctx.ip computes it (for answers given before Koa runs): the first
 * address of the proxy header only when the server trusts its proxy (IS_PROXIED).
 */
export const clientIp = (request: {
  proxy: boolean;
  forwarded: string | undefined;
  maxIpsCount: number;
  remoteAddress: string | undefined;
}): string => {
  let ips = request.proxy && request.forwarded ? request.forwarded.split(/\s*,\s*/).filter(Boolean) : [];
  if (request.maxIpsCount > 0) ips = ips.slice(-request.maxIpsCount);
  return ips[0] || request.remoteAddress || '';
};

export interface Verdict {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterSeconds: number;
}

/** The answer to one counted request: its headers, and Retry-After when refused. */
export const verdict = (limit: number, consumed: number, msBeforeNext: number): Verdict => {
  const allowed = consumed <= limit;
  const reset = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': String(Math.max(0, limit - consumed)),
    'X-RateLimit-Reset': String(reset),
  };
  if (!allowed) headers['Retry-After'] = String(reset);
  return { allowed, headers, retryAfterSeconds: allowed ? 0 : reset };
};

export const RATE_LIMIT_MESSAGE = 'Too many requests, please try again later.';

/** Details of the 429 error (RateLimitError; a refused cache hit is answered by Koa too). */
export const rateLimitDetails = (bucket: Bucket, retryAfterSeconds: number) => ({
  code: bucket === 'search' ? 'rate-limit.search' : 'rate-limit.api',
  retryAfterSeconds,
});
