import path from 'path';
import { databaseSettings, envInt } from '../src/lib/env';

export default () => {
  const settings = databaseSettings(process.env);

  if (settings.client === 'sqlite') {
    return {
      connection: {
        client: 'sqlite',
        connection: { filename: path.resolve(__dirname, '..', '..', settings.filename) },
        useNullAsDefault: true,
      },
    };
  }

  const { connectionString, ssl, ...rest } = settings;
  return {
    connection: {
      client: 'postgres',
      connection: {
        ...(connectionString ? { connectionString } : rest),
        schema: settings.schema,
        ssl: ssl ? { rejectUnauthorized: false } : false,
      },
      pool: {
        min: envInt(process.env, 'DATABASE_POOL_MIN', 0),
        max: envInt(process.env, 'DATABASE_POOL_MAX', 10),
      },
      // How long a request waits for a connection before it is answered 503 (knex's default, 60 s,
      // held every request for a minute during an outage).
      acquireConnectionTimeout: envInt(process.env, 'DATABASE_CONNECTION_TIMEOUT', 5000),
    },
  };
};
