import type { Core } from '@strapi/strapi';
import { envBool } from './lib/env';
import { registerDocumentRules } from './bootstrap/document-rules';
import { registerListIndexes } from './bootstrap/list-indexes';
import { hideInternalTypes } from './bootstrap/graphql';
import { ensureLocales } from './bootstrap/locales';
import { applyListLayouts } from './bootstrap/list-layouts';
import { bootstrapSlugs, registerSlugs } from './bootstrap/slugs';
import { syncPublicPermissions } from './bootstrap/public-permissions';
import { registerUniqueIndexes } from './bootstrap/unique-indexes';
import { isContentEmpty, runSeed } from './seed';
import { whenDatabaseIdle } from './bootstrap/idle';
import { beginImmediate } from './lib/sqlite';
import { registerUploadRules } from './bootstrap/uploads';
import { registerStrictWrites } from './middlewares/strict-input';
import { installOutageGuards, removeOutageGuards } from './bootstrap/outage-guards';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    installOutageGuards(strapi);
    if (strapi.db.dialect.client === 'sqlite') beginImmediate(strapi.db.connection.client as never);
    registerUniqueIndexes(strapi);
    registerListIndexes(strapi);
    registerDocumentRules(strapi);
    // Inside the rules: a write is checked before its missing slug is made from its title.
    registerSlugs(strapi);
    registerStrictWrites(strapi);
    hideInternalTypes(strapi);
    registerUploadRules(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    // After the plugins' bootstrap, where they subscribe to the event stream and the outbox.
    await strapi.plugin('events').service('stream').start();
    await ensureLocales(strapi);
    await syncPublicPermissions(strapi);
    // After the Content Manager's bootstrap, which creates and syncs the list configurations.
    await applyListLayouts(strapi);
    bootstrapSlugs(strapi);
    // After the admin's bootstrap (which creates Super Admin on a new database) and the locales
    // (one translator role per language).
    await strapi.plugin('editorial').service('roles').ensure();

    // `npm run develop` on a new database comes up with the demo content.
    const seedOnEmpty = envBool(
      process.env,
      'WUTONG_SEED_ON_EMPTY',
      strapi.config.get('environment') === 'development',
    );
    if (seedOnEmpty && (await isContentEmpty(strapi))) {
      strapi.log.info('wutong: empty database, loading the demo content (set WUTONG_SEED_ON_EMPTY=false to skip)');
      await runSeed(strapi);
    }
  },

  // After the plugins' destroy (their background work is done), before Strapi closes the database:
  // Strapi's own post-commit event work must not query a closed pool.
  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await whenDatabaseIdle(strapi);
    removeOutageGuards();
  },
};
