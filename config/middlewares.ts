import { parseMaxBytes } from '../src/lib/uploads';

export default [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  // Stored uploads: nosniff, a sandboxing CSP, non-images as downloads (src/middlewares/uploads.ts).
  'global::uploads',
  'strapi::cors',
  'strapi::poweredBy',
  // After security and CORS (whose headers a cached answer needs), before everything that a
  // cached answer can skip.
  'plugin::delivery.cache',
  // Plain public lists from precomputed JSON; under the cache, so their answers are cached too.
  'plugin::delivery.read-model',
  'strapi::query',
  // The same cap as the upload plugin's sizeLimit (config/plugins.ts): UPLOAD_MAX_BYTES, 20 MB default.
  { name: 'strapi::body', config: { formidable: { maxFileSize: parseMaxBytes(process.env.UPLOAD_MAX_BYTES) } } },
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
  'global::public-api',
];
