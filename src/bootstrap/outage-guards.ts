/**
 * Keeps the process alive through a database outage. Strapi starts some database work without
 * handling its failure; while the database is reachable that never shows, but during an outage
 * each such failure is an unhandled rejection, and Node ends the process on one (seen with the
 * fault proxy in tests/api/db-faults.test.api.ts): a crashed process answers nothing, not even
 * cached pages or an honest 503.
 */
import type { Core } from '@strapi/strapi';
import { isUnavailableError } from '../lib/availability';

interface Dialect {
  initialize(connection: unknown): Promise<void>;
}

let onUnhandled: ((reason: unknown) => void) | undefined;

export const installOutageGuards = (strapi: Core.Strapi) => {
  // Each new pool connection is set up (PostgreSQL's `SET search_path`) in the pool's afterCreate
  // with `.then()` and no rejection handler, and the pool's create then never completes. A failed
  // setup instead marks the connection broken (knex's own flag): the pool drops it and the request
  // gets the connection error, answered 503 by src/middlewares/availability.ts.
  const dialect = strapi.db.dialect as unknown as Dialect;
  const initialize = dialect.initialize.bind(dialect);
  dialect.initialize = (connection) =>
    initialize(connection).catch((error: unknown) => {
      if (connection && typeof connection === 'object')
        (connection as { __knex__disposed?: unknown }).__knex__disposed = error;
      strapi.log.warn(`wutong: a new database connection failed its setup: ${(error as Error)?.message ?? error}`);
    });

  // Strapi's after-commit document events reload the entry without awaiting it, among others.
  // Only connectivity failures are kept from ending the process; anything else is rethrown, which
  // Node treats as an uncaught exception, as it would without this listener.
  removeOutageGuards();
  onUnhandled = (reason: unknown) => {
    if (!isUnavailableError(reason)) throw reason;
    strapi.log.warn(
      `wutong: background database work failed (database unreachable): ${(reason as Error)?.message ?? reason}`,
    );
  };
  process.on('unhandledRejection', onUnhandled);
};

export const removeOutageGuards = () => {
  if (onUnhandled) process.off('unhandledRejection', onUnhandled);
  onUnhandled = undefined;
};
