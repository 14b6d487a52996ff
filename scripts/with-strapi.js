/**
 * Runs `task(strapi)` against a loaded (not listening) Strapi on whatever database the
 * environment names, then shuts it down. Used by the npm scripts `seed` and `token`.
 */
const fs = require('fs');
const path = require('path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');

process.env.STRAPI_TELEMETRY_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'warn';
// The scripts do their own work; a develop-mode auto-seed would only get in the way.
process.env.WUTONG_SEED_ON_EMPTY = 'false';

/**
 * In production, the built app as `strapi start` loads it: compiling the TypeScript project holds
 * the whole compiler program (~300 MB of heap), more than the production heap bound allows.
 */
const contextOf = async () => {
  if (process.env.NODE_ENV !== 'production') return compileStrapi();
  const appDir = process.cwd();
  const distDir = path.join(appDir, 'dist');
  if (!fs.existsSync(path.join(distDir, 'src', 'index.js'))) {
    throw new Error(`no built app in ${distDir}: run \`npm run build\` first (NODE_ENV=production loads dist/)`);
  }
  return { appDir, distDir };
};

module.exports = async function withStrapi(task) {
  let app;
  try {
    const context = await contextOf();
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
