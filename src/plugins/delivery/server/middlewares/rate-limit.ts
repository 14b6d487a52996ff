/**
 * Counts each public content-API request against its client's rate limit (services/rate-limit.ts)
 * and refuses it with a 429 in Strapi's error format when over. Placed before the response cache,
 * so cached answers count too.
 */
import type { IncomingMessage } from 'http';
import { errors } from '@strapi/utils';
import { RATE_LIMIT_MESSAGE, rateLimitDetails } from '../../../../lib/rate-limit';
import type { RateLimits } from '../services/rate-limit';

interface Ctx {
  req: IncomingMessage;
  method: string;
  path: string;
  ip: string;
  state: { isAuthenticated?: boolean };
  get(name: string): string;
  set(name: string, value: string): void;
}

export const rateLimitMiddleware = (rateLimits: RateLimits) => async (ctx: Ctx, next: () => Promise<void>) => {
  const authorization = ctx.get('authorization') || undefined;
  // Counted already when the cache's fast path handed a refused hit on to Koa.
  const limited = rateLimits.handedOn(ctx.req) ?? (await rateLimits.count(ctx.method, ctx.path, authorization, ctx.ip));
  if (!limited) return next();
  for (const [name, value] of Object.entries(limited.headers)) ctx.set(name, value);
  if (!limited.allowed)
    throw new errors.RateLimitError(RATE_LIMIT_MESSAGE, rateLimitDetails(limited.bucket, limited.retryAfterSeconds));
  await next();
  if (authorization && ctx.state.isAuthenticated) rateLimits.proveToken(authorization);
};
