/**
 * A second Strapi process on the test database (same environment as the test run, plus what the
 * test passes): it loads the compiled app, so its scheduler, outbox, queue and cache run, says
 * "ready", and shuts down after argv[2] ms (0: when told to stop).
 *
 * Commands over IPC, each answered with { id, result } or { id, error }:
 * - { command: 'listen' }: serve HTTP on a free port → the port;
 * - { command: 'publish', uid, locale, data }: create and publish as the system → the documentId;
 * - { command: 'update', uid, documentId, locale, data }: save and publish → the documentId;
 * - { command: 'unpublish', uid, documentId, locale } / { command: 'delete', uid, documentId };
 * - { command: 'readModelStats' }: its read model's counters;
 * - { command: 'redisTrusted' }: waits (up to 10 s) until its Redis breaker has closed → true;
 * - { command: 'cacheReads' }: commands its cache connection has sent for response-cache entries
 *   (keys under CACHE_REDIS_PREFIX's `cache:`), counted from the first call on;
 * - { command: 'tripRedis' }: opens its Redis breaker (as a failed invalidation does) → the breaker state;
 * - { command: 'cacheUsage' }: its in-process cache's (or Redis L1's) bytes and entries;
 * - { command: 'watch' }: from now on, notes when its event stream hands it each published document;
 * - { command: 'seen', documentId }: when (ms since the epoch) that document's publish reached it, or null;
 * - { command: 'stop' }: shut down cleanly.
 */
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

const root = path.resolve(__dirname, '..', '..');
const dist = (file) => require(path.join(root, 'dist', 'src', ...file.split('/')));
const lifetime = Number(process.argv[2] || 5000);

(async () => {
  const app = await createStrapi({ appDir: root, distDir: path.join(root, 'dist') }).load();
  const { asSystem } = dist('lib/system-actor');

  let seen;
  const stop = async () => {
    await dist('bootstrap/idle').whenDatabaseIdle(app);
    await app.destroy();
    process.exit(0);
  };

  const commands = {
    async listen() {
      await app.server.mount();
      await new Promise((resolve) => app.server.httpServer.listen(0, '127.0.0.1', resolve));
      return app.server.httpServer.address().port;
    },
    async publish({ uid, locale, data }) {
      const document = await asSystem('test worker', () =>
        app.documents(uid).create({ locale, data, status: 'published' }),
      );
      return document.documentId;
    },
    async update({ uid, documentId, locale, data }) {
      await asSystem('test worker', async () => {
        await app.documents(uid).update({ documentId, locale, data });
        await app.documents(uid).publish({ documentId, locale });
      });
      return documentId;
    },
    async unpublish({ uid, documentId, locale }) {
      await asSystem('test worker', () => app.documents(uid).unpublish({ documentId, locale }));
      return documentId;
    },
    async delete({ uid, documentId }) {
      await asSystem('test worker', () => app.documents(uid).delete({ documentId, locale: '*' }));
      return documentId;
    },
    /** Its read model's counters (entries rendered, lists built, events caught up on). */
    readModelStats() {
      const readModel = app.plugin('delivery').service('delivery').readModel;
      return { ...readModel.stats, renderVersion: readModel.renderVersion() };
    },
    // Redis is trusted only after the first connection's probe (services/redis.ts): until then
    // the cache and the rate limits fall back to this process's memory.
    async redisTrusted() {
      const redis = app.plugin('delivery').service('delivery').cache.redis();
      for (const until = Date.now() + 10000; redis?.state !== 'closed'; ) {
        if (Date.now() > until) throw new Error(`Redis breaker still ${redis?.state ?? 'absent'}`);
        redis?.available(); // starts a probe when one is due
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return true;
    },
    // Counted where ioredis sends every command, below the code under test.
    cacheReads() {
      const client = app.plugin('delivery').service('delivery').cache.redis().client;
      if (!client.counted) {
        const entries = `${process.env.CACHE_REDIS_PREFIX ?? 'wutong:'}cache:`;
        const send = client.sendCommand.bind(client);
        client.counted = 0;
        client.sendCommand = (command, ...rest) => {
          if (String(command?.args?.[0] ?? '').startsWith(entries)) client.counted += 1;
          return send(command, ...rest);
        };
      }
      return client.counted;
    },
    tripRedis() {
      const redis = app.plugin('delivery').service('delivery').cache.redis();
      redis.trip('test: tripped');
      return redis.state;
    },
    cacheUsage() {
      return app.plugin('delivery').service('delivery').cache.usage();
    },
    watch() {
      seen ??= new Map();
      app
        .plugin('events')
        .service('stream')
        .subscribe('test worker: watch', (event) => void seen.set(event.target?.documentId, Date.now()), {
          types: ['document.published'],
        });
      return true;
    },
    seen({ documentId }) {
      return seen?.get(documentId) ?? null;
    },
    stop,
  };

  process.on('message', async (message) => {
    if (!message || !commands[message.command]) return;
    try {
      process.send({ id: message.id, result: await commands[message.command](message) });
    } catch (error) {
      process.send({ id: message.id, error: error.message });
    }
  });
  // Ready once its start-up work (the outbox pass, the read model's first build) is done: on SQLite
  // its writes would otherwise contend with the test's own (two deferred transactions that both
  // write make SQLite refuse one at once with "database is locked").
  await app.plugin('events').service('stream').settle();
  await app.plugin('delivery').service('delivery').readModel.settle();
  process.send?.('ready');
  if (lifetime > 0) setTimeout(stop, lifetime);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
