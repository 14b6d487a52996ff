import type { Core } from '@strapi/strapi';

interface Pool {
  numUsed(): number;
  numPendingAcquires(): number;
}

/**
 * Resolves once no query is running or waiting. Strapi emits its document events after commit
 * without awaiting them (each loads the entry again), so a script that shuts down right after
 * writing would abort those queries: wait for them first.
 */
export const whenDatabaseIdle = async (strapi: Core.Strapi, timeoutMs = 10000): Promise<void> => {
  const pool = (strapi.db.connection.client as unknown as { pool?: Pool }).pool;
  const deadline = Date.now() + timeoutMs;
  // Two idle readings in a row: an event handler may start a query right after another ends.
  let idleReadings = 0;
  while (pool && idleReadings < 2 && Date.now() < deadline) {
    idleReadings = pool.numUsed() === 0 && pool.numPendingAcquires() === 0 ? idleReadings + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
