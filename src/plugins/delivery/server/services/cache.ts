/**
 * The response cache for public GETs: in-process LRU by default, Redis when REDIS_URL is set
 * (shared by all processes), with each process's own copy of the Redis entries it read or wrote
 * in front of it (the L1: the same in-process LRU, see layeredStore). Entries are filed under the documents they contain and their type;
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
import { corsAnswerHeaders, corsDecision, corsSettingsFrom, isPublicRead } from '../../../../lib/cors';
import { envBool, envInt, envList, envString } from '../../../../lib/env';
import {
  docTag,
  documentTags,
  etagOf,
  notModified,
  notModifiedAfter,
  publicCacheControl,
  sentAs200,
  storedHead,
  typeTag,
  VARY,
  type StoredHead,
} from '../../../../lib/http-cache';
import { headLines, joinLines, writeHeadLines, type HeadLines } from '../../../../lib/http-head';
import { createMissedInvalidations } from '../../../../lib/missed-invalidations';
import { createRecentInvalidations, type RecentInvalidations } from '../../../../lib/recent-invalidations';
import type { BreakerState } from '../../../../lib/circuit-breaker';
import { createRedisConnection, redisSettings, type RecoverContext, type RedisConnection } from './redis';
import type { Bucket, Verdict } from '../../../../lib/rate-limit';
import type { ReadPath } from './read-path';
import type { RateLimits } from './rate-limit';

export interface CacheEntry {
  head: StoredHead;
  body: Buffer;
  etag: string;
  /** The head's lines, made at the first hit (src/lib/http-head.ts); null: written header by header. */
  lines?: EntryLines | null;
}

interface EntryLines {
  before: HeadLines;
  after: HeadLines;
  after304: HeadLines;
  /** The whole head of the commonest answer: 200, no Origin, no rate limit. */
  plain: HeadLines;
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

/** An entry as Redis holds it: with the tags it was filed under (absent when an older version stored it). */
type SharedEntry = CacheEntry & { tags?: string[] };

interface SharedStore extends Store {
  get(key: string): Promise<SharedEntry | undefined>;
  readonly redis: RedisConnection;
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
  // The stored header lists, and their lines once made (before and after, after for a 304, the
  // whole plain head: about three times their size again).
  for (const text of [...entry.head.before, ...entry.head.after]) chars += text.length * 4;
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

type MemoryStore = ReturnType<typeof memoryStore>;

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
const redisStore = (
  strapi: Core.Strapi,
  url: string,
  prefix: string,
  ttlSeconds: number,
  onStateChange?: (to: BreakerState, from: BreakerState) => void,
): SharedStore => {
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
    onStateChange,
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
        const { head, etag, tags } = JSON.parse(raw.subarray(0, split).toString());
        // An entry another version stored (a rolling upgrade sharing Redis): a miss.
        if (!Array.isArray(head?.before) || !Array.isArray(head?.after)) return undefined;
        return { head, etag, body: raw.subarray(split + 1), tags: Array.isArray(tags) ? tags : undefined };
      } catch {
        return undefined;
      }
    },
    async set(key, entry, tags) {
      if (!connection.available()) return;
      // The tags too: another process copying the entry into its L1 files it under them.
      const line = Buffer.from(`${JSON.stringify({ head: entry.head, etag: entry.etag, tags })}\n`);
      await connection
        .run(() => {
          const multi = redis.multi().set(entryKey(key), Buffer.concat([line, entry.body]), 'EX', ttlSeconds);
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

/**
 * How long after invalidating a tag this process copies no Redis entry filed under it into its L1:
 * longer than other processes take to apply the same change and drop what they stored meanwhile
 * (12–142 ms measured, docs/operations.md), which Redis may hold and serve until then.
 */
const REFILL_GUARD_MS = 2000;

/**
 * Redis with this process's own copy in front (the L1, a memoryStore): a hit in the copy is
 * answered without a round trip to Redis, synchronously (so on the fast path too). The copy holds
 * the entries this process stored or read from Redis, bounded by CACHE_MAX_MB and, per entry, by
 * CACHE_L1_MAX_AGE_MS. It stays fresh the way the in-process cache does: every process applies
 * every change from the event stream (a database table, not Redis) to its copy first, then to
 * Redis. What could still put an old version in it, and what prevents it:
 *
 * - a Redis read under way while this process invalidates, or an old version another process
 *   stored in Redis before it applied the same change: nothing filed under a tag invalidated in
 *   the last REFILL_GUARD_MS is copied (it is served from Redis, which that process drops);
 * - Redis untrusted (breaker open: missed invalidations, Redis restarted): the copy is emptied
 *   when the breaker opens and used for nothing until it closes, after the replay;
 * - anything else (a process stalled for longer than the guard while storing): the age bound.
 */
export const layeredStore = (shared: SharedStore, local: MemoryStore, recent: RecentInvalidations) => {
  const connection = shared.redis;
  // Bumped whenever the breaker opens: a read sent before an outage copies nothing after it.
  let outages = 0;
  const trusted = () => connection.state === 'closed';
  return {
    kind: 'redis',
    redis: connection,
    /** The breaker moved: an untrusted Redis empties the copy. */
    breakerMoved(to: BreakerState) {
      if (to === 'closed') return;
      outages += 1;
      local.clear();
    },
    get(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined> {
      if (trusted()) {
        const copy = local.get(key);
        if (copy) return copy;
      }
      const sentIn = outages;
      return shared.get(key).then((found) => {
        if (!found) return undefined;
        const { tags, ...entry } = found;
        if (!tags || !trusted() || outages !== sentIn || recent.blocks(tags)) return entry;
        // Its own bytes: a slice would keep the whole Redis reply alive, beyond what the budget counts.
        const copy = { ...entry, body: Buffer.from(entry.body) };
        local.set(key, copy, tags);
        return copy;
      });
    },
    set(key: string, entry: CacheEntry, tags: string[]) {
      if (trusted()) local.set(key, entry, tags);
      return shared.set(key, entry, tags);
    },
    invalidate(tags: string[]) {
      recent.note(tags);
      local.invalidate(tags);
      return shared.invalidate(tags);
    },
    clear() {
      recent.note('all');
      local.clear();
      return shared.clear();
    },
    close: () => shared.close(),
    /** The copy's bytes and entries (tests, measurements). */
    usage: () => local.usage(),
  };
};

interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
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
    /** Hits answered before Koa (see serve); off, Koa answers them with the very same bytes. */
    fastPath: envBool(process.env, 'CACHE_FAST_PATH', true),
  };
  const ttlSeconds = envInt(process.env, 'CACHE_TTL_SECONDS', 3600);
  const maxBytes = envInt(process.env, 'CACHE_MAX_MB', 128) * 1024 * 1024;
  // 0: no L1, every Redis hit is a round trip.
  const l1MaxAgeMs = Math.min(envInt(process.env, 'CACHE_L1_MAX_AGE_MS', 1000), ttlSeconds * 1000);
  const sharedStore = () => {
    // Created after the connection it listens to: the breaker reaches it through this slot.
    const layer: { store?: ReturnType<typeof layeredStore> } = {};
    const shared = redisStore(
      strapi,
      envString(process.env, 'REDIS_URL', 'redis://127.0.0.1:6379') as string,
      envString(process.env, 'CACHE_REDIS_PREFIX', 'wutong:') as string,
      ttlSeconds,
      (to) => layer.store?.breakerMoved(to),
    );
    if (l1MaxAgeMs <= 0) return shared;
    layer.store = layeredStore(shared, memoryStore(maxBytes, l1MaxAgeMs), createRecentInvalidations(REFILL_GUARD_MS));
    return layer.store;
  };
  const store: (Store & { usage?(): unknown }) | undefined =
    mode === 'off' ? undefined : mode === 'redis' ? sharedStore() : memoryStore(maxBytes, ttlSeconds * 1000);
  const cacheControl = publicCacheControl(settings);
  // Bumped on every invalidation: a response whose computation spans one is not stored.
  let generation = 0;
  /**
   * Misses being computed, by key (request collapsing): a request missing a key that is already
   * being computed since the last invalidation waits for that answer instead of computing it too.
   * After a publish every concurrent reader of a page missed at once, and those computations
   * queued the first fresh answer half a second behind them under load. Settles with the entry
   * once stored, or undefined (not cacheable, not a 200, invalidated meanwhile, aborted): then the
   * waiting requests compute their own.
   */
  const computing = new Map<string, { generation: number; entry: Promise<CacheEntry | undefined> }>();
  const cors = corsSettingsFrom(envList(process.env, 'ADMIN_ORIGINS'));

  /**
   * Raw URL → cache key of an anonymous GET, null when the fast path leaves it to Koa: a pure
   * function of the URL (src/lib/public-api.ts decidePublicRead), so it never goes stale, and
   * remembering it saves parsing the query again on every hit. Bounded: oldest forgotten first.
   */
  const keys = new Map<string, string | null>();
  const keyOf = (req: IncomingMessage): string | null => {
    const url = req.url ?? '';
    const known = keys.get(url);
    if (known !== undefined) return known;
    const key = readPath.ofRaw(req)?.cacheKey;
    // Only where CORS allows every origin (all of /api): the answer's CORS headers follow from
    // the request's Origin alone (corsAnswerHeaders), as Strapi's cors middleware sets them.
    const served = key && isPublicRead(key.split('?')[0], 'GET', cors) ? key : null;
    if (url.length <= 2048) {
      if (keys.size >= 5000) keys.delete(keys.keys().next().value as string);
      keys.set(url, served);
    }
    return served;
  };
  const PUBLIC_READ_CORS = corsDecision({ path: `${cors.apiPrefix}/`, method: 'GET', selfOrigins: [] }, cors);
  const NO_ORIGIN = headLines(corsAnswerHeaders(PUBLIC_READ_CORS, undefined));

  const linesOf = ({ head }: CacheEntry): EntryLines | null => {
    const before = headLines(head.before);
    const after = headLines(head.after);
    const after304 = headLines(notModifiedAfter(head.after));
    const plain = joinLines(before, NO_ORIGIN, after);
    return before && after && after304 && plain ? { before, after, after304, plain } : null;
  };

  /** The answer to a hit: the stored head around this request's CORS and rate-limit headers. */
  const answerHit = (
    req: IncomingMessage,
    res: ServerResponse,
    entry: CacheEntry,
    limited: { headers: Record<string, string> } | undefined,
  ) => {
    const ifNoneMatch = req.headers['if-none-match'];
    const status = ifNoneMatch && notModified(ifNoneMatch, entry.etag) ? 304 : 200;
    const origin = req.headers.origin;
    if (entry.lines === undefined) entry.lines = linesOf(entry);
    const { lines } = entry;
    // The commonest answer needs nothing of this request's: its whole head was made once.
    if (lines && status === 200 && !origin && !limited && writeHeadLines(res, status, lines.plain)) {
      res.end(entry.body);
      return status;
    }
    const perClient = corsAnswerHeaders(PUBLIC_READ_CORS, origin);
    for (const [name, value] of Object.entries(limited?.headers ?? {})) perClient.push(name, value);
    const head = lines && joinLines(lines.before, headLines(perClient), status === 304 ? lines.after304 : lines.after);
    if (!head || !writeHeadLines(res, status, head))
      res.writeHead(status, [
        ...entry.head.before,
        ...perClient,
        ...(status === 304 ? notModifiedAfter(entry.head.after) : entry.head.after),
      ]);
    res.end(status === 304 ? undefined : entry.body);
    return status;
  };

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
    /** The in-process entries' bytes and count (the memory cache, or Redis's L1), for tests and measurements. */
    usage: () => store?.usage?.() as ReturnType<MemoryStore['usage']> | undefined,

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
     * Answers a hit before Koa sees it (the server's request listener, plugin index.ts): none of
     * Koa's and Strapi's per-request work, the same bytes. The stored head is what Strapi's
     * middlewares sent for the miss (security headers, Vary, ETag, cache headers, X-Powered-By…);
     * CORS headers for the request's Origin and rate-limit headers are put where those
     * middlewares put them. Only anonymous GETs with a cache key (the read path's decision: never
     * a preview, an authenticated or a non-GET request; drafts are refused before anything is
     * stored). The hit counts against the rate limit; a refused one goes on to Koa, which answers
     * the 429. Returns whether it answered (synchronously for the in-memory cache).
     */
    serve(req: IncomingMessage, res: ServerResponse, limits: RateLimits): boolean | Promise<boolean> {
      if (!store || !settings.fastPath || req.method !== 'GET' || req.headers.authorization) return false;
      const key = keyOf(req);
      if (key === null) return false;
      const logged = strapi.log.isLevelEnabled('http');
      const started = logged ? Date.now() : 0;
      const answer = (entry: CacheEntry, limited?: Verdict & { bucket: Bucket }) => {
        if (limited && !limited.allowed) {
          limits.handOn(req, limited);
          return false;
        }
        const status = answerHit(req, res, entry, limited);
        // The request log line Strapi's logger middleware writes for what Koa answers.
        if (logged) strapi.log.http(`${req.method} ${req.url} (${Date.now() - started} ms) ${status} cache hit`);
        return true;
      };
      const counted = (entry: CacheEntry | undefined) => {
        if (!entry) return false;
        if (!limits.appliesTo('GET', key.split('?')[0])) return answer(entry);
        return limits.countRaw(req).then((limited) => answer(entry, limited));
      };
      const found = store.get(key);
      return found instanceof Promise ? found.then(counted) : counted(found);
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
        let hit = key && store ? await store.get(key) : undefined;
        // (One begun before the last invalidation is never given: not waited for.)
        const pending = key && !hit ? computing.get(key) : undefined;
        if (pending && pending.generation === generation) hit = await pending.entry;
        if (hit) {
          // What the fast path answers: the middlewares before this one set the same security,
          // CORS and rate-limit headers, the stored ones keep their places.
          const status = notModified(ctx.get('if-none-match'), hit.etag) ? 304 : 200;
          const stored = [...hit.head.before, ...(status === 304 ? notModifiedAfter(hit.head.after) : hit.head.after)];
          for (let at = 0; at < stored.length; at += 2) ctx.set(stored[at], stored[at + 1]);
          ctx.status = status;
          if (status === 200) ctx.body = hit.body;
          return;
        }
        // A response computed across an invalidation may hold the old version: not stored.
        const startedAt = generation;
        let settle: ((entry: CacheEntry | undefined) => void) | undefined;
        // The first miss since the last invalidation computes for the others (in-flight ones begun
        // before it are no use to them: right after a publish, exactly when the readers come).
        if (key && store && computing.get(key)?.generation !== generation) {
          const entry = new Promise<CacheEntry | undefined>((resolve) => (settle = resolve));
          computing.set(key, { generation, entry });
          ctx.res.once('close', () => {
            if (computing.get(key)?.entry === entry) computing.delete(key);
            settle?.(undefined);
          });
        }
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
        // (getRawHeaderNames: every OutgoingMessage's, though @types/node declares it on ClientRequest only)
        const res = ctx.res as ServerResponse & { getRawHeaderNames(): string[] };
        let before304: string[] | undefined;
        if (notModified(ctx.get('if-none-match'), etag)) {
          before304 = res.getRawHeaderNames();
          ctx.status = 304;
          ctx.body = null;
        } else {
          ctx.body = body;
          ctx.set('Content-Type', type);
        }
        if (!store || !cacheable || generation !== startedAt) return;
        const uid = (ctx.state.route?.handler ?? '').split('.').slice(0, -1).join('.');
        const tags = ctx.state.cacheTags ?? [typeTag(uid), ...documentTags(original)];
        // Stored once sent, with the headers every middleware set (X-Powered-By comes last), as
        // they were sent: the fast path answers with those (a 304's as its 200 would have been).
        res.once('finish', () => {
          if (![200, 304].includes(res.statusCode) || generation !== startedAt) return;
          const sent = res.getRawHeaderNames().map((name): [string, string] => [name, String(res.getHeader(name))]);
          const head = storedHead(before304 ? sentAs200(before304, sent, type, body.length) : sent);
          if (!head) return;
          const entry = { head, body, etag };
          settle?.(entry);
          void store.set(key as string, entry, tags);
        });
      };
    },
  };
  return service;
};

export type ResponseCache = ReturnType<typeof createResponseCache>;
