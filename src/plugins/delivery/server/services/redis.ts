/**
 * A Redis connection for things Redis only speeds up (the response cache, the shared rate-limit
 * count): no request ever fails or waits long because of Redis.
 *
 * - Every command has a deadline (REDIS_COMMAND_TIMEOUT_MS, 100 ms); nothing is queued while
 *   disconnected and nothing is re-sent after a reconnect (a stale cache write must not land late).
 *   `run` is the only way commands are sent (the rate limiter's too), so the deadline holds for all.
 * - A circuit breaker (src/lib/circuit-breaker.ts) opens after REDIS_BREAKER_FAILURES failures or
 *   timeouts in a row, and at once when the connection drops or an invalidation cannot be applied
 *   (the owner trips it); while open, callers take their fallback without touching Redis. After
 *   REDIS_BREAKER_COOLDOWN_MS (or as soon as the connection is back) one probe runs: it asks Redis
 *   for its run id, runs the owner's `recover` (the cache replays or flushes what it missed), and
 *   only then closes the breaker.
 * - Reconnects back off with src/lib/backoff.ts; errors are logged once per outage, not per event.
 */
import Redis from 'ioredis';
import type { Core } from '@strapi/strapi';
import { backoffDelay } from '../../../../lib/backoff';
import { createCircuitBreaker, type BreakerState } from '../../../../lib/circuit-breaker';
import { envInt } from '../../../../lib/env';

export interface RedisSettings {
  commandTimeoutMs: number;
  failureThreshold: number;
  coolDownMs: number;
}

export const redisSettings = (env: Record<string, string | undefined>): RedisSettings => {
  const settings = {
    commandTimeoutMs: envInt(env, 'REDIS_COMMAND_TIMEOUT_MS', 100),
    failureThreshold: envInt(env, 'REDIS_BREAKER_FAILURES', 3),
    coolDownMs: envInt(env, 'REDIS_BREAKER_COOLDOWN_MS', 1000),
  };
  if (settings.commandTimeoutMs < 1) throw new Error('REDIS_COMMAND_TIMEOUT_MS must be 1 or more');
  if (settings.failureThreshold < 1) throw new Error('REDIS_BREAKER_FAILURES must be 1 or more');
  if (settings.coolDownMs < 0) throw new Error('REDIS_BREAKER_COOLDOWN_MS must be 0 or more');
  return settings;
};

/** Reconnect attempts: 100 ms, 200 ms, … at most 2 s apart. */
export const RECONNECT_BACKOFF = { baseMs: 100, capMs: 2000 };

/** Thrown by `run` while the breaker is open (the caller falls back). */
export class RedisUnavailable extends Error {
  constructor() {
    super('Redis is unavailable (circuit open)');
  }
}

export interface RecoverContext {
  /** Redis restarted since it was last trusted (another run id): its data may be an old snapshot. */
  restarted: boolean;
  /** Runs one command with the deadline, bypassing the breaker (it is half-open). */
  run<T>(operation: (client: Redis) => Promise<T>): Promise<T>;
}

export interface RedisConnection {
  readonly client: Redis;
  readonly state: BreakerState;
  /** True when Redis may be used now. When open and a probe is due, starts one (not awaited). */
  available(): boolean;
  /**
   * One round trip under the breaker and the deadline: throws RedisUnavailable while open, and
   * counts what it throws as a failure unless `answered` says Redis answered (a rate limiter's refusal).
   */
  run<T>(operation: (client: Redis) => Promise<T>, answered?: (error: unknown) => boolean): Promise<T>;
  /** Something that had to reach Redis did not: open now, so the recovery runs before the next use. */
  trip(reason: string): void;
  close(): Promise<void>;
}

export const createRedisConnection = (
  strapi: Core.Strapi,
  options: {
    url: string;
    /** Names the user in log lines, e.g. "delivery: response cache". */
    label: string;
    /** What callers do meanwhile, for the log line, e.g. "requests are answered from the database". */
    fallback: string;
    settings: RedisSettings;
    /** Runs in the probe, before the breaker closes (the cache flushes what it may have missed). */
    recover?: (context: RecoverContext) => Promise<void>;
    /** Checked right before the breaker closes: true runs `recover` again (something was missed meanwhile). */
    dirty?: () => boolean;
    /** Every breaker move (the cache drops its in-memory copy of Redis entries when it opens). */
    onStateChange?: (to: BreakerState, from: BreakerState) => void;
  },
): RedisConnection => {
  const { settings, label } = options;
  let lastError = '';
  let closing = false;
  let runId: string | undefined;
  let probe: Promise<void> | undefined;
  // One warning per outage, one line when it ends; nothing per failed command or reconnection.
  let outageLogged = false;
  const warn = () => {
    if (closing || outageLogged) return;
    outageLogged = true;
    strapi.log.warn(`${label}: Redis unavailable (${lastError || 'no answer'}); ${options.fallback} until it is back`);
  };

  const client = new Redis(options.url, {
    // A backstop only: `deadline` below bounds every command at commandTimeoutMs (ioredis's own
    // timer at that value would fire before a reply already waiting in the socket is read
    // whenever the event loop was busy for that long, e.g. during a publish).
    commandTimeout: settings.commandTimeoutMs * 10,
    // Fail at once while disconnected rather than queue behind reconnection attempts …
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // … and never re-send, after a reconnect, a command the caller has given up on.
    autoResendUnfulfilledCommands: false,
    connectTimeout: Math.max(1000, settings.commandTimeoutMs * 10),
    retryStrategy: (attempt) => (closing ? null : backoffDelay(attempt, RECONNECT_BACKOFF)),
  });

  // Open until the first connection is ready and probed: what happened before this process
  // started (a clear it could not make) is dealt with the same way as an outage.
  const breaker = createCircuitBreaker({
    failureThreshold: settings.failureThreshold,
    coolDownMs: settings.coolDownMs,
    startOpen: true,
    onChange(to, from) {
      options.onStateChange?.(to, from);
      if (from === 'closed' && to === 'open') warn();
      if (to !== 'closed' || closing) return;
      if (outageLogged) strapi.log.info(`${label}: Redis is back and trusted again`);
      outageLogged = false;
      lastError = '';
    },
  });

  // Without a listener ioredis prints "[ioredis] Unhandled error event" for every failed attempt.
  client.on('error', (error: Error) => {
    lastError = error.message;
    if (runId === undefined) warn(); // never connected yet
  });
  client.on('close', () => {
    if (closing) return;
    lastError ||= 'connection closed';
    breaker.trip();
  });
  // Connected (again): probe now rather than after the cool-down.
  client.on('ready', () => startProbe(true));

  const deadline = <T>(operation: (redis: Redis) => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      // Decided after the event loop's next I/O poll: a reply that arrived while the loop was
      // busy is read first, so a blocked loop is not taken for a slow Redis.
      timer = setTimeout(() => setImmediate(() => reject(new Error('Command timed out'))), settings.commandTimeoutMs);
    });
    return Promise.race([operation(client), timeout]).finally(() => clearTimeout(timer));
  };

  const serverRunId = async () =>
    /run_id:(\w+)/.exec(await deadline((redis) => redis.info('server')))?.[1] ?? 'unknown';

  const startProbe = (force = false) => {
    if (closing || probe || !breaker.beginProbe(force)) return;
    probe = (async () => {
      try {
        const id = await serverRunId();
        const restarted = runId !== undefined && id !== runId;
        for (let pass = 1; ; pass += 1) {
          await options.recover?.({ restarted: restarted && pass === 1, run: deadline });
          // Checked and closed in one synchronous step: nothing can be missed in between.
          if (!options.dirty?.()) break;
          if (pass === 3) throw new Error('still missing invalidations while recovering');
        }
        runId = id;
        breaker.endProbe(true);
      } catch (error) {
        lastError = (error as Error).message;
        breaker.endProbe(false);
      }
    })().finally(() => (probe = undefined));
  };

  const connection: RedisConnection = {
    client,
    get state() {
      return breaker.state;
    },
    available() {
      if (breaker.allows()) return true;
      if (breaker.probeDue()) startProbe();
      return false;
    },
    async run(operation, answered = () => false) {
      if (!connection.available()) throw new RedisUnavailable();
      try {
        const result = await deadline(operation);
        breaker.success();
        return result;
      } catch (error) {
        if (answered(error)) breaker.success();
        else {
          lastError = (error as Error)?.message ?? String(error);
          breaker.failure();
        }
        throw error;
      }
    },
    trip(reason) {
      lastError = reason;
      breaker.trip();
    },
    async close() {
      closing = true;
      await probe;
      await deadline((redis) => redis.quit()).catch(() => client.disconnect());
    },
  };
  return connection;
};
