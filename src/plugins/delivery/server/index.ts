/**
 * Delivery to consumer sites: the site registry, signed webhooks through a durable queue, draft
 * preview, the response cache with ETags, search, geo, sitemaps and the OpenAPI document.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import type { Core } from '@strapi/strapi';
import contentTypes from './content-types';
import controllers from './controllers';
import policies from './policies';
import routes from './routes';
import { createDelivery, type Delivery } from './services';
import { ensureSearchIndexes } from './services/finding';
import { readModelMiddleware } from './middlewares/read-model';
import { rateLimitMiddleware } from './middlewares/rate-limit';
import { DELIVERY_UID } from './services/webhooks';
import type { EventStream } from '../../events/server/services/stream';
import { PUBLIC_CHANGES } from './services/cache';
import { READ_MODEL_EVENTS, SUBSCRIBER as READ_MODEL_SUBSCRIBER } from './services/read-model';

let delivery: Delivery;

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    delivery = createDelivery(strapi);
    strapi.documents.use(delivery.sites.guard() as never);
    void strapi.service('admin::permission').actionProvider.registerMany([
      { section: 'plugins', displayName: 'See sites and webhook deliveries', uid: 'read', pluginName: 'delivery' },
      { section: 'plugins', displayName: 'Redeliver webhooks', uid: 'redeliver', pluginName: 'delivery' },
    ]);
    // One delivery per event and site, even if the event is handled twice after a crash.
    strapi.hook('strapi::content-types.afterSync').register(async () => {
      const table = strapi.db.metadata.get(DELIVERY_UID as never).tableName;
      await strapi.db.connection.raw(
        `CREATE UNIQUE INDEX IF NOT EXISTS delivery_event_site_unique ON ${table} (event_id, site_id)`,
      );
      await ensureSearchIndexes(strapi);
      await delivery.readModel.ensureTables();
    });
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    const events = strapi.plugin('events').service('stream') as EventStream;
    // Once across processes. Durable: rebuilds what a process that died right after its commit
    // could not. First, so that a failing webhook does not hold it back.
    events.onCommitted((event) => delivery.readModel.applyCommitted(event));
    events.onCommitted((event) => delivery.webhooks.handle(event));
    // In every process. The read model first: it stops answering from an event's old rows before
    // the cache drops the responses the event changed (a miss must not be refilled from them).
    events.subscribe(READ_MODEL_SUBSCRIBER, (event) => delivery.readModel.handle(event), {
      types: READ_MODEL_EVENTS,
      onGiveUp: () => delivery.readModel.resynchronise(),
    });
    events.subscribe('delivery: cache', (event) => delivery.cache.handle(event), {
      types: PUBLIC_CHANGES,
      onGiveUp: () => delivery.cache.clear(),
    });
    await delivery.webhooks.start();
    await delivery.cache.start();
    await delivery.readModel.start();
    // Building the OpenAPI document takes seconds of CPU: in production, before the server
    // listens, rather than blocking every request behind the first /api/openapi.json. Read from
    // the disk cache when its schemas and code are unchanged (milliseconds: services/openapi.ts).
    if (process.env.NODE_ENV === 'production') delivery.openapi();

    // Cache hits are answered before Koa runs (see services/cache.ts serve).
    const server = strapi.server.httpServer;
    const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    const koa = (req: IncomingMessage, res: ServerResponse) => listeners.forEach((listener) => listener(req, res));
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const served = delivery.cache.serve(req, res, delivery.rateLimits);
      if (served === false) koa(req, res);
      else if (served !== true)
        served.then(
          (answered) => answered || koa(req, res),
          () => koa(req, res),
        );
    });
  },

  async destroy() {
    await delivery?.webhooks.stop();
    delivery?.readModel.stop();
    await delivery?.background.close();
    await delivery?.rateLimits.stop();
    await delivery?.cache.stop();
  },

  contentTypes,
  routes,
  policies,
  controllers: { delivery: controllers },
  services: { delivery: () => delivery },
  middlewares: {
    'rate-limit': () => rateLimitMiddleware(delivery.rateLimits),
    cache: () => delivery.cache.middleware(),
    'read-model': () => readModelMiddleware(delivery.readPath, delivery.readModel),
  },
};
