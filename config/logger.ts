import { formats, winston } from '@strapi/logger';
import { envString } from '../src/lib/env';

// LOG_LEVEL=warn keeps test and script output readable; the default matches Strapi's own.
const level = envString(process.env, 'LOG_LEVEL', 'http') as string;

export default {
  transports: [
    new winston.transports.Console({
      level,
      format: formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' }),
    }),
  ],
};
