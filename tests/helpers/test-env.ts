/**
 * The test run's environment, prepared once per `npm test` whichever projects run: a compiled app,
 * a fresh database (SQLite file per run, or the PostgreSQL database DATABASE_URL names, which must
 * be empty) and the seed loaded into it; then one copy of that database per Jest worker, so that
 * test files run side by side, each worker's files one after another on its own copy.
 */
import fs from 'fs';
import path from 'path';
import { DIST, fromDist, ROOT } from './paths';

const postgresIn = (env: NodeJS.ProcessEnv) => !!env.DATABASE_URL || env.DATABASE_CLIENT === 'postgres';

/** The settings that name worker `id`'s copy of the run's database. */
const copyFor = (env: NodeJS.ProcessEnv, id: number): Record<string, string> => {
  if (!postgresIn(env)) return { DATABASE_FILENAME: `${env.DATABASE_FILENAME}.w${id}` };
  if (!env.DATABASE_URL) return { DATABASE_NAME: `${env.DATABASE_NAME ?? 'wutong'}_w${id}` };
  const url = new URL(env.DATABASE_URL);
  url.pathname = `${url.pathname}_w${id}`;
  return { DATABASE_URL: url.toString() };
};

/** A client on the server's maintenance database, for creating and dropping databases. */
export const maintenance = async (env: NodeJS.ProcessEnv = process.env) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg');
  const settings = env.DATABASE_URL
    ? { connectionString: Object.assign(new URL(env.DATABASE_URL), { pathname: '/postgres' }).toString() }
    : {
        host: env.DATABASE_HOST ?? '127.0.0.1',
        port: Number(env.DATABASE_PORT || 5432),
        user: env.DATABASE_USERNAME ?? 'postgres',
        password: env.DATABASE_PASSWORD,
        database: 'postgres',
      };
  const client = new Client(settings);
  await client.connect();
  return client as { query(sql: string): Promise<unknown>; end(): Promise<void> };
};

const databaseName = (env: NodeJS.ProcessEnv) =>
  env.DATABASE_URL ? decodeURIComponent(new URL(env.DATABASE_URL).pathname.slice(1)) : (env.DATABASE_NAME ?? 'wutong');

const makeCopies = async (workers: number) => {
  const env = process.env;
  if (!postgresIn(env)) {
    for (let id = 1; id <= workers; id += 1)
      fs.copyFileSync(env.DATABASE_FILENAME!, copyFor(env, id).DATABASE_FILENAME);
  } else {
    const client = await maintenance(env);
    try {
      for (let id = 1; id <= workers; id += 1) {
        const name = databaseName({ ...env, ...copyFor(env, id) });
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${databaseName(env)}"`);
      }
    } finally {
      await client.end();
    }
  }
  env.WUTONG_TEST_DB_COPIES = String(workers);
};

/** Points this test file at its worker's copy (jest-setup.ts); the copies are made by the global setup. */
export const useWorkerDatabase = () => {
  const copies = Number(process.env.WUTONG_TEST_DB_COPIES);
  const id = Number(process.env.JEST_WORKER_ID);
  if (!copies || !id || process.env.WUTONG_TEST_DB_WORKER) return;
  if (id > copies) throw new Error(`Jest worker ${id} has no database copy (${copies} made)`);
  Object.assign(process.env, copyFor(process.env, id), { WUTONG_TEST_DB_WORKER: String(id) });
};

/** Removes the run's database copies (global teardown). */
export const removeWorkerDatabases = async () => {
  const env = process.env;
  const copies = Number(env.WUTONG_TEST_DB_COPIES);
  if (!copies) return;
  if (!postgresIn(env)) {
    for (let id = 1; id <= copies; id += 1)
      for (const suffix of ['', '-wal', '-shm'])
        fs.rmSync(`${copyFor(env, id).DATABASE_FILENAME}${suffix}`, { force: true });
    return;
  }
  const client = await maintenance(env);
  try {
    for (let id = 1; id <= copies; id += 1)
      await client.query(`DROP DATABASE IF EXISTS "${databaseName({ ...env, ...copyFor(env, id) })}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
};

export const prepareTestEnvironment = async ({ maxWorkers }: { maxWorkers: number }) => {
  if (process.env.WUTONG_TEST_ENV_READY) return;
  process.env.NODE_ENV = 'test';
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  process.env.WUTONG_SEED_ON_EMPTY = 'false';
  process.env.LOG_LEVEL ??= 'warn';
  // The suite sends thousands of requests from 127.0.0.1: generous public API limits (still
  // counted, so every test runs through the limiter); tests/api/rate-limit.test.api.ts sets low ones.
  process.env.RATE_LIMIT_PER_MINUTE ??= '1000000';
  process.env.RATE_LIMIT_SEARCH_PER_MINUTE ??= '1000000';

  if (!postgresIn(process.env)) {
    const file = path.join(ROOT, '.tmp', `test-${process.pid}.db`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.rmSync(file, { force: true });
    process.env.DATABASE_FILENAME = file;
  }

  // Compiled output only; a built admin panel (dist/build) is kept for the browser tests.
  for (const part of ['src', 'config', 'tsconfig.tsbuildinfo'])
    fs.rmSync(path.join(DIST, part), { recursive: true, force: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: ROOT });

  const app = await createStrapi({ appDir: ROOT, distDir: DIST }).load();
  const { runSeed } = fromDist<typeof import('../../src/seed')>('src/seed');
  await runSeed(app, { dir: process.env.WUTONG_SEED_DIR, log: () => undefined }); // waits for the database to settle
  await app.destroy();
  await makeCopies(maxWorkers);
  process.env.WUTONG_TEST_ENV_READY = 'true';
};
