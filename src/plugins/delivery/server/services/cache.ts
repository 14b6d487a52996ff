/**
 * The response cache for public GETs: in-process LRU by default, Redis when REDIS_URL is set
 * (shared by all processes). Entries are filed under the documents they contain and their type;
 * a publish, unpublish or delete drops exactly those. Every process's cache subscribes to the event
 * stream (the events plugin), so none serves an old version for more than a poll interval after
 * another process's publish, and none after its own.
 *
 * Hits are answered before Koa and Strapi's middleware stack even run: that is where the time
 * goes, and a cached response needs none of it.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import { envInt, envString } from '../../../../lib/env';
import {
  docTag,
  documentTags,
  etagOf,
  notModified,
  publicCacheControl,
  typeTag,
  VARY,
} from '../../../../lib/http-cache';
import { createMissedInvalidations } from '../../../../lib/missed-invalidations';
import { createRedisConnection, redisSettings, type RecoverContext, type RedisConnection } from './redis';
import { rateLimitBody, type Bucket, type Verdict } from '../../../../lib/rate-limit';
import type { ReadPath } from './read-path';

type RateLimitAnswer = Verdict & { bucket: Bucket };

export interface CacheEntry {
  headers: Record<string, string>;
  body: Buffer;
  etag: string;
}

interface Store {
  get(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry, tags: string[]): void | Promise<void>;
  invalidate(tags: string[]): void | Promise<void>;
  clear(): void | Promise<void>;
  close(): void | Promise<void>;
  readonly kind: string;
  /** The Redis connection and its circuit breaker (the rate limits share them). */
  readonly redis?: RedisConnection;
}

/** Bytes per entry and per tag membership beyond their strings: objects, Map and Set slots. */
const ENTRY_OVERHEAD = 400;
const TAG_OVERHEAD = 80;

/**
 * What one entry holds in memory, as the budget counts it: its body, and its key, headers and tags
 * twice (the key in the LRU and in the tag index; strings at up to 2 bytes a character).
 */
export const memoryEntryBytes = (key: string, entry: CacheEntry, tags: string[]) => {
  let chars = key.length * 2 + entry.etag.length;
  for (const [name, value] of Object.entries(entry.headers)) chars += name.length + value.length;
  for (const tag of tags) chars += tag.length + key.length;
  return entry.body.length + chars * 2 + ENTRY_OVERHEAD + tags.length * TAG_OVERHEAD;
};

/**
 * The in-process store: an LRU bounded by a byte budget (CACHE_MAX_MB) that counts everything an
 * entry keeps alive, its tag index included, so that many small entries filed under many
 * documents cannot outgrow it.
 */
export const memoryStore = (maxBytes: number, ttlMs: number) => {
  const byTag = new Map<string, Set<string>>();
  const tagsOf = new Map<string, string[]>();
  const forget = (key: string) => {
    for (const tag of tagsOf.get(key) ?? []) {
      const keys = byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) byTag.delete(tag);
    }
    tagsOf.delete(key);
  };
  const lru = new LRUCache<string, CacheEntry>({
    maxSize: maxBytes,
    ttl: ttlMs,
    dispose: (_entry, key) => forget(key),
  });
  return {
    kind: 'memory',
    get: (key: string) => lru.get(key),
    set(key: string, entry: CacheEntry, tags: string[]) {
      lru.set(key, entry, { size: memoryEntryBytes(key, entry, tags) });
      // Too large for the whole budget: not stored, and so not indexed.
      if (!lru.has(key)) return;
      tagsOf.set(key, tags);
      for (const tag of tags) {
        if (!byTag.has(tag)) byTag.set(tag, new Set());
        byTag.get(tag)!.add(key);
      }
    },
    /** Bytes counted against the budget, entries, and tags indexed (tests, measurements). */
    usage: () => ({ bytes: lru.calculatedSize, entries: lru.size, tags: byTag.size }),
    invalidate(tags: string[]) {
      for (const tag of tags) for (const key of [...(byTag.get(tag) ?? [])]) lru.delete(key);
    },
    clear: () => lru.clear(),
    close: () => undefined,
  } satisfies Store & { usage(): unknown };
};

/** KEYS: tag sets; ARGV[1]: the entries' key prefix. Deletes every entry a tag set lists, then the set. */
const DROP_TAGGED = `
local dropped = 0
for _, tag in ipairs(KEYS) do
  for _, member in ipairs(redis.call('SMEMBERS', tag)) do
    dropped = dropped + redis.call('UNLINK', ARGV[1] .. member)
  end
  redis.call('UNLINK', tag)
end
return dropped`;

/** A SCAN MATCH pattern for the keys that start with `prefix`. */
const startingWith = (prefix: string) => `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;

/**
 * The shared cache in Redis, an optimisation only: through the circuit breaker of
 * services/redis.ts, lookups are misses and stores are skipped while Redis is down or slow, and
 * nothing throws.
 *
 * Missed invalidations: one that does not reach Redis (breaker open, command failed or timed out)
 * is noted (src/lib/missed-invalidations.ts) and opens the breaker; before it closes again this
 * process replays the noted tags, so Redis coming back with its old data never serves an old
 * version as a HIT. Replaying keeps the rest of the shared cache (a short false alarm, e.g. a busy
 * machine, costs a few entries, not a cold cache for every process). It flushes every entry under
 * its prefix instead when a clear was missed (permission or locale changes), when more than 10,000
 * tags were missed, and when Redis restarted meanwhile (another run id: it may have loaded an older
 * snapshot, so even with nothing missed here its data cannot be trusted). A process partitioned
 * from Redis while others were not replays when it gets back; the others applied the same events
 * themselves (every process follows the events table), so that only drops a few fresh entries.
 */
const redisStore = (strapi: Core.Strapi, url: string, prefix: string, ttlSeconds: number): Store => {
  const entryKey = (key: string) => `${prefix}cache:${key}`;
  const tagKey = (tag: string) => `${prefix}tag:${tag}`;
  const missed = createMissedInvalidations();
  type Run = RecoverContext['run'];

  /** Deletes every entry and tag set under the prefix (not the rate limits' keys); returns how many. */
  const flush = async (run: Run) => {
    let deleted = 0;
    for (const pattern of [startingWith(entryKey('')), startingWith(tagKey(''))]) {
      let cursor = '0';
      do {
        const [next, keys] = await run((redis) => redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000));
        if (keys.length) deleted += await run((redis) => redis.unlink(...keys));
        cursor = next;
      } while (cursor !== '0');
    }
    return deleted;
  };

  /**
   * Drops the entries filed under these tags, one script per 500 tags; throws on any failure. One
   * atomic command rather than read-then-delete: sent as soon as the change commits, it runs before
   * any lookup this process sends afterwards on the same connection, and it is applied wholly or
   * not at all.
   */
  const drop = async (run: Run, tags: string[]) => {
    for (let start = 0; start < tags.length; start += 500) {
      const chunk = tags.slice(start, start + 500).map(tagKey);
      await run((redis) => redis.eval(DROP_TAGGED, chunk.length, ...chunk, entryKey('')));
    }
  };

  const connection = createRedisConnection(strapi, {
    url,
    label: 'delivery: response cache',
    fallback: 'public reads skip the shared cache (answered from the database, fresh) and rate limits count in memory',
    settings: redisSettings(process.env),
    async recover({ restarted, run }) {
      const taken = restarted ? { all: true, tags: [] } : missed.take();
      if (!taken) return;
      if (restarted) missed.take(); // a flush covers it
      try {
        if (taken.all) {
          const deleted = await flush(run);
          strapi.log.info(
            `delivery: response cache: flushed ${deleted} shared cache keys before trusting Redis again (${
              restarted ? 'Redis restarted' : 'a clear was missed or deferred'
            })`,
          );
        } else await drop(run, taken.tags);
      } catch (error) {
        missed.restore(taken);
        throw error;
      }
    },
    dirty: () => missed.dirty,
  });
  const redis = connection.client;
  const miss = (tags: string[] | 'all', reason: string) => {
    missed.note(tags);
    connection.trip(reason);
  };

  return {
    kind: 'redis',
    redis: connection,
    async get(key) {
      if (!connection.available()) return undefined;
      try {
        const raw = await connection.run(() => redis.getBuffer(entryKey(key)));
        if (!raw) return undefined;
        const split = raw.indexOf(10); // header line, newline, body
        const { headers, etag } = JSON.parse(raw.subarray(0, split).toString());
        return { headers, etag, body: raw.subarray(split + 1) };
      } catch {
        return undefined;
      }
    },
    async set(key, entry, tags) {
      if (!connection.available()) return;
      const head = Buffer.from(`${JSON.stringify({ headers: entry.headers, etag: entry.etag })}\n`);
      await connection
        .run(() => {
          const multi = redis.multi().set(entryKey(key), Buffer.concat([head, entry.body]), 'EX', ttlSeconds);
          for (const tag of tags) multi.sadd(tagKey(tag), key).expire(tagKey(tag), ttlSeconds);
          return multi.exec();
        })
        .catch(() => undefined); // not stored: a miss next time
    },
    async invalidate(tags) {
      if (!tags.length) return;
      if (!connection.available()) return miss(tags, 'an invalidation was skipped');
      try {
        await drop((operation) => connection.run(operation), tags);
      } catch (error) {
        miss(tags, `an invalidation failed: ${(error as Error).message}`);
      }
    },
    async clear() {
      if (!connection.available()) return miss('all', 'a flush was skipped');
      try {
        await flush((operation) => connection.run(operation));
      } catch (error) {
        miss('all', `a flush failed: ${(error as Error).message}`);
      }
    },
    close: () => connection.close(),
  };
};

interface KoaContext {
  req: IncomingMessage;
  method: string;
  path: string;
  querystring: string;
  url: string;
  status: number;
  body: unknown;
  state: {
    cacheTags?: string[];
    cache?: boolean;
    route?: { handler?: string; info?: { type?: string } };
  };
  get(name: string): string;
  set(name: string, value: string): void;
  response: { get(name: string): string; headers: Record<string, unknown> };
}

/**
 * Headers replayed with a stored response: everything but what belongs to one request, client
 * (CORS, rate limits) or connection.
 */
const storedHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(
        ([name]) =>
          !/^(access-control-|x-ratelimit-|retry-after$|content-length$|x-cache$|set-cookie$|date$|connection$|x-response-time$)/i.test(
            name,
          ),
      )
      .map(([name, value]) => [name, String(value)]),
  );

interface ChangeEvent {
  id: number;
  type: string;
  target?: { uid: string; documentId: string } | null;
  payload?: { related?: unknown } | null;
}

/**
 * Events after which nothing the public API answered can be trusted: what may be read, or in
 * which language. The response cache clears, the read model rebuilds.
 */
export const PUBLIC_RESETS = ['admin.locale-added', 'admin.locale-removed', 'admin.permissions-changed'];
/** Events that change what the public API serves (also followed by the read model). */
export const PUBLIC_CHANGES = ['document.published', 'document.unpublished', 'document.deleted', ...PUBLIC_RESETS];

export const createResponseCache = (strapi: Core.Strapi, readPath: ReadPath) => {
  const mode = envString(process.env, 'WUTONG_CACHE', envString(process.env, 'REDIS_URL') ? 'redis' : 'memory');
  if (!['memory', 'redis', 'off'].includes(mode as string))
    throw new Error(`WUTONG_CACHE must be memory, redis or off, not "${mode}"`);
  const settings = {
    sMaxAge: envInt(process.env, 'CACHE_S_MAXAGE', 60),
    staleWhileRevalidate: envInt(process.env, 'CACHE_STALE_WHILE_REVALIDATE', 300),
  };
  const ttlSeconds = envInt(process.env, 'CACHE_TTL_SECONDS', 3600);
  const store: Store | undefined =
    mode === 'off'
      ? undefined
      : mode === 'redis'
        ? redisStore(
            strapi,
            envString(process.env, 'REDIS_URL', 'redis://127.0.0.1:6379') as string,
            envString(process.env, 'CACHE_REDIS_PREFIX', 'wutong:') as string,
            ttlSeconds,
          )
        : memoryStore(envInt(process.env, 'CACHE_MAX_MB', 128) * 1024 * 1024, ttlSeconds * 1000);
  const cacheControl = publicCacheControl(settings);
  // Bumped on every invalidation: a response whose computation spans one is not stored.
  let generation = 0;

  /** Drops what a publish, unpublish or delete changed; throws when the store fails (retried). */
  const invalidate = async ({ type, target, payload }: ChangeEvent) => {
    generation += 1;
    if (!store) return;
    if (PUBLIC_RESETS.includes(type)) return store.clear();
    const tags = new Set<string>();
    if (target?.uid) tags.add(typeTag(target.uid));
    if (target?.documentId) tags.add(docTag(target.documentId));
    for (const related of ([] as unknown[]).concat(payload?.related ?? []))
      if (typeof related === 'string') tags.add(docTag(related));
    // Search, map and sitemap responses may gain or lose any document: filed under "any".
    tags.add('any');
    await store.invalidate([...tags]);
  };

  const service = {
    mode,
    settings,
    redis: () => store?.redis,

    /**
     * The event stream's subscriber (public changes only): this process's own change right after
     * its commit, so that its next read is fresh; another process's within a poll interval.
     */
    handle(event: ChangeEvent) {
      if (!PUBLIC_CHANGES.includes(event.type)) return;
      return invalidate(event);
    },

    /** After subscribing: anything stored before this start may be stale. */
    async start() {
      await store?.clear();
    },

    /** After the background work is done (it may still use the store). */
    async stop() {
      await store?.close();
    },

    clear() {
      generation += 1;
      return store?.clear();
    },

    /**
     * Answers a request from the cache before Koa sees it; the fast path for clients without an
     * Origin (servers rendering pages, CDNs). Browsers' cross-origin requests take the Koa path,
     * where CORS answers them. Returns false when it did not answer. `limit` counts a hit against
     * the rate limits (a miss is counted in Koa) and may refuse it.
     */
    async serve(
      req: IncomingMessage,
      res: ServerResponse,
      limit: (req: IncomingMessage) => Promise<RateLimitAnswer | undefined> = async () => undefined,
    ): Promise<boolean> {
      if (req.headers.origin) return false;
      const started = Date.now();
      // Only anonymous GETs of the public API have a key (the read path's decision).
      const key = store && readPath.ofRaw(req)?.cacheKey;
      const entry = key ? await store.get(key) : undefined;
      if (!entry) return false;
      const limited = await limit(req);
      if (limited && !limited.allowed) {
        const body = JSON.stringify(rateLimitBody(limited.bucket, limited.retryAfterSeconds));
        res.writeHead(429, { ...limited.headers, 'Content-Type': 'application/json; charset=utf-8' });
        res.end(body);
        strapi.log.http(`${req.method} ${req.url} (${Date.now() - started} ms) 429 rate limited`);
        return true;
      }
      for (const [name, value] of Object.entries(limited?.headers ?? {})) res.setHeader(name, value);
      const status = notModified(req.headers['if-none-match'], entry.etag) ? 304 : 200;
      if (status === 304) {
        res.writeHead(304, { ETag: entry.etag, 'Cache-Control': cacheControl, Vary: VARY });
        res.end();
      } else {
        res.writeHead(200, { ...entry.headers, 'Content-Length': String(entry.body.length), 'X-Cache': 'HIT' });
        res.end(entry.body);
      }
      // The request log line Strapi's logger middleware writes for what Koa answers.
      strapi.log.http(`${req.method} ${req.url} (${Date.now() - started} ms) ${status} cache hit`);
      return true;
    },

    /**
     * Koa middleware for the public API (after security and CORS): answers from the cache when it
     * can; otherwise puts a strong ETag and cache headers on every anonymous response, answers a
     * matching If-None-Match with 304, and stores the response under the documents it contains.
     * Authenticated responses are marked private and never stored, nor are previews.
     */
    middleware() {
      return async (ctx: KoaContext, next: () => Promise<void>) => {
        // From the query as the client sent it (later middlewares rewrite it, and so ctx.url).
        const key = readPath.of(ctx)?.cacheKey;
        const hit = key && store ? await store.get(key) : undefined;
        if (hit) {
          for (const [name, value] of Object.entries(hit.headers)) ctx.set(name, value);
          ctx.set('X-Cache', 'HIT');
          if (notModified(ctx.get('if-none-match'), hit.etag)) {
            ctx.status = 304;
            return;
          }
          ctx.status = 200;
          ctx.body = hit.body;
          return;
        }
        // A response computed across an invalidation may hold the old version: not stored.
        const startedAt = generation;
        await next();
        if (ctx.method !== 'GET' || ctx.status !== 200 || ctx.state.route?.info?.type !== 'content-api') return;
        if (ctx.get('authorization')) {
          ctx.set('Cache-Control', 'private, no-store');
          ctx.set('Vary', VARY);
          return;
        }
        const original = ctx.body;
        const body = Buffer.isBuffer(original)
          ? original
          : Buffer.from(typeof original === 'string' ? original : JSON.stringify(original));
        const etag = etagOf(body);
        // A preview (ctx.state.cache false) is never stored, however it was spelled.
        const cacheable = key !== undefined && ctx.state.cache !== false;
        const type = ctx.response.get('Content-Type') || 'application/json; charset=utf-8';
        ctx.set('ETag', etag);
        ctx.set('Cache-Control', cacheable ? cacheControl : 'private, no-store');
        ctx.set('Vary', VARY);
        if (notModified(ctx.get('if-none-match'), etag)) {
          ctx.status = 304;
          ctx.body = null;
        } else {
          ctx.body = body;
          ctx.set('Content-Type', type);
        }
        if (!store || !cacheable || generation !== startedAt) return;
        const uid = (ctx.state.route?.handler ?? '').split('.').slice(0, -1).join('.');
        const tags = ctx.state.cacheTags ?? [typeTag(uid), ...documentTags(original)];
        await store.set(
          key as string,
          { headers: { ...storedHeaders(ctx.response.headers), 'Content-Type': type }, body, etag },
          tags,
        );
      };
    },
  };
  return service;
};

export type ResponseCache = ReturnType<typeof createResponseCache>;
