/**
 * Rate limits on the public content API (src/lib/rate-limit.ts says who counts where). The count
 * lives in Redis when REDIS_URL is set, shared by every process, on the response cache's own
 * connection when the cache uses Redis; an in-memory limiter per process insures it, so a Redis
 * outage never fails or slows a request. Without Redis, in memory per process.
 *
 * Counted in Koa (plugin::delivery.rate-limit, before the cache) and for the cache hits answered
 * before Koa runs (services/cache.ts), once per request either way.
 */
import type { IncomingMessage } from 'http';
import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { envString } from '../../../../lib/env';
import {
  clientIp,
  rateLimitBucket,
  rateLimitKey,
  rateLimitSettings,
  tokenId,
  verdict,
  type Bucket,
  type Verdict,
} from '../../../../lib/rate-limit';

const PATHS = { apiPrefix: '/api', graphqlPath: '/graphql' };

export const createRateLimits = (strapi: Core.Strapi, cacheRedis: () => Redis | undefined) => {
  const settings = rateLimitSettings(process.env);
  const redisUrl = envString(process.env, 'REDIS_URL');
  const prefix = envString(process.env, 'RATE_LIMIT_REDIS_PREFIX', 'wutong:rate:') as string;
  let ownRedis: Redis | undefined;
  let limiters: Partial<Record<Bucket, RateLimiterAbstract>> | undefined;
  // Ids of tokens seen to authenticate here: only those are counted apart from their address.
  const proven = new LRUCache<string, true>({ max: 10000, ttl: 10 * 60 * 1000 });

  const redis = () => {
    const shared = cacheRedis();
    if (shared || !redisUrl) return shared;
    ownRedis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    let warned = false;
    ownRedis.on('error', (error: Error) => {
      if (!warned) strapi.log.warn(`delivery: rate limits: Redis unavailable, counting in memory (${error.message})`);
      warned = true;
    });
    ownRedis.on('ready', () => (warned = false));
    return ownRedis;
  };

  const limiter = (bucket: Bucket, points: number, client: Redis | undefined): RateLimiterAbstract | undefined => {
    if (points <= 0) return undefined;
    const memory = new RateLimiterMemory({ points, duration: 60, keyPrefix: `${bucket}` });
    if (!client) return memory;
    return new RateLimiterRedis({
      storeClient: client,
      points,
      duration: 60,
      keyPrefix: `${prefix}${bucket}`,
      // Not connected: count in memory at once rather than queue behind reconnection attempts.
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  };

  const build = () => {
    const client = settings.perMinute > 0 || settings.searchPerMinute > 0 ? redis() : undefined;
    return {
      api: limiter('api', settings.perMinute, client),
      search: limiter('search', settings.searchPerMinute, client),
    };
  };

  const service = {
    settings,

    /** Counts one request; undefined when it is not limited. Never throws. */
    async count(method: string, path: string, authorization: string | undefined, ip: string) {
      const bucket = rateLimitBucket(method, path, PATHS);
      limiters ??= build();
      const bucketLimiter = bucket && limiters[bucket];
      if (!bucket || !bucketLimiter) return undefined;
      const points = bucketLimiter.points;
      try {
        const res = await bucketLimiter.consume(rateLimitKey(authorization, ip, (id) => proven.has(id)));
        return { bucket, ...verdict(points, res.consumedPoints, res.msBeforeNext) };
      } catch (error) {
        if (error instanceof RateLimiterRes)
          return { bucket, ...verdict(points, error.consumedPoints, error.msBeforeNext) };
        strapi.log.warn(`delivery: rate limits: ${(error as Error).message}`);
        return undefined; // the store and its insurance failed: answer rather than refuse
      }
    },

    /** A request with this bearer token authenticated: from now on the token is the client. */
    proveToken(authorization: string | undefined) {
      const id = tokenId(authorization);
      if (id) proven.set(id, true);
    },

    /** For answers given before Koa runs: the client IP as Koa would see it. */
    countRaw(req: IncomingMessage): Promise<(Verdict & { bucket: Bucket }) | undefined> {
      const app = strapi.server.app as unknown as { proxy: boolean; proxyIpHeader: string; maxIpsCount: number };
      const forwarded = req.headers[(app.proxyIpHeader || 'X-Forwarded-For').toLowerCase()];
      const ip = clientIp({
        proxy: !!app.proxy,
        forwarded: Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
        maxIpsCount: app.maxIpsCount ?? 0,
        remoteAddress: req.socket.remoteAddress,
      });
      return service.count(req.method ?? 'GET', (req.url ?? '/').split('?')[0], req.headers.authorization, ip);
    },

    async stop() {
      await ownRedis?.quit().catch(() => undefined);
    },
  };
  return service;
};

export type RateLimits = ReturnType<typeof createRateLimits>;
