/**
 * Events plugin: the domain events table and the one event stream of this process
 * (services/stream.ts). Other plugins publish and subscribe through
 * `strapi.plugin('events').service('stream')`; none reads the table itself.
 */
import type { Core } from '@strapi/strapi';
import { createBackground } from '../../../lib/background';
import contentTypes from './content-types';
import { createEventStream, type EventStream } from './services/stream';

let stream: EventStream | undefined;

export default {
  register() {},
  // Started by the app's bootstrap (src/index.ts), after every plugin has subscribed: an outbox
  // pass before the webhooks' handler is registered would mark events handled without it.
  bootstrap() {},

  // First of the app's plugins (config/plugins.ts): the subscribers' work ends before their
  // plugins (the cache's Redis connection) are torn down.
  async destroy() {
    await stream?.stop();
    await stream?.background.close();
  },

  contentTypes,
  services: {
    // Created on first use, whichever plugin's register asks first.
    stream: ({ strapi }: { strapi: Core.Strapi }) =>
      (stream = createEventStream(
        strapi,
        createBackground((message) => strapi.log.error(message)),
      )),
  },
};
