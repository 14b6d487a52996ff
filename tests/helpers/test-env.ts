/**
 * The test run's environment, prepared once per `npm test` whichever projects run: a compiled app,
 * a fresh database (SQLite file per run, or the PostgreSQL database DATABASE_URL names, which must
 * be empty) and the seed loaded into it.
 */
import fs from 'fs';
import path from 'path';
import { DIST, fromDist, ROOT } from './paths';

export const prepareTestEnvironment = async () => {
  if (process.env.WUTONG_TEST_ENV_READY) return;
  process.env.NODE_ENV = 'test';
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  process.env.WUTONG_SEED_ON_EMPTY = 'false';
  process.env.LOG_LEVEL ??= 'warn';
  // The suite sends thousands of requests from 127.0.0.1: generous public API limits (still
  // counted, so every test runs through the limiter); tests/api/rate-limit.test.api.ts sets low ones.
  process.env.RATE_LIMIT_PER_MINUTE ??= '1000000';
  process.env.RATE_LIMIT_SEARCH_PER_MINUTE ??= '1000000';

  const postgres = !!process.env.DATABASE_URL || process.env.DATABASE_CLIENT === 'postgres';
  if (!postgres) {
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
  process.env.WUTONG_TEST_ENV_READY = 'true';
};
