import { envSecret, envString } from '../src/lib/env';

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
  flags: {
    nps: false,
    promoteEE: false,
  },
});
