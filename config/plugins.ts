import { envInt, envSecret, envString } from '../src/lib/env';
import { publicGraphqlRules } from '../src/bootstrap/graphql';
import { parseMaxBytes } from '../src/lib/uploads';

const email = () => {
  const provider = envString(process.env, 'EMAIL_PROVIDER');
  return {
    // Without EMAIL_PROVIDER the editorial plugin logs e-mail instead of sending it.
    provider: provider ?? 'sendmail',
    providerOptions:
      provider === 'nodemailer'
        ? {
            host: envString(process.env, 'SMTP_HOST', '127.0.0.1'),
            port: envInt(process.env, 'SMTP_PORT', 587),
            secure: envString(process.env, 'SMTP_SECURE') === 'true',
            auth: envString(process.env, 'SMTP_USERNAME')
              ? { user: envString(process.env, 'SMTP_USERNAME'), pass: envString(process.env, 'SMTP_PASSWORD') }
              : undefined,
          }
        : {},
    settings: {
      defaultFrom: envString(process.env, 'EMAIL_FROM', 'wutong@localhost'),
      defaultReplyTo: envString(
        process.env,
        'EMAIL_REPLY_TO',
        envString(process.env, 'EMAIL_FROM', 'wutong@localhost'),
      ),
    },
  };
};

export default () => ({
  'users-permissions': {
    config: {
      jwtSecret: envSecret(process.env, 'JWT_SECRET', 'wutong-dev-users-jwt-secret'),
    },
  },
  email: { config: email() },
  upload: {
    config: {
      // Also the body parser's cap (config/middlewares.ts). What may be uploaded is decided by
      // content in src/bootstrap/uploads.ts, not by the plugin's declared-type lists.
      sizeLimit: parseMaxBytes(process.env.UPLOAD_MAX_BYTES),
    },
  },
  graphql: {
    config: {
      endpoint: '/graphql',
      shadowCRUD: true,
      // Bounds on what one request may cost: nesting depth, and items per list (a larger
      // pageSize or limit is cut to maxLimit, as on REST).
      depthLimit: 7,
      defaultLimit: 25,
      maxLimit: 100,
      // The playground (Apollo's landing page) outside production only; introspection always,
      // so that front ends can generate their types against the live schema.
      landingPage: process.env.NODE_ENV !== 'production',
      apolloServer: { introspection: true, plugins: [publicGraphqlRules] },
    },
  },
  // First of the app's plugins: it is destroyed first, so its subscribers' work ends while the
  // plugins they belong to are still up.
  events: {
    enabled: true,
    resolve: './src/plugins/events',
  },
  editorial: {
    enabled: true,
    resolve: './src/plugins/editorial',
  },
  delivery: {
    enabled: true,
    resolve: './src/plugins/delivery',
  },
});
