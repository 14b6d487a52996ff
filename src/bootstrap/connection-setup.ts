import type { Core } from '@strapi/strapi';

interface Dialect {
  initialize(connection: unknown): Promise<void>;
}

/**
 * Strapi sets up each new pool connection (PostgreSQL's `SET search_path`) in the pool's
 * afterCreate with `.then()` and no rejection handler: a database that drops the connection at
 * that moment is an unhandled rejection, which ends the Node process (seen with the fault proxy
 * about once in 25 outages), and the pool's create never completes. A failed setup instead marks
 * the connection broken (knex's own flag): the pool drops it, and the request gets the connection
 * error, which src/middlewares/availability.ts answers as a 503.
 */
export const guardConnectionSetup = (strapi: Core.Strapi) => {
  const dialect = strapi.db.dialect as unknown as Dialect;
  const initialize = dialect.initialize.bind(dialect);
  dialect.initialize = (connection) =>
    initialize(connection).catch((error: unknown) => {
      if (connection && typeof connection === 'object')
        (connection as { __knex__disposed?: unknown }).__knex__disposed = error;
      strapi.log.warn(`wutong: a new database connection failed its setup: ${(error as Error)?.message ?? error}`);
    });
};
