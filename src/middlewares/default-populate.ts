/**
 * Applies each type's lean default populate (src/lib/public-api.ts) to content-API GETs that
 * send no `populate` of their own. Runs before routing, so Strapi's own query validation and
 * sanitizing see the default exactly as if the client had sent it.
 */
import type { Core } from '@strapi/strapi';
import { defaultPopulate, matchContentRoute, type RouteTable } from '../lib/public-api';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
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

  return async (ctx: { method: string; path: string; query: Record<string, unknown> }, next: () => Promise<void>) => {
    if (ctx.method === 'GET' && ctx.query.populate === undefined) {
      const route = matchContentRoute(ctx.path, routeTable());
      const populate = route && defaultPopulate(route.uid, route.detail);
      if (populate) ctx.query = { ...ctx.query, populate };
    }
    await next();
  };
};
