export default [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  // After security and CORS (whose headers a cached answer needs), before everything that a
  // cached answer can skip.
  'plugin::delivery.cache',
  // Plain public lists from precomputed JSON; under the cache, so their answers are cached too.
  'plugin::delivery.read-model',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
  'global::public-api',
];
