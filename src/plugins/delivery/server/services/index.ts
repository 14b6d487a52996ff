/**
 * The delivery plugin's parts, built once at register and shared by controllers, middlewares
 * and the admin preview handler (`strapi.plugin('delivery').service('delivery')`).
 */
import type { Core } from '@strapi/strapi';
import { createBackground } from '../../../../lib/background';
import type { EventStream } from '../../../events/server/services/stream';
import { createResponseCache } from './cache';
import { createFinding } from './finding';
import type { OpenApiDocument } from '../../../../lib/openapi';
import { cachedPublicOpenApi } from './openapi';
import { createPreview } from './preview';
import { createRateLimits } from './rate-limit';
import { createReadModel } from './read-model';
import { createReadPath } from './read-path';
import { createSites } from './sites';
import { createWebhooks, resolveWebhookTarget } from './webhooks';

export const createDelivery = (strapi: Core.Strapi) => {
  const sites = createSites(strapi, resolveWebhookTarget);
  let document: OpenApiDocument | undefined;
  // Timers and after-commit work, waited for at shutdown.
  const background = createBackground((message) => strapi.log.error(message));
  const events = strapi.plugin('events').service('stream') as EventStream;
  const readModel = createReadModel(strapi, background, events);
  // One decision per public GET, shared by the cache, the read model and the allow-list.
  const readPath = createReadPath(strapi);
  const cache = createResponseCache(strapi, readPath);
  return {
    background,
    readPath,
    readModel,
    sites,
    webhooks: createWebhooks(strapi, sites, background),
    cache,
    rateLimits: createRateLimits(strapi, cache.redis),
    preview: createPreview(strapi, sites),
    finding: createFinding(strapi, sites),
    /** The public API's OpenAPI 3 document (once per process: routes do not change while running; from disk if unchanged). */
    openapi: () => (document ??= cachedPublicOpenApi(strapi).document),
  };
};

export type Delivery = ReturnType<typeof createDelivery>;
