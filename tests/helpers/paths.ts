import path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const DIST = path.join(ROOT, 'dist');

/**
 * A module of the compiled app, typed by its source: fromDist<typeof import('../../src/seed')>('src/seed').
 * Tests call the same copy the running Strapi uses, not a second one compiled by ts-jest.
 */
export const fromDist = <T>(modulePath: string): T =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(DIST, modulePath)) as T;
