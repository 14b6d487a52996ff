#!/usr/bin/env node
/**
 * npm run token -- <name>: create a read-only API token for a front end and print it once.
 * Strapi stores only a hash of it; lose it and you create a new one.
 */
const withStrapi = require('./with-strapi');

const name = process.argv.slice(2).join(' ').trim();
if (!name) {
  console.error('usage: npm run token -- <name>   (e.g. npm run token -- "English investor site")');
  process.exit(2);
}

withStrapi(async (strapi) => {
  const tokens = strapi.service('admin::api-token-content-api');
  if (await tokens.exists({ name })) {
    throw new Error(
      `An API token named "${name}" already exists: pick another name, or delete it in Settings → API Tokens.`,
    );
  }
  const token = await tokens.create({
    name,
    kind: 'content-api',
    type: 'read-only',
    lifespan: null,
    description: `Read-only token for the front end "${name}" (npm run token)`,
  });
  console.log(`Read-only API token "${name}" (shown once, store it now):\n\n${token.accessKey}\n`);
  console.log(`Use it as:  curl -H "Authorization: Bearer <token>" http://localhost:1337/api/projects`);
});
