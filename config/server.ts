import { envInt, envSecret, envString } from '../src/lib/env';

export default () => ({
  host: envString(process.env, 'HOST', '0.0.0.0'),
  port: envInt(process.env, 'PORT', 1337),
  url: envString(process.env, 'PUBLIC_URL', ''),
  proxy: { koa: envString(process.env, 'IS_PROXIED') === 'true' },
  // Daily housekeeping (audit log retention) and, later, scheduled publishing.
  cron: { enabled: true },
  app: {
    keys: envSecret(process.env, 'APP_KEYS', 'wutong-dev-key-1,wutong-dev-key-2')
      .split(',')
      .map((key) => key.trim()),
  },
});
