import { parseMaxBytes } from '../src/lib/uploads';
import { corsDecision, corsSettingsFrom, normalizeOrigin, originAllowed } from '../src/lib/cors';
import { envList, envString } from '../src/lib/env';

interface CorsContext {
  path: string;
  method: string;
  origin: string;
  get(name: string): string;
}

// Public content API: any origin, no credentials. Admin side: same origin or ADMIN_ORIGINS only.
// The response cache's fast path (services/cache.ts) answers with the same settings.
const corsSettings = corsSettingsFrom(envList(process.env, 'ADMIN_ORIGINS'));
// Where this server (and its admin panel, when served elsewhere) is reached besides ctx.origin.
const ownOrigins = ['PUBLIC_URL', 'ADMIN_URL']
  .map((name) => normalizeOrigin(envString(process.env, name, '') as string))
  .filter((origin): origin is string => !!origin);
const decide = (ctx: CorsContext) =>
  corsDecision(
    {
      path: ctx.path,
      method: ctx.method,
      requestMethod: ctx.get('Access-Control-Request-Method') || undefined,
      selfOrigins: [ctx.origin, ...ownOrigins],
    },
    corsSettings,
  );

export default [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  // The content API's answers: the strictest CSP, not the admin panel's (src/middlewares/api-headers.ts).
  'global::api-headers',
  // Stored uploads: nosniff, a sandboxing CSP, non-images as downloads (src/middlewares/uploads.ts).
  'global::uploads',
  {
    name: 'strapi::cors',
    config: {
      origin: (ctx: CorsContext) => decide(ctx).origins,
      credentials: (ctx: CorsContext) => {
        const decision = decide(ctx);
        return decision.credentials && originAllowed(decision, ctx.get('Origin') || undefined);
      },
    },
  },
  'strapi::poweredBy',
  // Public API rate limits, before the cache: cached answers count too.
  'plugin::delivery.rate-limit',
  // After security and CORS (whose headers a cached answer needs), before everything that a
  // cached answer can skip.
  'plugin::delivery.cache',
  // Database unreachable: 503 + Retry-After, whatever Strapi made of it; /_health/ready (src/middlewares/availability.ts).
  'global::availability',
  // Plain public lists from precomputed JSON; under the cache, so their answers are cached too.
  'plugin::delivery.read-model',
  'strapi::query',
  // The same cap as the upload plugin's sizeLimit (config/plugins.ts): UPLOAD_MAX_BYTES, 20 MB default.
  { name: 'strapi::body', config: { formidable: { maxFileSize: parseMaxBytes(process.env.UPLOAD_MAX_BYTES) } } },
  // Over-deep bodies are a 400 before anything walks them (src/middlewares/strict-input.ts; unknown
  // fields and empty updates are checked there too, per route, after authentication).
  'global::strict-input',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
  'global::public-api',
];
