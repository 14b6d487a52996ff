/**
 * A second Strapi process on the test database (same environment as the test run): it loads the
 * compiled app, so its scheduler and outbox run, says "ready", and shuts down after argv[2] ms.
 */
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

const root = path.resolve(__dirname, '..', '..');
const lifetime = Number(process.argv[2] || 5000);

(async () => {
  const app = await createStrapi({ appDir: root, distDir: path.join(root, 'dist') }).load();
  process.send?.('ready');
  setTimeout(async () => {
    await require(path.join(root, 'dist', 'src', 'bootstrap', 'idle')).whenDatabaseIdle(app);
    await app.destroy();
    process.exit(0);
  }, lifetime);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
