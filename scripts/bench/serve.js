#!/usr/bin/env node
/**
 * A production server for `npm run bench`, started by scripts/bench.js over IPC:
 *
 *   node scripts/bench/serve.js <appDir> <distDir>
 *
 * Does what `strapi start` does (createStrapi({ appDir, distDir }).start()), then tells the parent
 * which database the running server actually uses: the report names that, not what the script
 * meant to use (a `.env` could have said otherwise). On request it publishes an edit as the
 * system, so that publish-to-fresh is measured through one of the serving processes.
 */
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

const [appDir, distDir] = process.argv.slice(2).map((dir) => path.resolve(dir));

const describe = async (strapi) => {
  const client = strapi.db.dialect.client;
  const knex = strapi.db.connection;
  if (client === 'sqlite') {
    const [row] = await knex.raw('select sqlite_version() as version');
    return { client, version: row.version, database: knex.client.config.connection.filename };
  }
  const { rows } = await knex.raw("select current_database() as name, current_setting('server_version') as version");
  return { client, version: rows[0].version, database: rows[0].name };
};

const publish = async (strapi, { uid, documentId, locale, data }) => {
  const { asSystem } = require(path.join(distDir, 'src', 'lib', 'system-actor'));
  await asSystem('benchmark: publish-to-fresh', async () => {
    await strapi.documents(uid).update({ documentId, locale, data });
    await strapi.documents(uid).publish({ documentId, locale });
  });
};

(async () => {
  const strapi = createStrapi({ appDir, distDir });
  await strapi.start();
  process.send({ type: 'ready', ...(await describe(strapi)) });
  process.on('message', async (message) => {
    if (message?.type !== 'publish') return;
    const started = Date.now();
    try {
      await publish(strapi, message);
      process.send({ type: 'published', id: message.id, ms: Date.now() - started });
    } catch (error) {
      process.send({ type: 'published', id: message.id, error: String(error?.message ?? error) });
    }
  });
  // The parent going away (a crash, Ctrl-C) takes the server with it.
  process.on('disconnect', () => strapi.destroy().finally(() => process.exit(0)));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
