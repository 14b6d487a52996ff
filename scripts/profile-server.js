#!/usr/bin/env node
/**
 * Serves the compiled app for profiling: `node --cpu-prof --cpu-prof-dir=/tmp/prof
 * scripts/profile-server.js` on the database the environment names (PORT, default 1337, on
 * 127.0.0.1). Compiles the server code (not the admin panel) first, like `strapi start` minus the
 * admin build; SIGINT or SIGTERM shuts down cleanly, so Node writes the CPU profile.
 * See docs/profiles/README.md.
 */
const { compileStrapi, createStrapi } = require('@strapi/strapi');

process.env.STRAPI_TELEMETRY_DISABLED ??= 'true';
process.env.WUTONG_SEED_ON_EMPTY ??= 'false';

(async () => {
  const context = await compileStrapi();
  const app = await createStrapi({ ...context, serveAdminPanel: false }).load();
  await app.server.mount();
  const port = Number(process.env.PORT || 1337);
  await new Promise((resolve) => app.server.httpServer.listen(port, '127.0.0.1', resolve));
  process.stderr.write(`profile-server: listening on http://127.0.0.1:${port}\n`);
  const stop = async () => {
    await app.destroy();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
