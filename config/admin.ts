import { envList, envSecret, envString } from '../src/lib/env';
import type { Delivery } from '../src/plugins/delivery/server/services';

export default () => ({
  auth: {
    secret: envSecret(process.env, 'ADMIN_JWT_SECRET', 'wutong-dev-admin-jwt-secret'),
  },
  apiToken: {
    salt: envSecret(process.env, 'API_TOKEN_SALT', 'wutong-dev-api-token-salt'),
  },
  transfer: {
    token: { salt: envSecret(process.env, 'TRANSFER_TOKEN_SALT', 'wutong-dev-transfer-token-salt') },
  },
  secrets: {
    encryptionKey: envSecret(process.env, 'ENCRYPTION_KEY', 'wutong-dev-encryption-key-000000'),
  },
  url: envString(process.env, 'ADMIN_URL', '/admin'),
  // Strapi's Preview button: the draft on the site that shows it, with a short-lived token
  // (src/plugins/delivery/server/services/preview.ts); the published tab opens the live page.
  preview: {
    enabled: true,
    config: {
      allowedOrigins: envList(process.env, 'PREVIEW_ALLOWED_ORIGINS', [
        "'self'",
        'https:',
        'http://localhost:*',
        'http://127.0.0.1:*',
      ]),
      handler: (uid: string, params: { documentId: string; locale: string; status: 'draft' | 'published' }) =>
        (strapi.plugin('delivery').service('delivery') as Delivery).preview.url(uid, params),
    },
  },
  flags: {
    nps: false,
    promoteEE: false,
  },
});
