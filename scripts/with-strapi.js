/**
 * Runs `task(strapi)` against a loaded (not listening) Strapi on whatever database the
 * environment names, then shuts it down. Used by the npm scripts `seed` and `token`.
 */
const path = require('path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');

process.env.STRAPI_TELEMETRY_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'warn';
// The scripts do their own work; a develop-mode auto-seed would only get in the way.
process.env.WUTONG_SEED_ON_EMPTY = 'false';

module.exports = async function withStrapi(task) {
  let app;
  try {
    const context = await compileStrapi();
    app = await createStrapi(context).load();
    await task(app, context);
    await require(path.join(context.distDir, 'src', 'bootstrap', 'idle')).whenDatabaseIdle(app);
    await app.destroy();
    process.exit(0);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    if (app) await app.destroy().catch(() => undefined);
    process.exit(1);
  }
};
