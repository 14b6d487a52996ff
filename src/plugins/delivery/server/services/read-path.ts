/**
 * The public read path's one decision per request (src/lib/public-api.ts decidePublicRead): which
 * content route it is (one route matcher, one route table), its query parsed once, whether and
 * under which key it is cacheable. The response cache (before Koa and in it), the read model and
 * the allow-list (src/middlewares/public-api.ts) all ask here, so the answer is the same for each:
 *
 *   GET /api/… → rate limit → response cache → precomputed answer (read model) → allow-list,
 *                default populate → Strapi
 */
import type { IncomingMessage } from 'http';
import type { Core } from '@strapi/strapi';
import { decidePublicRead, routeTableOf, type PublicRead, type RouteTable } from '../../../../lib/public-api';
import type { ModelSchema, Schemas } from '../../../../lib/public-query';

/** The schemas the public query allow-list checks against (src/lib/public-query.ts). */
export const publicSchemas = (strapi: Core.Strapi): Schemas => ({
  publicType(uid) {
    const model = (strapi.contentTypes as unknown as Record<string, { options?: { draftAndPublish?: boolean } }>)[uid];
    return uid.startsWith('api::') && model?.options?.draftAndPublish ? (model as unknown as ModelSchema) : undefined;
  },
  component: (uid) => (strapi.components as unknown as Record<string, unknown>)[uid] as ModelSchema | undefined,
});

interface Decided {
  path: string;
  querystring: string;
  decision: PublicRead | undefined;
}

export const createReadPath = (strapi: Core.Strapi) => {
  let table: RouteTable | undefined;
  const routes = () =>
    (table ??= routeTableOf(
      strapi.config.get('api.rest.prefix', '/api') as string,
      Object.values(strapi.contentTypes) as never,
    ));
  // Per request (its Node request object): made once, reused by every later step.
  const decided = new WeakMap<IncomingMessage, Decided>();

  const decide = (req: IncomingMessage, path: string, querystring: string) => {
    const known = decided.get(req);
    // Reused only for the very path and query it was made for: the cache's fast path splits the
    // raw URL, Koa parses it (an absolute-form target, say), and the router goes by Koa's.
    if (known && known.path === path && known.querystring === querystring) return known.decision;
    const decision = decidePublicRead(
      { method: req.method, path, querystring, authorization: req.headers.authorization },
      routes(),
    );
    decided.set(req, { path, querystring, decision });
    return decision;
  };

  return {
    routes,
    /** In Koa: the request as Koa, and so the router, reads it. */
    of: (ctx: { req: IncomingMessage; path: string; querystring: string }) =>
      decide(ctx.req, ctx.path, ctx.querystring),
    /** Before Koa (the cache's fast path): the URL as sent. */
    ofRaw(req: IncomingMessage) {
      const url = req.url ?? '';
      const at = url.indexOf('?');
      return decide(req, at < 0 ? url : url.slice(0, at), at < 0 ? '' : url.slice(at + 1));
    },
  };
};

export type ReadPath = ReturnType<typeof createReadPath>;
