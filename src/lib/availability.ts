/**
 * Honest answers while the database (or another piece of infrastructure) is unreachable: which
 * errors mean "unavailable", what the 503 looks like, and a small tracker of whether the database
 * is known to be down. Pure: no Strapi import (wired in src/middlewares/availability.ts).
 */

/** PostgreSQL SQLSTATEs that mean "no usable connection", not "your query is wrong". */
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']); // admin/crash shutdown, starting up, too many clients

/** Socket and DNS failures on the way to a server. */
const NET_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLite: the file is locked past the busy timeout, cannot be opened or read/written. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|PROTOCOL)(_|$)/;

/** Drivers that report a lost connection by message only (pg, pg-pool, knex/tarn, ioredis). */
const MESSAGES = [
  /Connection terminated/i,
  /Client has encountered a connection error and is not queryable/i,
  /Connection is closed/i,
  /timeout exceeded when trying to connect/i,
  /Timeout acquiring a connection/i,
  /the database system is (shutting down|starting up|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  /sorry, too many clients already/i,
];

const NAMES = new Set(['KnexTimeoutError', 'MaxRetriesPerRequestError']);

interface ErrorLike {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  originalError?: unknown;
}

const matchesOne = (error: ErrorLike): boolean => {
  const code = typeof error.code === 'string' ? error.code : '';
  if (code) {
    if (code.startsWith('08') && code.length === 5) return true; // class 08: connection exception
    if (PG_UNAVAILABLE.has(code) || NET_UNAVAILABLE.has(code) || SQLITE_UNAVAILABLE.test(code)) return true;
  }
  if (typeof error.name === 'string' && NAMES.has(error.name)) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return MESSAGES.some((pattern) => pattern.test(message));
};

/**
 * Whether an error (or anything it wraps: `cause`, an AggregateError's `errors`, GraphQL's
 * `originalError`) says the database or another service could not be reached, as opposed to a
 * bad query or bad input. Walks at most a few levels and never loops on cycles.
 */
export const isUnavailableError = (error: unknown): boolean => {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length && seen.size < 50) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const candidate = current as ErrorLike;
    if (matchesOne(candidate)) return true;
    queue.push(candidate.cause, candidate.originalError);
    if (Array.isArray(candidate.errors)) queue.push(...candidate.errors);
  }
  return false;
};

export const UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable (database unreachable); try again shortly.';

/** The 503 body, in Strapi's error format; nothing from the underlying error (hosts, SQL) leaks. */
export const unavailableBody = (message = UNAVAILABLE_MESSAGE) => ({
  data: null,
  error: { status: 503, name: 'ServiceUnavailableError', message, details: {} },
});

/** Headers of every 503: when to come back, and never stored by a CDN or browser. */
export const unavailableHeaders = (retryAfterSeconds: number): Record<string, string> => ({
  'Retry-After': String(retryAfterSeconds),
  'Cache-Control': 'no-store',
});

/**
 * Whether an answer given while the request met an unavailability error must become a 503.
 * Error answers always do (Strapi turns swallowed failures into 401, 400, 500, 501); a successful
 * read or GraphQL answer too (it may be missing what could not be loaded); a successful write
 * keeps its status, because the write did happen and a retry could repeat it.
 */
export const mustAnswerUnavailable = (answer: {
  status: number;
  method: string;
  graphql: boolean;
  bodyHasErrors: boolean;
}): boolean => {
  if (answer.status >= 400) return true;
  if (answer.method === 'GET' || answer.method === 'HEAD') return true;
  return answer.graphql && answer.bodyHasErrors;
};

export interface DatabaseHealthOptions {
  /** Runs `select 1` (or similar); rejects when the database does not answer. */
  probe: () => Promise<unknown>;
  /** How long a probe may take before the database counts as down. */
  probeTimeoutMs: number;
  /** While down, a failed probe is trusted this long before the next one is sent. */
  probeIntervalMs: number;
  /** A probe unanswered this long no longer holds back the next one (default 30 s). */
  hangLimitMs?: number;
  /** Told when the verdict flips (for one log line per outage, not one per request). */
  onChange?: (down: boolean) => void;
  now?: () => number;
}

export interface DatabaseHealth {
  /** A connectivity error was seen (by a request or a probe). */
  failed(): void;
  /** A query answered. */
  succeeded(): void;
  /** A connectivity error was seen and nothing has succeeded since. */
  readonly knownDown: boolean;
  /**
   * Whether the database answers now: one probe at a time (callers share it), and while down a
   * failed probe's verdict is reused for probeIntervalMs. A probe still unanswered after its
   * timeout counts as down, and no second one is sent while it hangs (up to hangLimitMs): a
   * stalled server would otherwise collect one stuck connection per check.
   */
  check(options?: { fresh?: boolean }): Promise<boolean>;
}

export const createDatabaseHealth = (options: DatabaseHealthOptions): DatabaseHealth => {
  const now = options.now ?? Date.now;
  const hangLimitMs = options.hangLimitMs ?? 30_000;
  let down = false;
  let lastProbeAt = -Infinity;
  let lastProbeOk = true;
  let pending: Promise<boolean> | undefined; // the current probe, settled within the timeout
  let hanging = false; // the last probe's query has not answered yet (it timed out)
  const setDown = (value: boolean) => {
    if (value === down) return;
    down = value;
    options.onChange?.(value);
  };

  const runProbe = (): Promise<boolean> => {
    lastProbeAt = now();
    hanging = true;
    let timedOut = false;
    const query = options.probe().then(
      () => {
        hanging = false;
        // A late answer still proves the database answers again.
        if (timedOut) {
          lastProbeOk = true;
          setDown(false);
        }
        return true;
      },
      () => {
        hanging = false;
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve(false);
      }, options.probeTimeoutMs);
      timer.unref?.();
    });
    return Promise.race([query, timeout]).then((ok) => {
      clearTimeout(timer);
      lastProbeOk = ok;
      setDown(!ok);
      return ok;
    });
  };

  return {
    failed() {
      setDown(true);
    },
    succeeded() {
      setDown(false);
    },
    get knownDown() {
      return down;
    },
    check({ fresh = false } = {}) {
      if (pending) return pending;
      if (hanging && now() - lastProbeAt < hangLimitMs) return Promise.resolve(false);
      if (!fresh && down && !lastProbeOk && now() - lastProbeAt < options.probeIntervalMs)
        return Promise.resolve(false);
      pending = runProbe().finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
};
