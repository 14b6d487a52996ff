/**
 * Honest status codes while the database is unreachable (src/lib/availability.ts):
 * - every connectivity error a request meets is recorded on it, including those Strapi swallows
 *   and turns into 401 (users-permissions' role lookup), 400 (i18n's locale lookup), 500 or 501;
 *   such an answer becomes a 503 with Retry-After in Strapi's error format;
 * - while the database is known to be down, requests are answered 503 after one short shared
 *   probe instead of each waiting for the pool's timeout; the first success ends it (no restart);
 * - GET /_health/ready is readiness (`select 1` within DATABASE_PROBE_TIMEOUT_MS); Strapi's
 *   /_health stays liveness.
 * Placed after the rate limit and the response cache: cache hits are still served, and a 503 is
 * never stored.
 */
import type { Core } from '@strapi/strapi';
import { envInt } from '../lib/env';
import {
  createDatabaseHealth,
  isUnavailableError,
  mustAnswerUnavailable,
  unavailableBody,
  unavailableHeaders,
} from '../lib/availability';

export const READY_PATH = '/_health/ready';
const MARK = 'wutongUnavailable';

interface Ctx {
  method: string;
  path: string;
  status: number;
  body: unknown;
  state: Record<string, unknown>;
  set(name: string, value: string): void;
  remove(name: string): void;
}

interface Knex {
  raw(sql: string): Promise<unknown>;
  on(event: string, listener: (...args: unknown[]) => void): void;
  client: { acquireConnection(): Promise<unknown> };
}

// Needs no database: liveness, stored uploads, the favicon.
const untouched = (path: string) => path === '/_health' || path.startsWith('/uploads/') || path === '/favicon.ico';

const hasErrors = (body: unknown): boolean => {
  if (typeof body === 'string') return body.includes('"errors"');
  if (Buffer.isBuffer(body)) return body.includes('"errors"');
  return !!body && typeof body === 'object' && 'errors' in body;
};

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const retryAfter = envInt(process.env, 'UNAVAILABLE_RETRY_AFTER_SECONDS', 5);
  const graphqlPath = '/graphql';
  const knex = strapi.db.connection as unknown as Knex;
  // A busy SQLite file is one slow transaction, not an outage: no fast 503s for everyone there.
  const trackOutages = strapi.db.dialect.client !== 'sqlite';
  const health = createDatabaseHealth({
    probe: () => knex.raw('select 1'),
    probeTimeoutMs: envInt(process.env, 'DATABASE_PROBE_TIMEOUT_MS', 1000),
    probeIntervalMs: 1000,
    onChange: (down) =>
      down
        ? strapi.log.error('wutong: database unreachable, answering 503 until it is back')
        : strapi.log.warn('wutong: database reachable again'),
  });

  const seen = (error: unknown) => {
    if (!isUnavailableError(error)) return;
    if (trackOutages) health.failed();
    // Strapi's own request context (AsyncLocalStorage): the request this query ran for.
    const ctx = strapi.requestContext.get() as Ctx | undefined;
    if (ctx?.state) ctx.state[MARK] = true;
  };
  knex.on('query-error', seen);
  knex.on('query-response', () => trackOutages && health.succeeded());
  // A connection that cannot be made (refused, pool timeout) fails before any query: no event.
  const client = knex.client;
  const acquire = client.acquireConnection.bind(client);
  client.acquireConnection = () =>
    acquire().catch((error: unknown) => {
      seen(error);
      throw error;
    });

  const unavailable = (ctx: Ctx) => {
    ctx.status = 503;
    ctx.body = unavailableBody();
    for (const name of ['ETag', 'Last-Modified', 'Content-Language', 'X-Read-Model']) ctx.remove(name);
    for (const [name, value] of Object.entries(unavailableHeaders(retryAfter))) ctx.set(name, value);
  };

  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (ctx.path === READY_PATH && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      const up = await health.check({ fresh: true });
      ctx.status = up ? 200 : 503;
      ctx.body = { status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' };
      ctx.set('Cache-Control', 'no-store');
      if (!up) ctx.set('Retry-After', String(retryAfter));
      return;
    }
    if (untouched(ctx.path)) return next();
    if (health.knownDown && !(await health.check())) return unavailable(ctx);

    try {
      await next();
    } catch (error) {
      if (ctx.state[MARK] || isUnavailableError(error)) return unavailable(ctx);
      throw error;
    }
    if (
      ctx.state[MARK] &&
      mustAnswerUnavailable({
        status: ctx.status,
        method: ctx.method,
        graphql: ctx.path === graphqlPath,
        bodyHasErrors: hasErrors(ctx.body),
      })
    )
      unavailable(ctx);
  };
};
