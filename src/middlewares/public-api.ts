/**
 * The public read path's HTTP side, for content-API GETs:
 * - each type's lean default populate (src/lib/public-api.ts) when the client sends none, handed
 *   to the Document Service rules for the route's own read (not walked by the query checks);
 * - `fallback=true` (or WUTONG_FALLBACK=true) taken off the query and handed to the Document
 *   Service rules (src/bootstrap/fallback.ts);
 * - `preview=<token>`: checked here, then the Document Service rules serve that one draft;
 * - `near=lat,lng&radius=km` on the projects and parks lists (src/lib/geo.ts);
 * - a Content-Language header naming the language(s) actually served;
 * - the query allow-list (src/lib/public-query.ts) for everyone who may not read drafts: anything
 *   else is a 400 naming the parameter, before Strapi runs it.
 */
import type { Core } from '@strapi/strapi';
import { envBool } from '../lib/env';
import { contentLanguage, wantsFallback } from '../lib/fallback';
import type { IncomingMessage } from 'http';
import { defaultPopulate, type ContentRoute } from '../lib/public-api';
import { errors } from '@strapi/utils';
import { parseNear } from '../lib/geo';
import { SOURCE_LOCALE } from '../lib/locales';
import { invalidParam, LOCATED } from '../plugins/delivery/server/services/finding';
import { mayReadDrafts, type RequestAuth } from '../lib/access';
import { checkPublicQuery, issueMessage } from '../lib/public-query';
import { publicSchemas } from '../plugins/delivery/server/services/read-path';
import type { Delivery } from '../plugins/delivery/server/services';

type NearBody = { data?: Record<string, unknown>[]; meta?: Record<string, unknown> } | undefined;

interface Ctx {
  req: IncomingMessage;
  method: string;
  path: string;
  querystring: string;
  request: unknown;
  get(name: string): string;
  status: number;
  body: unknown;
  query: Record<string, unknown>;
  state: Record<string, unknown>;
  set(name: string, value: string): void;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const fallbackByDefault = envBool(process.env, 'WUTONG_FALLBACK', false);
  const delivery = () => strapi.plugin('delivery').service('delivery') as Delivery;

  const schemas = publicSchemas(strapi);

  /**
   * Whether the request's credentials may read drafts (a full-access API token), found out the
   * way the content API's own authentication will (it runs later, at the route).
   */
  const draftReader = async (ctx: Ctx): Promise<boolean> => {
    if (!ctx.get('authorization')) return false;
    const probe = {
      state: { route: { info: { type: 'content-api' }, config: {} } } as { auth?: RequestAuth; route: unknown },
      request: ctx.request,
      get: (name: string) => ctx.get(name),
      unauthorized: () => undefined,
    };
    const auth = strapi.get('auth') as { authenticate(ctx: unknown, next: () => Promise<void>): Promise<void> };
    await auth.authenticate(probe, async () => undefined);
    return mayReadDrafts(probe.state.auth);
  };

  /** The allow-list: a 400 naming the first parameter it refuses. */
  const checkQuery = (query: Record<string, unknown>, uid: string) => {
    const issue = checkPublicQuery(query, uid, schemas);
    if (!issue) return;
    const message = issueMessage(issue);
    throw new errors.ValidationError(message, {
      code: 'query.invalid-parameter',
      path: issue.path,
      errors: [{ path: issue.path, message, name: 'ValidationError' }],
    });
  };

  /** A preview token is good for one document and locale: anything else is refused. */
  const previewClaims = (token: unknown, route: ContentRoute) => {
    const checked = delivery().preview.verify(token);
    if (!checked.ok) throw new errors.UnauthorizedError(checked.reason);
    const { claims } = checked;
    if (claims.uid !== route.uid || (route.documentId && route.documentId !== claims.documentId)) {
      throw new errors.ForbiddenError('This preview token is for another document');
    }
    return claims;
  };

  /**
   * `near=lat,lng&radius=km` on the projects or parks list: only entries within the radius; each
   * with its `distanceKm`; nearest first unless the client sorts or filters otherwise.
   */
  const nearQuery = async (ctx: Ctx, route: ContentRoute, near: unknown, radius: unknown) => {
    if (route.detail || !LOCATED[route.uid])
      throw invalidParam('near', 'near and radius apply to the projects and parks lists');
    const checked = parseNear(near, radius);
    if (!checked.ok) throw invalidParam(checked.path, checked.message);
    const locale = typeof ctx.query.locale === 'string' ? ctx.query.locale : SOURCE_LOCALE;
    const hits = await delivery().finding.near(route.uid, locale, checked.near);
    const distance = new Map(hits.map(({ documentId, distanceKm }) => [documentId, distanceKm]));
    const { filters, sort, pagination } = ctx.query as {
      filters?: unknown;
      sort?: unknown;
      pagination?: Record<string, unknown>;
    };
    const byDistance = filters === undefined && sort === undefined && !pagination?.start && !pagination?.limit;
    // Strapi's own page size limits (config/api.ts).
    const defaultLimit = Number(strapi.config.get('api.rest.defaultLimit', 25));
    const maxLimit = Number(strapi.config.get('api.rest.maxLimit', 100));
    let page = 1;
    let pageSize = defaultLimit;
    let ids = hits.map(({ documentId }) => documentId);
    if (byDistance) {
      page = Math.max(1, Number(pagination?.page ?? 1) || 1);
      pageSize = Math.min(maxLimit, Math.max(1, Number(pagination?.pageSize ?? defaultLimit) || defaultLimit));
      ids = ids.slice((page - 1) * pageSize, page * pageSize);
      ctx.query = { ...ctx.query, pagination: { page: 1, pageSize } };
    }
    const inRadius = { documentId: { $in: ids } };
    ctx.query = { ...ctx.query, filters: filters === undefined ? inRadius : { $and: [filters, inRadius] } };
    return (body: NearBody) => {
      if (!Array.isArray(body?.data)) return;
      for (const entry of body.data) entry.distanceKm = distance.get(entry.documentId as string) ?? null;
      body.meta = { ...body.meta, near: checked.near };
      if (!byDistance) return;
      body.data.sort((a, b) => (a.distanceKm as number) - (b.distanceKm as number));
      body.meta.pagination = { page, pageSize, pageCount: Math.ceil(hits.length / pageSize), total: hits.length };
    };
  };

  return async (ctx: Ctx, next: () => Promise<void>) => {
    // The read path's decision (services/read-path.ts): the route, and the query parsed once with
    // Strapi's own settings, the parse the cache keyed this request by and Strapi will run.
    const decision = delivery().readPath.of(ctx);
    const route = decision?.route;
    if (!route) return next();
    if (!(await draftReader(ctx))) checkQuery(decision.query, route.uid);

    const { fallback, preview, near, radius, ...query } = ctx.query;
    ctx.state.fallback = wantsFallback(fallback, fallbackByDefault);
    if (preview !== undefined) {
      ctx.state.preview = previewClaims(preview, route);
      ctx.state.cache = false; // a draft: never stored, however `preview` was spelled
    }
    // The lean default populate goes to the Document Service rules (src/bootstrap/document-rules.ts),
    // not into the query: Strapi's validateQuery, sanitizeQuery and the document service's own
    // checks would walk it four times a list, a quarter of the request's CPU (docs/profiles/).
    // It is ours and fixed; the response is still sanitized (private fields, the role's relations).
    if (query.populate === undefined) {
      const populate = defaultPopulate(route.uid, route.detail);
      if (populate) ctx.state.defaultPopulate = { uid: route.uid, populate };
    }
    // Rewritten only when something changes: setting ctx.query re-serializes the URL.
    if ([fallback, preview, near, radius].some((value) => value !== undefined)) ctx.query = query;
    const nearby = near !== undefined || radius !== undefined ? await nearQuery(ctx, route, near, radius) : undefined;

    await next();

    if (ctx.status !== 200) return;
    nearby?.(ctx.body as NearBody);
    const data = (ctx.body as { data?: unknown } | undefined)?.data;
    const language = contentLanguage(
      ([] as { locale?: string }[]).concat((data as never) ?? []).map((entry) => entry?.locale),
    );
    if (language) ctx.set('Content-Language', language);
  };
};
