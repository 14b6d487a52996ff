/**
 * PostgreSQL only: tells the other processes' followers that an event committed, so that they read
 * the table at once instead of at their next poll (WUTONG_EVENTS_POLL_MS). The NOTIFY is sent in
 * the event's transaction, so PostgreSQL delivers it at commit and never for a rollback. Each
 * process LISTENs on a connection of its own, reconnecting with backoff when it is lost; polling
 * stays, so a lost connection or notification only costs one poll interval, as before.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { randomUUID } from 'crypto';
import { backoffDelay } from '../../../../lib/backoff';

export const WAKE_CHANNEL = 'wutong_events';

// pg ships no type declarations (and @types/pg is not a dependency): the little used here.
interface Notification {
  channel: string;
  payload?: string;
}
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', listener: (message: Notification) => void): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
}

export interface WakeUp {
  /** Sends the wake-up in this transaction (delivered at its commit). */
  notify(trx: Knex.Transaction): Promise<unknown>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** `wake` runs on every other process's commit; undefined on SQLite (one process). */
export const createWakeUp = (strapi: Core.Strapi, wake: () => void): WakeUp | undefined => {
  if (strapi.db.dialect.client !== 'postgres') return undefined;
  // Its own notifications come back too: told apart by this process's id, and not acted on.
  const self = randomUUID();
  let client: PgClient | undefined;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;
  let stopped = true;

  const reconnectLater = (reason: string) => {
    if (stopped || retry) return;
    failures += 1;
    const delay = backoffDelay(failures, { baseMs: 1000, capMs: 30_000 });
    strapi.log.warn(`events: wake-up connection lost (${reason}); polling meanwhile, reconnecting in ${delay} ms`);
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, delay);
    retry.unref();
  };

  const connect = async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require('pg') as { Client: new (config: Record<string, unknown>) => PgClient };
    const { schema: _schema, ...connection } = strapi.config.get('database.connection.connection') as Record<
      string,
      unknown
    >;
    const next = new Client(connection);
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (client === next) client = undefined;
      void next.end().catch(() => undefined);
      reconnectLater(error?.message ?? 'closed');
    };
    next.on('error', onLost);
    next.on('end', onLost);
    next.on('notification', ({ channel, payload }) => {
      if (channel === WAKE_CHANNEL && payload !== self) wake();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${WAKE_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (stopped) return void next.end().catch(() => undefined);
    client = next;
    failures = 0;
    // Whatever committed while it was not listening.
    wake();
  };

  return {
    notify: (trx) => trx.raw('select pg_notify(?, ?)', [WAKE_CHANNEL, self]),
    async start() {
      stopped = false;
      await connect();
    },
    async stop() {
      stopped = true;
      clearTimeout(retry);
      retry = undefined;
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
};
