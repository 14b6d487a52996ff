/**
 * Rate limits on the public content API (src/lib/rate-limit.ts says who counts where). The count
 * lives in Redis when REDIS_URL is set, shared by every process, on the response cache's own
 * connection (and circuit breaker, services/redis.ts) when the cache uses Redis. While Redis is
 * unavailable or slow (breaker open, or a command fails or times out) each process counts in
 * memory, so a Redis outage never fails or holds up a request. Without Redis, in memory per process.
 *
 * Counted in Koa (plugin::delivery.rate-limit, before the cache) and for the cache hits answered
 * before Koa runs (services/cache.ts), once per request either way.
 */
import type { IncomingMessage } from 'http';
import type { Core } from '@strapi/strapi';
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
import { createRedisConnection, redisSettings, type RedisConnection } from './redis';

const PATHS = { apiPrefix: '/api', graphqlPath: '/graphql' };

type Limiters = { redis?: RateLimiterAbstract; memory: RateLimiterAbstract };

export const createRateLimits = (strapi: Core.Strapi, cacheRedis: () => RedisConnection | undefined) => {
  const settings = rateLimitSettings(process.env);
  const redisUrl = envString(process.env, 'REDIS_URL');
  const prefix = envString(process.env, 'RATE_LIMIT_REDIS_PREFIX', 'wutong:rate:') as string;
  let connection: RedisConnection | undefined;
  let ownConnection: RedisConnection | undefined;
  let limiters: Partial<Record<Bucket, Limiters>> | undefined;
  // Ids of tokens seen to authenticate here: only those are counted apart from their address.
  const proven = new LRUCache<string, true>({ max: 10000, ttl: 10 * 60 * 1000 });
  // Requests counted before Koa and handed on to it (refused: Koa answers the 429): not counted twice.
  const handedOn = new WeakMap<IncomingMessage, Verdict & { bucket: Bucket }>();

  const redis = () => {
    const shared = cacheRedis();
    if (shared || !redisUrl) return shared;
    ownConnection = createRedisConnection(strapi, {
      url: redisUrl,
      label: 'delivery: rate limits',
      fallback: 'rate limits count in memory per process',
      settings: redisSettings(process.env),
    });
    return ownConnection;
  };

  const limiter = (bucket: Bucket, points: number): Limiters | undefined => {
    if (points <= 0) return undefined;
    // Per process, in memory: the count while Redis is unavailable (as an insurance limiter would,
    // but the breaker decides, so a slow Redis is skipped rather than waited on).
    const memory = new RateLimiterMemory({ points, duration: 60, keyPrefix: `${bucket}` });
    if (!connection) return { memory };
    return {
      memory,
      redis: new RateLimiterRedis({
        storeClient: connection.client,
        points,
        duration: 60,
        keyPrefix: `${prefix}${bucket}`,
        rejectIfRedisNotReady: true,
      }),
    };
  };

  const build = () => {
    connection = settings.perMinute > 0 || settings.searchPerMinute > 0 ? redis() : undefined;
    return {
      api: limiter('api', settings.perMinute),
      search: limiter('search', settings.searchPerMinute),
    };
  };

  /** Counts in Redis while the breaker lets it, else (or when that fails) in memory. */
  const consume = async (pair: Limiters, key: string): Promise<RateLimiterRes> => {
    if (pair.redis && connection?.available()) {
      try {
        return await connection.run(
          () => pair.redis!.consume(key),
          (error) => error instanceof RateLimiterRes,
        );
      } catch (error) {
        if (error instanceof RateLimiterRes) throw error; // over the limit
      }
    }
    return pair.memory.consume(key);
  };

  const service = {
    settings,

    /** Counts one request; undefined when it is not limited. Never throws. */
    async count(method: string, path: string, authorization: string | undefined, ip: string) {
      const bucket = rateLimitBucket(method, path, PATHS);
      limiters ??= build();
      const pair = bucket && limiters[bucket];
      if (!bucket || !pair) return undefined;
      const points = pair.memory.points;
      try {
        const res = await consume(
          pair,
          rateLimitKey(authorization, ip, (id) => proven.has(id)),
        );
        return { bucket, ...verdict(points, res.consumedPoints, res.msBeforeNext) };
      } catch (error) {
        if (error instanceof RateLimiterRes)
          return { bucket, ...verdict(points, error.consumedPoints, error.msBeforeNext) };
        strapi.log.warn(`delivery: rate limits: ${(error as Error).message}`);
        return undefined; // even the in-memory count failed: answer rather than refuse
      }
    },

    /** Whether requests to this path count at all (else the fast path need not ask). */
    appliesTo(method: string, path: string) {
      const bucket = rateLimitBucket(method, path, PATHS);
      limiters ??= build();
      return !!(bucket && limiters[bucket]);
    },

    /** A verdict counted before Koa, for Koa to answer with (see handedOn). */
    handOn(req: IncomingMessage, limited: Verdict & { bucket: Bucket }) {
      handedOn.set(req, limited);
    },

    /** The verdict handed on for this request, if it was counted before Koa. */
    handedOn: (req: IncomingMessage) => handedOn.get(req),

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
      await ownConnection?.close();
    },
  };
  return service;
};

export type RateLimits = ReturnType<typeof createRateLimits>;
