/**
 * The public read path's HTTP side, for content-API GETs:
 * - each type's lean default populate (src/lib/public-api.ts) when the client sends none; applied
 *   before routing, so Strapi's own query validation and sanitizing see it as if the client had;
 * - `fallback=true` (or WUTONG_FALLBACK=true) taken off the query and handed to the Document
 *   Service rules (src/bootstrap/fallback.ts);
 * - a Content-Language header naming the language(s) actually served.
 */
import type { Core } from '@strapi/strapi';
import { envBool } from '../lib/env';
import { contentLanguage, wantsFallback } from '../lib/fallback';
import { defaultPopulate, matchContentRoute, type RouteTable } from '../lib/public-api';

interface Ctx {
  method: string;
  path: string;
  status: number;
  body: unknown;
  query: Record<string, unknown>;
  state: Record<string, unknown>;
  set(name: string, value: string): void;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const fallbackByDefault = envBool(process.env, 'WUTONG_FALLBACK', false);
  let table: RouteTable | undefined;
  const routeTable = (): RouteTable => {
    table ??= {
      prefix: strapi.config.get('api.rest.prefix', '/api') as string,
      segments: Object.fromEntries(
        Object.values(strapi.contentTypes)
          .filter(({ uid }) => uid.startsWith('api::'))
          .map(({ uid, kind, info }) => [
            kind === 'singleType' ? info.singularName : info.pluralName,
            { uid, kind: kind as 'collectionType' | 'singleType' },
          ]),
      ),
    };
    return table;
  };

  return async (ctx: Ctx, next: () => Promise<void>) => {
    const route = ctx.method === 'GET' ? matchContentRoute(ctx.path, routeTable()) : undefined;
    if (!route) return next();

    const { fallback, ...query } = ctx.query;
    ctx.state.fallback = wantsFallback(fallback, fallbackByDefault);
    const populate = query.populate === undefined ? defaultPopulate(route.uid, route.detail) : undefined;
    if (fallback !== undefined || populate) ctx.query = { ...query, ...(populate ? { populate } : {}) };

    await next();

    if (ctx.status !== 200) return;
    const data = (ctx.body as { data?: unknown } | undefined)?.data;
    const language = contentLanguage(
      ([] as { locale?: string }[]).concat((data as never) ?? []).map((entry) => entry?.locale),
    );
    if (language) ctx.set('Content-Language', language);
  };
};
