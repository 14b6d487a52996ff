import { envSecret } from '../src/lib/env';

export default () => ({
  'users-permissions': {
    config: {
      jwtSecret: envSecret(process.env, 'JWT_SECRET', 'wutong-dev-users-jwt-secret'),
    },
  },
});
