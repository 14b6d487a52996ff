/**
 * Environment helpers that treat an empty variable as unset.
 *
 * Strapi's own `env('X', fallback)` returns '' for a line like `DATABASE_HOST=` in a generated
 * .env, which silently breaks database connections; these helpers fall back instead.
 */
type Env = Record<string, string | undefined>;

export const envString = (env: Env, name: string, fallback?: string): string | undefined => {
  const value = env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
};

export const envInt = (env: Env, name: string, fallback: number): number => {
  const value = envString(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new Error(`${name} must be an integer, got "${value}"`);
  return parsed;
};

export const envBool = (env: Env, name: string, fallback: boolean): boolean => {
  const value = envString(env, name);
  if (value === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
};

export const envList = (env: Env, name: string, fallback: string[] = []): string[] => {
  const value = envString(env, name);
  return value === undefined
    ? fallback
    : value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
};

/**
 * A secret that must be set in production. Outside production a fixed, clearly labelled
 * development value keeps `npm run develop` and `npm test` working on a fresh clone.
 */
export const envSecret = (env: Env, name: string, devValue: string): string => {
  const value = envString(env, name);
  if (value !== undefined) return value;
  if (env.NODE_ENV === 'production') {
    throw new Error(
      `${name} is not set. Production needs its own secrets: copy .env.example to .env and ` +
        `fill every secret (e.g. with \`openssl rand -base64 32\`).`,
    );
  }
  return devValue;
};

export type DatabaseSettings =
  | { client: 'sqlite'; filename: string }
  | {
      client: 'postgres';
      connectionString?: string;
      host: string;
      port: number;
      database: string;
      user: string;
      password?: string;
      schema: string;
      ssl: boolean;
    };

/**
 * Which database the environment names: `DATABASE_URL` (postgres://…) or
 * `DATABASE_CLIENT=postgres` with host/port/name/user, else the embedded SQLite file.
 */
export const databaseSettings = (env: Env): DatabaseSettings => {
  const url = envString(env, 'DATABASE_URL');
  const client = envString(env, 'DATABASE_CLIENT', url ? 'postgres' : 'sqlite');
  if (client === 'sqlite') {
    return { client, filename: envString(env, 'DATABASE_FILENAME', '.tmp/data.db') as string };
  }
  if (client !== 'postgres') {
    throw new Error(`DATABASE_CLIENT must be "sqlite" or "postgres", got "${client}"`);
  }
  return {
    client,
    connectionString: url,
    host: envString(env, 'DATABASE_HOST', '127.0.0.1') as string,
    port: envInt(env, 'DATABASE_PORT', 5432),
    database: envString(env, 'DATABASE_NAME', 'wutong') as string,
    user: envString(env, 'DATABASE_USERNAME', 'postgres') as string,
    password: envString(env, 'DATABASE_PASSWORD'),
    schema: envString(env, 'DATABASE_SCHEMA', 'public') as string,
    ssl: envBool(env, 'DATABASE_SSL', false),
  };
};
