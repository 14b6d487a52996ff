/**
 * Once per `npm test`: compile the app, point it at a fresh database, and load the seed, so every
 * API test file starts from the demo content. SQLite by default (a new file per run); PostgreSQL
 * when DATABASE_URL (or DATABASE_CLIENT=postgres) names a database, which must be empty.
 */
import fs from 'fs';
import path from 'path';
import { DIST, fromDist, ROOT } from './paths';

export default async () => {
  process.env.NODE_ENV = 'test';
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  process.env.WUTONG_SEED_ON_EMPTY = 'false';
  process.env.LOG_LEVEL ??= 'warn';

  const postgres = !!process.env.DATABASE_URL || process.env.DATABASE_CLIENT === 'postgres';
  if (!postgres) {
    const file = path.join(ROOT, '.tmp', `test-${process.pid}.db`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.rmSync(file, { force: true });
    process.env.DATABASE_FILENAME = file;
  }

  fs.rmSync(DIST, { recursive: true, force: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: ROOT });

  const app = await createStrapi({ appDir: ROOT, distDir: DIST }).load();
  const { runSeed } = fromDist<typeof import('../../src/seed')>('src/seed');
  await runSeed(app, { dir: process.env.WUTONG_SEED_DIR, log: () => undefined }); // waits for the database to settle
  await app.destroy();
};
