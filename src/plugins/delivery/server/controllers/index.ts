import type { Core } from '@strapi/strapi';
import { parseNear } from '../../../../lib/geo';
import type { Delivery } from '../services';
import { invalidParam } from '../services/finding';
import { apiBaseUrl, withServers } from '../../../../lib/openapi';

interface Ctx {
  query: Record<string, unknown>;
  params: Record<string, string>;
  state: Record<string, unknown>;
  body: unknown;
  request: { body?: unknown };
  type: string;
  status: number;
  origin: string;
}

const delivery = (strapi: Core.Strapi) => strapi.plugin('delivery').service('delivery') as Delivery;

/** Search, map and sitemap answers may change with any publish: cached under "any". */
const everything = (ctx: Ctx) => {
  ctx.state.cacheTags = ['any'];
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async search(ctx: Ctx) {
    ctx.body = await delivery(strapi).finding.search(ctx.query);
    everything(ctx);
  },

  async geo(ctx: Ctx) {
    let near;
    if (ctx.query.near !== undefined) {
      const checked = parseNear(ctx.query.near, ctx.query.radius);
      if (!checked.ok) throw invalidParam(checked.path, checked.message);
      near = checked.near;
    }
    ctx.body = await delivery(strapi).finding.geojson(ctx.query, near);
    ctx.type = 'application/geo+json';
    everything(ctx);
  },

  async sitemap(ctx: Ctx) {
    // The index names its children by absolute URL, on this API (as /openapi.json names itself).
    const base = apiBaseUrl(
      strapi.config.get('server.url', '') as string,
      ctx.origin,
      strapi.config.get('api.rest.prefix', '/api') as string,
    );
    ctx.body = await delivery(strapi).finding.sitemap(ctx.query, base.url);
    ctx.type = 'application/xml';
    // Sites are edited outside the publish events, and the index names the request's host: not
    // kept in the response cache.
    ctx.state.cache = false;
  },

  async openapi(ctx: Ctx) {
    const base = apiBaseUrl(
      strapi.config.get('server.url', '') as string,
      ctx.origin,
      strapi.config.get('api.rest.prefix', '/api') as string,
    );
    ctx.body = withServers(delivery(strapi).openapi(), [base.url]);
    // A server taken from the request differs by host, which the response cache's key leaves out.
    if (base.fromConfig) ctx.state.cacheTags = ['openapi'];
    else ctx.state.cache = false;
  },

  async deliveries(ctx: Ctx) {
    const { status, site, page, pageSize } = ctx.query as Record<string, string | undefined>;
    ctx.body = await delivery(strapi).webhooks.list(
      { status, site },
      Math.max(1, Number(page) || 1),
      Math.min(100, Math.max(1, Number(pageSize) || 50)),
    );
  },

  async redeliver(ctx: Ctx) {
    await delivery(strapi).webhooks.redeliver(Number(ctx.params.id));
    ctx.body = { ok: true };
  },

  async siteRegistry(ctx: Ctx) {
    ctx.body = await delivery(strapi).sites.registry();
  },

  async siteExample(ctx: Ctx) {
    ctx.body = await delivery(strapi).sites.example(ctx.request.body);
  },

  async registerSite(ctx: Ctx) {
    ctx.body = await delivery(strapi).sites.register(ctx.request.body);
    ctx.status = 201;
  },

  async changeSite(ctx: Ctx) {
    ctx.body = await delivery(strapi).sites.change(ctx.params.documentId, ctx.request.body);
  },

  async rotateSiteSecret(ctx: Ctx) {
    ctx.body = await delivery(strapi).sites.rotateSecret(ctx.params.documentId);
  },

  async testSite(ctx: Ctx) {
    const { sites, webhooks } = delivery(strapi);
    ctx.body = await webhooks.test(await sites.existing(ctx.params.documentId));
  },

  async deleteSite(ctx: Ctx) {
    await delivery(strapi).sites.remove(ctx.params.documentId);
    ctx.body = { ok: true };
  },

  async sites(ctx: Ctx) {
    const rows = await delivery(strapi).sites.enabled();
    ctx.body = {
      results: rows.map(
        ({ id, documentId, name, title, baseUrl, locales, contentTypes, webhookUrl, previewUrl, apiTokenName }) => ({
          id,
          documentId,
          name,
          title,
          baseUrl,
          locales,
          contentTypes,
          webhookUrl,
          previewUrl,
          apiTokenName,
        }),
      ),
    };
  },
});
