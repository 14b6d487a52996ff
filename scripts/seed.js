#!/usr/bin/env node
/** npm run seed: load the demo content (data/seed) into the configured database. Idempotent. */
const path = require('path');
const withStrapi = require('./with-strapi');

withStrapi(async (strapi, { distDir }) => {
  const { runSeed } = require(path.join(distDir, 'src', 'seed'));
  await runSeed(strapi, { log: (line) => console.log(line) });
});
